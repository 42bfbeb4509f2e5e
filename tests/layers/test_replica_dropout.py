"""ReplicaDropout: inverted dropout, serialisable, and under two replicas the masks one device draws."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from tests.testing import two_cpu_strategy
from tfgan_zoo.layers.replica_dropout import ReplicaDropout


def test_inverted_dropout_statistics_and_inference_identity():
    layer = ReplicaDropout(0.25, seed=3)
    x = np.ones((400, 50), "float32")
    out = layer(x, training=True).numpy()
    np.testing.assert_allclose(np.unique(out), [0.0, 1.0 / 0.75], rtol=1e-6)
    assert abs((out == 0).mean() - 0.25) < 0.01
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    assert not np.array_equal(out, layer(x, training=True).numpy())  # a new mask per call


def test_config_round_trip():
    layer = ReplicaDropout(0.5, seed=7, name="drop")
    clone = keras.layers.deserialize(keras.layers.serialize(layer))
    assert isinstance(clone, ReplicaDropout) and clone.get_config() == layer.get_config()
    with pytest.raises(ValueError, match="rate must be in"):
        ReplicaDropout(1.0)


def test_two_replicas_draw_the_one_device_masks():
    x = np.arange(1, 8 * 6 + 1, dtype="float32").reshape(8, 6)
    one = ReplicaDropout(0.5, seed=11)(x, training=True).numpy()
    strategy = two_cpu_strategy()
    with strategy.scope():
        layer = ReplicaDropout(0.5, seed=11)
    dist = strategy.experimental_distribute_dataset(tf.data.Dataset.from_tensors(x))

    @tf.function
    def step(batch):
        return strategy.run(lambda b: layer(b, training=True), args=(batch,))

    parts = strategy.experimental_local_results(step(next(iter(dist))))
    np.testing.assert_array_equal(np.concatenate([p.numpy() for p in parts]), one)
    # keras.layers.Dropout, for contrast, repeats one mask on both replicas
    with strategy.scope():
        plain = keras.layers.Dropout(0.5, seed=11)
    rows = strategy.experimental_local_results(strategy.run(
        tf.function(lambda b: plain(b, training=True)), args=(next(iter(dist)),)))
    assert np.array_equal(rows[0].numpy() != 0, rows[1].numpy() != 0)
