"""SAGAN, BigGAN, LapGAN and StackGAN: their family-specific terms and sampling against NumPy.
(The harness, tests/test_families.py, trains, resumes, distributes and exports each of them.)"""
import numpy as np
import pytest
import tensorflow as tf

from tests.layers.test_pyramid import numpy_down, numpy_up
from tests.testing import build, fit_steps, snapshot, tiny_config
from tfgan_zoo.errors import ConfigError

RNG = np.random.default_rng(0)


def _model(family, overrides=None):
    cfg = tiny_config(family, overrides)
    ds, info, model = build(cfg)
    return cfg, ds, model


def _batch(model, n=4, size=None):
    size = size or model.data_info.shape[0]
    return {"real": tf.constant(RNG.uniform(-1, 1, (n, size, size, 1)), tf.float32),
            "label": tf.constant(np.arange(n) % 10, tf.int32)}


def test_sagan_hinge_terms_and_attention_gates():
    _, _, model = _model("sagan")
    assert model.conditional and model.params.loss == "hinge"
    batch = _batch(model)
    fake = model.generate(batch, True)
    assert set(fake) == {"images", "label"} and fake["label"].shape == (4,)
    terms, out = model.discriminator_terms(batch, fake)
    real, fake_logits = np.asarray(out["real"]).ravel(), np.asarray(out["fake"]).ravel()
    want = np.mean(np.maximum(0, 1 - real)) + np.mean(np.maximum(0, 1 + fake_logits))
    np.testing.assert_allclose(float(terms["d_adv"]), want, rtol=1e-5)
    logs = model.after_train_step(batch, {})
    assert float(logs["g_gamma"]) == 0.0 and float(logs["d_gamma"]) == 0.0   # gamma starts at 0


def test_sagan_unconditional_networks_take_no_labels():
    _, _, model = _model("sagan", {"model": {"conditional": False}})
    assert len(model.generator.inputs) == 1 and len(model.discriminator.inputs) == 1
    assert "labels" not in model.generate_specs()


def test_biggan_truncation_ortho_term_and_label_check():
    _, _, model = _model("biggan")
    z = tf.constant(RNG.standard_normal((6, model.latent_dim)) * 2, tf.float32)
    labels = tf.constant([0, 1, 2, 3, 4, 5], tf.int32)
    gen = model.generator
    # generate is a pure function of its inputs: no truncation inside (it would be a random draw)
    assert list(model.generate_specs()) == ["latents", "labels"]
    plain = model.generate_images({"latents": z, "labels": labels}, gen)
    np.testing.assert_allclose(np.asarray(plain), np.asarray(gen([z, labels], training=False)), atol=1e-6)
    # the truncation trick lives in the draw of `sample`'s latents: |z| <= psi, rows within it kept
    from tfgan_zoo.latents import truncate_rows
    model.params.truncation = 0.5
    drawn = model.sample_inputs(64, 3)["latents"]
    full = tf.random.stateless_normal([64, model.latent_dim], seed=tf.constant([3, 0], tf.int64))
    np.testing.assert_allclose(np.asarray(drawn), np.asarray(truncate_rows(full, 0.5)), atol=1e-6)
    assert np.abs(np.asarray(drawn)).max() <= 0.5
    model.params.truncation = 0.0
    np.testing.assert_allclose(np.asarray(model.sample_inputs(64, 3)["latents"]), np.asarray(full), atol=1e-6)
    with pytest.raises(tf.errors.InvalidArgumentError, match="class count"):
        model.generate_images({"latents": z[:1], "labels": tf.constant([10])})
    # orthogonal regularisation: beta * sum ||W^T W (1 - I)||^2 over G's kernels, not the shared embedding
    reg = model.regularizers[0]
    kernels = [np.asarray(v, np.float64).reshape(-1, v.shape[-1]) for v in model.generator.trainable_variables
               if len(v.shape) >= 2 and "shared_embedding" not in v.path]
    want = 1e-4 * sum(np.sum(((w.T @ w) * (1 - np.eye(w.shape[1]))) ** 2) for w in kernels)
    np.testing.assert_allclose(float(reg.generator_term(model, {}, None, {})), want, rtol=1e-4)
    assert model.params.n_critic == 2 and model.ema_generator is not None


def test_lapgan_levels_are_the_real_pyramid_plus_generated_residuals():
    _, _, model = _model("lapgan")
    batch = _batch(model, size=16)
    real = np.asarray(batch["real"], np.float64)
    fake = model.generate(batch, False)
    assert [fake[k].shape[1] for k in ("level_0", "level_1", "images")] == [4, 8, 16]
    # level k's fake minus G_k's residual is the upsampled REAL coarser level
    mid = numpy_down(real)
    coarse = numpy_down(mid)
    terms, out = model.discriminator_terms(batch, fake)
    assert sorted(terms) == ["d_adv_0", "d_adv_1", "d_adv_2"]
    np.testing.assert_allclose(np.asarray(out["real"]), np.asarray(model.discriminator_2(batch["real"])), atol=1e-5)
    inputs = model.sample_inputs(3, 1)
    image = np.asarray(model.generator(inputs["latents"], training=False), np.float64)
    for k, g in ((1, model.generator_1), (2, model.generator_2)):
        up = numpy_up(image)
        image = up + np.asarray(g([tf.constant(up, tf.float32), inputs[f"noise_{k}"]], training=False))
    np.testing.assert_allclose(np.asarray(model.generate_images(inputs)), np.clip(image, -1, 1), atol=1e-5)
    coarse_only = np.asarray(model.generate_images(inputs, levels=1))
    np.testing.assert_allclose(coarse_only, np.clip(numpy_up(numpy_up(np.asarray(
        model.generator(inputs["latents"], training=False), np.float64))), -1, 1), atol=1e-5)
    assert coarse.shape[1] == 4
    with pytest.raises(ConfigError, match="power of two >= 8"):
        _model("lapgan", {"data": {"image_size": 12}})


def test_stackgan_fake_weight_needs_a_bce_loss():
    with pytest.raises(ConfigError, match="fake_weight 0.5 weighs the BCE"):
        _model("stackgan", {"model": {"loss": "hinge"}})
    _model("stackgan", {"model": {"loss": "hinge", "fake_weight": 1.0}})


def test_stackgan_kl_and_mismatch_terms_and_frozen_stage_one():
    cfg, ds, model = _model("stackgan")
    model.enter_stage(0, fresh=False)
    projection = model.generator.get_layer("augmentation").projection.kernel
    projection.assign(RNG.normal(0, 3.0, projection.shape).astype("float32"))  # a KL well above 0, whatever the init
    batch = _batch(model, size=16)
    fake = model.generate(batch, True)
    assert fake["images"].shape == (4, 8, 8, 1)                  # stage I at half size
    terms, out = model.generator_terms(batch, fake)
    mu, log_var = np.asarray(fake["mu"], np.float64), np.asarray(fake["log_var"], np.float64)
    kl = 0.5 * (mu ** 2 + np.exp(log_var) - 1 - log_var).sum(1)
    assert kl.mean() > 0.1
    np.testing.assert_allclose(float(terms["g_kl"]), 2.0 * kl.mean() / mu.shape[1], rtol=1e-4)
    np.testing.assert_allclose(float(out["logs"]["kl_nats"]), kl.mean(), rtol=1e-4)
    d_terms, d_out = model.discriminator_terms(batch, fake)
    assert float(d_terms["d_mismatch"]) > 0
    # the reference's D loss: BCE(real) + (BCE(fake) + BCE(real image, wrong label)) / 2
    softplus = lambda x: np.logaddexp(0.0, np.asarray(x, np.float64))  # noqa: E731
    want = softplus(-np.asarray(d_out["real"])).mean() + 0.5 * softplus(np.asarray(d_out["fake"])).mean()
    np.testing.assert_allclose(float(d_terms["d_adv"]), want, rtol=1e-5)
    # stage II trains G_2 / D_2 only; stage I's weights stay where stage I left them
    fit_steps(model, cfg, ds, 1)
    stage1 = snapshot(model.generator.variables)
    model.enter_stage(1, fresh=True)
    before2 = snapshot(model.generator_2.trainable_variables)
    fit_steps(model, cfg, ds, 2)
    for a, b in zip(stage1, snapshot(model.generator.variables)):
        np.testing.assert_array_equal(a, b)
    assert any(not np.allclose(a, b) for a, b in zip(before2, snapshot(model.generator_2.trainable_variables)))
    images = model.generate_images(model.sample_inputs(2, 0))
    assert images.shape == (2, 16, 16, 1)
    assert model.generate_specs()["latents"].shape[1] == model.latent_dim + 2 * model.ca_dim
