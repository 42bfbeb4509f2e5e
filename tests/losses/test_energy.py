"""EBGAN / BEGAN against hand-computed numbers."""
import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo.losses import energy
from tfgan_zoo.losses.energy import EBGANLoss


def test_reconstruction_energy_is_per_sample_mse():
    x = np.array([[1.0, 2.0], [0.0, 0.0]]).reshape(2, 1, 2, 1)
    rec = np.array([[0.0, 0.0], [1.0, 3.0]]).reshape(2, 1, 2, 1)
    np.testing.assert_allclose(energy.reconstruction_energy(x, rec).numpy(), [2.5, 5.0])


def test_ebgan_margin_losses():
    e_real, e_fake = [0.2, 0.4], [0.5, 1.5]
    # 0.3 + mean(max(0, 1 - [0.5, 1.5])) = 0.3 + 0.25
    np.testing.assert_allclose(float(energy.ebgan_discriminator_loss(e_real, e_fake, 1.0)), 0.55)
    np.testing.assert_allclose(float(energy.ebgan_discriminator_loss(e_real, e_fake, 2.0)),
                               0.3 + 1.0)
    np.testing.assert_allclose(float(energy.ebgan_generator_loss(e_fake)), 1.0)
    loss = EBGANLoss(margin=1.0)
    np.testing.assert_allclose(float(loss.discriminator(e_real, e_fake)), 0.55)
    np.testing.assert_allclose(float(loss.generator(e_fake)), 1.0)


def test_pulling_away_term():
    # s1 = (1, 0), s2 = (1, 1)/sqrt2: cos^2 = 0.5 for both ordered pairs -> (0.5+0.5)/(2*1)
    np.testing.assert_allclose(float(energy.pulling_away_term([[2.0, 0.0], [3.0, 3.0]])), 0.5,
                               rtol=1e-6)
    np.testing.assert_allclose(float(energy.pulling_away_term(np.eye(3))), 0.0, atol=1e-7)
    np.testing.assert_allclose(float(energy.pulling_away_term(np.ones((4, 2, 1, 1)))), 1.0,
                               rtol=1e-6)


def _began_batch():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    ae_x = np.array([[1.0, 1.0], [3.0, 6.0]])     # |diff| [[0, 1], [0, 2]] -> L = [0.5, 1.0]
    g = np.array([[0.0, 0.0], [1.0, 1.0]])
    ae_g = np.array([[2.0, 0.0], [1.0, -1.0]])    # |diff| [[2, 0], [0, 2]] -> L = [1.0, 1.0]
    return energy.began_autoencoder_loss(x, ae_x), energy.began_autoencoder_loss(g, ae_g)


def test_began_losses_k_update_and_convergence():
    l_real, l_fake = _began_batch()
    np.testing.assert_allclose(l_real.numpy(), [0.5, 1.0])
    np.testing.assert_allclose(l_fake.numpy(), [1.0, 1.0])
    np.testing.assert_allclose(float(energy.began_discriminator_loss(l_real, l_fake, 0.3)),
                               0.75 - 0.3)
    np.testing.assert_allclose(float(energy.began_generator_loss(l_fake)), 1.0)
    # 0.3 + 0.1 * (0.5 * 0.75 - 1.0) = 0.2375
    np.testing.assert_allclose(float(energy.began_k_update(0.3, l_real, l_fake, 0.5, 0.1)),
                               0.2375, rtol=1e-6)
    np.testing.assert_allclose(float(energy.began_convergence(l_real, l_fake, 0.5)), 1.375)


def test_began_k_is_clipped_to_unit_interval():
    l_real, l_fake = _began_batch()
    assert float(energy.began_k_update(0.01, l_real, l_fake, 0.5, 0.1)) == 0.0
    assert float(energy.began_k_update(0.99, l_real, tf.zeros([2]), 0.5, 0.1)) == 1.0


def test_began_k_is_a_constant_for_the_discriminator_gradient():
    l_real, l_fake = tf.constant([0.5, 1.0]), tf.constant([1.0, 1.0])
    k = tf.Variable(0.3)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([l_real, l_fake])
        d = energy.began_discriminator_loss(l_real, l_fake, k)
    assert tape.gradient(d, k) is None
    np.testing.assert_allclose(tape.gradient(d, l_fake).numpy(), [-0.15, -0.15], rtol=1e-6)


def test_ebgan_rejects_bad_margin():
    from tfgan_zoo.errors import ConfigError
    with pytest.raises(ConfigError, match="margin"):
        EBGANLoss(margin=0.0)
