"""ProGAN generator and discriminator (Karras et al. 2018), every resolution level built at once.

Both networks take a `lod` input ([B, 1] float, "level of detail" as in the reference code):
lod 0 is the full resolution, lod k a 2^k times coarser image, k + t the fade-in between them.
The generator always outputs full-size images (coarser levels nearest-upsampled) and the
discriminator always takes full-size images, so shapes, weights, optimizer slots and
checkpoints stay the same in every growth stage; only the lod moves. Every level is computed at
every lod (the reference code's "linear" structure); levels the lod does not show enter with
weight exactly zero. Feed real images through `progressive_images` at the same lod.

Filters follow the reference code: min(base_filters * image_size / r, max_filters) at resolution
r, so base_filters 16 and max_filters 512 at 1024 px give the paper's networks.
"""
import math

import keras
from keras import layers, ops

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.layers.equalized import EqualizedConv2D, EqualizedDense
from tfgan_zoo.layers.progressive import Blur2D, LevelFade, MinibatchStdDev, NearestUpsample2D, PixelNorm
from tfgan_zoo.networks.common import check_bool, check_fraction, check_int, check_power_of_two, float32_output
from tfgan_zoo.registry import NETWORKS

MIN_SIZE = 4


def num_levels(image_size):
    """Resolution levels 4, 8, ..., image_size."""
    return int(round(math.log2(image_size // MIN_SIZE))) + 1


def stage_lod(stage, alpha, image_size):
    """The lod of growth stage `stage` (0 = the 4 x 4 level) at fade-in progress alpha in [0, 1]:
    levels - 1 - stage + (1 - alpha). Alpha 0 shows the previous stage's output exactly; stage 0
    has no fade-in."""
    top = num_levels(image_size) - 1
    if not 0 <= stage <= top:
        raise ConfigError(f"stage must be in [0, {top}] for {image_size} px, got {stage}")
    return float(top) if stage == 0 else float(top - stage) + (1.0 - float(alpha))


def filters_for(resolution, image_size, base_filters, max_filters):
    return min(base_filters * image_size // resolution, max_filters)


def check_sizes(what, image_size, base_filters, max_filters):
    image_size = check_power_of_two(image_size, f"{what}: image_size", minimum=MIN_SIZE)
    return image_size, check_int(base_filters, f"{what}: base_filters"), check_int(max_filters, f"{what}: max_filters")


def lod_input():
    return keras.Input((1,), name="lod")


def progressive_images(images, lod, levels):
    """Real images as the networks see them at `lod`: avg-pooled 2^k times and nearest-upsampled
    back for lod k, linearly blended between k and k + 1 for a fractional lod (the reference
    training loop's reals). images: [B, H, W, C]; lod: a scalar or [B] / [B, 1] tensor;
    levels: number of levels (lod is clipped to [0, levels - 1]). Integer lods are exact."""
    x = ops.convert_to_tensor(images)
    lod = ops.reshape(ops.cast(lod, "float32"), (-1, 1, 1, 1))
    lod = ops.clip(lod, 0.0, float(levels - 1))
    out = None
    for k in range(levels):
        weight = ops.cast(ops.maximum(0.0, 1.0 - ops.abs(lod - float(k))), x.dtype)
        level = x
        if k:
            f = 2 ** k
            level = ops.average_pool(x, pool_size=f, strides=f, padding="valid")
            level = ops.repeat(ops.repeat(level, f, axis=1), f, axis=2)
        term = weight * level
        out = term if out is None else out + term
    return out


@NETWORKS.register("progan_generator")
def progan_generator(latent_dim: int, image_size: int, channels: int, base_filters: int = 16,
                     max_filters: int = 512, normalize_latents: bool = True, pixel_norm: bool = True,
                     leaky_slope: float = 0.2) -> keras.Model:
    """{"z": [B, latent_dim], "lod": [B, 1]} -> [B, image_size, image_size, channels], linear output.

    latent_dim: size of the latent vector z.
    image_size: output side, a power of two >= 4 (levels 4, 8, ..., image_size).
    channels: output channels.
    base_filters: filters at the full resolution; they double per coarser level up to max_filters.
    max_filters: cap on the filters of any level.
    normalize_latents: pixel-normalise z first.
    pixel_norm: pixelwise feature normalisation (epsilon 1e-8) after every convolution.
    leaky_slope: negative slope of the LeakyReLU activations.

    4 x 4: Dense (gain sqrt(2)/4, as the reference) -> 3x3 conv; each further level: nearest 2x
    upsampling -> two 3x3 convs; every layer equalized, LeakyReLU then pixel norm; a linear 1x1
    toRGB per level, faded into the upsampled coarser image by the lod.
    """
    what = "progan_generator"
    latent_dim = check_int(latent_dim, f"{what}: latent_dim")
    channels = check_int(channels, f"{what}: channels")
    image_size, base_filters, max_filters = check_sizes(what, image_size, base_filters, max_filters)
    check_bool(normalize_latents, f"{what}: normalize_latents")
    check_bool(pixel_norm, f"{what}: pixel_norm")
    slope = check_fraction(leaky_slope, f"{what}: leaky_slope")

    def nf(r):
        return filters_for(r, image_size, base_filters, max_filters)

    def act_norm(x, name):
        x = layers.LeakyReLU(negative_slope=slope, name=f"{name}_lrelu")(x)
        return PixelNorm(name=f"{name}_pn")(x) if pixel_norm else x

    z, lod = keras.Input((latent_dim,), name="z"), lod_input()
    x = PixelNorm(name="z_pn")(z) if normalize_latents else z
    x = EqualizedDense(16 * nf(4), gain=math.sqrt(2.0) / 4.0, name="dense_4")(x)
    x = act_norm(layers.Reshape((4, 4, nf(4)), name="reshape_4")(x), "dense_4")
    x = act_norm(EqualizedConv2D(nf(4), 3, name="conv_4")(x), "conv_4")
    image = EqualizedConv2D(channels, 1, gain=1.0, name="to_rgb_4")(x)
    r = 4
    while r < image_size:
        r *= 2
        x = NearestUpsample2D(2, name=f"up_{r}")(x)
        x = act_norm(EqualizedConv2D(nf(r), 3, name=f"conv0_{r}")(x), f"conv0_{r}")
        x = act_norm(EqualizedConv2D(nf(r), 3, name=f"conv1_{r}")(x), f"conv1_{r}")
        fine = EqualizedConv2D(channels, 1, gain=1.0, name=f"to_rgb_{r}")(x)
        coarse = NearestUpsample2D(2, name=f"image_up_{r}")(image)
        image = LevelFade(num_levels(image_size) - num_levels(r), name=f"fade_{r}")([fine, coarse, lod])
    return keras.Model({"z": z, "lod": lod}, float32_output(image, "linear", "image"), name=what)


@NETWORKS.register("progan_discriminator")
def progan_discriminator(image_size: int, channels: int, base_filters: int = 16, max_filters: int = 512,
                         mbstd_group_size: int = 4, mbstd_features: int = 1, leaky_slope: float = 0.2,
                         blur: bool = False) -> keras.Model:
    """{"image": [B, image_size, image_size, channels], "lod": [B, 1]} -> logits [B, 1].

    image_size: input side, a power of two >= 4.
    channels: input channels.
    base_filters: filters at the full resolution; they double per coarser level up to max_filters.
    max_filters: cap on the filters of any level.
    mbstd_group_size: group size of the minibatch stddev layer before the 4 x 4 block (0: none).
    mbstd_features: number of minibatch stddev feature maps (StyleGAN's num_new_features).
    leaky_slope: negative slope of the LeakyReLU activations.
    blur: a [1, 2, 1] low-pass before each downsampling convolution (StyleGAN's discriminator).

    A LeakyReLU 1x1 fromRGB per level; each level above 4 x 4: two 3x3 convs then 2x2 average
    pooling, faded with the fromRGB of the pooled image by the lod; 4 x 4: minibatch stddev ->
    3x3 conv -> Dense -> Dense(1, gain 1). Every layer equalized.
    """
    what = "progan_discriminator"
    channels = check_int(channels, f"{what}: channels")
    image_size, base_filters, max_filters = check_sizes(what, image_size, base_filters, max_filters)
    group = check_int(mbstd_group_size, f"{what}: mbstd_group_size", minimum=0)
    mbstd_features = check_int(mbstd_features, f"{what}: mbstd_features")
    slope = check_fraction(leaky_slope, f"{what}: leaky_slope")
    check_bool(blur, f"{what}: blur")

    def nf(r):
        return filters_for(r, image_size, base_filters, max_filters)

    def conv_act(x, filters, kernel, name):
        x = EqualizedConv2D(filters, kernel, name=name)(x)
        return layers.LeakyReLU(negative_slope=slope, name=f"{name}_lrelu")(x)

    image, lod = keras.Input((image_size, image_size, channels), name="image"), lod_input()
    x = conv_act(image, nf(image_size), 1, f"from_rgb_{image_size}")
    pooled = image
    r = image_size
    while r > 4:
        x = conv_act(x, nf(r), 3, f"conv0_{r}")
        if blur:
            x = Blur2D(name=f"blur_{r}")(x)
        x = conv_act(x, nf(r // 2), 3, f"conv1_{r}")
        x = layers.AveragePooling2D(2, name=f"down_{r}")(x)
        pooled = layers.AveragePooling2D(2, name=f"image_down_{r}")(pooled)
        coarse = conv_act(pooled, nf(r // 2), 1, f"from_rgb_{r // 2}")
        x = LevelFade(num_levels(image_size) - num_levels(r), name=f"fade_{r}")([x, coarse, lod])
        r //= 2
    if group > 1:
        if nf(4) % mbstd_features:
            raise ConfigError(f"{what}: mbstd_features ({mbstd_features}) must divide the 4 x 4 filters ({nf(4)})")
        x = MinibatchStdDev(group, mbstd_features, name="mbstd")(x)
    x = conv_act(x, nf(4), 3, "conv_4")
    x = layers.Flatten(name="flatten")(x)
    x = layers.LeakyReLU(negative_slope=slope, name="dense0_lrelu")(
        EqualizedDense(min(base_filters * image_size // 2, max_filters), name="dense0")(x))
    x = EqualizedDense(1, gain=1.0, name="logit")(x)
    return keras.Model({"image": image, "lod": lod}, float32_output(x, "linear", "logits"), name=what)
