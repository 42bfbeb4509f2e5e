import numpy as np
import pytest

from tfgan_zoo.metrics.modes import (grid_centres, kl_to_uniform, mixture_mode_stats, ring_centres,
                                     stacked_mode_stats)


def test_five_of_eight_ring_modes():
    centres, std = ring_centres(8, 2.0), 0.02
    rng = np.random.default_rng(0)
    near = np.repeat(centres[:5], 20, axis=0) + rng.uniform(-std, std, size=(100, 2))
    far = np.zeros((25, 2))  # the ring's centre is 100 sigma from every mode
    stats = mixture_mode_stats(np.concatenate([near, far]), centres, std)
    assert stats["modes_covered"] == 5 and stats["num_modes"] == 8
    assert stats["high_quality_fraction"] == pytest.approx(100 / 125)
    assert stats["reverse_kl"] == pytest.approx(np.log(8 / 5))
    assert stats["mode_counts"] == [20] * 5 + [0] * 3


def test_uneven_histogram_kl_closed_form():
    centres = grid_centres(5, 2.0)
    assert len(centres) == 25
    samples = np.concatenate([np.repeat(centres[:1], 30, 0), np.repeat(centres[1:2], 10, 0)])
    stats = mixture_mode_stats(samples, centres, std=0.05)
    q = np.array([0.75, 0.25])
    assert stats["modes_covered"] == 2
    assert stats["reverse_kl"] == pytest.approx(np.sum(q * np.log(q * 25)))


def test_three_sigma_threshold():
    centres = np.array([[0.0, 0.0], [10.0, 0.0]])
    samples = np.array([[0.29, 0.0], [0.31, 0.0]])  # std 0.1: first within 3 sigma, second not
    stats = mixture_mode_stats(samples, centres, std=0.1)
    assert stats["high_quality_fraction"] == 0.5 and stats["modes_covered"] == 1


def test_stacked_mode_stats():
    ids = np.array([0, 0, 999, 123, 123, 123])
    stats = stacked_mode_stats(ids)
    assert stats["modes_covered"] == 3 and stats["num_modes"] == 1000
    q = np.array([2, 1, 3]) / 6
    assert stats["kl"] == pytest.approx(np.sum(q * np.log(q * 1000)))
    all_modes = stacked_mode_stats(np.arange(1000))
    assert all_modes["modes_covered"] == 1000 and all_modes["kl"] == pytest.approx(0.0, abs=1e-12)
    assert kl_to_uniform([0, 0]) == float("inf")
