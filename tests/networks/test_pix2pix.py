"""pix2pix U-Net and PatchGAN, including an empirical receptive-field check."""
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.layers.replica_dropout import ReplicaDropout
from tfgan_zoo.layers.spectral_norm import SpectralNorm
from tfgan_zoo.networks import patchgan, patchgan_receptive_field, unet


def trainable(model):
    return sum(int(np.prod(w.shape)) for w in model.trainable_weights)


@pytest.mark.parametrize("size", [8, 16, 32])
def test_unet_shapes_and_tanh_range(size):
    g = unet(size, in_channels=1, out_channels=3, base_filters=4)
    assert g.input_shape == (None, size, size, 1) and g.output_shape == (None, size, size, 3)
    x = np.random.default_rng(0).uniform(-1, 1, (2, size, size, 1)).astype(np.float32) * 100.0
    out = g(x, training=True).numpy()
    assert out.min() >= -1.0 and out.max() <= 1.0 and out.std() > 0


def test_unet_structure_bottleneck_skips_and_dropout():
    g = unet(32, 3, 3, base_filters=4, max_filters=16, num_dropout=2)
    downs = [g.get_layer(f"down{i}") for i in range(5)]  # depth 0 -> log2(32) = 5, down to 1x1
    assert [d.filters for d in downs] == [4, 8, 16, 16, 16]
    assert downs[-1].output.shape[1:3] == (1, 1)
    names = [l.name for l in g.layers]
    assert "down0_norm" not in names and "down4_norm" not in names and "down1_norm" in names
    assert [n for n in names if n.endswith("dropout")] == ["up3_dropout", "up2_dropout"]  # innermost first
    skips = [l for l in g.layers if isinstance(l, layers.Concatenate)]
    assert len(skips) == 4 and skips[0].output.shape[-1] == 2 * 16


def test_unet_explicit_depth_and_dropout_clamp():
    g = unet(24, 3, 3, base_filters=4, depth=3, num_dropout=10)
    assert g.output_shape == (None, 24, 24, 3)
    assert g.get_layer("down2").output.shape[1:3] == (3, 3)
    assert sum(isinstance(l, ReplicaDropout) for l in g.layers) == 2  # depth - 1 decoder blocks


def test_unet_parameter_count_matches_the_reference_unet_256():
    # pix2pix's unet_256 (ngf=64, batch norm) prints 54.414 M parameters: 54,413,955. Ours add a
    # bias to the two encoder convolutions that have no norm: the first (64) and the bottleneck (512).
    assert trainable(unet(256, 3, 3)) == 54_413_955 + 64 + 512


@pytest.mark.parametrize("kwargs, match", [
    (dict(image_size=24), "power of two"), (dict(image_size=24, depth=4), "divisible by 2\\*\\*depth"),
    (dict(dropout=1.0), "dropout"), (dict(norm="weird"), "norm"), (dict(num_dropout=-1), "num_dropout"),
])
def test_unet_config_errors(kwargs, match):
    with pytest.raises(ConfigError, match=match) as err:
        unet(**(dict(image_size=16, in_channels=3, out_channels=3) | kwargs))
    assert "\n" not in str(err.value)


def test_patchgan_70_at_256():
    d = patchgan(256, in_channels=6)
    assert d.output_shape == (None, 30, 30, 1)
    assert patchgan_receptive_field(3) == 70
    assert trainable(d) == 2_768_705  # the reference 70x70 PatchGAN for 3+3 channels: 2.769 M


def test_receptive_field_formula_for_other_depths():
    assert [patchgan_receptive_field(n) for n in (1, 2, 3, 4)] == [16, 34, 70, 142]


@pytest.mark.parametrize("n_layers", [2, 3])
def test_receptive_field_is_the_window_of_nonzero_input_gradient(n_layers):
    size = 96 if n_layers == 3 else 48
    d = patchgan(size, in_channels=1, base_filters=2, n_layers=n_layers, norm="none")
    x = tf.random.normal((1, size, size, 1), seed=1)
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = d(x, training=False)
        centre = out.shape[1] // 2
        pixel = out[0, centre, centre, 0]
    grad = np.abs(tape.gradient(pixel, x).numpy()[0, :, :, 0])
    rows, cols = np.nonzero(grad)
    field = patchgan_receptive_field(n_layers)
    assert rows.min() > 0 and cols.min() > 0 and rows.max() < size - 1  # not clipped by the border
    assert rows.max() - rows.min() + 1 == field and cols.max() - cols.min() + 1 == field
    window = grad[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    assert (window > 0).all()  # every pixel of the window matters, none outside it


@pytest.mark.parametrize("n_layers, side", [(1, 6), (2, 2)])
def test_patchgan_small_images(n_layers, side):
    d = patchgan(16, in_channels=4, base_filters=4, n_layers=n_layers)
    assert d.output_shape == (None, side, side, 1)
    assert d(np.zeros((2, 16, 16, 4), np.float32), training=True).shape == (2, side, side, 1)


def test_patchgan_options_and_errors():
    d = patchgan(32, 2, base_filters=4, norm="instance", spectral_norm=True)
    assert sum(isinstance(l, SpectralNorm) for l in d.layers) == 5
    assert sum(isinstance(l, layers.GroupNormalization) for l in d.layers) == 3  # not first, not output
    with pytest.raises(ConfigError, match="too small for n_layers=3 .*needs >= 24") as err:
        patchgan(16, 4, n_layers=3)
    assert "\n" not in str(err.value)
    with pytest.raises(ConfigError, match="n_layers"):
        patchgan(16, 4, n_layers=0)
