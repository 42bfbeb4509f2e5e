import numpy as np
import pytest
from scipy.ndimage import gaussian_filter, laplace

from tfgan_zoo.data.digits import load_digit_images
from tfgan_zoo.errors import UserError
from tfgan_zoo.metrics.sharpness import SHARPNESS_BAR, laplacian, sharpness


@pytest.fixture(scope="module")
def digits16():
    images, _ = load_digit_images(16)
    return images


def test_laplacian_is_scipys_on_the_interior(digits16):
    x = digits16[:5]
    ours = laplacian(x)
    for i in range(len(x)):  # scipy.ndimage.laplace: the same stencil, an independent implementation
        np.testing.assert_allclose(ours[i], laplace(x[i, :, :, 0].astype(np.float64))[1:-1, 1:-1],
                                   atol=1e-12)
    rgb = np.repeat(x, 3, axis=-1)
    np.testing.assert_allclose(laplacian(rgb), ours, atol=1e-12)


def test_real_digits_score_one_and_two_halves_agree(digits16):
    assert sharpness(digits16, digits16)["value"] == pytest.approx(1.0)
    half = len(digits16) // 2
    assert sharpness(digits16[:half], digits16[half:])["value"] == pytest.approx(1.0, abs=0.05)


def test_noise_raises_it_and_blur_lowers_it(digits16):
    rng = np.random.default_rng(0)
    noisy = np.clip(digits16 + rng.normal(0, 0.3, digits16.shape), -1, 1)
    blurred = np.stack([gaussian_filter(im, sigma=(1.0, 1.0, 0), mode="nearest") for im in digits16])
    s_noisy = sharpness(noisy, digits16)["value"]
    s_blur = sharpness(blurred, digits16)["value"]
    assert s_noisy > SHARPNESS_BAR[1] and s_blur < 1.0
    assert s_blur < sharpness(np.stack([gaussian_filter(im, sigma=(0.5, 0.5, 0), mode="nearest")
                                        for im in digits16]), digits16)["value"]


def test_real_images_are_brought_to_the_samples_size(digits16):
    import tensorflow as tf

    from tfgan_zoo.metrics.sharpness import mean_abs_laplacian
    images32, _ = load_digit_images(32)
    rec = sharpness(images32[:400], digits16)  # real 16 px resized up to 32 px first
    up = tf.image.resize(digits16, (32, 32), method="bilinear", antialias=True).numpy()
    assert rec["image_size"] == [32, 32] and rec["num_real"] == len(digits16)
    assert rec["real"] == pytest.approx(mean_abs_laplacian(up), rel=1e-6)


def test_bad_input_is_one_line_error(digits16):
    with pytest.raises(UserError, match="at least 3x3"):
        sharpness(np.zeros((4, 2, 2, 1)), digits16)
    with pytest.raises(UserError, match="flat"):
        sharpness(digits16, np.zeros((4, 16, 16, 1)))
