"""WGAN's reference critic schedule (models/schedule.py) and its RMSprop decay: the stage plan
against the reference's own rule, the critic updates and examples a run really makes, one trace
per stage name, and the optimizer settings."""
import numpy as np
import pytest

from tests.models.pointsets import build_points, points_config
from tests.testing import tiny_config
from tfgan_zoo.config import optimizer_settings
from tfgan_zoo.errors import ConfigError
from tfgan_zoo.models.declarations import stage_index
from tfgan_zoo.models.schedule import BURST, STEADY, burst_steps, critic_burst_stages
from tfgan_zoo.train import build_data, build_model, examples_before, train


def _reference_diters(gen_iterations, burst=100, first=25, every=500, n_critic=5):
    """martinarjovsky/WassersteinGAN main.py: `if gen_iterations < 25 or gen_iterations % 500
    == 0: Diters = 100 else: Diters = opt.Diters`."""
    if gen_iterations < first or (every and gen_iterations % every == 0):
        return burst
    return n_critic


def _plan_diters(model, total):
    return [model.phases[0].repeats(model.params, model.stage_plan[stage_index(model.stage_plan, g)])
            for g in range(total)]


def test_stage_plan_follows_the_reference_rule_step_by_step():
    cfg = points_config("wgan", {"train": {"epochs": 4, "steps_per_epoch": 600}})
    _, _, model = build_points(cfg)
    assert (model.params.burst_critic, model.params.burst_first, model.params.burst_every) == (100, 25, 500)
    assert _plan_diters(model, 2400) == [_reference_diters(g) for g in range(2400)]
    assert [s.name for s in model.stage_plan] == [BURST, STEADY] * 5
    assert sum(_plan_diters(model, 2400)) == 29 * 100 + (2400 - 29) * 5


@pytest.mark.parametrize("burst,first,every,total", [(7, 0, 4, 10), (3, 5, 0, 12), (9, 3, 3, 3), (2, 30, 7, 20)])
def test_burst_steps_and_stages_agree_with_the_rule(burst, first, every, total):
    steps = burst_steps(first, every, total)
    assert steps == [g for g in range(total) if _reference_diters(g, first=first, every=every) == 100]
    stages = critic_burst_stages(burst, first, every, total)
    starts = [s.start for s in stages]
    assert starts[0] == 0 and starts == sorted(set(starts))
    for g in range(total):
        stage = stages[stage_index(stages, g)]
        assert (stage.name == BURST) == (g in steps)
        assert stage.options == ({"n_critic": burst} if g in steps else {})


def test_no_burst_is_one_steady_stage():
    assert [s.name for s in critic_burst_stages(0, 25, 500, 1000)] == [STEADY]
    assert [s.name for s in critic_burst_stages(100, 25, 500, 0)] == [STEADY]  # outside a run
    cfg = points_config("wgan", {"model": {"burst_critic": 0, "n_critic": 2}})
    _, _, model = build_points(cfg)
    assert len(model.stage_plan) == 1 and model.sub_batches == 2


def test_a_run_makes_the_scheduled_critic_updates_on_fresh_examples(tmp_path, monkeypatch):
    # bursts of 4 at steps 0 and 3, n_critic 2 otherwise: 4 + 2 + 2 + 4 critic updates
    over = {"model": {"n_critic": 2, "burst_critic": 4, "burst_first": 1, "burst_every": 3},
            "train": {"epochs": 2, "steps_per_epoch": 2}}
    cfg = points_config("wgan", over)
    traced = []
    from tfgan_zoo.models.divergence import WGAN
    original = WGAN.train_step

    def counting(self, data):
        traced.append(self.stage.name)  # Python runs while a step is traced, not per step
        return original(self, data)

    monkeypatch.setattr(WGAN, "train_step", counting)
    run = train(cfg, str(tmp_path / "run"))
    model = run.model
    assert int(model.step.numpy()) == 4
    assert int(model.d_optimizer.iterations.numpy()) == 4 + 2 + 2 + 4
    assert int(model.g_optimizer.iterations.numpy()) == 4
    assert examples_before(model, 4, 16) == 16 * (4 + 2 + 2 + 4)
    assert examples_before(model, 1, 16) == 16 * 4 and examples_before(model, 3, 16) == 16 * 8
    assert sorted(traced) == [BURST, STEADY]  # the burst at step 3 reuses the step traced at 0


def test_a_resumed_run_continues_the_schedule_exactly(tmp_path):
    over = {"model": {"n_critic": 2, "burst_critic": 3, "burst_first": 1, "burst_every": 2},
            "train": {"epochs": 4, "steps_per_epoch": 1, "d_learning_rate": 1e-3}}
    whole = train(points_config("wgan", over), str(tmp_path / "whole")).model
    half = dict(over, train={**over["train"], "epochs": 2})
    train(points_config("wgan", half), str(tmp_path / "split"))
    resumed = train(points_config("wgan", over), str(tmp_path / "split")).model
    assert int(resumed.d_optimizer.iterations.numpy()) == 3 + 2 + 3 + 2
    for a, b in zip(whole.discriminator.weights + whole.generator.weights,
                    resumed.discriminator.weights + resumed.generator.weights):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6, atol=1e-7)


def test_rmsprop_decay_is_the_reference_and_a_user_value_wins():
    cfg = tiny_config("wgan")
    assert optimizer_settings(cfg, "d")["rho"] == 0.99 and optimizer_settings(cfg, "g")["rho"] == 0.99
    ds, info = build_data(cfg)
    model = build_model(cfg, info)
    assert model.d_optimizer.rho == 0.99 and model.g_optimizer.rho == 0.99
    user = tiny_config("wgan", {"train": {"optimizers": {"d": {"rho": 0.5}}}})
    assert optimizer_settings(user, "d")["rho"] == 0.5 and optimizer_settings(user, "g")["rho"] == 0.99
    # other families keep Keras's RMSprop default
    assert optimizer_settings(tiny_config("dcgan", {"train": {"optimizer": "rmsprop"}}), "d")["rho"] == 0.9


@pytest.mark.parametrize("over,message", [
    ({"model": {"burst_critic": -1}}, "burst_critic -1 must be an int >= 0"),
    ({"model": {"burst_every": 1.5}}, "burst_every"),
    ({"train": {"optimizers": {"d": {"rho": 1.0}}}}, "rho"),
])
def test_bad_schedule_and_decay_values_are_refused(over, message):
    with pytest.raises(ConfigError, match=message):
        tiny_config("wgan", over)
