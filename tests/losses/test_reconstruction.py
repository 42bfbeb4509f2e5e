"""Reconstruction / auxiliary losses against hand numbers."""
import numpy as np
import pytest

from tfgan_zoo.losses import reconstruction as rec


def test_l1_l2():
    a, b = np.array([[1.0, -2.0], [0.5, 0.0]]), np.array([[0.0, 0.0], [0.5, 2.0]])
    assert float(rec.l1_loss(a, b)) == pytest.approx((1 + 2 + 0 + 2) / 4)
    assert float(rec.l2_loss(a, b)) == pytest.approx((1 + 4 + 0 + 4) / 4)


def test_cycle_and_identity():
    a, ca = np.zeros((2, 2, 2, 1)), np.full((2, 2, 2, 1), 0.5)
    b, cb = np.ones((1, 4)), np.array([[1.0, 1.0, 0.0, 1.0]])
    assert float(rec.cycle_consistency_loss(a, ca)) == pytest.approx(0.5)
    assert float(rec.cycle_consistency_loss(a, ca, b, cb)) == pytest.approx(0.5 + 0.25)
    assert float(rec.identity_loss(b, cb)) == pytest.approx(0.25)
    with pytest.raises(ValueError):
        rec.cycle_consistency_loss(a, ca, b)


def test_sparse_classification_loss():
    logits = np.array([[2.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    labels = np.array([0, 2])
    p0 = np.exp(2) / (np.exp(2) + 2)
    expected = (-np.log(p0) + np.log(3.0)) / 2
    assert float(rec.sparse_classification_loss(labels, logits)) == pytest.approx(expected, 1e-6)
    assert float(rec.sparse_classification_loss(labels[:, None], logits)) == pytest.approx(
        expected, 1e-6)


def test_multilabel_classification_loss():
    logits, targets = np.array([[0.0, 2.0], [-1.0, 0.0]]), np.array([[1.0, 0.0], [0.0, 1.0]])
    sig = 1 / (1 + np.exp(-logits))
    per = -(targets * np.log(sig) + (1 - targets) * np.log(1 - sig))
    assert float(rec.multilabel_classification_loss(targets, logits)) == pytest.approx(
        per.sum(axis=1).mean(), 1e-6)


def test_feature_matching_loss():
    real = np.array([[1.0, 2.0], [3.0, 4.0]])   # mean (2, 3)
    fake = np.array([[0.0, 0.0], [2.0, 2.0]])   # mean (1, 1)
    assert float(rec.feature_matching_loss(real, fake)) == pytest.approx(1 + 4)
