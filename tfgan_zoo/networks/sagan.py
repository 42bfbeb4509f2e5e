"""SAGAN generator and discriminator (Zhang et al. 2019): the residual GAN networks with one
self-attention block at a configurable resolution and spectral normalisation in both.
Conditional variant: conditional batch norm on the labels in G, a projection head in D."""
import keras
from keras import layers

from tfgan_zoo.networks.common import check_int, float32_output
from tfgan_zoo.networks.resnet_gan import (attend, batch_norm, check_attention, check_common, conv, dense,
                                           generator_block, generator_widths, levels, residual_discriminator)
from tfgan_zoo.registry import NETWORKS


@NETWORKS.register("sagan_generator")
def sagan_generator(latent_dim: int, image_size: int, channels: int, num_classes: int = 0, base_filters: int = 64,
                    min_size: int = 4, max_multiplier: int = 16, attention_resolution: int = 16,
                    spectral_norm: bool = True, kernel_initializer: str = "glorot_uniform") -> keras.Model:
    """z (and a label) -> SN dense to min_size x min_size -> residual up-blocks -> BN, ReLU,
    3x3 conv, tanh; self-attention after the block that reaches attention_resolution.

    latent_dim: size of z.
    image_size: output side, a power of two >= 8.
    channels: output image channels.
    num_classes: 0 for the unconditional network; K > 0 adds an int label input [B] and makes
        every block's batch norm conditional on it (per-class gain 1 + gamma_y and offset beta_y,
        starting at 1 and 0).
    base_filters: channels of the last block (widths double towards the input, capped).
    min_size: side of the first feature map.
    max_multiplier: cap on widths, in units of base_filters (a power of two).
    attention_resolution: side of the feature map that gets self-attention (0: none).
    spectral_norm: wrap every conv and dense layer in SpectralNorm (layers/spectral_norm.py).
    kernel_initializer: "glorot_uniform" (the SAGAN code's Xavier), "orthogonal", ...
    """
    what = "sagan_generator"
    latent_dim = check_int(latent_dim, f"{what}: latent_dim")
    num_classes = check_int(num_classes, f"{what}: num_classes", minimum=0)
    check_common(what, channels, base_filters, max_multiplier, spectral_norm, kernel_initializer)
    image_size, min_size, n_up = levels(image_size, min_size, what)
    attention_resolution = check_attention(attention_resolution, {min_size << k for k in range(1, n_up + 1)}, what)
    widths = generator_widths(base_filters, n_up, max_multiplier)

    z = keras.Input((latent_dim,), name="z")
    label = keras.Input((), dtype="int32", name="label") if num_classes else None
    h = dense(z, min_size * min_size * widths[0], "project", spectral_norm, kernel_initializer,
                  use_bias=False)
    h = layers.Reshape((min_size, min_size, widths[0]), name="reshape")(h)
    for k in range(n_up):
        h = generator_block(h, label, widths[k + 1], f"block{k}", spectral_norm, kernel_initializer,
                            num_classes=num_classes or None)
        h = attend(h, min_size << (k + 1), attention_resolution, f"attention{k}", spectral_norm, kernel_initializer)
    h = batch_norm(h, None, "out_bn")
    h = layers.ReLU(name="out_relu")(h)
    h = conv(h, channels, 3, "to_image", spectral_norm, kernel_initializer)
    return keras.Model([z, label] if num_classes else z, float32_output(h, "tanh", "tanh"), name=what)


@NETWORKS.register("sagan_discriminator")
def sagan_discriminator(image_size: int, channels: int, num_classes: int = 0, base_filters: int = 64,
                        min_size: int = 4, max_multiplier: int = 16, attention_resolution: int = 16,
                        spectral_norm: bool = True, kernel_initializer: str = "glorot_uniform") -> keras.Model:
    """Residual down-blocks to min_size, one more block, ReLU, sum over positions, SN dense logit;
    self-attention after the block that reaches attention_resolution.

    image_size: input side, a power of two >= 8.
    channels: input image channels.
    num_classes: 0 for the unconditional network; K > 0 adds an int label input [B] and a
        projection head: logit = psi(f) + <embed(y), f> (Miyato & Koyama 2018).
    base_filters: channels of the first block (they double per block, capped).
    min_size: side of the last pooled feature map.
    max_multiplier: cap on widths, in units of base_filters (a power of two).
    attention_resolution: side of the feature map that gets self-attention (0: none).
    spectral_norm: wrap every conv, dense and embedding in SpectralNorm (layers/spectral_norm.py).
    kernel_initializer: "glorot_uniform" (the SAGAN code's Xavier), "orthogonal", ...
    """
    return residual_discriminator(image_size, channels, num_classes, base_filters, min_size, max_multiplier,
                                  attention_resolution, spectral_norm, kernel_initializer, "sagan_discriminator")
