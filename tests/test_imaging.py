"""Sample pictures: [-1, 1] -> uint8, grids, scatter plots, atomic PNG writes."""
import numpy as np
import tensorflow as tf

from tfgan_zoo.imaging import image_grid, preview_to_image, scatter_image, to_uint8, write_png


def test_to_uint8_maps_the_range_ends_and_clips():
    np.testing.assert_array_equal(to_uint8([-1.0, 0.0, 1.0, 3.0, -7.0]), [0, 128, 255, 255, 0])


def test_grid_places_each_tile_and_enlarges_small_ones():
    images = np.stack([np.full((4, 4, 1), v, np.float32) for v in (-1.0, 1.0, -1.0)])
    grid = image_grid(images, columns=2, pad=1, min_tile=8)  # factor 2 -> 8 px tiles
    assert grid.shape == (2 * 9 + 1, 2 * 9 + 1, 1)
    assert np.all(grid[1:9, 1:9] == 0) and np.all(grid[1:9, 10:18] == 255)
    assert np.all(grid[10:18, 1:9] == 0) and np.all(grid[10:18, 10:18] == 255)  # empty slot: white


def test_scatter_marks_points_and_reference():
    img = scatter_image(np.array([[0.0, 0.0]]), reference=np.array([[1.0, 1.0]]), size=64)
    assert img.shape == (64, 64, 3)
    assert (img == (30, 80, 200)).all(axis=-1).sum() == 1
    assert (img == (220, 30, 30)).all(axis=-1).sum() > 0
    assert preview_to_image(np.zeros((5, 2))).shape[-1] == 3


def test_write_png_round_trip(tmp_path):
    grid = image_grid(np.linspace(-1, 1, 2 * 8 * 8 * 3).reshape(2, 8, 8, 3), min_tile=1)
    path = write_png(str(tmp_path / "sub" / "g.png"), grid)
    back = tf.io.decode_png(tf.io.read_file(path)).numpy()
    np.testing.assert_array_equal(back, grid)
    assert not list((tmp_path / "sub").glob("*.tmp"))
