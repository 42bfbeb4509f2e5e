"""Multi-scale SWD: the Laplacian pyramid against direct NumPy loops, patches, and per-level behaviour."""
import numpy as np
import pytest

from tfgan_zoo.errors import UserError
from tfgan_zoo.metrics.ms_swd import (PyramidDescriptors, laplacian_pyramid, multiscale_swd, neighbourhoods, normalize,
                                      pyr_down, pyr_up, pyramid_resolutions, reconstruct,
                                      swd_per_level)

RNG = np.random.default_rng(0)
TAPS = np.array([1.0, 4.0, 6.0, 4.0, 1.0]) / 16.0


def _reflect101(i, n):
    """cv2.BORDER_REFLECT_101 / scipy "mirror": ... 2 1 | 0 1 2 ... n-1 | n-2 ..."""
    while i < 0 or i >= n:
        i = -i if i < 0 else 2 * (n - 1) - i
    return i


def _loop_filter(image, gain=1.0):
    h, w = image.shape
    out = np.zeros_like(image)
    for y in range(h):
        for x in range(w):
            for a in range(5):
                for b in range(5):
                    out[y, x] += gain * TAPS[a] * TAPS[b] * image[_reflect101(y + a - 2, h), _reflect101(x + b - 2, w)]
    return out


def test_pyr_down_and_up_match_direct_loops():
    image = RNG.normal(size=(8, 8))
    np.testing.assert_allclose(pyr_down(image[None, :, :, None])[0, :, :, 0], _loop_filter(image)[::2, ::2], rtol=1e-12)
    small = RNG.normal(size=(4, 4))
    zeros = np.zeros((8, 8))
    zeros[::2, ::2] = small
    np.testing.assert_allclose(pyr_up(small[None, :, :, None])[0, :, :, 0], _loop_filter(zeros, 4.0), rtol=1e-12)
    constant = np.full((1, 8, 8, 2), 3.0)
    np.testing.assert_allclose(pyr_down(constant), 3.0)
    np.testing.assert_allclose(pyr_up(pyr_down(constant)), 3.0)


def test_laplacian_pyramid_reconstructs_exactly():
    images = RNG.normal(size=(3, 32, 32, 3))
    pyramid = laplacian_pyramid(images, 3)
    assert [p.shape[1] for p in pyramid] == [32, 16, 8]
    np.testing.assert_allclose(reconstruct(pyramid), images, atol=1e-12)


def test_neighbourhoods_are_patches_inside_the_image():
    level = RNG.normal(size=(2, 10, 10, 3))
    patches = neighbourhoods(level, 5, np.random.default_rng(1))
    assert patches.shape == (10, 7, 7, 3)
    for i, patch in enumerate(patches):   # each patch occurs in its own image at some in-bounds offset
        image = level[i // 5]
        assert any(np.allclose(image[y:y + 7, x:x + 7], patch, atol=1e-6)
                   for y in range(10 - 6) for x in range(10 - 6))


def test_normalize_per_channel():
    d = RNG.normal(size=(50, 7, 7, 2)) * np.array([1.0, 10.0]) + np.array([5.0, -3.0])
    flat = normalize(d).reshape(50, 7, 7, 2)
    np.testing.assert_allclose(flat.mean(axis=(0, 1, 2)), 0.0, atol=1e-12)
    np.testing.assert_allclose(flat.std(axis=(0, 1, 2)), 1.0, rtol=1e-12)


def test_resolutions():
    assert pyramid_resolutions(32) == [32, 16]
    assert pyramid_resolutions(1024) == [1024, 512, 256, 128, 64, 32, 16]
    assert pyramid_resolutions(16, 8) == [16, 8]
    assert pyramid_resolutions(8) == []


def _smooth_images(n, size=32):
    """Random blobs: smooth at the finest scale, varied at the coarse one."""
    coarse = RNG.normal(size=(n, size // 8, size // 8, 1))
    return np.clip(pyr_up(pyr_up(pyr_up(coarse))), -1, 1)


def test_identical_sets_give_zero_and_detail_shows_at_the_fine_level():
    a, b = _smooth_images(60), _smooth_images(60)
    split = multiscale_swd(a, b, nhoods_per_image=16)
    # fine-scale noise: a big change at the 32 px band, a small one at the 16 px low-pass level
    noisy = multiscale_swd(a, a + RNG.normal(0.0, 0.3, a.shape), nhoods_per_image=16)
    assert noisy[32] > 3 * split[32]
    assert noisy[32] > 3 * noisy[16]
    assert set(noisy) == {32, 16, "avg"} and noisy["avg"] == pytest.approx((noisy[32] + noisy[16]) / 2)
    # the same descriptors on both sides: exactly 0 (same seed -> same patches)
    pa, pb = PyramidDescriptors(seed=5).update(a), PyramidDescriptors(seed=5).update(a)
    for da, db in zip(pa.descriptors(), pb.descriptors()):
        np.testing.assert_array_equal(da, db)
    assert swd_per_level(pa.descriptors(), pb.descriptors()) == [0.0, 0.0]


def test_streaming_equals_one_batch():
    a = _smooth_images(20)
    one = PyramidDescriptors(nhoods_per_image=4, seed=1).update(a).descriptors()
    streamed = PyramidDescriptors(nhoods_per_image=4, seed=1)
    for i in range(0, 20, 7):
        streamed.update(a[i:i + 7])
    for x, y in zip(one, streamed.descriptors()):
        assert x.shape == (80, 49)
        np.testing.assert_allclose(x, y, rtol=1e-12)


def test_errors_are_user_errors():
    with pytest.raises(UserError, match="at least 16"):
        multiscale_swd(np.zeros((2, 8, 8, 1)), np.zeros((2, 8, 8, 1)))
    with pytest.raises(UserError, match="equal image sizes"):
        multiscale_swd(_smooth_images(2), _smooth_images(2, 16))
    with pytest.raises(UserError, match="no images"):
        PyramidDescriptors().descriptors()
