"""Argument checks and layer factories shared by the network builders.

Builders compose stock Keras layers and the package's own (tfgan_zoo.layers).
"""
import numbers

import keras
from keras import layers

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.layers.spectral_norm import SpectralNorm
from tfgan_zoo.layers.virtual_batch_norm import VirtualBatchNormalization

NORMS = ("batch", "layer", "instance", "none")
#: the norms a generator fed latents may use: NORMS plus virtual batch norm, whose reference
#: batch GANModel sets (tfgan_zoo.layers.virtual_batch_norm.set_latent_references)
GENERATOR_NORMS = NORMS + ("virtual_batch",)


def check_int(value, what, minimum=1):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ConfigError(f"{what} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def check_power_of_two(value, what, minimum=1):
    value = check_int(value, what, minimum)
    if value & (value - 1):
        raise ConfigError(f"{what} must be a power of two >= {minimum}, got {value}")
    return value


def check_choice(value, what, choices):
    if value not in choices:
        raise ConfigError(f"{what} must be one of {list(choices)}, got {value!r}")
    return value


def check_bool(value, what):
    if not isinstance(value, bool):  # 0 / 1 / "yes" would pass an `in (True, False)` test
        raise ConfigError(f"{what} must be true or false, got {value!r}")
    return value


def check_fraction(value, what, low=0.0, high=1.0, include_high=False):
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and low <= value
    ok = ok and (value <= high if include_high else value < high)
    if not ok:
        raise ConfigError(f"{what} must be a number in [{low}, {high}{']' if include_high else ')'}, got {value!r}")
    return float(value)


def weight_init():
    """N(0, 0.02), the DCGAN / pix2pix initialisation; a fresh instance per layer, as Keras asks."""
    return keras.initializers.RandomNormal(mean=0.0, stddev=0.02)


def norm_layer(norm, name):
    """The normalisation layer for `norm` on NHWC features, or None for "none".

    batch: BatchNormalization with synchronized=True, so that under a tf.distribute strategy the
        statistics are those of the global batch (N replicas compute what one device would);
        momentum 0.9 / epsilon 1e-5 as in the reference DCGAN and pix2pix code.
    layer: GroupNormalization(groups=1), i.e. normalisation over H, W and C of each example
        with a per-channel scale and offset (the "layer norm" of WGAN-GP critics).
    instance: GroupNormalization(groups=-1), one group per channel.
    virtual_batch: VirtualBatchNormalization (Salimans et al. 2016): per-channel statistics of a
        fixed reference batch plus the example itself, so an example's output does not depend
        on the rest of its batch; its reference must be set (set_references) before use.
    """
    check_choice(norm, "norm", GENERATOR_NORMS)
    if norm == "batch":
        return layers.BatchNormalization(momentum=0.9, epsilon=1e-5, synchronized=True, name=name)
    if norm == "layer":
        return layers.GroupNormalization(groups=1, epsilon=1e-5, name=name)
    if norm == "instance":
        return layers.GroupNormalization(groups=-1, epsilon=1e-5, name=name)
    if norm == "virtual_batch":
        return VirtualBatchNormalization(epsilon=1e-5, name=name)
    return None


def apply_norm(x, norm, name):
    layer = norm_layer(norm, name)
    return x if layer is None else layer(x)


def spectral(layer, spectral_norm):
    """Wrap `layer` in SpectralNorm (layers/spectral_norm.py, W / sigma(W)) when asked."""
    if not spectral_norm:
        return layer
    return SpectralNorm(layer, name=f"{layer.name}_sn")


def float32_output(x, activation, name):
    """Final activation computed in float32, so outputs stay float32 under mixed precision."""
    return layers.Activation(activation, dtype="float32", name=name)(x)


def with_condition(image, condition_dim, image_size):
    """(inputs, x) of an image-to-image network: with condition_dim K > 0 a second input, a [K]
    vector (StarGAN's one-hot target domain), tiled over the image as K extra channels of x."""
    if not condition_dim:
        return image, image
    condition = keras.Input((condition_dim,), name="condition")
    tiled = layers.Reshape((1, 1, condition_dim), name="condition_map")(condition)
    tiled = layers.UpSampling2D(image_size, name="condition_tile")(tiled)
    return [image, condition], layers.Concatenate(name="image_condition")([image, tiled])
