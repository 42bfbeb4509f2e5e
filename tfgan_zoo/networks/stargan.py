"""StarGAN's discriminator (Choi et al. 2018): a patch critic and a domain classifier on one trunk.

Trunk: n_layers 4x4 stride-2 convolutions (64, 128, ... filters), LeakyReLU(0.01), no
normalisation (the critic is trained with a gradient penalty). Heads: a 3x3 convolution to a
map of critic scores (PatchGAN-style, like pix2pix's), and a convolution as large as the last
feature map to K domain logits. The generator is resnet_generator with condition_dim = K.
"""
import keras
from keras import layers

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.networks.common import check_int, float32_output, weight_init
from tfgan_zoo.registry import NETWORKS


@NETWORKS.register("stargan_discriminator")
def stargan_discriminator(image_size: int, in_channels: int, num_domains: int, base_filters: int = 64,
                          n_layers: int = 6, max_filters: int = 2048) -> keras.Model:
    """image -> [critic map [B, s, s, 1], domain logits [B, num_domains]], s = image_size / 2**n_layers.

    image_size: input side, divisible by 2**n_layers.
    in_channels: input channels.
    num_domains: K, the number of domains the classification head scores.
    base_filters: filters of the first convolution (doubling per layer up to max_filters).
    n_layers: stride-2 convolutions of the trunk (the paper's 6 at 128 px; 2-3 suit 16 px).
    max_filters: cap on the filters of any convolution.
    """
    what = "stargan_discriminator"
    image_size = check_int(image_size, f"{what}: image_size")
    in_channels = check_int(in_channels, f"{what}: in_channels")
    num_domains = check_int(num_domains, f"{what}: num_domains")
    base_filters = check_int(base_filters, f"{what}: base_filters")
    n_layers = check_int(n_layers, f"{what}: n_layers")
    max_filters = check_int(max_filters, f"{what}: max_filters")
    if image_size % 2**n_layers:
        raise ConfigError(f"{what}: image_size {image_size} is not divisible by 2**n_layers = {2**n_layers}; "
                          f"lower n_layers")
    image = keras.Input((image_size, image_size, in_channels), name="image")
    x = image
    for i in range(n_layers):
        x = layers.ZeroPadding2D(1, name=f"conv{i}_pad")(x)
        x = layers.Conv2D(min(base_filters * 2**i, max_filters), 4, strides=2, kernel_initializer=weight_init(),
                          name=f"conv{i}")(x)
        x = layers.LeakyReLU(negative_slope=0.01, name=f"conv{i}_lrelu")(x)
    side = image_size // 2**n_layers
    critic = layers.ZeroPadding2D(1, name="critic_pad")(x)
    critic = layers.Conv2D(1, 3, use_bias=False, kernel_initializer=weight_init(), name="critic_conv")(critic)
    domains = layers.Conv2D(num_domains, side, use_bias=False, kernel_initializer=weight_init(),
                            name="domain_conv")(x)
    domains = layers.Reshape((num_domains,), name="domain_flatten")(domains)
    return keras.Model(image, [float32_output(critic, "linear", "logits"),
                               float32_output(domains, "linear", "domain_logits")], name=what)
