"""BigGAN generator and discriminator (Brock et al. 2019).

Generator: z is split into one chunk per up-block plus one (hierarchical latents); the first
chunk feeds the SN dense that makes the min_size map, and block k's two conditional batch
norms get [chunk k+1, shared(y)], where shared is ONE class embedding for the whole network.
Their gains and offsets are SN, orthogonally initialised, bias-free linear maps of that vector
(gain 1 + gamma). Self-attention at one resolution, spectral norm on every layer, orthogonal
initialisation (keras.initializers.Orthogonal, see networks/resnet_gan.initializer).
Discriminator: the residual discriminator with a projection head.
"""
import keras
from keras import layers

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.layers.conditioning import ClassEmbedding
from tfgan_zoo.networks.common import check_bool, check_int, float32_output
from tfgan_zoo.networks.resnet_gan import (attend, batch_norm, check_attention, check_common, conv, dense,
                                           generator_block, generator_widths, levels, residual_discriminator)
from tfgan_zoo.registry import NETWORKS


def latent_chunks(latent_dim, image_size, min_size=4):
    """How many chunks z is split into: one per up-block plus one."""
    return (image_size // min_size).bit_length()


@NETWORKS.register("biggan_generator")
def biggan_generator(latent_dim: int, image_size: int, channels: int, num_classes: int, base_filters: int = 64,
                     min_size: int = 4, max_multiplier: int = 16, shared_dim: int = 128, hierarchical: bool = True,
                     attention_resolution: int = 64, spectral_norm: bool = True,
                     kernel_initializer: str = "orthogonal") -> keras.Model:
    """[z, label] -> image, tanh.

    latent_dim: size of z; with hierarchical latents a multiple of the number of up-blocks + 1
        (log2(image_size / min_size) + 1: 4 at 32 px from 4 px, BigGAN's 120 = 6 x 20 at 128).
    image_size: output side, a power of two >= 8.
    channels: output image channels.
    num_classes: K; the label input is int [B] in 0..K-1.
    base_filters: BigGAN's ch, the channels of the last block (widths double towards the
        input up to max_multiplier x ch).
    min_size: side of the first feature map.
    max_multiplier: cap on widths, in units of base_filters (a power of two; 16 gives BigGAN's
        128 px widths 16, 16, 8, 4, 2, 1 x ch).
    shared_dim: size of the shared class embedding.
    hierarchical: split z over the blocks (else all of z feeds the dense and every block's
        norms get the shared embedding alone).
    attention_resolution: side of the feature map that gets self-attention (0: none).
    spectral_norm: wrap every conv and dense layer (and the norms' gain / offset maps) in
        SpectralNorm (layers/spectral_norm.py).
    kernel_initializer: "orthogonal" (BigGAN), "glorot_uniform", ...
    """
    what = "biggan_generator"
    latent_dim = check_int(latent_dim, f"{what}: latent_dim")
    num_classes = check_int(num_classes, f"{what}: num_classes")
    shared_dim = check_int(shared_dim, f"{what}: shared_dim")
    check_bool(hierarchical, f"{what}: hierarchical")
    check_common(what, channels, base_filters, max_multiplier, spectral_norm, kernel_initializer)
    image_size, min_size, n_up = levels(image_size, min_size, what)
    attention_resolution = check_attention(attention_resolution, {min_size << k for k in range(1, n_up + 1)}, what)
    widths = generator_widths(base_filters, n_up, max_multiplier)
    chunks = n_up + 1
    if hierarchical and latent_dim % chunks:
        raise ConfigError(f"{what}: with hierarchical latents latent_dim must be a multiple of {chunks} "
                          f"(one chunk per block from {min_size} to {image_size} px, plus one), got {latent_dim}")

    z = keras.Input((latent_dim,), name="z")
    label = keras.Input((), dtype="int32", name="label")
    shared = ClassEmbedding(num_classes, shared_dim, name="shared_embedding")(label)
    if hierarchical:
        size = latent_dim // chunks
        pieces = [z[:, i * size:(i + 1) * size] for i in range(chunks)]
        conds = [layers.Concatenate(name=f"cond{k}")([pieces[k + 1], shared]) for k in range(n_up)]
        h = dense(pieces[0], min_size * min_size * widths[0], "project", spectral_norm, kernel_initializer,
                  use_bias=False)
    else:
        conds = [shared] * n_up
        h = dense(z, min_size * min_size * widths[0], "project", spectral_norm, kernel_initializer,
                  use_bias=False)
    h = layers.Reshape((min_size, min_size, widths[0]), name="reshape")(h)
    for k in range(n_up):
        h = generator_block(h, conds[k], widths[k + 1], f"block{k}", spectral_norm, kernel_initializer,
                            cbn_init=kernel_initializer)
        h = attend(h, min_size << (k + 1), attention_resolution, f"attention{k}", spectral_norm, kernel_initializer)
    h = batch_norm(h, None, "out_bn")
    h = layers.ReLU(name="out_relu")(h)
    h = conv(h, channels, 3, "to_image", spectral_norm, kernel_initializer)
    return keras.Model([z, label], float32_output(h, "tanh", "tanh"), name=what)


@NETWORKS.register("biggan_discriminator")
def biggan_discriminator(image_size: int, channels: int, num_classes: int, base_filters: int = 64,
                         min_size: int = 4, max_multiplier: int = 16, attention_resolution: int = 64,
                         spectral_norm: bool = True, kernel_initializer: str = "orthogonal") -> keras.Model:
    """[image, label] -> logit: residual down-blocks, one more block, ReLU, sum over positions,
    projection head psi(f) + <embed(y), f>.

    image_size: input side, a power of two >= 8.
    channels: input image channels.
    num_classes: K; the label input is int [B] in 0..K-1.
    base_filters: channels of the first block (they double per block up to max_multiplier x).
    min_size: side of the last pooled feature map.
    max_multiplier: cap on widths, in units of base_filters (a power of two).
    attention_resolution: side of the feature map that gets self-attention (0: none).
    spectral_norm: wrap every conv, dense and embedding in SpectralNorm (layers/spectral_norm.py).
    kernel_initializer: "orthogonal" (BigGAN), "glorot_uniform", ...
    """
    num_classes = check_int(num_classes, "biggan_discriminator: num_classes")
    return residual_discriminator(image_size, channels, num_classes, base_filters, min_size, max_multiplier,
                                  attention_resolution, spectral_norm, kernel_initializer, "biggan_discriminator")
