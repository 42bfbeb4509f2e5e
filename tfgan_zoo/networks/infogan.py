"""InfoGAN's MNIST networks (Chen et al. 2016, Appendix C.1; openai/InfoGAN, network_type "mnist").

G: [z, codes] -> FC hidden_units + BN + ReLU -> FC (s/4 x s/4 x 2 base_filters) + BN + ReLU (the norm
per unit of the vector, as the reference, not per channel of the reshaped map) ->
4x4 stride-2 transposed conv base_filters + BN + ReLU -> 4x4 stride-2 transposed conv to the
image, tanh (the reference emits Bernoulli means through a sigmoid onto [0, 1] images; the zoo's
images are in [-1, 1], tanh(x) = 2 sigmoid(2x) - 1).
D and Q share one trunk: 4x4 stride-2 conv base_filters + LeakyReLU -> 4x4 stride-2 conv
2 base_filters + BN + LeakyReLU -> FC hidden_units + BN + LeakyReLU; D's logit is one Dense on it,
Q adds FC q_units + BN + LeakyReLU and Dense heads for the codes. Dense and convolutions followed
by a batch norm have no bias (the norm's offset replaces it). Not the DCGAN layout: two fully
connected layers and a side that needs only be a multiple of 4 (28 for MNIST).
"""
import keras
from keras import layers

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.networks.common import (apply_norm, check_bool, check_fraction, check_int, float32_output,
                                       weight_init)
from tfgan_zoo.registry import NETWORKS


def _quarter(image_size, what):
    image_size = check_int(image_size, f"{what}: image_size", minimum=4)
    if image_size % 4:
        raise ConfigError(f"{what}: image_size must be a multiple of 4 (two stride-2 layers), got {image_size}")
    return image_size // 4


def _dense(x, units, name, bias=False):
    return layers.Dense(units, use_bias=bias, kernel_initializer=weight_init(), name=name)(x)


@NETWORKS.register("infogan_mnist_generator")
def infogan_mnist_generator(latent_dim: int, image_size: int, channels: int, hidden_units: int = 1024,
                            base_filters: int = 64, kernel_size: int = 4) -> keras.Model:
    """[z, codes] -> image in [-1, 1]: two fully connected layers, two stride-2 transposed convolutions.

    latent_dim: size of the input vector (InfoGAN: noise + one-hot category + continuous codes).
    image_size: output side, a multiple of 4 (the first map is image_size / 4).
    channels: output image channels.
    hidden_units: width of the first fully connected layer (1024 in the paper).
    base_filters: filters of the transposed convolution (64); the first map has twice as many.
    kernel_size: transposed-convolution kernel (4).
    """
    what = "infogan_mnist_generator"
    latent_dim = check_int(latent_dim, f"{what}: latent_dim")
    side = _quarter(image_size, what)
    channels = check_int(channels, f"{what}: channels")
    hidden_units = check_int(hidden_units, f"{what}: hidden_units")
    base_filters = check_int(base_filters, f"{what}: base_filters")
    kernel_size = check_int(kernel_size, f"{what}: kernel_size")
    z = keras.Input((latent_dim,), name="z")
    x = layers.ReLU(name="fc_relu")(apply_norm(_dense(z, hidden_units, "fc"), "batch", "fc_norm"))
    x = layers.ReLU(name="project_relu")(apply_norm(_dense(x, side * side * 2 * base_filters, "project"), "batch",
                                                    "project_norm"))  # per unit, before the reshape (reference)
    x = layers.Reshape((side, side, 2 * base_filters), name="reshape")(x)
    x = layers.Conv2DTranspose(base_filters, kernel_size, strides=2, padding="same", use_bias=False,
                               kernel_initializer=weight_init(), name="up1")(x)
    x = layers.ReLU(name="up1_relu")(apply_norm(x, "batch", "up1_norm"))
    x = layers.Conv2DTranspose(channels, kernel_size, strides=2, padding="same", kernel_initializer=weight_init(),
                               name="to_image")(x)
    return keras.Model(z, float32_output(x, "tanh", "tanh"), name=what)


@NETWORKS.register("infogan_mnist_discriminator")
def infogan_mnist_discriminator(image_size: int, channels: int, num_categories: int = 10, num_continuous: int = 2,
                                learn_std: bool = False, hidden_units: int = 1024, q_units: int = 128,
                                base_filters: int = 64, leaky_slope: float = 0.01,
                                kernel_size: int = 4) -> keras.Model:
    """image -> {"adv" [B, 1], "category_logits" [B, K], "continuous_mean" [B, J] (, "continuous_log_std")}.

    The outputs of infogan_discriminator, from InfoGAN's MNIST trunk shared by D and Q.
    image_size: input side, a multiple of 4.
    channels: input image channels.
    num_categories: K of the categorical code.
    num_continuous: J continuous codes (0 for none).
    learn_std: Q also estimates a log standard deviation per continuous code (else the
        reference's fixed unit std).
    hidden_units: width of the trunk's fully connected layer (1024).
    q_units: width of Q's hidden layer (128).
    base_filters: filters of the first convolution (64); the second has twice as many.
    leaky_slope: negative slope of every LeakyReLU (0.01 as the reference code; the paper's
        appendix text says 0.1).
    kernel_size: convolution kernel (4).
    """
    what = "infogan_mnist_discriminator"
    side = _quarter(image_size, what)
    channels = check_int(channels, f"{what}: channels")
    num_categories = check_int(num_categories, f"{what}: num_categories", minimum=2)
    num_continuous = check_int(num_continuous, f"{what}: num_continuous", minimum=0)
    check_bool(learn_std, f"{what}: learn_std")
    hidden_units = check_int(hidden_units, f"{what}: hidden_units")
    q_units = check_int(q_units, f"{what}: q_units")
    base_filters = check_int(base_filters, f"{what}: base_filters")
    slope = check_fraction(leaky_slope, f"{what}: leaky_slope")
    kernel_size = check_int(kernel_size, f"{what}: kernel_size")

    def lrelu(x, name):
        return layers.LeakyReLU(negative_slope=slope, name=name)(x)

    image = keras.Input((4 * side, 4 * side, channels), name="image")
    x = layers.Conv2D(base_filters, kernel_size, strides=2, padding="same", kernel_initializer=weight_init(),
                      name="down0")(image)
    x = lrelu(x, "down0_lrelu")
    x = layers.Conv2D(2 * base_filters, kernel_size, strides=2, padding="same", use_bias=False,
                      kernel_initializer=weight_init(), name="down1")(x)
    x = lrelu(apply_norm(x, "batch", "down1_norm"), "down1_lrelu")
    x = layers.Flatten(name="flatten")(x)
    shared = lrelu(apply_norm(_dense(x, hidden_units, "fc"), "batch", "fc_norm"), "fc_lrelu")
    outputs = {"adv": float32_output(_dense(shared, 1, "logit", bias=True), "linear", "adv")}
    q = lrelu(apply_norm(_dense(shared, q_units, "q_hidden"), "batch", "q_norm"), "q_lrelu")
    heads = {"category_logits": num_categories}
    if num_continuous:
        heads["continuous_mean"] = num_continuous
        if learn_std:
            heads["continuous_log_std"] = num_continuous
    for name, units in heads.items():
        outputs[name] = float32_output(_dense(q, units, f"{name}_dense", bias=True), "linear", name)
    return keras.Model(image, outputs, name=what)
