"""Reconstruction and auxiliary losses (pix2pix, CycleGAN, ACGAN, StarGAN, Improved-GAN).

All return float32 scalars: means over every element unless stated; weighting (pix2pix's
lambda=100, CycleGAN's lambda_cyc=10 / lambda_id=5, ...) is the family's job.
"""
import tensorflow as tf


def _f32(x):
    return tf.cast(x, tf.float32)


def l1_loss(a, b):
    """mean |a - b|."""
    return tf.reduce_mean(tf.abs(_f32(a) - _f32(b)))


def l2_loss(a, b):
    """mean (a - b)^2 (no factor 1/2)."""
    return tf.reduce_mean(tf.square(_f32(a) - _f32(b)))


def cycle_consistency_loss(real_a, cycled_a, real_b=None, cycled_b=None):
    """L1 between images and their round trips: |F(G(a)) - a| (+ |G(F(b)) - b| when given)."""
    loss = l1_loss(real_a, cycled_a)
    if (real_b is None) != (cycled_b is None):
        raise ValueError("cycle_consistency_loss: give both real_b and cycled_b or neither")
    if real_b is not None:
        loss += l1_loss(real_b, cycled_b)
    return loss


def identity_loss(real, mapped):
    """CycleGAN identity term |G(y) - y|: a generator fed its target domain should copy it."""
    return l1_loss(real, mapped)


def sparse_classification_loss(labels, logits):
    """Mean softmax cross-entropy for integer labels [B] and logits [B, K] (ACGAN)."""
    labels = tf.cast(tf.reshape(labels, [-1]), tf.int32)
    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=labels, logits=_f32(logits)))


def multilabel_classification_loss(targets, logits):
    """Sigmoid cross-entropy summed over attributes, mean over the batch (StarGAN's domain
    loss on binary attribute vectors [B, K])."""
    ce = tf.nn.sigmoid_cross_entropy_with_logits(labels=_f32(targets), logits=_f32(logits))
    return tf.reduce_mean(tf.reduce_sum(tf.reshape(ce, [tf.shape(ce)[0], -1]), axis=1))


def feature_matching_loss(real_features, fake_features):
    """Improved-GAN feature matching ||E f(x) - E f(G(z))||^2 on intermediate D features
    [B, ...] (batch means compared, squared L2 summed over features)."""
    mr = tf.reduce_mean(_f32(real_features), axis=0)
    mf = tf.reduce_mean(_f32(fake_features), axis=0)
    return tf.reduce_sum(tf.square(mr - mf))
