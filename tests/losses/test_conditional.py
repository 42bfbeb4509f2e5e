"""InfoGAN and TripleGAN terms against independent NumPy computations."""
import math

import numpy as np
import pytest
import tensorflow as tf
from scipy import stats
from scipy.special import log_softmax, softmax

from tfgan_zoo.losses import conditional as cond
from tfgan_zoo.losses.reconstruction import sparse_classification_loss

RNG = np.random.default_rng(0)


def _softplus(x):
    return np.logaddexp(0.0, x)


def test_categorical_bound_is_ln_k_minus_cross_entropy():
    logits = RNG.normal(0, 2, (7, 10))
    codes = RNG.integers(0, 10, 7)
    ce = -log_softmax(logits, axis=1)[np.arange(7), codes].mean()
    assert float(cond.categorical_log_likelihood(codes, logits)) == pytest.approx(-ce, rel=1e-5)
    assert float(sparse_classification_loss(codes, logits)) == pytest.approx(ce, rel=1e-5)
    terms = cond.infogan_terms(codes, tf.constant(logits))
    assert float(terms["mi_categorical"]) == pytest.approx(math.log(10) - ce, rel=1e-5)
    assert float(terms["info_loss"]) == pytest.approx(ce - math.log(10), rel=1e-5)
    # a Q that recovers the code exactly reaches H(c) = ln 10; a uniform Q gives 0
    sure = np.eye(10)[codes] * 60.0
    bound = cond.infogan_terms(codes, tf.constant(sure))["mi_categorical"]
    assert float(bound) == pytest.approx(math.log(10), abs=1e-5)
    assert float(cond.infogan_terms(codes, tf.zeros((7, 10)))["mi_categorical"]) == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("with_std", [False, True])
def test_gaussian_log_likelihood_matches_scipy(with_std):
    codes = RNG.uniform(-1, 1, (6, 2))
    mean = RNG.normal(0, 0.5, (6, 2))
    log_std = RNG.normal(-0.5, 0.3, (6, 2)) if with_std else None
    std = np.exp(log_std) if with_std else np.ones_like(mean)
    want = stats.norm.logpdf(codes, loc=mean, scale=std).sum(axis=1).mean()
    got = cond.gaussian_log_likelihood(codes, mean, log_std)
    assert float(got) == pytest.approx(want, rel=1e-5)


@pytest.mark.parametrize("prior, low, high", [("uniform", -1.0, 1.0), ("uniform", 0.0, 3.0), ("normal", 0, 0)])
def test_continuous_entropy_matches_scipy(prior, low, high):
    dist = stats.uniform(loc=low, scale=high - low) if prior == "uniform" else stats.norm()
    assert cond.continuous_entropy(3, prior, low, high) == pytest.approx(3 * float(dist.entropy()), rel=1e-9)
    with pytest.raises(ValueError):
        cond.continuous_entropy(1, "laplace")


def test_infogan_terms_with_continuous_codes():
    logits = RNG.normal(0, 1, (5, 10))
    codes = RNG.integers(0, 10, 5)
    cont = RNG.uniform(-1, 1, (5, 2))
    mean = cont + RNG.normal(0, 0.1, (5, 2))
    log_std = np.full((5, 2), -1.0)
    ll = stats.norm.logpdf(cont, loc=mean, scale=np.exp(-1.0)).sum(axis=1).mean()
    mi_cont = 2 * math.log(2.0) + ll  # H(U(-1, 1)^2) = 2 ln 2
    mi_cat = math.log(10) + log_softmax(logits, axis=1)[np.arange(5), codes].mean()
    terms = cond.infogan_terms(codes, tf.constant(logits), cont, mean, log_std, continuous_weight=0.5)
    assert float(terms["mi_continuous"]) == pytest.approx(mi_cont, rel=1e-5)
    assert float(terms["mi_categorical"]) == pytest.approx(mi_cat, rel=1e-5)
    assert float(terms["info_loss"]) == pytest.approx(-(mi_cat + 0.5 * mi_cont), rel=1e-5)
    with pytest.raises(ValueError, match="neither"):
        cond.infogan_terms(codes, tf.constant(logits), cont)


def test_triplegan_discriminator_loss_argmax_and_integrated():
    real, gen = RNG.normal(0, 1, 6), RNG.normal(0, 1, 6)
    cls_argmax = RNG.normal(0, 1, 6)
    want = _softplus(-real).mean() + 0.5 * _softplus(gen).mean() + 0.5 * _softplus(cls_argmax).mean()
    total, parts = cond.triplegan_discriminator_loss(real, gen, cls_argmax)
    assert float(total) == pytest.approx(want, rel=1e-5)
    assert float(parts["d_classified"]) == pytest.approx(_softplus(cls_argmax).mean(), rel=1e-5)
    # every class, weighted by p_c(y|x); alpha moves weight between G's and C's pairs
    cls_all = RNG.normal(0, 1, (6, 4))
    p = softmax(RNG.normal(0, 1, (6, 4)), axis=1)
    alpha = 0.3
    want = (-np.log(1 / (1 + np.exp(-real)))).mean() + (1 - alpha) * (-np.log(1 - 1 / (1 + np.exp(-gen)))).mean() \
        + alpha * (p * -np.log(1 - 1 / (1 + np.exp(-cls_all)))).sum(axis=1).mean()
    total, _ = cond.triplegan_discriminator_loss(real, gen, cls_all, p, alpha=alpha)
    assert float(total) == pytest.approx(want, rel=1e-5)


def test_triplegan_generator_and_classifier_terms():
    gen = RNG.normal(0, 1, 6)
    assert float(cond.triplegan_generator_loss(gen)) == pytest.approx(0.5 * _softplus(-gen).mean(), rel=1e-5)
    cls_all, p = RNG.normal(0, 1, (6, 4)), softmax(RNG.normal(0, 1, (6, 4)), axis=1)
    want = 0.5 * (p * _softplus(-cls_all)).sum(axis=1).mean()
    assert float(cond.triplegan_classifier_adversarial_loss(cls_all, p)) == pytest.approx(want, rel=1e-5)
    d, pmax = RNG.normal(0, 1, 6), RNG.uniform(0.1, 1, 6)
    want = 0.5 * (pmax * _softplus(-d)).mean()
    assert float(cond.triplegan_classifier_adversarial_loss(d, pmax)) == pytest.approx(want, rel=1e-5)


def test_classifier_gradient_moves_mass_towards_labels_d_believes():
    logits = tf.Variable(tf.zeros((1, 3)))
    d = tf.constant([[-2.0, 3.0, 0.0]])  # D thinks (x, 1) is a data pair
    with tf.GradientTape() as tape:
        loss = cond.triplegan_classifier_adversarial_loss(d, tf.nn.softmax(logits))
    grad = tape.gradient(loss, logits).numpy()[0]
    assert np.argmin(grad) == 1 and np.argmax(grad) == 0  # descent raises class 1, lowers class 0


def test_mean_entropy():
    logits = RNG.normal(0, 1, (5, 4))
    p = softmax(logits, axis=1)
    assert float(cond.mean_entropy(logits)) == pytest.approx(stats.entropy(p, axis=1).mean(), rel=1e-5)
