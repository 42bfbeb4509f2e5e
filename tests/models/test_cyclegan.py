"""CycleGAN: its terms against NumPy, the image pool as model state (replicas, checkpoints).

The family harness (tests/test_families.py) trains it like every family, with a pool of 6 that
fills in the second of its steps, so its two-replica and resume checks cover the pool in use.
"""
import numpy as np
import pytest
import tensorflow as tf

from tests.testing import build, tiny_config, two_cpu_strategy
from tfgan_zoo.checkpoint import RunCheckpoint
from tfgan_zoo.errors import ConfigError

POOL = 6


def tiny(**model):
    cfg = tiny_config("cyclegan", {"model": {"pool_size": POOL, **model}})
    return cfg, build(cfg)[2]


def batch_of(seed, n=4, size=8):
    rng = np.random.default_rng(seed)
    return {name: tf.constant(rng.uniform(-1, 1, (n, size, size, 3)), tf.float32) for name in ("a", "b")}


def np_(x):
    return np.asarray(x, np.float64)


def test_generator_terms_against_numpy():
    _, model = tiny()
    batch = batch_of(0)
    a, b = np_(batch["a"]), np_(batch["b"])
    fake = model.generate(batch, training=True)
    terms, _ = model.generator_terms(batch, fake)
    g, f = (lambda x: np_(model.g_ab(x, training=True))), (lambda x: np_(model.g_ba(x, training=True)))
    fake_b, fake_a = g(a), f(b)
    expected = {
        "g_cycle_a": 10 * np.abs(f(fake_b) - a).mean(), "g_cycle_b": 10 * np.abs(g(fake_a) - b).mean(),
        "g_identity_a": 5 * np.abs(f(a) - a).mean(), "g_identity_b": 5 * np.abs(g(b) - b).mean(),
        # the official (D(G(a)) - 1)^2, no 1/2
        "g_adv_ab": np.mean((np_(model.d_b(fake_b, training=True)) - 1) ** 2),
        "g_adv_ba": np.mean((np_(model.d_a(fake_a, training=True)) - 1) ** 2),
    }
    assert sorted(terms) == sorted(expected)
    for name, value in expected.items():
        assert float(terms[name]) == pytest.approx(value, rel=1e-5), name
    _, plain = tiny(identity_factor=0.0)
    assert "g_identity_a" not in plain.generator_terms(batch, plain.generate(batch, True))[0]


def test_discriminator_terms_against_numpy_without_pool():
    _, model = tiny(pool_size=0)
    batch = batch_of(1)
    fake = model.generate(batch, training=True)
    terms, _ = model.discriminator_terms(batch, fake)
    for d, real, fake_images, name in ((model.d_b, batch["b"], fake["images_ab"], "d_adv_b"),
                                       (model.d_a, batch["a"], fake["images_ba"], "d_adv_a")):
        expected = 0.5 * np.mean((np_(d(real, training=True)) - 1) ** 2) + 0.5 * np.mean(
            np_(d(fake_images, training=True)) ** 2)
        assert float(terms[name]) == pytest.approx(expected, rel=1e-5)
    assert not hasattr(model, "pool_a")


def tagged(step, n=4, size=8):
    values = np.arange(step * n, (step + 1) * n, dtype=np.float32) / 100.0
    return np.broadcast_to(values[:, None, None, None], (n, size, size, 3)).copy()


def query_steps(model, steps, strategy=None):
    """model.pooled("a", tagged images) for each step, as in a train step; returns the outputs."""
    def one(images):
        model._begin_step()
        out = model.pooled("a", images)
        model._rng.seed = None
        return out

    outputs, one = [], tf.function(one)
    for step in range(steps):
        images = tagged(step)
        if strategy is None:
            outputs.append(one(tf.constant(images)).numpy())
            continue
        half = len(images) // 2
        local = strategy.experimental_distribute_values_from_function(
            lambda ctx, images=images: tf.constant(images[ctx.replica_id_in_sync_group * half:][:half]))
        per_replica = strategy.run(one, args=(local,))
        outputs.append(np.concatenate([t.numpy() for t in strategy.experimental_local_results(per_replica)]))
    return outputs


def test_two_replicas_keep_the_pool_one_device_keeps():
    cfg, one = tiny()
    strategy = two_cpu_strategy()
    two = build(cfg, strategy)[2]
    expected, got = query_steps(one, 3), query_steps(two, 3, strategy)
    for e, g in zip(expected, got):
        np.testing.assert_array_equal(g, e)
    np.testing.assert_array_equal(two.pool_a.numpy(), one.pool_a.numpy())
    assert int(two.pool_a_count.numpy()) == int(one.pool_a_count.numpy()) == POOL
    returned = np.concatenate(expected)[:, 0, 0, 0]
    assert (returned != np.concatenate([tagged(s) for s in range(3)])[:, 0, 0, 0]).any()  # swaps happened
    np.testing.assert_array_equal(returned[:POOL], np.arange(POOL, dtype=np.float32) / 100.0)  # the filling queries: as given


def test_the_pool_survives_a_checkpoint_round_trip(tmp_path):
    _, model = tiny()
    query_steps(model, 2)
    RunCheckpoint(str(tmp_path), model).save(2)
    _, restored = tiny()
    RunCheckpoint(str(tmp_path), restored).restore()
    np.testing.assert_array_equal(restored.pool_a.numpy(), model.pool_a.numpy())
    assert int(restored.pool_a_count.numpy()) == POOL
    assert np.abs(restored.pool_a.numpy()).max() > 0
    # the same draws afterwards (the seed generator is checkpointed too): the same next query
    np.testing.assert_array_equal(query_steps(restored, 1)[0], query_steps(model, 1)[0])


def test_cyclegan_needs_two_streams_and_no_ema():
    with pytest.raises(ConfigError, match="two unpaired streams 'a' and 'b'.*'digits' has one") as err:
        build(tiny_config("cyclegan", {"data": {"name": "digits"}}))
    assert "\n" not in str(err.value)
    with pytest.raises(ConfigError, match="cyclegan: ema_decay needs one generator to average"):
        build(tiny_config("cyclegan", {"model": {"ema_decay": 0.9}}))


def test_export_endpoints_and_preview():
    _, model = tiny()
    endpoints = {e.name: e for e in model.export_endpoints()}
    assert list(endpoints) == ["translate_ab", "translate_ba"]
    assert endpoints["translate_ab"].inputs["images"].shape.as_list() == [None, 8, 8, 3]
    a = batch_of(2)["a"]
    np.testing.assert_allclose(endpoints["translate_ba"].fn(images=a)["images"], model.translate_ba(a), atol=1e-6)
    row = model.preview(model.preview_inputs(12, 0, {"real": a.numpy()}))
    assert row.shape == (3, 8, 24, 3)
    np.testing.assert_allclose(row[:, :, 8:16], model.translate_ab(a[:3]), atol=1e-6)
    np.testing.assert_allclose(row[:, :, 16:], model.translate_ba(model.translate_ab(a[:3])), atol=1e-6)
