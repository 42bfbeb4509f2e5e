"""ADA: adaptive discriminator augmentation (Karras et al. 2020, "Training Generative Adversarial
Networks with Limited Data"), after NVlabs/stylegan2-ada-pytorch (training/augment.py, the p
heuristic of training/training_loop.py).

Each transform of the chosen groups is applied to each image independently with probability p:
  blit   x-flip (a coin flip), rotation by a multiple of 90 degrees (uniform of 4), integer
         translation by round(t W), t ~ U[-0.125, 0.125] per axis, reflect padding
  color  brightness + N(0, 0.2); contrast x 2^N(0, 0.5); luma flip (Householder reflection
         about the luma axis, a coin flip); hue rotation about the luma axis by U[-pi, pi];
         saturation x 2^N(0, 1) off the luma axis; composed as one affine colour map per image
         and, on 1-channel images, reduced as the reference does (hue and saturation skipped)
The blits here are exact pixel moves (gathers), as the paper describes them; the reference runs
them through the same 2x-upsampled grid_sample and sym6 low-pass round trip as its geometric
group, which blurs them slightly. That geometric group (fractional scaling, rotation, anisotropy)
and the filter group are not built here. Normal draws are the inverse normal
CDF of uniform draws, so every draw goes through the model's replica-safe `random_uniform`.

p is model state: every `interval` steps, r_t = E[sign(D(reals))] over the reals seen since the
last adjustment, and p <- max(p + sign(r_t - target) n / (ada_kimg 1000), 0) with n those reals,
so p can move by 1 in ada_kimg thousand images (the reference; like it, p is not capped at 1,
where every transform is always applied). The sign sums, the step counter and p are checkpointed
state, so a resumed run continues the heuristic exactly.
"""
import math

import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo import distribute
from tfgan_zoo.augment.base import Augmentation, batch_size, check_number, register, uniform_ints
from tfgan_zoo.errors import ConfigError
from tfgan_zoo.losses.penalties import adversarial_output

GROUPS = ("blit", "color")
_LUMA = np.full(3, 1.0 / math.sqrt(3.0), np.float32)  # the luma axis v (RGB part)
_EPS = 1e-7  # uniform draws clipped to [eps, 1 - eps] before the inverse normal CDF


def normal_from_uniform(u):
    return tf.math.ndtri(tf.clip_by_value(u, _EPS, 1.0 - _EPS))


def gated(gate_u, p, value, identity):
    """value where gate_u < p (the transform is applied), identity elsewhere."""
    return tf.where(gate_u < p, value, identity)


def blit(x, flip, rot, shift, max_shift):
    """flip [B] in {0, 1} mirrors left-right, then rot [B] in 0..3 quarter turns (np.rot90's
    direction), then out[i, j] = x[i - dy, j - dx] with shift [B, 2] = (dy, dx) integers,
    |shift| <= max_shift (a Python int), and reflect padding (no edge repeat)."""
    x = tf.where(tf.reshape(flip, [-1, 1, 1, 1]) > 0, tf.reverse(x, axis=[2]), x)
    turns = tf.stack([tf.image.rot90(x, k) for k in range(4)], axis=1)  # [B, 4, H, W, C]
    x = tf.gather(turns, rot, axis=1, batch_dims=1)
    h, w = x.shape[1], x.shape[2]
    pad = min(int(max_shift), h - 1, w - 1)
    if pad <= 0:
        return x
    shift = tf.clip_by_value(shift, -pad, pad)
    padded = tf.pad(x, [[0, 0], [pad, pad], [pad, pad], [0, 0]], mode="REFLECT")
    rows = pad - shift[:, :1] + tf.range(h)[None, :]
    cols = pad - shift[:, 1:] + tf.range(w)[None, :]
    out = tf.gather(padded, rows, axis=1, batch_dims=1)
    return tf.gather(out, cols, axis=2, batch_dims=1)


def color_matrices(brightness, contrast, lumaflip, hue, saturation):
    """Per-image affine colour maps (M [B, 3, 3], o [B, 3]), x -> M x + o, composed in the
    reference's order: brightness offset b, contrast scale c, luma flip i in {0, 1}, hue angle
    theta, saturation s (all [B])."""
    b = tf.shape(brightness)[0]
    eye = tf.eye(3, batch_shape=[b])
    v = tf.constant(_LUMA)
    vv = tf.tensordot(v, v, axes=0)  # v v^T
    m = eye
    o = tf.tile(brightness[:, None], [1, 3])
    c = contrast[:, None, None]
    m, o = c * m, contrast[:, None] * o

    def left(a, m, o):
        return tf.matmul(a, m), tf.einsum("bij,bj->bi", a, o)

    m, o = left(eye - 2.0 * vv * lumaflip[:, None, None], m, o)
    s_, c_ = tf.sin(hue)[:, None, None], tf.cos(hue)[:, None, None]
    cross = tf.constant([[0.0, -_LUMA[2], _LUMA[1]], [_LUMA[2], 0.0, -_LUMA[0]], [-_LUMA[1], _LUMA[0], 0.0]])
    rotation = c_ * eye + s_ * cross + (1.0 - c_) * vv  # Rodrigues: rotation about v by theta
    m, o = left(rotation, m, o)
    m, o = left(vv + (eye - vv) * saturation[:, None, None], m, o)
    return m, o


def apply_color(x, m, o):
    """RGB: M x + o per pixel; gray: x sum(M) / 3 + mean(o) (the reference's 1-channel reduction)."""
    m, o = tf.cast(m, x.dtype), tf.cast(o, x.dtype)
    if x.shape[-1] == 3:
        return tf.einsum("bij,bhwj->bhwi", m, x) + o[:, None, None, :]
    gain = tf.reduce_sum(m, axis=[1, 2]) / 3.0
    return x * gain[:, None, None, None] + tf.reduce_mean(o, axis=1)[:, None, None, None]


@register("ada")
class ADA(Augmentation):
    log_names = ("ada_p", "ada_rt")
    """target: the r_t the heuristic steers to (0.6); ada_kimg: thousands of images for p to move
    by 1 (500); interval: steps between adjustments (4); p: the initial probability (0);
    adaptive: false keeps p fixed; groups: "blit,color" or one of them; the ranges
    xint_max, brightness_std, contrast_std, hue_max, saturation_std as in the reference."""

    def __init__(self, target: float = 0.6, ada_kimg: float = 500.0, interval: int = 4, p: float = 0.0,
                 adaptive: bool = True, groups="blit,color", xint_max: float = 0.125,
                 brightness_std: float = 0.2, contrast_std: float = 0.5, hue_max: float = 1.0,
                 saturation_std: float = 1.0):
        self.target = check_number("ada", "target", target, -1.0, 1.0)
        self.ada_kimg = check_number("ada", "ada_kimg", ada_kimg, 1e-6)
        self.interval = check_number("ada", "interval", interval, 1, integer=True)
        self.initial_p = check_number("ada", "p", p, 0.0, 1.0)
        if not isinstance(adaptive, bool):
            raise ConfigError(f"augmentation 'ada': adaptive must be true or false, got {adaptive!r}")
        self.adaptive = adaptive
        names = groups.split(",") if isinstance(groups, str) else groups
        if not isinstance(names, (list, tuple)) or not names or any(str(g).strip() not in GROUPS for g in names):
            raise ConfigError(f"augmentation 'ada': groups must name some of {list(GROUPS)}, got {groups!r}")
        self.groups = tuple(str(g).strip() for g in names)
        self.xint_max = check_number("ada", "xint_max", xint_max, 0.0, 0.5)
        self.brightness_std = check_number("ada", "brightness_std", brightness_std, 0.0)
        self.contrast_std = check_number("ada", "contrast_std", contrast_std, 0.0)
        self.hue_max = check_number("ada", "hue_max", hue_max, 0.0, 1.0)
        self.saturation_std = check_number("ada", "saturation_std", saturation_std, 0.0)
        self.p = None

    def build(self, model):
        # only_first_replica: every replica computes the same values from all-gathered signs
        self.p = model.add_state("ada_p", (), "float32", aggregation="only_first_replica",
                                 initializer=keras.initializers.Constant(self.initial_p))
        self.sign_sum = model.add_state("ada_sign_sum", (), "float32", aggregation="only_first_replica")
        self.sign_count = model.add_state("ada_sign_count", (), "float32", aggregation="only_first_replica")
        self.steps = model.add_state("ada_steps", (), "int64", aggregation="only_first_replica")
        self.rt = model.add_state("ada_rt", (), "float32", aggregation="only_first_replica")

    def _probability(self):
        if self.p is None:
            raise RuntimeError("augmentation 'ada': build(model) must run before it augments")
        return tf.convert_to_tensor(self.p)

    def __call__(self, images, random_uniform):
        p = tf.cast(self._probability(), tf.float32)
        x = images
        b = batch_size(x)
        if "blit" in self.groups:
            x = self._blit(x, b, p, random_uniform)
        if "color" in self.groups:
            x = self._color(x, b, p, random_uniform)
        return x

    def _blit(self, x, b, p, draw):
        if x.shape[1] != x.shape[2]:
            raise ValueError(f"augmentation 'ada': blit needs square images, got {x.shape[1]}x{x.shape[2]}")
        zeros = tf.zeros([b], tf.int32)
        flip = gated(draw([b]), p, uniform_ints(draw([b]), 0, 1), zeros)
        rot = gated(draw([b]), p, uniform_ints(draw([b]), 0, 3), zeros)
        t = (draw([b, 2]) * 2.0 - 1.0) * self.xint_max
        t = gated(draw([b, 1]), p, t, tf.zeros_like(t))
        shift = tf.cast(tf.round(t * float(x.shape[1])), tf.int32)  # (dy, dx); square images
        return blit(x, flip, rot, shift, max_shift=math.ceil(self.xint_max * x.shape[1]))

    def _color(self, x, b, p, draw):
        zeros, ones = tf.zeros([b]), tf.ones([b])
        brightness = gated(draw([b]), p, normal_from_uniform(draw([b])) * self.brightness_std, zeros)
        contrast = gated(draw([b]), p, tf.pow(2.0, normal_from_uniform(draw([b])) * self.contrast_std), ones)
        lumaflip = gated(draw([b]), p, tf.cast(uniform_ints(draw([b]), 0, 1), tf.float32), zeros)
        hue, saturation = zeros, ones
        if x.shape[-1] == 3:
            hue = gated(draw([b]), p, (draw([b]) * 2.0 - 1.0) * math.pi * self.hue_max, zeros)
            saturation = gated(draw([b]), p, tf.pow(2.0, normal_from_uniform(draw([b])) * self.saturation_std), ones)
        return apply_color(x, *color_matrices(brightness, contrast, lumaflip, hue, saturation))

    def update(self, model, d_real_logits):
        """Accumulate sign(D(reals)) over the global batch; every `interval` steps move p."""
        p = self._probability()
        d = tf.cast(adversarial_output(d_real_logits), tf.float32)
        signs = distribute.all_gather(tf.reduce_mean(tf.reshape(tf.sign(d), [tf.shape(d)[0], -1]), axis=1))
        total = tf.convert_to_tensor(self.sign_sum) + tf.reduce_sum(signs)
        count = tf.convert_to_tensor(self.sign_count) + tf.cast(tf.size(signs), tf.float32)
        steps = tf.convert_to_tensor(self.steps) + 1
        adjust_now = tf.logical_and(tf.equal(steps % self.interval, 0), self.adaptive)
        rt = total / tf.maximum(count, 1.0)
        moved = tf.maximum(p + tf.sign(rt - self.target) * count / (self.ada_kimg * 1000.0), 0.0)
        self.p.assign(tf.where(adjust_now, moved, p))
        self.rt.assign(tf.where(adjust_now, rt, tf.convert_to_tensor(self.rt)))
        self.sign_sum.assign(tf.where(adjust_now, 0.0, total))
        self.sign_count.assign(tf.where(adjust_now, 0.0, count))
        self.steps.assign(steps)
        return {"ada_p": tf.convert_to_tensor(self.p), "ada_rt": tf.convert_to_tensor(self.rt)}
