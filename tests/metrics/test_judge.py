"""The judges' maths against independent numbers: ECE by hand, the temperature by grid search,
the corruptions by their defining properties."""
import numpy as np
import pytest

from tfgan_zoo.metrics import judge
from tfgan_zoo.metrics import judge_training as jt


def test_ece_by_hand():
    # bin (0.6, 0.667]: 4 rows at confidence 0.65, 2 right -> |0.5 - 0.65| x 4/10
    # bin (0.867, 0.933]: 6 rows at confidence 0.9, 6 right -> |1 - 0.9| x 6/10
    probs = np.array([[0.65, 0.35]] * 4 + [[0.9, 0.1]] * 6)
    labels = np.array([0, 0, 1, 1] + [0] * 6)
    assert judge.expected_calibration_error(probs, labels) == pytest.approx(0.4 * 0.15 + 0.6 * 0.1)


def test_ece_of_calibrated_draws_is_small_and_of_overconfident_ones_large():
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 2, (20000, 10))
    p = judge.softmax(logits)
    labels = np.array([rng.choice(10, p=row) for row in p])  # labels drawn from p: calibrated
    assert judge.expected_calibration_error(p, labels) < 0.015
    assert judge.expected_calibration_error(judge.softmax(3 * logits), labels) > 0.1


def test_temperature_matches_a_grid_search_and_recovers_the_scale():
    rng = np.random.default_rng(1)
    logits = rng.normal(0, 2, (5000, 10))
    labels = np.array([rng.choice(10, p=row) for row in judge.softmax(logits)])
    fitted = judge.fit_temperature(3.0 * logits, labels)  # 3x overconfident logits -> T ~ 3
    grid = np.linspace(1.0, 5.0, 4001)

    def nll(t):
        z = 3.0 * logits / t
        z = z - z.max(1, keepdims=True)
        return np.mean(np.log(np.exp(z).sum(1)) - z[np.arange(len(z)), labels])

    best = grid[np.argmin([nll(t) for t in grid])]
    assert fitted == pytest.approx(best, abs=2e-3)
    assert fitted == pytest.approx(3.0, rel=0.08)


def test_corruptions():
    rng = np.random.default_rng(2)
    x = np.full((3, 16, 16, 1), -1.0, np.float32)
    x[:, 6:10, 6:10] = 1.0
    moved = judge.shift(x, 2, -3)
    np.testing.assert_array_equal(moved[:, 8:12, 3:7], 1.0)
    assert (moved == 1.0).sum() == (x == 1.0).sum()
    blurred = judge.blur(x, 1.0)  # ink mass (above background) kept away from the borders
    assert (blurred + 1).sum() == pytest.approx((x + 1).sum(), rel=1e-3)
    assert blurred.max() < 1.0 and judge.blur(x, 0) is not x
    noisy = judge.add_noise(x, 0.3, seed=0)
    assert noisy.min() >= -1 and noisy.max() <= 1 and not np.allclose(noisy, x)
    labels = rng.integers(0, 10, 3)
    b, la, lb = judge.blends(np.concatenate([x, -x]), np.concatenate([labels, labels + 10]), 50)
    assert len(b) == 50 and (la != lb).all()


def test_soft_targets_follow_severity_and_mixup_keeps_mass():
    t = np.eye(10, dtype=np.float32)[[3, 3, 3]]
    soft = jt.soften(t, np.array([0.0, 0.5, 1.0]))
    np.testing.assert_allclose(soft.sum(1), 1.0, rtol=1e-6)
    assert soft[0, 3] == 1.0 and soft[0, 3] > soft[1, 3] > soft[2, 3] > 0.1
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (200, 8, 8, 1)).astype(np.float32)
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 200)]
    xm, ym = jt.mixup(x, y, rng)
    np.testing.assert_allclose(ym.sum(1), 1.0, rtol=1e-5)
    assert 0.3 < np.mean(np.abs(xm - x).max(axis=(1, 2, 3)) > 0) < 0.7  # about half mixed
