"""folder:<path> and pairs:<path> on tiny image files written by the tests."""
import numpy as np
import pytest
from PIL import Image

from tfgan_zoo.data import build_dataset
from tfgan_zoo.errors import DataError


def save(path, array, mode=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.asarray(array, np.uint8), mode).save(path)
    return path


def solid(h, w, value, channels=3):
    return np.full((h, w, channels) if channels > 1 else (h, w), value, np.uint8)


def batch(ds, n=100):
    return next(ds.batch(n).as_numpy_iterator())


def test_folder_reads_every_format_recursively_sorted(tmp_path):
    save(tmp_path / "a.png", solid(8, 8, 255))
    save(tmp_path / "sub" / "b.jpg", solid(8, 8, 0))
    save(tmp_path / "sub" / "deeper" / "c.bmp", solid(8, 8, 0))
    save(tmp_path / "d.gif", solid(8, 8, 255, channels=1), mode="L")
    save(tmp_path / "e.JPEG", solid(8, 8, 0))
    (tmp_path / "notes.txt").write_text("not an image")
    ds, info = build_dataset(f"folder:{tmp_path}")
    assert (info.kind, info.shape, info.num_examples, info.num_classes) == ("images", (8, 8, 3), 5, None)
    assert set(ds.element_spec) == {"real"}
    real = batch(ds)["real"]
    assert real.shape == (5, 8, 8, 3) and real.dtype == np.float32
    np.testing.assert_allclose(real.mean(axis=(1, 2, 3)), [1, 1, -1, -1, -1], atol=0.02)  # a, d, e, sub/b, sub/deeper/c


def test_folder_center_crops_then_resizes_and_converts_channels(tmp_path):
    image = np.zeros((8, 16, 3), np.uint8)
    image[:, 4:12] = 255  # the centered 8x8 square is white; the borders are black
    save(tmp_path / "wide.png", image)
    ds, info = build_dataset(f"folder:{tmp_path}", image_size=4, channels=1)
    real = batch(ds)["real"]
    assert info.shape == (4, 4, 1) and real.shape == (1, 4, 4, 1)
    np.testing.assert_allclose(real, 1.0, atol=1e-3)  # rgb_to_grayscale weights sum to 0.9999


@pytest.mark.parametrize("size", [8, 16])
def test_folder_resizes_mixed_sizes(tmp_path, size):
    save(tmp_path / "big.png", solid(32, 32, 128))
    save(tmp_path / "small.png", solid(16, 20, 128))
    real = batch(build_dataset(f"folder:{tmp_path}", image_size=size)[0])["real"]
    assert real.shape == (2, size, size, 3)
    np.testing.assert_allclose(real, 128 / 127.5 - 1.0, atol=1e-3)


def test_folder_split_subfolders(tmp_path):
    save(tmp_path / "train" / "a.png", solid(8, 8, 0))
    save(tmp_path / "test" / "b.png", solid(8, 8, 0))
    save(tmp_path / "test" / "c.png", solid(8, 8, 0))
    assert build_dataset(f"folder:{tmp_path}")[1].num_examples == 1
    assert build_dataset(f"folder:{tmp_path}", split="test")[1].num_examples == 2
    with pytest.raises(DataError, match="no 'val' subfolder"):
        build_dataset(f"folder:{tmp_path}", split="val")


def test_folder_errors_name_the_path(tmp_path):
    with pytest.raises(DataError, match="no such folder") as err:
        build_dataset(f"folder:{tmp_path / 'missing'}")
    assert str(tmp_path / "missing") in str(err.value)
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="no png/jpg/jpeg/bmp/gif images"):
        build_dataset(f"folder:{tmp_path / 'empty'}")
    save(tmp_path / "mixed" / "ok.png", solid(8, 8, 0))
    (tmp_path / "mixed" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really a png")
    with pytest.raises(DataError, match="cannot decode image .*broken.png") as err:
        build_dataset(f"folder:{tmp_path / 'mixed'}")
    assert "\n" not in str(err.value)


def test_folder_shape_requests(tmp_path):
    save(tmp_path / "a.png", solid(8, 8, 0))
    save(tmp_path / "b.png", solid(12, 12, 0))
    with pytest.raises(DataError, match="differ in size.*pass image_size"):
        build_dataset(f"folder:{tmp_path}")
    with pytest.raises(DataError, match="larger than .*a.png"):
        build_dataset(f"folder:{tmp_path}", image_size=16)
    assert build_dataset(f"folder:{tmp_path}", image_size=16, allow_upscale=True)[1].shape == (16, 16, 3)
    with pytest.raises(DataError, match="channels"):
        build_dataset(f"folder:{tmp_path}", image_size=8, channels=4)
    save(tmp_path / "wide" / "w.png", solid(8, 10, 0))
    with pytest.raises(DataError, match="w.png.*not square"):
        build_dataset(f"folder:{tmp_path / 'wide'}")


def pair(h, left, right):
    return np.concatenate([solid(h, h, left), solid(h, h, right)], axis=1)


def test_pairs_split_halves_by_direction(tmp_path):
    save(tmp_path / "train" / "1.png", pair(8, 0, 255))
    save(tmp_path / "train" / "2.jpg", pair(8, 0, 255))
    save(tmp_path / "val" / "3.png", pair(8, 0, 255))
    ds, info = build_dataset(f"pairs:{tmp_path}", image_size=4)
    assert (info.kind, info.shape, info.source_shape, info.num_examples) == ("paired", (4, 4, 3), (4, 4, 3), 2)
    x = batch(ds)
    np.testing.assert_allclose(x["source"], -1.0, atol=0.02)  # A, the left half
    np.testing.assert_allclose(x["real"], 1.0, atol=0.02)  # B, the right half
    x = batch(build_dataset(f"pairs:{tmp_path}", split="val", direction="BtoA", channels=1)[0])
    assert x["real"].shape == (1, 8, 8, 1)
    np.testing.assert_allclose(x["source"], 1.0, atol=0.02)
    np.testing.assert_allclose(x["real"], -1.0, atol=0.02)


def test_pairs_errors_name_the_file(tmp_path):
    save(tmp_path / "good.png", pair(8, 0, 255))
    save(tmp_path / "square.png", solid(8, 8, 0))
    with pytest.raises(DataError, match="square.png.*8x8 px.*twice as wide"):
        build_dataset(f"pairs:{tmp_path}")
    with pytest.raises(DataError, match="direction"):
        build_dataset(f"pairs:{tmp_path}", direction="AB")


def test_boolean_options_are_not_guessed(tmp_path):
    save(tmp_path / "a.png", solid(8, 8, 0))
    with pytest.raises(DataError, match="allow_upscale must be true or false"):
        build_dataset(f"folder:{tmp_path}", image_size=16, allow_upscale="false")
