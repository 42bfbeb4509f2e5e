"""The Stacked MNIST (Unrolled-GAN setting) networks: shapes and widths."""
import numpy as np

from tfgan_zoo.networks.unrolled import unrolled_discriminator, unrolled_generator


def test_generator_upsamples_4_7_14_28_with_the_published_widths():
    g = unrolled_generator(latent_dim=256, channels=3)
    shapes = {layer.name: tuple(layer.output.shape[1:]) for layer in g.layers}
    assert shapes["reshape"] == (4, 4, 64)
    assert shapes["up1_crop"] == (7, 7, 32)
    assert shapes["up2"] == (14, 14, 16)
    assert shapes["up3"] == (28, 28, 8)
    out = g(np.random.default_rng(0).normal(size=(2, 256)).astype("float32"), training=False)
    assert out.shape == (2, 28, 28, 3)
    assert np.all(np.abs(np.asarray(out)) <= 1.0)


def test_discriminator_widths_2_4_8_and_one_logit():
    d = unrolled_discriminator(image_size=28, channels=6)
    shapes = {layer.name: tuple(layer.output.shape[1:]) for layer in d.layers}
    assert shapes["down0"] == (14, 14, 2)
    assert shapes["down1"] == (7, 7, 4)
    assert shapes["down2"] == (4, 4, 8)
    assert d(np.zeros((3, 28, 28, 6), "float32"), training=False).shape == (3, 1)
