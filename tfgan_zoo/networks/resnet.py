"""The ResNet-block image-to-image generator of CycleGAN (Zhu et al. 2017), also StarGAN's.

CycleGAN (Johnson et al.'s architecture): c7s1-64, d128, d256, R256 x 9 (x 6 at 128 px),
u128, u64, c7s1-3 with reflection padding, instance norm and ReLU, tanh out. StarGAN (Choi et
al. 2018) is the same shape with zero padding, 4x4 down / up convolutions, 6 blocks and the
target domain tiled over the image as extra input channels (`condition_dim`).
"""
import keras
from keras import layers

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.layers.padding import ReflectionPadding2D
from tfgan_zoo.layers.replica_dropout import ReplicaDropout
from tfgan_zoo.networks.common import (NORMS, apply_norm, check_choice, check_fraction, check_int, float32_output,
                                       weight_init, with_condition)
from tfgan_zoo.registry import NETWORKS

PADDINGS = ("reflect", "zero")


def _pad(x, amount, padding, name):
    if padding == "reflect":
        return ReflectionPadding2D(amount, name=name)(x)
    return layers.ZeroPadding2D(amount, name=name)(x)


def _conv(x, filters, kernel, norm, padding, name, strides=1):
    """Pad, convolve (no bias when a norm with its own offset follows), normalise."""
    x = _pad(x, (kernel - 1) // 2 if strides == 1 else 1, padding, f"{name}_pad")
    x = layers.Conv2D(filters, kernel, strides=strides, padding="valid", use_bias=norm == "none",
                      kernel_initializer=weight_init(), name=name)(x)
    return apply_norm(x, norm, f"{name}_norm")


@NETWORKS.register("resnet_generator")
def resnet_generator(image_size: int, in_channels: int, out_channels: int, condition_dim: int = 0,
                     base_filters: int = 64, num_downsample: int = 2, num_blocks: int = 9, norm: str = "instance",
                     padding: str = "reflect", sample_kernel: int = 3, dropout: float = 0.0) -> keras.Model:
    """ResNet-block generator: image (and condition) -> image of the same size, tanh.

    image_size: input/output side, divisible by 2**num_downsample.
    in_channels: channels of the input image.
    out_channels: channels of the output image.
    condition_dim: 0 for one input (CycleGAN); K > 0 adds a second input, a [K] vector (a
        one-hot target domain for StarGAN) tiled over the image as K extra input channels.
    base_filters: filters of the first 7x7 convolution, doubled by each downsampling.
    num_downsample: stride-2 convolutions before the blocks (and transposed ones after).
    num_blocks: residual blocks at the bottleneck (CycleGAN 9 at 256 px, 6 at 128; StarGAN 6).
    norm: "instance" (GroupNormalization(groups=-1); affine, no running statistics),
        "batch", "layer" or "none".
    padding: "reflect" (CycleGAN) or "zero" (StarGAN), of every stride-1 convolution.
    sample_kernel: kernel of the down / up convolutions (CycleGAN 3, StarGAN 4).
    dropout: dropout rate between the two convolutions of each block (CycleGAN's no_dropout
        default: 0; ReplicaDropout, so N replicas draw the masks one device would).
    """
    what = "resnet_generator"
    image_size = check_int(image_size, f"{what}: image_size")
    in_channels = check_int(in_channels, f"{what}: in_channels")
    out_channels = check_int(out_channels, f"{what}: out_channels")
    condition_dim = check_int(condition_dim, f"{what}: condition_dim", minimum=0)
    base_filters = check_int(base_filters, f"{what}: base_filters")
    num_downsample = check_int(num_downsample, f"{what}: num_downsample", minimum=0)
    num_blocks = check_int(num_blocks, f"{what}: num_blocks", minimum=0)
    check_choice(norm, f"{what}: norm", NORMS)
    check_choice(padding, f"{what}: padding", PADDINGS)
    sample_kernel = check_int(sample_kernel, f"{what}: sample_kernel", minimum=2)
    dropout = check_fraction(dropout, f"{what}: dropout")
    bottleneck = image_size // 2**num_downsample
    if image_size % 2**num_downsample or (padding == "reflect" and (image_size < 4 or bottleneck < 2)):
        raise ConfigError(f"{what}: image_size {image_size} must be divisible by 2**num_downsample = "
                          f"{2**num_downsample} and leave a bottleneck of at least 2 px (4 px input) for "
                          f"reflection padding; lower num_downsample")

    inputs, x = with_condition(keras.Input((image_size, image_size, in_channels), name="image"), condition_dim,
                               image_size)
    x = layers.ReLU(name="c7_relu")(_conv(x, base_filters, 7, norm, padding, "c7"))
    filters = base_filters
    for i in range(num_downsample):
        filters *= 2
        x = _conv(x, filters, sample_kernel, norm, "zero", f"down{i}", strides=2)
        x = layers.ReLU(name=f"down{i}_relu")(x)
    for i in range(num_blocks):
        h = layers.ReLU(name=f"block{i}_relu")(_conv(x, filters, 3, norm, padding, f"block{i}_conv0"))
        if dropout:
            h = ReplicaDropout(dropout, name=f"block{i}_dropout")(h)
        h = _conv(h, filters, 3, norm, padding, f"block{i}_conv1")
        x = layers.Add(name=f"block{i}_add")([x, h])
    for i in reversed(range(num_downsample)):
        filters //= 2
        x = layers.Conv2DTranspose(filters, sample_kernel, strides=2, padding="same", use_bias=norm == "none",
                                   kernel_initializer=weight_init(), name=f"up{i}")(x)
        x = layers.ReLU(name=f"up{i}_relu")(apply_norm(x, norm, f"up{i}_norm"))
    x = _pad(x, 3, padding, "to_image_pad")
    x = layers.Conv2D(out_channels, 7, padding="valid", kernel_initializer=weight_init(), name="to_image")(x)
    return keras.Model(inputs, float32_output(x, "tanh", "tanh"), name=what)
