"""make_training_stream: infinite, per-epoch seeded shuffles, exact resumption."""
import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo.data import make_training_stream
from tfgan_zoo.errors import DataError

N = 10


def batches(stream, count):
    return [b.numpy().tolist() for b in stream.take(count)]


def dict_ds():
    return tf.data.Dataset.from_tensor_slices({"real": np.arange(N, dtype=np.float32)[:, None],
                                               "label": np.arange(N, dtype=np.int32)})


@pytest.mark.parametrize("start", [1, 3, 4, 7])
def test_resumed_stream_yields_exactly_the_later_batches(start):
    full = batches(make_training_stream(tf.data.Dataset.range(N), 3, seed=11), 12)
    resumed = batches(make_training_stream(tf.data.Dataset.range(N), 3, seed=11, start_batch=start), 12 - start)
    assert resumed == full[start:]


def test_resumption_without_known_size_reads_and_drops_batches():
    unknown = tf.data.Dataset.range(N).filter(lambda x: True)
    assert int(unknown.cardinality()) == tf.data.UNKNOWN_CARDINALITY
    full = batches(make_training_stream(tf.data.Dataset.range(N), 4, seed=2), 8)
    assert batches(make_training_stream(unknown, 4, seed=2, start_batch=5), 3) == full[5:]


def test_each_epoch_is_a_permutation_and_epochs_differ():
    flat = sum(batches(make_training_stream(tf.data.Dataset.range(N), 5, seed=0), 6), [])
    epochs = [flat[i:i + N] for i in range(0, 3 * N, N)]
    assert all(sorted(e) == list(range(N)) for e in epochs)
    assert epochs[0] != epochs[1] or epochs[1] != epochs[2]
    assert epochs[0] != list(range(N))


def test_order_depends_on_seed_only_not_on_the_global_tf_seed():
    reference = batches(make_training_stream(tf.data.Dataset.range(N), 3, seed=5), 7)
    tf.random.set_seed(1234)
    assert batches(make_training_stream(tf.data.Dataset.range(N), 3, seed=5), 7) == reference
    tf.random.set_seed(99)
    assert batches(make_training_stream(tf.data.Dataset.range(N), 3, seed=5), 7) == reference
    assert batches(make_training_stream(tf.data.Dataset.range(N), 3, seed=6), 7) != reference


def test_batches_are_full_dicts_and_span_epochs():
    stream = make_training_stream(dict_ds(), batch_size=4, seed=1)
    assert stream.element_spec["real"].shape.as_list() == [4, 1]
    assert stream.element_spec["label"].shape.as_list() == [4]
    seen = [b["label"].numpy() for b in stream.take(5)]  # 20 elements = 2 epochs of 10
    assert all(len(b) == 4 for b in seen)
    assert sorted(np.concatenate(seen[:2] + [seen[2][:2]]).tolist()) == list(range(N))
    for b in stream.take(3):  # features stay paired with their labels through the shuffle
        np.testing.assert_array_equal(b["real"].numpy()[:, 0], b["label"].numpy())


def test_bad_arguments():
    with pytest.raises(DataError, match="empty"):
        make_training_stream(tf.data.Dataset.range(0), 2, seed=0)
    with pytest.raises(ValueError, match="batch_size"):
        make_training_stream(tf.data.Dataset.range(N), 0, seed=0)
    with pytest.raises(ValueError, match="start_batch"):
        make_training_stream(tf.data.Dataset.range(N), 2, seed=0, start_batch=-1)


def test_start_example_resumes_across_batch_size_changes():
    """Stages may change the batch size: the stream counts examples."""
    flat = sum(batches(make_training_stream(tf.data.Dataset.range(N), 1, seed=5), 40), [])
    first = sum(batches(make_training_stream(tf.data.Dataset.range(N), 4, seed=5), 3), [])
    later = sum(batches(make_training_stream(tf.data.Dataset.range(N), 2, seed=5, start_example=12), 5), [])
    assert first + later == flat[:22]


def test_sub_batches_stack_consecutive_batches_on_axis_one():
    plain = batches(make_training_stream(tf.data.Dataset.range(N), 2, seed=1), 6)
    stacked = make_training_stream(tf.data.Dataset.range(N), 2, seed=1, sub_batches=3)
    elements = [e["sub_batches"].numpy() for e in stacked.take(2)]
    assert elements[0].shape == (2, 3)
    # sub-batch i of step s is plain batch 3 s + i: 3 x 2 distinct examples per step
    assert [elements[s][:, i].tolist() for s in range(2) for i in range(3)] == plain
    resumed = make_training_stream(tf.data.Dataset.range(N), 2, seed=1, sub_batches=3, start_batch=1)
    np.testing.assert_array_equal(next(iter(resumed))["sub_batches"].numpy(), elements[1])


def test_named_streams_are_shuffled_independently_and_resume_together():
    streams = {"a": tf.data.Dataset.range(N), "b": tf.data.Dataset.range(N)}
    full = [(e["a"].numpy().tolist(), e["b"].numpy().tolist())
            for e in make_training_stream(streams, 5, seed=3).take(6)]
    assert any(a != b for a, b in full)  # never paired the same way as one zipped dataset
    assert all(sorted(sum([x[0] for x in full[2 * k:2 * k + 2]], [])) == list(range(N)) for k in range(3))
    resumed = [(e["a"].numpy().tolist(), e["b"].numpy().tolist())
               for e in make_training_stream(streams, 5, seed=3, start_batch=4).take(2)]
    assert resumed == full[4:]
    with pytest.raises(DataError, match="no streams"):
        make_training_stream({}, 2, seed=0)
