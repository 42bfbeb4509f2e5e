"""Improved precision and recall (Kynkäänniemi et al. 2019).

Each set's manifold is the union of balls around its points with radius the distance to the
k-th nearest neighbour (k=3 in the paper). Precision is the fraction of generated samples
inside the real manifold, recall the fraction of real samples inside the generated
manifold. A point on a ball's boundary counts as inside (the reference code uses <=).
"""
from tfgan_zoo.metrics.knn import as_features, inside_any_ball, knn_radii


def manifold_coverage(queries, manifold_points, k=3):
    """Fraction of `queries` inside the k-NN manifold of `manifold_points`."""
    manifold_points = as_features(manifold_points)
    radii = knn_radii(manifold_points, k)
    return float(inside_any_ball(queries, manifold_points, radii).mean())


def precision_recall(real_features, fake_features, k=3):
    """-> {"precision", "recall", "k"} for [N, D] real and [M, D] generated features."""
    real, fake = as_features(real_features), as_features(fake_features)
    if real.shape[1] != fake.shape[1]:
        raise ValueError(f"feature dims differ: {real.shape[1]} vs {fake.shape[1]}")
    return {"precision": manifold_coverage(fake, real, k),
            "recall": manifold_coverage(real, fake, k), "k": int(k)}
