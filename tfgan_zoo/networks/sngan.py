"""The "standard CNN" of Miyato et al. 2018 (Spectral Normalization for GANs, Table 3), the
generator and spectrally normalised discriminator of their CIFAR-10 / STL-10 CNN experiments.

Discriminator (32 x 32, base_filters 64):     Generator (32 x 32, base_filters 64):
    conv 3x3 s1  64   lReLU 0.1                   z -> dense 4 x 4 x 512, BN, ReLU
    conv 4x4 s2  64   lReLU                       deconv 4x4 s2 256, BN, ReLU
    conv 3x3 s1 128   lReLU                       deconv 4x4 s2 128, BN, ReLU
    conv 4x4 s2 128   lReLU                       deconv 4x4 s2  64, BN, ReLU
    conv 3x3 s1 256   lReLU                       conv 3x3 s1 channels, tanh
    conv 4x4 s2 256   lReLU
    conv 3x3 s1 512   lReLU
    dense 1

Other sizes (min_size the side of the last feature map, 4 as in the paper): the discriminator
keeps its layer sequence, (3x3 s1, 4x4 s2) pairs of base, 2 base, 4 base, ... filters then a
3x3 s1 conv of 8 base, with at least the paper's three pairs: there are max(3, n) pairs for
n = log2(image_size / min_size), the first n pairs stride 2 and the rest stride 1 (16 px: the
third pair's 4x4 conv keeps the 4 x 4 map), so every size ends at min_size x min_size x 8 base.
The generator has n stride-2 deconvs of 4 base, 2 base, base, ... filters (the last of them
base: 16 px gets 128, 64), from a min_size x min_size x 8 base dense map.
"""
import keras
from keras import layers

from tfgan_zoo.networks.common import (apply_norm, check_bool, check_choice, check_fraction, check_int,
                                       float32_output, spectral, weight_init)
from tfgan_zoo.networks.dcgan import _levels
from tfgan_zoo.registry import NETWORKS

G_NORMS = ("batch", "none")


@NETWORKS.register("sngan_cnn_generator")
def sngan_cnn_generator(latent_dim: int, image_size: int, channels: int, base_filters: int = 64,
                        min_size: int = 4, norm: str = "batch") -> keras.Model:
    """Miyato et al.'s standard-CNN generator: dense -> min_size map of 8 base_filters, stride-2
    4x4 transposed convs halving down to base_filters, a 3x3 conv to `channels` and tanh.

    latent_dim: size of z (128 in the paper).
    image_size: output side, a power of two >= 8.
    channels: output channels.
    base_filters: filters of the last transposed conv (64 in the paper).
    min_size: side of the dense layer's map (4 in the paper), a power of two < image_size.
    norm: "batch" (the paper) or "none", after the dense layer and each transposed conv.
    """
    what = "sngan_cnn_generator"
    latent_dim = check_int(latent_dim, f"{what}: latent_dim")
    channels = check_int(channels, f"{what}: channels")
    base_filters = check_int(base_filters, f"{what}: base_filters")
    check_choice(norm, f"{what}: norm", G_NORMS)
    image_size, min_size, n_up = _levels(image_size, min_size, what)
    use_bias = norm == "none"
    z = keras.Input((latent_dim,), name="z")
    x = layers.Dense(min_size * min_size * 8 * base_filters, use_bias=use_bias, kernel_initializer=weight_init(),
                     name="project")(z)
    x = layers.Reshape((min_size, min_size, 8 * base_filters), name="reshape")(x)
    x = apply_norm(x, norm, "project_norm")
    x = layers.ReLU(name="project_relu")(x)
    for level in range(n_up):
        x = layers.Conv2DTranspose(base_filters * 2 ** (n_up - 1 - level), 4, strides=2, padding="same",
                                   use_bias=use_bias, kernel_initializer=weight_init(), name=f"up{level}")(x)
        x = apply_norm(x, norm, f"up{level}_norm")
        x = layers.ReLU(name=f"up{level}_relu")(x)
    x = layers.Conv2D(channels, 3, padding="same", kernel_initializer=weight_init(), name="to_image")(x)
    return keras.Model(z, float32_output(x, "tanh", "tanh"), name=what)


@NETWORKS.register("sngan_cnn_discriminator")
def sngan_cnn_discriminator(image_size: int, channels: int, base_filters: int = 64, min_size: int = 4,
                            spectral_norm: bool = True, leaky_slope: float = 0.1) -> keras.Model:
    """Miyato et al.'s standard-CNN discriminator: (3x3 s1, 4x4 s2) conv pairs doubling from
    base_filters, a 3x3 conv of 8 base_filters, a dense logit; spectral norm on every layer.

    image_size: input side, a power of two >= 8.
    channels: input channels.
    base_filters: filters of the first pair (64 in the paper).
    min_size: side of the last feature map (4 in the paper); the pairs past log2(image_size /
        min_size) keep stride 1 (module docstring).
    spectral_norm: wrap every conv and the dense in SpectralNorm (the paper's SN-GAN).
    leaky_slope: negative slope of the LeakyReLUs (0.1 in the paper).
    """
    what = "sngan_cnn_discriminator"
    channels = check_int(channels, f"{what}: channels")
    base_filters = check_int(base_filters, f"{what}: base_filters")
    check_bool(spectral_norm, f"{what}: spectral_norm")
    leaky_slope = check_fraction(leaky_slope, f"{what}: leaky_slope")
    image_size, min_size, n_down = _levels(image_size, min_size, what)

    def conv(h, filters, kernel, stride, name):
        layer = layers.Conv2D(filters, kernel, strides=stride, padding="same", kernel_initializer=weight_init(),
                              name=name)
        h = spectral(layer, spectral_norm)(h)
        return layers.LeakyReLU(negative_slope=leaky_slope, name=f"{name}_lrelu")(h)

    image = keras.Input((image_size, image_size, channels), name="image")
    x = image
    for pair in range(max(3, n_down)):
        filters = base_filters * 2 ** min(pair, 3)
        x = conv(x, filters, 3, 1, f"conv{pair}a")
        x = conv(x, filters, 4, 2 if pair < n_down else 1, f"conv{pair}b")
    x = conv(x, 8 * base_filters, 3, 1, "conv_last")
    x = layers.Flatten(name="flatten")(x)
    x = spectral(layers.Dense(1, kernel_initializer=weight_init(), name="logit"), spectral_norm)(x)
    return keras.Model(image, float32_output(x, "linear", "logits"), name=what)
