"""The infinite, deterministic, resumable training stream built from unbatched datasets."""
import numbers
import zlib

import tensorflow as tf

from tfgan_zoo.errors import DataError

_MAX_SEED = 2**31 - 2
#: key of a stream element that holds `sub_batches` batches per step, stacked on axis 1
SUB_BATCHES = "sub_batches"


def _check(name, value, low):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        raise ValueError(f"make_training_stream: {name} must be an int >= {low}, got {value!r}")
    return int(value)


def make_training_stream(ds, batch_size: int, seed: int, shuffle_buffer: int = 10000,
                         start_batch: int = 0, start_example: int | None = None,
                         sub_batches: int = 1) -> tf.data.Dataset:
    """Infinite stream of batches: data-epoch e is `ds` shuffled with a seed derived from (seed, e).

    ds: unbatched dataset (finite; an infinite one is shuffled once, as a single "epoch"), or a
        dict {stream name: unbatched dataset}: each stream is shuffled independently (its seed
        also depends on its name) and the element is {stream name: batch of that stream}, so
        two unpaired streams are never paired the same way twice.
    batch_size: examples per batch (per stream); batches are built with drop_remainder=True and
        may span epochs.
    seed: run seed; the order depends only on (seed, ds), not on TF's global seed nor on how
        many times the stream was restarted.
    shuffle_buffer: tf.data shuffle buffer size per epoch.
    start_batch / start_example: where to start, in batches of this batch_size or in examples
        (per stream; start_example wins), so a run resumed at step k sees exactly the examples
        an uninterrupted run would, even when earlier stages used another batch size. When the
        size of a dataset is known, whole epochs are skipped without being read.
    sub_batches: batches per step (WGAN's critic reads a fresh batch per critic update): each
        element is {SUB_BATCHES: tensors [batch_size, sub_batches, ...]} holding sub_batches *
        batch_size consecutive examples, with sub-batch i at [:, i]. The batch axis stays first,
        so a tf.distribute strategy splits every sub-batch evenly over its replicas.
    """
    batch_size = _check("batch_size", batch_size, 1)
    shuffle_buffer = _check("shuffle_buffer", shuffle_buffer, 1)
    seed = _check("seed", seed, 0)
    sub_batches = _check("sub_batches", sub_batches, 1)
    start = (_check("start_example", start_example, 0) if start_example is not None
             else _check("start_batch", start_batch, 0) * batch_size * sub_batches)
    if isinstance(ds, dict):
        if not ds:
            raise DataError("make_training_stream: no streams given")
        streams = {name: _stream(d, batch_size * sub_batches, _stream_seed(seed, name),
                                 shuffle_buffer, start, name)
                   for name, d in ds.items()}
        stream = tf.data.Dataset.zip(streams)
    else:
        stream = _stream(ds, batch_size * sub_batches, seed, shuffle_buffer, start, "the dataset")
    if sub_batches > 1:
        stream = stream.map(lambda e: {SUB_BATCHES: tf.nest.map_structure(
            lambda t: _split(t, sub_batches, batch_size), e)})
    return stream.prefetch(tf.data.AUTOTUNE)


def _stream_seed(seed, name):
    return (seed * 7919 + zlib.crc32(str(name).encode())) % _MAX_SEED


def _split(t, n, b):
    """[n * b, ...] -> [b, n, ...] with sub-batch i = rows i*b .. (i+1)*b - 1 at [:, i]."""
    t = tf.reshape(t, tf.concat([[n, b], tf.shape(t)[1:]], 0))
    return tf.transpose(t, tf.concat([[1, 0], tf.range(2, tf.rank(t))], 0))


def _stream(ds, batch_size, seed, shuffle_buffer, start_example, what):
    size = int(ds.cardinality())
    if size == 0:
        raise DataError(f"make_training_stream: {what} is empty")
    first_epoch, offset = 0, 0
    if size > 0:  # known size: jump straight to the epoch holding element start_example
        first_epoch, offset = divmod(start_example, size)
    graph_seed = 1 + seed % _MAX_SEED  # never 0, see _epoch below

    def _epoch(epoch):
        # tf.data combines an op seed with the graph-level seed (TF's global seed, when the
        # caller set one). Pinning the seed of this function's own graph makes the order a
        # function of (seed, epoch) only; it does not touch the caller's global seed.
        tf.compat.v1.get_default_graph().seed = graph_seed
        return ds.shuffle(shuffle_buffer, seed=epoch, reshuffle_each_iteration=False)

    epochs = tf.data.Dataset.range(first_epoch, 2**62).flat_map(_epoch)
    if size > 0:
        return epochs.skip(offset).batch(batch_size, drop_remainder=True)
    # unknown size: no shortcut, read and drop the skipped examples
    return epochs.skip(start_example).batch(batch_size, drop_remainder=True)
