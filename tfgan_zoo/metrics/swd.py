"""Sliced Wasserstein distance between two sample sets in R^D.

SWD_p = ( mean_theta W_p^p(theta . X, theta . Y) )^(1/p) over `num_projections` random unit
directions theta drawn from a seeded Gaussian. 1-D W_p is computed by matching sorted
projections; when the sets differ in size both are compared at the same quantile grid
(size of the larger set, linear interpolation).

This is the plain SWD on whatever vectors are given. The evaluator applies it to raw pixels
(each image flattened, values in [-1, 1], both sets at the same resolution) - not to the
Laplacian-pyramid patches used by Karras et al. (ProGAN), so the numbers are not comparable
with theirs. Because projection is linear, `SlicedProjector` can project batches as they
stream by and keep only the [N, num_projections] projections.
"""
import numpy as np


def random_directions(dim, num_projections=128, seed=0):
    """[dim, num_projections] matrix of unit column vectors, deterministic for a seed."""
    rng = np.random.default_rng(seed)
    dirs = rng.standard_normal((int(dim), int(num_projections)))
    return dirs / np.linalg.norm(dirs, axis=0, keepdims=True)


class SlicedProjector:
    """Accumulates the 1-D projections of streamed [N, ...] batches."""

    def __init__(self, dim, num_projections=128, seed=0):
        self.dim, self.num_projections, self.seed = int(dim), int(num_projections), int(seed)
        self.directions = random_directions(dim, num_projections, seed)
        self._chunks = []

    def update(self, batch):
        x = np.asarray(batch, np.float64).reshape(len(batch), -1)
        if x.shape[1] != self.dim:
            raise ValueError(f"expected {self.dim} values per sample, got {x.shape[1]}")
        self._chunks.append(x @ self.directions)
        return self

    @property
    def projections(self):
        if not self._chunks:
            return np.zeros((0, self.num_projections))
        return np.concatenate(self._chunks, axis=0)


def _quantiles(sorted_values, size):
    n = len(sorted_values)
    if n == size:
        return sorted_values
    grid = (np.arange(size) + 0.5) / size * n - 0.5
    return np.stack([np.interp(grid, np.arange(n), col) for col in sorted_values.T], axis=1)


def swd_from_projections(proj_a, proj_b, p=2):
    """SWD from two [N, P] / [M, P] projection arrays made with the same directions."""
    a = np.sort(np.asarray(proj_a, np.float64), axis=0)
    b = np.sort(np.asarray(proj_b, np.float64), axis=0)
    if a.shape[1] != b.shape[1] or len(a) == 0 or len(b) == 0:
        raise ValueError(f"incompatible projections {a.shape} vs {b.shape}")
    size = max(len(a), len(b))
    a, b = _quantiles(a, size), _quantiles(b, size)
    per_direction = np.mean(np.abs(a - b) ** p, axis=0)
    return float(np.mean(per_direction) ** (1.0 / p))


def sliced_wasserstein_distance(a, b, num_projections=128, seed=0, p=2):
    """SWD between [N, ...] and [M, ...] arrays (flattened per sample)."""
    a = np.asarray(a, np.float64).reshape(len(a), -1)
    b = np.asarray(b, np.float64).reshape(len(b), -1)
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"sample sizes differ: {a.shape[1]} vs {b.shape[1]} values")
    dirs = random_directions(a.shape[1], num_projections, seed)
    return swd_from_projections(a @ dirs, b @ dirs, p)
