"""edges2photos: bundled offline paired set."""
import numpy as np
import pytest
from skimage.color import rgb2gray
from skimage.filters import sobel

from tfgan_zoo.data import build_dataset
from tfgan_zoo.errors import DataError


def arrays(ds):
    batch = next(ds.batch(1000).as_numpy_iterator())
    return batch["source"], batch["real"]


def test_default_shapes_and_ranges():
    ds, info = build_dataset("edges2photos", num_examples=12)
    assert (info.kind, info.shape, info.source_shape, info.num_examples) == ("paired", (32, 32, 3), (32, 32, 1), 12)
    assert info.num_classes is None and set(ds.element_spec) == {"source", "real"}
    source, real = arrays(ds)
    assert source.shape == (12, 32, 32, 1) and real.shape == (12, 32, 32, 3)
    for x in (source, real):
        assert x.dtype == np.float32 and x.min() >= -1.0 and x.max() <= 1.0
    assert real.std() > 0.1  # real photo content, not a constant
    assert (source.min(axis=(1, 2, 3)) == -1.0).all()  # each map's strongest edge is black


def test_source_is_the_sobel_edge_map_of_the_target():
    source, real = arrays(build_dataset("edges2photos", image_size=16, num_examples=4, seed=7)[0])
    for s, r in zip(source, real):
        magnitude = sobel(rgb2gray((r + 1.0) / 2.0))
        np.testing.assert_allclose(s[..., 0], 1.0 - 2.0 * magnitude / magnitude.max(), atol=1e-4)


def test_deterministic_from_seed_and_split():
    get = lambda **kw: arrays(build_dataset("edges2photos", image_size=16, num_examples=6, **kw)[0])[1]
    np.testing.assert_array_equal(get(seed=1), get(seed=1))
    assert not np.array_equal(get(seed=1), get(seed=2))
    assert not np.array_equal(get(seed=1), get(seed=1, split="test"))


def test_channel_options():
    ds, info = build_dataset("edges2photos", image_size=16, channels=1, source_channels=3, num_examples=2)
    assert info.shape == (16, 16, 1) and info.source_shape == (16, 16, 3)
    source, _ = arrays(ds)
    np.testing.assert_array_equal(source[..., 0], source[..., 2])


@pytest.mark.parametrize("kwargs", [dict(image_size=0), dict(channels=2), dict(source_channels=2),
                                    dict(num_examples=0), dict(split="val")])
def test_errors(kwargs):
    with pytest.raises(DataError):
        build_dataset("edges2photos", **kwargs)
