"""Memorisation check: distance from each generated sample to its nearest training sample.

Works in any vector space: raw pixels (flattened images) or extractor features. The
training set can be streamed in batches through `NearestNeighbourTracker`; only the
generated samples are held. Small nearest distances relative to the training set's own
nearest-neighbour spacing suggest copied training images.
"""
import numpy as np

from tfgan_zoo.metrics.knn import NearestNeighbourTracker


def summarize_distances(distances, threshold=None):
    d = np.asarray(distances, np.float64)
    out = {"min": float(d.min()), "p05": float(np.percentile(d, 5)),
           "median": float(np.median(d)), "mean": float(d.mean()), "max": float(d.max()),
           "num_generated": int(len(d))}
    if threshold is not None:
        out["threshold"] = float(threshold)
        out["fraction_below_threshold"] = float((d < threshold).mean())
    return out


def nearest_training_distances(generated, train_batches):
    """(distances, indices) of each generated sample's nearest training sample.

    `train_batches` is an array [N, ...] or an iterable of such batches.
    """
    tracker = NearestNeighbourTracker(generated)
    if isinstance(train_batches, np.ndarray):
        train_batches = [train_batches]
    for batch in train_batches:
        tracker.update(batch)
    if tracker.num_refs == 0:
        raise ValueError("no training samples given")
    return tracker.distance, tracker.index


def memorization_summary(generated, train_batches, threshold=None):
    """Summary statistics of nearest-training-sample distances (see summarize_distances)."""
    distances, _ = nearest_training_distances(generated, train_batches)
    return summarize_distances(distances, threshold)
