"""The core applies `model.augment` to everything the critic sees (models/augmenting.py): every
family with a single critic trains with it, the others refuse it in one line; under the harness
(two replicas == one device, resume == uninterrupted, mixed precision, export) ADA's p moves,
is logged and resumes exactly."""
import numpy as np
import pytest
import tensorflow as tf

from tests.testing import build, fit_steps, run_family_test, tiny_config
from tfgan_zoo.errors import ConfigError
from tfgan_zoo.registry import FAMILIES

DIFF = {"model": {"augment": {"name": "diffaugment"}}}
ADA = {"model": {"augment": {"name": "ada", "p": 0.3, "interval": 1, "ada_kimg": 0.1}}}


@pytest.mark.parametrize("family", [pytest.param(f, marks=[] if f in ("dcgan", "cyclegan") else [pytest.mark.large])
                                    for f in FAMILIES.names()])
def test_every_family_with_one_critic_trains_with_diffaugment(family):
    cls = FAMILIES.get(family)
    if not cls.critic_roles:
        with pytest.raises(ConfigError, match=f"{family}: augment needs one critic"):
            build(tiny_config(family, DIFF))
        return
    cfg = tiny_config(family, DIFF)
    ds, _, model = build(cfg)
    history = fit_steps(model, cfg, ds, 2)
    assert all(np.isfinite(v).all() for v in history.values())


def test_the_critic_judges_augmented_images():
    cfg = tiny_config("dcgan", {"model": {"augment": {"name": "diffaugment", "policy": "translation"}}})
    _, _, model = build(cfg)
    seen = []
    raw = model.raw_discriminate
    object.__setattr__(model, "raw_discriminate", lambda x, c, t: (seen.append(x), raw(x, c, t))[1])
    images = tf.random.stateless_uniform([4, 8, 8, 1], [1, 2], -1.0, 1.0)
    model._begin_step()
    model.discriminate(images, {}, False)
    model.discriminate_both(images, {}, images, {}, False)
    for x in seen:
        assert x.shape[0] in (4, 8) and not np.allclose(np.asarray(x)[:4], np.asarray(images))


@pytest.mark.large
@pytest.mark.parametrize("family", ["dcgan", "cgan"])
def test_ada_passes_the_harness_and_its_p_resumes(family, tmp_path):
    run_family_test(family, tmp_path, overrides=ADA)


def test_ada_p_moves_and_is_logged():
    cfg = tiny_config("dcgan", ADA)
    ds, _, model = build(cfg)
    history = fit_steps(model, cfg, ds, 2)
    assert "ada_p" in history and float(model.ada_p.numpy()) != 0.3

