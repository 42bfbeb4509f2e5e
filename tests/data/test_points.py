"""ring and grid 2-D Gaussian mixtures."""
import numpy as np
import pytest

from tfgan_zoo.data import build_dataset
from tfgan_zoo.errors import DataError


def arrays(ds):
    batch = next(ds.batch(100_000).as_numpy_iterator())
    return batch["real"], batch["label"]


def test_ring_constants_and_samples():
    ds, info = build_dataset("ring", num_examples=4000, seed=1)
    assert (info.kind, info.shape, info.num_classes, info.num_examples) == ("points", (2,), 8, 4000)
    centers, std = info.extra["centers"], info.extra["std"]
    assert std == 0.02 and centers.shape == (8, 2)
    np.testing.assert_allclose(np.linalg.norm(centers, axis=1), 2.0, rtol=1e-6)
    np.testing.assert_allclose(centers[0], [2.0, 0.0], atol=1e-6)
    np.testing.assert_allclose(centers[2], [0.0, 2.0], atol=1e-6)
    points, labels = arrays(ds)
    assert points.dtype == np.float32 and labels.dtype == np.int32
    residual = points - centers[labels]
    assert abs(residual.std() - 0.02) < 0.002 and abs(residual.mean()) < 0.002
    assert np.bincount(labels, minlength=8).min() > 400  # modes equally likely


def test_grid_constants_and_labels_are_nearest_modes():
    ds, info = build_dataset("grid", num_examples=2000)
    centers = info.extra["centers"]
    assert info.extra["std"] == 0.05 and info.num_classes == 25
    assert sorted(set(centers[:, 0].tolist())) == [-4.0, -2.0, 0.0, 2.0, 4.0]
    assert len({tuple(c) for c in centers.tolist()}) == 25
    points, labels = arrays(ds)
    nearest = np.argmin(((points[:, None] - centers[None]) ** 2).sum(-1), axis=1)
    np.testing.assert_array_equal(nearest, labels)
    assert abs((points - centers[labels]).std() - 0.05) < 0.004


def test_points_are_deterministic_per_seed_and_split():
    get = lambda **kw: arrays(build_dataset("grid", num_examples=50, **kw)[0])[0]
    np.testing.assert_array_equal(get(seed=4), get(seed=4))
    assert not np.array_equal(get(seed=4), get(seed=5))
    assert not np.array_equal(get(seed=4), get(seed=4, split="test"))


def test_ring_options():
    _, info = build_dataset("ring", num_examples=5, radius=1.0, std=0.01, num_modes=6)
    assert info.extra["centers"].shape == (6, 2) and info.extra["std"] == 0.01 and info.num_classes == 6


@pytest.mark.parametrize("kwargs, match", [
    (dict(image_size=16), "point set"), (dict(channels=1), "point set"), (dict(std=0.0), "std"),
    (dict(num_examples=0), "num_examples"), (dict(split="validation"), "split"), (dict(seed=-1), "seed"),
])
def test_point_set_errors(kwargs, match):
    with pytest.raises(DataError, match=match):
        build_dataset("ring", **kwargs)
