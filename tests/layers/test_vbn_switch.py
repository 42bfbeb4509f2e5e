"""Virtual batch norm as a generator config switch: `generator: {norm: virtual_batch}`."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from tests.testing import assert_finite, assert_weights_changed, build, fit_steps, snapshot, tiny_config
from tfgan_zoo.errors import ConfigError
from tfgan_zoo.export import export_model
from tfgan_zoo.layers.virtual_batch_norm import (REFERENCE_SIZE, VirtualBatchNormalization, set_references,
                                                 virtual_batch_layers)
from tfgan_zoo.train import load_run, train

EPS = 1e-5
# min_size 2: an 8x8 generator with two VBN layers (project_norm at 2x2, up1_norm at 4x4)
VBN = {"generator": {"norm": "virtual_batch", "min_size": 2}, "model": {"ema_decay": 0.9}}


def _vbn(x, mean, meansq, gamma, beta):
    return gamma * (x - mean) / np.sqrt(meansq - mean ** 2 + EPS) + beta


def test_set_references_propagates_the_reference_batch_like_numpy():
    rng = np.random.default_rng(0)
    inp = keras.Input((3,))
    h = keras.layers.Dense(4, name="d1")(inp)
    h = VirtualBatchNormalization(epsilon=EPS, name="v1")(h)
    h = keras.layers.ReLU()(h)
    h = keras.layers.Dense(2, name="d2")(h)
    model = keras.Model(inp, VirtualBatchNormalization(epsilon=EPS, name="v2")(h))
    v1, v2 = model.get_layer("v1"), model.get_layer("v2")
    for v, c in ((v1, 4), (v2, 2)):  # non-trivial scale and offset
        v.gamma.assign(rng.uniform(0.5, 2.0, c).astype("float32"))
        v.beta.assign(rng.normal(0.0, 1.0, c).astype("float32"))
    w1, b1 = (np.asarray(a, np.float64) for a in model.get_layer("d1").get_weights())
    w2, b2 = (np.asarray(a, np.float64) for a in model.get_layer("d2").get_weights())
    g1, be1, g2, be2 = (np.asarray(a, np.float64) for a in (v1.gamma, v1.beta, v2.gamma, v2.beta))
    ref = rng.normal(1.0, 2.0, (16, 3)).astype("float32")

    assert set_references(model, ref) == [v1, v2]

    # NumPy: layer 1 from the reference's Dense output; the reference is then normalised by its
    # own statistics (the paper's reference code) and propagated to layer 2's input
    h1 = ref.astype(np.float64) @ w1 + b1
    m1, s1 = h1.mean(0), (h1 ** 2).mean(0)
    h2 = np.maximum(_vbn(h1, m1, s1, g1, be1), 0.0) @ w2 + b2
    m2, s2 = h2.mean(0), (h2 ** 2).mean(0)
    for v, m, s in ((v1, m1, s1), (v2, m2, s2)):
        np.testing.assert_allclose(v.ref_mean.numpy(), m, rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(v.ref_meansq.numpy(), s, rtol=1e-4, atol=1e-5)
        assert float(v.ref_count.numpy()) == 16.0
        assert v.include_self  # restored after propagation

    # new examples: each one mixed with the reference, weight 1 / (N + 1) on itself
    x = rng.normal(0.0, 1.0, (5, 3))
    w = 1.0 / 17.0
    a1 = x @ w1 + b1
    y1 = _vbn(a1, w * a1 + (1 - w) * m1, w * a1 ** 2 + (1 - w) * s1, g1, be1)
    a2 = np.maximum(y1, 0.0) @ w2 + b2
    y2 = _vbn(a2, w * a2 + (1 - w) * m2, w * a2 ** 2 + (1 - w) * s2, g2, be2)
    np.testing.assert_allclose(model(x.astype("float32")).numpy(), y2, rtol=1e-4, atol=1e-4)


def test_set_references_refuses_a_shared_layer():
    inp = keras.Input((3,))
    vbn = VirtualBatchNormalization()
    model = keras.Model(inp, keras.layers.Add()([vbn(inp), vbn(inp * 2.0)]))
    with pytest.raises(ValueError, match="called 2 times"):
        set_references(model, np.ones((4, 3), "float32"))


@pytest.fixture(scope="module")
def vbn_run():
    cfg = tiny_config("dcgan", VBN)
    ds, info, model = build(cfg)
    return cfg, ds, model


def _stats(gen):
    return [(l.name, l.ref_mean.numpy(), l.ref_meansq.numpy(), float(l.ref_count.numpy()))
            for l in virtual_batch_layers(gen)]


def test_config_switch_builds_vbn_generator_with_its_reference_set(vbn_run):
    cfg, _, model = vbn_run
    gen = model.generator
    assert [l.name for l in virtual_batch_layers(gen)] == ["project_norm", "up1_norm"]
    assert not any(isinstance(l, keras.layers.BatchNormalization) for l in gen.layers)
    stats = _stats(gen)
    assert [s[3] for s in stats] == [REFERENCE_SIZE * 2 * 2, REFERENCE_SIZE * 4 * 4]
    for _, mean, meansq, _ in stats:  # moved off the 0 / 1 defaults
        assert np.abs(mean).max() > 1e-4 and np.abs(meansq - 1.0).max() > 1e-2
    # same seed, same reference: a rebuilt model (resume, load_run) starts from the same statistics
    for a, b in zip(stats, _stats(build(cfg)[2].generator)):
        np.testing.assert_array_equal(a[1], b[1])
        np.testing.assert_array_equal(a[2], b[2])
    # the EMA copy got them too
    for a, b in zip(stats, _stats(model.ema_generator)):
        np.testing.assert_array_equal(a[1], b[1])


def _alone_vs_in_batch(gen, latent_dim):
    z = np.random.default_rng(3).standard_normal((8, latent_dim)).astype("float32")
    in_batch = gen(z, training=True).numpy()[0]
    alone = gen(z[:1], training=True).numpy()[0]
    return np.abs(in_batch - alone).max()


def test_a_sample_does_not_depend_on_the_rest_of_its_batch(vbn_run):
    _, _, model = vbn_run
    assert _alone_vs_in_batch(model.generator, model.latent_dim) < 1e-5
    # contrast: batch norm in training mode mixes the batch into every example
    batch_norm = build(tiny_config("dcgan", {"generator": {"min_size": 2}}))[2]
    assert _alone_vs_in_batch(batch_norm.generator, batch_norm.latent_dim) > 1e-3


def test_vbn_generator_trains_and_keeps_its_reference(vbn_run):
    cfg, ds, model = vbn_run
    before = snapshot(model.generator.trainable_variables) + snapshot(model.discriminator.trainable_variables)
    stats = _stats(model.generator)
    history = fit_steps(model, cfg, ds, 2)
    assert_finite(history)
    changed = assert_weights_changed(before, snapshot(model.generator.trainable_variables)
                                     + snapshot(model.discriminator.trainable_variables))
    n_gen = len(model.generator.trainable_variables)
    assert any(changed[:n_gen]), "no generator weight changed"
    names = [v.path for v in model.generator.trainable_variables]
    assert any("project_norm/gamma" in n for n in names)
    for a, b in zip(stats, _stats(model.generator)):  # the reference is fixed, not trained
        np.testing.assert_array_equal(a[1], b[1])
        np.testing.assert_array_equal(a[2], b[2])
    for a, b in zip(stats, _stats(model.ema_generator)):  # the EMA copy follows G's reference
        np.testing.assert_array_equal(a[1], b[1])


def test_export_of_a_vbn_generator_matches_in_process(vbn_run, tmp_path):
    _, _, model = vbn_run
    path = export_model(model, str(tmp_path / "export"), {"family": "dcgan"}, max_batch=16)
    loaded = tf.saved_model.load(path)
    z = tf.constant(np.random.default_rng(5).standard_normal((3, model.latent_dim)), tf.float32)
    expected = model.export_generator()(z, training=False).numpy()
    np.testing.assert_allclose(loaded.signatures["generate"](latents=z)["images"].numpy(), expected, atol=1e-5)
    # one example alone gives the same image from the export too
    np.testing.assert_allclose(loaded.signatures["generate"](latents=z[:1])["images"].numpy(), expected[:1],
                               atol=1e-5)


def test_checkpoint_carries_the_reference_and_resume_is_exact(tmp_path):
    over = dict(VBN, train={"epochs": 2, "steps_per_epoch": 2, "checkpoint_every": 1})
    full = train(tiny_config("dcgan", over), str(tmp_path / "full")).model
    train(tiny_config("dcgan", dict(over, train=dict(over["train"], epochs=1))), str(tmp_path / "part"))
    resumed = train(tiny_config("dcgan", over), str(tmp_path / "part")).model
    for a, b in zip(snapshot(full.variables), snapshot(resumed.variables)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    latest = tf.train.latest_checkpoint(str(tmp_path / "part" / "checkpoints"))
    saved = [k for k, _ in tf.train.list_variables(latest) if "/ref_mean/" in k]
    vbn_layers = [v for v in resumed.generator.non_trainable_variables if v.path.endswith("/ref_mean")]
    assert vbn_layers and len(saved) == 2 * len(vbn_layers)  # generator and its EMA copy
    _, _, loaded = load_run(str(tmp_path / "part"))
    for a, b in zip(_stats(loaded.generator), _stats(resumed.generator)):
        np.testing.assert_array_equal(a[1], b[1])


@pytest.mark.parametrize("section, norm, message", [
    ("generator", "virtual", r"dcgan_generator: norm must be one of \['batch', 'layer', 'instance', 'none', "
                             r"'virtual_batch'\], got 'virtual'"),
    ("discriminator", "virtual_batch", r"dcgan_discriminator: norm must be one of \['batch', 'layer', "
                                       r"'instance', 'none'\], got 'virtual_batch'"),
])
def test_bad_norm_names_give_the_usual_error(section, norm, message):
    with pytest.raises(ConfigError, match=message):
        build(tiny_config("dcgan", {section: {"norm": norm}}))
