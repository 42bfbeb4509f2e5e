"""PacGAN's 2-D networks (networks/pacgan.py): the reference's layer sizes and initialisers, and
maxout against NumPy."""
import numpy as np
import pytest

from tfgan_zoo.networks.pacgan import (Maxout, pacgan_discriminator, pacgan_encoder, pacgan_generator,
                                       pacgan_joint_discriminator)
from tfgan_zoo.registry import NETWORKS


def test_maxout_is_the_max_over_each_units_pieces():
    layer = Maxout(3, 4)
    x = np.random.default_rng(0).normal(size=(5, 2)).astype(np.float32)
    y = layer(x).numpy()
    kernel, bias = (w.numpy() for w in layer.linear.weights)
    linear = (x @ kernel + bias).reshape(5, 3, 4)
    np.testing.assert_allclose(y, linear.max(-1), rtol=1e-6)


def test_generator_is_four_bias_free_dense_bn_relu_blocks_then_a_linear_point():
    g = pacgan_generator(latent_dim=2)
    dense = [layer for layer in g.layers if type(layer).__name__ == "Dense"]
    assert [d.units for d in dense] == [400, 400, 400, 400, 2]
    assert [d.use_bias for d in dense] == [False] * 4 + [True]
    bns = [layer for layer in g.layers if type(layer).__name__ == "BatchNormalization"]
    assert len(bns) == 4 and all(b.momentum == 0.95 for b in bns)
    assert g.count_params() == 2 * 400 + 3 * 400 * 400 + 4 * 4 * 400 + 400 * 2 + 2
    assert np.std(dense[1].kernel.numpy()) == pytest.approx(0.02, rel=0.05)


@pytest.mark.parametrize("pack", [1, 2, 4])
def test_discriminator_is_three_maxout_layers_of_200_by_5_then_a_logit(pack):
    d = pacgan_discriminator(input_dim=2 * pack)
    assert d.count_params() == (2 * pack + 1) * 1000 + 2 * 201 * 1000 + 201
    assert d(np.zeros((3, 2 * pack), np.float32)).shape == (3, 1)


def test_ali_networks():
    e = pacgan_encoder(latent_dim=2)
    out = e(np.zeros((3, 2), np.float32))
    assert set(out) == {"mean", "log_std"} and out["mean"].shape == (3, 2)
    d = pacgan_joint_discriminator(latent_dim=2)
    assert d([np.zeros((3, 2), np.float32), np.zeros((3, 2), np.float32)]).shape == (3, 1)
    assert d.count_params() == 5 * 1000 + 2 * 201 * 1000 + 201


def test_registered():
    for name in ("pacgan_generator", "pacgan_discriminator", "pacgan_encoder", "pacgan_joint_discriminator"):
        assert NETWORKS.get(name).__name__ == name
