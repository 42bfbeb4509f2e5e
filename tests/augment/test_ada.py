"""ADA: the blit and colour groups against NumPy on the same draws (the reference's 4x4 colour
matrices), p = 0 is the identity, gradients, replicas, and the p heuristic with its resume."""
import math

import numpy as np
import pytest
import scipy.special
import tensorflow as tf

from tests.augment.host import Draws, Host
from tests.testing import two_cpu_strategy
from tfgan_zoo.augment import ADA, build_augmentation
from tfgan_zoo.errors import ConfigError


def built(p=0.0, **options):
    host = Host()
    aug = ADA(p=p, **options)
    aug.build(host)
    return host, aug


def normal(u):
    return scipy.special.ndtri(np.clip(u, 1e-7, 1 - 1e-7))


def numpy_blit(x, it, p, xint_max=0.125):
    b, h, w, _ = x.shape
    gate_f, u_f, gate_r, u_r = next(it), next(it), next(it), next(it)
    t, gate_t = next(it), next(it)
    out = np.empty_like(x)
    for i in range(b):
        img = x[i]
        if gate_f[i] < p and math.floor(u_f[i] * 2) == 1:
            img = img[:, ::-1]
        if gate_r[i] < p:
            img = np.rot90(img, math.floor(u_r[i] * 4), axes=(0, 1))
        dy, dx = np.round(((t[i] * 2 - 1) * xint_max if gate_t[i, 0] < p else np.zeros(2)) * w).astype(int)
        pad = math.ceil(xint_max * w)
        padded = np.pad(img, [(pad, pad), (pad, pad), (0, 0)], mode="reflect")
        out[i] = padded[pad - dy:pad - dy + h, pad - dx:pad - dx + w]
    return out


def numpy_color(x, it, p, channels):
    """The reference's (augment.py) colour transform: 4x4 matrices composed by left products."""
    b = x.shape[0]
    v = np.array([1, 1, 1, 0]) / np.sqrt(3)
    vv = np.outer(v, v)
    out = np.empty_like(x)
    gates = {}
    for name in ("brightness", "contrast", "lumaflip") + (("hue", "saturation") if channels == 3 else ()):
        gates[name] = (next(it), next(it))
    for i in range(b):
        C = np.eye(4)
        (g, u) = gates["brightness"]
        bri = normal(u[i]) * 0.2 if g[i] < p else 0.0
        T = np.eye(4)
        T[:3, 3] = bri
        C = T @ C
        (g, u) = gates["contrast"]
        c = 2 ** (normal(u[i]) * 0.5) if g[i] < p else 1.0
        C = np.diag([c, c, c, 1.0]) @ C
        (g, u) = gates["lumaflip"]
        flip = math.floor(u[i] * 2) if g[i] < p else 0
        C = (np.eye(4) - 2 * vv * flip) @ C
        if channels == 3:
            (g, u) = gates["hue"]
            th = (u[i] * 2 - 1) * np.pi if g[i] < p else 0.0
            vx, vy, vz = v[:3]
            s, co, cc = np.sin(th), np.cos(th), 1 - np.cos(th)
            R = np.array([[vx * vx * cc + co, vx * vy * cc - vz * s, vx * vz * cc + vy * s, 0],
                          [vy * vx * cc + vz * s, vy * vy * cc + co, vy * vz * cc - vx * s, 0],
                          [vz * vx * cc - vy * s, vz * vy * cc + vx * s, vz * vz * cc + co, 0],
                          [0, 0, 0, 1]])
            C = R @ C
            (g, u) = gates["saturation"]
            sat = 2 ** (normal(u[i]) * 1.0) if g[i] < p else 1.0
            C = (vv + (np.eye(4) - vv) * sat) @ C
        pixels = x[i].reshape(-1, channels)
        if channels == 3:
            out[i] = (pixels @ C[:3, :3].T + C[:3, 3]).reshape(x[i].shape)
        else:
            row = C[:3, :].mean(axis=0)
            out[i] = (pixels * row[:3].sum() + row[3]).reshape(x[i].shape)
    return out


@pytest.mark.parametrize("channels,p", [(3, 1.0), (3, 0.5), (1, 1.0), (1, 0.6)])
def test_matches_numpy_on_the_same_draws(channels, p):
    x = np.random.default_rng(channels).uniform(-1, 1, (12, 16, 16, channels)).astype(np.float32)
    _, aug = built(p=p)
    draws = Draws(int(10 * p))
    out = aug(tf.constant(x), draws).numpy()
    it = iter(draws.log)
    expected = numpy_color(numpy_blit(x.astype(np.float64), it, p), it, p, channels)
    assert next(it, None) is None  # every draw replayed
    np.testing.assert_allclose(out, expected, atol=2e-5)
    assert np.mean(np.all(np.isclose(out, x), axis=(1, 2, 3))) < 0.5


def test_groups_alone():
    x = np.random.default_rng(0).uniform(-1, 1, (8, 8, 8, 3)).astype(np.float32)
    _, aug = built(p=1.0, groups="blit")
    out = aug(tf.constant(x), Draws(0)).numpy()
    # pixel blitting moves pixels only: every output value is one of the image's own values
    for i in range(8):
        assert np.isin(out[i], x[i]).all()
    _, colour = built(p=1.0, groups=["color"])
    assert len(colour.groups) == 1 and not np.isin(colour(tf.constant(x), Draws(0)).numpy(), x).all()


@pytest.mark.parametrize("channels", [1, 3])
def test_p_zero_is_the_identity(channels):
    x = np.random.default_rng(0).uniform(-1, 1, (16, 8, 8, channels)).astype(np.float32)
    _, aug = built(p=0.0)
    np.testing.assert_array_equal(aug(tf.constant(x), Draws(0)).numpy(), x)


def test_gradients_flow_to_the_images():
    x = tf.constant(np.random.default_rng(0).uniform(-1, 1, (6, 8, 8, 3)), tf.float32)
    weights = tf.constant(np.random.default_rng(1).normal(size=(6, 8, 8, 3)), tf.float32)
    _, aug = built(p=1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(aug(x, Draws(0)) * weights)
    g = tape.gradient(y, x).numpy()
    assert np.all(np.isfinite(g)) and np.count_nonzero(g) > 0.5 * g.size


def reference_p(signs_per_step, batch, target=0.6, kimg=500.0, interval=4, p=0.0):
    """training_loop.py's heuristic: every `interval` steps, p += sign(mean sign - target) *
    (batch * interval) / (kimg * 1000), floored at 0."""
    ps, acc = [], []
    for step, signs in enumerate(signs_per_step, start=1):
        acc.extend(signs)
        if step % interval == 0:
            p = max(p + np.sign(np.mean(acc) - target) * (batch * interval) / (kimg * 1000), 0.0)
            acc = []
        ps.append(p)
    return ps


def test_p_follows_the_reference_heuristic_and_resumes_exactly(tmp_path):
    rng = np.random.default_rng(0)
    logits = [rng.normal(loc, 1.0, (16, 1)).astype(np.float32) for loc in np.linspace(2.0, -1.0, 40)]
    expected = reference_p([np.sign(d).ravel() for d in logits], 16, kimg=0.5)
    host, aug = built(ada_kimg=0.5)
    got = [float(aug.update(host, tf.constant(d))["ada_p"]) for d in logits]
    np.testing.assert_allclose(got, expected, atol=1e-6)
    assert max(got) > 0.3 and got[-1] < max(got)  # p rose while D was confident, then fell
    # resume mid-interval: a checkpoint after 22 steps continues the same p sequence
    host, aug = built(ada_kimg=0.5)
    for d in logits[:22]:
        aug.update(host, tf.constant(d))
    path = tf.train.Checkpoint(**{k: v for k, v in vars(host).items() if k.startswith("ada_")}).save(
        str(tmp_path / "ck"))
    fresh_host, fresh = built(ada_kimg=0.5)
    tf.train.Checkpoint(**{k: v for k, v in vars(fresh_host).items() if k.startswith("ada_")}).restore(path)
    resumed = [float(fresh.update(fresh_host, tf.constant(d))["ada_p"]) for d in logits[22:]]
    np.testing.assert_allclose(resumed, got[22:], atol=0)


def test_p_reaches_one_in_ada_kimg_images_and_a_fixed_p_stays():
    host, aug = built(ada_kimg=1.0, interval=1)  # 1,000 images; batch 100: 10 steps
    confident = tf.ones((100, 1))
    ps = [float(aug.update(host, confident)["ada_p"]) for _ in range(10)]
    assert ps[-1] == pytest.approx(1.0) and ps[-2] < 1.0
    host, fixed = built(p=0.3, adaptive=False)
    assert float(fixed.update(host, confident)["ada_p"]) == pytest.approx(0.3)


def test_two_replicas_augment_and_update_as_one_device():
    x = np.random.default_rng(0).uniform(-1, 1, (8, 8, 8, 3)).astype(np.float32)
    d = np.random.default_rng(1).normal(0.5, 1.0, (8, 1)).astype(np.float32)
    one, aug1 = built(p=0.7, interval=1, ada_kimg=0.1)
    expected = aug1(tf.constant(x), one.random_uniform).numpy()
    expected_p = float(aug1.update(one, tf.constant(d))["ada_p"])
    strategy = two_cpu_strategy()
    with strategy.scope():
        host = Host()
        aug = ADA(p=0.7, interval=1, ada_kimg=0.1)
        aug.build(host)
    split = lambda a: strategy.experimental_distribute_values_from_function(  # noqa: E731
        lambda ctx: tf.constant(a[4 * ctx.replica_id_in_sync_group:4 * (ctx.replica_id_in_sync_group + 1)]))

    @tf.function
    def step(images, logits):
        def fn(im, lg):
            out = aug(im, host.random_uniform)
            return out, aug.update(host, lg)["ada_p"]
        return strategy.run(fn, args=(images, logits))

    out, p = step(split(x), split(d))
    got = np.concatenate([t.numpy() for t in strategy.experimental_local_results(out)])
    np.testing.assert_allclose(got, expected, atol=1e-5)
    assert [float(v) for v in strategy.experimental_local_results(p)] == pytest.approx([expected_p] * 2)
    assert float(aug.p.numpy()) == pytest.approx(expected_p) and expected_p != pytest.approx(0.7)


def test_config_errors():
    assert isinstance(build_augmentation({"name": "ada", "target": 0.5}), ADA)
    for spec, match in [({"name": "ada", "target": 2}, "target must be"),
                        ({"name": "ada", "groups": "geometric"}, "groups must name"),
                        ({"name": "ada", "interval": 0}, "interval must be an integer"),
                        ({"name": "ada", "adaptive": "yes"}, "adaptive must be true or false"),
                        ({"name": "ada", "p": -0.1}, "p must be")]:
        with pytest.raises(ConfigError, match=match):
            build_augmentation(spec)
    with pytest.raises(RuntimeError, match="build"):
        ADA()(tf.zeros((2, 4, 4, 1)), Draws(0))


def test_state_lives_in_a_gan_models_checkpoint(tmp_path):
    from tests.testing import build, tiny_config

    _, _, model = build(tiny_config("dcgan"))
    aug = ADA(p=0.25, interval=1, ada_kimg=0.1)
    aug.build(model)
    assert {"ada_p", "ada_sign_sum", "ada_sign_count", "ada_steps", "ada_rt"} <= {v.path for v in model.variables}
    images = aug(tf.zeros((4, 8, 8, 1)), model.random_uniform)  # the model's own replica-safe draws
    assert images.shape == (4, 8, 8, 1)
    aug.update(model, tf.ones((16, 1)))
    saved = float(aug.p.numpy())
    path = tf.train.Checkpoint(model=model).save(str(tmp_path / "ck"))
    aug.p.assign(0.0)
    tf.train.Checkpoint(model=model).restore(path)
    assert float(aug.p.numpy()) == saved == pytest.approx(0.25 + 16 / 100)
