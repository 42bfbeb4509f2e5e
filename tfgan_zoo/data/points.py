"""2-D Gaussian-mixture toy sets for mode-collapse studies: `ring` and `grid`.

ring: 8 modes on a circle of radius 2, std 0.02 (VEEGAN, Srivastava et al. 2017; the same
      shape as the radius-1 / std-0.01 ring of Unrolled GAN and PacGAN, scaled by 2).
grid: 25 modes at {-4, -2, 0, 2, 4}^2, std 0.05 (PacGAN, Lin et al. 2018: variance 0.0025).
Each element is {"real": float32 [2], "label": int32 mode index}; modes are equally likely.
"""
import numbers

import numpy as np
import tensorflow as tf

from tfgan_zoo.data.core import DataInfo, require_no_arg
from tfgan_zoo.data.images import check_int, check_split, reject_image_request
from tfgan_zoo.errors import DataError
from tfgan_zoo.registry import DATASETS

# Point sets take no image_size / channels; tfgan_zoo.train.build_data leaves those out for them.
POINT_SETS = ("ring", "grid")

DEFAULT_NUM_EXAMPLES = 100_000  # 800 KB of points: cheap to build, many epochs of 64-point batches
_SPLIT_SALT = {"train": 0, "test": 1}


def ring_centers(num_modes=8, radius=2.0):
    angles = 2.0 * np.pi * np.arange(num_modes) / num_modes
    return np.stack([radius * np.cos(angles), radius * np.sin(angles)], axis=1).astype(np.float32)


def grid_centers(side=5, spacing=2.0):
    coords = (np.arange(side) - (side - 1) / 2.0) * spacing  # 5, 2.0 -> -4, -2, 0, 2, 4
    xs, ys = np.meshgrid(coords, coords, indexing="ij")
    return np.stack([xs.ravel(), ys.ravel()], axis=1).astype(np.float32)


def sample_mixture(centers, std, num_examples, seed, split):
    """Draw `num_examples` points: a uniform mode index, then its center plus N(0, std^2) noise."""
    rng = np.random.default_rng([seed, _SPLIT_SALT[split]])
    labels = rng.integers(0, len(centers), size=num_examples).astype(np.int32)
    points = centers[labels] + rng.normal(0.0, std, size=(num_examples, 2)).astype(np.float32)
    return points.astype(np.float32), labels


def _build(name, centers, std, image_size, channels, split, num_examples, seed):
    reject_image_request(image_size, channels, name)
    check_split(split, tuple(_SPLIT_SALT), name)
    num_examples = check_int(num_examples, f"{name}: num_examples")
    seed = check_int(seed, f"{name}: seed", minimum=0)
    if isinstance(std, bool) or not isinstance(std, numbers.Real) or not std > 0:
        raise DataError(f"{name}: std must be a positive number, got {std!r}")
    points, labels = sample_mixture(centers, float(std), num_examples, seed, split)
    ds = tf.data.Dataset.from_tensor_slices({"real": points, "label": labels})
    info = DataInfo(name=name, kind="points", shape=(2,), num_classes=len(centers), num_examples=num_examples,
                    extra={"centers": centers, "std": float(std)})
    return ds, info


@DATASETS.register("ring")
def build_ring(arg, image_size=None, channels=None, split="train", num_examples: int = DEFAULT_NUM_EXAMPLES,
               seed: int = 0, std: float = 0.02, radius: float = 2.0, num_modes: int = 8):
    """Gaussians equally spaced on a circle.

    num_examples: points in the split. seed: points come from a generator seeded by (seed, split).
    std: per-axis standard deviation of each mode. radius: circle radius. num_modes: mode count.
    """
    require_no_arg("ring", arg)
    num_modes = check_int(num_modes, "ring: num_modes")
    if isinstance(radius, bool) or not isinstance(radius, numbers.Real) or not radius > 0:
        raise DataError(f"ring: radius must be a positive number, got {radius!r}")
    return _build("ring", ring_centers(num_modes, float(radius)), std, image_size, channels, split,
                  num_examples, seed)


@DATASETS.register("grid")
def build_grid(arg, image_size=None, channels=None, split="train", num_examples: int = DEFAULT_NUM_EXAMPLES,
               seed: int = 0, std: float = 0.05):
    """25 Gaussians on the 5x5 grid {-4, -2, 0, 2, 4}^2.

    num_examples: points in the split. seed: points come from a generator seeded by (seed, split).
    std: per-axis standard deviation of each mode.
    """
    require_no_arg("grid", arg)
    return _build("grid", grid_centers(), std, image_size, channels, split, num_examples, seed)
