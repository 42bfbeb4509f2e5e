"""NearestUpsample2D (tfgan_zoo/layers/progressive.py): the numbers of UpSampling2D("nearest"),
static shapes, and a conv after it that TFLite converts to builtin ops."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo.layers.progressive import NearestUpsample2D


@pytest.mark.parametrize("factor,shape", [(2, (3, 4, 5, 6)), (4, (2, 1, 1, 8)), (3, (1, 2, 3, 1))])
def test_equals_keras_upsampling_nearest(factor, shape):
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    want = keras.layers.UpSampling2D(factor, interpolation="nearest")(x)
    got = NearestUpsample2D(factor)(x)
    np.testing.assert_array_equal(np.asarray(got), np.asarray(want))
    # and against NumPy's own repeat
    np.testing.assert_array_equal(np.asarray(got), x.repeat(factor, 1).repeat(factor, 2))


def test_keeps_static_shapes_under_a_dynamic_batch():
    @tf.function(input_signature=[tf.TensorSpec([None, 4, 4, 3])])
    def fn(x):
        y = NearestUpsample2D(2)(x)
        assert y.shape.as_list() == [None, 8, 8, 3]
        return y

    assert fn(tf.zeros([2, 4, 4, 3])).shape == (2, 8, 8, 3)


def test_a_network_with_it_converts_to_tflite_builtins(tmp_path):
    inputs = keras.Input((4, 4, 3))
    x = NearestUpsample2D(2)(keras.layers.Conv2D(8, 3, padding="same")(inputs))
    x = keras.layers.Conv2D(2, 3, padding="same")(NearestUpsample2D(2)(x))
    model = keras.Model(inputs, x)
    from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2
    fn = tf.function(lambda t: model(t), input_signature=[tf.TensorSpec([None, 4, 4, 3], name="x")])
    frozen = convert_variables_to_constants_v2(fn.get_concrete_function())  # as pure.pure_graph
    module = tf.Module()
    module.serve = tf.function(lambda t: {"images": frozen(t)[0]},
                               input_signature=[tf.TensorSpec([None, 4, 4, 3], name="x")])
    tf.saved_model.save(module, str(tmp_path / "sm"), signatures={"serving_default": module.serve})
    from tfgan_zoo.formats.convert import to_tflite
    from tfgan_zoo.formats.runtimes import run_tflite
    path = to_tflite(str(tmp_path / "sm"), str(tmp_path / "m.tflite"))  # builtin ops only
    x = np.random.default_rng(1).standard_normal((2, 4, 4, 3)).astype(np.float32)
    np.testing.assert_allclose(run_tflite(path, {"x": x})["images"], model(x), atol=1e-5)


def test_bad_factor_is_one_line():
    with pytest.raises(ValueError, match="factor must be an integer >= 1"):
        NearestUpsample2D(0)
    with pytest.raises(ValueError, match="known H, W, C"):
        NearestUpsample2D(2).build((None, None, 4, 3))
