"""PacGAN's 2-D scoring (metrics/pacgan_2d.py) on real samples of the protocol's mixtures, and
against an independent loop written after the reference's MetricLogger."""
import math

import numpy as np
import pytest
import scipy.stats

from tfgan_zoo.data.points import build_grid, build_ring, grid_centers, ring_centers, sample_mixture
from tfgan_zoo.metrics import pacgan_2d

SEEDS = 40
DATA = {"ring": (ring_centers(8, 1.0), 0.01), "grid": (grid_centers(), 0.05)}


def reference_style(samples, means, sigma, threshold=3.0):
    """The reference's scoring, loop for loop: nearest mode by the sigma-normalised distance,
    high quality below `threshold`; KL = log K - entropy of the high-quality histogram."""
    counts = np.zeros(len(means))
    for x in samples:
        dis = [math.sqrt(np.sum((x - m) ** 2 / sigma ** 2)) for m in means]
        j = int(np.argmin(dis))
        if dis[j] < threshold:
            counts[j] += 1
    kl = math.log(len(means)) - scipy.stats.entropy(counts / counts.sum())
    return int((counts > 0).sum()), counts.sum() / len(samples), kl


def test_the_closed_forms():
    assert pacgan_2d.REAL_HIGH_QUALITY == pytest.approx(scipy.stats.chi2.cdf(9.0, 2), rel=1e-12)
    assert pacgan_2d.REAL_HIGH_QUALITY == pytest.approx(0.98889, abs=1e-5)
    assert pacgan_2d.real_kl_floor("ring") == pytest.approx(0.00142, abs=1e-5)
    assert pacgan_2d.real_kl_floor("grid") == pytest.approx(0.00485, abs=1e-5)


@pytest.mark.parametrize("dataset", ["ring", "grid"])
def test_the_data_sources_give_the_protocols_mixtures(dataset):
    build = build_ring if dataset == "ring" else build_grid
    _, info = build(None, **{**pacgan_2d.DATA_OPTIONS[dataset], "num_examples": 10})
    np.testing.assert_allclose(info.extra["centers"], pacgan_2d.centres(dataset), atol=1e-6)
    assert info.extra["std"] == pacgan_2d.std(dataset) == DATA[dataset][1]
    assert pacgan_2d.DATA_OPTIONS[dataset]["num_examples"] == 100_000


@pytest.mark.parametrize("dataset", ["ring", "grid"])
def test_real_samples_score_the_floor(dataset):
    centres, sigma = DATA[dataset]
    k, p = len(centres), pacgan_2d.REAL_HIGH_QUALITY
    stats = [pacgan_2d.score(sample_mixture(centres, sigma, pacgan_2d.NUM_SAMPLES, seed, "test")[0], dataset)
             for seed in range(SEEDS)]
    assert all(s["modes_covered"] == k for s in stats)
    hq = np.array([s["high_quality_fraction"] for s in stats])
    # binomial: s.e. of the mean of SEEDS fractions of 2,500
    assert abs(hq.mean() - p) < 4 * math.sqrt(p * (1 - p) / pacgan_2d.NUM_SAMPLES / SEEDS)
    kl = np.array([s["reverse_kl"] for s in stats])
    floor = pacgan_2d.real_kl_floor(dataset)
    # 2n KL ~ chi2(K - 1): per-seed sd floor * sqrt(2 / (K - 1))
    assert abs(kl.mean() - floor) < 4 * floor * math.sqrt(2.0 / (k - 1)) / math.sqrt(SEEDS), (kl.mean(), floor)


@pytest.mark.parametrize("dataset", ["ring", "grid"])
def test_scoring_equals_the_reference_loop(dataset):
    centres, sigma = DATA[dataset]
    rng = np.random.default_rng(3)
    # a lopsided generator: some modes missing, the rest unevenly hit, samples 0 to 5 sigma off
    modes = rng.choice(len(centres) // 2, 600) * 2
    radius = rng.uniform(0, 5 * sigma, 600)
    angle = rng.uniform(0, 2 * np.pi, 600)
    samples = centres[modes] + np.stack([radius * np.cos(angle), radius * np.sin(angle)], 1)
    ours = pacgan_2d.score(samples, dataset)
    modes_covered, hq, kl = reference_style(samples, centres, sigma)
    assert ours["modes_covered"] == modes_covered < len(centres)
    assert ours["high_quality_fraction"] == pytest.approx(hq, abs=1e-12)
    assert ours["reverse_kl"] == pytest.approx(kl, abs=1e-9)


def test_a_collapsed_generator_and_off_mode_samples():
    centre = pacgan_2d.centres("grid")[7]
    collapsed = pacgan_2d.score(np.repeat(centre[None], 100, 0), "grid")
    assert collapsed["modes_covered"] == 1 and collapsed["reverse_kl"] == pytest.approx(math.log(25))
    off = pacgan_2d.score(centre[None] + [[3.5 * 0.05, 0.0]], "grid")
    assert off["high_quality_fraction"] == 0 and off["modes_covered"] == 0
    with pytest.raises(ValueError, match=r"\[N, 2\] points"):
        pacgan_2d.score(np.zeros((4, 3)), "ring")
    with pytest.raises(ValueError, match="ring and grid"):
        pacgan_2d.centres("spiral")
