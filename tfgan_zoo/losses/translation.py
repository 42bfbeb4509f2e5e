"""The weighted terms of the unpaired image-to-image families, built on reconstruction.py.

CycleGAN (Zhu et al. 2017), G: A -> B and F: B -> A:
    g_cycle_a    = λ_cyc |F(G(a)) - a|_1          g_cycle_b    = λ_cyc |G(F(b)) - b|_1
    g_identity_a = λ_cyc λ_id |F(a) - a|_1        g_identity_b = λ_cyc λ_id |G(b) - b|_1
with λ_cyc = 10 and λ_id = 0.5. Identity convention: as in the official code (and keras.io's
port), λ_id is a factor on λ_cyc, so each identity term weighs 5; ports with an absolute
identity weight (LynnHo's identity_loss_weight) write 5 for the same loss. Each generator is
fed images of the domain it maps INTO (G gets b, F gets a) and should return them unchanged.

StarGAN (Choi et al. 2018), G(x, c) and D's domain head D_cls:
    d_cls = λ_cls CE(D_cls(x), c_org)      on real images
    g_cls = λ_cls CE(D_cls(G(x, c_trg)), c_trg)
    g_rec = λ_rec |G(G(x, c_trg), c_org) - x|_1
with λ_cls = 1, λ_rec = 10. CE is softmax cross-entropy for one domain per image (integer
labels; RaFD-style) or, for attribute vectors, sigmoid cross-entropy summed over attributes
(float [B, K] targets; CelebA-style).

|.|_1 is the mean absolute difference over every element (reconstruction.l1_loss).
"""
import tensorflow as tf

from tfgan_zoo.losses.reconstruction import l1_loss, multilabel_classification_loss, sparse_classification_loss

CYCLE_WEIGHT = 10.0
IDENTITY_FACTOR = 0.5
RECONSTRUCTION_WEIGHT = 10.0
CLASSIFICATION_WEIGHT = 1.0


def cycle_terms(real_a, cycled_a, real_b, cycled_b, weight=CYCLE_WEIGHT):
    """{"g_cycle_a": λ |F(G(a)) - a|_1, "g_cycle_b": λ |G(F(b)) - b|_1}."""
    return {"g_cycle_a": weight * l1_loss(cycled_a, real_a), "g_cycle_b": weight * l1_loss(cycled_b, real_b)}


def identity_terms(real_a, same_a, real_b, same_b, cycle_weight=CYCLE_WEIGHT, factor=IDENTITY_FACTOR):
    """{"g_identity_a": λ_cyc λ_id |F(a) - a|_1, "g_identity_b": λ_cyc λ_id |G(b) - b|_1}.

    same_a = F(a) (the B -> A generator fed A), same_b = G(b) (the A -> B generator fed B).
    """
    weight = cycle_weight * factor
    return {"g_identity_a": weight * l1_loss(same_a, real_a), "g_identity_b": weight * l1_loss(same_b, real_b)}


def domain_classification_term(domains, logits, weight=CLASSIFICATION_WEIGHT):
    """StarGAN's d_cls / g_cls: λ_cls CE, logits [B, K]; domains int [B] (softmax CE) or float
    [B, K] (sigmoid CE summed over attributes)."""
    domains = tf.convert_to_tensor(domains)
    if domains.dtype.is_integer:
        return weight * sparse_classification_loss(domains, logits)
    return weight * multilabel_classification_loss(domains, logits)


def reconstruction_term(real, reconstructed, weight=RECONSTRUCTION_WEIGHT):
    """StarGAN's g_rec: λ_rec |G(G(x, c_trg), c_org) - x|_1."""
    return weight * l1_loss(reconstructed, real)


def one_hot_domains(domains, num_domains, dtype=tf.float32):
    """int domains [B] -> the generator's condition [B, K]; float [B, K] attribute vectors pass."""
    domains = tf.convert_to_tensor(domains)
    if domains.dtype.is_integer:
        return tf.one_hot(tf.reshape(domains, [-1]), num_domains, dtype=dtype)
    return tf.cast(domains, dtype)
