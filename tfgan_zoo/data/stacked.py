"""Stacked digits (VEEGAN / PacGAN's Stacked MNIST): three random digits as the R, G, B channels,
1,000 modes, label 100 a + 10 b + c.

`stacked_digits` stacks sklearn's 8x8 digits (resized); `stacked_mnist` stacks MNIST digits of
the `mnist` source (tfds when prepared, else the bundled digits), whose "test" split stacks the
held-out digits only, so no training triple contains a held-out digit. Only the index triples are
stored (drawn once from a generator seeded by (seed, split)); the images are gathered on the fly.
"""
import numpy as np
import tensorflow as tf

from tfgan_zoo.data.core import DataInfo, require_no_arg
from tfgan_zoo.data.digits import DEFAULT_SIZE, load_digit_images
from tfgan_zoo.data.images import check_channels, check_image_size, check_int, check_split
from tfgan_zoo.data.mnist import DEFAULT_SIZE as MNIST_SIZE
from tfgan_zoo.data.mnist import load_mnist, to_model_range
from tfgan_zoo.registry import DATASETS

_SPLIT_SALT = {"train": 0, "test": 1}
NUM_MODES = 1000


def draw_triples(num_digits, num_examples, seed, split):
    """int32 [num_examples, 3] indices into the split's digits, seeded by (seed, split)."""
    rng = np.random.default_rng([seed, _SPLIT_SALT[split]])
    return rng.integers(0, num_digits, size=(num_examples, 3)).astype(np.int32)


def stacked_dataset(digits, labels, triples, convert):
    """{"real": [s, s, 3], "label": mode id} per triple; digits [N, ...] is gathered three at a
    time and `convert` maps the gathered [3, ...] stack to [3, s, s] floats in [-1, 1]."""
    digits_t, labels_t = tf.constant(digits), tf.constant(labels.astype(np.int32))

    def gather(triple):
        d = tf.gather(labels_t, triple)
        return {"real": tf.transpose(convert(tf.gather(digits_t, triple)), [1, 2, 0]),  # [3, s, s] -> [s, s, 3]
                "label": d[0] * 100 + d[1] * 10 + d[2]}

    return tf.data.Dataset.from_tensor_slices(triples).map(gather, num_parallel_calls=tf.data.AUTOTUNE)


def _check(where, image_size, channels, split, num_examples, seed, default_size):
    size = check_image_size(image_size, where) or default_size
    check_channels(channels, where, allowed=(3,))
    check_split(split, tuple(_SPLIT_SALT), where)
    return size, check_int(num_examples, f"{where}: num_examples"), check_int(seed, f"{where}: seed", minimum=0)


@DATASETS.register("stacked_digits")
def build_stacked_digits(arg, image_size=None, channels=None, split="train", num_examples: int = 100000,
                         seed: int = 0):
    """Three random sklearn digits stacked as the R, G, B channels: 1,000 modes.

    num_examples: number of stacked images in the split.
    seed: the digit triples are drawn from a generator seeded by (seed, split); "test" gives
        triples independent of "train" (of the same 1,797 digits: the set has no held-out part).
    """
    require_no_arg("stacked_digits", arg)
    size, num_examples, seed = _check("stacked_digits", image_size, channels, split, num_examples, seed,
                                      DEFAULT_SIZE)
    images, labels = load_digit_images(size)
    ds = stacked_dataset(images[..., 0], labels, draw_triples(len(labels), num_examples, seed, split),
                         lambda x: x)
    return ds, DataInfo(name="stacked_digits", kind="images", shape=(size, size, 3), num_classes=NUM_MODES,
                        num_examples=num_examples)


@DATASETS.register("stacked_mnist")
def build_stacked_mnist(arg, image_size=None, channels=None, split="train", num_examples: int = 100000,
                        seed: int = 0, source: str = "auto", data_dir: str | None = None):
    """Three random MNIST digits of the split stacked as the R, G, B channels: 1,000 modes.

    num_examples: number of stacked images in the split (fresh random triples of its digits).
    seed: the triples are drawn from a generator seeded by (seed, split).
    source / data_dir: as for `mnist` ("auto": tfds when prepared, else the bundled digits);
        "train" stacks training digits, "test" the held-out ones.
    image_size None = 32 (each 28x28 digit zero-padded); others resize.
    """
    require_no_arg("stacked_mnist", arg)
    size, num_examples, seed = _check("stacked_mnist", image_size, channels, split, num_examples, seed,
                                      MNIST_SIZE)
    images, labels, served_by = load_mnist(split, source, data_dir)
    ds = stacked_dataset(images, labels, draw_triples(len(labels), num_examples, seed, split),
                         lambda x: to_model_range(x, size)[..., 0])
    info = DataInfo(name="stacked_mnist", kind="images", shape=(size, size, 3), num_classes=NUM_MODES,
                    num_examples=num_examples,
                    extra={"source": served_by, "source_examples": len(labels), "split": split})
    return ds, info
