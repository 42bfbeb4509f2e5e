"""Class-conditional and auxiliary-head networks on the DCGAN layout (cGAN, ACGAN, InfoGAN, TripleGAN).

Discriminators and the classifier reuse dcgan_discriminator's convolutional trunk (up to its
flattened features); the conditional generator reuses the DCGAN generator's layers.
Label inputs are int32 [B] named "label"; multi-head networks return dicts of float32 tensors
whose adversarial logit is "adv" (what the penalties read: losses.penalties.adversarial_output).
"""
import inspect

import keras
from keras import layers

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.layers.conditioning import ConditionalBatchNormalization, OneHotConcat, ProjectionDiscriminatorHead
from tfgan_zoo.layers.replica_dropout import ReplicaDropout
from tfgan_zoo.networks.common import (GENERATOR_NORMS, NORMS, apply_norm, check_bool, check_choice, check_fraction,
                                       check_int, float32_output, spectral, weight_init)
from tfgan_zoo.networks.dcgan import _levels, dcgan_discriminator, generator_body
from tfgan_zoo.registry import NETWORKS

POOLINGS = ("flatten", "average")
TRUNK_PARAMETERS = {
    "image_size": "input side in pixels, a power of two >= 8.",
    "channels": "input image channels.",
    "base_filters": "filters of the first convolution (they double per block).",
    "norm": '"batch" | "layer" | "instance" | "none", on every block but the first.',
    "spectral_norm": "wrap every convolution and Dense in SpectralNorm (layers/spectral_norm.py).",
    "leaky_slope": "negative slope of the LeakyReLU activations.",
    "min_size": "side of the last feature map (a power of two < image_size).",
    "kernel_size": "convolution kernel.",
    "max_filters": "cap on the filters of any block.",
}


def trunk_parameters_documented(but=()):
    """Decorator: append the dcgan_trunk parameters' documentation (all but `but`) to a builder's
    docstring, so the builders that take them document them once."""
    def decorate(builder):
        lines = [f"{name}: {text}" for name, text in TRUNK_PARAMETERS.items() if name not in but]
        builder.__doc__ = inspect.cleandoc(builder.__doc__) + "\n" + "\n".join(lines) + "\n"
        return builder
    return decorate


def _label_input():
    return keras.Input((), dtype="int32", name="label")


def dcgan_trunk(what, image_size, channels, base_filters, norm, spectral_norm, leaky_slope, min_size, kernel_size,
                max_filters, pooling="flatten"):
    """dcgan_discriminator built for `channels` inputs -> (its input, its pooled features, the model).

    Shared by every network here that reads images (and by the BiGAN encoder and joint critic)."""
    check_choice(pooling, f"{what}: pooling", POOLINGS)
    base = dcgan_discriminator(image_size, channels, base_filters=base_filters, norm=norm,
                               spectral_norm=spectral_norm, leaky_slope=leaky_slope, min_size=min_size,
                               kernel_size=kernel_size, max_filters=max_filters)
    if pooling == "flatten":
        features = base.get_layer("flatten").output
    else:
        last = [layer for layer in base.layers if layer.name.endswith("_lrelu")][-1]
        features = layers.GlobalAveragePooling2D(name="pool")(last.output)
    return base.input, features, base


@NETWORKS.register("conditional_generator")
def conditional_generator(latent_dim: int, image_size: int, channels: int, num_classes: int,
                          conditioning: str = "concat", base_filters: int = 64, min_size: int = 4, norm: str = "batch",
                          kernel_size: int = 4, max_filters: int = 512) -> keras.Model:
    """[z, label] -> image: the DCGAN generator told the class.

    latent_dim: size of the noise vector z.
    image_size: output side in pixels, a power of two >= 8.
    channels: output image channels.
    num_classes: K, labels are 0..K-1.
    conditioning: "concat" feeds [z, one_hot(y)] to the first layer (Mirza & Osindero);
        "batch_norm" replaces every batch norm by conditional batch norm with per-class gain
        and bias (Miyato & Koyama's generator; needs norm "batch").
    base_filters: filters of the last hidden block (they double towards the input).
    min_size: side of the first feature map (a power of two smaller than image_size).
    norm: "batch" | "layer" | "instance" | "virtual_batch" | "none" (concat conditioning).
    kernel_size: transposed-convolution kernel.
    max_filters: cap on the filters of any block.
    """
    what = "conditional_generator"
    latent_dim = check_int(latent_dim, f"{what}: latent_dim")
    channels = check_int(channels, f"{what}: channels")
    num_classes = check_int(num_classes, f"{what}: num_classes")
    base_filters = check_int(base_filters, f"{what}: base_filters")
    kernel_size = check_int(kernel_size, f"{what}: kernel_size")
    max_filters = check_int(max_filters, f"{what}: max_filters")
    check_choice(conditioning, f"{what}: conditioning", ("concat", "batch_norm"))
    check_choice(norm, f"{what}: norm", GENERATOR_NORMS)
    if conditioning == "batch_norm" and norm != "batch":
        raise ConfigError(f"{what}: conditioning 'batch_norm' needs norm 'batch', got {norm!r}")
    image_size, min_size, _ = _levels(image_size, min_size, what)
    z, label = keras.Input((latent_dim,), name="z"), _label_input()
    if conditioning == "concat":
        x = OneHotConcat(num_classes, name="z_label")([z, label])

        def normalize(h, name):
            return apply_norm(h, norm, name)
    else:
        x = z

        def normalize(h, name):
            return ConditionalBatchNormalization(num_classes, name=name)([h, label])
    x = generator_body(x, channels, image_size, min_size, base_filters, kernel_size, max_filters,
                       use_bias=norm == "none", normalize=normalize)
    return keras.Model([z, label], x, name=what)


@trunk_parameters_documented(but=("spectral_norm",))
@NETWORKS.register("conditional_discriminator")
def conditional_discriminator(image_size: int, channels: int, num_classes: int, conditioning: str = "concat",
                              base_filters: int = 64, norm: str = "batch", spectral_norm: bool = False,
                              leaky_slope: float = 0.2, min_size: int = 4, kernel_size: int = 4,
                              max_filters: int = 512, pooling: str = "flatten") -> keras.Model:
    """[image, label] -> logit [B, 1]: dcgan_discriminator told the class.

    num_classes: K, labels are 0..K-1.
    conditioning: "concat" appends one constant one-hot channel per class to the image;
        "projection" adds <embed(y), features> to the unconditional logit (Miyato & Koyama).
    pooling: features the projection (or the logit) sees: "flatten" (DCGAN) or "average"
        (global average of the last block, as the projection paper's global pooling).
    spectral_norm: wrap every convolution, Dense and the projection head in SpectralNorm.
    """
    what = "conditional_discriminator"
    channels = check_int(channels, f"{what}: channels")
    num_classes = check_int(num_classes, f"{what}: num_classes")
    check_choice(conditioning, f"{what}: conditioning", ("concat", "projection"))
    check_bool(spectral_norm, f"{what}: spectral_norm")
    extra = num_classes if conditioning == "concat" else 0
    trunk_input, features, _ = dcgan_trunk(what, image_size, channels + extra, base_filters, norm, spectral_norm,
                                      leaky_slope, min_size, kernel_size, max_filters, pooling)
    trunk = keras.Model(trunk_input, features, name="trunk")
    image, label = keras.Input(trunk_input.shape[1:-1] + (channels,), name="image"), _label_input()
    if conditioning == "concat":
        features = trunk(OneHotConcat(num_classes, name="image_label")([image, label]))
        logit = spectral(layers.Dense(1, kernel_initializer=weight_init(), name="logit"), spectral_norm)(features)
    else:
        logit = ProjectionDiscriminatorHead(num_classes, spectral_norm=spectral_norm, name="projection")(
            [trunk(image), label])
    return keras.Model([image, label], float32_output(logit, "linear", "logits"), name=what)


def _heads(what, features, spec, spectral_norm):
    """{output name: units} -> float32 Dense heads on `features`."""
    return {name: float32_output(spectral(layers.Dense(units, kernel_initializer=weight_init(), name=f"{name}_dense"),
                                          spectral_norm)(features), "linear", name)
            for name, units in spec.items()}


@trunk_parameters_documented()
@NETWORKS.register("acgan_discriminator")
def acgan_discriminator(image_size: int, channels: int, num_classes: int, base_filters: int = 64, norm: str = "batch",
                        spectral_norm: bool = False, leaky_slope: float = 0.2, min_size: int = 4,
                        kernel_size: int = 4, max_filters: int = 512) -> keras.Model:
    """image -> {"adv": [B, 1] real / fake logit, "class_logits": [B, K]} from one trunk (Odena et al.).

    num_classes: K.
    """
    what = "acgan_discriminator"
    num_classes = check_int(num_classes, f"{what}: num_classes")
    image, features, base = dcgan_trunk(what, image_size, channels, base_filters, norm, spectral_norm, leaky_slope,
                                   min_size, kernel_size, max_filters)
    outputs = {"adv": base.output, **_heads(what, features, {"class_logits": num_classes}, spectral_norm)}
    return keras.Model(image, outputs, name=what)


@trunk_parameters_documented()
@NETWORKS.register("infogan_discriminator")
def infogan_discriminator(image_size: int, channels: int, num_categories: int = 10, num_continuous: int = 2,
                          learn_std: bool = False, q_units: int = 128, base_filters: int = 64, norm: str = "batch",
                          spectral_norm: bool = False, leaky_slope: float = 0.2, min_size: int = 4,
                          kernel_size: int = 4, max_filters: int = 512) -> keras.Model:
    """image -> {"adv" [B, 1], "category_logits" [B, K], "continuous_mean" [B, J] (, "continuous_log_std")}.

    D and Q share the trunk (Chen et al.); Q adds a hidden Dense + norm + LeakyReLU layer.
    num_categories: K of the categorical code.
    num_continuous: J continuous codes (0 for none).
    learn_std: Q also estimates a log standard deviation per continuous code (else the
        reference's fixed unit std).
    q_units: width of Q's hidden layer.
    """
    what = "infogan_discriminator"
    num_categories = check_int(num_categories, f"{what}: num_categories", minimum=2)
    num_continuous = check_int(num_continuous, f"{what}: num_continuous", minimum=0)
    q_units = check_int(q_units, f"{what}: q_units")
    check_bool(learn_std, f"{what}: learn_std")
    check_choice(norm, f"{what}: norm", NORMS)
    image, features, base = dcgan_trunk(what, image_size, channels, base_filters, norm, spectral_norm, leaky_slope,
                                   min_size, kernel_size, max_filters)
    hidden = spectral(layers.Dense(q_units, use_bias=norm == "none", kernel_initializer=weight_init(),
                                   name="q_hidden"), spectral_norm)(features)
    if norm == "batch":  # the other norms are defined on feature maps
        hidden = apply_norm(hidden, norm, "q_norm")
    hidden = layers.LeakyReLU(negative_slope=check_fraction(leaky_slope, f"{what}: leaky_slope"),
                              name="q_lrelu")(hidden)
    spec = {"category_logits": num_categories}
    if num_continuous:
        spec["continuous_mean"] = num_continuous
        if learn_std:
            spec["continuous_log_std"] = num_continuous
    return keras.Model(image, {"adv": base.output, **_heads(what, hidden, spec, spectral_norm)}, name=what)


@trunk_parameters_documented(but=("spectral_norm",))
@NETWORKS.register("conv_classifier")
def conv_classifier(image_size: int, channels: int, num_classes: int, base_filters: int = 32, norm: str = "batch",
                    dropout: float = 0.0, leaky_slope: float = 0.2, min_size: int = 4, kernel_size: int = 4,
                    max_filters: int = 512) -> keras.Model:
    """image -> class logits [B, K]: the DCGAN trunk, optional dropout, a Dense layer (TripleGAN's C).

    num_classes: K.
    dropout: rate of a ReplicaDropout layer before the logits (0 for none).
    """
    what = "conv_classifier"
    num_classes = check_int(num_classes, f"{what}: num_classes")
    dropout = check_fraction(dropout, f"{what}: dropout")
    image, features, _ = dcgan_trunk(what, image_size, channels, base_filters, norm, False, leaky_slope, min_size,
                                kernel_size, max_filters)
    if dropout:
        features = ReplicaDropout(dropout, name="dropout")(features)
    logits = layers.Dense(num_classes, kernel_initializer=weight_init(), name="class_logits_dense")(features)
    return keras.Model(image, float32_output(logits, "linear", "class_logits"), name=what)
