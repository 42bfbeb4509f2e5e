"""PacGAN's 2-D protocol (Lin et al. 2018, Table 1; fjxmlzn/PacGAN, synthetic_data_experiments/):
the two mixtures, the scoring of 2,500 samples and the floor real samples reach.

Data: ring = 8 Gaussians on the unit circle, sigma 0.01; grid = 25 Gaussians at
{-4, -2, 0, 2, 4}^2, sigma 0.05; a fixed training set of 100,000 points (the `ring` / `grid`
sources of tfgan_zoo/data/points.py with the options of `DATA_OPTIONS`).

Scoring (the reference's MetricLogger): each sample goes to its nearest mode by the distance
normalised by that mode's sigma (isotropic here, so Euclidean distance / sigma); it is high
quality when that distance is below 3. A mode is covered when >= 1 high-quality sample is
nearest to it. The KL is KL(q || uniform) of q, the histogram of the high-quality samples over
the modes (empty modes give 0 log 0 = 0): the reference logs the entropy H(q) of that histogram,
and KL(q || uniform) = log K - H(q); the other direction is infinite as soon as one mode is
empty, which Table 1's finite KLs for GANs missing modes rule out.

Floors, derived: a 2-D Gaussian sample lies within 3 sigma of its centre with probability
1 - exp(-9/2) = 0.98889 (the squared radius / sigma^2 is chi-square with 2 degrees of freedom,
whose CDF is 1 - exp(-x/2)); the other modes are >= 0.77 (ring) or 2 (grid) away, so a real
sample's nearest mode is its own. With n high-quality samples spread uniformly, q is a
multinomial / n; 2n KL(q || u) is to second order Pearson's chi-square statistic,
sum (n_k - n/K)^2 / (n/K), whose mean is K - 1, so E[KL] = (K - 1) / (2n): with
n = 2,500 x 0.98889 that is 0.00142 on the ring and 0.00485 on the grid.
"""
import math

import numpy as np

from tfgan_zoo.metrics.modes import grid_centres, mixture_mode_stats, ring_centres

NUM_SAMPLES = 2500
NUM_SIGMAS = 3.0
#: builder options of the two sources (tfgan_zoo/data/points.py) for PacGAN's mixtures
DATA_OPTIONS = {"ring": {"radius": 1.0, "std": 0.01, "num_modes": 8, "num_examples": 100_000},
                "grid": {"std": 0.05, "num_examples": 100_000}}
#: the probability that a real sample is high quality: P(chi2_2 < 9) = 1 - exp(-4.5)
REAL_HIGH_QUALITY = 1.0 - math.exp(-NUM_SIGMAS ** 2 / 2.0)


def centres(dataset):
    if dataset == "ring":
        return ring_centres(DATA_OPTIONS["ring"]["num_modes"], DATA_OPTIONS["ring"]["radius"])
    if dataset == "grid":
        return grid_centres()
    raise ValueError(f"PacGAN's 2-D protocol has the datasets ring and grid, not {dataset!r}")


def std(dataset):
    centres(dataset)
    return DATA_OPTIONS[dataset]["std"]


def score(samples, dataset):
    """{"modes_covered", "num_modes", "high_quality_fraction", "reverse_kl", "mode_counts"} of
    [N, 2] samples (the protocol scores NUM_SAMPLES)."""
    samples = np.asarray(samples, np.float64)
    if samples.ndim != 2 or samples.shape[1] != 2 or not len(samples):
        raise ValueError(f"PacGAN's 2-D protocol scores [N, 2] points, got shape {samples.shape}")
    return mixture_mode_stats(samples, centres(dataset), std(dataset), num_sigmas=NUM_SIGMAS, min_samples=1)


def kl_floor(num_modes, num_high_quality):
    """E[KL(q || uniform)] of n samples drawn uniformly over K modes, to second order: (K - 1) / 2n."""
    return (num_modes - 1) / (2.0 * num_high_quality)


def real_kl_floor(dataset, num_samples=NUM_SAMPLES):
    """The KL that real samples score on average (kl_floor at the expected high-quality count)."""
    return kl_floor(len(centres(dataset)), num_samples * REAL_HIGH_QUALITY)
