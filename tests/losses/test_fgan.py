"""f-GAN against a NumPy implementation of the paper's table (conjugates in table form)."""
import numpy as np
import pytest
import tensorflow as tf
from scipy.special import lambertw

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.losses import adversarial as adv
from tfgan_zoo.losses import fgan
from tfgan_zoo.losses.fgan import FGANLoss


def W(y):
    return lambertw(y).real


# name -> (f(u), g_f(v), f*(t)) straight from the f-GAN paper's tables 1 and 6
TABLE = {
    "total_variation": (lambda u: 0.5 * np.abs(u - 1), lambda v: 0.5 * np.tanh(v), lambda t: t),
    "kl": (lambda u: u * np.log(u), lambda v: v, lambda t: np.exp(t - 1)),
    "reverse_kl": (lambda u: -np.log(u), lambda v: -np.exp(-v), lambda t: -1 - np.log(-t)),
    "pearson": (lambda u: (u - 1) ** 2, lambda v: v, lambda t: 0.25 * t ** 2 + t),
    "neyman": (lambda u: (1 - u) ** 2 / u, lambda v: 1 - np.exp(-v),
               lambda t: 2 - 2 * np.sqrt(1 - t)),
    "squared_hellinger": (lambda u: (np.sqrt(u) - 1) ** 2, lambda v: 1 - np.exp(-v),
                          lambda t: t / (1 - t)),
    "jeffrey": (lambda u: (u - 1) * np.log(u), lambda v: v,
                lambda t: W(np.exp(1 - t)) + 1 / W(np.exp(1 - t)) + t - 2),
    "jensen_shannon": (lambda u: -(u + 1) * np.log((1 + u) / 2) + u * np.log(u),
                       lambda v: np.log(2) - np.log(1 + np.exp(-v)),
                       lambda t: -np.log(2 - np.exp(t))),
    "gan": (lambda u: u * np.log(u) - (u + 1) * np.log(u + 1),
            lambda v: -np.log(1 + np.exp(-v)), lambda t: -np.log(1 - np.exp(t))),
}


def test_table_covers_every_divergence():
    assert set(fgan.DIVERGENCES) == set(TABLE)


@pytest.mark.parametrize("name", sorted(TABLE))
def test_reference_conjugate_is_the_fenchel_sup(name):
    # sanity of the NumPy reference itself: f*(t) = sup_u (u t - f(u)), u > 0 on a fine grid
    f, g, fstar = TABLE[name]
    u = np.exp(np.linspace(-9, 6, 400001))
    for v in (-1.0, -0.3, 0.2, 0.7):
        t = g(v)
        np.testing.assert_allclose(np.max(u * t - f(u)), fstar(t), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("name", sorted(TABLE))
@pytest.mark.parametrize("shape", [(7,), (3, 2), (2, 2, 2, 1)])
def test_losses_match_numpy_table(name, shape):
    rng = np.random.default_rng(0)
    r, f = rng.uniform(-2, 2, shape), rng.uniform(-2, 2, shape)
    _, g, fstar = TABLE[name]
    d_ref = -(np.mean(g(r)) - np.mean(fstar(g(f))))
    np.testing.assert_allclose(float(fgan.fgan_discriminator_loss(r, f, name)), d_ref, rtol=1e-5,
                               atol=1e-5)
    np.testing.assert_allclose(float(fgan.fgan_generator_loss(f, name)), -np.mean(fstar(g(f))),
                               rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(float(fgan.fgan_generator_loss(f, name, alternative=True)),
                               -np.mean(g(f)), rtol=1e-5, atol=1e-5)
    loss = FGANLoss(divergence=name, alternative_generator=True)
    np.testing.assert_allclose(float(loss.discriminator(r, f)), d_ref, rtol=1e-5, atol=1e-5)
    assert not loss.generator_needs_real


@pytest.mark.parametrize("name", sorted(TABLE))
def test_activation_and_table_conjugate(name):
    v = np.linspace(-2, 2, 9)
    _, g, fstar = TABLE[name]
    np.testing.assert_allclose(fgan.activation(name, v).numpy(), g(v), rtol=1e-5, atol=1e-6)
    t = g(v)
    np.testing.assert_allclose(fgan.conjugate(name, t).numpy(), fstar(t), rtol=1e-4, atol=1e-5)


def test_gan_divergence_is_the_minimax_bce_objective():
    rng = np.random.default_rng(1)
    r, f = rng.uniform(-3, 3, (4, 3)), rng.uniform(-3, 3, (4, 3))
    sig = 1 / (1 + np.exp(-r)), 1 / (1 + np.exp(-f))
    bce = -np.mean(np.log(sig[0])) - np.mean(np.log(1 - sig[1]))
    np.testing.assert_allclose(float(fgan.fgan_discriminator_loss(r, f, "gan")), bce, rtol=1e-5)
    np.testing.assert_allclose(float(fgan.fgan_discriminator_loss(r, f, "gan")),
                               float(adv.minimax_discriminator_loss(r, f)), rtol=1e-6)
    # saddle G loss = minimax (saturating) G loss, alternative = non-saturating
    np.testing.assert_allclose(float(fgan.fgan_generator_loss(f, "gan")),
                               np.mean(np.log(1 - sig[1])), rtol=1e-5)
    np.testing.assert_allclose(float(fgan.fgan_generator_loss(f, "gan", alternative=True)),
                               -np.mean(np.log(sig[1])), rtol=1e-5)


def test_lambertw_matches_scipy_over_a_wide_range():
    x = np.concatenate([np.linspace(-60, 60, 241), [-300.0, -1e-4, 0.0, 1e-4, 300.0]])
    ours = fgan.lambertw_exp(x).numpy()
    ref = W(np.exp(x))  # float64 holds e^300; float32 (the TF side) does not
    np.testing.assert_allclose(ours, ref, rtol=2e-6, atol=1e-30)
    # e^-300 underflows float32; the log-space solution does not: log W(e^x) = x - W(e^x)
    np.testing.assert_allclose(fgan.log_lambertw_exp([-300.0, 300.0]).numpy(),
                               [-300.0, np.log(ref[-1])], rtol=1e-6)


def test_lambertw_gradient_is_the_implicit_derivative():
    x = tf.constant([-3.0, 0.0, 1.0, 4.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        u = fgan.log_lambertw_exp(x)
    w = W(np.exp(x.numpy().astype(np.float64)))
    np.testing.assert_allclose(tape.gradient(u, x).numpy(), 1 / (1 + w), rtol=1e-5)


def test_jeffrey_is_finite_where_the_naive_form_overflows():
    v = np.array([-120.0, -90.0, 30.0], np.float32)
    value = fgan.conjugate_of_activation("jeffrey", v).numpy()
    assert np.all(np.isfinite(value))
    # W(e^(1-v)) ~ (1-v) - log(1-v) for large 1 - v
    x = 1.0 - v[0]
    w = x - np.log(x) + np.log(x) / x
    np.testing.assert_allclose(value[0], w + 1 / w + v[0] - 2, rtol=1e-4)


def test_bad_divergence_is_a_one_line_config_error():
    with pytest.raises(ConfigError, match="did you mean 'kl'") as err:
        FGANLoss(divergence="kll")
    assert "\n" not in str(err.value)
    with pytest.raises(ConfigError):
        FGANLoss(alternative_generator="yes")
