"""unpaired:<dirA>,<dirB> and unpaired:<dir> on tiny image files written by the tests."""
import numpy as np
import pytest

from tests.data.test_folder import save, solid
from tfgan_zoo.data import build_dataset
from tfgan_zoo.errors import DataError, UserError


def everything(ds):
    return next(ds.batch(100).as_numpy_iterator())["real"]


def domains(root, sizes_a=(8, 8), sizes_b=(8,), split=""):
    for i, side in enumerate(sizes_a):
        save(root / "A" / split / f"a{i}.png", solid(side, side, 255))
    for i, side in enumerate(sizes_b):
        save(root / "B" / split / f"b{i}.jpg", solid(side, side, 0))
    return root / "A", root / "B"


def test_two_folders_give_two_streams(tmp_path):
    a, b = domains(tmp_path)
    streams, info = build_dataset(f"unpaired:{a},{b}")
    assert set(streams) == {"a", "b"} and info.streams == ("a", "b")
    assert (info.kind, info.shape, info.num_examples, info.extra["stream_examples"]["b"]) == ("images", (8, 8, 3), 2, 1)
    np.testing.assert_allclose(everything(streams["a"]), 1.0, atol=1e-3)
    np.testing.assert_allclose(everything(streams["b"]), -1.0, atol=1e-3)
    assert set(streams["a"].element_spec) == {"real"}


def test_the_cyclegan_layout_and_its_splits(tmp_path):
    for split, n in (("train", 3), ("test", 1)):
        for domain, value in (("A", 255), ("B", 0)):
            for i in range(n):
                save(tmp_path / f"{split}{domain}" / f"{i}.png", solid(16, 16, value))
    streams, info = build_dataset(f"unpaired:{tmp_path}", image_size=8, channels=1)
    assert info.shape == (8, 8, 1) and everything(streams["b"]).shape == (3, 8, 8, 1)
    streams, info = build_dataset(f"unpaired:{tmp_path}", split="test")
    assert (info.num_examples, info.extra["stream_examples"]["b"], info.shape) == (1, 1, (16, 16, 3))
    with pytest.raises(DataError, match="valA and valB subfolders"):
        build_dataset(f"unpaired:{tmp_path}", split="val")


def test_split_subfolders_of_each_domain(tmp_path):
    a, b = domains(tmp_path, split="test")
    streams, info = build_dataset(f"unpaired:{a},{b}", split="test")
    assert info.num_examples == 2
    with pytest.raises(DataError, match="no 'val' subfolder"):
        build_dataset(f"unpaired:{a},{b}", split="val")


@pytest.mark.parametrize("kwargs", [{}, dict(image_size=16)])
def test_domains_must_agree_on_the_size(tmp_path, kwargs):
    a, b = domains(tmp_path, sizes_a=(16, 16), sizes_b=(8,))
    if kwargs:  # larger than B's images
        with pytest.raises(DataError, match=r"\(B\): image_size 16 is larger than") as err:
            build_dataset(f"unpaired:{a},{b}", **kwargs)
    else:
        with pytest.raises(DataError, match="domains differ in size \\(A 16 px, B 8 px\\); pass image_size") as err:
            build_dataset(f"unpaired:{a},{b}")
    assert "\n" not in str(err.value)
    assert build_dataset(f"unpaired:{a},{b}", image_size=8)[1].shape == (8, 8, 3)
    assert build_dataset(f"unpaired:{a},{b}", image_size=16, allow_upscale=True)[1].shape == (16, 16, 3)


def test_errors_name_the_domain_and_path(tmp_path):
    a, b = domains(tmp_path)
    with pytest.raises(DataError, match=r"\(B\): no such folder .*missing"):
        build_dataset(f"unpaired:{a},{tmp_path / 'missing'}")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match=r"\(A\): no png/jpg"):
        build_dataset(f"unpaired:{tmp_path / 'empty'},{b}")
    (b / "broken.png").write_bytes(b"not a png")
    with pytest.raises(DataError, match=r"\(B\): cannot decode image .*broken.png"):
        build_dataset(f"unpaired:{a},{b}")
    for spec in (f"unpaired:{a},{b},{a}", f"unpaired:{a},", "unpaired:,"):
        with pytest.raises(DataError, match="two folders separated by one comma"):
            build_dataset(spec)
    with pytest.raises(DataError, match="trainA and trainB subfolders"):
        build_dataset(f"unpaired:{a}")
    with pytest.raises(UserError, match="needs two folders: write 'unpaired:<dirA>,<dirB>'"):
        build_dataset("unpaired")
    with pytest.raises(UserError, match="allow_upscale must be true or false"):
        build_dataset(f"unpaired:{a},{b}", allow_upscale="yes")
