"""MLP generator and discriminator for the 2-D point sets."""
import numpy as np
import pytest
from keras import layers

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.layers.spectral_norm import SpectralNorm
from tfgan_zoo.networks import mlp_discriminator, mlp_generator


def test_generator_maps_noise_to_unbounded_points():
    g = mlp_generator(latent_dim=4, hidden_units=16, num_layers=2)
    assert g.input_shape == (None, 4) and g.output_shape == (None, 2)
    assert sum(isinstance(l, layers.Dense) for l in g.layers) == 3
    # 4*16+16 + 16*16+16 + 16*2+2 weights
    assert g.count_params() == 80 + 272 + 34
    z = np.random.default_rng(0).normal(size=(64, 4)).astype(np.float32) * 100.0
    assert np.abs(g(z).numpy()).max() > 1.0  # linear output, not squashed into [-1, 1]


def test_generator_output_dim():
    assert mlp_generator(latent_dim=3, output_dim=5).output_shape == (None, 5)


@pytest.mark.parametrize("spectral_norm", [False, True])
def test_discriminator_logit(spectral_norm):
    d = mlp_discriminator(hidden_units=8, num_layers=3, spectral_norm=spectral_norm)
    assert d.input_shape == (None, 2) and d.output_shape == (None, 1)
    wrapped = sum(isinstance(l, SpectralNorm) for l in d.layers)
    bare = sum(isinstance(l, layers.Dense) for l in d.layers)
    assert (wrapped, bare) == ((4, 0) if spectral_norm else (0, 4))
    assert d(np.zeros((5, 2), np.float32), training=True).shape == (5, 1)


def test_errors():
    with pytest.raises(ConfigError, match="latent_dim"):
        mlp_generator(latent_dim=0)
    with pytest.raises(ConfigError, match="hidden_units"):
        mlp_discriminator(hidden_units=-3)
    with pytest.raises(ConfigError, match="spectral_norm"):
        mlp_discriminator(spectral_norm=1)
