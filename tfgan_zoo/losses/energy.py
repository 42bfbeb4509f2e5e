"""Energy-based losses: EBGAN (Zhao et al. 2017) and BEGAN (Berthelot et al. 2017).

Both use an autoencoder discriminator; the "energy" of an image is its reconstruction error.
All functions are pure: BEGAN's k_t is passed in and the next value returned, the family
class owns the variable (and assigns `began_k_update(...)` after each step).
"""
import tensorflow as tf

from tfgan_zoo.losses.adversarial import AdversarialLoss, check_range


def _per_sample_mean(x):
    x = tf.cast(x, tf.float32)
    return tf.reduce_mean(tf.reshape(x, [tf.shape(x)[0], -1]), axis=1)


# ------------------------------------------------------------------ EBGAN
def reconstruction_energy(images, reconstructions):
    """Per-sample mean squared error [B]: the EBGAN discriminator's energy D(x)."""
    return _per_sample_mean(tf.square(tf.cast(images, tf.float32)
                                      - tf.cast(reconstructions, tf.float32)))


def ebgan_discriminator_loss(energy_real, energy_fake, margin=1.0):
    """E[D(x)] + E[max(0, m - D(G(z)))]."""
    return (tf.reduce_mean(tf.cast(energy_real, tf.float32))
            + tf.reduce_mean(tf.nn.relu(margin - tf.cast(energy_fake, tf.float32))))


def ebgan_generator_loss(energy_fake):
    """E[D(G(z))]."""
    return tf.reduce_mean(tf.cast(energy_fake, tf.float32))


def pulling_away_term(embeddings):
    """PT = 1/(N(N-1)) sum_{i != j} (s_i . s_j / (|s_i| |s_j|))^2 over the batch's encoder
    embeddings (flattened per sample); needs N >= 2. Added to the G loss with a weight (0.1)."""
    s = tf.cast(embeddings, tf.float32)
    s = tf.reshape(s, [tf.shape(s)[0], -1])
    s = s / tf.sqrt(tf.reduce_sum(tf.square(s), axis=1, keepdims=True) + 1e-12)
    cos2 = tf.square(tf.matmul(s, s, transpose_b=True))
    n = tf.cast(tf.shape(s)[0], tf.float32)
    return (tf.reduce_sum(cos2) - tf.reduce_sum(tf.linalg.diag_part(cos2))) / (n * (n - 1.0))


class EBGANLoss(AdversarialLoss):
    """EBGAN margin loss on per-sample energies (the discriminator's outputs must be energies,
    e.g. `reconstruction_energy(x, AE(x))`), not logits."""
    name = "ebgan"

    def __init__(self, margin: float = 1.0):
        self.margin = check_range("EBGANLoss", "margin", margin, 0.0, low_open=True)

    def discriminator(self, d_real, d_fake, random_uniform=None):
        return ebgan_discriminator_loss(d_real, d_fake, self.margin)

    def generator(self, d_fake, *, d_real=None):
        return ebgan_generator_loss(d_fake)


# ------------------------------------------------------------------ BEGAN
def began_autoencoder_loss(images, reconstructions):
    """L(v) = mean |v - AE(v)| per sample [B]."""
    return _per_sample_mean(tf.abs(tf.cast(images, tf.float32)
                                   - tf.cast(reconstructions, tf.float32)))


def began_discriminator_loss(loss_real, loss_fake, k):
    """L(x) - k_t L(G(z)) (means over the batch; k_t is a constant here)."""
    return (tf.reduce_mean(tf.cast(loss_real, tf.float32))
            - tf.stop_gradient(tf.cast(k, tf.float32))
            * tf.reduce_mean(tf.cast(loss_fake, tf.float32)))


def began_generator_loss(loss_fake):
    """L(G(z))."""
    return tf.reduce_mean(tf.cast(loss_fake, tf.float32))


def began_k_update(k, loss_real, loss_fake, gamma=0.5, lambda_k=1e-3):
    """k_{t+1} = clip(k_t + lambda_k (gamma L(x) - L(G(z))), 0, 1) (no gradient)."""
    lr = tf.stop_gradient(tf.reduce_mean(tf.cast(loss_real, tf.float32)))
    lf = tf.stop_gradient(tf.reduce_mean(tf.cast(loss_fake, tf.float32)))
    return tf.clip_by_value(tf.cast(k, tf.float32) + lambda_k * (gamma * lr - lf), 0.0, 1.0)


def began_convergence(loss_real, loss_fake, gamma=0.5):
    """M_global = L(x) + |gamma L(x) - L(G(z))|."""
    lr = tf.reduce_mean(tf.cast(loss_real, tf.float32))
    lf = tf.reduce_mean(tf.cast(loss_fake, tf.float32))
    return lr + tf.abs(gamma * lr - lf)
