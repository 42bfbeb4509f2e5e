"""What an augmentation needs of a model, without a GAN: the base's replica-safe random draws
(models/randomness.py), its add_state and a step counter."""
import threading

import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo.models.base import GANModel
from tfgan_zoo.models.randomness import RandomnessMixin


class Host(RandomnessMixin):
    add_state = GANModel.add_state

    def __init__(self, seed=0):
        self._rng = threading.local()
        self.seed = seed
        self.step = keras.Variable(0, dtype="int64", trainable=False, name="step",
                                   aggregation="only_first_replica")

    def _begin_step(self):  # a fixed seed per step index: every replica thread draws alike
        self._rng.seed = tf.stack([tf.constant(self.seed, tf.int64), tf.convert_to_tensor(self.step)])
        self._rng.calls = 0

    def end_step(self):
        self._rng.seed = None


class Draws:
    """A random_uniform that draws with NumPy and keeps every draw, in order, so a NumPy
    reference can replay them."""

    def __init__(self, seed=0):
        self.rng = np.random.default_rng(seed)
        self.log = []

    def __call__(self, shape, dtype="float32", shared=False):
        u = self.rng.random([int(s) for s in shape]).astype(np.float32)
        self.log.append(u)
        return tf.constant(u)
