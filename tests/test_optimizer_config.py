"""Optimizer settings: the user's keys beat the family's optimizer_defaults, flat or per optimizer,
and the resolved values survive the config's round trip through a run's config.yaml."""
import pytest
import yaml

from tfgan_zoo.config import from_dict, optimizer_settings
from tfgan_zoo.errors import ConfigError
from tfgan_zoo.models.dcgan import DCGAN
from tfgan_zoo.registry import FAMILIES


class DefaultsGAN(DCGAN):
    """DCGAN whose optimizers have family defaults for every setting a flat key also sets."""
    train_defaults = {"d_learning_rate": 3e-4}
    optimizer_defaults = {"d": {"learning_rate": 1e-3, "schedule": "linear_decay"},
                          "g": {"beta_1": 0.9, "optimizer": "rmsprop"}}


@pytest.fixture
def family():
    FAMILIES.register("test_optimizer_defaults", DefaultsGAN)
    yield "test_optimizer_defaults"
    FAMILIES.unregister("test_optimizer_defaults")


def test_family_defaults_apply_when_the_user_is_silent(family):
    cfg = from_dict({"family": family})
    d, g = optimizer_settings(cfg, "d"), optimizer_settings(cfg, "g")
    assert d["learning_rate"] == 1e-3 and d["schedule"] == "linear_decay"  # over train_defaults
    assert g["beta_1"] == 0.9 and g["optimizer"] == "rmsprop" and g["learning_rate"] == 2e-4


def test_the_users_flat_keys_beat_the_family_defaults(family):
    cfg = from_dict({"family": family, "train": {"d_learning_rate": 5e-4, "beta_1": 0.3,
                                                 "optimizer": "adam"}})
    d, g = optimizer_settings(cfg, "d"), optimizer_settings(cfg, "g")
    assert d["learning_rate"] == 5e-4 and d["schedule"] == "linear_decay"
    assert g["beta_1"] == 0.3 and g["optimizer"] == "adam"
    cfg = from_dict({"family": family, "train": {"d_learning_rate": 5e-4,
                                                 "optimizers": {"d": {"learning_rate": 7e-5}}}})
    assert optimizer_settings(cfg, "d")["learning_rate"] == 7e-5  # per optimizer beats flat


def test_resolved_settings_survive_the_run_config_round_trip(family):
    """A resume re-reads the saved config.yaml, where every flat key is written out: the
    settings must not change (the family defaults are stored in train.optimizers)."""
    for train in ({}, {"d_learning_rate": 5e-4, "beta_1": 0.3}):
        cfg = from_dict({"family": family, "train": train})
        again = from_dict(yaml.safe_load(yaml.safe_dump(cfg.to_dict(), sort_keys=False)))
        for name in ("d", "g"):
            assert optimizer_settings(again, name) == optimizer_settings(cfg, name), (train, name)
        assert again.to_dict() == cfg.to_dict()


def test_the_users_sections_are_not_changed(family):
    raw = {"family": family, "train": {"optimizers": {"d": {"beta_2": 0.99}}}}
    from_dict(raw)
    assert raw["train"]["optimizers"] == {"d": {"beta_2": 0.99}}


def test_a_bad_family_default_is_a_one_line_error(family, monkeypatch):
    monkeypatch.setattr(DefaultsGAN, "optimizer_defaults", {"d": {"schedule": "steps"}})
    with pytest.raises(ConfigError, match=r"family test_optimizer_defaults: "
                                          r"optimizer_defaults.d.schedule: 'steps' must be one of"):
        from_dict({"family": family})


def test_a_run_saved_before_the_defaults_were_folded_still_resumes():
    """Runs of CycleGAN / StarGAN saved `train.optimizers: {}`; their config now reads the
    family's schedules into it: a resume sees those as resumable settings, not another run."""
    from tfgan_zoo.resume_keys import resume_changes
    new = from_dict({"family": "cyclegan"}).to_dict()
    old = {**new, "train": {**new["train"], "optimizers": {}}}
    changed, blocking = resume_changes(old, new)
    assert not blocking
    assert changed["train.optimizers.d.schedule"] == (None, "linear_decay")
    changed, blocking = resume_changes(new, {**new, "train": {**new["train"], "optimizers": {
        "d": {**new["train"]["optimizers"]["d"], "optimizer": "sgd"}}}})
    assert list(blocking) == ["train.optimizers.d.optimizer"]  # its slots differ: another run
