"""Turn batches into pictures: image grids and 2-D point scatters as uint8 arrays / PNG files."""
import math
import os

import numpy as np
import tensorflow as tf


def to_uint8(images):
    """float images in [-1, 1] -> uint8 in [0, 255]."""
    images = np.asarray(images, dtype=np.float32)
    return np.clip(np.round((images + 1.0) * 127.5), 0, 255).astype(np.uint8)


def image_grid(images, columns=None, pad=1, min_tile=48):
    """Tile NHWC float images in [-1, 1] into one HWC uint8 image (grayscale kept 1-channel).

    Tiles smaller than `min_tile` pixels are enlarged by an integer factor (nearest
    neighbour), so a grid of 16-pixel digits is large enough to look at.
    """
    images = to_uint8(images)
    factor = max(1, int(math.ceil(min_tile / max(1, min(images.shape[1:3])))))
    if factor > 1:
        images = images.repeat(factor, axis=1).repeat(factor, axis=2)
    n, h, w, c = images.shape
    columns = columns or int(math.ceil(math.sqrt(n)))
    rows = int(math.ceil(n / columns))
    grid = np.full((rows * (h + pad) + pad, columns * (w + pad) + pad, c), 255, np.uint8)
    for i in range(n):
        r, col = divmod(i, columns)
        y, x = pad + r * (h + pad), pad + col * (w + pad)
        grid[y:y + h, x:x + w] = images[i]
    return grid


def scatter_image(points, reference=None, size=256, extent=None):
    """Render 2-D points (and optional reference points, e.g. mode centres) as an HWC uint8 image."""
    points = np.asarray(points, dtype=np.float64)
    allp = points if reference is None else np.concatenate([points, np.asarray(reference)])
    if extent is None:
        extent = float(np.max(np.abs(allp))) * 1.1 + 1e-6
    img = np.full((size, size, 3), 255, np.uint8)

    def pix(p):
        xy = ((p / extent + 1.0) * 0.5 * (size - 1)).round().astype(int)
        keep = np.all((xy >= 0) & (xy < size), axis=1)
        return xy[keep]

    for x, y in pix(points):
        img[size - 1 - y, x] = (30, 80, 200)
    if reference is not None:
        for x, y in pix(np.asarray(reference, dtype=np.float64)):
            img[max(0, size - 3 - y):size + 2 - y, max(0, x - 2):x + 3] = (220, 30, 30)
    return img


def preview_to_image(batch, reference=None, columns=None):
    """A model preview (images NHWC or points [N, 2]) as one HWC uint8 picture."""
    batch = np.asarray(batch)
    if batch.ndim == 2:
        return scatter_image(batch, reference)
    return image_grid(batch, columns=columns)


def write_png(path, image):
    """Write an HWC uint8 image atomically (temporary file, then rename)."""
    return write_image(path, image, "png")


#: picture formats by file extension
FORMATS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg"}


def write_image(path, image, kind=None):
    """Write an HWC uint8 image as PNG or JPEG (`kind`, else from the extension), atomically."""
    kind = kind or FORMATS[os.path.splitext(path)[1].lower()]
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    image = tf.convert_to_tensor(image, tf.uint8)
    data = tf.io.encode_png(image) if kind == "png" else tf.io.encode_jpeg(image, quality=95)
    tmp = f"{path}.tmp"
    tf.io.write_file(tmp, data)
    os.replace(tmp, path)
    return path


def grid_bytes(num, shape, min_tile=48, pad=1):
    """Bytes of the picture `preview_to_image` makes of `num` samples of `shape` (HWC images,
    or 2-D points), without making it."""
    if len(shape) != 3:
        return 256 * 256 * 3
    h, w, c = (int(d) for d in shape)
    factor = max(1, int(math.ceil(min_tile / max(1, min(h, w)))))
    columns = int(math.ceil(math.sqrt(num)))
    rows = int(math.ceil(num / columns))
    return (rows * (h * factor + pad) + pad) * (columns * (w * factor + pad) + pad) * c


def batch_seed(seed, index):
    """The seed of batch `index` of a drawing: batch 0 is `seed` itself (so up to one batch
    equals `sample(num, seed)`), batch i > 0 seed + i * 2**32, wrapped into int64."""
    value = int(seed) + int(index) * 2**32
    return (value + 2**63) % 2**64 - 2**63


def draw_in_batches(num, max_batch, draw_one):
    """np.concatenate of draw_one(start, n, index) over batches of at most `max_batch`, with a
    progress bar when there is more than one."""
    import keras
    parts = []
    bar = keras.utils.Progbar(num, unit_name="sample") if num > max_batch else None
    for index, start in enumerate(range(0, num, max_batch)):
        n = min(max_batch, num - start)
        parts.append(np.asarray(draw_one(start, n, index)))
        if bar is not None:
            bar.add(n)
    return np.concatenate(parts)


def rows_picture(rows):
    """A picture of wide rows (source | output | target), about as many rows as columns."""
    return preview_to_image(rows, columns=max(1, int(math.sqrt(len(rows) / 3))))

