"""Fully connected generator and discriminator for the 2-D toy sets (ring, grid)."""
import keras
from keras import layers

from tfgan_zoo.networks.common import check_bool, check_int, float32_output, spectral
from tfgan_zoo.registry import NETWORKS


@NETWORKS.register("mlp_generator")
def mlp_generator(latent_dim: int, output_dim: int = 2, hidden_units: int = 128, num_layers: int = 3) -> keras.Model:
    """z -> num_layers x (Dense + ReLU) -> linear Dense to output_dim (points are unbounded: no tanh).

    latent_dim: size of the input noise vector z.
    output_dim: size of one generated point.
    hidden_units: units of every hidden layer.
    num_layers: number of hidden layers.
    """
    what = "mlp_generator"
    latent_dim = check_int(latent_dim, f"{what}: latent_dim")
    output_dim = check_int(output_dim, f"{what}: output_dim")
    hidden_units = check_int(hidden_units, f"{what}: hidden_units")
    num_layers = check_int(num_layers, f"{what}: num_layers", minimum=0)
    z = keras.Input((latent_dim,), name="z")
    x = z
    for index in range(num_layers):
        x = layers.Dense(hidden_units, activation="relu", name=f"hidden{index}")(x)
    x = layers.Dense(output_dim, name="to_point")(x)
    return keras.Model(z, float32_output(x, "linear", "point"), name=what)


@NETWORKS.register("mlp_discriminator")
def mlp_discriminator(input_dim: int = 2, hidden_units: int = 128, num_layers: int = 3,
                      spectral_norm: bool = False) -> keras.Model:
    """x -> num_layers x (Dense + LeakyReLU(0.2)) -> Dense logit (no sigmoid).

    input_dim: size of one input point.
    hidden_units: units of every hidden layer.
    num_layers: number of hidden layers.
    spectral_norm: wrap every Dense in SpectralNorm (layers/spectral_norm.py).
    """
    what = "mlp_discriminator"
    input_dim = check_int(input_dim, f"{what}: input_dim")
    hidden_units = check_int(hidden_units, f"{what}: hidden_units")
    num_layers = check_int(num_layers, f"{what}: num_layers", minimum=0)
    check_bool(spectral_norm, f"{what}: spectral_norm")
    point = keras.Input((input_dim,), name="point")
    x = point
    for index in range(num_layers):
        x = spectral(layers.Dense(hidden_units, name=f"hidden{index}"), spectral_norm)(x)
        x = layers.LeakyReLU(negative_slope=0.2, name=f"hidden{index}_lrelu")(x)
    x = spectral(layers.Dense(1, name="logit"), spectral_norm)(x)
    return keras.Model(point, float32_output(x, "linear", "logits"), name=what)
