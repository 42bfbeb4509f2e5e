"""Image helpers shared by the image builders: request checks, range, crop, resize, channels."""
import numbers

import tensorflow as tf

from tfgan_zoo.errors import DataError


def check_image_size(image_size, where):
    """None or a positive int; anything else is a DataError."""
    if image_size is None:
        return None
    if isinstance(image_size, bool) or not isinstance(image_size, numbers.Integral) or image_size < 1:
        raise DataError(f"{where}: image_size must be a positive integer, got {image_size!r}")
    return int(image_size)


def check_channels(channels, where, allowed=(1, 3)):
    """None or one of `allowed`; anything else is a DataError."""
    if channels is None:
        return None
    if isinstance(channels, bool) or channels not in allowed:
        raise DataError(f"{where}: channels must be one of {list(allowed)}, got {channels!r}")
    return int(channels)


def check_int(value, what, minimum=1):
    """An int option >= minimum (num_examples, seed, ...); anything else is a DataError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise DataError(f"{what} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def check_bool(value, what):
    """A true/false option; 0, 1 or "false" are refused rather than guessed at."""
    if not isinstance(value, bool):
        raise DataError(f"{what} must be true or false, got {value!r}")
    return value


def check_split(split, valid, where):
    if split not in valid:
        raise DataError(f"{where}: unknown split {split!r} (valid: {', '.join(valid)})")


def reject_image_request(image_size, channels, where):
    """Point sets have no image shape to choose."""
    if image_size is not None or channels is not None:
        raise DataError(f"{where} is a 2-D point set: image_size and channels do not apply")


def to_signed_unit(image):
    """uint8 [0, 255] or float [0, 1] image -> float32 in [-1, 1]."""
    image = tf.image.convert_image_dtype(image, tf.float32)  # uint8 -> [0, 1]; floats unchanged
    return image * 2.0 - 1.0


def center_crop_square(image):
    """Crop the largest centered square out of an HWC image (static or dynamic shape)."""
    shape = tf.shape(image)
    h, w = shape[0], shape[1]
    side = tf.minimum(h, w)
    return tf.image.crop_to_bounding_box(image, (h - side) // 2, (w - side) // 2, side, side)


def resize(image, size):
    """Bilinear resize of a square HWC (or NHWC) float image to size x size.

    antialias=True so that downscaling large photos does not alias; it is identical to plain
    bilinear when upscaling.
    """
    return tf.image.resize(image, [size, size], method="bilinear", antialias=True)


def convert_channels(image, source_channels, channels):
    """Convert an HWC image with `source_channels` (1..4) to `channels` (1 or 3).

    Alpha is dropped; gray -> RGB tiles; RGB -> gray uses ITU-R 601 weights.
    """
    if source_channels in (2, 4):  # gray+alpha / RGBA
        image = image[..., : source_channels - 1]
        source_channels -= 1
    if source_channels == channels:
        return image
    if channels == 3:
        return tf.image.grayscale_to_rgb(image)
    return tf.image.rgb_to_grayscale(image)
