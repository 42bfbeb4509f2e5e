"""Terms of the conditional and control families: InfoGAN's information bound, TripleGAN's games.

Class cross-entropy (cGAN / ACGAN auxiliary classifiers, TripleGAN's supervised and
pseudo-discriminative terms) is `reconstruction.sparse_classification_loss`.

InfoGAN (Chen et al. 2016). For a code c ~ p(c) fed to G and a head Q(c|x) on D's trunk,
    I(c; G(z, c)) >= L_I = H(c) + E_{c, x=G(z,c)} log Q(c|x)      (nats)
so L_I is a lower bound on the mutual information that reaches H(c) when Q recovers c
exactly (categorical codes; for continuous codes H(c) is a differential entropy and L_I is
not capped). Both G and Q maximise lambda * L_I, i.e. add -lambda * L_I to their losses.

TripleGAN (Li et al. 2017). D judges (x, y) pairs from the data p(x, y), from G
(p_g(x, y) = p(y) p_g(x|y)) and from C (p_c(x, y) = p(x) p_c(y|x)):
    D: -E_p log D - (1 - alpha) E_pg log(1 - D) - alpha E_pc log(1 - D)
with alpha = 1/2 in the paper and its code. On logits d, -log D = softplus(-d) and
-log(1 - D) = softplus(d). C's labels are discrete, so its pairs are either weighted over
every class by p_c(y|x) (the exact expectation, `classified_weights` [B, K]) or taken at
argmax with no weight (the reference code's "argmax" approximation, logits [B]).

Every function returns float32 scalars: means over the batch.
"""
import math

import tensorflow as tf

PRIORS = ("uniform", "normal")


def _f32(x):
    return tf.cast(x, tf.float32)


# --- InfoGAN -----------------------------------------------------------------------------

def categorical_log_likelihood(codes, logits):
    """E log Q(c|x) for integer codes [B] (or [B, 1]) and Q's logits [B, K]: minus the cross-entropy."""
    codes = tf.cast(tf.reshape(codes, [-1]), tf.int32)
    return -tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=codes, logits=_f32(logits)))


def gaussian_log_likelihood(codes, mean, log_std=None):
    """E sum_j log N(c_j; mean_j, exp(log_std_j)^2) for continuous codes [B, J].

    log_std None: unit standard deviation (the InfoGAN reference's fixed-std Q, where the
    term is -1/2 ||c - mean||^2 up to a constant).
    """
    codes, mean = _f32(codes), _f32(mean)
    log_std = tf.zeros_like(mean) if log_std is None else _f32(log_std)
    z = (codes - mean) * tf.exp(-log_std)
    per_dim = -0.5 * math.log(2.0 * math.pi) - log_std - 0.5 * tf.square(z)
    return tf.reduce_mean(tf.reduce_sum(per_dim, axis=-1))


def categorical_entropy(num_categories):
    """H(c) of a uniform categorical code, ln K nats."""
    return math.log(num_categories)


def continuous_entropy(num_dims, prior="uniform", low=-1.0, high=1.0):
    """Differential entropy (nats) of num_dims independent codes: U(low, high) -> ln(high - low)
    per dimension, N(0, 1) -> ln(2 pi e) / 2 per dimension."""
    if prior not in PRIORS:
        raise ValueError(f"prior must be one of {PRIORS}, got {prior!r}")
    if prior == "uniform":
        if not high > low:
            raise ValueError(f"uniform prior needs high > low, got [{low}, {high}]")
        return num_dims * math.log(high - low)
    return num_dims * 0.5 * math.log(2.0 * math.pi * math.e)


def information_bound(log_likelihood, entropy):
    """L_I = H(c) + E log Q(c|x), the mutual-information lower bound in nats."""
    return tf.cast(entropy, tf.float32) + _f32(log_likelihood)


def infogan_terms(category, category_logits, continuous=None, continuous_mean=None, continuous_log_std=None,
                  prior="uniform", continuous_weight=1.0, category_weight=1.0):
    """InfoGAN's information terms for one categorical code and optional continuous codes.

    category: int codes [B]; category_logits: Q's logits [B, K].
    continuous: codes [B, J] drawn from `prior` (uniform on [-1, 1] or standard normal);
        continuous_mean / continuous_log_std: Q's Gaussian estimate (log-std None: unit).
    -> {"mi_categorical": L_I of the category (<= ln K), "mi_continuous": L_I of the continuous
        codes (when given), "info_loss": -(category_weight * mi_categorical
        + continuous_weight * mi_continuous)}, the term G and Q both minimise.
    """
    num_categories = category_logits.shape[-1]
    if num_categories is None:
        raise ValueError("infogan_terms: the number of categories (last axis of the logits) must be known")
    terms = {"mi_categorical": information_bound(categorical_log_likelihood(category, category_logits),
                                                 categorical_entropy(num_categories))}
    loss = -category_weight * terms["mi_categorical"]
    if (continuous is None) != (continuous_mean is None):
        raise ValueError("infogan_terms: give both continuous codes and Q's continuous mean, or neither")
    if continuous is not None:
        dims = continuous.shape[-1]
        terms["mi_continuous"] = information_bound(
            gaussian_log_likelihood(continuous, continuous_mean, continuous_log_std),
            continuous_entropy(dims, prior))
        loss -= continuous_weight * terms["mi_continuous"]
    terms["info_loss"] = loss
    return terms


# --- TripleGAN ---------------------------------------------------------------------------

def _pair_mean(logits, weights, sign):
    """mean_b of softplus(sign * d) [B], or of sum_k w_bk softplus(sign * d_bk) [B, K]."""
    values = tf.nn.softplus(sign * _f32(logits))
    if weights is None:
        return tf.reduce_mean(values)
    return tf.reduce_mean(tf.reduce_sum(_f32(weights) * values, axis=-1))


def triplegan_discriminator_loss(real_logits, generated_logits, classified_logits, classified_weights=None,
                                 alpha=0.5):
    """D's three-way loss -> (total, {"d_real", "d_generated", "d_classified"}) (unweighted parts).

    real_logits: D on labelled data pairs [B]; generated_logits: D on (G(z, y), y) [B];
    classified_logits: D on (x, y) for unlabelled x with C's labels: [B] at argmax, or [B, K]
        for every class with classified_weights = p_c(y|x) [B, K] (hold them fixed for D).
    alpha: weight of C's pairs; G's get 1 - alpha.
    """
    parts = {"d_real": _pair_mean(real_logits, None, -1.0),
             "d_generated": _pair_mean(generated_logits, None, 1.0),
             "d_classified": _pair_mean(classified_logits, classified_weights, 1.0)}
    total = parts["d_real"] + (1.0 - alpha) * parts["d_generated"] + alpha * parts["d_classified"]
    return total, parts


def triplegan_generator_loss(generated_logits, alpha=0.5):
    """(1 - alpha) E_pg -log D(G(z, y), y): the non-saturating form of G's part, as in the reference."""
    return (1.0 - alpha) * _pair_mean(generated_logits, None, -1.0)


def triplegan_classifier_adversarial_loss(classified_logits, classified_weights, alpha=0.5):
    """alpha E_x sum_y p_c(y|x) -log D(x, y): C is rewarded for labels D takes for data.

    The gradient reaches C through classified_weights (p_c(y|x) [B, K] for every class, or the
    argmax probability [B] with logits [B]); D's logits are constants to C.
    """
    logits, weights = _f32(classified_logits), _f32(classified_weights)
    if len(logits.shape) == 1:  # argmax approximation: weight each example's one pair
        return alpha * tf.reduce_mean(weights * tf.nn.softplus(-logits))
    return alpha * _pair_mean(logits, weights, -1.0)


def mean_entropy(logits):
    """Mean entropy (nats) of softmax(logits) [B, K]: the entropy-minimisation term on unlabelled data."""
    logits = _f32(logits)
    return tf.reduce_mean(-tf.reduce_sum(tf.nn.softmax(logits) * tf.nn.log_softmax(logits), axis=-1))
