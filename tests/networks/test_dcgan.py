"""DCGAN generator and discriminator."""
import numpy as np
import pytest
from keras import layers

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.layers.spectral_norm import SpectralNorm
from tfgan_zoo.networks import dcgan_discriminator, dcgan_generator


def trainable(model):
    return sum(int(np.prod(w.shape)) for w in model.trainable_weights)


@pytest.mark.parametrize("size", [8, 16, 32])
@pytest.mark.parametrize("channels", [1, 3])
def test_generator_shapes_and_tanh_range(size, channels):
    g = dcgan_generator(latent_dim=8, image_size=size, channels=channels, base_filters=4)
    assert g.input_shape == (None, 8) and g.output_shape == (None, size, size, channels)
    z = np.random.default_rng(0).normal(size=(3, 8)).astype(np.float32) * 50.0  # saturate on purpose
    out = g(z, training=False).numpy()
    assert out.shape == (3, size, size, channels) and out.dtype == np.float32
    assert out.min() >= -1.0 and out.max() <= 1.0 and out.std() > 0


@pytest.mark.parametrize("size", [8, 16, 32])
def test_discriminator_outputs_one_unbounded_logit(size):
    d = dcgan_discriminator(image_size=size, channels=3, base_filters=4)
    assert d.input_shape == (None, size, size, 3) and d.output_shape == (None, 1)
    assert d.layers[-1].get_config()["activation"] == "linear"
    x = np.random.default_rng(0).uniform(-1, 1, (2, size, size, 3)).astype(np.float32)
    assert d(x, training=False).shape == (2, 1)


def test_parameter_counts_match_the_reference_dcgan_64():
    # PyTorch DCGAN tutorial nets (nz=100, ngf=ndf=64): G 3,576,704, D 2,765,568, all convs
    # bias-free. Ours add a bias where no norm follows: G's output conv (3); D's first conv
    # (64) and its Dense logit (1).
    assert trainable(dcgan_generator(100, 64, 3)) == 3_576_704 + 3
    assert trainable(dcgan_discriminator(64, 3)) == 2_765_568 + 64 + 1


def test_filters_halve_towards_the_image_and_min_size_sets_the_start():
    g = dcgan_generator(16, 32, 3, base_filters=8, min_size=2)
    assert g.get_layer("reshape").output.shape[1:] == (2, 2, 64)
    assert [g.get_layer(f"up{i}").filters for i in (1, 2, 3)] == [32, 16, 8]
    assert dcgan_generator(16, 64, 3, max_filters=128).get_layer("reshape").output.shape[-1] == 128


@pytest.mark.parametrize("norm, kind", [("batch", layers.BatchNormalization), ("layer", layers.GroupNormalization),
                                        ("instance", layers.GroupNormalization), ("none", type(None))])
def test_discriminator_norm_choices_and_no_norm_on_the_first_layer(norm, kind):
    d = dcgan_discriminator(16, 1, base_filters=4, norm=norm)
    norms = [l for l in d.layers if isinstance(l, (layers.BatchNormalization, layers.GroupNormalization))]
    assert len(norms) == (0 if norm == "none" else 1)  # 16 -> 8 -> 4: two convs, the first bare
    assert all(isinstance(n, kind) for n in norms)
    if norm in ("layer", "instance"):
        channels = norms[0].input.shape[-1]  # groups=-1 resolves to one group per channel
        assert norms[0].groups == (1 if norm == "layer" else channels)
    assert "down0_norm" not in [l.name for l in d.layers]


def test_spectral_norm_wraps_every_conv_and_dense():
    d = dcgan_discriminator(16, 3, base_filters=4, spectral_norm=True)
    wrapped = [l.layer for l in d.layers if isinstance(l, SpectralNorm)]
    bare = [l for l in d.layers if isinstance(l, (layers.Conv2D, layers.Dense))]
    assert len(wrapped) == 3 and not bare  # two convs and the logit
    x = np.ones((2, 16, 16, 3), np.float32)
    assert d(x, training=True).shape == (2, 1)


@pytest.mark.parametrize("kwargs, match", [
    (dict(image_size=24), "power of two"), (dict(image_size=4), ">= 8"), (dict(image_size=48), "power of two"),
    (dict(min_size=16), "smaller than image_size"), (dict(min_size=3), "min_size"), (dict(norm="group"), "norm"),
    (dict(latent_dim=0), "latent_dim"), (dict(base_filters=2.5), "base_filters"),
])
def test_generator_config_errors_are_one_line(kwargs, match):
    args = dict(latent_dim=8, image_size=16, channels=3) | kwargs
    with pytest.raises(ConfigError, match=match) as err:
        dcgan_generator(**args)
    assert "\n" not in str(err.value) and "dcgan_generator" in str(err.value)


@pytest.mark.parametrize("kwargs, match", [
    (dict(image_size=12), "power of two"), (dict(leaky_slope=1.5), "leaky_slope"),
    (dict(spectral_norm="yes"), "spectral_norm"), (dict(spectral_norm=1), "true or false"),
    (dict(norm="Batch"), "norm"),
])
def test_discriminator_config_errors(kwargs, match):
    with pytest.raises(ConfigError, match=match):
        dcgan_discriminator(**(dict(image_size=16, channels=3) | kwargs))
