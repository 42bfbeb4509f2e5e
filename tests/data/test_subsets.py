"""digits' held-out split and labelled subset (semi-supervised streams)."""
import numpy as np
import pytest
from sklearn.datasets import load_digits

from tfgan_zoo.data import build_dataset
from tfgan_zoo.errors import DataError

TARGET = load_digits().target
BANK = load_digits().images.reshape(len(TARGET), -1) / 8.0 - 1.0


# the 1,797 sklearn digits are distinct images: find one by its pixels (multiples of 1/8)
INDEX = {np.round(row * 8).astype(np.int8).tobytes(): i for i, row in enumerate(BANK)}
assert len(INDEX) == len(BANK)


def rows(ds):
    """Dataset of 8x8 digits -> (indices into sklearn's set, labels or None)."""
    items = list(ds.batch(4096).as_numpy_iterator())[0]
    flat = items["real"].reshape(len(items["real"]), -1)
    index = np.array([INDEX[np.round(x * 8).astype(np.int8).tobytes()] for x in flat])
    np.testing.assert_allclose(BANK[index], flat, atol=1e-5)
    return index, items.get("label")


def test_holdout_is_a_seeded_stratified_partition():
    train, train_labels = rows(build_dataset("digits", image_size=8, holdout=0.25)[0])
    test_ds, info = build_dataset("digits", image_size=8, holdout=0.25, split="test")
    test, test_labels = rows(test_ds)
    assert info.num_examples == len(test)
    assert len(set(train) | set(test)) == len(TARGET) == len(train) + len(test)
    np.testing.assert_array_equal(train_labels, TARGET[train])
    np.testing.assert_array_equal(test_labels, TARGET[test])
    counts = np.bincount(TARGET)
    np.testing.assert_array_equal(np.bincount(TARGET[test]), np.round(0.25 * counts))
    again, _ = rows(build_dataset("digits", image_size=8, holdout=0.25, split="test")[0])
    other, _ = rows(build_dataset("digits", image_size=8, holdout=0.25, split="test", split_seed=1)[0])
    np.testing.assert_array_equal(again, test)
    assert set(other) != set(test)


def test_labelled_subset_gives_two_streams_that_partition_the_split():
    kwargs = dict(image_size=8, holdout=0.25, labelled_subset=5, split_seed=3)
    streams, info = build_dataset("digits", **kwargs)
    assert info.streams == ("labelled", "unlabelled") == tuple(streams)
    assert "label" not in streams["unlabelled"].element_spec  # no labels leak into the unlabelled stream
    labelled, labels = rows(streams["labelled"])
    unlabelled, none = rows(streams["unlabelled"])
    assert none is None
    np.testing.assert_array_equal(labels, TARGET[labelled])
    np.testing.assert_array_equal(np.bincount(labels), np.full(10, 5))
    train, _ = rows(build_dataset("digits", image_size=8, holdout=0.25, split_seed=3)[0])
    assert sorted(np.concatenate([labelled, unlabelled])) == sorted(train)  # the rest of the split, once each
    assert info.num_examples == 50 and info.extra["stream_examples"] == {"labelled": 50, "unlabelled": len(train) - 50}
    # seeded, and drawn independently of the held-out part
    assert list(rows(build_dataset("digits", **kwargs)[0]["labelled"])[0]) == list(labelled)
    other = rows(build_dataset("digits", **dict(kwargs, split_seed=4))[0]["labelled"])[0]
    assert set(other) != set(labelled)
    bigger = rows(build_dataset("digits", **dict(kwargs, labelled_subset=6))[0]["unlabelled"])[0]
    assert set(bigger) < set(unlabelled)  # nested subsets of the same train split (same held-out part)


@pytest.mark.parametrize("kwargs, match", [
    (dict(labelled_subset=200), "leaves no unlabelled example of class"),
    (dict(labelled_subset=-1), "labelled_subset"), (dict(labelled_subset=2.5), "labelled_subset"),
    (dict(holdout=1.0), "holdout"), (dict(holdout=True), "holdout"), (dict(holdout=-0.1), "holdout"),
    (dict(split="test"), "unknown split 'test'"), (dict(split_seed=-1), "split_seed"),
])
def test_bad_subset_options(kwargs, match):
    with pytest.raises(DataError, match=match) as err:
        build_dataset("digits", image_size=8, **kwargs)
    assert "\n" not in str(err.value)
