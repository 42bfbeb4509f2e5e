"""InfoGAN's MNIST networks (Chen et al. 2016, Appendix C.1): shapes, parameter counts, a NumPy forward."""
import keras
import numpy as np
import pytest
from keras import layers

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.networks import infogan_mnist_discriminator, infogan_mnist_generator


def trainable(model):
    return sum(int(np.prod(w.shape)) for w in model.trainable_weights)


def test_reference_sizes():
    """The paper's MNIST sizes: 74 inputs, FC 1024, FC 7x7x128, deconv 64, deconv 1; D conv 64, conv 128,
    FC 1024, Q FC 128 -> 10 logits + 2 means. BN-followed layers carry no bias (gamma, beta instead); the
    BN after FC 7x7x128 is per unit of the vector (6272), as the reference's fc_batch_norm."""
    g = infogan_mnist_generator(latent_dim=74, image_size=28, channels=1)
    assert g.input_shape == (None, 74) and g.output_shape == (None, 28, 28, 1)
    assert [l.output.shape[1:] for l in g.layers if isinstance(l, layers.Conv2DTranspose)] == [(14, 14, 64), (28, 28, 1)]
    assert trainable(g) == (74 * 1024 + 2 * 1024) + (1024 * 6272 + 2 * 6272) + (16 * 128 * 64 + 2 * 64) + (16 * 64 + 1)
    d = infogan_mnist_discriminator(image_size=28, channels=1)
    assert {k: tuple(v.shape) for k, v in d.output.items()} == {
        "adv": (None, 1), "category_logits": (None, 10), "continuous_mean": (None, 2)}
    assert trainable(d) == ((16 * 64 + 64) + (16 * 64 * 128 + 2 * 128) + (6272 * 1024 + 2 * 1024) + (1024 + 1)
                            + (1024 * 128 + 2 * 128) + (128 * 10 + 10) + (128 * 2 + 2))
    norms = [l for l in d.layers if isinstance(l, layers.BatchNormalization)]
    assert [l.name for l in norms] == ["down1_norm", "fc_norm", "q_norm"]  # none on the first convolution
    assert all(l.momentum == 0.9 and l.epsilon == 1e-5 for l in norms)  # the reference's EMA 0.9, eps 1e-5
    assert all(abs(l.negative_slope - 0.01) < 1e-9 for l in d.layers if isinstance(l, layers.LeakyReLU))


def _bn(x, layer):
    gamma, beta, mean, var = [w.numpy() for w in layer.weights]
    return gamma * (x - mean) / np.sqrt(var + layer.epsilon) + beta


def test_generator_fully_connected_part_matches_numpy():
    g = infogan_mnist_generator(latent_dim=5, image_size=8, channels=1, hidden_units=6, base_filters=3)
    z = np.random.default_rng(0).uniform(-1, 1, (4, 5)).astype(np.float32)
    fc, project = g.get_layer("fc").kernel.numpy(), g.get_layer("project").kernel.numpy()
    h = np.maximum(_bn(z @ fc, g.get_layer("fc_norm")), 0)
    h = np.maximum(_bn(h @ project, g.get_layer("project_norm")), 0).reshape(4, 2, 2, 6)
    inner = keras.Model(g.input, g.get_layer("reshape").output)
    np.testing.assert_allclose(inner(z, training=False).numpy(), h, rtol=1e-5, atol=1e-6)
    out = g(z, training=False).numpy()
    assert out.shape == (4, 8, 8, 1) and np.all(np.abs(out) <= 1)


def test_discriminator_heads_share_the_trunk_and_match_numpy():
    d = infogan_mnist_discriminator(image_size=8, channels=1, num_categories=3, num_continuous=1, learn_std=True,
                                    hidden_units=6, q_units=4, base_filters=2, leaky_slope=0.1)
    x = np.random.default_rng(1).uniform(-1, 1, (5, 8, 8, 1)).astype(np.float32)
    shared = keras.Model(d.input, d.get_layer("fc_lrelu").output)(x, training=False).numpy()
    out = {k: v.numpy() for k, v in d(x, training=False).items()}

    def dense(name, h):
        layer = d.get_layer(name)
        return h @ layer.kernel.numpy() + (layer.bias.numpy() if layer.use_bias else 0)

    def lrelu(h):
        return np.where(h > 0, h, 0.1 * h)

    np.testing.assert_allclose(out["adv"], dense("logit", shared), rtol=1e-5, atol=1e-6)
    q = lrelu(_bn(dense("q_hidden", shared), d.get_layer("q_norm")))
    for name, width in (("category_logits", 3), ("continuous_mean", 1), ("continuous_log_std", 1)):
        assert out[name].shape == (5, width)
        np.testing.assert_allclose(out[name], dense(f"{name}_dense", q), rtol=1e-5, atol=1e-6)
    assert "continuous_mean" not in infogan_mnist_discriminator(image_size=8, channels=1, num_continuous=0,
                                                                hidden_units=4, q_units=4, base_filters=2).output


def test_errors():
    with pytest.raises(ConfigError, match="multiple of 4"):
        infogan_mnist_generator(latent_dim=4, image_size=30, channels=1)
    with pytest.raises(ConfigError, match="multiple of 4"):
        infogan_mnist_discriminator(image_size=26, channels=1)
    with pytest.raises(ConfigError, match="num_categories"):
        infogan_mnist_discriminator(image_size=28, channels=1, num_categories=1)
    with pytest.raises(ConfigError, match="leaky_slope"):
        infogan_mnist_discriminator(image_size=28, channels=1, leaky_slope=1.5)
