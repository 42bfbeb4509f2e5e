"""CycleGAN's image pool (Shrivastava et al. 2017): D sees a history of fakes, not only the newest.

The rule of the official code (junyanz ImagePool.query), image by image in batch order:
  - while the pool holds fewer than `size` images, store the new image and return it;
  - once full, with probability 1/2 return the new image; otherwise return a stored image
    picked uniformly at random and store the new image in its place.

`pool_query` is that rule as one pure, graph-friendly TF function on a [size, H, W, C] tensor
and a fill count, with the random draws passed in. A Python list of images cannot live inside
a compiled train_step (public ports run the pool between two tf.functions for that reason);
a tensor can, and so it can be model state that is checkpointed. Within a batch the rule is
sequential (image i may get back image j < i of the same batch when both hit the same slot);
this function computes exactly that with [B, B] comparisons and no loop, and writes the pool
with one-hot weights rather than a scatter so that every shape is static.
"""
import tensorflow as tf


def pool_query(pool, count, images, swap_draws, slot_draws):
    """One query of the pool: returns (images for D, new pool, new count).

    pool: [size, H, W, C] stored images (rows >= count are unused).
    count: int32 scalar, how many rows are filled (0..size).
    images: [B, H, W, C] the newest fakes (gradients are not passed into the pool).
    swap_draws: float [B] uniform in [0, 1); an image of a full pool is swapped when > 0.5.
    slot_draws: int [B] uniform in [0, size), the stored image a swap returns and replaces.
    """
    size = pool.shape[0]
    images = tf.stop_gradient(tf.cast(images, pool.dtype))
    count = tf.cast(count, tf.int32)
    batch = tf.shape(images)[0]
    order = tf.range(batch)
    fill = order < size - count                                   # the first size - count images fill
    swap = tf.logical_and(tf.logical_not(fill), tf.reshape(swap_draws, [-1]) > 0.5)
    writes = tf.logical_or(fill, swap)
    slot = tf.where(fill, count + order, tf.cast(tf.reshape(slot_draws, [-1]), tf.int32))
    slot = tf.clip_by_value(slot, 0, size - 1)

    # what slot[i] holds just before image i: the last earlier image of the batch written there,
    # else the pool's old image
    same_slot = tf.equal(slot[:, None], slot[None, :])            # [i, j]
    earlier_write = tf.logical_and(same_slot, tf.logical_and(writes[None, :], order[None, :] < order[:, None]))
    has_earlier = tf.reduce_any(earlier_write, axis=1)
    last_earlier = tf.argmax(tf.cast(earlier_write, tf.int32) * (order[None, :] + 1), axis=1, output_type=tf.int32)
    held = tf.where(_expand(has_earlier, images), tf.gather(images, last_earlier), tf.gather(pool, slot))
    returned = tf.where(_expand(swap, images), held, images)

    # the pool after the batch: each slot keeps the last image written to it
    later_write = tf.logical_and(same_slot, tf.logical_and(writes[None, :], order[None, :] > order[:, None]))
    final = tf.logical_and(writes, tf.logical_not(tf.reduce_any(later_write, axis=1)))   # [B]
    weights = tf.one_hot(slot, size, dtype=pool.dtype) * tf.cast(final, pool.dtype)[:, None]   # [B, size]
    written = tf.reduce_max(weights, axis=0)                                               # [size]
    new_pool = pool * _expand(1.0 - written, pool) + tf.tensordot(weights, images, axes=[[0], [0]])
    new_count = tf.minimum(count + batch, size)
    return returned, new_pool, new_count


def _expand(vector, like):
    """[n] -> [n, 1, 1, ...] broadcastable against `like`."""
    return tf.reshape(vector, [-1] + [1] * (like.shape.rank - 1))
