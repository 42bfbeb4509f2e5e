"""`folder:<path>` (unlabelled images) and `pairs:<path>` (pix2pix A|B side-by-side files).

Split folders: when <path>/<split> is a folder (facades/train, facades/val, ...) it is read;
otherwise <path> itself serves as the "train" split.

Every file's header is read once with Pillow at build time, so that an undecodable file, a
wrong aspect ratio or an impossible image_size is a DataError naming the file before training
starts, instead of a tf.data error deep inside the training loop. (Pillow's verify() checks
headers and PNG checksums; it does not fully decode JPEG data.)
"""
import pathlib

import tensorflow as tf

from tfgan_zoo.data.core import DataInfo, require_arg
from tfgan_zoo.data.images import (center_crop_square, check_bool, check_channels, check_image_size, convert_channels,
                                   resize)
from tfgan_zoo.errors import DataError
from tfgan_zoo.registry import DATASETS

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif")
DIRECTIONS = ("AtoB", "BtoA")
#: Pillow modes without colour (I;16 and other "I;" modes too)
GRAY_MODES = ("1", "L", "LA", "I", "F", "La")


def split_dir(where, path, split):
    root = pathlib.Path(path).expanduser()
    if not root.is_dir():
        raise DataError(f"{where}: no such folder {str(root)!r}")
    if (root / split).is_dir():
        return root / split
    if split == "train":
        return root
    raise DataError(f"{where}: no {split!r} subfolder in {str(root)!r} for split {split!r}")


def list_images(where, root):
    files = sorted(p for p in root.rglob("*") if p.suffix.lower() in IMAGE_EXTENSIONS and p.is_file())
    if not files:
        raise DataError(f"{where}: no {'/'.join(e[1:] for e in IMAGE_EXTENSIONS)} images under {str(root)!r}")
    return files


def image_headers(where, files):
    """((width, height), gray) of every file, read from headers; a file Pillow cannot parse is a
    DataError. gray: the file holds no colour (modes 1 / L / LA / I / F, or a palette whose
    every entry has R = G = B)."""
    from PIL import Image, UnidentifiedImageError

    headers = []
    for path in files:
        try:
            with Image.open(path) as image:
                size, mode = image.size, image.mode
                image.verify()
            headers.append((size, _is_gray(path, mode)))
        except (OSError, SyntaxError, ValueError, UnidentifiedImageError) as e:
            reason = str(e).splitlines()[0] if str(e) else type(e).__name__
            raise DataError(f"{where}: cannot decode image {str(path)!r}: {reason}") from None
    return headers


def _is_gray(path, mode):
    from PIL import Image

    if mode in GRAY_MODES or mode.startswith("I;"):
        return True
    if mode in ("P", "PA"):
        with Image.open(path) as image:  # verify() leaves the first handle unusable
            palette = image.getpalette() or []
        return len(palette) >= 3 and all(palette[i] == palette[i + 1] == palette[i + 2]
                                         for i in range(0, len(palette) - 2, 3))
    return False


def choose_size(where, requested, sides, files, allow_upscale):
    """The output side: `requested`, or the common side of all images when None."""
    smallest = min(range(len(sides)), key=sides.__getitem__)
    if requested is None:
        if any(side != sides[0] for side in sides):
            raise DataError(f"{where}: images differ in size ({str(files[0])!r}: {sides[0]} px, "
                            f"{str(files[smallest])!r}: {sides[smallest]} px); pass image_size")
        return sides[0]
    if requested > sides[smallest] and not allow_upscale:
        raise DataError(f"{where}: image_size {requested} is larger than {str(files[smallest])!r} "
                        f"({sides[smallest]} px); pass a smaller data.image_size or set "
                        "data.options.allow_upscale=true")
    return requested


def decode(path, channels, gray=False):
    """File path -> float32 HWC image in [-1, 1] with `channels` channels (first frame of a GIF).
    gray: every file is grayscale (R = G = B after decoding), so one channel is its value exactly
    (rather than the ITU-R 601 weighted sum, whose weights add up to 0.9999)."""
    image = tf.io.decode_image(tf.io.read_file(path), channels=3, dtype=tf.float32, expand_animations=False)
    image.set_shape((None, None, 3))
    if gray and channels == 1:
        return image[..., :1] * 2.0 - 1.0
    return convert_channels(image * 2.0 - 1.0, 3, channels)


def _prepare(where, path, image_size, channels, split, allow_upscale):
    """Check the request, list the files and read their headers -> (size, channels, files,
    sizes, gray). channels None: 1 when every file is grayscale (gray), else 3 (an explicit
    value wins)."""
    check_bool(allow_upscale, f"{where}: allow_upscale")
    size = check_image_size(image_size, where)
    channels = check_channels(channels, where)
    files = list_images(where, split_dir(where, path, split))
    headers = image_headers(where, files)
    gray = all(g for _, g in headers)
    if channels is None:
        channels = 1 if gray else 3
    return size, channels, files, [wh for wh, _ in headers], gray


@DATASETS.register("folder")
def build_folder(arg, image_size=None, channels=None, split="train", allow_upscale: bool = False):
    """Every png/jpg/jpeg/bmp/gif under the folder (recursive), center-cropped square and resized.

    allow_upscale: permit an image_size larger than the smallest image's shorter side.
    image_size None needs all images to share one square size. channels None: 1 when every
    file is grayscale, else 3.
    """
    require_arg("folder", arg, "path")
    return folder_dataset(f"folder:{arg}", arg, image_size, channels, split, allow_upscale)


def folder_dataset(where, path, image_size, channels, split, allow_upscale):
    """The `folder:` dataset of `path`, with `where` naming it in errors (see build_folder)."""
    size, channels, files, sizes, gray = _prepare(where, path, image_size, channels, split, allow_upscale)
    sides = [min(w, h) for w, h in sizes]
    if image_size is None and any(w != h for w, h in sizes):
        bad = next(f for f, (w, h) in zip(files, sizes) if w != h)
        raise DataError(f"{where}: {str(bad)!r} is not square; pass image_size to center-crop and resize")
    size = choose_size(where, size, sides, files, allow_upscale)

    def load(file):
        image = decode(file, channels, gray)
        image = tf.clip_by_value(resize(center_crop_square(image), size), -1.0, 1.0)
        image.set_shape((size, size, channels))
        return {"real": image}

    ds = tf.data.Dataset.from_tensor_slices([str(f) for f in files]).map(load, num_parallel_calls=tf.data.AUTOTUNE)
    info = DataInfo(name=where, kind="images", shape=(size, size, channels), num_examples=len(files))
    return ds, info


@DATASETS.register("pairs")
def build_pairs(arg, image_size=None, channels=None, split="train", direction: str = "AtoB",
                allow_upscale: bool = False):
    """pix2pix paired files: the left half of each file is A, the right half B (width = 2 x height).

    direction: "AtoB" (source A, target B) or "BtoA".
    allow_upscale: permit an image_size larger than the halves.
    Each half is resized to image_size (None: the halves' common size); channels None: 1 when
    every file is grayscale, else 3.
    """
    require_arg("pairs", arg, "path")
    where = f"pairs:{arg}"
    if direction not in DIRECTIONS:
        raise DataError(f"{where}: direction must be one of {list(DIRECTIONS)}, got {direction!r}")
    size, channels, files, sizes, gray = _prepare(where, arg, image_size, channels, split, allow_upscale)
    for file, (w, h) in zip(files, sizes):
        if w != 2 * h:
            raise DataError(f"{where}: {str(file)!r} is {w}x{h} px; a pair file must be twice as wide as high")
    size = choose_size(where, size, [h for _, h in sizes], files, allow_upscale)
    swap = direction == "BtoA"

    def load(file):
        image = decode(file, channels, gray)
        half = tf.shape(image)[1] // 2
        a = tf.clip_by_value(resize(image[:, :half], size), -1.0, 1.0)
        b = tf.clip_by_value(resize(image[:, half:], size), -1.0, 1.0)
        a.set_shape((size, size, channels))
        b.set_shape((size, size, channels))
        return {"source": b, "real": a} if swap else {"source": a, "real": b}

    ds = tf.data.Dataset.from_tensor_slices([str(f) for f in files]).map(load, num_parallel_calls=tf.data.AUTOTUNE)
    info = DataInfo(name=where, kind="paired", shape=(size, size, channels), source_shape=(size, size, channels),
                    num_examples=len(files))
    return ds, info
