import numpy as np
import pytest

from tfgan_zoo.metrics.memorization import memorization_summary, nearest_training_distances


def test_nearest_training_distances_match_brute_force_and_stream():
    rng = np.random.default_rng(0)
    train, gen = rng.normal(size=(70, 2, 2, 3)), rng.normal(size=(11, 2, 2, 3))
    dense = np.sqrt(((gen.reshape(11, 1, -1) - train.reshape(1, 70, -1)) ** 2).sum(-1))
    dist, idx = nearest_training_distances(gen, [train[:30], train[30:31], train[31:]])
    np.testing.assert_allclose(dist, dense.min(1), atol=1e-12)
    np.testing.assert_array_equal(idx, dense.argmin(1))


def test_copied_training_images_are_flagged():
    rng = np.random.default_rng(1)
    train = rng.normal(size=(40, 8))
    gen = np.concatenate([train[:3], rng.normal(size=(7, 8)) + 5])
    summary = memorization_summary(gen, train, threshold=1e-6)
    assert summary["min"] == pytest.approx(0.0, abs=1e-6)
    assert summary["fraction_below_threshold"] == pytest.approx(0.3)
    assert summary["num_generated"] == 10 and summary["max"] > 5
