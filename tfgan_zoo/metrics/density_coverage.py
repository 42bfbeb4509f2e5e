"""Density and coverage (Naeem et al. 2020).

With B(x_i) the ball around real sample x_i of radius its k-th nearest-neighbour distance:
  density  = 1/(k M) sum_j sum_i 1[y_j in B(x_i)]        (can exceed 1)
  coverage = 1/N sum_i 1[exists j: y_j in B(x_i)]
Membership is strict (distance < radius), as in the authors' code, which makes the density
of a set against itself exactly 1 when there are no distance ties.
"""
from tfgan_zoo.metrics.knn import as_features, ball_counts_and_nearest, knn_radii


def density_coverage(real_features, fake_features, k=5):
    """-> {"density", "coverage", "k"} for [N, D] real and [M, D] generated features."""
    real, fake = as_features(real_features), as_features(fake_features)
    if real.shape[1] != fake.shape[1]:
        raise ValueError(f"feature dims differ: {real.shape[1]} vs {fake.shape[1]}")
    radii = knn_radii(real, k)
    counts, nearest_fake = ball_counts_and_nearest(fake, real, radii)
    return {"density": float(counts.sum() / (k * len(fake))),
            "coverage": float((nearest_fake < radii).mean()), "k": int(k)}
