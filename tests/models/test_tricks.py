"""Training tricks as config switches, through a family: feature matching, minibatch
discrimination, historical averaging, EMA generator, TTUR, noisy labels."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from tests.models.pointsets import build_points, points_config
from tests.testing import assert_finite, assert_weights_changed, build, fit_steps, snapshot, tiny_config
from tfgan_zoo.errors import ConfigError


def _fm(model):
    return next(r for r in model.regularizers if r.name == "fm")


def test_feature_matching_matches_numpy_on_penultimate_features():
    cfg = points_config("nsgan", {"model": {"regularizers": [{"name": "feature_matching", "weight": 2.0}]}})
    ds, info, model = build_points(cfg)
    real = next(iter(ds.batch(16)))["real"]
    fake = model.generator(np.random.default_rng(0).standard_normal((16, 4)).astype("float32"))
    value = float(_fm(model).generator_term(model, {"real": tf.constant(real)}, fake, {}))
    penultimate = keras.Model(model.discriminator.inputs, model.discriminator.get_layer("hidden1_lrelu").output)
    fr, ff = penultimate(real).numpy(), penultimate(fake).numpy()
    np.testing.assert_allclose(value, 2.0 * np.sum((fr.mean(0) - ff.mean(0)) ** 2), rtol=1e-5)
    history = fit_steps(model, cfg, ds, 2)
    assert_finite(history)
    assert history["fm"][-1] > 0


def test_feature_matching_on_images_with_a_named_layer():
    cfg = tiny_config("gan", {"model": {"regularizers": [{"name": "feature_matching", "layer": "flatten"}]}})
    ds, info, model = build(cfg)
    assert _fm(model).features.output.shape[-1] == 4 * 4 * 8
    assert_finite(fit_steps(model, cfg, ds, 2))
    with pytest.raises(ConfigError, match="no layer 'nope'"):
        build(tiny_config("gan", {"model": {"regularizers": [{"name": "feature_matching", "layer": "nope"}]}}))


@pytest.mark.parametrize("network,dataset", [("mlp_discriminator_mbd", "ring"), ("dcgan_discriminator_mbd", "digits")])
def test_minibatch_discrimination_network_trains(network, dataset):
    if dataset == "ring":
        cfg = points_config("nsgan", {"discriminator": {"name": network, "hidden_units": 16, "num_layers": 2,
                                                        "num_kernels": 4, "kernel_dim": 3}})
        ds, info, model = build_points(cfg)
    else:
        cfg = tiny_config("nsgan", {"discriminator": {"name": network, "num_kernels": 4, "kernel_dim": 3}})
        ds, info, model = build(cfg)
    assert model.discriminator.get_layer("minibatch").num_kernels == 4
    d0 = snapshot(model.discriminator.trainable_variables)
    assert_finite(fit_steps(model, cfg, ds, 2))
    changed = assert_weights_changed(d0, snapshot(model.discriminator.trainable_variables))
    mbd_index = [v.path for v in model.discriminator.trainable_variables].index(
        model.discriminator.get_layer("minibatch").kernel.path)
    assert changed[mbd_index]  # the minibatch kernel T learns


def test_historical_averaging_ema_and_ttur_together():
    cfg = points_config("lsgan", {"model": {"ema_decay": 0.9, "regularizers": [{"name": "historical_averaging"}]},
                                  "train": {"g_learning_rate": 1e-4, "d_learning_rate": 4e-4}})
    ds, info, model = build_points(cfg)
    assert float(model.g_optimizer.learning_rate) == pytest.approx(1e-4)
    assert float(model.d_optimizer.learning_rate) == pytest.approx(4e-4)
    history = fit_steps(model, cfg, ds, 3)
    assert_finite(history)
    assert history["hist_avg"][-1] > 0  # D moved away from its running average
    g, ema = snapshot(model.generator.trainable_variables), snapshot(model.ema_generator.trainable_variables)
    assert not all(np.allclose(a, b) for a, b in zip(g, ema))
