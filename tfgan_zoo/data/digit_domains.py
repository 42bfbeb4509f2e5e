"""Bundled image-to-image sets made from sklearn's digits, with a known true correspondence.

`digits_unpaired` (CycleGAN) and `digits_domains` (StarGAN) restyle the digits into colour
domains by a fixed, documented function, so a translation can be compared with the truth.

Domains. A digit's ink t = (x + 1) / 2 in [0, 1] is drawn as the colour
    pixel = background + t' (ink - background),  then mapped to [-1, 1],
where t' = t, or for a "thick" domain t grey-dilated by one pixel with a 3x3 cross (each
pixel takes the maximum of itself and its four neighbours, at the output size):

    0  original              white ink on black: the digits as they are, RGB
    1  inverted              black ink on white
    2  thick_amber_on_navy   amber ink (1, .75, .1) on navy (.1, .15, .45), strokes thickened
    3  red_on_green          red ink (.95, .2, .15) on green (.1, .4, .2)

`restyle(images, domain)` maps digits (domain 0) into a domain. `to_digits(images, domain)`
maps a domain's images back to gray digits: the colour map is inverted by projecting each
pixel onto the background -> ink line; thickening has no inverse, so thick domains come back
thick (the bundled digits classifier reads 98 % of thick held-out digits right, 100 % of them
as they are, on the 16 px default).

Splits. The held-out digits are the 450 of the bundled digits classifier's test split
(tfgan_zoo.metrics.digits_classifier), so evaluation never judges digits the classifier or a
generator saw. The other 1,347 digits are dealt, class by class, into disjoint parts:
  digits_unpaired, split "train": stream "a" = part 1 of 2 in domain 0, stream "b" = part 2
      of 2 restyled (no pair is ever seen); split "test": "a" = the held-out digits, "b" =
      their restyles in the same order (true pairs, for evaluation).
  digits_domains, split "train": part k of K in domain k; split "test": every held-out digit
      in every domain, domain-major (450 K elements).
Elements hold "real" (RGB), "label" (the digit) and, in digits_domains, "domain".
"""
import dataclasses

import numpy as np
import tensorflow as tf

from tfgan_zoo.data.core import DataInfo, require_no_arg
from tfgan_zoo.data.digits import DEFAULT_SIZE, load_digit_images
from tfgan_zoo.data.images import check_channels, check_image_size, check_split
from tfgan_zoo.errors import DataError
from tfgan_zoo.registry import DATASETS, closest_hint

SPLITS = ("train", "test")
DEAL_SEED = 14  # the fixed shuffle that deals the training digits into parts


@dataclasses.dataclass(frozen=True)
class Domain:
    """A restyle of the digits: ink and background colours (RGB in [0, 1]), thickened or not."""

    name: str
    ink: tuple
    background: tuple
    thick: bool = False


DOMAINS = (
    Domain("original", (1.0, 1.0, 1.0), (0.0, 0.0, 0.0)),
    Domain("inverted", (0.0, 0.0, 0.0), (1.0, 1.0, 1.0)),
    Domain("thick_amber_on_navy", (1.0, 0.75, 0.1), (0.1, 0.15, 0.45), thick=True),
    Domain("red_on_green", (0.95, 0.2, 0.15), (0.1, 0.4, 0.2)),
)
DOMAIN_NAMES = tuple(d.name for d in DOMAINS)
#: domain B of digits_unpaired unless its `domain_b` option names another
DEFAULT_DOMAIN_B = "thick_amber_on_navy"


def get_domain(domain, what="digit domain"):
    """A Domain from its index or name; anything else is a DataError."""
    if isinstance(domain, Domain):
        return domain
    if isinstance(domain, (int, np.integer)) and not isinstance(domain, bool) and 0 <= domain < len(DOMAINS):
        return DOMAINS[int(domain)]
    if isinstance(domain, str) and domain in DOMAIN_NAMES:
        return DOMAINS[DOMAIN_NAMES.index(domain)]
    raise DataError(f"{what}: unknown domain {domain!r}{closest_hint(domain, DOMAIN_NAMES)}")


def dilate_cross(ink):
    """Grey dilation of [N, H, W] ink by a 3x3 cross: the max of each pixel and its 4 neighbours."""
    padded = np.pad(ink, ((0, 0), (1, 1), (1, 1)))  # outside the image is background (ink 0)
    h, w = ink.shape[1:]
    shifts = [padded[:, 1 + dy:1 + dy + h, 1 + dx:1 + dx + w] for dy, dx in ((0, 0), (-1, 0), (1, 0), (0, -1), (0, 1))]
    return np.max(shifts, axis=0)


def _ink(digits):
    """Digits [N, H, W, 1 or 3] in [-1, 1] -> ink [N, H, W] in [0, 1] (channels averaged)."""
    digits = np.asarray(digits, np.float32)
    if digits.ndim != 4 or digits.shape[-1] not in (1, 3):
        raise DataError(f"expected digits as [N, H, W, 1 or 3] images, got shape {digits.shape}")
    return np.clip((digits.mean(axis=-1) + 1.0) / 2.0, 0.0, 1.0)


def restyle(digits, domain):
    """Digits as they are ([N, H, W, 1 or 3] in [-1, 1]) -> the same digits in `domain`, RGB."""
    domain = get_domain(domain)
    ink = _ink(digits)
    if domain.thick:
        ink = dilate_cross(ink)
    background, colour = np.float32(domain.background), np.float32(domain.ink)
    pixels = background + ink[..., None] * (colour - background)
    return (pixels * 2.0 - 1.0).astype(np.float32)


def to_digits(images, domain):
    """Images of `domain` ([N, H, W, 3] in [-1, 1]) -> gray digits [N, H, W, 1] in [-1, 1].

    Projects each pixel onto the background -> ink line of the domain (least squares), so a
    translation that got the colours slightly wrong is still read as ink or background.
    """
    domain = get_domain(domain)
    images = np.asarray(images, np.float32)
    if images.ndim != 4 or images.shape[-1] != 3:
        raise DataError(f"expected RGB images [N, H, W, 3], got shape {images.shape}")
    background, colour = np.float32(domain.background), np.float32(domain.ink)
    direction = colour - background
    ink = ((images + 1.0) / 2.0 - background) @ direction / float(direction @ direction)
    return (np.clip(ink, 0.0, 1.0)[..., None] * 2.0 - 1.0).astype(np.float32)


def deal(indices, labels, parts, seed=DEAL_SEED):
    """Deal `indices` into `parts` disjoint lists, class by class (each part gets every class)."""
    rng = np.random.default_rng(seed)
    dealt = [[] for _ in range(parts)]
    start = 0  # rotate who gets the first of each class, so part sizes differ by at most one
    for label in np.unique(labels[indices]):
        members = rng.permutation(indices[labels[indices] == label])
        for i, index in enumerate(members):
            dealt[(start + i) % parts].append(int(index))
        start = (start + len(members)) % parts
    return [np.sort(np.asarray(part, np.int64)) for part in dealt]


def _load(where, image_size, channels, split):
    from tfgan_zoo.metrics.digits_classifier import sklearn_digits_split_indices

    size = check_image_size(image_size, where) or DEFAULT_SIZE
    check_channels(channels, where, allowed=(3,))  # the domains are colour images
    check_split(split, SPLITS, where)
    digits, labels = load_digit_images(size)
    train, test = sklearn_digits_split_indices()
    return size, digits, labels, train, test


def _elements(images, labels, **extra):
    return tf.data.Dataset.from_tensor_slices({"real": images.astype(np.float32), "label": labels.astype(np.int32),
                                               **extra})


@DATASETS.register("digits_unpaired")
def build_digits_unpaired(arg, image_size=None, channels=None, split="train", domain_b: str = DEFAULT_DOMAIN_B):
    """Two-domain unpaired digits: {"a": digits as they are (RGB), "b": restyled digits}.

    domain_b: the restyle of B, one of original, inverted, thick_amber_on_navy (default),
        red_on_green (see the module docstring).
    split: "train" (A and B from disjoint halves of the training digits) or "test" (the
        held-out digits and their restyles, pair by pair). image_size default 16; channels 3.
    """
    where = "digits_unpaired"
    require_no_arg(where, arg)
    domain_b = get_domain(domain_b, f"{where}: domain_b")
    size, digits, labels, train, test = _load(where, image_size, channels, split)
    part_a, part_b = (test, test) if split == "test" else deal(train, labels, 2)
    streams = {"a": _elements(restyle(digits[part_a], DOMAINS[0]), labels[part_a]),
               "b": _elements(restyle(digits[part_b], domain_b), labels[part_b])}
    info = DataInfo(name=where, kind="images", shape=(size, size, 3), num_classes=10, num_examples=len(part_a),
                    streams=("a", "b"),
                    extra={"domains": [DOMAINS[0].name, domain_b.name], "paired": split == "test",
                           "stream_examples": {"a": len(part_a), "b": len(part_b)}})
    return streams, info


@DATASETS.register("digits_domains")
def build_digits_domains(arg, image_size=None, channels=None, split="train"):
    """Multi-domain digits for StarGAN: elements {"real", "label" (digit), "domain" (0..K-1)}.

    split: "train" (part k of the training digits in domain k, K disjoint parts) or "test"
        (every held-out digit in every domain). image_size default 16; channels 3.
    DataInfo.extra lists "domains" (names, index = domain) and "num_domains".
    """
    where = "digits_domains"
    require_no_arg(where, arg)
    size, digits, labels, train, test = _load(where, image_size, channels, split)
    parts = [test] * len(DOMAINS) if split == "test" else deal(train, labels, len(DOMAINS))
    images = np.concatenate([restyle(digits[part], domain) for part, domain in zip(parts, DOMAINS)])
    index = np.concatenate(parts)
    domains = np.concatenate([np.full(len(part), k, np.int32) for k, part in enumerate(parts)])
    ds = _elements(images, labels[index], domain=domains)
    info = DataInfo(name=where, kind="images", shape=(size, size, 3), num_classes=10, num_examples=len(index),
                    extra={"domains": list(DOMAIN_NAMES), "num_domains": len(DOMAINS)})
    return ds, info
