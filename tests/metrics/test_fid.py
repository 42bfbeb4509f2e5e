import numpy as np
import pytest
import scipy.linalg

from tfgan_zoo.metrics import fid
from tfgan_zoo.metrics.fid import StreamingMoments, fid_from_features, frechet_distance


def test_fid_of_a_set_with_itself_is_zero():
    x = np.random.default_rng(0).normal(size=(200, 6))
    assert fid_from_features(x, x) == pytest.approx(0.0, abs=1e-9)


def test_fid_diagonal_gaussians_matches_closed_form():
    mu1, mu2 = np.array([0.0, 1.0, -2.0]), np.array([1.0, 1.0, 0.5])
    v1, v2 = np.array([1.0, 4.0, 0.25]), np.array([9.0, 1.0, 0.25])
    # diagonal: Tr(S1 + S2 - 2 sqrt(S1 S2)) = sum (sqrt v1 - sqrt v2)^2
    expected = np.sum((mu1 - mu2) ** 2) + np.sum((np.sqrt(v1) - np.sqrt(v2)) ** 2)
    assert expected == pytest.approx(1 + 6.25 + 4 + 1)
    assert frechet_distance(mu1, np.diag(v1), mu2, np.diag(v2)) == pytest.approx(expected, rel=1e-12)


def test_fid_commuting_covariances_in_a_rotated_basis():
    q, _ = np.linalg.qr(np.random.default_rng(1).normal(size=(4, 4)))
    l1, l2 = np.array([1.0, 2.0, 3.0, 4.0]), np.array([4.0, 0.5, 3.0, 1.0])
    s1, s2 = q @ np.diag(l1) @ q.T, q @ np.diag(l2) @ q.T   # same eigenvectors -> commute
    mu1, mu2 = np.ones(4), np.zeros(4)
    expected = 4.0 + np.sum((np.sqrt(l1) - np.sqrt(l2)) ** 2)
    assert frechet_distance(mu1, s1, mu2, s2) == pytest.approx(expected, rel=1e-10)


def test_fid_sample_estimate_approaches_closed_form():
    rng = np.random.default_rng(2)
    a = rng.normal(0.0, 1.0, size=(20000, 2))
    b = rng.normal([3.0, 0.0], [2.0, 1.0], size=(20000, 2))
    assert fid_from_features(a, b) == pytest.approx(9.0 + 1.0, rel=0.03)


def test_streaming_moments_equal_numpy_mean_and_cov():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(257, 5)) * [1, 2, 3, 4, 5] + 1e4  # large offset: no cancellation
    moments = StreamingMoments(5)
    for start, stop in [(0, 1), (1, 100), (100, 101), (101, 257)]:
        moments.update(x[start:stop])
    assert moments.count == 257
    np.testing.assert_allclose(moments.mean, np.mean(x, axis=0), rtol=1e-13)
    np.testing.assert_allclose(moments.cov, np.cov(x, rowvar=False), rtol=1e-9)


def test_streaming_moments_merge_and_roundtrip():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(90, 3))
    a, b = StreamingMoments(3).update(x[:30]), StreamingMoments(3).update(x[30:])
    restored = StreamingMoments.from_arrays(a.merge(b).to_arrays("p_"), "p_")
    np.testing.assert_allclose(restored.cov, np.cov(x, rowvar=False), rtol=1e-12)
    with pytest.raises(ValueError):
        StreamingMoments(3).update(np.zeros((2, 4)))


def test_large_imaginary_component_raises():
    # an indefinite "covariance" makes the product's square root genuinely complex
    with pytest.raises(ValueError, match="imaginary"):
        frechet_distance(np.zeros(2), np.diag([1.0, -1.0]), np.zeros(2), np.eye(2))


def test_tiny_imaginary_component_is_discarded(monkeypatch):
    real_sqrtm = scipy.linalg.sqrtm
    monkeypatch.setattr(fid.scipy.linalg, "sqrtm", lambda m: real_sqrtm(m) + 1e-9j)
    s = np.diag([1.0, 4.0])
    assert frechet_distance(np.zeros(2), s, np.ones(2), s) == pytest.approx(2.0)
