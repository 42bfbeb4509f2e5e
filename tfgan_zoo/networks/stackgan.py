"""StackGAN networks (Zhang et al. 2017), conditioned on class labels.

Stage I:  [z, eps, label] -> [image, mu, log_var]. The label's embedding goes through
          conditioning augmentation (tfgan_zoo.layers.conditioning_augmentation) to c; [z, c]
          -> dense to a min_size map -> (nearest 2x up, 3x3 conv, BN, ReLU) blocks -> tanh.
Stage II: [low-resolution image, eps, label] -> [image, mu, log_var]. The stage-I image is
          encoded (3x3 conv, then stride-2 convs with BN), the condition is augmented again by
          stage II's own CA, replicated over the positions and concatenated (the condition is
          re-injected, as the paper does), then a joint conv, residual blocks and up blocks to
          image_size.
Discriminator (both stages): stride-2 convs with LeakyReLU down to 4 x 4, the label's
          embedding compressed to embed_dim, replicated and concatenated, a 1x1 conv, and a
          4x4 valid conv to the logit.
mu and log_var are outputs so the family can add the KL term of the augmentation.
"""
import keras
from keras import layers

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.layers.conditioning import ClassEmbedding
from tfgan_zoo.layers.conditioning_augmentation import ConditioningAugmentation
from tfgan_zoo.layers.progressive import NearestUpsample2D
from tfgan_zoo.networks.common import check_fraction, check_int, check_power_of_two, float32_output, weight_init
from tfgan_zoo.registry import NETWORKS


def _bn(x, name):
    return layers.BatchNormalization(momentum=0.9, epsilon=1e-5, synchronized=True, name=name)(x)


def _conv_bn_relu(x, filters, name, kernel=3, strides=1, relu=True):
    x = layers.Conv2D(filters, kernel, strides=strides, padding="same", use_bias=False,
                      kernel_initializer=weight_init(), name=name)(x)
    x = _bn(x, f"{name}_bn")
    return layers.ReLU(name=f"{name}_relu")(x) if relu else x


def _up_block(x, filters, name):
    x = NearestUpsample2D(2, name=f"{name}_up")(x)  # converts to TFLite builtins
    return _conv_bn_relu(x, filters, name)


def _augmented_condition(label, eps, num_classes, embed_dim, ca_dim):
    embedding = ClassEmbedding(num_classes, embed_dim, name="condition_embedding")(label)
    return ConditioningAugmentation(ca_dim, kernel_initializer=weight_init(), name="augmentation")([embedding, eps])


def _replicate(vector, size, name):
    """[B, D] -> [B, size, size, D]."""
    x = layers.Reshape((1, 1, vector.shape[-1]), name=f"{name}_reshape")(vector)
    return NearestUpsample2D(size, name=f"{name}_tile")(x)


def _check(what, **values):
    for key, value in values.items():
        check_int(value, f"{what}: {key}")


def _outputs(image, mu, log_var):
    return [float32_output(image, "tanh", "tanh"), float32_output(mu, "linear", "mu"),
            float32_output(log_var, "linear", "log_var")]


@NETWORKS.register("stackgan_stage1_generator")
def stackgan_stage1_generator(latent_dim: int, image_size: int, channels: int, num_classes: int, embed_dim: int = 128,
                     ca_dim: int = 128, base_filters: int = 64, min_size: int = 4) -> keras.Model:
    """[z [B, latent_dim], eps [B, ca_dim], label [B]] -> [image, mu, log_var].

    latent_dim: size of z.
    image_size: stage I's output side, a power of two > min_size.
    channels: image channels.
    num_classes: K.
    embed_dim: size of the label embedding fed to conditioning augmentation.
    ca_dim: size of the augmented condition c (and of eps).
    base_filters: channels of the last up block (they double towards the input, StackGAN's
        ngf / 16 at the image).
    min_size: side of the first feature map.
    """
    what = "stackgan_stage1_generator"
    _check(what, latent_dim=latent_dim, channels=channels, num_classes=num_classes, embed_dim=embed_dim,
           ca_dim=ca_dim, base_filters=base_filters)
    image_size = check_power_of_two(image_size, f"{what}: image_size", minimum=8)
    min_size = check_power_of_two(min_size, f"{what}: min_size")
    if min_size >= image_size:
        raise ConfigError(f"{what}: min_size ({min_size}) must be smaller than image_size ({image_size})")
    n_up = (image_size // min_size).bit_length() - 1

    z = keras.Input((latent_dim,), name="z")
    eps = keras.Input((ca_dim,), name="eps")
    label = keras.Input((), dtype="int32", name="label")
    c, mu, log_var = _augmented_condition(label, eps, num_classes, embed_dim, ca_dim)
    h = layers.Concatenate(name="z_c")([z, c])
    width = base_filters * 2 ** n_up
    h = layers.Dense(min_size * min_size * width, use_bias=False, kernel_initializer=weight_init(), name="project")(h)
    h = layers.ReLU(name="project_relu")(_bn(layers.Reshape((min_size, min_size, width), name="reshape")(h),
                                             "project_bn"))
    for k in range(n_up):
        h = _up_block(h, base_filters * 2 ** (n_up - 1 - k), f"up{k}")
    h = layers.Conv2D(channels, 3, padding="same", kernel_initializer=weight_init(), name="to_image")(h)
    return keras.Model([z, eps, label], _outputs(h, mu, log_var), name=what)


def _residual_block(x, name):
    filters = x.shape[-1]
    h = _conv_bn_relu(x, filters, f"{name}_conv1")
    h = _conv_bn_relu(h, filters, f"{name}_conv2", relu=False)
    return layers.ReLU(name=f"{name}_relu")(layers.Add(name=f"{name}_add")([x, h]))


@NETWORKS.register("stackgan_stage2_generator")
def stackgan_stage2_generator(image_size: int, low_size: int, channels: int, num_classes: int, embed_dim: int = 128,
                     ca_dim: int = 128, base_filters: int = 64, down_blocks: int = 1,
                     residual_blocks: int = 2) -> keras.Model:
    """[low [B, low_size, low_size, C], eps [B, ca_dim], label [B]] -> [image, mu, log_var].

    image_size: stage II's output side (a power of two > low_size).
    low_size: stage I's output side.
    channels: image channels.
    num_classes: K.
    embed_dim: size of the label embedding fed to stage II's conditioning augmentation.
    ca_dim: size of the augmented condition c (and of eps).
    base_filters: channels of the encoder's first conv (doubling per stride-2 conv) and of
        the last up block.
    down_blocks: stride-2 convs of the encoder (low_size / 2^down_blocks is the joint map).
    residual_blocks: residual blocks after the joint conv.
    """
    what = "stackgan_stage2_generator"
    _check(what, channels=channels, num_classes=num_classes, embed_dim=embed_dim, ca_dim=ca_dim,
           base_filters=base_filters, down_blocks=down_blocks)
    residual_blocks = check_int(residual_blocks, f"{what}: residual_blocks", minimum=0)
    image_size = check_power_of_two(image_size, f"{what}: image_size", minimum=8)
    low_size = check_power_of_two(low_size, f"{what}: low_size", minimum=4)
    joint = low_size >> down_blocks
    if low_size >= image_size or joint < 1:
        raise ConfigError(f"{what}: need low_size < image_size and low_size / 2^down_blocks >= 1, got image_size "
                          f"{image_size}, low_size {low_size}, down_blocks {down_blocks}")
    n_up = (image_size // joint).bit_length() - 1

    low = keras.Input((low_size, low_size, channels), name="low")
    eps = keras.Input((ca_dim,), name="eps")
    label = keras.Input((), dtype="int32", name="label")
    c, mu, log_var = _augmented_condition(label, eps, num_classes, embed_dim, ca_dim)
    h = layers.Conv2D(base_filters, 3, padding="same", kernel_initializer=weight_init(), name="encode_in")(low)
    h = layers.ReLU(name="encode_in_relu")(h)
    for k in range(down_blocks):
        h = _conv_bn_relu(h, base_filters * 2 ** (k + 1), f"encode{k}", kernel=4, strides=2)
    width = h.shape[-1]
    h = layers.Concatenate(name="joint_concat")([h, _replicate(c, joint, "condition")])
    h = _conv_bn_relu(h, width, "joint")
    for k in range(residual_blocks):
        h = _residual_block(h, f"residual{k}")
    for k in range(n_up):
        h = _up_block(h, max(base_filters, width >> (k + 1)), f"up{k}")
    h = layers.Conv2D(channels, 3, padding="same", kernel_initializer=weight_init(), name="to_image")(h)
    return keras.Model([low, eps, label], _outputs(h, mu, log_var), name=what)


@NETWORKS.register("stackgan_discriminator")
def stackgan_discriminator(image_size: int, channels: int, num_classes: int, embed_dim: int = 128, base_filters: int = 64,
                  min_size: int = 4, leaky_slope: float = 0.2) -> keras.Model:
    """[image, label] -> logit.

    image_size: input side, a power of two > min_size.
    channels: image channels.
    num_classes: K.
    embed_dim: size of the compressed label embedding replicated over the last map.
    base_filters: channels of the first stride-2 conv (doubling per conv; StackGAN's ndf).
    min_size: side of the last map (the 4x4 valid conv then covers it when it is 4).
    leaky_slope: negative slope of the LeakyReLU activations.
    """
    what = "stackgan_discriminator"
    _check(what, channels=channels, num_classes=num_classes, embed_dim=embed_dim, base_filters=base_filters)
    image_size = check_power_of_two(image_size, f"{what}: image_size", minimum=8)
    min_size = check_power_of_two(min_size, f"{what}: min_size")
    leaky_slope = check_fraction(leaky_slope, f"{what}: leaky_slope")
    if min_size >= image_size:
        raise ConfigError(f"{what}: min_size ({min_size}) must be smaller than image_size ({image_size})")

    image = keras.Input((image_size, image_size, channels), name="image")
    label = keras.Input((), dtype="int32", name="label")
    h, size, k = image, image_size, 0
    while size > min_size:
        h = layers.Conv2D(base_filters * 2 ** k, 4, strides=2, padding="same", use_bias=k == 0,
                          kernel_initializer=weight_init(), name=f"down{k}")(h)
        if k:
            h = _bn(h, f"down{k}_bn")
        h = layers.LeakyReLU(negative_slope=leaky_slope, name=f"down{k}_lrelu")(h)
        size, k = size // 2, k + 1
    embedding = ClassEmbedding(num_classes, embed_dim, name="condition_embedding")(label)
    embedding = layers.LeakyReLU(negative_slope=leaky_slope, name="condition_lrelu")(embedding)
    h = layers.Concatenate(name="joint_concat")([h, _replicate(embedding, min_size, "condition")])
    h = layers.Conv2D(h.shape[-1] - embed_dim, 1, use_bias=False, kernel_initializer=weight_init(), name="joint")(h)
    h = layers.LeakyReLU(negative_slope=leaky_slope, name="joint_lrelu")(_bn(h, "joint_bn"))
    h = layers.Conv2D(1, min_size, padding="valid", kernel_initializer=weight_init(), name="logit_conv")(h)
    h = layers.Flatten(name="flatten")(h)
    return keras.Model([image, label], float32_output(h, "linear", "logits"), name=what)
