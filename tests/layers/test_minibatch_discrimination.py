import keras
import numpy as np
import pytest

from tfgan_zoo.layers.minibatch_discrimination import MinibatchDiscrimination


def numpy_mbd(x, t):
    n, a = x.shape
    m = (x @ t.reshape(a, -1)).reshape(n, t.shape[1], t.shape[2])      # [N, B, C]
    o = np.zeros((n, t.shape[1]))
    for i in range(n):
        for j in range(n):
            o[i] += np.exp(-np.abs(m[i] - m[j]).sum(axis=1))
    return np.concatenate([x, o], axis=1)


def test_matches_the_numpy_formula():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5, 6)).astype("float32")
    layer = MinibatchDiscrimination(num_kernels=3, kernel_dim=4)
    out = layer(x).numpy()
    t = layer.kernel.numpy().reshape(6, 3, 4)
    assert out.shape == (5, 9)
    np.testing.assert_allclose(out, numpy_mbd(x, t), rtol=1e-5, atol=1e-6)
    same = layer(np.repeat(x[:1], 5, axis=0)).numpy()   # a collapsed batch: every o_b = N
    np.testing.assert_allclose(same[:, 6:], 5.0, rtol=1e-6)


def test_config_roundtrip_and_in_a_model():
    layer = MinibatchDiscrimination(num_kernels=2, kernel_dim=3, name="mbd")
    clone = MinibatchDiscrimination.from_config(layer.get_config())
    assert (clone.num_kernels, clone.kernel_dim, clone.name) == (2, 3, "mbd")
    inp = keras.Input((4,))
    model = keras.Model(inp, keras.layers.Dense(1)(layer(inp)))
    copy = keras.Model.from_config(model.get_config())
    assert copy.get_layer("mbd").num_kernels == 2
    with pytest.raises(ValueError):
        MinibatchDiscrimination(num_kernels=0)
