"""Conditioning augmentation against NumPy; its KL term against the closed form and Monte Carlo."""
import keras
import numpy as np
import pytest
from scipy import stats

from tfgan_zoo.layers.conditioning_augmentation import ConditioningAugmentation, kl_to_standard_normal

RNG = np.random.default_rng(0)


def test_layer_matches_numpy():
    layer = ConditioningAugmentation(3, kernel_initializer=keras.initializers.RandomNormal(0, 1.0))
    e = RNG.standard_normal((5, 4)).astype("float32")
    eps = RNG.standard_normal((5, 3)).astype("float32")
    c, mu, log_var = (t.numpy() for t in layer([e, eps]))
    w, b = (np.asarray(v, np.float64) for v in layer.projection.weights)
    pre = e @ w + b
    stats_ = np.where(pre > 0, pre, 0.2 * pre)
    np.testing.assert_allclose(mu, stats_[:, :3], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(log_var, stats_[:, 3:], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(c, stats_[:, :3] + np.exp(stats_[:, 3:] / 2) * eps, rtol=1e-5, atol=1e-6)
    # eps = 0 gives the mean: the sample is reparameterised, all randomness is the input
    np.testing.assert_allclose(layer([e, np.zeros_like(eps)])[0].numpy(), mu, rtol=1e-6)


def test_kl_matches_the_closed_form_and_monte_carlo():
    mu = RNG.normal(0, 1, (4, 6))
    log_var = RNG.normal(0, 0.5, (4, 6))
    got = np.asarray(kl_to_standard_normal(mu.astype("float32"), log_var.astype("float32")))
    var = np.exp(log_var)
    closed = 0.5 * (mu ** 2 + var - 1 - np.log(var)).sum(-1)   # KL(N(mu, var) || N(0, 1)), per dimension summed
    assert got.shape == (4,)
    np.testing.assert_allclose(got, closed, rtol=1e-5)
    # Monte Carlo: E_q[log q(x) - log p(x)] for the first example, 200k draws
    sd = np.sqrt(var[0])
    x = mu[0] + sd * RNG.standard_normal((200_000, 6))
    mc = (stats.norm.logpdf(x, mu[0], sd) - stats.norm.logpdf(x)).sum(-1).mean()
    assert abs(mc - got[0]) < 0.03 * max(1.0, got[0])
    np.testing.assert_allclose(np.asarray(kl_to_standard_normal(np.zeros((2, 3)), np.zeros((2, 3)))), 0.0)


def test_config_round_trip_in_a_model(tmp_path):
    e, eps = keras.Input((4,)), keras.Input((2,))
    outs = ConditioningAugmentation(2, negative_slope=0.1, name="ca")([e, eps])
    model = keras.Model([e, eps], outs)
    copy = keras.Model.from_config(model.get_config())
    assert copy.get_layer("ca").get_config()["negative_slope"] == 0.1
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    x = [RNG.standard_normal((3, 4)).astype("float32"), RNG.standard_normal((3, 2)).astype("float32")]
    for a, b in zip(loaded(x), model(x)):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-6)
    with pytest.raises(ValueError, match="units"):
        ConditioningAugmentation(0)
    with pytest.raises(ValueError, match="eps must have 2"):
        ConditioningAugmentation(2)([np.zeros((1, 4), "float32"), np.zeros((1, 3), "float32")])
