"""LapGAN networks (Denton et al. 2015): a coarse generator for the lowest pyramid level, a
residual generator per finer level, a discriminator per level.

Level k of the pyramid (tfgan_zoo.layers.pyramid) is generated as I_k = l_k + G_k(l_k, noise)
with l_k = up(I_{k+1}): the residual generator sees the upsampled coarser image and a noise
plane at its resolution (the reference code's one-channel noise plane), and returns the
band-pass residual h_k, with no output activation (residuals are centred on 0 and not bounded
to [-1, 1]). The discriminator of a level judges l_k + h_k, the image at that level, as in the
paper ("the low-pass image l_k is explicitly added to h_k before the first convolution"). With
num_classes > 0 every network also gets int labels [B], concatenated as one-hot (to z, or as
constant planes to images: OneHotConcat).
"""
import keras
from keras import layers

from tfgan_zoo.layers.conditioning import OneHotConcat
from tfgan_zoo.networks.common import check_bool, check_fraction, check_int, check_power_of_two, float32_output
from tfgan_zoo.registry import NETWORKS

#: Keras's default (Glorot uniform), close to the reference code's Torch default (uniform
#: +-1/sqrt(fan_in)). Not DCGAN's N(0, 0.02): these discriminators have no normalisation, and
#: with it their logits stayed near 0 (D at chance, loss 2 ln 2) for the first 600 steps on the
#: digits.
INIT = "glorot_uniform"


def _label_input(num_classes):
    return keras.Input((), dtype="int32", name="label") if num_classes else None


def _with_label(x, label, num_classes, name):
    return OneHotConcat(num_classes, name=name)([x, label]) if num_classes else x


def _model(inputs, label, output, activation, name):
    inputs = list(inputs) + ([label] if label is not None else [])
    return keras.Model(inputs if len(inputs) > 1 else inputs[0], float32_output(output, activation, activation),
                       name=name)


@NETWORKS.register("lapgan_coarse_generator")
def lapgan_coarse_generator(latent_dim: int, image_size: int, channels: int, num_classes: int = 0,
                            hidden_units: int = 512, num_hidden: int = 2, batch_norm: bool = True) -> keras.Model:
    """z (and a label) -> the coarsest level's image, tanh: an MLP (the reference code's
    coarse CIFAR generator is fully connected; at 8 x 8 an MLP sees the whole image).

    latent_dim: size of z.
    image_size: side of the coarsest level.
    channels: image channels.
    num_classes: 0, or K for a label input concatenated to z as one-hot.
    hidden_units: width of the hidden layers.
    num_hidden: number of hidden Dense + BN + ReLU layers.
    batch_norm: False drops the BN (Dense with bias + ReLU), as the eyescream reference's generators.
    """
    what = "lapgan_coarse_generator"
    latent_dim = check_int(latent_dim, f"{what}: latent_dim")
    image_size = check_int(image_size, f"{what}: image_size", minimum=2)
    channels = check_int(channels, f"{what}: channels")
    num_classes = check_int(num_classes, f"{what}: num_classes", minimum=0)
    hidden_units = check_int(hidden_units, f"{what}: hidden_units")
    num_hidden = check_int(num_hidden, f"{what}: num_hidden", minimum=0)
    batch_norm = check_bool(batch_norm, f"{what}: batch_norm")

    z = keras.Input((latent_dim,), name="z")
    label = _label_input(num_classes)
    h = _with_label(z, label, num_classes, "label_concat")
    for i in range(num_hidden):
        h = layers.Dense(hidden_units, use_bias=not batch_norm, kernel_initializer=INIT, name=f"dense{i}")(h)
        if batch_norm:
            h = layers.BatchNormalization(momentum=0.9, epsilon=1e-5, synchronized=True, name=f"dense{i}_bn")(h)
        h = layers.ReLU(name=f"dense{i}_relu")(h)
    h = layers.Dense(image_size * image_size * channels, kernel_initializer=INIT, name="to_image")(h)
    h = layers.Reshape((image_size, image_size, channels), name="reshape")(h)
    return _model([z], label, h, "tanh", what)


@NETWORKS.register("lapgan_residual_generator")
def lapgan_residual_generator(image_size: int, channels: int, num_classes: int = 0, noise_channels: int = 1,
                              base_filters: int = 64, num_layers: int = 3, kernel_size: int = 5,
                              batch_norm: bool = True) -> keras.Model:
    """[coarse (the upsampled coarser level, [B, s, s, C]), noise [B, s, s, noise_channels]
    (and a label)] -> residual [B, s, s, C], linear: same-size convolutions with BN + ReLU.

    image_size: side of this level.
    channels: image channels.
    num_classes: 0, or K for a label input concatenated as K constant planes.
    noise_channels: planes of noise drawn at this level's resolution.
    base_filters: channels of the hidden convolutions.
    num_layers: convolutions in all, the last one producing the residual (>= 2).
    kernel_size: of every convolution (the reference code uses 5).
    batch_norm: False drops the BN (convolutions with bias + ReLU), as the eyescream reference.
    """
    what = "lapgan_residual_generator"
    image_size = check_int(image_size, f"{what}: image_size", minimum=2)
    channels = check_int(channels, f"{what}: channels")
    num_classes = check_int(num_classes, f"{what}: num_classes", minimum=0)
    noise_channels = check_int(noise_channels, f"{what}: noise_channels")
    base_filters = check_int(base_filters, f"{what}: base_filters")
    num_layers = check_int(num_layers, f"{what}: num_layers", minimum=2)
    kernel_size = check_int(kernel_size, f"{what}: kernel_size")
    batch_norm = check_bool(batch_norm, f"{what}: batch_norm")

    coarse = keras.Input((image_size, image_size, channels), name="coarse")
    noise = keras.Input((image_size, image_size, noise_channels), name="noise")
    label = _label_input(num_classes)
    h = layers.Concatenate(name="concat")([coarse, noise])
    h = _with_label(h, label, num_classes, "label_planes")
    for i in range(num_layers - 1):
        h = layers.Conv2D(base_filters, kernel_size, padding="same", use_bias=not batch_norm,
                          kernel_initializer=INIT, name=f"conv{i}")(h)
        if batch_norm:
            h = layers.BatchNormalization(momentum=0.9, epsilon=1e-5, synchronized=True, name=f"conv{i}_bn")(h)
        h = layers.ReLU(name=f"conv{i}_relu")(h)
    h = layers.Conv2D(channels, kernel_size, padding="same", kernel_initializer=INIT, name="to_residual")(h)
    return _model([coarse, noise], label, h, "linear", what)


@NETWORKS.register("lapgan_discriminator")
def lapgan_discriminator(image_size: int, channels: int, num_classes: int = 0, base_filters: int = 64,
                         min_size: int = 4, leaky_slope: float = 0.2, dropout: float = 0.0) -> keras.Model:
    """image at a level (l_k + h_k; and a label) -> logit: a same-size convolution, stride-2
    convolutions with LeakyReLU down to min_size, a dense logit.

    image_size: side of the level, a power of two >= min_size.
    channels: image channels.
    num_classes: 0, or K for a label input concatenated as K constant planes.
    base_filters: channels of the first convolution (they double per stride-2 convolution).
    min_size: side of the last feature map (a power of two).
    leaky_slope: negative slope of the LeakyReLU activations.
    dropout: rate of the Dropout before the logit (the reference code drops out in D).
    """
    what = "lapgan_discriminator"
    image_size = check_power_of_two(image_size, f"{what}: image_size", minimum=2)
    channels = check_int(channels, f"{what}: channels")
    num_classes = check_int(num_classes, f"{what}: num_classes", minimum=0)
    base_filters = check_int(base_filters, f"{what}: base_filters")
    min_size = check_power_of_two(min_size, f"{what}: min_size")
    leaky_slope = check_fraction(leaky_slope, f"{what}: leaky_slope")
    dropout = check_fraction(dropout, f"{what}: dropout")
    min_size = min(min_size, image_size)

    image = keras.Input((image_size, image_size, channels), name="image")
    label = _label_input(num_classes)
    h = _with_label(image, label, num_classes, "label_planes")
    h = layers.Conv2D(base_filters, 3, padding="same", kernel_initializer=INIT, name="conv_in")(h)
    h = layers.LeakyReLU(negative_slope=leaky_slope, name="conv_in_lrelu")(h)
    size, filters, level = image_size, base_filters, 0
    while size > min_size:
        filters *= 2
        h = layers.Conv2D(filters, 4, strides=2, padding="same", kernel_initializer=INIT,
                          name=f"down{level}")(h)
        h = layers.LeakyReLU(negative_slope=leaky_slope, name=f"down{level}_lrelu")(h)
        size, level = size // 2, level + 1
    h = layers.Flatten(name="flatten")(h)
    if dropout:
        h = layers.Dropout(dropout, name="dropout")(h)
    h = layers.Dense(1, kernel_initializer=INIT, name="logit")(h)
    return _model([image], label, h, "linear", "lapgan_discriminator")
