"""Adversarial losses against direct NumPy formulas (float64, moderate logits)."""
import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo.losses import adversarial as adv
from tfgan_zoo.losses.adversarial import (
    HingeLoss, LeastSquaresLoss, MinimaxLoss, NonSaturatingLoss, RelativisticAverageBCELoss,
    RelativisticAverageHingeLoss, RelativisticAverageLSLoss, RelativisticBCELoss,
    RelativisticHingeLoss, RelativisticLSLoss, WassersteinLoss)

SHAPES = [(6,), (3, 2), (2, 3, 3, 1)]  # rank 1, rank 2, rank 4 (PatchGAN map)


def sig(x):
    return 1.0 / (1.0 + np.exp(-x))


def logits(shape, seed):
    return np.random.default_rng(seed).uniform(-3, 3, size=shape)


def close(tf_value, np_value, tol=1e-5):
    assert tf_value.dtype == tf.float32 and tf_value.shape == ()
    np.testing.assert_allclose(float(tf_value), np_value, rtol=tol, atol=tol)


@pytest.mark.parametrize("shape", SHAPES)
def test_minimax_and_nonsaturating(shape):
    r, f = logits(shape, 0), logits(shape, 1)
    d_np = -np.mean(np.log(sig(r))) - np.mean(np.log(1 - sig(f)))
    close(adv.minimax_discriminator_loss(r, f), d_np)
    close(adv.nonsaturating_discriminator_loss(r, f), d_np)
    close(adv.minimax_generator_loss(f), np.mean(np.log(1 - sig(f))))
    close(adv.nonsaturating_generator_loss(f), -np.mean(np.log(sig(f))))


@pytest.mark.parametrize("shape", SHAPES)
def test_optimal_discriminator_gives_two_log_two(shape):
    z = np.zeros(shape, np.float32)
    close(adv.minimax_discriminator_loss(z, z), 2 * np.log(2.0))
    close(MinimaxLoss().discriminator(z, z), 2 * np.log(2.0))


def test_minimax_generator_saturates_where_nonsaturating_does_not():
    x = tf.constant([-8.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        mm, ns = adv.minimax_generator_loss(x), adv.nonsaturating_generator_loss(x)
    # d/dx -softplus(x) = -sigmoid(x) ~ -3e-4 ; d/dx softplus(-x) = -(1 - sigmoid(x)) ~ -1
    np.testing.assert_allclose(tape.gradient(mm, x).numpy(), [-sig(-8.0)], rtol=1e-5)
    np.testing.assert_allclose(tape.gradient(ns, x).numpy(), [-(1 - sig(-8.0))], rtol=1e-5)


@pytest.mark.parametrize("shape", SHAPES)
def test_label_smoothing_changes_bce_loss_by_s_times_mean_real_logit(shape):
    # t softplus(-r) + (1-t) softplus(r) with t = 1 - s differs from t = 1 by s*(sp(r) - sp(-r))
    # = s * r, so the loss grows by s * mean(d_real).
    r, f, s = logits(shape, 2), logits(shape, 3), 0.1
    delta = adv.minimax_discriminator_loss(r, f, label_smoothing=s) \
        - adv.minimax_discriminator_loss(r, f)
    close(delta, s * np.mean(r))
    close(NonSaturatingLoss(label_smoothing=s).discriminator(r, f)
          - NonSaturatingLoss().discriminator(r, f), s * np.mean(r))


def test_flip_masks_swap_targets():
    r, f, s = logits((2, 2, 2, 1), 4), logits((2, 2, 2, 1), 5), 0.2
    rm = np.random.default_rng(6).uniform(size=r.shape) < 0.5
    fm = np.random.default_rng(7).uniform(size=f.shape) < 0.5
    rt, ft = np.where(rm, 0.0, 1 - s), np.where(fm, 1 - s, 0.0)

    def bce(x, t):
        return -(t * np.log(sig(x)) + (1 - t) * np.log(1 - sig(x)))
    close(adv.minimax_discriminator_loss(r, f, s, tf.constant(rm), tf.constant(fm)),
          np.mean(bce(r, rt)) + np.mean(bce(f, ft)))
    a, b = -1.0, 1.0
    lrt, lft = np.where(rm, a, b - s * (b - a)), np.where(fm, b - s * (b - a), a)
    close(adv.least_squares_discriminator_loss(r, f, a, b, s, rm, fm),
          0.5 * np.mean((r - lrt) ** 2) + 0.5 * np.mean((f - lft) ** 2))


def test_loss_object_label_flip_uses_given_random_uniform():
    r, f = logits((4, 1), 8), logits((4, 1), 9)
    draws = [np.array([[0.1], [0.9], [0.2], [0.8]]), np.array([[0.9], [0.1], [0.9], [0.9]])]

    def random_uniform(shape):
        return tf.constant(draws.pop(0), tf.float32)
    loss = MinimaxLoss(label_flip=0.3).discriminator(r, f, random_uniform=random_uniform)
    rt, ft = np.array([[0.0], [1], [0], [1]]), np.array([[0.0], [1], [0], [0]])
    ref = -np.mean(rt * np.log(sig(r)) + (1 - rt) * np.log(1 - sig(r))) \
        - np.mean(ft * np.log(sig(f)) + (1 - ft) * np.log(1 - sig(f)))
    close(loss, ref)
    with pytest.raises(ValueError, match="random_uniform"):
        MinimaxLoss(label_flip=0.3).discriminator(r, f)


@pytest.mark.parametrize("shape", SHAPES)
def test_least_squares(shape):
    r, f = logits(shape, 10), logits(shape, 11)
    close(adv.least_squares_discriminator_loss(r, f),
          0.5 * np.mean((r - 1) ** 2) + 0.5 * np.mean(f ** 2))
    close(adv.least_squares_generator_loss(f), 0.5 * np.mean((f - 1) ** 2))
    loss = LeastSquaresLoss(a=-1.0, b=1.0, c=0.0)
    close(loss.discriminator(r, f), 0.5 * np.mean((r - 1) ** 2) + 0.5 * np.mean((f + 1) ** 2))
    close(loss.generator(f), 0.5 * np.mean(f ** 2))


@pytest.mark.parametrize("shape", SHAPES)
def test_wasserstein_and_hinge(shape):
    r, f = logits(shape, 12), logits(shape, 13)
    close(WassersteinLoss().discriminator(r, f), np.mean(f) - np.mean(r))
    close(WassersteinLoss().generator(f), -np.mean(f))
    close(HingeLoss().discriminator(r, f),
          np.mean(np.maximum(0, 1 - r)) + np.mean(np.maximum(0, 1 + f)))
    close(HingeLoss().generator(f), -np.mean(f))


def test_hinge_hand_values():
    close(adv.hinge_discriminator_loss([2.0, 0.5], [-2.0, 0.0]), (0 + 0.5) / 2 + (0 + 1) / 2)


@pytest.mark.parametrize("shape", SHAPES)
def test_relativistic_losses(shape):
    r, f = logits(shape, 14), logits(shape, 15)
    mr, mf = np.mean(r), np.mean(f)
    ls, lsig = np.log, lambda x: np.log(sig(x))
    cases = {
        RelativisticBCELoss: (-np.mean(lsig(r - f)), -np.mean(lsig(f - r))),
        RelativisticAverageBCELoss: (
            -np.mean(lsig(r - mf)) - np.mean(ls(1 - sig(f - mr))),
            -np.mean(lsig(f - mr)) - np.mean(ls(1 - sig(r - mf)))),
        RelativisticLSLoss: (np.mean((r - f - 1) ** 2), np.mean((f - r - 1) ** 2)),
        RelativisticAverageLSLoss: (
            np.mean((r - mf - 1) ** 2) + np.mean((f - mr + 1) ** 2),
            np.mean((f - mr - 1) ** 2) + np.mean((r - mf + 1) ** 2)),
        RelativisticHingeLoss: (np.mean(np.maximum(0, 1 - (r - f))),
                                np.mean(np.maximum(0, 1 - (f - r)))),
        RelativisticAverageHingeLoss: (
            np.mean(np.maximum(0, 1 - (r - mf))) + np.mean(np.maximum(0, 1 + (f - mr))),
            np.mean(np.maximum(0, 1 - (f - mr))) + np.mean(np.maximum(0, 1 + (r - mf)))),
    }
    for cls, (d_ref, g_ref) in cases.items():
        loss = cls()
        assert loss.generator_needs_real
        close(loss.discriminator(r, f), d_ref)
        close(loss.generator(f, d_real=r), g_ref)
        with pytest.raises(ValueError, match="d_real"):
            loss.generator(f)


def test_relativistic_bce_label_smoothing():
    r, f, s = logits((5,), 16), logits((5,), 17), 0.1
    d = r - f
    close(RelativisticBCELoss(label_smoothing=s).discriminator(r, f),
          -np.mean((1 - s) * np.log(sig(d)) + s * np.log(1 - sig(d))))


def test_label_flip_traces_with_unknown_batch_size():
    loss = NonSaturatingLoss(label_flip=0.25)

    @tf.function(input_signature=[tf.TensorSpec([None, 2, 2, 1])] * 2)
    def d_loss(r, f):  # the base's random_uniform does list(shape): needs a list, not a tensor
        return loss.discriminator(r, f, random_uniform=lambda shape: tf.random.stateless_uniform(
            list(shape), seed=[1, 2]))
    r = logits((3, 2, 2, 1), 18).astype(np.float32)
    u = tf.random.stateless_uniform([3, 2, 2, 1], seed=[1, 2]).numpy()
    flip = u < 0.25  # the same draw for real and fake (same stateless seed)
    rt, ft = np.where(flip, 0.0, 1.0), np.where(flip, 1.0, 0.0)
    ref = -np.mean(rt * np.log(sig(r)) + (1 - rt) * np.log(1 - sig(r))) \
        - np.mean(ft * np.log(sig(-r)) + (1 - ft) * np.log(1 - sig(-r)))
    assert 0 < flip.sum() < flip.size
    close(d_loss(r, -r), ref)


def test_half_precision_inputs_give_float32_scalars():
    r = tf.constant([[0.5], [-1.0]], tf.float16)
    for loss in (NonSaturatingLoss(), HingeLoss(), LeastSquaresLoss(),
                 RelativisticAverageBCELoss()):
        value = loss.discriminator(r, r)
        assert value.dtype == tf.float32 and value.shape == ()
        assert loss.generator(r, d_real=r).dtype == tf.float32


def test_stable_for_extreme_logits():
    big = np.array([80.0, -80.0], np.float32)
    for value in (adv.minimax_discriminator_loss(big, -big), adv.nonsaturating_generator_loss(big),
                  adv.relativistic_bce_discriminator_loss(big, -big, average=True)):
        assert np.isfinite(float(value))
    close(adv.nonsaturating_generator_loss([80.0]), 0.0)
    close(adv.minimax_discriminator_loss([-80.0], [0.0]), 80.0 + np.log(2.0), tol=1e-6)


def test_loss_pairs_take_real_then_fake_and_d_real_is_keyword_only():
    """One argument order (TF-GAN's): every pair function takes (d_real, d_fake); the loss
    objects' generator takes d_real by keyword only, so a positional swap cannot happen."""
    import inspect
    for name in dir(adv):
        fn = getattr(adv, name)
        if name.endswith(("_generator_loss", "_discriminator_loss")) and callable(fn):
            params = list(inspect.signature(fn).parameters)
            if "d_real" in params:
                assert params.index("d_real") < params.index("d_fake"), name
    r, f = tf.constant([1.0, 2.0]), tf.constant([0.5, -1.0])
    with pytest.raises(TypeError):
        adv.RelativisticBCELoss().generator(f, r)
    close(adv.RelativisticBCELoss().generator(f, d_real=r), adv.relativistic_bce_generator_loss(r, f))
