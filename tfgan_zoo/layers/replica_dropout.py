"""Dropout whose masks under tf.distribute are those of the one-device run.

keras.layers.Dropout draws its mask from a layer SeedGenerator whose state is mirrored: every
replica draws the SAME mask for its own share of the batch, so N replicas do not train like one
device (pix2pix's dropout 0.5 is its noise source; the GAN then sees correlated noise across
replicas). ReplicaDropout draws the mask for the GLOBAL batch from the same mirrored seed (equal
on every replica, and equal to the one-device seed sequence) and keeps this replica's rows: the
mask of example i is the one a single device would draw for example i. Reading the replica id
needs tf.distribute, which Keras does not expose; the rest is keras.ops.
"""
import keras
import tensorflow as tf
from keras import ops


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class ReplicaDropout(keras.layers.Layer):
    """Inverted dropout (kept units scaled by 1 / (1 - rate)) in training calls only."""

    #: its masks depend on how the batch is laid out (models/critic_pass.py)
    batch_independent = False

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0.0 <= float(rate) < 1.0:
            raise ValueError(f"ReplicaDropout: rate must be in [0, 1), got {rate!r}")
        self.rate = float(rate)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.supports_masking = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0.0:
            return inputs
        seed = tf.cast(self.seed_generator.next(), tf.int32)
        ctx = tf.distribute.get_replica_context()
        replicas = ctx.num_replicas_in_sync if ctx is not None else 1
        local = ops.shape(inputs)[0]
        shape = tf.concat([[local * replicas], tf.shape(inputs)[1:]], 0)
        keep = tf.random.stateless_uniform(shape, seed=seed) >= self.rate
        if replicas > 1:
            rid = ctx.replica_id_in_sync_group
            keep = keep[rid * local:(rid + 1) * local]
        scale = ops.cast(1.0 / (1.0 - self.rate), inputs.dtype)
        return ops.where(keep, inputs * scale, ops.zeros_like(inputs))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
