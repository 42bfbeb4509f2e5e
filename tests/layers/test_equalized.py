"""Equalized learning rate layers and the modulated convolution against NumPy."""
import math

import keras
import numpy as np
import pytest
import tensorflow as tf

from tests.layers.roundtrip import assert_round_trip, np_conv_same
from tfgan_zoo.layers.equalized import EqualizedConv2D, EqualizedDense
from tfgan_zoo.layers.modulated import ModulatedConv2D

RNG = np.random.default_rng(0)


def _randomise_bias(layer):
    layer.bias.assign(RNG.normal(size=layer.bias.shape).astype("float32"))


def test_dense_scales_weights_at_run_time():
    layer = EqualizedDense(5, gain=1.5, lr_multiplier=0.1)
    x = RNG.normal(size=(3, 4)).astype("float32")
    layer.build(x.shape)
    _randomise_bias(layer)
    w, b = layer.kernel.numpy().astype(np.float64), layer.bias.numpy().astype(np.float64)
    expected = x @ (w * 1.5 / math.sqrt(4) * 0.1) + b * 0.1
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-5, atol=1e-6)


def test_initialisation_stores_unit_weights_and_gives_he_effective_weights():
    for lr_mul in (1.0, 0.01):
        layer = EqualizedDense(400, lr_multiplier=lr_mul, bias_init=1.0)
        layer.build((None, 200))
        stored = layer.kernel.numpy()
        assert stored.std() == pytest.approx(1.0 / lr_mul, rel=0.02)
        assert np.asarray(layer.effective_kernel()).std() == pytest.approx(math.sqrt(2.0 / 200), rel=0.02)
        np.testing.assert_allclose(np.asarray(layer.effective_bias()), 1.0, rtol=1e-6)


def test_lr_multiplier_scales_an_adam_step_on_the_effective_weights():
    """Adam moves stored weights by ~lr whatever the gradient scale, so the effective weights
    move by lr * runtime scale: the multiplier divides the step of the 0.01 layer by 100."""
    x = RNG.normal(size=(8, 6)).astype("float32")
    steps = {}
    for lr_mul in (1.0, 0.01):
        layer = EqualizedDense(3, lr_multiplier=lr_mul)
        layer.build(x.shape)
        before = np.asarray(layer.effective_kernel())
        opt = keras.optimizers.Adam(1e-3)
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.square(layer(x)))
        opt.apply_gradients(zip(tape.gradient(loss, layer.trainable_variables), layer.trainable_variables))
        steps[lr_mul] = np.abs(np.asarray(layer.effective_kernel()) - before).mean()
    assert steps[0.01] / steps[1.0] == pytest.approx(0.01, rel=0.01)  # float32 rounding of stored ~100s


def test_conv_matches_numpy_and_scales_by_fan_in():
    layer = EqualizedConv2D(4, 3, lr_multiplier=0.5)
    x = RNG.normal(size=(2, 5, 5, 3)).astype("float32")
    layer.build(x.shape)
    _randomise_bias(layer)
    k = layer.kernel.numpy().astype(np.float64) * math.sqrt(2.0) / math.sqrt(3 * 3 * 3) * 0.5
    expected = np_conv_same(x.astype(np.float64), k) + layer.bias.numpy() * 0.5
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-4, atol=1e-5)


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="kernel_size"):
        EqualizedConv2D(4, 2)
    with pytest.raises(ValueError, match="lr_multiplier"):
        EqualizedDense(4, lr_multiplier=0.0)
    with pytest.raises(ValueError, match="units"):
        EqualizedDense(0)


def test_modulated_conv_matches_per_sample_kernels():
    layer = ModulatedConv2D(3, 3)
    x = RNG.normal(size=(2, 4, 4, 5)).astype("float32")
    w = RNG.normal(size=(2, 6)).astype("float32")
    layer.build([x.shape, w.shape])
    _randomise_bias(layer.affine)
    s = w.astype(np.float64) @ np.asarray(layer.affine.effective_kernel(), np.float64) \
        + np.asarray(layer.affine.effective_bias(), np.float64)
    k = np.asarray(layer.conv.effective_kernel(), np.float64)
    for demodulate in (True, False):
        layer.demodulate = demodulate
        out = layer([x, w]).numpy()
        for n in range(2):
            kn = k * s[n][None, None, :, None]                          # W'[k, i, o] = W s_i
            if demodulate:
                kn = kn / np.sqrt((kn ** 2).sum(axis=(0, 1, 2)) + 1e-8)  # d_o
            np.testing.assert_allclose(out[n], np_conv_same(x[n:n + 1].astype(np.float64), kn)[0],
                                       rtol=1e-4, atol=1e-5)


def test_modulation_starts_at_one():
    """Bias initialised to 1: with w = 0 the style is exactly 1 (no modulation)."""
    layer = ModulatedConv2D(2, 1, demodulate=False)
    x = RNG.normal(size=(1, 3, 3, 4)).astype("float32")
    out = layer([x, np.zeros((1, 3), "float32")]).numpy()
    np.testing.assert_allclose(out, np_conv_same(x, np.asarray(layer.conv.effective_kernel())), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("make, inputs", [
    (lambda: EqualizedDense(3, gain=1.0, lr_multiplier=0.01, bias_init=1.0, name="d"),
     RNG.normal(size=(2, 4)).astype("float32")),
    (lambda: EqualizedConv2D(2, 1, gain=1.0, use_bias=False, name="c"),
     RNG.normal(size=(2, 3, 3, 2)).astype("float32")),
    (lambda: ModulatedConv2D(2, 3, demodulate=False, name="m"),
     [RNG.normal(size=(2, 4, 4, 3)).astype("float32"), RNG.normal(size=(2, 5)).astype("float32")]),
])
def test_round_trip(make, inputs, tmp_path):
    assert_round_trip(make(), inputs, tmp_path)
