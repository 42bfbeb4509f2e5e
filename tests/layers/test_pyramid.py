"""The Laplacian pyramid: exact reconstruction, and the operators against NumPy."""
import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo.data.digits import load_digit_images
from tfgan_zoo.layers.pyramid import downsample, gaussian_levels, pyramid, reconstruct, upsample

RNG = np.random.default_rng(0)


def numpy_down(x):
    b, h, w, c = x.shape
    return x.reshape(b, h // 2, 2, w // 2, 2, c).mean(axis=(2, 4))


def numpy_up(x):
    """Bilinear 2x with half-pixel centres, per axis: 2i -> 3/4 x[i] + 1/4 x[i-1], 2i+1 -> 3/4 x[i] +
    1/4 x[i+1], indices clamped at the edges."""
    for axis in (1, 2):
        n = x.shape[axis]
        idx = np.arange(n)
        here = x
        before = np.take(x, np.maximum(idx - 1, 0), axis=axis)
        after = np.take(x, np.minimum(idx + 1, n - 1), axis=axis)
        even, odd = 0.75 * here + 0.25 * before, 0.75 * here + 0.25 * after
        out = np.stack([even, odd], axis=axis + 1)
        shape = list(x.shape)
        shape[axis] = 2 * n
        x = out.reshape(shape)
    return x


def test_operators_match_numpy_and_tf_image_resize():
    x = RNG.standard_normal((2, 8, 6, 3)).astype("float32")
    np.testing.assert_allclose(np.asarray(downsample(x)), numpy_down(x.astype(np.float64)), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(np.asarray(upsample(x)), numpy_up(x.astype(np.float64)), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(np.asarray(upsample(x)), tf.image.resize(x, [16, 12], method="bilinear").numpy(),
                               atol=1e-6)
    np.testing.assert_allclose(np.asarray(downsample(x)), tf.image.resize(x, [4, 3], method="bilinear").numpy(),
                               atol=1e-6)


@pytest.mark.parametrize("levels", [1, 2, 3, 4])
def test_reconstruct_of_pyramid_is_the_input_bit_for_bit(levels):
    # 8-bit images scaled to [-1, 1) by a power of two, as stored images are
    x = (RNG.integers(0, 256, (3, 32, 32, 3)) / 128.0 - 1.0).astype("float32")
    bands = pyramid(x, levels)
    assert [tuple(b.shape) for b in bands] == [(3, 32 >> k, 32 >> k, 3) for k in range(levels)]
    np.testing.assert_array_equal(np.asarray(reconstruct(bands)), x)
    raw_digits = load_digit_images(8)[0][:64]   # values v / 8 - 1: exact as well
    np.testing.assert_array_equal(np.asarray(reconstruct(pyramid(raw_digits, 3))), raw_digits)


def test_reconstruct_is_within_rounding_for_any_float_input():
    x = load_digit_images(32)[0][:32]           # bilinear-resized digits: arbitrary floats
    bands = pyramid(x, 3)
    np.testing.assert_allclose(np.asarray(reconstruct(bands)), x, rtol=0, atol=4e-7)
    # the coarse level is the Gaussian level, the residuals are what upsampling misses
    levels = gaussian_levels(x, 3)
    np.testing.assert_allclose(np.asarray(bands[-1]), np.asarray(levels[-1]), atol=1e-7)
    np.testing.assert_allclose(np.asarray(bands[0]), x - numpy_up(np.asarray(levels[1], np.float64)), atol=1e-6)


def test_residuals_of_a_smooth_image_are_small_and_of_edges_large():
    ramp = np.tile(np.linspace(-1, 1, 32, dtype="float32"), (32, 1))[None, :, :, None]
    assert np.abs(np.asarray(pyramid(ramp, 2)[0]))[:, 1:-1, 1:-1].max() < 1e-6  # bilinear is exact inside
    edge = np.where(np.arange(32) < 15, -1.0, 1.0).astype("float32")[None, None, :, None] * np.ones((1, 32, 1, 1),
                                                                                                     "float32")
    assert np.abs(np.asarray(pyramid(edge, 2)[0])).max() > 0.2


def test_bad_inputs():
    with pytest.raises(ValueError, match="even"):
        downsample(np.zeros((1, 5, 4, 1), "float32"))
    with pytest.raises(ValueError, match="NHWC"):
        upsample(np.zeros((4, 4, 1), "float32"))
    with pytest.raises(ValueError, match="at least one level"):
        pyramid(np.zeros((1, 4, 4, 1), "float32"), 0)
