"""AdaIN, noise injection, the learned constant and the w bookkeeping against NumPy."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from tests.layers.roundtrip import assert_round_trip
from tests.testing import two_cpu_strategy
from tfgan_zoo.layers.style import (AdaIN, LearnedConstant, NoiseInjection, NoiseSlice, StyleMixer, StyleSelect,
                                    mix_styles, truncate_styles)

RNG = np.random.default_rng(0)


def test_adain_matches_numpy():
    x = RNG.normal(1.0, 2.0, (2, 4, 4, 3)).astype("float32")
    w = RNG.normal(size=(2, 5)).astype("float32")
    layer = AdaIN()
    layer.build([x.shape, w.shape])
    layer.style.bias.assign(RNG.normal(size=6).astype("float32"))
    out = layer([x, w]).numpy()
    x64 = x.astype(np.float64)
    mean = x64.mean(axis=(1, 2), keepdims=True)
    var = x64.var(axis=(1, 2), keepdims=True)
    style = w @ np.asarray(layer.style.effective_kernel(), np.float64) + np.asarray(layer.style.effective_bias())
    s, b = style[:, None, None, :3], style[:, None, None, 3:]
    np.testing.assert_allclose(out, (x64 - mean) / np.sqrt(var + 1e-8) * (1.0 + s) + b, rtol=1e-4, atol=1e-4)
    # the style map is an equalized Dense with gain 1
    assert layer.style.gain == 1.0 and layer.style.runtime_scale == pytest.approx(1.0 / np.sqrt(5))


def test_adain_with_a_zero_style_is_instance_norm():
    x = RNG.normal(size=(1, 3, 3, 2)).astype("float32")
    layer = AdaIN()
    out = layer([x, np.zeros((1, 4), "float32")]).numpy()
    np.testing.assert_allclose(out.mean(axis=(1, 2)), 0.0, atol=1e-5)
    np.testing.assert_allclose(out.std(axis=(1, 2)), 1.0, rtol=1e-4)


def test_noise_injection_starts_at_zero_and_scales_per_channel():
    x = RNG.normal(size=(2, 3, 3, 4)).astype("float32")
    noise = RNG.normal(size=(2, 3, 3, 1)).astype("float32")
    layer = NoiseInjection()
    np.testing.assert_array_equal(layer([x, noise]).numpy(), x)
    weight = RNG.normal(size=4).astype("float32")
    layer.weight.assign(weight)
    np.testing.assert_allclose(layer([x, noise]).numpy(), x + noise * weight, rtol=1e-6)


def test_noise_slice_and_style_select():
    flat = np.arange(2 * 20, dtype="float32").reshape(2, 20)
    np.testing.assert_array_equal(NoiseSlice(4, 4)(flat).numpy(), flat[:, 4:20].reshape(2, 4, 4, 1))
    ws = RNG.normal(size=(2, 3, 5)).astype("float32")
    np.testing.assert_array_equal(StyleSelect(2)(ws).numpy(), ws[:, 2])


def test_learned_constant_is_shared_across_the_batch():
    layer = LearnedConstant((2, 2, 3))
    out = layer(np.zeros((4, 7), "float32")).numpy()
    assert out.shape == (4, 2, 2, 3)
    np.testing.assert_array_equal(out, 1.0)


def test_mix_and_truncate_match_numpy():
    w, w2 = RNG.normal(size=(3, 4)), RNG.normal(size=(3, 4))
    crossover = np.array([0, 2, 5])
    ws = mix_styles(tf.constant(w), tf.constant(w2), crossover, 5).numpy()
    for n in range(3):
        for i in range(5):
            np.testing.assert_array_equal(ws[n, i], w[n] if i < crossover[n] else w2[n])
    avg = RNG.normal(size=4)
    psi = np.array([0.0, 0.5, 1.0])
    out = truncate_styles(tf.constant(ws), tf.constant(avg), psi, 3).numpy()
    for n in range(3):
        for i in range(5):
            expected = avg + psi[n] * (ws[n, i] - avg) if i < 3 else ws[n, i]
            np.testing.assert_allclose(out[n, i], expected, rtol=1e-12)


def test_mixing_with_the_same_latent_equals_no_mixing():
    w = tf.constant(RNG.normal(size=(4, 3)))
    mixed = mix_styles(w, w, np.array([1, 2, 3, 0]), 6).numpy()
    np.testing.assert_array_equal(mixed, mix_styles(w, w, np.full(4, 6), 6).numpy())


def test_style_mixer_tracks_w_avg_only_in_training():
    layer = StyleMixer(4, beta=0.9, cutoff=2)
    w = RNG.normal(size=(5, 3)).astype("float32")
    args = [w, w, np.full((5, 1), 4, "int32"), np.ones((5, 1), "float32")]
    layer(args)                                              # inference: no update
    np.testing.assert_array_equal(layer.w_avg.numpy(), 0.0)
    layer(args, training=True)
    expected = 0.1 * w.astype(np.float64).mean(axis=0)
    np.testing.assert_allclose(layer.w_avg.numpy(), expected, rtol=1e-5)
    layer(args, training=True)
    expected = 0.9 * expected + 0.1 * w.mean(axis=0)
    np.testing.assert_allclose(layer.w_avg.numpy(), expected, rtol=1e-5)
    assert not layer.w_avg.trainable and layer.w_avg.aggregation == "mean"
    zero_psi = layer([w, w, np.full((5, 1), 4, "int32"), np.zeros((5, 1), "float32")]).numpy()
    np.testing.assert_allclose(zero_psi[:, :2], np.broadcast_to(expected, (5, 2, 3)), rtol=1e-5)
    np.testing.assert_allclose(zero_psi[:, 2:], np.broadcast_to(w[:, None], (5, 2, 3)), rtol=1e-6)


def test_w_avg_under_two_replicas_equals_one_device():
    strategy = two_cpu_strategy()
    w = RNG.normal(size=(4, 3)).astype("float32")
    args = [w, w, np.full((4, 1), 2, "int32"), np.ones((4, 1), "float32")]
    single = StyleMixer(2, beta=0.5)
    single(args, training=True)
    with strategy.scope():
        layer = StyleMixer(2, beta=0.5)
        layer.build([w.shape, w.shape, (4, 1), (4, 1)])
    dist = strategy.experimental_distribute_dataset(tf.data.Dataset.from_tensors(tuple(args)))
    strategy.run(tf.function(lambda *a: layer(list(a), training=True)), args=next(iter(dist)))
    # the replicas saw different halves: their per-replica means differ, the average is the global
    for value in strategy.experimental_local_results(layer.w_avg.value):
        np.testing.assert_allclose(value.numpy(), single.w_avg.numpy(), rtol=1e-5)


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="cutoff"):
        StyleMixer(4, cutoff=5)
    with pytest.raises(ValueError, match="beta"):
        StyleMixer(4, beta=1.5)


@pytest.mark.parametrize("make, inputs", [
    (lambda: AdaIN(epsilon=1e-5, name="adain"), [RNG.normal(size=(2, 3, 3, 2)).astype("float32"),
                                                 RNG.normal(size=(2, 4)).astype("float32")]),
    (lambda: NoiseInjection(name="noise"), [RNG.normal(size=(2, 3, 3, 2)).astype("float32"),
                                            RNG.normal(size=(2, 3, 3, 1)).astype("float32")]),
    (lambda: LearnedConstant((2, 2, 3), keras.initializers.RandomNormal(stddev=1.0), name="const"),
     RNG.normal(size=(2, 5)).astype("float32")),
    (lambda: NoiseSlice(2, 2, name="slice"), RNG.normal(size=(2, 8)).astype("float32")),
    (lambda: StyleSelect(1, name="select"), RNG.normal(size=(2, 3, 4)).astype("float32")),
    (lambda: StyleMixer(3, beta=0.99, cutoff=2, name="styles"),
     [RNG.normal(size=(2, 4)).astype("float32"), RNG.normal(size=(2, 4)).astype("float32"),
      np.array([[1], [3]], "int32"), np.array([[0.5], [1.0]], "float32")]),
])
def test_round_trip(make, inputs, tmp_path):
    assert_round_trip(make(), inputs, tmp_path)


def test_saved_generator_part_keeps_w_avg(tmp_path):
    inputs = [keras.Input((4,)), keras.Input((4,)), keras.Input((1,), dtype="int32"), keras.Input((1,))]
    model = keras.Model(inputs, StyleMixer(3, cutoff=2, name="styles")(inputs))
    model.get_layer("styles").w_avg.assign(RNG.normal(size=4).astype("float32"))
    model.save(str(tmp_path / "m.keras"))
    loaded = keras.models.load_model(str(tmp_path / "m.keras"))
    np.testing.assert_array_equal(loaded.get_layer("styles").w_avg.numpy(), model.get_layer("styles").w_avg.numpy())
