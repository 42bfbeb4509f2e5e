"""`edges2photos`: an offline paired set made from the photos bundled with skimage and sklearn.

Each example is a random square crop of one photo (random side, position and horizontal
flip), resized to image_size: "real" is the crop (RGB, or gray with channels=1) and "source"
its edge map: the Sobel gradient magnitude of the gray crop, scaled to its maximum and drawn
as dark edges on white (edges -> -1, flat areas -> +1), 1 channel (source_channels=3 tiles it).
Sobel rather than Canny: at 16-64 px Canny's thresholds leave most crops nearly blank.
"""
import functools

import numpy as np
import tensorflow as tf

from tfgan_zoo.data.core import DataInfo, require_no_arg
from tfgan_zoo.data.images import check_channels, check_image_size, check_int, check_split
from tfgan_zoo.registry import DATASETS

SKIMAGE_PHOTOS = ("astronaut", "coffee", "chelsea", "rocket")
DEFAULT_SIZE = 32
MIN_CROP_FRACTION = 0.25  # smallest crop side, as a fraction of the photo's shorter side
_SPLIT_SALT = {"train": 0, "test": 1}


@functools.lru_cache(maxsize=4)
def load_photos(short_side):
    """The bundled RGB photos as float [0, 1] arrays, downscaled so the shorter side is `short_side`.

    Downscaling once up front keeps each crop's own resize small; cached because the train and
    test splits (and repeated builds) use the same photos. Callers must not modify them.
    """
    import skimage.data
    from skimage.transform import rescale
    from sklearn.datasets import load_sample_images

    raw = [getattr(skimage.data, name)() for name in SKIMAGE_PHOTOS] + list(load_sample_images().images)
    photos = []
    for image in raw:
        image = image.astype(np.float32) / 255.0
        scale = short_side / min(image.shape[:2])
        if scale < 1.0:
            image = rescale(image, scale, channel_axis=-1, anti_aliasing=True, preserve_range=True)
        photos.append(np.clip(image, 0.0, 1.0).astype(np.float32))
    return photos


def random_crops(photos, size, num_examples, rng):
    """`num_examples` random square crops resized to size x size, float [0, 1], [N, size, size, 3]."""
    from skimage.transform import resize

    crops = np.empty((num_examples, size, size, 3), np.float32)
    for i in range(num_examples):
        photo = photos[rng.integers(len(photos))]
        h, w = photo.shape[:2]
        short = min(h, w)
        side = int(rng.integers(max(1, int(short * MIN_CROP_FRACTION)), short + 1))
        top, left = int(rng.integers(h - side + 1)), int(rng.integers(w - side + 1))
        crop = photo[top:top + side, left:left + side]
        if rng.random() < 0.5:
            crop = crop[:, ::-1]
        crops[i] = resize(crop, (size, size), anti_aliasing=side > size, preserve_range=True)
    return np.clip(crops, 0.0, 1.0)


def edge_maps(crops):
    """Sobel edge maps of [N, s, s, 3] crops in [0, 1]: float32 [N, s, s, 1] in [-1, 1], edges dark."""
    from skimage.color import rgb2gray
    from skimage.filters import sobel

    maps = np.empty(crops.shape[:3] + (1,), np.float32)
    for i, crop in enumerate(crops):
        magnitude = sobel(rgb2gray(crop))
        magnitude = magnitude / max(float(magnitude.max()), 1e-6)
        maps[i, ..., 0] = 1.0 - 2.0 * magnitude
    return maps


@DATASETS.register("edges2photos")
def build_edges2photos(arg, image_size=None, channels=None, split="train", num_examples: int = 512,
                       seed: int = 0, source_channels: int = 1):
    """Bundled paired set: source = edge map, real = photo crop (see the module docstring).

    num_examples: number of crops in the split. seed: crops come from a generator seeded by
        (seed, split); "test" crops are drawn independently of "train" (same photos).
    source_channels: 1 (edge map) or 3 (the edge map tiled).
    image_size default 32; channels (of "real") default 3.
    """
    require_no_arg("edges2photos", arg)
    size = check_image_size(image_size, "edges2photos") or DEFAULT_SIZE
    channels = check_channels(channels, "edges2photos") or 3
    source_channels = check_channels(source_channels, "edges2photos: source_channels") or 1
    check_split(split, tuple(_SPLIT_SALT), "edges2photos")
    num_examples = check_int(num_examples, "edges2photos: num_examples")
    seed = check_int(seed, "edges2photos: seed", minimum=0)
    rng = np.random.default_rng([seed, _SPLIT_SALT[split]])
    crops = random_crops(load_photos(int(np.ceil(size / MIN_CROP_FRACTION))), size, num_examples, rng)
    source = np.repeat(edge_maps(crops), source_channels, axis=-1)
    real = crops * 2.0 - 1.0
    if channels == 1:
        real = tf.image.rgb_to_grayscale(real).numpy()
    ds = tf.data.Dataset.from_tensor_slices({"source": source, "real": real.astype(np.float32)})
    info = DataInfo(name="edges2photos", kind="paired", shape=(size, size, channels),
                    source_shape=(size, size, source_channels), num_examples=num_examples)
    return ds, info
