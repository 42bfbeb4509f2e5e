"""`tfds:<name>`: an image dataset from tensorflow_datasets (offline unless download=True).

tfds retries a failing download for minutes, so a missing dataset is never downloaded by
default: without download=True a dataset that is not prepared in data_dir is a DataError at
once, and with download=True the network is probed first (a few seconds at most).
"""
import socket

import tensorflow as tf

from tfgan_zoo.data.core import DataInfo, require_arg
from tfgan_zoo.data.images import (center_crop_square, check_bool, check_channels, check_image_size,
                                   convert_channels, resize, to_signed_unit)
from tfgan_zoo.errors import DataError
from tfgan_zoo.registry import DATASETS

PROBE_ADDRESS = ("storage.googleapis.com", 443)  # where tfds fetches data and metadata from
PROBE_TIMEOUT_S = 3.0


def network_reachable(address=PROBE_ADDRESS, timeout=PROBE_TIMEOUT_S):
    try:
        socket.create_connection(address, timeout=timeout).close()
        return True
    except OSError:
        return False


def _first_line(error):
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _load(name, split, data_dir, download):
    import tensorflow_datasets as tfds

    where = f"tfds:{name}"
    try:
        builder = tfds.builder(name, data_dir=data_dir)
    except tfds.core.registered.DatasetNotFoundError as e:
        raise DataError(f"{where}: {_first_line(e)}") from None
    kwargs = dict(split=split, data_dir=data_dir, with_info=True, shuffle_files=False)
    try:
        return tfds.load(name, download=False, **kwargs)
    except AssertionError:  # tfds's "could not find data in <dir>" when the set is not prepared
        if not download:
            raise DataError(f"{where}: not prepared in {builder.data_dir} (pass download=True, or data_dir= a "
                            "folder where it was downloaded)") from None
    except ValueError as e:  # unknown split and similar
        raise DataError(f"{where}: {_first_line(e)}") from None
    if not network_reachable():
        raise DataError(f"{where}: not prepared in {builder.data_dir} and download=True, but "
                        f"{PROBE_ADDRESS[0]} is unreachable (offline?)")
    try:
        return tfds.load(name, download=True, **kwargs)
    except Exception as e:  # noqa: BLE001 - any failed download is the user's data problem
        raise DataError(f"{where}: download failed: {_first_line(e)}") from None


@DATASETS.register("tfds")
def build_tfds(arg, image_size=None, channels=None, split="train", data_dir: str | None = None,
               download: bool = False, image_key: str = "image", label_key: str = "label"):
    """A tensorflow_datasets image set.

    data_dir: tfds data folder (None: tfds's default, ~/tensorflow_datasets).
    download: download and prepare the set when it is missing (needs the network).
    image_key: feature holding the image.
    label_key: ClassLabel feature returned as "label" (elements get one only when the set has it).
    image_size None keeps the native size (square sets only); otherwise images are
    center-cropped to a square and bilinear-resized. channels None keeps the native count.
    """
    require_arg("tfds", arg, "name")
    where = f"tfds:{arg}"
    size = check_image_size(image_size, where)
    channels = check_channels(channels, where)
    ds, tfds_info = _load(arg, split, data_dir, check_bool(download, f"{where}: download"))
    features = tfds_info.features
    if image_key not in features:
        raise DataError(f"{where}: no image feature {image_key!r} (features: {', '.join(features.keys())})")
    shape = tuple(features[image_key].shape)
    if len(shape) != 3 or shape[-1] not in (1, 2, 3, 4):
        raise DataError(f"{where}: feature {image_key!r} has shape {shape}, expected an HWC image with 1..4 channels")
    h, w, c = shape
    if size is None:
        if h is None or h != w:
            raise DataError(f"{where}: images are {h}x{w}, not a fixed square; pass image_size")
        size = h
    out_channels = channels or (1 if c in (1, 2) else 3)
    # only a ClassLabel counts as a label: it is an int with a known number of classes
    num_classes = getattr(features[label_key], "num_classes", None) if label_key in features else None
    needs_resize = (h, w) != (size, size)

    def convert(example):
        image = to_signed_unit(example[image_key])
        if needs_resize:
            image = resize(center_crop_square(image), size)
        image = convert_channels(image, c, out_channels)
        image.set_shape((size, size, out_channels))
        out = {"real": image}
        if num_classes is not None:
            out["label"] = tf.cast(example[label_key], tf.int32)
        return out

    ds = ds.map(convert, num_parallel_calls=tf.data.AUTOTUNE)
    info = DataInfo(name=f"tfds:{arg}", kind="images", shape=(size, size, out_channels), num_classes=num_classes,
                    num_examples=_num_examples(ds, tfds_info, split))
    return ds, info


def _num_examples(ds, tfds_info, split):
    try:
        return int(tfds_info.splits[split].num_examples)
    except (KeyError, ValueError, TypeError):
        cardinality = int(ds.cardinality())
        return cardinality if cardinality >= 0 else None
