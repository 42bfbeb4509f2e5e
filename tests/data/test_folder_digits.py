"""folder: on a temporary folder of real MNIST digits written as PNGs (grayscale ones infer one
channel; the upscale error names the config key that works)."""
import numpy as np
import pytest
from PIL import Image

from tfgan_zoo.data import build_dataset
from tfgan_zoo.data.mnist_arrays import mnist_arrays
from tfgan_zoo.errors import DataError

N = 40


@pytest.fixture(scope="module")
def digits():
    images, _ = mnist_arrays("test")
    return images[::25][:N]


def write(folder, images, mode="L"):
    folder.mkdir(parents=True, exist_ok=True)
    for i, x in enumerate(images):
        image = Image.fromarray(x, "L")
        (image.convert(mode) if mode != "L" else image).save(folder / f"{i:04d}.png")
    return folder


def everything(ds):
    return next(ds.batch(1000).as_numpy_iterator())["real"]


def test_grayscale_pngs_give_one_channel_with_the_digits_values(tmp_path, digits):
    ds, info = build_dataset(f"folder:{write(tmp_path / 'gray', digits)}")
    assert info.shape == (28, 28, 1) and info.num_examples == N
    np.testing.assert_allclose(everything(ds)[..., 0], digits / 255.0 * 2.0 - 1.0, atol=1e-6)


def test_gray_stored_as_rgb_or_palette(tmp_path, digits):
    assert build_dataset(f"folder:{write(tmp_path / 'p', digits, 'P')}")[1].shape[-1] == 1  # gray palette
    assert build_dataset(f"folder:{write(tmp_path / 'rgb', digits, 'RGB')}")[1].shape[-1] == 3  # RGB mode
    mixed = write(tmp_path / "mixed", digits)
    colour = np.zeros((28, 28, 3), np.uint8)
    colour[..., 0] = 255
    Image.fromarray(colour, "RGB").save(mixed / "red.png")
    assert build_dataset(f"folder:{mixed}")[1].shape == (28, 28, 3)  # one colour file: RGB


def test_an_explicit_channels_setting_still_wins(tmp_path, digits):
    ds, info = build_dataset(f"folder:{write(tmp_path, digits)}", channels=3, image_size=32,
                             allow_upscale=True)
    x = everything(ds)
    assert info.shape == (32, 32, 3) and x.shape == (N, 32, 32, 3)
    np.testing.assert_array_equal(x[..., 0], x[..., 1])


def test_upscale_error_names_the_config_key(tmp_path, digits):
    with pytest.raises(DataError, match=r"28 px\); pass a smaller data.image_size or set "
                                        r"data.options.allow_upscale=true") as err:
        build_dataset(f"folder:{write(tmp_path, digits)}", image_size=32)
    assert "\n" not in str(err.value)


def test_gray_pngs_train_a_one_channel_dcgan(tmp_path, digits):
    from tests.testing import build, tiny_config

    cfg = tiny_config("dcgan", {"data": {"name": f"folder:{write(tmp_path / 'd', digits)}", "image_size": 8,
                                         "batch_size": 8}})
    _, info, model = build(cfg)
    assert info.shape == (8, 8, 1)
    assert model.generator.output_shape[-1] == 1 and model.discriminator.input_shape[-1] == 1


def test_unpaired_gray_and_colour_domains_both_read_as_rgb(tmp_path, digits):
    gray = write(tmp_path / "a", digits)
    colour = write(tmp_path / "b", digits, "RGB")
    assert build_dataset(f"unpaired:{gray},{colour}")[1].shape == (28, 28, 3)
    assert build_dataset(f"unpaired:{gray},{gray}")[1].shape == (28, 28, 1)
