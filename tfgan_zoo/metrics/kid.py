"""Kernel Inception Distance (Binkowski et al. 2018): unbiased MMD^2, cubic polynomial kernel.

k(x, y) = (x . y / d + 1)^3 with d the feature dimension. The estimate is averaged over
`num_subsets` random subsets of `subset_size` samples from each set (drawn without
replacement within a subset, seeded), reported as mean and standard deviation.
"""
import numpy as np


def polynomial_kernel(x, y, degree=3, coef0=1.0):
    x = np.asarray(x, np.float64)
    y = np.asarray(y, np.float64)
    return (x @ y.T / x.shape[1] + coef0) ** degree


def mmd2_unbiased(x, y, degree=3, coef0=1.0):
    """Unbiased MMD^2 between samples x [m, d] and y [n, d] (diagonals of K_xx, K_yy dropped)."""
    m, n = len(x), len(y)
    if m < 2 or n < 2:
        raise ValueError(f"unbiased MMD needs >= 2 samples per set, got {m} and {n}")
    k_xx = polynomial_kernel(x, x, degree, coef0)
    k_yy = polynomial_kernel(y, y, degree, coef0)
    k_xy = polynomial_kernel(x, y, degree, coef0)
    term_xx = (k_xx.sum() - np.trace(k_xx)) / (m * (m - 1))
    term_yy = (k_yy.sum() - np.trace(k_yy)) / (n * (n - 1))
    return float(term_xx + term_yy - 2.0 * k_xy.mean())


def kernel_inception_distance(real_features, fake_features, num_subsets=100, subset_size=1000,
                              seed=0):
    """KID between two [N, D] feature arrays -> {"mean", "std", "num_subsets", "subset_size"}.

    `subset_size` is capped at the smaller set's size, as in the reference implementation.
    When a subset is each whole set, every subset gives the same value: it is computed once
    and std is 0 (the subsets' float round-off made it ~1e-14).
    """
    real = np.asarray(real_features, np.float64)
    fake = np.asarray(fake_features, np.float64)
    if real.ndim != 2 or fake.ndim != 2 or real.shape[1] != fake.shape[1]:
        raise ValueError(f"feature shapes differ: {real.shape} vs {fake.shape}")
    size = min(int(subset_size), len(real), len(fake))
    if size == len(real) == len(fake):
        return {"mean": mmd2_unbiased(real, fake), "std": 0.0, "num_subsets": int(num_subsets),
                "subset_size": int(size)}
    rng = np.random.default_rng(seed)
    values = np.empty(int(num_subsets), np.float64)
    for i in range(int(num_subsets)):
        r = real[rng.choice(len(real), size, replace=False)]
        f = fake[rng.choice(len(fake), size, replace=False)]
        values[i] = mmd2_unbiased(r, f)
    return {"mean": float(values.mean()), "std": float(values.std()),
            "num_subsets": int(num_subsets), "subset_size": int(size)}
