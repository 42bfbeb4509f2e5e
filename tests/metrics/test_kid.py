import numpy as np
import pytest

from tfgan_zoo.metrics.kid import kernel_inception_distance, mmd2_unbiased


def loop_mmd2(x, y):
    d = x.shape[1]

    def k(a, b):
        return (sum(a[i] * b[i] for i in range(d)) / d + 1.0) ** 3

    m, n = len(x), len(y)
    xx = sum(k(x[i], x[j]) for i in range(m) for j in range(m) if i != j) / (m * (m - 1))
    yy = sum(k(y[i], y[j]) for i in range(n) for j in range(n) if i != j) / (n * (n - 1))
    xy = sum(k(x[i], y[j]) for i in range(m) for j in range(n)) / (m * n)
    return xx + yy - 2 * xy


def test_mmd2_matches_double_loop():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(12, 4)), rng.normal(0.5, 1.5, size=(9, 4))
    assert mmd2_unbiased(x, y) == pytest.approx(loop_mmd2(x, y), rel=1e-10)


def test_kid_with_one_full_subset_is_the_plain_estimate():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(15, 3)), rng.normal(1.0, 1.0, size=(15, 3))
    result = kernel_inception_distance(x, y, num_subsets=1, subset_size=100)
    assert result["subset_size"] == 15  # capped at the set size
    assert result["mean"] == pytest.approx(loop_mmd2(x, y), rel=1e-10)
    assert result["std"] == 0.0


def test_kid_std_is_zero_when_every_subset_is_each_whole_set():
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(40, 5)), rng.normal(0.3, 1.0, size=(40, 5))
    result = kernel_inception_distance(x, y, num_subsets=100, subset_size=1000)
    assert result["std"] == 0.0 and result["subset_size"] == 40  # was ~1e-14 of round-off
    assert result["mean"] == pytest.approx(loop_mmd2(x, y), rel=1e-10)


def test_kid_separates_same_and_shifted_distributions():
    rng = np.random.default_rng(2)
    real = rng.normal(size=(300, 8))
    same = kernel_inception_distance(real, rng.normal(size=(300, 8)), 20, 100)
    shifted = kernel_inception_distance(real, rng.normal(0.7, 1.0, size=(300, 8)), 20, 100)
    assert abs(same["mean"]) < 3 * same["std"] + 1e-3
    assert shifted["mean"] > 10 * abs(same["mean"]) and shifted["mean"] > 5 * shifted["std"]
