"""Conditioning layers against direct NumPy formulas, their configs and a save / load round trip."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from tests.testing import two_cpu_strategy
from tfgan_zoo.layers import ClassEmbedding, ConditionalBatchNormalization, OneHotConcat, ProjectionDiscriminatorHead

EPS = 1e-5
RNG = np.random.default_rng(0)


def _bn(x, eps=EPS):
    axes = tuple(range(x.ndim - 1))
    return (x - x.mean(axes)) / np.sqrt(x.var(axes) + eps)


def _randomise(layer, rng=RNG):
    for w in layer.trainable_weights:
        w.assign(rng.normal(0.0, 0.5, w.shape).astype("float32"))


def test_class_embedding_is_a_table_lookup():
    layer = ClassEmbedding(5, 3)
    labels = np.array([4, 0, 2, 2], np.int32)
    out = layer(labels).numpy()
    table = layer.embeddings.numpy()
    assert table.shape == (5, 3) and out.shape == (4, 3) and out.dtype == np.float32
    np.testing.assert_allclose(out, table[labels], rtol=1e-6)
    np.testing.assert_allclose(layer(labels[:, None]).numpy(), table[labels], rtol=1e-6)  # [B, 1] labels
    np.testing.assert_allclose(layer(np.array([5])).numpy(), 0.0)  # out of range: a zero vector


def test_spectrally_normalised_embedding_stays_float_and_reaches_unit_sigma():
    layer = ClassEmbedding(6, 4, spectral_norm=True, embeddings_initializer=keras.initializers.RandomNormal(0, 3.0))
    labels = np.arange(6)
    layer.build((None,))
    stored = layer.embeddings.numpy()
    for _ in range(30):  # one power iteration per training call
        out = layer(labels, training=True)
    assert out.dtype == tf.float32
    np.testing.assert_array_equal(layer.embeddings.numpy(), stored)  # the variable stays W
    table = layer.table.normalized_kernel().numpy()  # W / sigma
    np.testing.assert_allclose(out.numpy(), table, rtol=1e-5)
    np.testing.assert_allclose(np.linalg.svd(table, compute_uv=False)[0], 1.0, rtol=1e-3)


@pytest.mark.parametrize("shape", [(6, 3, 3, 4), (6, 4)])
def test_conditional_batch_norm_with_labels(shape):
    layer = ConditionalBatchNormalization(num_classes=3, epsilon=EPS)
    x = RNG.normal(1.0, 2.0, shape).astype("float32")
    labels = np.array([0, 1, 2, 2, 1, 0], np.int32)
    # zero-initialised gain and bias: plain batch normalisation at init
    np.testing.assert_allclose(layer([x, labels], training=True).numpy(), _bn(x), rtol=1e-4, atol=1e-4)
    _randomise(layer)
    gamma, beta = layer.gamma.kernel.numpy(), layer.beta.kernel.numpy()  # [K, C] tables
    bshape = (6,) + (1,) * (len(shape) - 2) + (shape[-1],)
    want = _bn(x) * (1 + gamma[labels].reshape(bshape)) + beta[labels].reshape(bshape)
    np.testing.assert_allclose(layer([x, labels], training=True).numpy(), want, rtol=1e-4, atol=1e-4)
    # inference uses the moving statistics: two training calls with momentum 0.9 from (0, 1)
    axes = tuple(range(len(shape) - 1))
    mean = (1 - 0.9 ** 2) * x.mean(axes)
    var = 0.9 ** 2 + (1 - 0.9 ** 2) * x.var(axes)
    want = (x - mean) / np.sqrt(var + EPS) * (1 + gamma[labels].reshape(bshape)) + beta[labels].reshape(bshape)
    np.testing.assert_allclose(layer([x, labels], training=False).numpy(), want, rtol=1e-4, atol=1e-4)


def test_conditional_batch_norm_with_a_vector():
    layer = ConditionalBatchNormalization(epsilon=EPS, synchronized=False)
    x = RNG.normal(0.0, 1.0, (4, 2, 2, 3)).astype("float32")
    cond = RNG.normal(0.0, 1.0, (4, 5)).astype("float32")
    layer([x, cond], training=True)
    _randomise(layer)
    wg, wb = layer.gamma.kernel.numpy(), layer.beta.kernel.numpy()  # [D, C]
    want = _bn(x) * (1 + (cond @ wg)[:, None, None]) + (cond @ wb)[:, None, None]
    np.testing.assert_allclose(layer([x, cond], training=True).numpy(), want, rtol=1e-4, atol=1e-4)


def test_conditional_batch_norm_biggan_options():
    layer = ConditionalBatchNormalization(kernel_initializer="orthogonal", spectral_norm=True)
    x = RNG.normal(0.0, 1.0, (4, 3)).astype("float32")
    cond = RNG.normal(0.0, 1.0, (4, 6)).astype("float32")
    for _ in range(30):
        out = layer([x, cond], training=True).numpy()
    wg, wb = (w.normalized_kernel().numpy() for w in (layer.gamma, layer.beta))
    for w in (wg, wb):
        np.testing.assert_allclose(np.linalg.svd(w, compute_uv=False)[0], 1.0, rtol=1e-3)
    np.testing.assert_allclose(out, _bn(x) * (1 + cond @ wg) + cond @ wb, rtol=1e-4, atol=1e-4)
    with pytest.raises(ValueError, match="non-zero kernel_initializer"):
        ConditionalBatchNormalization(spectral_norm=True)


def test_conditional_batch_norm_uses_global_statistics_across_replicas():
    strategy = two_cpu_strategy()
    with strategy.scope():
        layer = ConditionalBatchNormalization(num_classes=2)
        layer.build([(None, 2, 2, 3), (None,)])
    _randomise(layer)
    # the halves have very different statistics, so per-replica statistics would differ
    x = np.concatenate([np.full((2, 2, 2, 3), -0.8), RNG.uniform(0, 1, (2, 2, 2, 3))]).astype("float32")
    labels = np.array([0, 1, 1, 0], np.int32)
    single = layer([x, labels], training=True).numpy()
    dist = strategy.experimental_distribute_dataset(tf.data.Dataset.from_tensors((x, labels)))
    per_replica = strategy.run(tf.function(lambda a, b: layer([a, b], training=True)), args=next(iter(dist)))
    both = np.concatenate([t.numpy() for t in strategy.experimental_local_results(per_replica)])
    np.testing.assert_allclose(both, single, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("spectral_norm", [False, True])
def test_projection_head(spectral_norm):
    layer = ProjectionDiscriminatorHead(4, spectral_norm=spectral_norm)
    f = RNG.normal(0.0, 1.0, (5, 6)).astype("float32")
    labels = np.array([3, 0, 1, 3, 2], np.int32)
    out = layer([f, labels], training=True).numpy()
    if spectral_norm:  # W / sigma with the sigma of that training call (the stored u, v)
        w, b = layer.linear.normalized_kernel().numpy(), layer.linear.layer.bias.numpy()
        table = layer.embedding.table.normalized_kernel().numpy()
    else:
        w, b = layer.linear.kernel.numpy(), layer.linear.bias.numpy()
        table = layer.embedding.embeddings.numpy()
    assert out.shape == (5, 1) and table.shape == (4, 6)
    want = f @ w + b + (table[labels] * f).sum(-1, keepdims=True)
    np.testing.assert_allclose(out, want, rtol=1e-4, atol=1e-5)


def test_one_hot_concat():
    layer = OneHotConcat(3)
    labels = np.array([2, 0], np.int32)
    images = RNG.normal(0.0, 1.0, (2, 4, 5, 2)).astype("float32")
    out = layer([images, labels]).numpy()
    eye = np.eye(3, dtype=np.float32)[labels]
    np.testing.assert_array_equal(out, np.concatenate([images, np.broadcast_to(eye[:, None, None], (2, 4, 5, 3))], -1))
    vectors = RNG.normal(0.0, 1.0, (2, 7)).astype("float32")
    np.testing.assert_array_equal(layer([vectors, labels]).numpy(), np.concatenate([vectors, eye], -1))


LAYERS = [
    ClassEmbedding(4, 3, spectral_norm=True, name="emb"),
    ConditionalBatchNormalization(num_classes=4, momentum=0.8, epsilon=1e-3, synchronized=False, name="cbn"),
    ConditionalBatchNormalization(kernel_initializer="orthogonal", spectral_norm=True, name="cbn_vec"),
    ProjectionDiscriminatorHead(4, spectral_norm=True, kernel_initializer="he_normal", name="proj"),
    OneHotConcat(4, name="concat"),
]


@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: layer.name)
def test_config_round_trip(layer):
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert clone.get_config() == config
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(layer))
    assert type(restored) is type(layer) and restored.get_config() == config


def test_model_with_every_layer_saves_and_loads(tmp_path):
    image = keras.Input((4, 4, 2), name="image")
    label = keras.Input((), dtype="int32", name="label")
    z = keras.Input((3,), name="z")
    x = OneHotConcat(4, name="concat")([image, label])
    x = keras.layers.Conv2D(5, 3, padding="same")(x)
    x = ConditionalBatchNormalization(num_classes=4, synchronized=False, name="cbn")([x, label])
    cond = keras.layers.Concatenate()([ClassEmbedding(4, 3, name="emb")(label), z])
    x = ConditionalBatchNormalization(kernel_initializer="orthogonal", spectral_norm=True, name="cbn_vec")([x, cond])
    x = keras.layers.GlobalAveragePooling2D()(x)
    out = ProjectionDiscriminatorHead(4, spectral_norm=True, name="proj")([x, label])
    model = keras.Model([image, label, z], out)
    for layer in ("cbn", "cbn_vec"):
        _randomise(model.get_layer(layer))
    inputs = [RNG.normal(0, 1, (3, 4, 4, 2)).astype("float32"), np.array([0, 3, 1], np.int32),
              RNG.normal(0, 1, (3, 3)).astype("float32")]
    model(inputs, training=True)  # move the moving statistics and SN vectors off their initial values
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded(inputs, training=False).numpy(), model(inputs, training=False).numpy(),
                               rtol=1e-5, atol=1e-6)
    clone = keras.Model.from_config(model.get_config())
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(clone(inputs, training=False).numpy(), model(inputs, training=False).numpy(),
                               rtol=1e-5, atol=1e-6)
