"""Batch norm folded into the convolutions: the same outputs as the Keras network."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo.metrics.folding import FoldedConv2D, fold_batch_norm


def _randomise_batch_norms(model, seed=0):
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            n = layer.moving_mean.shape
            layer.moving_mean.assign(rng.normal(0, 0.2, n).astype("float32"))
            layer.moving_variance.assign(rng.uniform(0.3, 2.0, n).astype("float32"))
            if layer.center:
                layer.beta.assign(rng.normal(0, 0.2, n).astype("float32"))
            if layer.scale:
                layer.gamma.assign(rng.uniform(0.5, 1.5, n).astype("float32"))


def _small_net():
    x = keras.Input((9, 9, 3))
    a = keras.layers.Conv2D(8, 3, padding="same", use_bias=False)(x)
    a = keras.layers.Activation("relu")(keras.layers.BatchNormalization(scale=False)(a))
    b = keras.layers.Conv2D(8, (1, 3), strides=2, use_bias=True)(a)  # BN, no activation after
    b = keras.layers.BatchNormalization()(b)
    c = keras.layers.Conv2D(4, 1)(a)                                   # no BN: left as is
    c = keras.layers.MaxPooling2D(2)(c)
    h = keras.layers.Concatenate()([keras.layers.GlobalAveragePooling2D()(b),
                                    keras.layers.GlobalAveragePooling2D()(c)])
    h = keras.layers.BatchNormalization()(keras.layers.Dense(5)(h))   # BN after a Dense: kept
    return keras.Model(x, h)


def test_folded_network_matches_the_keras_network():
    keras.utils.set_random_seed(0)
    model = _small_net()
    _randomise_batch_norms(model)
    folded = fold_batch_norm(model)
    kinds = [type(layer).__name__ for layer in folded.layers]
    assert kinds.count("FoldedConv2D") == 2 and kinds.count("Conv2D") == 1
    assert kinds.count("BatchNormalization") == 1  # the one after the Dense
    x = tf.random.uniform((4, 9, 9, 3), -1, 1, seed=1)
    np.testing.assert_allclose(folded(x).numpy(), model(x, training=False).numpy(), rtol=1e-5,
                               atol=1e-5)
    half = fold_batch_norm(model, "bfloat16")
    assert all(v.dtype == "bfloat16" for v in half.weights)
    np.testing.assert_allclose(tf.cast(half(x), tf.float32).numpy(),
                               model(x, training=False).numpy(), rtol=0.05, atol=0.05)


def test_folded_inception_matches_keras_in_float32_and_nearly_in_bfloat16():
    keras.utils.set_random_seed(0)
    net = keras.applications.InceptionV3(include_top=True, weights=None,
                                         classifier_activation=None)
    _randomise_batch_norms(net)
    model = keras.Model(net.inputs, [net.get_layer("avg_pool").output,
                                     net.get_layer("predictions").output])
    x = tf.random.uniform((2, 299, 299, 3), -1, 1, seed=1)
    want = [t.numpy() for t in model(x, training=False)]
    f32 = fold_batch_norm(model)
    assert sum(isinstance(layer, FoldedConv2D) for layer in f32.layers) == 94  # every conv
    assert not any(isinstance(layer, keras.layers.BatchNormalization) for layer in f32.layers)
    for got, ref in zip(f32(x), want):
        np.testing.assert_allclose(got.numpy(), ref, rtol=1e-4, atol=1e-5)
    bf = fold_batch_norm(model, "bfloat16", float32_layers=("avg_pool", "predictions"))
    pool, logits = bf(x)
    assert pool.dtype == tf.float32 and logits.dtype == tf.float32
    for got, ref in zip((pool, logits), want):
        assert np.linalg.norm(got.numpy() - ref) / np.linalg.norm(ref) < 0.02


def test_folded_conv_config_round_trips():
    layer = FoldedConv2D(4, (1, 7), (2, 2), "same", relu=False, name="f")
    again = FoldedConv2D.from_config(layer.get_config())
    assert (again.kernel_size, again.strides, again.padding, again.relu) == ((1, 7), (2, 2),
                                                                              "SAME", False)
    assert again.compute_output_shape((None, 9, 9, 3)) == (None, 5, 5, 4)


@pytest.mark.parametrize("policy", ["float32"])
def test_fold_keeps_a_model_without_batch_norm(policy):
    x = keras.Input((4, 4, 1))
    model = keras.Model(x, keras.layers.Conv2D(2, 3)(x))
    folded = fold_batch_norm(model, policy)
    data = np.ones((1, 4, 4, 1), np.float32)
    np.testing.assert_allclose(folded(data).numpy(), model(data).numpy(), rtol=1e-6)
