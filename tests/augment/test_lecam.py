"""LeCam regulariser against NumPy (the reference's EMA and term, step by step), its state, and
replicas."""
import numpy as np
import pytest
import tensorflow as tf

from tests.augment.host import Host
from tests.testing import two_cpu_strategy
from tfgan_zoo.errors import ConfigError
from tfgan_zoo.losses import Regularizer
from tfgan_zoo.losses.lecam import LeCam, lecam_term
from tfgan_zoo.registry import REGULARIZERS


def reference(steps, weight=0.3, decay=0.9, start=3):
    """lecam-gan's loop: itr = step + 1; ema.update (decay 0 while itr < start) on each D update,
    then LC * lecam_reg when itr > start."""
    ema_real = ema_fake = 1000.0
    out = []
    for step, (d_real, d_fake) in enumerate(steps):
        itr = step + 1
        k = 0.0 if itr < start else decay
        ema_fake = ema_fake * k + d_fake.mean() * (1 - k)
        ema_real = ema_real * k + d_real.mean() * (1 - k)
        reg = np.mean(np.maximum(d_real - ema_fake, 0) ** 2) + np.mean(np.maximum(ema_real - d_fake, 0) ** 2)
        out.append((weight * reg if itr > start else 0.0, ema_real, ema_fake))
    return out


def scores(seed, n=10):
    rng = np.random.default_rng(seed)
    steps = []
    for t in range(n):  # D separating more and more, with overlap so that both relus fire
        steps.append((rng.normal(0.2 * t, 1.0, (8, 1)), rng.normal(-0.2 * t, 1.0, (8, 1))))
    return steps


def test_matches_the_reference_step_by_step():
    host = Host()
    reg = REGULARIZERS.get("lecam")(weight=0.3, decay=0.9, start=3)
    assert isinstance(reg, Regularizer) and reg.name == "lecam"
    reg.build(host)
    steps = scores(0)
    for (d_real, d_fake), (term, ema_real, ema_fake) in zip(steps, reference(steps)):
        outputs = {"real": tf.constant(d_real, tf.float32), "fake": tf.constant(d_fake, tf.float32)}
        got = float(reg.discriminator_term(host, {}, None, outputs))
        assert got == pytest.approx(term, rel=1e-5, abs=1e-7)
        assert float(host.lecam_anchor_real.numpy()) == pytest.approx(ema_real, rel=1e-5)
        assert float(host.lecam_anchor_fake.numpy()) == pytest.approx(ema_fake, rel=1e-5)
        host.step.assign_add(1)
    assert got > 0
    assert reg.generator_term(host, {}, None, outputs) is None


def test_term_against_numpy_and_its_gradient():
    rng = np.random.default_rng(1)
    d_real, d_fake = rng.normal(size=(16, 1)), rng.normal(size=(16, 1))
    expected = np.mean(np.maximum(d_real - 0.1, 0) ** 2) + np.mean(np.maximum(0.3 - d_fake, 0) ** 2)
    real, fake = tf.constant(d_real, tf.float32), tf.constant(d_fake, tf.float32)
    with tf.GradientTape() as tape:
        tape.watch([real, fake])
        term = lecam_term(real, fake, 0.3, 0.1)
    assert float(term) == pytest.approx(expected, rel=1e-5)
    g_real, g_fake = tape.gradient(term, [real, fake])
    np.testing.assert_allclose(g_real.numpy(), 2 * np.maximum(d_real - 0.1, 0) / 16, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(g_fake.numpy(), -2 * np.maximum(0.3 - d_fake, 0) / 16, rtol=1e-5, atol=1e-7)


def test_two_replicas_match_one_device():
    steps = scores(2, n=4)
    one = Host()
    reg1 = LeCam(start=1)
    reg1.build(one)
    expected = []
    for d_real, d_fake in steps:
        expected.append(float(reg1.discriminator_term(one, {}, None, {"real": tf.constant(d_real, tf.float32),
                                                                       "fake": tf.constant(d_fake, tf.float32)})))
        one.step.assign_add(1)
    strategy = two_cpu_strategy()
    with strategy.scope():
        host = Host()
        reg = LeCam(start=1)
        reg.build(host)

    def split(a):
        return strategy.experimental_distribute_values_from_function(
            lambda ctx: tf.constant(a[4 * ctx.replica_id_in_sync_group:4 * (ctx.replica_id_in_sync_group + 1)],
                                    tf.float32))

    @tf.function
    def term(d_real, d_fake):
        return strategy.run(lambda r, f: reg.discriminator_term(host, {}, None, {"real": r, "fake": f}),
                            args=(d_real, d_fake))

    for (d_real, d_fake), want in zip(steps, expected):
        parts = strategy.experimental_local_results(term(split(d_real), split(d_fake)))
        assert np.mean([float(t) for t in parts]) == pytest.approx(want, rel=1e-5)  # the global-batch mean
        host.step.assign_add(1)
    assert float(host.lecam_anchor_real.numpy()) == pytest.approx(float(one.lecam_anchor_real.numpy()), rel=1e-6)


def test_bad_options_and_missing_build():
    for kwargs in ({"weight": -1.0}, {"decay": 1.0}, {"start": -1}, {"start": 1.5}):
        with pytest.raises(ConfigError):
            LeCam(**kwargs)
    with pytest.raises(RuntimeError, match="build"):
        LeCam().discriminator_term(Host(), {}, None, {"real": tf.zeros((2, 1)), "fake": tf.zeros((2, 1))})


def test_trains_in_a_family_with_its_anchors_in_the_model_state():
    from tests.testing import build, fit_steps, tiny_config

    cfg = tiny_config("dcgan", {"model": {"regularizers": [{"name": "lecam", "start": 2}]}})
    ds, _, model = build(cfg)
    history = fit_steps(model, cfg, ds, 3)
    names = {v.path.split("/")[-1] for v in model.variables}
    assert {"lecam_anchor_real", "lecam_anchor_fake"} <= names
    assert abs(float(model.lecam_anchor_real.numpy())) < 100  # followed D's outputs, not the 1,000 start
    assert np.isfinite(history["lecam"]).all() and history["lecam"][-1] > 0
