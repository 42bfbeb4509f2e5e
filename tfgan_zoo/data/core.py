"""DataInfo, spec parsing and `build_dataset`, the one entry point to every dataset builder.

A dataset builder is a function registered in `DATASETS` under its spec prefix and called as

    builder(arg, image_size=..., channels=..., split=..., **options) -> (datasets, DataInfo)

`datasets` is one unbatched tf.data.Dataset of dict elements, or, for families that read
several independently shuffled streams (CycleGAN's domains A and B, TripleGAN's labelled and
unlabelled sets), a dict {stream name: unbatched Dataset} whose names `DataInfo.streams`
lists in order; the training stream then yields {stream name: batch of that stream}.

`arg` is the text after the first ":" of the spec (None when there is none). Every
keyword after `split` is an option the user may set; `build_dataset` rejects unknown options
with a ConfigError before calling the builder.
"""
import dataclasses
import inspect

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.registry import DATASETS, closest_hint

_FIXED_PARAMS = ("arg", "image_size", "channels", "split")
KINDS = ("images", "paired", "points")


@dataclasses.dataclass(frozen=True)
class DataInfo:
    """What a consumer needs to know about a dataset without iterating it.

    name: the spec the dataset was built from (e.g. "tfds:mnist").
    kind: "images" | "paired" | "points".
    shape: shape of one element's "real" tensor.
    source_shape: shape of one element's "source" tensor (paired sets only).
    num_classes: number of distinct "label" values, or None when elements have no label.
    num_examples: number of elements in the split, or None when unknown.
    extra: set-specific facts (point sets: {"centers": array [modes, 2], "std": float}).
    streams: names of the independently shuffled streams when the builder returns a dict of
        datasets (shape / num_classes / num_examples then describe the first stream); () for
        one dataset.
    """

    name: str
    kind: str
    shape: tuple
    source_shape: tuple | None = None
    num_classes: int | None = None
    num_examples: int | None = None
    extra: dict = dataclasses.field(default_factory=dict)
    streams: tuple = ()

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"DataInfo.kind must be one of {KINDS}, got {self.kind!r}")


def parse_spec(spec):
    """Split "prefix:arg" into (prefix, arg); arg is None when there is no ":"."""
    if not isinstance(spec, str) or not spec.strip():
        raise ConfigError(f"dataset spec must be a non-empty string like 'digits' or 'tfds:mnist', got {spec!r}")
    prefix, sep, arg = spec.strip().partition(":")
    return prefix, (arg if sep else None)


def builder_options(builder):
    """The option names (and defaults) a builder accepts beyond arg/image_size/channels/split."""
    params = inspect.signature(builder).parameters
    return {name: p.default for name, p in params.items() if name not in _FIXED_PARAMS}


def build_dataset(spec: str, image_size: int | None = None, channels: int | None = None,
                  split: str = "train", **options):
    """Build the unbatched tf.data.Dataset named by `spec` and its DataInfo.

    spec: "prefix" or "prefix:arg", e.g. "digits", "tfds:mnist", "folder:/data/faces".
    image_size: side of the square output images (None: the set's default or native size).
    channels: 1 or 3 (None: the set's default or native channel count).
    split: which split to read ("train", "test", or what the set offers).
    options: set-specific options (e.g. seed, num_examples, data_dir, direction).
    """
    prefix, arg = parse_spec(spec)
    builder = DATASETS.get(prefix)
    accepted = builder_options(builder)
    for name in options:
        if name not in accepted:
            valid = f" (valid: {', '.join(sorted(accepted))})" if accepted else " (it takes none)"
            hint = closest_hint(name, accepted) if accepted else ""
            raise ConfigError(f"unknown option {name!r} for dataset {prefix!r}{hint or valid}")
    ds, info = builder(arg, image_size=image_size, channels=channels, split=split, **options)
    return ds, dataclasses.replace(info, name=spec)


def require_no_arg(prefix, arg):
    if arg is not None:
        raise ConfigError(f"dataset {prefix!r} takes no ':argument', got {prefix}:{arg}")


def require_arg(prefix, arg, what):
    if not arg:
        raise ConfigError(f"dataset {prefix!r} needs {what}: write '{prefix}:<{what}>'")
