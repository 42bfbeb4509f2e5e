"""DiffAugment against a direct NumPy version on the same draws; gradients; replicas; config."""
import numpy as np
import pytest
import tensorflow as tf

from tests.augment.host import Draws, Host
from tests.testing import two_cpu_strategy
from tfgan_zoo.augment import DiffAugment, build_augmentation
from tfgan_zoo.errors import ConfigError


def numpy_diffaugment(x, draws, translation_ratio=0.125, cutout_ratio=0.5):
    """The reference's ops written out pixel by pixel, replaying the draws in order."""
    it = iter(draws)
    b, h, w, _ = x.shape
    x = x + (next(it) - 0.5)                                   # brightness
    m = x.mean(axis=3, keepdims=True)
    x = (x - m) * (2.0 * next(it)) + m                         # saturation
    m = x.mean(axis=(1, 2, 3), keepdims=True)
    x = (x - m) * (next(it) + 0.5) + m                         # contrast
    u, s = next(it), int(h * translation_ratio)
    out = np.zeros_like(x)
    for i in range(b):
        dy, dx = (min(int(np.floor(v * (2 * s + 1))), 2 * s) - s for v in u[i])
        for r in range(h):
            for q in range(w):
                if 0 <= r + dy < h and 0 <= q + dx < w:
                    out[i, r, q] = x[i, r + dy, q + dx]
    x = out
    u, cs = next(it), int(h * cutout_ratio)
    for i in range(b):
        cy = min(int(np.floor(u[i, 0] * (h - cs % 2 + 1))), h - cs % 2)
        cx = min(int(np.floor(u[i, 1] * (w - cs % 2 + 1))), w - cs % 2)
        top, left = cy - cs // 2, cx - cs // 2
        x[i, max(top, 0):max(top + cs, 0), max(left, 0):max(left + cs, 0)] = 0.0
    return x


@pytest.mark.parametrize("channels", [1, 3])
def test_matches_numpy_on_the_same_draws(channels):
    x = np.random.default_rng(1).uniform(-1, 1, (6, 8, 8, channels)).astype(np.float32)
    draws = Draws(2)
    out = DiffAugment()(tf.constant(x), draws).numpy()
    assert [d.shape for d in draws.log] == [(6, 1, 1, 1)] * 3 + [(6, 2)] * 2
    np.testing.assert_allclose(out, numpy_diffaugment(x.astype(np.float64), draws.log), atol=1e-5)
    assert np.any(out == 0.0)  # the cutout square


def test_each_policy_alone_and_the_ranges():
    x = np.random.default_rng(0).uniform(-1, 1, (64, 16, 16, 3)).astype(np.float32)
    moved = DiffAugment(policy=["translation"])(tf.constant(x), Draws(0)).numpy()
    # shifts up to 16 // 8 = 2 px: the centre 12x12 of every image is a shifted copy, never zero fill
    assert np.all(moved[:, 2:14, 2:14] != 0.0)
    assert np.mean(np.all(moved == x, axis=(1, 2, 3))) < 0.2  # (0, 0) with probability 1/25
    cut = DiffAugment(policy="cutout", cutout_ratio=0.25)(tf.constant(x), Draws(0)).numpy()
    zeros = (cut == 0.0).all(axis=3).sum(axis=(1, 2))
    assert zeros.max() == 16 and zeros.min() >= 4  # a 4x4 square, at most cut to 2x2 at a corner
    assert DiffAugment(policy="color").policy == ("color",)


def test_gradients_flow_to_the_images():
    x = tf.constant(np.random.default_rng(0).uniform(-1, 1, (4, 8, 8, 3)), tf.float32)
    weights = tf.constant(np.random.default_rng(1).normal(size=(4, 8, 8, 3)), tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(DiffAugment()(x, Draws(0)) * weights)
    g = tape.gradient(y, x).numpy()
    assert np.all(np.isfinite(g)) and np.count_nonzero(g) > 0.3 * g.size


def test_two_replicas_augment_as_one_device():
    x = np.random.default_rng(0).uniform(-1, 1, (8, 8, 8, 3)).astype(np.float32)
    aug = DiffAugment()
    one = Host(seed=5)
    expected = aug(tf.constant(x), one.random_uniform).numpy()
    strategy = two_cpu_strategy()
    with strategy.scope():
        host = Host(seed=5)
    halves = strategy.experimental_distribute_values_from_function(
        lambda ctx: tf.constant(x[4 * ctx.replica_id_in_sync_group:4 * (ctx.replica_id_in_sync_group + 1)]))

    @tf.function
    def step(images):
        return strategy.run(lambda im: aug(im, host.random_uniform), args=(images,))

    got = np.concatenate([t.numpy() for t in strategy.experimental_local_results(step(halves))])
    np.testing.assert_allclose(got, expected, atol=1e-6)
    assert not np.allclose(expected, x)


def test_config_errors_are_one_line():
    assert isinstance(build_augmentation({"name": "diffaugment", "policy": "color,cutout"}), DiffAugment)
    for spec, match in [({"name": "diffaugmnt"}, "did you mean 'diffaugment'"),
                        ({"name": "diffaugment", "polcy": "color"}, "no option 'polcy'"),
                        ({"name": "diffaugment", "policy": "colour"}, "unknown policy 'colour'"),
                        ({"name": "diffaugment", "cutout_ratio": 2}, "cutout_ratio must be"),
                        ("diffaugment", "mapping with a 'name'")]:
        with pytest.raises(ConfigError, match=match) as err:
            build_augmentation(spec)
        assert "\n" not in str(err.value)
