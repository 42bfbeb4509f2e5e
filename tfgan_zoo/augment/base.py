"""The Augmentation protocol, its name table and `build_augmentation`.

An augmentation transforms every image the discriminator sees (reals and fakes alike) and is
differentiable in the images, so the generator trains through it. The core uses it as

    augment = build_augmentation({"name": "ada", "target": 0.6})   # config: one-line errors
    augment.build(model)                    # once, in the strategy's scope: model.add_state(...)
    x_aug = augment(x, model.random_uniform)   # on each D input, inside the step
    logs = augment.update(model, d_real)    # once a step after D's update -> {log name: scalar}

Every random draw goes through `random_uniform(shape)` (per-example, drawn for the global batch
and sliced to the replica), so N replicas augment exactly as one device does.
"""
import inspect
import numbers

import tensorflow as tf

from tfgan_zoo.errors import ConfigError

#: name -> Augmentation subclass (the modules of this package register themselves)
AUGMENTATIONS = {}


def register(name):
    def add(cls):
        if AUGMENTATIONS.get(name, cls) is not cls:
            raise ValueError(f"augmentation {name!r} is registered twice")
        AUGMENTATIONS[name] = cls
        cls.name = name
        return cls
    return add


class Augmentation:
    name = "augmentation"

    def __init__(self, **options):
        if options:
            raise ConfigError(f"augmentation {self.name!r} takes no option {sorted(options)[0]!r}")

    def build(self, model):
        """Create state with `model.add_state(...)` (once, inside the strategy's scope)."""

    def __call__(self, images, random_uniform):
        raise NotImplementedError

    def update(self, model, d_real_logits):
        """Once per step after D's update, with D's logits on the (augmented) reals."""
        return {}


def build_augmentation(spec):
    """{"name": "diffaugment" | "ada", option: value, ...} -> an Augmentation."""
    if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
        raise ConfigError(f"an augmentation is a mapping with a 'name' ({', '.join(sorted(AUGMENTATIONS))}), "
                          f"got {spec!r}")
    from tfgan_zoo.registry import closest_hint

    options = {k: v for k, v in spec.items() if k != "name"}
    name = spec["name"]
    if name not in AUGMENTATIONS:
        raise ConfigError(f"unknown augmentation {name!r}{closest_hint(name, AUGMENTATIONS)}")
    cls = AUGMENTATIONS[name]
    params = inspect.signature(cls).parameters
    for key in options:
        if key not in params:
            raise ConfigError(f"augmentation {name!r} has no option {key!r}{closest_hint(key, params)}")
    return cls(**options)


def check_number(owner, key, value, low, high=None, integer=False):
    """A number in [low, high] (an int when integer); anything else is a one-line ConfigError."""
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind) or value < low or (high is not None and value > high):
        span = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise ConfigError(f"augmentation {owner!r}: {key} must be {'an integer' if integer else 'a number'} "
                          f"{span}, got {value!r}")
    return int(value) if integer else float(value)


def batch_size(images):
    """The static batch size when known, else the dynamic one (a scalar tensor)."""
    return images.shape[0] if images.shape[0] is not None else tf.shape(images)[0]


def uniform_ints(u, low, high):
    """Integers uniform in [low, high] from U[0, 1) draws u (floor of u (high - low + 1))."""
    n = high - low + 1
    return tf.minimum(tf.cast(tf.floor(u * n), tf.int32), n - 1) + low
