"""Discriminators with a minibatch-discrimination layer before the logit (Improved-GAN trick)."""
import keras
from keras import layers

from tfgan_zoo.layers.minibatch_discrimination import MinibatchDiscrimination
from tfgan_zoo.networks.common import check_int, float32_output
from tfgan_zoo.networks.dcgan import dcgan_discriminator
from tfgan_zoo.registry import NETWORKS


@NETWORKS.register("mlp_discriminator_mbd")
def mlp_discriminator_mbd(input_dim: int = 2, hidden_units: int = 128, num_layers: int = 3,
                          num_kernels: int = 16, kernel_dim: int = 4) -> keras.Model:
    """x -> num_layers x (Dense + LeakyReLU(0.2)) -> MinibatchDiscrimination -> Dense logit.

    input_dim: size of one input point.
    hidden_units: units of every hidden layer.
    num_layers: number of hidden layers.
    num_kernels: B, the minibatch features appended to the last hidden layer.
    kernel_dim: C, the dimension each minibatch kernel compares samples in.
    """
    what = "mlp_discriminator_mbd"
    input_dim = check_int(input_dim, f"{what}: input_dim")
    hidden_units = check_int(hidden_units, f"{what}: hidden_units")
    num_layers = check_int(num_layers, f"{what}: num_layers", minimum=0)
    num_kernels = check_int(num_kernels, f"{what}: num_kernels")
    kernel_dim = check_int(kernel_dim, f"{what}: kernel_dim")
    point = keras.Input((input_dim,), name="point")
    x = point
    for index in range(num_layers):
        x = layers.Dense(hidden_units, name=f"hidden{index}")(x)
        x = layers.LeakyReLU(negative_slope=0.2, name=f"hidden{index}_lrelu")(x)
    x = MinibatchDiscrimination(num_kernels, kernel_dim, name="minibatch")(x)
    x = layers.Dense(1, name="logit")(x)
    return keras.Model(point, float32_output(x, "linear", "logits"), name=what)


@NETWORKS.register("dcgan_discriminator_mbd")
def dcgan_discriminator_mbd(image_size: int, channels: int, base_filters: int = 64, norm: str = "batch",
                            min_size: int = 4, num_kernels: int = 32, kernel_dim: int = 8) -> keras.Model:
    """dcgan_discriminator up to its flattened features -> MinibatchDiscrimination -> Dense logit.

    image_size, channels, base_filters, norm, min_size: as in dcgan_discriminator.
    num_kernels: B, the minibatch features appended to the flattened features.
    kernel_dim: C, the dimension each minibatch kernel compares samples in.
    """
    base = dcgan_discriminator(image_size, channels, base_filters=base_filters, norm=norm, min_size=min_size)
    num_kernels = check_int(num_kernels, "dcgan_discriminator_mbd: num_kernels")
    kernel_dim = check_int(kernel_dim, "dcgan_discriminator_mbd: kernel_dim")
    x = MinibatchDiscrimination(num_kernels, kernel_dim, name="minibatch")(base.get_layer("flatten").output)
    x = layers.Dense(1, name="logit_mbd")(x)
    return keras.Model(base.inputs, float32_output(x, "linear", "logits"), name="dcgan_discriminator_mbd")
