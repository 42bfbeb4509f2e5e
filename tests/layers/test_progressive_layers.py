"""PixelNorm, MinibatchStdDev, LevelFade and Blur2D against NumPy."""
import numpy as np
import pytest
import scipy.ndimage
import tensorflow as tf

from tests.layers.roundtrip import assert_round_trip
from tests.testing import two_cpu_strategy
from tfgan_zoo.layers.progressive import Blur2D, LevelFade, MinibatchStdDev, PixelNorm, group_size_for

RNG = np.random.default_rng(0)


def test_pixel_norm_matches_numpy():
    x = RNG.normal(0.0, 3.0, (2, 3, 3, 5)).astype("float32")
    expected = x / np.sqrt(np.mean(x.astype(np.float64) ** 2, axis=-1, keepdims=True) + 1e-8)
    np.testing.assert_allclose(PixelNorm()(x).numpy(), expected, rtol=1e-5)
    assert PixelNorm().epsilon == 1e-8
    np.testing.assert_allclose(PixelNorm()(np.zeros((1, 4), "float32")).numpy(), 0.0)  # epsilon: no NaN


def numpy_mbstd(x, group_size, num_features=1, eps=1e-8):
    """Direct loops: sample n belongs to group n // G (G consecutive samples per group)."""
    n, h, w, c = x.shape
    g = max(d for d in range(1, min(group_size, n) + 1) if n % d == 0)
    m = n // g
    per_channel = c // num_features
    stat = np.zeros((n, num_features))
    for k in range(m):
        members = [k * g + j for j in range(g)]
        block = x[members].astype(np.float64)                    # [G, H, W, C]
        std = np.sqrt(block.var(axis=0) + eps)                   # biased variance over the group
        for f in range(num_features):
            value = std[..., f * per_channel:(f + 1) * per_channel].mean()
            stat[members, f] = value
    maps = np.broadcast_to(stat[:, None, None, :], (n, h, w, num_features))
    return np.concatenate([x, maps], axis=-1)


@pytest.mark.parametrize("batch, group, features", [(6, 4, 1), (8, 4, 1), (6, 4, 2), (3, 4, 1), (5, 4, 1)])
def test_minibatch_stddev_matches_numpy(batch, group, features):
    x = RNG.normal(size=(batch, 3, 3, 4)).astype("float32")
    out = MinibatchStdDev(group, features)(x).numpy()
    assert out.shape == (batch, 3, 3, 4 + features)
    np.testing.assert_allclose(out, numpy_mbstd(x, group, features), rtol=1e-5, atol=1e-6)


def test_group_size_for_non_divisible_batches():
    assert [group_size_for(n, 4) for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 12)] == [1, 2, 3, 4, 1, 3, 1, 4, 3, 4]


def test_minibatch_stddev_with_an_unknown_batch_size_in_the_graph():
    layer = MinibatchStdDev(4)
    fn = tf.function(layer, input_signature=[tf.TensorSpec([None, 2, 2, 3], tf.float32)])
    for batch in (6, 4, 5):
        x = RNG.normal(size=(batch, 2, 2, 3)).astype("float32")
        np.testing.assert_allclose(fn(x).numpy(), numpy_mbstd(x, 4), rtol=1e-5, atol=1e-6)


def test_minibatch_stddev_on_two_replicas_equals_one_device():
    strategy = two_cpu_strategy()
    layer = MinibatchStdDev(4)
    x = RNG.normal(size=(16, 2, 2, 3)).astype("float32")
    dist = strategy.experimental_distribute_dataset(tf.data.Dataset.from_tensors(x))
    per_replica = strategy.run(tf.function(layer), args=(next(iter(dist)),))
    both = np.concatenate([t.numpy() for t in strategy.experimental_local_results(per_replica)])
    np.testing.assert_allclose(both, numpy_mbstd(x, 4), rtol=1e-5, atol=1e-6)


def test_minibatch_stddev_of_identical_samples_is_sqrt_epsilon():
    x = np.repeat(RNG.normal(size=(1, 2, 2, 3)), 4, axis=0).astype("float32")
    np.testing.assert_allclose(MinibatchStdDev(4)(x).numpy()[..., -1], 1e-4, rtol=1e-3)


def test_level_fade_endpoints_are_exact():
    fine = RNG.normal(size=(3, 2, 2, 1)).astype("float32")
    coarse = RNG.normal(size=(3, 2, 2, 1)).astype("float32")
    layer = LevelFade(1)
    lod = np.array([[0.5], [2.0], [1.25]], "float32")   # t = 0, 1, 0.25
    out = layer([fine, coarse, lod]).numpy()
    np.testing.assert_array_equal(out[0], fine[0])
    np.testing.assert_array_equal(out[1], coarse[1])
    np.testing.assert_allclose(out[2], 0.75 * fine[2] + 0.25 * coarse[2], rtol=1e-6)


def test_blur_matches_a_zero_padded_numpy_convolution():
    x = RNG.normal(size=(2, 5, 6, 3)).astype("float32")
    f = np.outer([1, 2, 1], [1, 2, 1]) / 16.0
    expected = scipy.ndimage.convolve(x.astype(np.float64), f[None, :, :, None], mode="constant")
    np.testing.assert_allclose(Blur2D()(x).numpy(), expected, rtol=1e-5, atol=1e-6)
    constant = np.ones((1, 4, 4, 2), "float32")
    assert Blur2D()(constant).numpy()[0, 1:3, 1:3].min() == pytest.approx(1.0)  # unit DC gain inside


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="group_size"):
        MinibatchStdDev(0)
    with pytest.raises(ValueError, match="split"):
        MinibatchStdDev(4, 2)(np.zeros((4, 2, 2, 3), "float32"))
    with pytest.raises(ValueError, match="level"):
        LevelFade(-1)


@pytest.mark.parametrize("make, inputs", [
    (lambda: PixelNorm(epsilon=1e-6, name="pn"), RNG.normal(size=(2, 3, 3, 2)).astype("float32")),
    (lambda: MinibatchStdDev(2, 2, name="mbstd"), RNG.normal(size=(4, 2, 2, 4)).astype("float32")),
    (lambda: Blur2D((1, 3, 3, 1), name="blur"), RNG.normal(size=(2, 4, 4, 2)).astype("float32")),
    (lambda: LevelFade(2, name="fade"), [RNG.normal(size=(2, 2, 2, 1)).astype("float32"),
                                        RNG.normal(size=(2, 2, 2, 1)).astype("float32"),
                                        np.array([[2.5], [1.0]], "float32")]),
])
def test_round_trip(make, inputs, tmp_path):
    assert_round_trip(make(), inputs, tmp_path)
