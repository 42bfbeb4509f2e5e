"""Discriminator / generator penalties: pure functions, then Regularizer objects.

Penalties on input gradients take `critic_fn` (images -> D outputs) and open an inner
GradientTape; called inside the base's outer D tape they stay differentiable w.r.t. the
critic's weights (double backprop). The gradient is that of sum(critic_fn(x)), i.e. each
sample's own gradient as long as the critic mixes no samples (no batch norm in training mode).
Randomness (epsilon, perturbation noise, augmentation draws) is an argument of the pure
functions; the Regularizer objects draw it with `model.random_uniform` (seeded per step).
"""
import keras
import tensorflow as tf

from tfgan_zoo.distribute import global_mean
from tfgan_zoo.errors import ConfigError
from tfgan_zoo.losses.adversarial import check_range
from tfgan_zoo.losses.regularizer import Regularizer


def per_sample_shape(x):
    """[B, 1, ..., 1]: the shape of a per-sample scalar broadcasting against x."""
    b = x.shape[0] if x.shape[0] is not None else tf.shape(x)[0]
    return [b] + [1] * (len(x.shape) - 1)


def adversarial_output(out):
    """The adversarial head of a D output: out itself, out[0] of a tuple/list, out["adv"]."""
    if isinstance(out, dict):
        return out["adv"]
    if isinstance(out, (list, tuple)):
        return out[0]
    return out


def input_gradient_sqnorm(critic_fn, x):
    """Per-sample squared L2 norm [B] of the critic's gradient with respect to its input x."""
    x = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = tf.reduce_sum(tf.cast(critic_fn(x), tf.float32))
    g = tf.cast(tape.gradient(out, x), tf.float32)
    return tf.reduce_sum(tf.reshape(tf.square(g), [tf.shape(g)[0], -1]), axis=1)


def _norm(sqnorm):
    # the epsilon keeps d||g||/dg finite at g = 0 (second-order gradients of the penalty)
    return tf.sqrt(sqnorm + 1e-12)


def gradient_penalty(critic_fn, real, fake, epsilon, target=1.0, one_sided=False):
    """E[(||grad D(x_hat)|| - target)^2] at x_hat = eps x + (1 - eps) x_fake (WGAN-GP);
    one_sided: E[max(0, ||grad|| - target)^2] (WGAN-LP). epsilon: [B, 1, ...] in U[0, 1]."""
    epsilon = tf.cast(epsilon, real.dtype)
    x_hat = epsilon * real + (1.0 - epsilon) * tf.cast(fake, real.dtype)
    gap = _norm(input_gradient_sqnorm(critic_fn, x_hat)) - target
    if one_sided:
        gap = tf.nn.relu(gap)
    return tf.reduce_mean(tf.square(gap))


def dragan_penalty(critic_fn, real, noise, scale=0.5, alpha=None):
    """DRAGAN: E[(||grad D(x_p)|| - 1)^2] at x_p = x + alpha * scale * std(x) * noise, where
    noise ~ U[0, 1] has x's shape, std is over the whole batch and alpha ([B, 1, ...], the
    reference code's random interpolation) defaults to 1."""
    real = tf.convert_to_tensor(real)
    x = tf.cast(real, tf.float32)
    mean = global_mean(x)  # std over the global batch under a strategy, as on one device
    std = tf.sqrt(tf.maximum(global_mean(tf.square(x - mean)), 0.0))
    delta = scale * std * tf.cast(noise, tf.float32)
    if alpha is not None:
        delta = tf.cast(alpha, tf.float32) * delta
    perturbed = real + tf.cast(delta, real.dtype)
    return tf.reduce_mean(tf.square(_norm(input_gradient_sqnorm(critic_fn, perturbed)) - 1.0))


def r1_penalty(critic_fn, real, gamma=10.0):
    """R1 (Mescheder et al. 2018): gamma/2 E[||grad D(x)||^2] on real images."""
    return 0.5 * gamma * tf.reduce_mean(input_gradient_sqnorm(critic_fn, real))


def r2_penalty(critic_fn, fake, gamma=10.0):
    """R2: gamma/2 E[||grad D(G(z))||^2] on generated images."""
    return 0.5 * gamma * tf.reduce_mean(input_gradient_sqnorm(critic_fn, fake))


def orthogonal_regularization(kernels, beta=1e-4):
    """BigGAN: beta * sum_W ||W^T W * (1 - I)||_F^2, each kernel reshaped to
    [prod(shape[:-1]), out] (conv kernels [kh, kw, in, out] -> [kh*kw*in, out])."""
    total = tf.constant(0.0)
    for w in kernels:
        w = tf.cast(w, tf.float32)
        w = tf.reshape(w, [-1, w.shape[-1]])
        gram = tf.matmul(w, w, transpose_a=True)
        off = gram * (1.0 - tf.eye(w.shape[-1]))
        total += tf.reduce_sum(tf.square(off))
    return beta * total


def flip_translate(images, flip_u, shift_u, max_shift):
    """CR-GAN augmentation T(x) for NHWC images: mirror left-right where flip_u < 0.5, then
    translate by (dy, dx) in [-max_shift, max_shift] (shift_u [B, 2] in U[0, 1)) with
    reflect padding. max_shift is clipped to H-1 / W-1."""
    h, w = images.shape[1], images.shape[2]
    flip = tf.reshape(tf.cast(flip_u, tf.float32) < 0.5, [-1, 1, 1, 1])
    images = tf.where(flip, tf.reverse(images, axis=[2]), images)
    p = min(int(max_shift), h - 1, w - 1)
    if p <= 0:
        return images
    padded = tf.pad(images, [[0, 0], [p, p], [p, p], [0, 0]], mode="REFLECT")
    offsets = tf.minimum(tf.cast(tf.floor(tf.cast(shift_u, tf.float32) * (2 * p + 1)),
                                 tf.int32), 2 * p)
    rows = offsets[:, :1] + tf.range(h)[None, :]
    cols = offsets[:, 1:] + tf.range(w)[None, :]
    out = tf.gather(padded, rows, axis=1, batch_dims=1)
    return tf.gather(out, cols, axis=2, batch_dims=1)


def consistency_penalty(d_images, d_augmented):
    """CR-GAN: E_x ||D(x) - D(T(x))||^2 (squared L2 over each sample's outputs)."""
    diff = tf.cast(d_images, tf.float32) - tf.cast(d_augmented, tf.float32)
    return tf.reduce_mean(tf.reduce_sum(tf.reshape(tf.square(diff), [tf.shape(diff)[0], -1]), 1))


def _cross_replica(fn):
    """Run fn(strategy) where variables may be assigned: merge_call from a replica context."""
    ctx = tf.distribute.get_replica_context()
    if ctx is None:
        return fn(tf.distribute.get_strategy())
    return ctx.merge_call(fn)


def _raw(v):
    return v.value if isinstance(v, keras.Variable) else v


def clip_weights(variables, clip=0.01):
    """WGAN weight clipping: assign clip_by_value(w, -clip, clip) to every variable."""
    raw = [_raw(v) for v in variables]

    def update(strategy):
        for v in raw:
            strategy.extended.update(v, lambda x: x.assign(tf.clip_by_value(x, -clip, clip)))
    _cross_replica(update)


# ------------------------------------------------------------------ Regularizer objects
# The objects read a model through GANModel's accessors, so structured fakes work: the image
# part (`model.fake_images(fake)`), and the critic judged with a condition: the real batch for
# reals and for interpolates between reals and fakes, the fake's own condition for fakes.
def _critic(model, cond):
    return lambda images: model.critic(images, cond, training=True)


def _role_variables(model, role):
    """The variables of phase / role `role` (what its optimizer updates)."""
    for phase in getattr(model, "phases", ()):
        if phase.name == role:
            return list(model.phase_variables(phase))
    hook = getattr(model, f"{role}_variables", None)
    return list(hook()) if callable(hook) else list(getattr(model, role).trainable_variables)


class _Weighted(Regularizer):
    def __init__(self, weight: float = 10.0):
        self.weight = check_range(type(self).__name__, "weight", weight)


class GradientPenalty(_Weighted):
    """WGAN-GP: weight * E[(||grad D(x_hat)|| - target)^2] (Gulrajani et al., weight 10)."""
    name = "gp"
    needs = ("critic",)
    one_sided = False

    def __init__(self, weight: float = 10.0, target: float = 1.0):
        super().__init__(weight)
        self.target = check_range(type(self).__name__, "target", target, 0.0, low_open=True)

    def discriminator_term(self, model, batch, fake, outputs):
        real = model.real_images(batch)
        eps = model.random_uniform(per_sample_shape(real))
        return self.weight * gradient_penalty(_critic(model, batch), real, model.fake_images(fake),
                                              eps, self.target, self.one_sided)


class LipschitzPenalty(GradientPenalty):
    """WGAN-LP (Petzka et al.): the one-sided penalty E[max(0, ||grad|| - target)^2]."""
    name = "lp"
    one_sided = True


class DRAGANPenalty(_Weighted):
    """DRAGAN (Kodali et al.): weight * E[(||grad D(x + a*scale*std(x)*u)|| - 1)^2]."""
    name = "dragan"
    needs = ("critic",)

    def __init__(self, weight: float = 10.0, scale: float = 0.5):
        super().__init__(weight)
        self.scale = check_range("DRAGANPenalty", "scale", scale)

    def discriminator_term(self, model, batch, fake, outputs):
        real = model.real_images(batch)
        shape = per_sample_shape(real)
        noise = model.random_uniform(shape[:1] + list(real.shape[1:]))
        alpha = model.random_uniform(shape)
        return self.weight * dragan_penalty(_critic(model, batch), real, noise, self.scale, alpha)


class R1Penalty(Regularizer):
    """R1: gamma/2 E||grad D(x)||^2 on reals (R2: on fakes).

    every: lazy regularisation (StyleGAN2): the penalty is computed only on steps where
    model.step % every == 0, multiplied by `every` so its average weight is unchanged (the
    logged value is 0 on the other steps)."""
    name = "r1"
    needs = ("critic",)

    def __init__(self, gamma: float = 10.0, every: int = 1):
        self.gamma = check_range(type(self).__name__, "gamma", gamma)
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise ConfigError(f"{type(self).__name__}: every must be an integer >= 1, got {every!r}")
        self.every = every

    def _lazy(self, model, penalty):
        if self.every == 1:
            return penalty()
        due = tf.equal(tf.math.floormod(tf.convert_to_tensor(model.step.value), self.every), 0)
        return tf.cond(due, lambda: float(self.every) * tf.cast(penalty(), tf.float32),
                       lambda: tf.constant(0.0))

    def discriminator_term(self, model, batch, fake, outputs):
        return self._lazy(model, lambda: r1_penalty(_critic(model, batch), model.real_images(batch), self.gamma))


class R2Penalty(R1Penalty):
    name = "r2"

    def discriminator_term(self, model, batch, fake, outputs):
        return self._lazy(model, lambda: r2_penalty(_critic(model, model.fake_condition(batch, fake)),
                                                    model.fake_images(fake), self.gamma))


class WeightClipping(Regularizer):
    """WGAN: clip every trainable D weight to [-clip, clip] after each D update."""
    name = "weight_clip"

    def __init__(self, clip: float = 0.01):
        self.clip = check_range("WeightClipping", "clip", clip, 0.0, low_open=True)

    def after_discriminator_update(self, model):
        clip_weights(_role_variables(model, "discriminator"), self.clip)


class OrthogonalRegularization(Regularizer):
    """BigGAN: beta * sum ||W^T W * (1 - I)||_F^2 over the generator's kernels (trainable
    variables of rank >= 2 whose path does not contain "embed": shared embeddings are skipped,
    as in BigGAN). The path, not the name: a Keras 3 variable's name is its last component
    ("kernel"), the layer names are in its path."""
    name = "ortho"
    acts_on = ("generator",)

    def __init__(self, beta: float = 1e-4):
        self.beta = check_range("OrthogonalRegularization", "beta", beta)

    def generator_term(self, model, batch, fake, outputs):
        kernels = [v for v in _role_variables(model, "generator")
                   if len(v.shape) >= 2 and "embed" not in v.path]
        return orthogonal_regularization(kernels, self.beta)


class ConsistencyRegularization(_Weighted):
    """CR-GAN (Zhang et al. 2020): weight * E||D(x) - D(T(x))||^2 on reals, T = random
    left-right flip + translation by up to max_shift pixels (NHWC images only)."""
    name = "cr"
    needs = ("critic",)

    def __init__(self, weight: float = 10.0, max_shift: int = 4):
        super().__init__(weight)
        if isinstance(max_shift, bool) or not isinstance(max_shift, int) or max_shift < 0:
            raise ConfigError(f"ConsistencyRegularization: max_shift must be an integer >= 0, "
                              f"got {max_shift!r}")
        self.max_shift = max_shift

    def discriminator_term(self, model, batch, fake, outputs):
        real = model.real_images(batch)
        if len(real.shape) != 4:
            raise ValueError("consistency regularization needs NHWC images, got shape "
                             f"{real.shape}")
        b = per_sample_shape(real)[0]
        aug = flip_translate(real, model.random_uniform([b]), model.random_uniform([b, 2]),
                             self.max_shift)
        critic = _critic(model, batch)
        d_real = (outputs or {}).get("real")
        d_real = critic(real) if d_real is None else adversarial_output(d_real)
        return self.weight * consistency_penalty(d_real, critic(aug))


class HistoricalAveraging(_Weighted):
    """Improved-GAN historical averaging: weight * sum ||theta - mean_t(theta)||^2 added to the
    D loss (and the G loss with generator=True). decay 0: the exact running mean over all
    updates so far; decay in (0, 1): an exponential moving average. The averages are updated
    in the after-update hooks. `variables` lists the state a checkpoint should hold."""
    name = "hist_avg"

    def __init__(self, weight: float = 1.0, decay: float = 0.0, generator: bool = False):
        super().__init__(weight)
        self.decay = check_range("HistoricalAveraging", "decay", decay, 0.0, 1.0)
        if not isinstance(generator, bool):
            raise ConfigError(f"HistoricalAveraging: generator must be true or false, "
                              f"got {generator!r}")
        self.roles = ("discriminator", "generator") if generator else ("discriminator",)
        self.acts_on = self.roles
        self._avg, self._count = {}, {}

    def build(self, model):
        """Create the averages: non-trainable keras Variables initialised to the current
        weights, plus an update counter per role. Call once, after the networks are built and
        inside the distribution strategy's scope (GANModel.__init__ calls it)."""
        for role in self.roles:
            params = _role_variables(model, role)
            if not params:
                raise ValueError(f"historical_averaging: the {role} has no weights to average;"
                                 " build the networks before the model")
            self._avg[role] = [
                keras.Variable(tf.convert_to_tensor(p), trainable=False,
                               name=f"hist_avg_{role}_{i}", aggregation="only_first_replica") for i, p in enumerate(params)]
            self._count[role] = keras.Variable(1.0, trainable=False, name=f"hist_avg_n_{role}",
                                               aggregation="only_first_replica")

    @property
    def variables(self):
        out = []
        for role in self._avg:
            out += self._avg[role] + [self._count[role]]
        return out

    def _checked(self, model, role):
        params = _role_variables(model, role)
        if len(self._avg.get(role, ())) != len(params):
            raise RuntimeError("historical_averaging: build(model) must run (after the networks "
                               f"are built) before training; {role} weights changed or missing")
        return params, self._avg[role]

    def _term(self, model, role):
        params, avgs = self._checked(model, role)
        return self.weight * tf.add_n([
            tf.reduce_sum(tf.square(tf.cast(p, tf.float32) - tf.cast(a, tf.float32)))
            for p, a in zip(params, avgs)])

    def discriminator_term(self, model, batch, fake, outputs):
        return self._term(model, "discriminator")

    def generator_term(self, model, batch, fake, outputs):
        return self._term(model, "generator") if "generator" in self.roles else None

    def _update(self, model, role):
        params, avgs = self._checked(model, role)
        count = _raw(self._count[role])
        pairs = [(_raw(a), _raw(p)) for a, p in zip(avgs, params)]

        def update(strategy):
            n = tf.convert_to_tensor(count)
            rate = (1.0 - self.decay) if self.decay > 0 else 1.0 / (n + 1.0)
            for a, p in pairs:
                strategy.extended.update(
                    a, lambda x, v: x.assign(x + rate * (tf.cast(v, x.dtype) - x)), args=(p,))
            strategy.extended.update(count, lambda c: c.assign_add(1.0))
        _cross_replica(update)

    def after_discriminator_update(self, model):
        self._update(model, "discriminator")

    def after_generator_update(self, model):
        if "generator" in self.roles:
            self._update(model, "generator")
