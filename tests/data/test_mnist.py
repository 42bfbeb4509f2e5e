"""mnist: the bundled digits offline, tfds (mock data) when prepared, the held-out split, the card."""
import numpy as np
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds

from tfgan_zoo.data import build_dataset
from tfgan_zoo.data.mnist_arrays import mnist_arrays
from tfgan_zoo.errors import DataError


def everything(ds):
    return next(ds.batch(100_000).as_numpy_iterator())


def keys(images):
    """Each digit's bytes: a set of them tells which digits two splits share."""
    return {bytes(x) for x in np.asarray(images)}


@pytest.fixture(scope="module")
def bundled_train():
    return mnist_arrays("train")


def test_bundled_digits_zero_padded_to_32_with_labels(tmp_path, bundled_train):
    ds, info = build_dataset("mnist", data_dir=str(tmp_path))  # nothing prepared there: the bundled digits
    assert (info.shape, info.num_classes, info.num_examples) == ((32, 32, 1), 10, 4000)
    assert info.extra == {"source": "bundled", "source_examples": 4000, "split": "train"}
    x = everything(ds)
    images, labels = bundled_train
    assert x["real"].dtype == np.float32 and x["label"].dtype == np.int32
    np.testing.assert_array_equal(x["label"], labels)
    border = np.ones((32, 32), bool)
    border[2:30, 2:30] = False
    assert np.all(x["real"][:, border, 0] == -1.0)  # black padding
    np.testing.assert_allclose(x["real"][:, 2:30, 2:30, 0], images / 127.5 - 1.0, atol=1e-6)
    assert np.bincount(x["label"]).tolist() == [400] * 10


def test_held_out_split_is_the_fixed_1000_and_never_trained_on(tmp_path, bundled_train):
    ds, info = build_dataset("mnist", split="test", image_size=28, source="bundled")
    x = everything(ds)
    assert info.num_examples == 1000 and info.extra["split"] == "test"
    assert np.bincount(x["label"]).tolist() == [100] * 10
    test_digits = np.round((x["real"][..., 0] + 1.0) * 127.5).astype(np.uint8)
    np.testing.assert_array_equal(test_digits, mnist_arrays("test")[0])
    train = everything(build_dataset("mnist", image_size=28, source="bundled")[0])["real"][..., 0]
    train_digits = np.round((train + 1.0) * 127.5).astype(np.uint8)
    assert not keys(test_digits) & keys(train_digits)
    assert keys(train_digits) == keys(bundled_train[0])


def test_other_sizes_resize_and_three_channels_tile(bundled_train):
    ds, info = build_dataset("mnist", image_size=16, channels=3, source="bundled")
    x = everything(ds.take(5))["real"]
    assert info.shape == (16, 16, 3) and x.shape == (5, 16, 16, 3)
    expected = tf.image.resize(bundled_train[0][:5, ..., None] / 127.5 - 1.0, [16, 16], antialias=True).numpy()
    np.testing.assert_allclose(x[..., :1], np.clip(expected, -1, 1), atol=1e-5)
    np.testing.assert_array_equal(x[..., 0], x[..., 2])


def test_small_data_subset_is_balanced_seeded_and_of_the_training_split(bundled_train):
    a = everything(build_dataset("mnist", source="bundled", num_examples=500, image_size=28)[0])
    b = everything(build_dataset("mnist", source="bundled", num_examples=500, image_size=28)[0])
    c = everything(build_dataset("mnist", source="bundled", num_examples=500, image_size=28, subset_seed=1)[0])
    assert np.bincount(a["label"]).tolist() == [50] * 10
    np.testing.assert_array_equal(a["real"], b["real"])
    assert not np.array_equal(a["real"], c["real"])
    digits = np.round((a["real"][..., 0] + 1.0) * 127.5).astype(np.uint8)
    assert keys(digits) <= keys(bundled_train[0])
    assert not keys(digits) & keys(mnist_arrays("test")[0])  # no held-out digit
    with pytest.raises(DataError, match="num_examples 4000 is not smaller"):
        build_dataset("mnist", source="bundled", num_examples=4000)


def test_tfds_serves_when_prepared_and_the_card_says_so():
    with tfds.testing.mock_data(num_examples=12):
        ds, info = build_dataset("mnist")
        x = everything(ds)
        forced = build_dataset("mnist", source="tfds", split="test", image_size=16)[1]
    assert info.extra == {"source": "tfds", "source_examples": 12, "split": "train"}
    assert info.shape == (32, 32, 1) and info.num_examples == 12 and x["real"].shape == (12, 32, 32, 1)
    assert np.all(x["real"][:, :2] == -1.0) and np.all(x["real"][:, :, 30:] == -1.0)
    assert x["real"].max() <= 1.0 and x["real"][:, 2:30, 2:30].std() > 0.1
    assert set(x["label"].tolist()) <= set(range(10))
    assert forced.extra["source"] == "tfds" and forced.shape == (16, 16, 1)


def test_bad_requests_are_one_line_data_errors(tmp_path):
    for kwargs, match in [({"source": "web"}, "source must be one of"),
                          ({"source": "tfds", "data_dir": str(tmp_path)}, "not prepared"),
                          ({"split": "validation"}, "unknown split"),
                          ({"num_examples": 5}, "num_examples must be 0 or >= 10"),
                          ({"channels": 2}, "channels")]:
        with pytest.raises(DataError, match=match) as err:
            build_dataset("mnist", **kwargs)
        assert "\n" not in str(err.value)
