"""f-GAN (Nowozin, Cseke & Tomioka 2016): variational divergence minimisation.

The discriminator outputs an unconstrained V(x); an output activation g_f maps it into the
domain of the convex conjugate f*. The variational lower bound of D_f(P || Q)

    F(D, G) = E_P[g_f(V(x))] - E_Q[f*(g_f(V(G(z))))]

is maximised by D (its loss is -F) and minimised by G. G only acts on the second term, so the
paper's saddle-point G loss is -E_Q[f*(g_f(V))]; the "alternative" (non-saturating) G loss
-E_Q[g_f(V)] maximises the bound's first term on fakes instead (the paper's practical choice).

Table (f-GAN paper, tables 1 and 6; the seed notes' table 001_*):
  name               f(u)                        g_f(v)                 f*(t)
  total_variation    |u - 1| / 2                 tanh(v) / 2            t
  kl                 u log u                     v                      exp(t - 1)
  reverse_kl         -log u                      -exp(-v)               -1 - log(-t)
  pearson            (u - 1)^2                   v                      t^2/4 + t
  neyman             (1 - u)^2 / u               1 - exp(-v)            2 - 2 sqrt(1 - t)
  squared_hellinger  (sqrt(u) - 1)^2             1 - exp(-v)            t / (1 - t)
  jeffrey            (u - 1) log u               v                      W(e^(1-t)) + 1/W(..) + t - 2
  jensen_shannon     -(u+1)log((1+u)/2) + ulogu  log 2 - log(1+e^-v)    -log(2 - exp(t))
  gan                u log u - (u+1) log(u+1)    -log(1 + exp(-v))      -log(1 - exp(t))

The losses use f*(g_f(v)) simplified in closed form (e.g. gan: softplus(v); squared_hellinger:
exp(v) - 1) so no intermediate value leaves the conjugate's domain in floating point.
With divergence "gan" the D loss is exactly the BCE (minimax) D loss.
"""
import math

import tensorflow as tf

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.losses.adversarial import AdversarialLoss

_LOG2 = math.log(2.0)


def log_lambertw_exp(x, halley_steps=2):
    """u = log W(exp(x)) (principal branch), i.e. the root of u + exp(u) = x, elementwise.

    TensorFlow has no Lambert W op (TF Probability has one, but is not a dependency), and
    W(e^(1-v)) overflows e^(1-v) for v < -88 in float32, so we solve in log space:
    h(u) = u + e^u - x is increasing and convex, and u0 = log(softplus(x)) >= root (because
    log(1 + y) >= y / (1 + y)), so Newton/Halley iterates decrease monotonically to the root.
    Two Halley steps give ~1e-11 error over x in [-100, 100]; a fixed count keeps the graph
    static (XLA / tf.function friendly). The iterations are under stop_gradient and one final
    Newton step is left differentiable: its derivative is 1 / (1 + W), the exact implicit
    derivative du/dx, instead of a derivative through the unrolled iterations.
    """
    x = tf.cast(x, tf.float32)
    u = tf.where(x < -20.0, x, tf.math.log(tf.nn.softplus(tf.maximum(x, -20.0))))
    for _ in range(halley_steps):
        e = tf.exp(u)
        h, dh = u + e - x, 1.0 + e
        u = u - 2.0 * h * dh / (2.0 * dh * dh - h * e)
    u = tf.stop_gradient(u)
    e = tf.exp(u)
    return u - (u + e - x) / (1.0 + e)


def lambertw_exp(x):
    """W(exp(x)) without forming exp(x)."""
    return tf.exp(log_lambertw_exp(x))


def _jeffrey_conjugate(t):
    u = log_lambertw_exp(1.0 - t)
    return tf.exp(u) + tf.exp(-u) + t - 2.0


# name -> (activation g_f(v), conjugate f*(t), fused f*(g_f(v)))
_TABLE = {
    "total_variation": (lambda v: 0.5 * tf.tanh(v), lambda t: t, lambda v: 0.5 * tf.tanh(v)),
    "kl": (lambda v: v, lambda t: tf.exp(t - 1.0), lambda v: tf.exp(v - 1.0)),
    "reverse_kl": (lambda v: -tf.exp(-v), lambda t: -1.0 - tf.math.log(-t), lambda v: v - 1.0),
    "pearson": (lambda v: v, lambda t: 0.25 * t * t + t, lambda v: 0.25 * v * v + v),
    "neyman": (lambda v: 1.0 - tf.exp(-v), lambda t: 2.0 - 2.0 * tf.sqrt(1.0 - t),
               lambda v: 2.0 - 2.0 * tf.exp(-0.5 * v)),
    "squared_hellinger": (lambda v: 1.0 - tf.exp(-v), lambda t: t / (1.0 - t),
                          lambda v: tf.math.expm1(v)),
    "jeffrey": (lambda v: v, _jeffrey_conjugate, _jeffrey_conjugate),
    "jensen_shannon": (lambda v: _LOG2 - tf.nn.softplus(-v),
                       lambda t: -tf.math.log(2.0 - tf.exp(t)),
                       lambda v: tf.nn.softplus(v) - _LOG2),
    "gan": (lambda v: -tf.nn.softplus(-v), lambda t: -tf.math.log(-tf.math.expm1(t)),
            lambda v: tf.nn.softplus(v)),
}
DIVERGENCES = tuple(_TABLE)


def _entry(divergence):
    if divergence not in _TABLE:
        from tfgan_zoo.registry import closest_hint
        raise ConfigError(f"f-GAN: unknown divergence {divergence!r}"
                          f"{closest_hint(divergence, _TABLE)}")
    return _TABLE[divergence]


def activation(divergence, v):
    """The output activation g_f(v) of `divergence`."""
    return _entry(divergence)[0](tf.cast(v, tf.float32))


def conjugate(divergence, t):
    """The Fenchel conjugate f*(t), for t in its domain (the table's form, not fused)."""
    return _entry(divergence)[1](tf.cast(t, tf.float32))


def conjugate_of_activation(divergence, v):
    """f*(g_f(v)) in the closed, numerically stable form."""
    return _entry(divergence)[2](tf.cast(v, tf.float32))


def fgan_discriminator_loss(d_real, d_fake, divergence="gan"):
    """-(E_P[g_f(V(x))] - E_Q[f*(g_f(V(G(z))))]), means over all elements."""
    return (tf.reduce_mean(conjugate_of_activation(divergence, d_fake))
            - tf.reduce_mean(activation(divergence, d_real)))


def fgan_generator_loss(d_fake, divergence="gan", alternative=False):
    """Saddle form -E_Q[f*(g_f(V))]; alternative=True: -E_Q[g_f(V)]."""
    if alternative:
        return -tf.reduce_mean(activation(divergence, d_fake))
    return -tf.reduce_mean(conjugate_of_activation(divergence, d_fake))


class FGANLoss(AdversarialLoss):
    """f-GAN loss object. divergence: one of DIVERGENCES; alternative_generator: use the
    -E_Q[g_f(V)] G loss instead of the saddle-point one."""
    name = "fgan"

    def __init__(self, divergence: str = "gan", alternative_generator: bool = False):
        _entry(divergence)
        if not isinstance(alternative_generator, bool):
            raise ConfigError(f"FGANLoss: alternative_generator must be true or false, "
                              f"got {alternative_generator!r}")
        self.divergence = divergence
        self.alternative_generator = alternative_generator

    def discriminator(self, d_real, d_fake, random_uniform=None):
        return fgan_discriminator_loss(d_real, d_fake, self.divergence)

    def generator(self, d_fake, *, d_real=None):
        return fgan_generator_loss(d_fake, self.divergence, self.alternative_generator)
