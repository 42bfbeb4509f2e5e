"""Layer test helpers: NumPy convolution and a config + .keras save / load round trip."""
import keras
import numpy as np


def np_conv_same(x, kernel):
    """Stride-1 zero-padded ("same") NHWC correlation, as keras convolutions compute it."""
    kh, kw = kernel.shape[:2]
    xp = np.pad(x, ((0, 0), (kh // 2, kh // 2), (kw // 2, kw // 2), (0, 0)))
    h, w = x.shape[1:3]
    out = np.zeros(x.shape[:3] + kernel.shape[3:])
    for a in range(kh):
        for b in range(kw):
            out += np.einsum("nhwc,co->nhwo", xp[:, a:a + h, b:b + w, :], kernel[a, b])
    return out


def assert_round_trip(layer, inputs, tmp_path, atol=1e-6):
    """get_config -> from_config gives the same config, and a model holding the layer saved as
    .keras and loaded back computes the same outputs with the same weights."""
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config
    many = isinstance(inputs, (list, tuple))
    symbolic = [keras.Input(np.shape(x)[1:], dtype=np.asarray(x).dtype.name) for x in (inputs if many else [inputs])]
    model = keras.Model(symbolic if many else symbolic[0], layer(symbolic if many else symbolic[0]))
    expected = model(list(inputs) if many else inputs)
    path = str(tmp_path / "layer.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    got = loaded(list(inputs) if many else inputs)
    np.testing.assert_allclose(np.asarray(got), np.asarray(expected), atol=atol)
    return loaded
