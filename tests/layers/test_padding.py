import keras
import numpy as np
import pytest

from tfgan_zoo.layers.padding import ReflectionPadding2D


@pytest.mark.parametrize("padding", [1, (2, 1), 0])
def test_matches_numpy_reflect(padding):
    x = np.random.default_rng(0).standard_normal((2, 4, 5, 3)).astype(np.float32)
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    out = ReflectionPadding2D(padding)(x).numpy()
    np.testing.assert_array_equal(out, np.pad(x, ((0, 0), (ph, ph), (pw, pw), (0, 0)), mode="reflect"))
    assert ReflectionPadding2D(padding).compute_output_shape((None, 4, 5, 3)) == (None, 4 + 2 * ph, 5 + 2 * pw, 3)


def test_gradient_flows_back_to_the_mirrored_pixels():
    import tensorflow as tf

    x = tf.constant(np.arange(3, dtype=np.float32).reshape(1, 1, 3, 1))
    x = tf.tile(x, [1, 2, 1, 1])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(ReflectionPadding2D((0, 1))(x))
    # row [a, b, c] pads to [b, a, b, c, b]: b counts three times
    np.testing.assert_array_equal(tape.gradient(y, x).numpy()[0, 0, :, 0], [1, 3, 1])


def test_config_round_trip_and_saving(tmp_path):
    layer = ReflectionPadding2D((2, 1), name="pad")
    clone = ReflectionPadding2D.from_config(layer.get_config())
    assert (clone.padding, clone.name) == ((2, 1), "pad")
    inp = keras.Input((6, 6, 2))
    model = keras.Model(inp, keras.layers.Conv2D(1, 3)(layer(inp)))
    x = np.random.default_rng(1).standard_normal((1, 6, 6, 2)).astype(np.float32)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded(x), model(x), atol=1e-6)
    assert loaded.get_layer("pad").padding == (2, 1)


def test_errors():
    for bad in (-1, (1, 2, 3), 1.5, True):
        with pytest.raises(ValueError, match="padding must be"):
            ReflectionPadding2D(bad)
    with pytest.raises(ValueError, match="padding 4 needs a height > 4"):
        ReflectionPadding2D(4)(np.zeros((1, 4, 8, 1), np.float32))
