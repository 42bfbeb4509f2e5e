"""The divergence families on the one train_step: each trains on ring with finite losses, both
networks moving and n_critic critic steps per generator step; WGAN's clipping, WGAN-GP / SNGAN
defaults, SN's sigma, f-GAN's divergence option, label smoothing / flips through a family.
(Training on digits and export == in process are the family harness's, tests/test_families.py.)"""
import numpy as np
import pytest
import tensorflow as tf

from tests.models.pointsets import build_points, points_config
from tests.testing import assert_finite, assert_weights_changed, build, fit_steps, snapshot, tiny_config
from tfgan_zoo.layers.spectral_norm import SpectralNorm
from tfgan_zoo.registry import FAMILIES

DIVERGENCE = ["gan", "nsgan", "lsgan", "wgan", "wgan_gp", "dragan", "fgan", "rsgan", "ragan", "sngan"]
ALL_NEW = DIVERGENCE + ["ebgan", "began"]


def _train_and_check(model, cfg, ds, steps=2):
    g0 = snapshot(model.generator.trainable_variables)
    d0 = snapshot(model.discriminator.trainable_variables)
    history = fit_steps(model, cfg, ds, steps)
    assert_finite(history)
    assert {"d_loss", "g_loss"} <= set(history)
    assert_weights_changed(g0, snapshot(model.generator.trainable_variables))
    assert_weights_changed(d0, snapshot(model.discriminator.trainable_variables))
    assert int(model.g_optimizer.iterations.numpy()) == steps
    # n_critic, or the burst of WGAN's first stage (models/schedule.py)
    assert int(model.d_optimizer.iterations.numpy()) == steps * model.sub_batches
    return history


@pytest.mark.parametrize("family", ALL_NEW)
def test_family_trains_on_ring(family):
    cfg = points_config(family)
    ds, info, model = build_points(cfg)
    _train_and_check(model, cfg, ds)


def test_defaults_follow_the_papers():
    wgan = tiny_config("wgan")
    assert wgan.model.n_critic == 5 and wgan.model.loss == "wasserstein"
    assert wgan.model.regularizers == [{"name": "weight_clipping", "clip": 0.01}]
    assert (wgan.train.optimizer, wgan.train.g_learning_rate, wgan.train.d_learning_rate) == ("rmsprop", 5e-5, 5e-5)
    assert wgan.train.optimizers == {"d": {"rho": 0.99}, "g": {"rho": 0.99}}  # PyTorch's RMSprop alpha
    gp = tiny_config("wgan_gp")
    assert gp.model.regularizers == [{"name": "gradient_penalty", "weight": 10.0}] and gp.model.n_critic == 5
    assert (gp.train.optimizer, gp.train.d_learning_rate, gp.train.beta_1, gp.train.beta_2) == ("adam", 1e-4, 0.0, 0.9)
    assert gp.discriminator["norm"] == "layer"
    sn = tiny_config("sngan")
    assert sn.model.loss == "hinge" and sn.discriminator["spectral_norm"] is True and sn.discriminator["norm"] == "none"
    user = tiny_config("wgan", {"train": {"d_learning_rate": 1e-3}})  # user values win
    assert user.train.d_learning_rate == 1e-3 and user.train.optimizer == "rmsprop"
    assert {f: FAMILIES.get(f).Params().loss for f in ("gan", "nsgan", "lsgan", "rsgan", "ragan", "fgan")} == {
        "gan": "minimax", "nsgan": "nonsaturating", "lsgan": "least_squares", "rsgan": "rsgan",
        "ragan": "ragan", "fgan": "fgan"}


def test_wgan_weights_stay_clipped():
    cfg = points_config("wgan", {"model": {"n_critic": 2}, "train": {"d_learning_rate": 0.05}})
    ds, info, model = build_points(cfg)
    fit_steps(model, cfg, ds, 2)
    weights = np.concatenate([w.ravel() for w in snapshot(model.discriminator.trainable_variables)])
    assert np.all(np.abs(weights) <= 0.01 + 1e-7)
    assert np.isclose(np.abs(weights).max(), 0.01)  # lr 0.05 pushes weights onto the boundary


def test_sngan_spectral_norms_are_one():
    cfg = tiny_config("sngan")
    ds, info, model = build(cfg)
    fit_steps(model, cfg, ds, 2)
    images = next(iter(ds.batch(4)))["real"]
    for _ in range(30):  # power iterations without weight updates
        model.discriminator(images, training=True)
    sn_layers = [l for l in model.discriminator.layers if isinstance(l, SpectralNorm)]
    assert len(sn_layers) == 2  # 8 px: one stride-2 convolution down to 4 px, and the logit
    for layer in sn_layers:
        kernel = np.asarray(layer.normalized_kernel())  # W / sigma, what the layer computes with
        sigma = np.linalg.svd(kernel.reshape(-1, kernel.shape[-1]), compute_uv=False)[0]
        assert abs(sigma - 1.0) < 0.02, (layer.name, sigma)


@pytest.mark.parametrize("divergence", ["kl", "pearson"])
def test_fgan_divergence_is_an_option(divergence):
    cfg = points_config("fgan", {"model": {"loss_options": {"divergence": divergence}}})
    ds, info, model = build_points(cfg)
    assert model.adversarial_loss.divergence == divergence
    assert_finite(fit_steps(model, cfg, ds, 2))


def test_label_smoothing_changes_the_d_loss_of_a_family():
    losses = {}
    for s in (0.0, 0.3):
        cfg = points_config("gan", {"model": {"loss_options": {"label_smoothing": s}}})
        ds, info, model = build_points(cfg)
        batch = {"real": tf.constant(next(iter(ds.batch(16)))["real"])}
        fake = model.generator(np.zeros((16, 4), "float32"))
        terms, out = model.discriminator_terms(batch, fake)
        logits = out["real"].numpy().ravel()
        sp = lambda x: np.log1p(np.exp(x))  # noqa: E731
        expected_real = np.mean((1 - s) * sp(-logits) + s * sp(logits))
        expected = expected_real + np.mean(sp(out["fake"].numpy().ravel()))
        np.testing.assert_allclose(float(terms["d_adv"]), expected, rtol=1e-5)
        losses[s] = float(terms["d_adv"])
    assert losses[0.0] != losses[0.3]
    cfg = points_config("nsgan", {"model": {"loss_options": {"label_flip": 0.2}}})  # noisy labels train
    ds, info, model = build_points(cfg)
    assert_finite(fit_steps(model, cfg, ds, 2))
