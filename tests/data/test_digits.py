"""digits and stacked_digits."""
import numpy as np
import pytest
from sklearn.datasets import load_digits

from tfgan_zoo.data import build_dataset
from tfgan_zoo.errors import DataError


def first(ds, n=None):
    items = list(ds.take(n or 1).as_numpy_iterator())
    return items if n else items[0]


def test_digits_default_is_16px_gray_in_range_with_labels():
    ds, info = build_dataset("digits")
    assert (info.kind, info.shape, info.num_classes, info.num_examples) == ("images", (16, 16, 1), 10, 1797)
    assert ds.element_spec["real"].shape == (16, 16, 1) and ds.element_spec["real"].dtype.name == "float32"
    assert ds.element_spec["label"].dtype.name == "int32"
    items = first(ds, 50)
    images = np.stack([x["real"] for x in items])
    assert images.min() >= -1.0 and images.max() <= 1.0
    assert images.min() == -1.0 and images.max() > 0.5  # background is -1, strokes are bright
    np.testing.assert_array_equal([x["label"] for x in items], load_digits().target[:50])


def test_digits_native_size_is_the_exact_rescaled_data():
    ds, _ = build_dataset("digits", image_size=8)
    np.testing.assert_allclose(first(ds)["real"][..., 0], load_digits().images[0] / 8.0 - 1.0, atol=1e-6)


def test_digits_32px_three_channels_tiles_gray():
    ds, info = build_dataset("digits", image_size=32, channels=3)
    x = first(ds)["real"]
    assert info.shape == (32, 32, 3) and x.shape == (32, 32, 3)
    np.testing.assert_array_equal(x[..., 0], x[..., 2])


@pytest.mark.parametrize("kwargs, match", [
    (dict(image_size=0), "image_size"), (dict(image_size=-8), "image_size"), (dict(image_size=12.5), "image_size"),
    (dict(channels=2), "channels"), (dict(channels=4), "channels"), (dict(split="test"), "split"),
])
def test_digits_bad_requests(kwargs, match):
    with pytest.raises(DataError, match=match):
        build_dataset("digits", **kwargs)


def test_stacked_digits_channels_are_digits_matching_the_label():
    ds, info = build_dataset("stacked_digits", image_size=8, num_examples=20, seed=3)
    assert (info.shape, info.num_classes, info.num_examples) == ((8, 8, 3), 1000, 20)
    digits = load_digits()
    bank = digits.images.reshape(len(digits.images), -1) / 8.0 - 1.0
    for x in first(ds, 20):
        found = []
        for c in range(3):
            distance = np.abs(bank - x["real"][..., c].reshape(1, -1)).max(axis=1)
            found.append(digits.target[np.argmin(distance)])
            assert distance.min() < 1e-5
        assert x["label"] == 100 * found[0] + 10 * found[1] + found[2]


def test_stacked_digits_is_deterministic_and_splits_differ():
    def labels(**kw):
        ds = build_dataset("stacked_digits", image_size=8, num_examples=30, **kw)[0]
        return next(ds.batch(30).as_numpy_iterator())["label"].tolist()

    reference = labels(seed=1)
    assert labels(seed=1) == reference
    assert labels(seed=2) != reference
    assert labels(seed=1, split="test") != reference
    assert len(set(reference)) > 20  # 1,000 modes: 30 draws rarely collide


def test_stacked_digits_needs_three_channels():
    with pytest.raises(DataError, match="channels"):
        build_dataset("stacked_digits", channels=1)
    with pytest.raises(DataError, match="num_examples"):
        build_dataset("stacked_digits", num_examples=0)
