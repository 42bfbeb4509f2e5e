"""ProGAN and StyleGAN as families: the growth schedule, the lod in the graph, the terms of a
step against NumPy, lazy R1, and the endpoints composing (the harness covers train / resume
across a growth boundary / replicas / mixed precision / export: tests/test_families.py)."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from tests.testing import build, tiny_config
from tfgan_zoo.errors import ConfigError
from tfgan_zoo.losses.penalties import R1Penalty, r1_penalty
from tfgan_zoo.models.declarations import stage_index
from tfgan_zoo.models.progan import ProGAN, ProGANParams, growth_stages, growth_steps
from tfgan_zoo.networks.stylegan import generator_inputs


def _pool(x, k):
    """NumPy: 2^k x 2^k block means, nearest-upsampled back."""
    f = 2 ** k
    n, h, w, c = x.shape
    blocks = x.reshape(n, h // f, f, w // f, f, c).mean(axis=(2, 4))
    return np.repeat(np.repeat(blocks, f, 1), f, 2)


def test_growth_schedule_and_lod_in_closed_form():
    params = ProGANParams(resolution=32, stage_steps=250, fade_steps=150)
    stages = growth_stages(params)
    assert [s.name for s in stages] == ["4x4", "8x8 fade-in", "8x8", "16x16 fade-in", "16x16", "32x32 fade-in", "32x32"]
    assert [s.start for s in stages] == [0, 250, 400, 650, 800, 1050, 1200]
    assert [s.reset_optimizers for s in stages] == [False] + [True] * 6
    assert growth_steps(params) == 1450
    model = ProGAN.__new__(ProGAN)                      # lod_at needs only params and stages
    model.params, model.stage_plan = params, stages
    for step, lod in ((0, 3.0), (249, 3.0), (250, 3.0), (325, 2.5), (399, 2.0 + 1.0 / 150), (400, 2.0),
                      (725, 1.5), (1199, 0.0 + 1.0 / 150), (1200, 0.0), (1449, 0.0)):
        assert float(model.lod_at(step)) == pytest.approx(lod, abs=1e-6), step


def test_the_harness_resume_crosses_a_growth_boundary():
    cfg = tiny_config("progan", {"train": {"epochs": 2, "steps_per_epoch": 2}})
    plan = growth_stages(cfg.model)
    crash = cfg.train.epochs * cfg.train.steps_per_epoch // 2
    assert stage_index(plan, crash) >= 1 and plan[stage_index(plan, crash)].reset_optimizers


def test_resolution_must_match_the_data():
    with pytest.raises(ConfigError, match="resolution"):
        build(tiny_config("progan", {"model": {"resolution": 16}}))


@pytest.fixture(scope="module")
def progan():
    cfg = tiny_config("progan", {"data": {"batch_size": 8}})
    ds, info, model = build(cfg)
    return model, next(iter(ds.batch(8)))


def test_progan_discriminator_terms_match_numpy(progan):
    """At the 8x8 fade-in, alpha 0.5 (lod 0.5): d_adv = mean D(fake) - mean D(real at the lod),
    drift = 0.001 mean D(real)^2, both reals and fakes shown with the lod."""
    model, batch = progan
    model.enter_stage(1, fresh=False)
    model.step.assign(2)                                  # fade-in [1, 3): alpha 0.5
    real = batch["real"].numpy()
    lod = 0.5
    real_lod = 0.5 * real + 0.5 * _pool(real, 1)
    np.testing.assert_allclose(model.real_images(batch).numpy(), real_lod, rtol=1e-5, atol=1e-6)
    fake = tf.constant(np.random.default_rng(1).uniform(-1, 1, real.shape).astype("float32"))
    column = tf.fill((8, 1), lod)
    d_real = model.discriminator({"image": tf.constant(real_lod, tf.float32), "lod": column}).numpy()
    d_fake = model.discriminator({"image": fake, "lod": column}).numpy()
    terms, outputs = model.discriminator_terms(batch, fake)
    assert float(terms["d_adv"]) == pytest.approx(d_fake.mean() - d_real.mean(), rel=1e-4, abs=1e-6)
    drift = [r for r in model.regularizers if r.name == "drift"][0]
    assert float(drift.discriminator_term(model, batch, fake, outputs)) == pytest.approx(
        0.001 * np.mean(d_real ** 2), rel=1e-4)
    model.step.assign(0)


def test_samples_use_the_lod_of_the_last_trained_step(progan):
    model, _ = progan
    model.step.assign(1)                                  # last trained step 0: the 4x4 stage
    images = model.sample(3, seed=0)
    np.testing.assert_array_equal(images, _pool(images, 1))  # 4 x 4 content, upsampled
    model.step.assign(5)                                  # after the 8x8 fade-in: full 8 px
    assert not np.allclose(model.sample(3, seed=0), _pool(model.sample(3, seed=0), 1))
    model.step.assign(0)


class _Stub:
    def __init__(self, step):
        self.step = keras.Variable(step, dtype="int64", trainable=False)

    def real_images(self, batch):
        return batch["real"]

    def critic(self, images, cond, training=True):
        return tf.reduce_sum(tf.square(images), axis=[1, 2, 3])[:, None]   # grad = 2x


def test_lazy_r1_every_k_steps():
    x = tf.constant(np.random.default_rng(0).normal(size=(4, 2, 2, 1)).astype("float32"))
    exact = 0.5 * 10.0 * np.mean(np.sum((2 * x.numpy()) ** 2, axis=(1, 2, 3)))
    assert float(r1_penalty(lambda im: _Stub(0).critic(im, None), x, 10.0)) == pytest.approx(exact, rel=1e-5)
    reg = R1Penalty(10.0, every=4)
    assert float(reg.discriminator_term(_Stub(8), {"real": x}, None, {})) == pytest.approx(4 * exact, rel=1e-5)
    assert float(reg.discriminator_term(_Stub(9), {"real": x}, None, {})) == 0.0
    with pytest.raises(ConfigError, match="every"):
        R1Penalty(10.0, every=0)


@pytest.fixture(scope="module")
def stylegan():
    cfg = tiny_config("stylegan", {"data": {"batch_size": 8}})
    ds, info, model = build(cfg)
    return model, next(iter(ds.batch(8)))


def test_stylegan_nonsaturating_terms_match_numpy(stylegan):
    model, batch = stylegan
    fake = tf.constant(np.random.default_rng(2).uniform(-1, 1, batch["real"].shape).astype("float32"))
    column = tf.zeros((8, 1))
    d_real = model.discriminator({"image": batch["real"], "lod": column}).numpy().astype(np.float64)
    d_fake = model.discriminator({"image": fake, "lod": column}).numpy().astype(np.float64)
    softplus = lambda v: np.log1p(np.exp(v))  # noqa: E731
    terms, _ = model.discriminator_terms(batch, fake)
    assert float(terms["d_adv"]) == pytest.approx(np.mean(softplus(-d_real)) + np.mean(softplus(d_fake)), rel=1e-4)
    g_terms, _ = model.generator_terms(batch, fake)
    assert float(g_terms["g_adv"]) == pytest.approx(np.mean(softplus(-d_fake)), rel=1e-4)


def test_stylegan_training_fakes_mix_styles_and_move_w_avg(stylegan):
    model, batch = stylegan
    styles = model.generator.get_layer("styles")
    before = styles.w_avg.numpy().copy()
    model._begin_step()
    images = model.generate(batch, training=True)
    assert images.shape == batch["real"].shape and np.isfinite(images.numpy()).all()
    assert not np.allclose(styles.w_avg.numpy(), before)
    styles.w_avg.assign(before)


def test_stylegan_endpoints_compose(stylegan):
    """mapping(latents) broadcast to every layer, then synthesis(ws) == generate(latents, 1)."""
    model, _ = stylegan
    endpoints = {e.name: e.fn for e in model.export_endpoints()}
    z = tf.constant(np.random.default_rng(3).normal(size=(3, model.latent_dim)).astype("float32"))
    w = endpoints["mapping"](latents=z)["w"]
    ws = tf.tile(w[:, None], [1, model.num_ws, 1])
    noise = tf.constant(np.random.default_rng(4).normal(size=(3, model.noise_size)).astype("float32"))
    np.testing.assert_allclose(endpoints["synthesis"](ws=ws, noise=noise)["images"].numpy(),
                               endpoints["generate"](latents=z, noise=noise, truncation=tf.constant(1.0))["images"].numpy(),
                               rtol=1e-5, atol=1e-5)
    # psi 0 and the same noise: every latent gives the average-w image
    fixed = tf.tile(noise[:1], [3, 1])
    same = endpoints["generate"](latents=z, noise=fixed, truncation=tf.constant(0.0))["images"].numpy()
    assert same.std(axis=0).max() < 1e-4
    gen = model.export_generator()
    expected = np.clip(gen(generator_inputs(z, fixed, psi=0.0)).numpy(), -1, 1)
    np.testing.assert_allclose(same, expected, rtol=1e-5, atol=1e-6)
    # the noise is an input: no random op inside generate, mapping or synthesis
    for endpoint in model.export_endpoints():
        if endpoint.name != "sample":
            graph = tf.function(endpoint.fn).get_concrete_function(**endpoint.inputs).graph
            assert not [op.type for op in graph.get_operations() if "Random" in op.type], endpoint.name


def test_a_growth_boundary_resets_optimizer_state_but_keeps_the_learning_rate(progan):
    """`reset_optimizers` zeroes moments and iterations; a constant learning rate is an optimizer
    variable too, and zeroing it stopped all training after the first growth boundary."""
    model, _ = progan
    for opt in model.optimizers.values():
        opt.iterations.assign(7)
        for v in opt.variables:
            if "momentum" in v.path or "velocity" in v.path:
                v.assign(tf.ones(v.shape, v.dtype))
    model.enter_stage(1, fresh=True)
    for name, opt in model.optimizers.items():
        assert float(opt.learning_rate.numpy()) == pytest.approx(1e-3), name
        assert int(opt.iterations.numpy()) == 0
        assert all(not np.any(v.numpy()) for v in opt.variables if "momentum" in v.path or "velocity" in v.path)
