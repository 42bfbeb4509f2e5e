"""`digits`: sklearn's bundled 8x8 handwritten digits (`stacked_digits` stacks them: data/stacked.py).

In memory: 1,797 images, resized once at build time.
"""
import dataclasses
import numbers

import numpy as np
import tensorflow as tf

from tfgan_zoo import limits
from tfgan_zoo.data.core import DataInfo, require_no_arg
from tfgan_zoo.data.images import check_channels, check_image_size, check_int, check_split, resize
from tfgan_zoo.data.subsets import holdout_indices, labelled_indices
from tfgan_zoo.errors import DataError
from tfgan_zoo.registry import DATASETS

DEFAULT_SIZE = 16


def load_digit_images(image_size):
    """All sklearn digits as float32 [N, s, s, 1] in [-1, 1] and int32 labels [N]."""
    from sklearn.datasets import load_digits

    bunch = load_digits()
    images = bunch.images.astype(np.float32)[..., None] / 16.0 * 2.0 - 1.0  # values 0..16
    if image_size != 8:  # the resized set and the resize's output exist at once
        limits.check_memory(2 * images.size * image_size ** 2 // 64 * 4,
                            f"resizing the digits to image_size {image_size}", "lower data.image_size")
        images = tf.clip_by_value(resize(images, image_size), -1.0, 1.0).numpy()
    return images, bunch.target.astype(np.int32)


@DATASETS.register("digits")
def build_digits(arg, image_size=None, channels=None, split="train", holdout: float = 0.0,
                 labelled_subset: int = 0, split_seed: int = 0):
    """sklearn's 1,797 digits, bilinear-resized to image_size (default 16), label 0..9.

    By default only a "train" split (the whole set): it is too small to hold a part out for
    GAN training. channels=3 tiles the gray image.
    holdout: fraction of each class held out as the "test" split (stratified, seeded by
        split_seed); "train" is then the rest.
    labelled_subset: k > 0 keeps the labels of k examples per class of the split and returns
        two streams {"labelled": those 10 k examples, "unlabelled": the rest of the split,
        images only} (semi-supervised families); 0 returns one labelled dataset.
    split_seed: seed of the held-out part and of the labelled subset (independent draws).
    """
    require_no_arg("digits", arg)
    size = check_image_size(image_size, "digits") or DEFAULT_SIZE
    channels = check_channels(channels, "digits") or 1
    holdout = _check_fraction(holdout, "digits: holdout")
    labelled_subset = check_int(labelled_subset, "digits: labelled_subset", minimum=0)
    split_seed = check_int(split_seed, "digits: split_seed", minimum=0)
    check_split(split, ("train", "test") if holdout else ("train",), "digits")
    images, labels = load_digit_images(size)
    if channels == 3:
        images = np.repeat(images, 3, axis=-1)
    if holdout:
        keep = dict(zip(("train", "test"), holdout_indices(labels, holdout, split_seed)))[split]
        images, labels = images[keep], labels[keep]
    info = DataInfo(name="digits", kind="images", shape=(size, size, channels), num_classes=10,
                    num_examples=len(labels))
    if not labelled_subset:
        return tf.data.Dataset.from_tensor_slices({"real": images, "label": labels}), info
    labelled, unlabelled = labelled_indices(labels, labelled_subset, split_seed, "digits")
    streams = {"labelled": tf.data.Dataset.from_tensor_slices({"real": images[labelled], "label": labels[labelled]}),
               "unlabelled": tf.data.Dataset.from_tensor_slices({"real": images[unlabelled]})}
    info = dataclasses.replace(info, num_examples=len(labelled), streams=tuple(streams),
                               extra={"stream_examples": {"labelled": len(labelled), "unlabelled": len(unlabelled)}})
    return streams, info


def _check_fraction(value, what):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0.0 <= value < 1.0:
        raise DataError(f"{what} must be a number in [0, 1), got {value!r}")
    return float(value)
