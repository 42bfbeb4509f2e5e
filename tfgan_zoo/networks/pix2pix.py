"""pix2pix networks (Isola et al. 2017): the U-Net generator and the PatchGAN discriminator."""
import keras
from keras import layers

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.layers.replica_dropout import ReplicaDropout
from tfgan_zoo.networks.common import (NORMS, apply_norm, check_bool, check_choice, check_fraction, check_int,
                                       check_power_of_two, float32_output, spectral, weight_init, with_condition)
from tfgan_zoo.registry import NETWORKS

KERNEL = 4  # every pix2pix convolution is 4x4
PATCH_PADDING = 1  # PatchGAN pads each convolution by 1 pixel, as the reference implementation


@NETWORKS.register("unet")
def unet(image_size: int, in_channels: int, out_channels: int, base_filters: int = 64, max_filters: int = 512,
         dropout: float = 0.5, num_dropout: int = 3, depth: int = 0, norm: str = "batch",
         condition_dim: int = 0) -> keras.Model:
    """pix2pix U-Net: encoder C64-C128-C256-C512-..., decoder mirrored with skip connections, tanh.

    image_size: input/output side; a power of two when depth is 0, else divisible by 2**depth.
    in_channels: channels of the source image.
    out_channels: channels of the generated image.
    base_filters: filters of the first encoder block (doubling per block up to max_filters).
    max_filters: cap on the filters of any block.
    dropout: dropout rate of the first num_dropout decoder blocks (pix2pix's noise source;
        ReplicaDropout, so N replicas draw the masks one device would).
    num_dropout: how many decoder blocks, innermost first, get dropout (clamped to depth - 1).
    depth: number of stride-2 encoder blocks; 0 means log2(image_size), down to a 1x1 bottleneck.
    norm: "batch" | "layer" | "instance" | "none", on every block except the first encoder block
        and the bottleneck (as the reference code: normalising a 1x1 map of batch 1 zeroes it).
    condition_dim: 0 for one input; K > 0 adds a second input, a [K] vector (StarGAN's one-hot
        target domain) tiled over the source as K extra input channels.
    """
    what = "unet"
    in_channels = check_int(in_channels, f"{what}: in_channels")
    out_channels = check_int(out_channels, f"{what}: out_channels")
    base_filters = check_int(base_filters, f"{what}: base_filters")
    max_filters = check_int(max_filters, f"{what}: max_filters")
    dropout = check_fraction(dropout, f"{what}: dropout")
    num_dropout = check_int(num_dropout, f"{what}: num_dropout", minimum=0)
    depth = check_int(depth, f"{what}: depth", minimum=0)
    check_choice(norm, f"{what}: norm", NORMS)
    condition_dim = check_int(condition_dim, f"{what}: condition_dim", minimum=0)
    if depth == 0:
        image_size = check_power_of_two(image_size, f"{what}: image_size", minimum=2)
        depth = image_size.bit_length() - 1
    else:
        image_size = check_int(image_size, f"{what}: image_size", minimum=2)
        if image_size % 2**depth:
            raise ConfigError(f"{what}: image_size {image_size} is not divisible by 2**depth = {2**depth}")

    def filters(level):
        return min(base_filters * 2**level, max_filters)

    inputs, x = with_condition(keras.Input((image_size, image_size, in_channels), name="source"), condition_dim,
                               image_size)
    skips = []
    for level in range(depth):
        block_norm = norm if 0 < level < depth - 1 else "none"
        x = layers.Conv2D(filters(level), KERNEL, strides=2, padding="same", use_bias=block_norm == "none",
                          kernel_initializer=weight_init(), name=f"down{level}")(x)
        x = apply_norm(x, block_norm, f"down{level}_norm")
        x = layers.LeakyReLU(negative_slope=0.2, name=f"down{level}_lrelu")(x)
        skips.append(x)
    for block, level in enumerate(range(depth - 2, -1, -1)):  # back up to the size of skips[level]
        x = layers.Conv2DTranspose(filters(level), KERNEL, strides=2, padding="same", use_bias=norm == "none",
                                   kernel_initializer=weight_init(), name=f"up{level}")(x)
        x = apply_norm(x, norm, f"up{level}_norm")
        if block < num_dropout and dropout > 0:
            x = ReplicaDropout(dropout, name=f"up{level}_dropout")(x)
        x = layers.ReLU(name=f"up{level}_relu")(x)
        x = layers.Concatenate(name=f"up{level}_skip")([x, skips[level]])
    x = layers.Conv2DTranspose(out_channels, KERNEL, strides=2, padding="same", kernel_initializer=weight_init(),
                               name="to_image")(x)
    return keras.Model(inputs, float32_output(x, "tanh", "tanh"), name=what)


def patchgan_layers(n_layers):
    """(kernel, stride) of the PatchGAN convolutions: n_layers stride-2, a stride-1, the stride-1 output."""
    return [(KERNEL, 2)] * n_layers + [(KERNEL, 1), (KERNEL, 1)]


def patchgan_receptive_field(n_layers: int = 3) -> int:
    """Side, in input pixels, of the window one PatchGAN output pixel sees (70 for n_layers=3)."""
    n_layers = check_int(n_layers, "patchgan: n_layers")
    field, jump = 1, 1
    for kernel, stride in patchgan_layers(n_layers):
        field += (kernel - 1) * jump
        jump *= stride
    return field


def patchgan_output_size(image_size, n_layers):
    """Side of the PatchGAN logits map for a square input (<= 0: the input is too small)."""
    size = image_size
    for kernel, stride in patchgan_layers(n_layers):
        size = (size + 2 * PATCH_PADDING - kernel) // stride + 1
        if size < 1:
            return 0
    return size


@NETWORKS.register("patchgan")
def patchgan(image_size: int, in_channels: int, base_filters: int = 64, n_layers: int = 3, norm: str = "batch",
             max_filters: int = 512, spectral_norm: bool = False) -> keras.Model:
    """pix2pix PatchGAN: a map of logits, one per receptive-field patch (30x30 at 256 px, n_layers=3).

    image_size: input side in pixels.
    in_channels: input channels (the family concatenates source and target images).
    base_filters: filters of the first convolution (doubling per layer up to max_filters).
    n_layers: number of stride-2 convolutions; 3 gives the 70x70 PatchGAN, 1 or 2 suit 16 px images.
    norm: "batch" | "layer" | "instance" | "none", on every convolution but the first and the output.
    max_filters: cap on the filters of any convolution.
    spectral_norm: wrap every Conv2D in SpectralNorm (layers/spectral_norm.py).
    """
    what = "patchgan"
    image_size = check_int(image_size, f"{what}: image_size")
    in_channels = check_int(in_channels, f"{what}: in_channels")
    base_filters = check_int(base_filters, f"{what}: base_filters")
    n_layers = check_int(n_layers, f"{what}: n_layers")
    max_filters = check_int(max_filters, f"{what}: max_filters")
    check_choice(norm, f"{what}: norm", NORMS)
    check_bool(spectral_norm, f"{what}: spectral_norm")
    if patchgan_output_size(image_size, n_layers) < 1:
        smallest = next(s for s in range(1, 2**(n_layers + 3)) if patchgan_output_size(s, n_layers) >= 1)
        raise ConfigError(f"{what}: image_size {image_size} is too small for n_layers={n_layers} "
                          f"(needs >= {smallest}); lower n_layers")

    image = keras.Input((image_size, image_size, in_channels), name="image")
    x = image
    stack = patchgan_layers(n_layers)
    for index, (kernel, stride) in enumerate(stack):
        last = index == len(stack) - 1
        block_norm = "none" if index == 0 or last else norm
        filters = 1 if last else min(base_filters * 2**index, max_filters)
        x = layers.ZeroPadding2D(PATCH_PADDING, name=f"pad{index}")(x)
        conv = layers.Conv2D(filters, kernel, strides=stride, padding="valid", use_bias=block_norm == "none",
                             kernel_initializer=weight_init(), name="logits_conv" if last else f"conv{index}")
        x = spectral(conv, spectral_norm)(x)
        if not last:
            x = apply_norm(x, block_norm, f"conv{index}_norm")
            x = layers.LeakyReLU(negative_slope=0.2, name=f"conv{index}_lrelu")(x)
    return keras.Model(image, float32_output(x, "linear", "logits"), name=what)
