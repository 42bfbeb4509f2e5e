"""Miyato et al.'s standard CNN (networks/sngan.py): the paper's layer sequence at 32 px, how it
adapts to 16 and 64 px, spectral norm on every D layer, and the bad-input errors."""
import numpy as np
import pytest
from keras import layers

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.layers.spectral_norm import SpectralNorm
from tfgan_zoo.networks import sngan_cnn_discriminator, sngan_cnn_generator


def _convs(model):
    """(kernel, stride, filters) of every conv / transposed conv / dense, in order."""
    out = []
    for layer in model.layers:
        inner = layer.layer if isinstance(layer, SpectralNorm) else layer
        if isinstance(inner, layers.Dense):
            out.append(("dense", inner.units))
        elif isinstance(inner, (layers.Conv2D, layers.Conv2DTranspose)):
            kind = "deconv" if isinstance(inner, layers.Conv2DTranspose) else "conv"
            out.append((kind, inner.kernel_size[0], inner.strides[0], inner.filters))
    return out


def test_discriminator_is_the_papers_standard_cnn_at_32_px():
    d = sngan_cnn_discriminator(32, 3)
    assert _convs(d) == [("conv", 3, 1, 64), ("conv", 4, 2, 64), ("conv", 3, 1, 128), ("conv", 4, 2, 128),
                         ("conv", 3, 1, 256), ("conv", 4, 2, 256), ("conv", 3, 1, 512), ("dense", 1)]
    assert d.get_layer("flatten").output.shape[-1] == 4 * 4 * 512
    assert {l.negative_slope for l in d.layers if isinstance(l, layers.LeakyReLU)} == {0.1}
    wrapped = [l for l in d.layers if isinstance(l, SpectralNorm)]
    assert len(wrapped) == 8 and not [l for l in d.layers if isinstance(l, (layers.Conv2D, layers.Dense))]
    assert d(np.zeros((2, 32, 32, 3), np.float32), training=True).shape == (2, 1)


@pytest.mark.parametrize("size, strides", [(16, [2, 2, 1]), (64, [2, 2, 2, 2])])
def test_discriminator_keeps_the_sequence_and_ends_at_min_size(size, strides):
    d = sngan_cnn_discriminator(size, 1, base_filters=4)
    convs = _convs(d)
    assert [c[2] for c in convs[1:-2:2]] == strides          # the 4x4 conv of each pair
    assert all(c[1:3] == (3, 1) for c in convs[0:-1:2])      # 3x3 stride 1 before each, and last
    assert d.get_layer("flatten").output.shape[-1] == 4 * 4 * 32
    assert convs[-2] == ("conv", 3, 1, 32) and len(convs) == 2 * len(strides) + 2


def test_generator_is_the_papers_standard_cnn():
    g = sngan_cnn_generator(128, 32, 3)
    assert _convs(g) == [("dense", 4 * 4 * 512), ("deconv", 4, 2, 256), ("deconv", 4, 2, 128), ("deconv", 4, 2, 64),
                         ("conv", 3, 1, 3)]
    assert sum(isinstance(l, layers.BatchNormalization) for l in g.layers) == 4
    assert _convs(sngan_cnn_generator(8, 16, 1))[1:] == [("deconv", 4, 2, 128), ("deconv", 4, 2, 64), ("conv", 3, 1, 1)]
    out = g(np.zeros((2, 128), np.float32)).numpy()
    assert out.shape == (2, 32, 32, 3) and np.all(np.abs(out) <= 1)


@pytest.mark.parametrize("builder, kwargs, match", [
    (sngan_cnn_discriminator, dict(image_size=24, channels=1), "power of two"),
    (sngan_cnn_discriminator, dict(image_size=16, channels=1, spectral_norm=1), "spectral_norm"),
    (sngan_cnn_discriminator, dict(image_size=16, channels=1, min_size=16), "smaller than image_size"),
    (sngan_cnn_generator, dict(latent_dim=4, image_size=16, channels=1, norm="layer"), "norm"),
])
def test_bad_input(builder, kwargs, match):
    with pytest.raises(ConfigError, match=match):
        builder(**kwargs)
