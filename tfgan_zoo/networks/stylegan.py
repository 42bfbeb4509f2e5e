"""StyleGAN networks (Karras et al. 2019): mapping, synthesis, and the generator that joins them.

mapping:    z [B, latent_dim] -> w [B, w_dim]; pixel norm then 8 equalized Dense + LeakyReLU
            layers with a learning-rate multiplier of 0.01.
synthesis:  {"ws": [B, num_ws, w_dim], "noise": [B, noise_size], "lod": [B, 1]} -> images.
            A learned 4 x 4 constant (N(0, 1) as StyleGAN2: see LearnedConstant), then per
            level two layers (the first of each level above
            4 x 4 after nearest 2x upsampling and a [1, 2, 1] blur, then a 3x3 conv), each
            followed by noise injection, LeakyReLU and AdaIN with its own w (num_ws = 2 per
            level); a linear 1x1 toRGB per level faded in by the lod as in ProGAN (lod 0 =
            fixed full resolution). The noise of all layers is one flat input (see noise_size),
            drawn by the caller.
generator:  {"z", "z_mix", "crossover", "psi", "noise", "lod"} -> images: mapping(z) and
            mapping(z_mix), StyleMixer (tracks w_avg in training calls, mixes at `crossover`,
            truncates the first `truncation_cutoff` layers towards w_avg by psi), synthesis.
            Its layers "mapping", "styles" and "synthesis" are the parts an export serves as
            mapping(latents) and synthesis(ws).

Deviations from the reference code, all equivalent or confined to borders: the blur runs
before the upsampled layer's convolution instead of after it (convolutions commute; only the
zero-padded border pixels differ), and the constant input has no separate bias (a per-channel
bias added to a learned constant is absorbed by the constant).
"""
import keras
from keras import layers

from tfgan_zoo.layers.equalized import EqualizedConv2D, EqualizedDense
from tfgan_zoo.layers.progressive import Blur2D, LevelFade, PixelNorm
from tfgan_zoo.layers.style import AdaIN, LearnedConstant, NoiseInjection, NoiseSlice, StyleMixer, StyleSelect
from tfgan_zoo.networks.common import check_bool, check_fraction, check_int, float32_output
from tfgan_zoo.networks.progan import check_sizes, filters_for, lod_input, num_levels
from tfgan_zoo.registry import NETWORKS


def num_ws(image_size):
    """Number of style inputs (synthesis layers): two per resolution level."""
    return 2 * num_levels(image_size)


def layer_resolutions(image_size):
    """Resolution of each synthesis layer, in order: 4, 4, 8, 8, ..., image_size, image_size."""
    return [4 * 2 ** (i // 2) for i in range(num_ws(image_size))]


def noise_size(image_size):
    """Length of the flat noise input: one res x res map per synthesis layer."""
    return sum(r * r for r in layer_resolutions(image_size))


@NETWORKS.register("stylegan_mapping")
def stylegan_mapping(latent_dim: int, w_dim: int = 512, hidden_units: int = 512, num_layers: int = 8,
                     lr_multiplier: float = 0.01, normalize_latents: bool = True,
                     leaky_slope: float = 0.2) -> keras.Model:
    """z [B, latent_dim] -> w [B, w_dim].

    latent_dim: size of z.
    w_dim: size of w (the last layer's units).
    hidden_units: units of the other layers.
    num_layers: number of equalized Dense + LeakyReLU layers (8 in the paper).
    lr_multiplier: learning-rate multiplier of every layer (0.01 in the paper).
    normalize_latents: pixel-normalise z first.
    leaky_slope: negative slope of the LeakyReLU activations.
    """
    what = "stylegan_mapping"
    latent_dim = check_int(latent_dim, f"{what}: latent_dim")
    w_dim = check_int(w_dim, f"{what}: w_dim")
    hidden_units = check_int(hidden_units, f"{what}: hidden_units")
    num_layers = check_int(num_layers, f"{what}: num_layers")
    lr_multiplier = check_fraction(lr_multiplier, f"{what}: lr_multiplier", 0.0, 1.0, include_high=True)
    check_bool(normalize_latents, f"{what}: normalize_latents")
    slope = check_fraction(leaky_slope, f"{what}: leaky_slope")

    z = keras.Input((latent_dim,), name="z")
    x = PixelNorm(name="z_pn")(z) if normalize_latents else z
    for i in range(num_layers):
        units = w_dim if i == num_layers - 1 else hidden_units
        x = EqualizedDense(units, lr_multiplier=lr_multiplier, name=f"dense{i}")(x)
        x = layers.LeakyReLU(negative_slope=slope, name=f"dense{i}_lrelu")(x)
    return keras.Model(z, float32_output(x, "linear", "w"), name=what)


@NETWORKS.register("stylegan_synthesis")
def stylegan_synthesis(image_size: int, channels: int, w_dim: int = 512, base_filters: int = 16,
                       max_filters: int = 512, blur: bool = True, leaky_slope: float = 0.2) -> keras.Model:
    """{"ws": [B, num_ws, w_dim], "noise": [B, noise_size], "lod": [B, 1]} -> [B, image_size, image_size, channels].

    image_size: output side, a power of two >= 4.
    channels: output channels.
    w_dim: size of each w.
    base_filters: filters at the full resolution; they double per coarser level up to max_filters.
    max_filters: cap on the filters of any level.
    blur: the [1, 2, 1] low-pass on upsampled features.
    leaky_slope: negative slope of the LeakyReLU activations.
    """
    what = "stylegan_synthesis"
    channels = check_int(channels, f"{what}: channels")
    w_dim = check_int(w_dim, f"{what}: w_dim")
    image_size, base_filters, max_filters = check_sizes(what, image_size, base_filters, max_filters)
    check_bool(blur, f"{what}: blur")
    slope = check_fraction(leaky_slope, f"{what}: leaky_slope")
    resolutions = layer_resolutions(image_size)

    ws = keras.Input((len(resolutions), w_dim), name="ws")
    noise = keras.Input((noise_size(image_size),), name="noise")
    lod = lod_input()
    offsets = [sum(r * r for r in resolutions[:i]) for i in range(len(resolutions))]

    def epilogue(x, i):
        r = resolutions[i]
        x = NoiseInjection(name=f"noise{i}")([x, NoiseSlice(offsets[i], r, name=f"noise{i}_map")(noise)])
        x = layers.LeakyReLU(negative_slope=slope, name=f"layer{i}_lrelu")(x)
        return AdaIN(name=f"adain{i}")([x, StyleSelect(i, name=f"w{i}")(ws)])

    x = LearnedConstant((4, 4, filters_for(4, image_size, base_filters, max_filters)),
                        initializer=keras.initializers.RandomNormal(stddev=1.0), name="const")(ws)
    x = epilogue(x, 0)
    x = epilogue(EqualizedConv2D(x.shape[-1], 3, name="conv_4")(x), 1)
    image = EqualizedConv2D(channels, 1, gain=1.0, name="to_rgb_4")(x)
    for i in range(2, len(resolutions), 2):
        r = resolutions[i]
        nf = filters_for(r, image_size, base_filters, max_filters)
        x = layers.UpSampling2D(2, interpolation="nearest", name=f"up_{r}")(x)
        if blur:
            x = Blur2D(name=f"blur_{r}")(x)
        x = epilogue(EqualizedConv2D(nf, 3, name=f"conv0_{r}")(x), i)
        x = epilogue(EqualizedConv2D(nf, 3, name=f"conv1_{r}")(x), i + 1)
        fine = EqualizedConv2D(channels, 1, gain=1.0, name=f"to_rgb_{r}")(x)
        coarse = layers.UpSampling2D(2, interpolation="nearest", name=f"image_up_{r}")(image)
        image = LevelFade(num_levels(image_size) - num_levels(r), name=f"fade_{r}")([fine, coarse, lod])
    return keras.Model({"ws": ws, "noise": noise, "lod": lod}, float32_output(image, "linear", "image"), name=what)


@NETWORKS.register("stylegan_generator")
def stylegan_generator(latent_dim: int, image_size: int, channels: int, w_dim: int = 512,
                       mapping_units: int = 512, mapping_layers: int = 8, mapping_lr_multiplier: float = 0.01,
                       base_filters: int = 16, max_filters: int = 512, blur: bool = True,
                       w_avg_beta: float = 0.995, truncation_cutoff: int = 8) -> keras.Model:
    """{"z", "z_mix": [B, latent_dim], "crossover": [B, 1] int32, "psi": [B, 1], "noise": [B, noise_size],
    "lod": [B, 1]} -> [B, image_size, image_size, channels].

    latent_dim: size of z.
    image_size: output side, a power of two >= 4.
    channels: output channels.
    w_dim: size of w.
    mapping_units: hidden units of the mapping network.
    mapping_layers: layers of the mapping network.
    mapping_lr_multiplier: learning-rate multiplier of the mapping network.
    base_filters: synthesis filters at the full resolution (doubling per coarser level).
    max_filters: cap on the synthesis filters.
    blur: the [1, 2, 1] low-pass on upsampled features.
    w_avg_beta: decay of the tracked average w (1: not tracked).
    truncation_cutoff: the truncation applies to the first min(cutoff, num_ws) layers (the
        coarse ones; 8 in the paper).

    Layer i takes w(z) for i < crossover and w(z_mix) otherwise (crossover = num_ws: no mixing);
    psi = 1 means no truncation.
    """
    what = "stylegan_generator"
    latent_dim = check_int(latent_dim, f"{what}: latent_dim")
    cutoff = check_int(truncation_cutoff, f"{what}: truncation_cutoff", minimum=0)
    beta = check_fraction(w_avg_beta, f"{what}: w_avg_beta", 0.0, 1.0, include_high=True)
    mapping = stylegan_mapping(latent_dim, w_dim, mapping_units, mapping_layers, mapping_lr_multiplier)
    mapping.name = "mapping"
    synthesis = stylegan_synthesis(image_size, channels, w_dim, base_filters, max_filters, blur)
    synthesis.name = "synthesis"
    count = num_ws(image_size)

    z, z_mix = keras.Input((latent_dim,), name="z"), keras.Input((latent_dim,), name="z_mix")
    crossover = keras.Input((1,), dtype="int32", name="crossover")
    psi = keras.Input((1,), name="psi")
    noise, lod = keras.Input((noise_size(image_size),), name="noise"), lod_input()
    styles = StyleMixer(count, beta=beta, cutoff=min(cutoff, count), name="styles")
    ws = styles([mapping(z), mapping(z_mix), crossover, psi])
    image = synthesis({"ws": ws, "noise": noise, "lod": lod})
    inputs = {"z": z, "z_mix": z_mix, "crossover": crossover, "psi": psi, "noise": noise, "lod": lod}
    return keras.Model(inputs, image, name=what)


def generator_inputs(z, noise, lod=0.0, psi=1.0, z_mix=None, crossover=None):
    """The generator's input dict for latents z [B, latent_dim]: no mixing unless z_mix and
    crossover are given; psi / lod scalars or [B] / [B, 1]."""
    import tensorflow as tf

    z = tf.convert_to_tensor(z, tf.float32)
    b = tf.shape(z)[0]

    def column(v, dtype):
        v = tf.cast(tf.convert_to_tensor(v), dtype)
        return tf.broadcast_to(tf.reshape(v, [-1, 1]), [b, 1])

    big = tf.int32.max  # >= num_ws: every layer takes z
    return {"z": z, "z_mix": z if z_mix is None else tf.convert_to_tensor(z_mix, tf.float32),
            "crossover": column(big if crossover is None else crossover, tf.int32),
            "psi": column(psi, tf.float32), "noise": tf.convert_to_tensor(noise, tf.float32),
            "lod": column(lod, tf.float32)}

