"""The original GAN's fully connected MNIST networks (Goodfellow et al. 2014)."""
import numpy as np
import pytest
from keras import layers

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.networks import goodfellow_discriminator, goodfellow_generator
from tfgan_zoo.networks.pacgan import Maxout


def test_generator_shapes_params_and_range():
    g = goodfellow_generator(latent_dim=5, image_size=4, channels=1, hidden_units=7)
    assert g.input_shape == (None, 5) and g.output_shape == (None, 4, 4, 1)
    # 5*7+7 + 7*7+7 + 7*16+16
    assert g.count_params() == 42 + 56 + 128
    z = np.random.default_rng(0).uniform(-1, 1, (8, 5)).astype(np.float32)
    w0, b0, w1, b1, w2, b2 = [v.numpy() for v in g.weights]
    h = np.maximum(np.maximum(z @ w0 + b0, 0) @ w1 + b1, 0)
    expected = np.tanh(h @ w2 + b2).reshape(8, 4, 4, 1)  # tanh onto [-1, 1]
    np.testing.assert_allclose(g(z).numpy(), expected, rtol=1e-5, atol=1e-6)


def test_generator_reference_size():
    g = goodfellow_generator(latent_dim=100, image_size=16, channels=1)
    assert g.count_params() == (100 * 1200 + 1200) + (1200 * 1200 + 1200) + (1200 * 256 + 256)


def test_discriminator_shapes_params_and_dropout():
    d = goodfellow_discriminator(image_size=4, channels=1, hidden_units=3, pieces=2)
    assert d.input_shape == (None, 4, 4, 1) and d.output_shape == (None, 1)
    assert sum(isinstance(l, Maxout) for l in d.layers) == 2
    assert [l.rate for l in d.layers if isinstance(l, layers.Dropout)] == [0.2, 0.5, 0.5]
    # 16*6+6 + 3*6+6 + 3+1
    assert d.count_params() == 102 + 24 + 4
    x = np.random.default_rng(1).uniform(-1, 1, (6, 4, 4, 1)).astype(np.float32)
    np.testing.assert_allclose(d(x, training=False), d(x, training=False))
    assert d(x, training=True).shape == (6, 1)


def test_discriminator_matches_numpy_maxout():
    d = goodfellow_discriminator(image_size=2, channels=1, hidden_units=3, pieces=2, num_layers=1)
    x = np.random.default_rng(2).uniform(-1, 1, (4, 2, 2, 1)).astype(np.float32)
    w, b, w2, b2 = [v.numpy() for v in d.weights]
    h = (x.reshape(4, 4) @ w + b).reshape(4, 3, 2).max(-1)
    np.testing.assert_allclose(d(x, training=False).numpy(), h @ w2 + b2, rtol=1e-5, atol=1e-6)


def test_errors():
    with pytest.raises(ConfigError, match="latent_dim"):
        goodfellow_generator(latent_dim=0, image_size=4, channels=1)
    with pytest.raises(ConfigError, match="input_dropout"):
        goodfellow_discriminator(image_size=4, channels=1, input_dropout=1.0)
    with pytest.raises(ConfigError, match="pieces"):
        goodfellow_discriminator(image_size=4, channels=1, pieces=0)
