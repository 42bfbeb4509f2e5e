"""EBGAN and BEGAN: the energy losses against NumPy on fixed batches, BEGAN's k_t controller."""
import numpy as np
import tensorflow as tf

from tests.models.pointsets import build_points, points_config
from tests.testing import build, fit_steps, stream, tiny_config


def _fixed_batch(ds, n=8):
    return {"real": tf.constant(next(iter(ds.batch(n)))["real"])}


def test_ebgan_discriminator_loss_matches_numpy():
    cfg = tiny_config("ebgan")
    ds, info, model = build(cfg)
    batch = _fixed_batch(ds)
    fake = model.generator(np.random.default_rng(0).standard_normal((8, 8)).astype("float32"))
    x, f = batch["real"].numpy(), fake.numpy()
    e_real = np.mean((x - model.discriminator(x)[0].numpy()) ** 2, axis=(1, 2, 3))
    e_fake = np.mean((f - model.discriminator(f)[0].numpy()) ** 2, axis=(1, 2, 3))
    margin = float(np.median(e_fake))  # half the fakes inside the margin: the hinge matters
    model.adversarial_loss.margin = margin
    terms, _ = model.discriminator_terms(batch, fake)
    expected = e_real.mean() + np.maximum(0.0, margin - e_fake).mean()
    np.testing.assert_allclose(float(terms["d_adv"]), expected, rtol=1e-5)
    g_terms, _ = model.generator_terms(batch, fake)
    np.testing.assert_allclose(float(g_terms["g_adv"]), e_fake.mean(), rtol=1e-5)
    assert "g_pt" not in g_terms  # pt_weight 0: no pulling-away term


def test_ebgan_pulling_away_term_matches_numpy():
    cfg = points_config("ebgan", {"model": {"pt_weight": 0.1}})
    ds, info, model = build_points(cfg)
    fake = model.generator(np.random.default_rng(1).standard_normal((6, 4)).astype("float32"))
    terms, _ = model.generator_terms(_fixed_batch(ds), fake)
    s = model.discriminator(fake)[1].numpy()
    s = s / np.linalg.norm(s, axis=1, keepdims=True)
    cos2 = (s @ s.T) ** 2
    expected = 0.1 * (cos2.sum() - np.trace(cos2)) / (6 * 5)
    np.testing.assert_allclose(float(terms["g_pt"]), expected, rtol=1e-4)
    history = fit_steps(model, cfg, ds, 2)
    assert np.all(np.isfinite(history["g_pt"])) and history["g_pt"][-1] > 0


def test_ebgan_rejects_a_logit_loss():
    import pytest
    from tfgan_zoo.errors import ConfigError
    with pytest.raises(ConfigError, match="ebgan"):
        tiny_config("ebgan", {"model": {"loss": "hinge"}})


def test_began_k_t_follows_the_controller():
    cfg = tiny_config("began", {"model": {"gamma": 0.7, "lambda_k": 0.5, "k_init": 0.3}})
    ds, info, model = build(cfg)
    assert any(v is model.k_t or v.path == model.k_t.path for v in model.variables)  # checkpointed
    first = next(iter(stream(cfg, ds)))
    x = first["real"].numpy()
    l_real_before = np.mean(np.abs(x - model.discriminator(x)[0].numpy()))  # D weights of the D step
    history = fit_steps(model, cfg, ds, 1)
    l_real, l_fake = history["l_real"][0], history["l_fake"][0]
    np.testing.assert_allclose(l_real, l_real_before, rtol=1e-5)
    expected_k = np.clip(0.3 + 0.5 * (0.7 * l_real - l_fake), 0.0, 1.0)
    np.testing.assert_allclose(float(model.k_t.numpy()), expected_k, rtol=1e-5)
    np.testing.assert_allclose(history["k_t"][0], expected_k, rtol=1e-5)
    np.testing.assert_allclose(history["m_global"][0], l_real + abs(0.7 * l_real - l_fake), rtol=1e-5)
    np.testing.assert_allclose(history["g_adv"][0], l_fake, rtol=1e-5)
    assert float(model.k_t.numpy()) != 0.3


def test_began_discriminator_loss_uses_k():
    cfg = points_config("began", {"model": {"k_init": 0.25}})
    ds, info, model = build_points(cfg)
    batch = _fixed_batch(ds)
    fake = model.generator(np.random.default_rng(2).standard_normal((8, 4)).astype("float32"))
    terms, out = model.discriminator_terms(batch, fake)
    x, f = batch["real"].numpy(), fake.numpy()
    l_real = np.mean(np.abs(x - model.discriminator(x)[0].numpy()))
    l_fake = np.mean(np.abs(f - model.discriminator(f)[0].numpy()))
    np.testing.assert_allclose(float(terms["d_adv"]), l_real - 0.25 * l_fake, rtol=1e-5)
