import keras
import numpy as np

from tfgan_zoo.layers.virtual_batch_norm import VirtualBatchNormalization, set_virtual_batch_references


def test_normalises_with_reference_statistics_plus_the_example():
    rng = np.random.default_rng(0)
    ref = rng.normal(3.0, 2.0, (10, 4, 4, 2)).astype("float32")
    x = rng.normal(0.0, 1.0, (3, 4, 4, 2)).astype("float32")
    layer = VirtualBatchNormalization(epsilon=1e-5)
    layer.set_reference(ref)
    out = layer(x).numpy()
    n = 10 * 4 * 4
    flat = ref.reshape(-1, 2)
    for i in range(3):
        mean = (x[i].mean((0, 1)) + n * flat.mean(0)) / (n + 1)
        meansq = ((x[i] ** 2).mean((0, 1)) + n * (flat ** 2).mean(0)) / (n + 1)
        np.testing.assert_allclose(out[i], (x[i] - mean) / np.sqrt(meansq - mean ** 2 + 1e-5), rtol=1e-4, atol=1e-5)
    # an example's output does not depend on the rest of its batch (unlike batch norm)
    np.testing.assert_allclose(layer(x[:1]).numpy(), out[:1], rtol=1e-5, atol=1e-6)


def test_reference_only_standardises_the_reference_batch():
    ref = np.random.default_rng(1).normal(-2.0, 5.0, (64, 3)).astype("float32")
    layer = VirtualBatchNormalization(include_self=False)
    layer.set_reference(ref)
    out = layer(ref).numpy()
    np.testing.assert_allclose(out.mean(0), 0.0, atol=1e-4)
    np.testing.assert_allclose(out.std(0), 1.0, rtol=1e-3)
    clone = VirtualBatchNormalization.from_config(layer.get_config())
    assert clone.include_self is False


def test_set_references_in_a_model():
    inp = keras.Input((3,))
    h = keras.layers.Dense(5, name="d")(inp)
    vbn = VirtualBatchNormalization(include_self=False, name="vbn")
    model = keras.Model(inp, vbn(h))
    ref = np.random.default_rng(2).standard_normal((32, 3)).astype("float32")
    set_virtual_batch_references(model, ref)
    feats = model.get_layer("d")(ref).numpy()
    np.testing.assert_allclose(vbn.ref_mean.numpy(), feats.mean(0), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(model(ref).numpy().mean(0), 0.0, atol=1e-4)
