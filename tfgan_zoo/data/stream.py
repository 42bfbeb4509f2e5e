"""The infinite, deterministic, resumable training stream built from an unbatched dataset."""
import numbers

import tensorflow as tf

from tfgan_zoo.errors import DataError

_MAX_SEED = 2**31 - 2


def make_training_stream(ds: tf.data.Dataset, batch_size: int, seed: int, shuffle_buffer: int = 10000,
                         start_batch: int = 0) -> tf.data.Dataset:
    """Infinite stream of batches: data-epoch e is `ds` shuffled with a seed derived from (seed, e).

    ds: unbatched dataset (finite; an infinite one is shuffled once, as a single "epoch").
    batch_size: batch size; batches are built with drop_remainder=True and may span epochs.
    seed: run seed; the order depends only on (seed, ds), not on TF's global seed nor on
        how many times the stream was restarted.
    shuffle_buffer: tf.data shuffle buffer size per epoch.
    start_batch: batches to skip, so a run resumed at step k sees exactly the batches k, k+1, ...
        that an uninterrupted run would. When the size of `ds` is known, whole epochs are
        skipped without being read.
    """
    for name, value, low in (("batch_size", batch_size, 1), ("shuffle_buffer", shuffle_buffer, 1),
                             ("start_batch", start_batch, 0), ("seed", seed, 0)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
            raise ValueError(f"make_training_stream: {name} must be an int >= {low}, got {value!r}")
    batch_size, seed, shuffle_buffer, start_batch = int(batch_size), int(seed), int(shuffle_buffer), int(start_batch)
    size = int(ds.cardinality())
    if size == 0:
        raise DataError("make_training_stream: the dataset is empty")
    first_epoch, offset = 0, 0
    if size > 0:  # known size: jump straight to the epoch holding element start_batch * batch_size
        first_epoch, offset = divmod(start_batch * batch_size, size)
    graph_seed = 1 + seed % _MAX_SEED  # never 0, see _epoch below

    def _epoch(epoch):
        # tf.data combines an op seed with the graph-level seed (TF's global seed, when the
        # caller set one). Pinning the seed of this function's own graph makes the order a
        # function of (seed, epoch) only; it does not touch the caller's global seed.
        tf.compat.v1.get_default_graph().seed = graph_seed
        return ds.shuffle(shuffle_buffer, seed=epoch, reshuffle_each_iteration=False)

    epochs = tf.data.Dataset.range(first_epoch, 2**62).flat_map(_epoch)
    if size > 0:
        stream = epochs.skip(offset).batch(batch_size, drop_remainder=True)
    else:  # unknown size: no shortcut, read and drop the skipped batches
        stream = epochs.batch(batch_size, drop_remainder=True).skip(start_batch)
    return stream.prefetch(tf.data.AUTOTUNE)
