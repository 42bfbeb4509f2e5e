"""Fréchet distance between Gaussians fitted to features, and a streaming mean/covariance.

FID = ||mu1 - mu2||^2 + Tr(S1 + S2 - 2 (S1 S2)^1/2)   (Heusel et al. 2017).

`StreamingMoments` accumulates the mean and the scatter matrix batch by batch in float64
with Chan et al.'s pairwise update (a batched Welford), so the features of a whole data set
never need to sit in memory and large means do not cancel catastrophically.
"""
import warnings

import numpy as np
import scipy.linalg

IMAG_TOLERANCE = 1e-3


class StreamingMoments:
    """Running count, mean and scatter (sum of centred outer products) of [N, D] batches."""

    def __init__(self, dim):
        self.dim = int(dim)
        self.count = 0
        self.mean = np.zeros(self.dim, np.float64)
        self.scatter = np.zeros((self.dim, self.dim), np.float64)

    def update(self, batch):
        x = np.asarray(batch, np.float64)
        if x.ndim != 2 or x.shape[1] != self.dim:
            raise ValueError(f"expected a [N, {self.dim}] batch, got shape {x.shape}")
        n_b = x.shape[0]
        if n_b == 0:
            return self
        mean_b = x.mean(axis=0)
        centred = x - mean_b
        self._merge(n_b, mean_b, centred.T @ centred)
        return self

    def merge(self, other):
        """Fold another accumulator (e.g. from a second worker) into this one."""
        if other.dim != self.dim:
            raise ValueError(f"cannot merge moments of dim {other.dim} into dim {self.dim}")
        if other.count:
            self._merge(other.count, other.mean, other.scatter)
        return self

    def _merge(self, n_b, mean_b, scatter_b):
        n_a = self.count
        n = n_a + n_b
        delta = mean_b - self.mean
        self.mean = self.mean + delta * (n_b / n)
        self.scatter = self.scatter + scatter_b + np.outer(delta, delta) * (n_a * n_b / n)
        self.count = n

    @property
    def cov(self):
        """Unbiased covariance (ddof=1), the same as np.cov(x, rowvar=False)."""
        if self.count < 2:
            raise ValueError(f"need at least 2 samples for a covariance, have {self.count}")
        return self.scatter / (self.count - 1)

    def to_arrays(self, prefix=""):
        return {f"{prefix}count": np.int64(self.count), f"{prefix}mean": self.mean,
                f"{prefix}scatter": self.scatter}

    @classmethod
    def from_arrays(cls, arrays, prefix=""):
        mean = np.asarray(arrays[f"{prefix}mean"], np.float64)
        moments = cls(mean.shape[0])
        moments.count = int(arrays[f"{prefix}count"])
        moments.mean = mean
        moments.scatter = np.asarray(arrays[f"{prefix}scatter"], np.float64)
        return moments


def _sqrtm(matrix):
    # Rank-deficient covariances (fewer samples than dims, dead ReLU units) are normal here;
    # the result is checked below (finite, imaginary part), so scipy's warning is noise.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", scipy.linalg.LinAlgWarning)
        return scipy.linalg.sqrtm(matrix)


def _large_imaginary(covmean, imag_tol):
    """Largest |imaginary part| on the diagonal (what enters the trace) if above tolerance."""
    if not np.iscomplexobj(covmean):
        return 0.0
    diag = np.diagonal(covmean)
    scale = max(1.0, float(np.abs(diag.real).max()))
    worst = float(np.abs(diag.imag).max())
    return worst if worst > imag_tol * scale else 0.0


def frechet_distance(mu1, sigma1, mu2, sigma2, eps=1e-6, imag_tol=IMAG_TOLERANCE):
    """Fréchet distance between N(mu1, sigma1) and N(mu2, sigma2), in float64.

    The matrix square root comes from scipy.linalg.sqrtm. If it is not finite or its
    diagonal (which is all the trace uses) has imaginary parts above `imag_tol` (relative to
    the largest real diagonal entry, at least 1) - typical of rank-deficient covariances -
    `eps` is added to both diagonals and it is retried, as in the TTUR reference code. Tiny
    imaginary parts are then discarded; large ones raise ValueError (e.g. a covariance that
    is not positive semi-definite), because the result would be meaningless.
    """
    mu1, mu2 = np.atleast_1d(np.asarray(mu1, np.float64)), np.atleast_1d(np.asarray(mu2, np.float64))
    sigma1 = np.atleast_2d(np.asarray(sigma1, np.float64))
    sigma2 = np.atleast_2d(np.asarray(sigma2, np.float64))
    if mu1.shape != mu2.shape or sigma1.shape != sigma2.shape or sigma1.shape != mu1.shape * 2:
        raise ValueError(f"shape mismatch: mu {mu1.shape}/{mu2.shape}, "
                         f"sigma {sigma1.shape}/{sigma2.shape}")
    diff = mu1 - mu2
    covmean = _sqrtm(sigma1 @ sigma2)
    if not np.isfinite(covmean).all() or _large_imaginary(covmean, imag_tol):
        offset = np.eye(sigma1.shape[0]) * eps
        covmean = _sqrtm((sigma1 + offset) @ (sigma2 + offset))
    if not np.isfinite(covmean).all():
        raise ValueError("sqrtm of the covariance product is not finite")
    worst = _large_imaginary(covmean, imag_tol)
    if worst:
        raise ValueError(f"sqrtm of the covariance product has an imaginary diagonal component "
                         f"{worst:.3g} (tolerance {imag_tol:g} relative); are the covariances "
                         "positive semi-definite?")
    covmean = covmean.real
    return float(diff @ diff + np.trace(sigma1) + np.trace(sigma2) - 2.0 * np.trace(covmean))


def fid_from_moments(moments_a, moments_b, **kwargs):
    """FID between two StreamingMoments accumulators."""
    return frechet_distance(moments_a.mean, moments_a.cov, moments_b.mean, moments_b.cov, **kwargs)


def fid_from_features(features_a, features_b, **kwargs):
    """FID between two in-memory [N, D] feature arrays."""
    a = np.asarray(features_a, np.float64)
    b = np.asarray(features_b, np.float64)
    return frechet_distance(a.mean(0), np.cov(a, rowvar=False),
                            b.mean(0), np.cov(b, rowvar=False), **kwargs)
