"""DCGAN generator and discriminator (Radford et al. 2016) for any power-of-two image size >= 8."""
import keras
from keras import layers

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.networks.common import (GENERATOR_NORMS, NORMS, apply_norm, check_bool, check_choice, check_fraction,
                                       check_int, check_power_of_two, float32_output, spectral, weight_init)
from tfgan_zoo.registry import NETWORKS


def _levels(image_size, min_size, what):
    image_size = check_power_of_two(image_size, f"{what}: image_size", minimum=8)
    min_size = check_power_of_two(min_size, f"{what}: min_size")
    if min_size >= image_size:
        raise ConfigError(f"{what}: min_size ({min_size}) must be smaller than image_size ({image_size})")
    return image_size, min_size, (image_size // min_size).bit_length() - 1


@NETWORKS.register("dcgan_generator")
def dcgan_generator(latent_dim: int, image_size: int, channels: int, base_filters: int = 64, min_size: int = 4,
                    norm: str = "batch", kernel_size: int = 4, max_filters: int = 512) -> keras.Model:
    """Dense -> min_size x min_size map -> stride-2 Conv2DTranspose blocks halving filters -> tanh.

    latent_dim: size of the input noise vector z.
    image_size: output side in pixels, a power of two >= 8.
    channels: output image channels (1 or 3 usually).
    base_filters: filters of the last hidden block (it doubles towards the input, DCGAN style).
    min_size: side of the first feature map (a power of two smaller than image_size).
    norm: "batch" | "layer" | "instance" | "virtual_batch" | "none", after the Dense and each
        hidden block. "virtual_batch" (config: `generator: {norm: virtual_batch}`) uses
        VirtualBatchNormalization: each example is normalised with the statistics of a fixed
        reference batch plus its own, so a sample does not depend on the rest of its batch;
        GANModel sets the reference when built, from 64 latents seeded by train.seed,
        propagated through the initial weights (see tfgan_zoo.layers.virtual_batch_norm).
    kernel_size: transposed-convolution kernel (4 avoids checkerboard overlap; DCGAN used 5).
    max_filters: cap on the filters of any block.
    """
    what = "dcgan_generator"
    latent_dim = check_int(latent_dim, f"{what}: latent_dim")
    channels = check_int(channels, f"{what}: channels")
    base_filters = check_int(base_filters, f"{what}: base_filters")
    kernel_size = check_int(kernel_size, f"{what}: kernel_size")
    max_filters = check_int(max_filters, f"{what}: max_filters")
    check_choice(norm, f"{what}: norm", GENERATOR_NORMS)
    image_size, min_size, _ = _levels(image_size, min_size, what)
    z = keras.Input((latent_dim,), name="z")
    x = generator_body(z, channels, image_size, min_size, base_filters, kernel_size, max_filters,
                       use_bias=norm == "none", normalize=lambda h, name: apply_norm(h, norm, name))
    return keras.Model(z, x, name=what)


def generator_body(z, channels, image_size, min_size, base_filters, kernel_size, max_filters, use_bias, normalize):
    """The DCGAN generator's layers on a latent tensor z, each norm given by normalize(h, name);
    shared with the class-conditional generator, whose norm is conditional batch norm."""
    n_up = (image_size // min_size).bit_length() - 1

    def filters(level):  # level 0 is the min_size map; level n_up - 1 the last hidden block
        return min(base_filters * 2 ** (n_up - 1 - level), max_filters)

    x = layers.Dense(min_size * min_size * filters(0), use_bias=use_bias, kernel_initializer=weight_init(),
                     name="project")(z)
    x = layers.Reshape((min_size, min_size, filters(0)), name="reshape")(x)
    x = normalize(x, "project_norm")
    x = layers.ReLU(name="project_relu")(x)
    for level in range(1, n_up):
        x = layers.Conv2DTranspose(filters(level), kernel_size, strides=2, padding="same", use_bias=use_bias,
                                   kernel_initializer=weight_init(), name=f"up{level}")(x)
        x = normalize(x, f"up{level}_norm")
        x = layers.ReLU(name=f"up{level}_relu")(x)
    x = layers.Conv2DTranspose(channels, kernel_size, strides=2, padding="same", kernel_initializer=weight_init(),
                               name="to_image")(x)
    return float32_output(x, "tanh", "tanh")


@NETWORKS.register("dcgan_discriminator")
def dcgan_discriminator(image_size: int, channels: int, base_filters: int = 64, norm: str = "batch",
                        spectral_norm: bool = False, leaky_slope: float = 0.2, min_size: int = 4,
                        kernel_size: int = 4, max_filters: int = 512) -> keras.Model:
    """Stride-2 convolutions with LeakyReLU down to min_size, then a Dense logit (no sigmoid).

    image_size: input side in pixels, a power of two >= 8.
    channels: input image channels.
    base_filters: filters of the first convolution (they double per block).
    norm: "batch" | "layer" | "instance" | "none", on every block but the first.
    spectral_norm: wrap every Conv2D and the Dense in SpectralNorm (layers/spectral_norm.py).
    leaky_slope: negative slope of the LeakyReLU activations.
    min_size: side of the last feature map before the Dense (a power of two < image_size).
    kernel_size: convolution kernel.
    max_filters: cap on the filters of any block.
    """
    what = "dcgan_discriminator"
    channels = check_int(channels, f"{what}: channels")
    base_filters = check_int(base_filters, f"{what}: base_filters")
    kernel_size = check_int(kernel_size, f"{what}: kernel_size")
    max_filters = check_int(max_filters, f"{what}: max_filters")
    check_choice(norm, f"{what}: norm", NORMS)
    check_bool(spectral_norm, f"{what}: spectral_norm")
    leaky_slope = check_fraction(leaky_slope, f"{what}: leaky_slope")
    image_size, min_size, n_down = _levels(image_size, min_size, what)

    image = keras.Input((image_size, image_size, channels), name="image")
    x = image
    for level in range(n_down):
        block_norm = norm if level > 0 else "none"
        conv = layers.Conv2D(min(base_filters * 2 ** level, max_filters), kernel_size, strides=2, padding="same",
                             use_bias=block_norm == "none", kernel_initializer=weight_init(), name=f"down{level}")
        x = spectral(conv, spectral_norm)(x)
        x = apply_norm(x, block_norm, f"down{level}_norm")
        x = layers.LeakyReLU(negative_slope=leaky_slope, name=f"down{level}_lrelu")(x)
    x = layers.Flatten(name="flatten")(x)
    x = spectral(layers.Dense(1, kernel_initializer=weight_init(), name="logit"), spectral_norm)(x)
    return keras.Model(image, float32_output(x, "linear", "logits"), name=what)
