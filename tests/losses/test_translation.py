"""CycleGAN's and StarGAN's weighted terms against NumPy."""
import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo.losses import translation as tr

rng = np.random.default_rng(0)


def images(*shape):
    return rng.uniform(-1, 1, shape).astype(np.float32)


def test_cycle_terms():
    a, ca, b, cb = images(2, 4, 4, 3), images(2, 4, 4, 3), images(3, 4, 4, 3), images(3, 4, 4, 3)
    terms = tr.cycle_terms(a, ca, b, cb)
    assert set(terms) == {"g_cycle_a", "g_cycle_b"}
    assert float(terms["g_cycle_a"]) == pytest.approx(10 * np.abs(ca - a).mean(), rel=1e-6)
    assert float(terms["g_cycle_b"]) == pytest.approx(10 * np.abs(cb - b).mean(), rel=1e-6)
    assert float(tr.cycle_terms(a, a, b, b, weight=3.0)["g_cycle_a"]) == 0.0


def test_identity_terms_weigh_lambda_cycle_times_the_factor():
    a, fa, b, gb = images(2, 4, 4, 3), images(2, 4, 4, 3), images(2, 4, 4, 3), images(2, 4, 4, 3)
    terms = tr.identity_terms(a, fa, b, gb)
    assert float(terms["g_identity_a"]) == pytest.approx(5.0 * np.abs(fa - a).mean(), rel=1e-6)
    assert float(terms["g_identity_b"]) == pytest.approx(5.0 * np.abs(gb - b).mean(), rel=1e-6)
    other = tr.identity_terms(a, fa, b, gb, cycle_weight=4.0, factor=0.25)
    assert float(other["g_identity_b"]) == pytest.approx(1.0 * np.abs(gb - b).mean(), rel=1e-6)


def test_domain_classification_single_label_is_softmax_cross_entropy():
    logits = rng.standard_normal((5, 4)).astype(np.float32)
    domains = np.array([0, 3, 1, 1, 2], np.int32)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    expected = -log_softmax[np.arange(5), domains].mean()
    assert float(tr.domain_classification_term(domains, logits)) == pytest.approx(expected, rel=1e-5)
    assert float(tr.domain_classification_term(domains, logits, weight=2.0)) == pytest.approx(2 * expected, rel=1e-5)


def test_domain_classification_attributes_is_summed_sigmoid_cross_entropy():
    logits = rng.standard_normal((3, 5)).astype(np.float32)
    targets = rng.integers(0, 2, (3, 5)).astype(np.float32)
    p = 1 / (1 + np.exp(-logits.astype(np.float64)))
    expected = -(targets * np.log(p) + (1 - targets) * np.log(1 - p)).sum(axis=1).mean()
    assert float(tr.domain_classification_term(targets, logits)) == pytest.approx(expected, rel=1e-5)


def test_reconstruction_term():
    x, rec = images(2, 4, 4, 3), images(2, 4, 4, 3)
    assert float(tr.reconstruction_term(x, rec)) == pytest.approx(10 * np.abs(rec - x).mean(), rel=1e-6)
    assert float(tr.reconstruction_term(x, x)) == 0.0


def test_one_hot_domains():
    np.testing.assert_array_equal(tr.one_hot_domains(np.array([2, 0]), 3), [[0, 0, 1], [1, 0, 0]])
    np.testing.assert_array_equal(tr.one_hot_domains(np.array([[2], [0]]), 3), [[0, 0, 1], [1, 0, 0]])
    attributes = np.array([[1.0, 0.0, 1.0]], np.float32)
    np.testing.assert_array_equal(tr.one_hot_domains(attributes, 3), attributes)
    assert tr.one_hot_domains(np.array([1]), 2, dtype=tf.float16).dtype == tf.float16


def test_terms_pass_gradients_to_the_translations():
    a, b = tf.constant(images(2, 4, 4, 3)), tf.constant(images(2, 4, 4, 3))
    ca = tf.Variable(images(2, 4, 4, 3))
    with tf.GradientTape() as tape:
        loss = tr.cycle_terms(a, ca, b, b)["g_cycle_a"]
    grad = tape.gradient(loss, ca).numpy()
    np.testing.assert_allclose(grad, 10 * np.sign(ca.numpy() - a.numpy()) / a.numpy().size, rtol=1e-6)
