"""Seeded, stratified index subsets of a labelled in-memory set: held-out parts, labelled subsets.

Used by the digits builder (options `holdout` and `labelled_subset`) and usable by any builder
that holds its labels in memory.
"""
import numpy as np

from tfgan_zoo.errors import DataError

# independent draws for the two uses, so changing the labelled subset keeps the held-out part
_HOLDOUT_SALT, _LABELLED_SALT = 1, 2


def _per_class(labels, count, seed, salt):
    """Indices (sorted) of the first count(n_c) of a seeded permutation of each class c, so a
    larger count keeps the smaller one's examples."""
    labels = np.asarray(labels)
    rng = np.random.default_rng([seed, salt])
    chosen = []
    for c in np.unique(labels):
        members = np.flatnonzero(labels == c)
        chosen.append(rng.permutation(members)[:count(len(members))])
    return np.sort(np.concatenate(chosen)) if chosen else np.zeros(0, np.int64)


def holdout_indices(labels, fraction, seed):
    """(kept, held_out) index arrays: round(fraction * n_c) examples of each class held out."""
    held = _per_class(labels, lambda n: int(round(fraction * n)), seed, _HOLDOUT_SALT)
    kept = np.setdiff1d(np.arange(len(labels)), held)
    return kept, held


def labelled_indices(labels, per_class, seed, where):
    """(labelled, unlabelled) positions into `labels`: per_class of each class labelled, the rest not."""
    labels = np.asarray(labels)
    classes, counts = np.unique(labels, return_counts=True)
    if len(counts) and counts.min() <= per_class:
        c = classes[np.argmin(counts)]
        raise DataError(f"{where}: labelled_subset {per_class} leaves no unlabelled example of class {c} "
                        f"({counts.min()} examples)")
    labelled = _per_class(labels, lambda n: per_class, seed, _LABELLED_SALT)
    return labelled, np.setdiff1d(np.arange(len(labels)), labelled)
