"""Autoencoder discriminators for the energy-based families (EBGAN, BEGAN).

Both builders return a keras.Model with TWO outputs, [reconstruction, embedding]: the family
turns the reconstruction into a per-sample energy (EBGAN: MSE, BEGAN: L1) and EBGAN's
pulling-away term uses the embedding (the layer named "embedding").

autoencoder      images of any power-of-two size >= 8 (stride-2 convolutions down and up)
mlp_autoencoder  2-D points (ring, grid) or any flat vectors (Dense layers)
"""
import keras
from keras import layers

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.networks.common import (NORMS, apply_norm, check_choice, check_int, check_power_of_two,
                                       float32_output, weight_init)
from tfgan_zoo.registry import NETWORKS

ACTIVATIONS = ("elu", "relu", "leaky_relu")


def _act(x, activation, name):
    if activation == "leaky_relu":
        return layers.LeakyReLU(negative_slope=0.2, name=name)(x)
    return layers.Activation(activation, name=name)(x)


@NETWORKS.register("autoencoder")
def autoencoder(image_size: int, channels: int, base_filters: int = 64, code_dim: int = 64, min_size: int = 4,
                norm: str = "none", activation: str = "elu", max_filters: int = 512,
                output_activation: str = "tanh") -> keras.Model:
    """image -> stride-2 Conv2D blocks down to min_size -> Dense code -> mirror-image decoder.

    image_size: input side in pixels, a power of two >= 8.
    channels: image channels (input and reconstruction).
    base_filters: filters of the first encoder block (doubling per block, capped at max_filters).
    code_dim: size of the bottleneck embedding (BEGAN's h, EBGAN's s for the pulling-away term).
    min_size: side of the smallest feature map (a power of two < image_size).
    norm: "batch" | "layer" | "instance" | "none" after every hidden convolution (BEGAN used none).
    activation: "elu" (BEGAN) | "relu" | "leaky_relu" (slope 0.2) for the hidden layers.
    max_filters: cap on the filters of any block.
    output_activation: "tanh" (images in [-1, 1]) or "linear".
    """
    what = "autoencoder"
    channels = check_int(channels, f"{what}: channels")
    base_filters = check_int(base_filters, f"{what}: base_filters")
    code_dim = check_int(code_dim, f"{what}: code_dim")
    max_filters = check_int(max_filters, f"{what}: max_filters")
    check_choice(norm, f"{what}: norm", NORMS)
    check_choice(activation, f"{what}: activation", ACTIVATIONS)
    check_choice(output_activation, f"{what}: output_activation", ("tanh", "linear"))
    image_size = check_power_of_two(image_size, f"{what}: image_size", minimum=8)
    min_size = check_power_of_two(min_size, f"{what}: min_size")
    if min_size >= image_size:
        raise ConfigError(f"{what}: min_size ({min_size}) must be smaller than image_size ({image_size})")
    n = (image_size // min_size).bit_length() - 1

    def filters(level):
        return min(base_filters * 2 ** level, max_filters)

    image = keras.Input((image_size, image_size, channels), name="image")
    x = image
    for level in range(n):
        x = layers.Conv2D(filters(level), 4, strides=2, padding="same", kernel_initializer=weight_init(),
                          name=f"enc{level}")(x)
        x = apply_norm(x, norm if level > 0 else "none", f"enc{level}_norm")
        x = _act(x, activation, f"enc{level}_act")
    x = layers.Flatten(name="flatten")(x)
    code = layers.Dense(code_dim, kernel_initializer=weight_init(), name="embedding")(x)
    x = layers.Dense(min_size * min_size * filters(n - 1), kernel_initializer=weight_init(), name="dec_project")(code)
    x = layers.Reshape((min_size, min_size, filters(n - 1)), name="dec_reshape")(x)
    x = _act(x, activation, "dec_project_act")
    for level in range(n - 1, 0, -1):
        x = layers.Conv2DTranspose(filters(level - 1), 4, strides=2, padding="same", kernel_initializer=weight_init(),
                                   name=f"dec{level}")(x)
        x = apply_norm(x, norm, f"dec{level}_norm")
        x = _act(x, activation, f"dec{level}_act")
    x = layers.Conv2DTranspose(channels, 4, strides=2, padding="same", kernel_initializer=weight_init(),
                               name="to_image")(x)
    outputs = [float32_output(x, output_activation, "reconstruction"), float32_output(code, "linear", "code")]
    return keras.Model(image, outputs, name=what)


@NETWORKS.register("mlp_autoencoder")
def mlp_autoencoder(input_dim: int = 2, hidden_units: int = 128, num_layers: int = 2, code_dim: int = 16,
                    activation: str = "elu") -> keras.Model:
    """x -> num_layers Dense -> Dense code -> num_layers Dense -> linear Dense to input_dim.

    input_dim: size of one input point.
    hidden_units: units of every hidden layer (encoder and decoder).
    num_layers: hidden layers on each side of the code.
    code_dim: size of the bottleneck embedding.
    activation: "elu" | "relu" | "leaky_relu" (slope 0.2) for the hidden layers.
    """
    what = "mlp_autoencoder"
    input_dim = check_int(input_dim, f"{what}: input_dim")
    hidden_units = check_int(hidden_units, f"{what}: hidden_units")
    num_layers = check_int(num_layers, f"{what}: num_layers", minimum=0)
    code_dim = check_int(code_dim, f"{what}: code_dim")
    check_choice(activation, f"{what}: activation", ACTIVATIONS)
    point = keras.Input((input_dim,), name="point")
    x = point
    for index in range(num_layers):
        x = _act(layers.Dense(hidden_units, name=f"enc{index}")(x), activation, f"enc{index}_act")
    code = layers.Dense(code_dim, name="embedding")(x)
    x = code
    for index in range(num_layers):
        x = _act(layers.Dense(hidden_units, name=f"dec{index}")(x), activation, f"dec{index}_act")
    x = layers.Dense(input_dim, name="to_point")(x)
    outputs = [float32_output(x, "linear", "reconstruction"), float32_output(code, "linear", "code")]
    return keras.Model(point, outputs, name=what)
