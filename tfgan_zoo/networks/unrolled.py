"""The Stacked MNIST networks of the Unrolled-GAN setting (Metz et al. 2017, appendix), as used by
PacGAN's Table 3 (Lin et al. 2018, fjxmlzn/PacGAN; D has 1/4 of G's widths).

G: z -> Dense 4x4x64 -> BN ReLU -> Conv2DTranspose 3x3 stride 2 to 7x7x32, 14x14x16, 28x28x8 (each
BN ReLU) -> Conv2D 3x3 to `channels` -> tanh.
D: Conv2D 3x3 stride 2 with widths 2 / 4 / 8 (BN from the second), LeakyReLU 0.3 -> Dense 1 logit.
"""
import keras
from keras import layers

from tfgan_zoo.networks.common import check_fraction, check_int, float32_output, weight_init
from tfgan_zoo.registry import NETWORKS

G_WIDTHS = (32, 16, 8)
D_WIDTHS = (2, 4, 8)


def _bn(x, name):
    return layers.BatchNormalization(synchronized=True, name=name)(x)


@NETWORKS.register("unrolled_generator")
def unrolled_generator(latent_dim: int, channels: int, base_filters: int = 64) -> keras.Model:
    """z -> 4x4 x base_filters -> three 3x3 stride-2 transposed convolutions (7, 14, 28 px) -> 3x3 conv -> tanh.

    latent_dim: size of z (256 in the Unrolled-GAN setting).
    channels: output channels (3 for Stacked MNIST).
    base_filters: filters of the 4x4 map; the upsampling blocks use 1/2, 1/4, 1/8 of it.
    """
    latent_dim = check_int(latent_dim, "unrolled_generator: latent_dim")
    channels = check_int(channels, "unrolled_generator: channels")
    base_filters = check_int(base_filters, "unrolled_generator: base_filters", minimum=8)
    z = keras.Input((latent_dim,), name="z")
    x = layers.Dense(4 * 4 * base_filters, use_bias=False, kernel_initializer=weight_init(), name="project")(z)
    x = layers.Reshape((4, 4, base_filters), name="reshape")(x)
    x = layers.ReLU(name="project_relu")(_bn(x, "project_bn"))
    # 4 -> 7 needs "valid" padding with output_padding 0 on a 3x3 stride-2 kernel minus one row: crop 9 -> 7
    x = layers.Conv2DTranspose(base_filters // 2, 3, strides=2, padding="valid", use_bias=False,
                               kernel_initializer=weight_init(), name="up1")(x)  # 9x9
    x = layers.Cropping2D(((1, 1), (1, 1)), name="up1_crop")(x)  # 7x7
    x = layers.ReLU(name="up1_relu")(_bn(x, "up1_bn"))
    for level, divisor in ((2, 4), (3, 8)):
        x = layers.Conv2DTranspose(base_filters // divisor, 3, strides=2, padding="same", use_bias=False,
                                   kernel_initializer=weight_init(), name=f"up{level}")(x)
        x = layers.ReLU(name=f"up{level}_relu")(_bn(x, f"up{level}_bn"))
    x = layers.Conv2D(channels, 3, padding="same", kernel_initializer=weight_init(), name="to_image")(x)
    return keras.Model(z, float32_output(x, "tanh", "tanh"), name="unrolled_generator")


@NETWORKS.register("unrolled_discriminator")
def unrolled_discriminator(image_size: int, channels: int, base_filters: int = 2,
                           leaky_slope: float = 0.3) -> keras.Model:
    """Three 3x3 stride-2 convolutions (base_filters x 1, 2, 4; BN on the last two), LeakyReLU -> Dense logit.

    image_size: input side in pixels (28 for Stacked MNIST).
    channels: input channels (m * 3 when packed: models/packing.py builds it so).
    base_filters: filters of the first convolution (2 in D = 1/4 G).
    leaky_slope: negative slope of the LeakyReLU activations.
    """
    image_size = check_int(image_size, "unrolled_discriminator: image_size", minimum=8)
    channels = check_int(channels, "unrolled_discriminator: channels")
    base_filters = check_int(base_filters, "unrolled_discriminator: base_filters")
    leaky_slope = check_fraction(leaky_slope, "unrolled_discriminator: leaky_slope")
    image = keras.Input((image_size, image_size, channels), name="image")
    x = image
    for level in range(3):
        x = layers.Conv2D(base_filters * 2 ** level, 3, strides=2, padding="same", use_bias=level == 0,
                          kernel_initializer=weight_init(), name=f"down{level}")(x)
        if level:
            x = _bn(x, f"down{level}_bn")
        x = layers.LeakyReLU(negative_slope=leaky_slope, name=f"down{level}_lrelu")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(1, kernel_initializer=weight_init(), name="logit")(x)
    return keras.Model(image, float32_output(x, "linear", "logits"), name="unrolled_discriminator")
