"""BiGAN / ALI networks: encoders x -> z and joint discriminators D(x, z), for images and 2-D points.

A stochastic encoder (ALI) returns {"mean", "log_std"} of a Gaussian q(z|x); the model draws
z = mean + exp(log_std) * eps with its own noise, so the network itself stays deterministic.
"""
import keras
from keras import layers

from tfgan_zoo.layers.replica_dropout import ReplicaDropout
from tfgan_zoo.networks.common import (check_bool, check_choice, check_fraction, check_int, float32_output, spectral,
                                       weight_init)
from tfgan_zoo.networks.conditional import dcgan_trunk, trunk_parameters_documented
from tfgan_zoo.registry import NETWORKS

OUTPUT_ACTIVATIONS = ("linear", "tanh")


def _glorot():
    return "glorot_uniform"  # the Keras default, as the 2-D MLP networks use


def _encoder_head(features, latent_dim, stochastic, output_activation, init):
    if stochastic:
        mean = layers.Dense(latent_dim, kernel_initializer=init(), name="mean_dense")(features)
        log_std = layers.Dense(latent_dim, kernel_initializer=init(), name="log_std_dense")(features)
        return {"mean": float32_output(mean, "linear", "mean"), "log_std": float32_output(log_std, "linear", "log_std")}
    latent = layers.Dense(latent_dim, kernel_initializer=init(), name="latent_dense")(features)
    return float32_output(latent, output_activation, "latent")


@trunk_parameters_documented(but=("spectral_norm",))
@NETWORKS.register("conv_encoder")
def conv_encoder(image_size: int, channels: int, latent_dim: int, stochastic: bool = False,
                 output_activation: str = "linear", base_filters: int = 64, norm: str = "batch",
                 leaky_slope: float = 0.2, min_size: int = 4, kernel_size: int = 4,
                 max_filters: int = 512) -> keras.Model:
    """image -> z [B, latent_dim] (deterministic, BiGAN) or {"mean", "log_std"} (stochastic, ALI).

    latent_dim: size of z.
    stochastic: return a Gaussian's mean and log standard deviation instead of z.
    output_activation: "linear" (normal prior) or "tanh" (uniform prior on [-1, 1]) for a
        deterministic encoder.
    """
    what = "conv_encoder"
    latent_dim = check_int(latent_dim, f"{what}: latent_dim")
    check_bool(stochastic, f"{what}: stochastic")
    check_choice(output_activation, f"{what}: output_activation", OUTPUT_ACTIVATIONS)
    image, features, _ = dcgan_trunk(what, image_size, channels, base_filters, norm, False, leaky_slope, min_size,
                                kernel_size, max_filters)
    return keras.Model(image, _encoder_head(features, latent_dim, stochastic, output_activation, weight_init),
                       name=what)


def _dense_stack(x, units, num_layers, spectral_norm, prefix, init, dropout=0.0):
    for index in range(num_layers):
        if dropout:
            x = ReplicaDropout(dropout, name=f"{prefix}{index}_dropout")(x)
        x = spectral(layers.Dense(units, kernel_initializer=init(), name=f"{prefix}{index}"), spectral_norm)(x)
        x = layers.LeakyReLU(negative_slope=0.2, name=f"{prefix}{index}_lrelu")(x)
    return x


@trunk_parameters_documented(but=("norm", "leaky_slope"))
@NETWORKS.register("joint_discriminator")
def joint_discriminator(image_size: int, channels: int, latent_dim: int, base_filters: int = 64, norm: str = "none",
                        spectral_norm: bool = False, z_units: int = 256, joint_units: int = 512, z_layers: int = 2,
                        joint_layers: int = 1, dropout: float = 0.0, min_size: int = 4, kernel_size: int = 4,
                        max_filters: int = 512) -> keras.Model:
    """[image, z] -> logit [B, 1]: D_x(x) and D_z(z) concatenated, then D_xz (BiGAN / ALI).

    latent_dim: size of z.
    z_units: width of the Dense + LeakyReLU stack on z.
    joint_units: width of the stack on the concatenated features, before the logit.
    z_layers: depth of the stack on z.
    joint_layers: depth of the joint stack.
    dropout: ReplicaDropout rate before each layer of the joint stack and the logit (ALI's
        discriminator drops 0.2 of its joint input); 0 for none.
    norm: of the image trunk, as in dcgan_discriminator; "none" by default (batch statistics
        would mix the real and generated pairs the discriminator compares).
    """
    what = "joint_discriminator"
    latent_dim = check_int(latent_dim, f"{what}: latent_dim")
    z_units, joint_units = check_int(z_units, f"{what}: z_units"), check_int(joint_units, f"{what}: joint_units")
    z_layers = check_int(z_layers, f"{what}: z_layers", minimum=0)
    joint_layers = check_int(joint_layers, f"{what}: joint_layers", minimum=0)
    dropout = check_fraction(dropout, f"{what}: dropout")
    image, features, _ = dcgan_trunk(what, image_size, channels, base_filters, norm, spectral_norm, 0.2, min_size,
                                kernel_size, max_filters)
    z = keras.Input((latent_dim,), name="z")
    z_features = _dense_stack(z, z_units, z_layers, spectral_norm, "z", weight_init)
    joint = layers.Concatenate(name="joint")([features, z_features])
    x = _dense_stack(joint, joint_units, joint_layers, spectral_norm, "xz", weight_init, dropout)
    if dropout:
        x = ReplicaDropout(dropout, name="logit_dropout")(x)
    logit = spectral(layers.Dense(1, kernel_initializer=weight_init(), name="logit_xz"), spectral_norm)(x)
    return keras.Model([image, z], float32_output(logit, "linear", "logits"), name=what)


@NETWORKS.register("mlp_encoder")
def mlp_encoder(latent_dim: int, input_dim: int = 2, hidden_units: int = 128, num_layers: int = 3,
                stochastic: bool = False) -> keras.Model:
    """point -> num_layers x (Dense + LeakyReLU(0.2)) -> z, or {"mean", "log_std"} when stochastic.

    latent_dim: size of z.
    input_dim: size of one input point.
    hidden_units: units of every hidden layer.
    num_layers: number of hidden layers.
    stochastic: return a Gaussian's mean and log standard deviation instead of z (ALI).
    """
    what = "mlp_encoder"
    latent_dim = check_int(latent_dim, f"{what}: latent_dim")
    input_dim = check_int(input_dim, f"{what}: input_dim")
    hidden_units = check_int(hidden_units, f"{what}: hidden_units")
    num_layers = check_int(num_layers, f"{what}: num_layers", minimum=0)
    check_bool(stochastic, f"{what}: stochastic")
    point = keras.Input((input_dim,), name="point")
    features = _dense_stack(point, hidden_units, num_layers, False, "hidden", _glorot)
    return keras.Model(point, _encoder_head(features, latent_dim, stochastic, "linear", _glorot), name=what)


@NETWORKS.register("mlp_joint_discriminator")
def mlp_joint_discriminator(latent_dim: int, input_dim: int = 2, hidden_units: int = 128, num_layers: int = 3,
                            spectral_norm: bool = False) -> keras.Model:
    """[point, z] -> concatenated -> num_layers x (Dense + LeakyReLU(0.2)) -> logit (the 2-D ALI critic).

    latent_dim: size of z.
    input_dim: size of one input point.
    hidden_units: units of every hidden layer.
    num_layers: number of hidden layers.
    spectral_norm: wrap every Dense in SpectralNorm (layers/spectral_norm.py).
    """
    what = "mlp_joint_discriminator"
    latent_dim = check_int(latent_dim, f"{what}: latent_dim")
    input_dim = check_int(input_dim, f"{what}: input_dim")
    hidden_units = check_int(hidden_units, f"{what}: hidden_units")
    num_layers = check_int(num_layers, f"{what}: num_layers", minimum=0)
    check_bool(spectral_norm, f"{what}: spectral_norm")
    point, z = keras.Input((input_dim,), name="point"), keras.Input((latent_dim,), name="z")
    x = _dense_stack(layers.Concatenate(name="joint")([point, z]), hidden_units, num_layers, spectral_norm, "hidden",
                     _glorot)
    logit = spectral(layers.Dense(1, name="logit"), spectral_norm)(x)
    return keras.Model([point, z], float32_output(logit, "linear", "logits"), name=what)
