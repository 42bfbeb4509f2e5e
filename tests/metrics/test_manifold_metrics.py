"""Precision/recall (Kynkäänniemi 2019) and density/coverage (Naeem 2020) on known sets."""
import numpy as np
import pytest

from tfgan_zoo.metrics import knn
from tfgan_zoo.metrics.density_coverage import density_coverage
from tfgan_zoo.metrics.precision_recall import precision_recall


def line(*xs):
    return np.array(xs, np.float64)[:, None]


def test_identical_sets_score_one():
    x = np.random.default_rng(0).normal(size=(60, 5))
    pr, dc = precision_recall(x, x), density_coverage(x, x)
    assert pr["precision"] == 1.0 and pr["recall"] == 1.0 and pr["k"] == 3
    assert dc["density"] == pytest.approx(1.0) and dc["coverage"] == 1.0


def test_far_disjoint_sets_score_zero():
    rng = np.random.default_rng(1)
    real, fake = rng.normal(size=(50, 4)), rng.normal(1000.0, 1.0, size=(40, 4))
    pr, dc = precision_recall(real, fake), density_coverage(real, fake)
    assert (pr["precision"], pr["recall"], dc["density"], dc["coverage"]) == (0, 0, 0, 0)


def test_precision_hand_worked_k3():
    # real 0..4: 3rd-NN radii 3, 2, 2, 2, 3. fakes -2.5 (in ball of 0), 2.2 (in), 7.5, 10 (out)
    pr = precision_recall(line(0, 1, 2, 3, 4), line(-2.5, 7.5, 2.2, 10))
    assert pr["precision"] == 0.5


def test_precision_counts_the_ball_boundary_as_inside():
    # real {0,1,3}: 1-NN radii 1,1,2. Fake 5 lies exactly on the boundary of real 3's ball
    pr = precision_recall(line(0, 1, 3), line(0.5, 5.0), k=1)
    assert pr["precision"] == 1.0 and pr["recall"] == 1.0


def test_recall_hand_worked_k1():
    # fake {0.5,1.5,2}: 1-NN radii 1,0.5,0.5. Real 3 is 1 from fake 2 and farther from the
    # others -> outside the generated manifold: recall 2/3; every fake is near a real: precision 1
    pr = precision_recall(line(0, 1, 3), line(0.5, 1.5, 2.0), k=1)
    assert pr["precision"] == 1.0 and pr["recall"] == pytest.approx(2 / 3)


def test_density_coverage_hand_worked_k2():
    # real {0,1,3,7}: 2nd-NN radii 3,2,3,6. fake 0.5 lies in the balls of 0,1,3 (not 7:
    # 6.5 > 6); fake 20 in none. density = 3/(2*2); real 7 is uncovered -> coverage 3/4
    dc = density_coverage(line(0, 1, 3, 7), line(0.5, 20), k=2)
    assert dc["density"] == pytest.approx(0.75) and dc["coverage"] == pytest.approx(0.75)


def test_blocked_distances_match_dense(monkeypatch):
    monkeypatch.setattr(knn, "_BLOCK_ELEMENTS", 7)  # force many tiny blocks
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(23, 3)), rng.normal(size=(9, 3))
    dense = np.sqrt(((a[:, None] - b[None]) ** 2).sum(-1))
    blocks = np.concatenate([d for _, d in knn.distance_blocks(a, b)])
    np.testing.assert_allclose(blocks, dense, atol=1e-12)
    np.testing.assert_allclose(knn.knn_radii(a, 3),
                               np.sort(np.sqrt(((a[:, None] - a[None]) ** 2).sum(-1)), 1)[:, 3],
                               atol=1e-12)
