"""DCGAN and Pix2Pix through the one train_step: losses finite, G and D both move."""
import numpy as np
import pytest

from tests.testing import assert_finite, assert_weights_changed, build, fit_steps, snapshot, tiny_config


@pytest.mark.parametrize("family", ["dcgan", "pix2pix"])
def test_train_step_moves_both_networks(family):
    cfg = tiny_config(family)
    ds, info, model = build(cfg)
    g0 = snapshot(model.generator.trainable_variables)
    d0 = snapshot(model.discriminator.trainable_variables)
    history = fit_steps(model, cfg, ds, 2)
    assert_finite(history)
    assert {"d_loss", "g_loss", "d_adv", "g_adv"} <= set(history)
    assert_weights_changed(g0, snapshot(model.generator.trainable_variables))
    assert_weights_changed(d0, snapshot(model.discriminator.trainable_variables))
    assert int(model.g_optimizer.iterations.numpy()) == 2


def test_pix2pix_l1_term_is_weighted_l1():
    cfg = tiny_config("pix2pix", {"model": {"l1_weight": 7.0}})
    ds, info, model = build(cfg)
    batch = next(iter(ds.batch(4)))
    fake = model.generator(batch["source"], training=True)
    terms, _ = model.generator_terms(batch, fake)
    expected = 7.0 * np.mean(np.abs(batch["real"].numpy() - fake.numpy()))
    assert np.isclose(float(terms["g_l1"]), expected, rtol=1e-5)


def test_dcgan_losses_move_the_right_way_on_a_fixed_fake():
    """With G frozen, D updates lower the D loss on the same batch."""
    cfg = tiny_config("dcgan", {"train": {"d_learning_rate": 0.01}})
    ds, info, model = build(cfg)
    batch = {"real": next(iter(ds.batch(16)))["real"]}
    fake = model.generator(np.random.default_rng(0).standard_normal((16, 8)).astype("float32"))
    losses = []
    for _ in range(15):
        import tensorflow as tf
        with tf.GradientTape() as tape:
            terms, _ = model.discriminator_terms(batch, fake)
        variables = model.discriminator.trainable_variables
        model.d_optimizer.apply_gradients(zip(tape.gradient(terms["d_adv"], variables), variables))
        losses.append(float(terms["d_adv"]))
    assert losses[-1] < losses[0] * 0.7


def test_ema_generator_follows_the_ema_formula():
    cfg = tiny_config("dcgan", {"model": {"ema_decay": 0.75}})
    ds, info, model = build(cfg)
    assert model.export_generator() is model.ema_generator
    start = snapshot(model.generator.trainable_variables)
    assert all(np.allclose(a, b) for a, b in zip(start, snapshot(model.ema_generator.trainable_variables)))
    fit_steps(model, cfg, ds, 1)
    after = snapshot(model.generator.trainable_variables)
    ema = snapshot(model.ema_generator.trainable_variables)
    for s0, g1, e1 in zip(start, after, ema):
        np.testing.assert_allclose(e1, 0.75 * s0 + 0.25 * g1, rtol=1e-5, atol=1e-6)
