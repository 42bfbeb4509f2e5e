"""Residual generator and discriminator blocks of SAGAN and BigGAN (Miyato et al. 2018's
ResNet GAN, as in the SAGAN and BigGAN reference code), shared by networks/sagan.py and
networks/biggan.py.

Generator block (up):   h = conv3(relu(norm2(conv3(up(relu(norm1(x)))))))
                        out = h + conv1(up(x))
                        The block's convolutions have no bias, unlike the reference code: a
                        batch norm follows each (the next block's norm1 follows the sum), which
                        removes any constant shift, so such a bias has zero gradient in exact
                        arithmetic and Adam would turn round-off into steps (which then differ
                        between one device and several replicas).
Discriminator block:    h = pool(conv3(relu(conv3(relu(x)))))          (pre-activation)
                        out = h + pool(conv1(x))        (conv1 when channels change or it pools)
First D block:          h = pool(conv3(relu(conv3(x)))),  out = h + conv1(pool(x))
up is nearest-neighbour 2x, pool 2x2 average pooling, norm batch norm or conditional batch
norm. With spectral_norm every convolution and dense layer is wrapped in SpectralNorm
(layers/spectral_norm.py: W / sigma(W) as in Miyato et al.; see `spectral`).

Widths: a generator with n up-blocks from min_size to image_size has base * min(2^(n-k),
max_multiplier) channels after block k - 1 (k = 0 the input map), so 128 px with
max_multiplier 16 gives BigGAN's 16, 16, 8, 4, 2, 1 x ch; the discriminator doubles from base
at image_size / 2 up to base * max_multiplier.
"""
import keras
from keras import layers

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.layers.attention import SelfAttention
from tfgan_zoo.layers.conditioning import ConditionalBatchNormalization, ProjectionDiscriminatorHead
from tfgan_zoo.layers.progressive import NearestUpsample2D
from tfgan_zoo.layers.spectral_norm import SpectralNorm
from tfgan_zoo.networks.common import check_bool, check_int, check_power_of_two, float32_output
from tfgan_zoo.networks.dcgan import _levels as levels  # noqa: F401 - the same size checks as DCGAN

INITIALIZERS = ("orthogonal", "glorot_uniform", "glorot_normal", "he_normal")


def initializer(name):
    """A fresh initialiser per layer. "orthogonal" is keras.initializers.Orthogonal: it makes the
    kernel reshaped to [prod(shape[:-1]), out] orthonormal, the same matrix (transposed) that
    BigGAN's torch.nn.init.orthogonal_ makes of [out, in * kh * kw], so no initialiser of our
    own is needed."""
    return keras.initializers.get(name)


def spectral(layer, spectral_norm):
    """Wrap `layer` in SpectralNorm when asked: Miyato et al.'s reparameterisation W / sigma(W)
    (layers/spectral_norm.py), the kernel variable stays W and the gradient flows through
    sigma. Each training call runs one power iteration, so a discriminator called on reals
    and fakes separately runs two per step (as PyTorch's and Chainer's SN layers do)."""
    if not spectral_norm:
        return layer
    return SpectralNorm(layer, name=f"{layer.name}_sn")


def conv(x, filters, kernel, name, spectral_norm, init, use_bias=True):
    layer = layers.Conv2D(filters, kernel, padding="same", use_bias=use_bias, kernel_initializer=initializer(init),
                          name=name)
    return spectral(layer, spectral_norm)(x)


def dense(x, units, name, spectral_norm, init, use_bias=True):
    layer = layers.Dense(units, use_bias=use_bias, kernel_initializer=initializer(init), name=name)
    return spectral(layer, spectral_norm)(x)


def batch_norm(x, cond, name, num_classes=None, spectral_norm=False, init="zeros"):
    """Plain synchronized batch norm when cond is None, else ConditionalBatchNormalization on
    [x, cond] (int labels with num_classes, or a float vector)."""
    if cond is None:
        return layers.BatchNormalization(momentum=0.9, epsilon=1e-5, synchronized=True, name=name)(x)
    return ConditionalBatchNormalization(num_classes=num_classes, momentum=0.9, epsilon=1e-5, synchronized=True,
                                         kernel_initializer=initializer(init), spectral_norm=spectral_norm,
                                         name=name)([x, cond])


def generator_block(x, cond, filters, name, spectral_norm, init, num_classes=None, cbn_init="zeros"):
    h = batch_norm(x, cond, f"{name}_bn1", num_classes, spectral_norm and cbn_init != "zeros", cbn_init)
    h = layers.ReLU(name=f"{name}_relu1")(h)
    h = NearestUpsample2D(2, name=f"{name}_up")(h)  # = UpSampling2D; TFLite builtins (layers/progressive.py)
    h = conv(h, filters, 3, f"{name}_conv1", spectral_norm, init, use_bias=False)
    h = batch_norm(h, cond, f"{name}_bn2", num_classes, spectral_norm and cbn_init != "zeros", cbn_init)
    h = layers.ReLU(name=f"{name}_relu2")(h)
    h = conv(h, filters, 3, f"{name}_conv2", spectral_norm, init, use_bias=False)
    shortcut = NearestUpsample2D(2, name=f"{name}_up_sc")(x)
    shortcut = conv(shortcut, filters, 1, f"{name}_conv_sc", spectral_norm, init, use_bias=False)
    return layers.Add(name=f"{name}_add")([h, shortcut])


def discriminator_block(x, filters, name, spectral_norm, init, downsample=True, first=False):
    h = x if first else layers.ReLU(name=f"{name}_relu0")(x)
    h = conv(h, filters, 3, f"{name}_conv1", spectral_norm, init)
    h = layers.ReLU(name=f"{name}_relu1")(h)
    h = conv(h, filters, 3, f"{name}_conv2", spectral_norm, init)
    if downsample:
        h = layers.AveragePooling2D(2, name=f"{name}_pool")(h)
    shortcut = x
    if first:  # pool first: the 1x1 conv then runs on a quarter of the pixels (the reference's order)
        shortcut = layers.AveragePooling2D(2, name=f"{name}_pool_sc")(shortcut)
        shortcut = conv(shortcut, filters, 1, f"{name}_conv_sc", spectral_norm, init)
    elif downsample or x.shape[-1] != filters:
        shortcut = conv(shortcut, filters, 1, f"{name}_conv_sc", spectral_norm, init)
        if downsample:
            shortcut = layers.AveragePooling2D(2, name=f"{name}_pool_sc")(shortcut)
    return layers.Add(name=f"{name}_add")([h, shortcut])


def check_common(what, channels, base_filters, max_multiplier, spectral_norm, init):
    check_int(channels, f"{what}: channels")
    check_int(base_filters, f"{what}: base_filters")
    check_power_of_two(max_multiplier, f"{what}: max_multiplier")
    check_bool(spectral_norm, f"{what}: spectral_norm")
    if init not in INITIALIZERS:
        raise ConfigError(f"{what}: kernel_initializer must be one of {list(INITIALIZERS)}, got {init!r}")


def check_attention(resolution, valid, what):
    """0 turns attention off; otherwise one of the block resolutions `valid`."""
    resolution = check_int(resolution, f"{what}: attention_resolution", minimum=0)
    if resolution and resolution not in valid:
        raise ConfigError(f"{what}: attention_resolution must be 0 (off) or one of {sorted(valid)}, "
                          f"got {resolution}")
    return resolution


def generator_widths(base_filters, n_up, max_multiplier):
    """[input map width, block 0 output, ..., block n_up - 1 output]."""
    return [base_filters * min(2 ** (n_up - k), max_multiplier) for k in range(n_up + 1)]


def attend(x, resolution, attention_resolution, name, spectral_norm, init):
    if attention_resolution and x.shape[1] == resolution == attention_resolution:
        if x.shape[-1] < 8:
            raise ConfigError(f"{name}: self-attention at {resolution} px needs >= 8 channels there, "
                              f"got {x.shape[-1]}: raise base_filters")
        return SelfAttention(spectral_norm=spectral_norm, kernel_initializer=init, name=name)(x)
    return x


def residual_discriminator(image_size, channels, num_classes, base_filters, min_size, max_multiplier,
                           attention_resolution, spectral_norm, init, what):
    """The SAGAN / BigGAN discriminator: a first block, pre-activation down blocks to min_size,
    one more block without pooling, ReLU, a sum over positions, then a dense logit, or the
    projection head (Miyato & Koyama 2018) when num_classes > 0."""
    check_common(what, channels, base_filters, max_multiplier, spectral_norm, init)
    num_classes = check_int(num_classes, f"{what}: num_classes", minimum=0)
    image_size, min_size, n_down = levels(image_size, min_size, what)
    attention_resolution = check_attention(attention_resolution, {image_size >> k for k in range(1, n_down + 1)},
                                           what)
    image = keras.Input((image_size, image_size, channels), name="image")
    inputs = [image]
    h = image
    for k in range(n_down):
        h = discriminator_block(h, base_filters * min(2 ** k, max_multiplier), f"block{k}", spectral_norm, init,
                                first=k == 0)
        h = attend(h, image_size >> (k + 1), attention_resolution, f"attention{k}", spectral_norm, init)
    h = discriminator_block(h, h.shape[-1], f"block{n_down}", spectral_norm, init, downsample=False)
    h = layers.ReLU(name="relu")(h)
    # the sum over positions of the reference code: the mean times H * W, with stock layers
    features = layers.GlobalAveragePooling2D(name="mean_pool")(h)
    features = layers.Rescaling(float(h.shape[1] * h.shape[2]), name="sum_pool")(features)
    if num_classes:
        label = keras.Input((), dtype="int32", name="label")
        inputs.append(label)
        logit = ProjectionDiscriminatorHead(num_classes, spectral_norm=spectral_norm, kernel_initializer=init,
                                            name="projection")([features, label])
    else:
        logit = dense(features, 1, "logit", spectral_norm, init)
    return keras.Model(inputs if num_classes else image, float32_output(logit, "linear", "logits"), name=what)
