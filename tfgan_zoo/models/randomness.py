"""A GANModel's random draws (see models/base.py, "Randomness"): stateless draws seeded from the
model's keras.random.SeedGenerator once per step and folded with a per-step call counter, made
for the GLOBAL batch and sliced to this replica, so N replicas draw what one device draws."""
import tensorflow as tf

from tfgan_zoo import distribute


class RandomnessMixin:
    """Needs `self._rng` (a threading.local: MirroredStrategy traces each replica in its own
    thread) and `self.seed_generator`; GANModel sets both."""

    def _draw(self, fn, shape, dtype, shared):
        if getattr(self._rng, "seed", None) is None:
            self._begin_step()
        self._rng.calls += 1
        seed = tf.random.experimental.stateless_fold_in(self._rng.seed, self._rng.calls)
        replicas = tf.distribute.get_strategy().num_replicas_in_sync
        rank = len(shape) if isinstance(shape, (list, tuple)) else tf.convert_to_tensor(shape).shape[0]
        if replicas == 1 or shared or rank == 0:
            return fn(shape, seed=seed, dtype=dtype)
        shape = tf.cast(tf.convert_to_tensor(shape), tf.int32)
        local = shape[0]
        rid = tf.distribute.get_replica_context().replica_id_in_sync_group
        full = fn(tf.concat([[local * replicas], shape[1:]], 0), seed=seed, dtype=dtype)
        return full[rid * local:(rid + 1) * local]

    def random_normal(self, shape, dtype="float32", shared=False):
        """N(0, 1) draws: per example (this replica's slice of the global draw) or shared."""
        return self._draw(tf.random.stateless_normal, shape, dtype, shared)

    def random_uniform(self, shape, dtype="float32", shared=False):
        return self._draw(tf.random.stateless_uniform, shape, dtype, shared)

    def all_gather(self, x):
        """x of every replica concatenated on axis 0 (the global batch); x itself on one device."""
        return distribute.all_gather(x)

    def _begin_step(self):
        self._rng.seed = tf.cast(self.seed_generator.next(), tf.int64)
        self._rng.calls = 0
