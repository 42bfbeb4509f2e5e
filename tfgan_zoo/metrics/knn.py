"""Batched Euclidean nearest-neighbour geometry (float64) shared by the manifold metrics.

Distances are computed block by block (`block_rows` x N at a time, about 64 MB of float64),
so a full N x M distance matrix never exists.
"""
import numpy as np

_BLOCK_ELEMENTS = 1 << 23


def as_features(x):
    x = np.asarray(x, np.float64)
    if x.ndim != 2:
        x = x.reshape(len(x), -1)
    return x


def pairwise_distances(a, b):
    """Euclidean distances [len(a), len(b)] in float64."""
    a, b = as_features(a), as_features(b)
    sq = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * (a @ b.T)
    return np.sqrt(np.maximum(sq, 0.0))


def distance_blocks(queries, refs):
    """Yield (start, distances[block, len(refs)]) over row blocks of `queries`."""
    queries, refs = as_features(queries), as_features(refs)
    rows = max(1, _BLOCK_ELEMENTS // max(1, len(refs)))
    for start in range(0, len(queries), rows):
        yield start, pairwise_distances(queries[start:start + rows], refs)


def knn_radii(points, k):
    """Distance from each point to its k-th nearest neighbour in the same set (self excluded)."""
    points = as_features(points)
    if not 1 <= k < len(points):
        raise ValueError(f"k={k} needs at least k+1={k + 1} points, got {len(points)}")
    radii = np.empty(len(points), np.float64)
    for start, d in distance_blocks(points, points):
        # index 0 of each sorted row is the point itself (distance 0)
        radii[start:start + len(d)] = np.partition(d, k, axis=1)[:, k]
    return radii


def inside_any_ball(queries, centres, radii):
    """Boolean per query: within (<=) the ball of at least one centre."""
    queries = as_features(queries)
    out = np.zeros(len(queries), bool)
    for start, d in distance_blocks(queries, centres):
        out[start:start + len(d)] = (d <= radii[None, :]).any(axis=1)
    return out


def ball_counts_and_nearest(queries, centres, radii):
    """Per query: number of centres whose ball strictly contains it; per centre: nearest query.

    Returns (counts [len(queries)], nearest_query_distance [len(centres)]).
    """
    queries = as_features(queries)
    counts = np.zeros(len(queries), np.int64)
    nearest = np.full(len(centres), np.inf)
    for start, d in distance_blocks(queries, centres):
        counts[start:start + len(d)] = (d < radii[None, :]).sum(axis=1)
        nearest = np.minimum(nearest, d.min(axis=0))
    return counts, nearest


class NearestNeighbourTracker:
    """Nearest reference of each query, with references streamed in batches."""

    def __init__(self, queries):
        self.queries = as_features(queries)
        self.distance = np.full(len(self.queries), np.inf)
        self.index = np.full(len(self.queries), -1, np.int64)
        self.num_refs = 0

    def update(self, refs):
        refs = as_features(refs)
        if len(refs) == 0:
            return self
        for start, d in distance_blocks(self.queries, refs):
            arg = d.argmin(axis=1)
            best = d[np.arange(len(d)), arg]
            sl = slice(start, start + len(d))
            better = best < self.distance[sl]
            self.distance[sl] = np.where(better, best, self.distance[sl])
            self.index[sl] = np.where(better, arg + self.num_refs, self.index[sl])
        self.num_refs += len(refs)
        return self
