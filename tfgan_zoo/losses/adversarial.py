"""Adversarial losses on discriminator LOGITS (raw outputs, no sigmoid) of any rank.

Every function returns a float32 scalar: the mean over all elements of each batch term, so a
PatchGAN map [B, H, W, 1] is treated as B*H*W independent decisions. Inputs in float16 /
bfloat16 (mixed precision) are cast to float32 first. BCE terms use the stable identities
-log sigmoid(x) = softplus(-x) and -log(1 - sigmoid(x)) = softplus(x).

Label options of the D losses (BCE and least-squares forms):
  label_smoothing s   one-sided smoothing: the "real" target becomes 1 - s (for least squares
                      b - s*(b - a)); fake targets are never smoothed.
  real_flip_mask /    noisy labels: boolean tensors shaped like d_real / d_fake; where True the
  fake_flip_mask      label is swapped (real -> fake target, fake -> (smoothed) real target).
                      The caller draws the mask (e.g. `model.random_uniform(shape) < p`), so
                      the loss itself stays deterministic.

Relativistic losses (Jolicoeur-Martineau 2018): "rs" compares each real with the fake at the
same index, C(x_r) - C(x_f); "ra" compares with the mean over the other batch (all elements).
Their generator losses need d_real as well.
"""
import tensorflow as tf

from tfgan_zoo.distribute import global_mean

from tfgan_zoo.errors import ConfigError


def _f32(x):
    return tf.cast(x, tf.float32)


def _mean(x):
    return tf.reduce_mean(_f32(x))


def _shape_list(x):
    """x's shape as a list: static dims as ints, unknown ones as scalar tensors."""
    x = tf.convert_to_tensor(x)
    dynamic = tf.shape(x)
    return [d if d is not None else dynamic[i] for i, d in enumerate(x.shape)]


def _targets(like, target, flip_mask=None, flipped_target=None):
    """Constant `target` shaped like `like`, replaced by `flipped_target` where flip_mask."""
    t = tf.fill(tf.shape(like), tf.constant(target, tf.float32))
    if flip_mask is not None:
        t = tf.where(tf.cast(flip_mask, tf.bool), tf.constant(flipped_target, tf.float32), t)
    return t


def bce_with_logits(logits, targets):
    """Elementwise binary cross-entropy -[y log s(x) + (1-y) log(1-s(x))] in softplus form."""
    logits = _f32(logits)
    return targets * tf.nn.softplus(-logits) + (1.0 - targets) * tf.nn.softplus(logits)


def _bce_pair(real_logits, fake_logits, label_smoothing, real_flip_mask, fake_flip_mask):
    """BCE D loss with real target 1 - s and fake target 0 (labels optionally flipped)."""
    real_t = 1.0 - label_smoothing
    r = bce_with_logits(real_logits, _targets(real_logits, real_t, real_flip_mask, 0.0))
    f = bce_with_logits(fake_logits, _targets(fake_logits, 0.0, fake_flip_mask, real_t))
    return tf.reduce_mean(r) + tf.reduce_mean(f)


# ------------------------------------------------------------------ minimax / non-saturating
def minimax_discriminator_loss(d_real, d_fake, label_smoothing=0.0, real_flip_mask=None,
                               fake_flip_mask=None):
    """-E[log D(x)] - E[log(1 - D(G(z)))]; equals 2 log 2 at D = 1/2 (logits 0)."""
    return _bce_pair(d_real, d_fake, label_smoothing, real_flip_mask, fake_flip_mask)


def minimax_generator_loss(d_fake):
    """The saturating G loss E[log(1 - D(G(z)))] = -E[softplus(d_fake)] (G minimises it)."""
    return -tf.reduce_mean(tf.nn.softplus(_f32(d_fake)))


nonsaturating_discriminator_loss = minimax_discriminator_loss


def nonsaturating_generator_loss(d_fake):
    """-E[log D(G(z))] = E[softplus(-d_fake)]."""
    return tf.reduce_mean(tf.nn.softplus(-_f32(d_fake)))


# ------------------------------------------------------------------ least squares (LSGAN)
def least_squares_discriminator_loss(d_real, d_fake, a=0.0, b=1.0, label_smoothing=0.0,
                                     real_flip_mask=None, fake_flip_mask=None):
    """1/2 E[(D(x) - b)^2] + 1/2 E[(D(G(z)) - a)^2] (Mao et al., a-b-c coding)."""
    real_t = b - label_smoothing * (b - a)
    rt = _targets(d_real, real_t, real_flip_mask, a)
    ft = _targets(d_fake, a, fake_flip_mask, real_t)
    return 0.5 * (tf.reduce_mean(tf.square(_f32(d_real) - rt))
                  + tf.reduce_mean(tf.square(_f32(d_fake) - ft)))


def least_squares_generator_loss(d_fake, c=1.0):
    """1/2 E[(D(G(z)) - c)^2]."""
    return 0.5 * tf.reduce_mean(tf.square(_f32(d_fake) - c))


# ------------------------------------------------------------------ Wasserstein / hinge
def wasserstein_discriminator_loss(d_real, d_fake):
    """E[D(G(z))] - E[D(x)] (the critic maximises the difference)."""
    return _mean(d_fake) - _mean(d_real)


def wasserstein_generator_loss(d_fake):
    """-E[D(G(z))]."""
    return -_mean(d_fake)


def hinge_discriminator_loss(d_real, d_fake):
    """E[max(0, 1 - D(x))] + E[max(0, 1 + D(G(z)))] (SAGAN / BigGAN)."""
    return _mean(tf.nn.relu(1.0 - _f32(d_real))) + _mean(tf.nn.relu(1.0 + _f32(d_fake)))


hinge_generator_loss = wasserstein_generator_loss


# ------------------------------------------------------------------ relativistic
def _rel(d_real, d_fake, average):
    """(real relative to fake, fake relative to real) differences. The relativistic average
    E[C(x)] is over the global batch, as on one device."""
    r, f = _f32(d_real), _f32(d_fake)
    if average:
        return r - global_mean(f), f - global_mean(r)
    return r - f, f - r


def relativistic_bce_discriminator_loss(d_real, d_fake, average=False, label_smoothing=0.0,
                                        real_flip_mask=None, fake_flip_mask=None):
    """RSGAN: -E[log s(C(xr) - C(xf))]. RaGAN: -E[log s(C(xr) - E C(xf))]
    - E[log(1 - s(C(xf) - E C(xr)))]."""
    rr, ff = _rel(d_real, d_fake, average)
    real_t = 1.0 - label_smoothing
    loss = tf.reduce_mean(bce_with_logits(rr, _targets(rr, real_t, real_flip_mask, 0.0)))
    if average:
        loss += tf.reduce_mean(bce_with_logits(ff, _targets(ff, 0.0, fake_flip_mask, real_t)))
    return loss


def relativistic_bce_generator_loss(d_real, d_fake, average=False):
    """The D loss with real and fake swapped (no smoothing)."""
    rr, ff = _rel(d_real, d_fake, average)
    loss = tf.reduce_mean(tf.nn.softplus(-ff))
    if average:
        loss += tf.reduce_mean(tf.nn.softplus(rr))
    return loss


def relativistic_ls_discriminator_loss(d_real, d_fake, average=False):
    """RSLSGAN: E[(C(xr) - C(xf) - 1)^2]. RaLSGAN: E[(C(xr) - E C(xf) - 1)^2]
    + E[(C(xf) - E C(xr) + 1)^2] (the paper's forms, no factor 1/2)."""
    rr, ff = _rel(d_real, d_fake, average)
    loss = tf.reduce_mean(tf.square(rr - 1.0))
    if average:
        loss += tf.reduce_mean(tf.square(ff + 1.0))
    return loss


def relativistic_ls_generator_loss(d_real, d_fake, average=False):
    rr, ff = _rel(d_real, d_fake, average)
    loss = tf.reduce_mean(tf.square(ff - 1.0))
    if average:
        loss += tf.reduce_mean(tf.square(rr + 1.0))
    return loss


def relativistic_hinge_discriminator_loss(d_real, d_fake, average=False):
    """RSHinge: E[max(0, 1 - (C(xr) - C(xf)))]. RaHinge adds E[max(0, 1 + (C(xf) - E C(xr)))]."""
    rr, ff = _rel(d_real, d_fake, average)
    loss = tf.reduce_mean(tf.nn.relu(1.0 - rr))
    if average:
        loss += tf.reduce_mean(tf.nn.relu(1.0 + ff))
    return loss


def relativistic_hinge_generator_loss(d_real, d_fake, average=False):
    rr, ff = _rel(d_real, d_fake, average)
    loss = tf.reduce_mean(tf.nn.relu(1.0 - ff))
    if average:
        loss += tf.reduce_mean(tf.nn.relu(1.0 + rr))
    return loss


# ------------------------------------------------------------------ loss objects
def check_range(owner, name, value, low=0.0, high=None, low_open=False):
    """Raise ConfigError unless low <= value (< high); used by every constructor here."""
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    ok = ok and (value > low if low_open else value >= low) and (high is None or value < high)
    if not ok:
        bound = f"> {low}" if low_open else f">= {low}"
        bound += f" and < {high}" if high is not None else ""
        raise ConfigError(f"{owner}: {name} must be a number {bound}, got {value!r}")
    return float(value)


class AdversarialLoss:
    """Uniform interface the base train_step uses; subclasses set the two functions.

    discriminator(d_real, d_fake, random_uniform=None) -> scalar D loss
    generator(d_fake, *, d_real=None) -> scalar G loss (relativistic losses need d_real:
        `generator_needs_real` is True for them; keyword-only, so no positional swap of real
        and fake is possible). The pair functions all take (d_real, d_fake) in that order.
    `random_uniform` (a callable shape -> U[0,1) tensor, e.g. `model.random_uniform`) is only
    used by losses built with label_flip > 0, which raise if it is not given.
    """
    generator_needs_real = False
    name = "adversarial"

    def discriminator(self, d_real, d_fake, random_uniform=None):
        raise TypeError(f"{type(self).__name__} defines no discriminator loss")

    def generator(self, d_fake, *, d_real=None):
        raise TypeError(f"{type(self).__name__} defines no generator loss")

    def _need_real(self, d_real):
        if d_real is None:
            raise ValueError(f"{type(self).__name__}.generator needs d_real (relativistic)")
        return d_real


class _LabelNoiseLoss(AdversarialLoss):
    """Shared label_smoothing / label_flip handling of the BCE and least-squares losses."""

    def __init__(self, label_smoothing: float = 0.0, label_flip: float = 0.0):
        owner = type(self).__name__
        self.label_smoothing = check_range(owner, "label_smoothing", label_smoothing, 0.0, 1.0)
        self.label_flip = check_range(owner, "label_flip", label_flip, 0.0, 1.0)

    def _flip_masks(self, d_real, d_fake, random_uniform):
        if self.label_flip == 0.0:
            return None, None
        if random_uniform is None:
            raise ValueError(f"{type(self).__name__}(label_flip={self.label_flip}) needs "
                             "discriminator(..., random_uniform=model.random_uniform)")
        return (random_uniform(_shape_list(d_real)) < self.label_flip,
                random_uniform(_shape_list(d_fake)) < self.label_flip)

    def discriminator(self, d_real, d_fake, random_uniform=None):
        rm, fm = self._flip_masks(d_real, d_fake, random_uniform)
        return self._d_loss(d_real, d_fake, rm, fm)


class MinimaxLoss(_LabelNoiseLoss):
    """Original GAN: BCE D loss, saturating G loss E[log(1 - D(G(z)))]."""
    name = "minimax"

    def _d_loss(self, d_real, d_fake, rm, fm):
        return minimax_discriminator_loss(d_real, d_fake, self.label_smoothing, rm, fm)

    def generator(self, d_fake, *, d_real=None):
        return minimax_generator_loss(d_fake)


class NonSaturatingLoss(MinimaxLoss):
    """BCE D loss, non-saturating G loss -E[log D(G(z))]."""
    name = "nonsaturating"

    def generator(self, d_fake, *, d_real=None):
        return nonsaturating_generator_loss(d_fake)


class LeastSquaresLoss(_LabelNoiseLoss):
    """LSGAN with targets a (fake), b (real) for D and c for G."""
    name = "least_squares"

    def __init__(self, a: float = 0.0, b: float = 1.0, c: float = 1.0,
                 label_smoothing: float = 0.0, label_flip: float = 0.0):
        super().__init__(label_smoothing, label_flip)
        self.a, self.b, self.c = (check_range("LeastSquaresLoss", k, v, float("-inf"))
                                  for k, v in (("a", a), ("b", b), ("c", c)))

    def _d_loss(self, d_real, d_fake, rm, fm):
        return least_squares_discriminator_loss(d_real, d_fake, self.a, self.b,
                                                self.label_smoothing, rm, fm)

    def generator(self, d_fake, *, d_real=None):
        return least_squares_generator_loss(d_fake, self.c)


class WassersteinLoss(AdversarialLoss):
    """WGAN critic loss; pair with weight_clipping or gradient_penalty regularizers."""
    name = "wasserstein"

    def discriminator(self, d_real, d_fake, random_uniform=None):
        return wasserstein_discriminator_loss(d_real, d_fake)

    def generator(self, d_fake, *, d_real=None):
        return wasserstein_generator_loss(d_fake)


class HingeLoss(WassersteinLoss):
    name = "hinge"

    def discriminator(self, d_real, d_fake, random_uniform=None):
        return hinge_discriminator_loss(d_real, d_fake)


class RelativisticBCELoss(_LabelNoiseLoss):
    """RSGAN (average=False) / RaGAN (average=True)."""
    generator_needs_real = True
    average = False
    name = "rsgan"

    def _d_loss(self, d_real, d_fake, rm, fm):
        return relativistic_bce_discriminator_loss(d_real, d_fake, self.average,
                                                   self.label_smoothing, rm, fm)

    def generator(self, d_fake, *, d_real=None):
        return relativistic_bce_generator_loss(self._need_real(d_real), d_fake, self.average)


class RelativisticAverageBCELoss(RelativisticBCELoss):
    average = True
    name = "ragan"


class _Relativistic(AdversarialLoss):
    generator_needs_real = True
    average = False
    _d_fn = _g_fn = None

    def discriminator(self, d_real, d_fake, random_uniform=None):
        return type(self)._d_fn(d_real, d_fake, self.average)

    def generator(self, d_fake, *, d_real=None):
        return type(self)._g_fn(self._need_real(d_real), d_fake, self.average)


class RelativisticLSLoss(_Relativistic):
    name = "rslsgan"
    _d_fn, _g_fn = relativistic_ls_discriminator_loss, relativistic_ls_generator_loss


class RelativisticAverageLSLoss(RelativisticLSLoss):
    name = "ralsgan"
    average = True


class RelativisticHingeLoss(_Relativistic):
    name = "rshinge"
    _d_fn, _g_fn = relativistic_hinge_discriminator_loss, relativistic_hinge_generator_loss


class RelativisticAverageHingeLoss(RelativisticHingeLoss):
    name = "rahinge"
    average = True
