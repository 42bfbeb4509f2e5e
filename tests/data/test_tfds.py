"""tfds:<name>, offline: mock data for the happy path, an empty data_dir for missing sets."""
import socket
import time

import numpy as np
import pytest
import tensorflow_datasets as tfds

from tfgan_zoo.data import build_dataset
from tfgan_zoo.data import tfds_source
from tfgan_zoo.errors import DataError


def batch(ds, n):
    return next(ds.batch(n).as_numpy_iterator())


def test_mnist_native_size_with_labels():
    with tfds.testing.mock_data(num_examples=6):
        ds, info = build_dataset("tfds:mnist")
        x = batch(ds, 6)
    assert (info.kind, info.shape, info.num_classes, info.name) == ("images", (28, 28, 1), 10, "tfds:mnist")
    assert info.num_examples in (None, 6)
    assert x["real"].shape == (6, 28, 28, 1) and x["real"].dtype == np.float32
    assert x["real"].min() >= -1.0 and x["real"].max() <= 1.0 and x["real"].std() > 0.1
    assert x["label"].dtype == np.int32 and set(x["label"].tolist()) <= set(range(10))


def test_mnist_resized_to_rgb_32():
    with tfds.testing.mock_data(num_examples=3):
        ds, info = build_dataset("tfds:mnist", image_size=32, channels=3, split="test")
        x = batch(ds, 3)["real"]
    assert info.shape == (32, 32, 3) and x.shape == (3, 32, 32, 3)
    np.testing.assert_array_equal(x[..., 0], x[..., 1])
    assert x.min() >= -1.0 and x.max() <= 1.0


def test_rgb_set_to_gray():
    with tfds.testing.mock_data(num_examples=2):
        ds, info = build_dataset("tfds:cifar10", channels=1, image_size=16)
        assert batch(ds, 2)["real"].shape == (2, 16, 16, 1)
    assert info.num_classes == 10


def test_unknown_dataset_fails_fast():
    start = time.monotonic()
    with pytest.raises(DataError, match="tfds:no_such_set_xyz") as err:
        build_dataset("tfds:no_such_set_xyz")
    assert "\n" not in str(err.value) and time.monotonic() - start < 10


def test_missing_data_without_download_fails_fast_naming_the_dir(tmp_path):
    start = time.monotonic()
    with pytest.raises(DataError, match="not prepared in .*download=True") as err:
        build_dataset("tfds:mnist", data_dir=str(tmp_path))
    assert str(tmp_path) in str(err.value) and time.monotonic() - start < 10


def test_download_when_offline_fails_fast_and_never_starts_downloading(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network is unreachable")

    real_load = tfds.load

    def guarded_load(*args, **kwargs):
        assert not kwargs.get("download"), "a download was attempted"
        return real_load(*args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(tfds, "load", guarded_load)
    with pytest.raises(DataError, match="unreachable"):
        build_dataset("tfds:mnist", data_dir=str(tmp_path), download=True)


def test_network_probe(monkeypatch):
    class Connection:
        def close(self):
            pass

    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: Connection())
    assert tfds_source.network_reachable()
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: (_ for _ in ()).throw(OSError("down")))
    assert not tfds_source.network_reachable()


def test_bad_requests():
    with pytest.raises(DataError, match="channels"):
        build_dataset("tfds:mnist", channels=2)
    with pytest.raises(DataError, match="image_size"):
        build_dataset("tfds:mnist", image_size=0)
    with tfds.testing.mock_data(num_examples=2):
        with pytest.raises(DataError, match="no image feature 'picture'"):
            build_dataset("tfds:mnist", image_key="picture")


def test_download_must_be_a_bool(tmp_path):
    with pytest.raises(DataError, match="download must be true or false"):
        build_dataset("tfds:mnist", data_dir=str(tmp_path), download="no")
