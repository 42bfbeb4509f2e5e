"""The training core's contracts beyond the harness: fresh reals per critic update, named
optimizers with schedules on the step counter, stages, EMA start and standing statistics,
replica-safe draws, state and the configuration checks of the core."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from tests.models.pointsets import build_points, points_config
from tests.testing import build, fit_steps, stream, tiny_config, two_cpu_strategy
from tfgan_zoo.config import optimizer_settings
from tfgan_zoo.errors import ConfigError
from tfgan_zoo.models.base import GANModel
from tfgan_zoo.train import StepSchedule, examples_before


def test_wgan_gp_critic_reads_n_critic_distinct_batches_per_step():
    cfg = points_config("wgan_gp", {"data": {"batch_size": 8}})
    ds, info, model = build_points(cfg)
    assert model.params.n_critic == 5 and model.sub_batches == 5
    seen = []
    original = model.discriminator_terms

    def recording(batch, fake):
        seen.append(batch["real"].numpy())
        return original(batch, fake)

    model.discriminator_terms = recording
    model.run_eagerly = True
    fit_steps(model, cfg, ds, 2)
    assert len(seen) == 10 and all(s.shape == (8, 2) for s in seen)
    rows = np.concatenate(seen)
    assert len(np.unique(rows, axis=0)) == 2 * 5 * 8  # every critic update saw new reals
    expected = np.concatenate([e["sub_batches"]["real"].numpy().transpose(1, 0, 2).reshape(-1, 2)
                               for e in stream(cfg, ds, model=model).take(2)])
    np.testing.assert_array_equal(rows, expected)


def test_linear_decay_schedule_reads_the_model_step():
    step = tf.Variable(0, dtype=tf.int64)
    schedule = StepSchedule(1.0, "linear_decay", total=100, decay_start=0.5, step=step)
    values = [float(schedule.value_at(s)) for s in (0, 50, 75, 100, 120)]
    np.testing.assert_allclose(values, [1.0, 1.0, 0.5, 0.0, 0.0], atol=1e-6)
    step.assign(75)
    assert float(schedule(tf.constant(999))) == pytest.approx(0.5)  # not the optimizer's count
    cosine = StepSchedule(2.0, "cosine", total=10, decay_start=0.5, step=step)
    assert float(cosine.value_at(5)) == pytest.approx(1.0, abs=1e-6)


def test_named_optimizers_resolve_shorthands_family_defaults_and_overrides():
    cfg = tiny_config("toy_triple", {"train": {"d_learning_rate": 3e-4,
                                                "optimizers": {"c": {"beta_1": 0.9}}}})
    assert optimizer_settings(cfg, "d")["learning_rate"] == 3e-4
    c = optimizer_settings(cfg, "c")
    assert c["learning_rate"] == 1e-3 and c["schedule"] == "linear_decay" and c["beta_1"] == 0.9
    with pytest.raises(ConfigError, match="has no optimizer 'q'"):
        tiny_config("dcgan", {"train": {"optimizers": {"q": {"learning_rate": 1.0}}}})
    with pytest.raises(ConfigError, match=r"optimizers.g.schedule: 'steps' must be one of"):
        tiny_config("dcgan", {"train": {"optimizers": {"g": {"schedule": "steps"}}}})
    with pytest.raises(ConfigError, match=r"optimizers.g.learning_rat: unknown key \(did you mean"):
        tiny_config("dcgan", {"train": {"optimizers": {"g": {"learning_rat": 1.0}}}})


def test_toy_family_trains_three_optimizers_and_decays_c():
    cfg = tiny_config("toy_triple", {"train": {"epochs": 2, "steps_per_epoch": 2}})
    ds, info, model = build(cfg)
    assert sorted(model.optimizers) == ["c", "d", "g"]
    model.enter_stage(0, fresh=True)
    fit_steps(model, cfg, ds, 2)
    assert [int(model.optimizers[n].iterations.numpy()) for n in "dgc"] == [4, 2, 2]
    # c: 1e-3 until a quarter of the 4 steps, then linearly to 0 at step 4
    assert float(model.optimizers["c"].learning_rate) == pytest.approx(1e-3 * (1 - 1 / 3), rel=1e-5)
    assert float(model.optimizers["d"].learning_rate) == pytest.approx(2e-4)


def test_examples_before_counts_stage_batch_sizes():
    cfg = tiny_config("toy_triple")
    _, _, model = build(cfg)  # stages: batch 8 until step 2, then 4; 2 sub-batches (n_critic 2)
    assert [examples_before(model, s, 8) for s in (0, 1, 2, 3, 5)] == [0, 16, 32, 40, 56]


def test_stage_with_reset_zeroes_optimizer_state_only_when_entered_fresh():
    from tfgan_zoo.models.declarations import Stage
    cfg = tiny_config("dcgan")
    ds, info, model = build(cfg)
    fit_steps(model, cfg, ds, 2)
    model.stage_plan = (Stage("a", 0), Stage("b", 2, reset_optimizers=True))
    before = [v.numpy().copy() for v in model.g_optimizer.variables]
    model.enter_stage(1, fresh=False)  # a resume inside the stage keeps the restored state
    assert all(np.array_equal(a, v.numpy()) for a, v in zip(before, model.g_optimizer.variables))
    model.enter_stage(1, fresh=True)
    assert int(model.g_optimizer.iterations.numpy()) == 0
    assert all(not np.any(v.numpy()) for v in model.g_optimizer.variables
               if "learning_rate" not in v.path)
    assert float(model.g_optimizer.learning_rate) == pytest.approx(2e-4)  # the lr is not state
    assert model.train_function is None  # retraced for the stage


@pytest.mark.parametrize("precision,decay", [("float32", 0.9), ("mixed_bfloat16", 0.999)])
def test_ema_follows_the_generator_until_ema_start(precision, decay):
    """Under mixed_bfloat16 the EMA stays float32: a 0.999 average keeps its 1e-3 updates (in
    bf16, with 8 mantissa bits, most of them would round away)."""
    cfg = tiny_config("dcgan", {"model": {"ema_decay": decay, "ema_start": 2},
                                "generator": {"norm": "none"}, "train": {"precision": precision}})
    try:
        ds, info, model = build(cfg)
        fit_steps(model, cfg, ds, 2)  # steps 0 and 1 < ema_start: a copy
    finally:
        keras.mixed_precision.set_global_policy("float32")
    assert all(v.dtype == "float32" for v in model.ema_generator.variables)
    for e, g in zip(model.ema_generator.variables, model.generator.variables):
        np.testing.assert_allclose(e.numpy(), g.numpy(), atol=1e-7)
    before = [v.numpy().copy() for v in model.ema_generator.trainable_variables]
    fit_steps(model, cfg, ds, 1)  # step 2: ema = decay ema + (1 - decay) g
    for b, e, g in zip(before, model.ema_generator.trainable_variables,
                       model.generator.trainable_variables):
        update = (1 - decay) * (g.numpy() - b)  # float32 rounding of e is ~1e-9: compare norms
        assert np.linalg.norm(e.numpy() - b - update) <= 0.01 * np.linalg.norm(update)


def test_standing_statistics_are_the_average_of_the_ema_generators_batch_statistics():
    from tfgan_zoo.models.sampling import STANDING_BATCH_SIZE, STANDING_BATCHES, STANDING_SEED
    cfg = tiny_config("dcgan", {"model": {"ema_decay": 0.5}})
    ds, info, model = build(cfg)
    fit_steps(model, cfg, ds, 2)
    gen = model.ema_generator
    bn = gen.get_layer("project_norm")
    pre = keras.Model(gen.inputs, gen.get_layer("reshape").output)
    means = [pre(model.sample_inputs(STANDING_BATCH_SIZE, STANDING_SEED + i)["latents"]).numpy()
             .reshape(-1, bn.moving_mean.shape[0]).mean(0) for i in range(STANDING_BATCHES)]
    model.sample(4, 0)
    np.testing.assert_allclose(bn.moving_mean.numpy(), np.mean(means, 0), rtol=1e-4, atol=1e-5)
    assert bn.momentum == 0.9  # restored


def test_shared_and_scalar_draws_under_two_replicas():
    strategy = two_cpu_strategy()
    cfg = tiny_config("dcgan")
    _, _, model = build(cfg, strategy)

    @tf.function
    def draws():
        def replica():
            model._begin_step()
            out = (model.random_uniform([], shared=False), model.random_uniform([3], shared=True),
                   model.random_normal([2, 2]))
            model._rng.seed = None
            return out
        return strategy.run(replica)

    scalar, shared, local = [strategy.experimental_local_results(x) for x in draws()]
    assert float(scalar[0]) == float(scalar[1])
    np.testing.assert_array_equal(shared[0].numpy(), shared[1].numpy())
    assert not np.array_equal(local[0].numpy(), local[1].numpy())  # slices of one global draw


def test_state_needs_an_explicit_aggregation():
    _, _, model = build(tiny_config("dcgan"))
    with pytest.raises(ValueError, match="aggregation must be one of"):
        model.add_state("pool", (2,), aggregation="none")
    with pytest.raises(TypeError):
        model.add_state("pool", (2,))
    v = model.add_state("pool", (2,), aggregation="mean")
    assert model.pool is v and any(x is v for x in model.non_trainable_variables)


def test_duplicate_regularizers_are_refused():
    with pytest.raises(ConfigError, match=r"\['gp'\] listed twice"):
        tiny_config("wgan_gp", {"model": {"regularizers": [{"name": "gradient_penalty"},
                                                            {"name": "gradient_penalty"}]}})


def test_keras_from_config_is_not_shadowed():
    assert GANModel.from_config.__func__ is keras.Model.from_config.__func__
    assert callable(GANModel.from_run_config)


def test_all_gather_gives_every_replica_the_global_batch():
    from tfgan_zoo import distribute
    strategy = two_cpu_strategy()
    x = np.arange(8, dtype="float32").reshape(4, 2)
    dist = strategy.experimental_distribute_dataset(tf.data.Dataset.from_tensors(x))

    @tf.function
    def gather(batch):
        return strategy.run(distribute.all_gather, args=(batch,))

    for part in strategy.experimental_local_results(gather(next(iter(dist)))):
        np.testing.assert_array_equal(part.numpy(), x)
    np.testing.assert_array_equal(distribute.all_gather(tf.constant(x)).numpy(), x)  # one device
