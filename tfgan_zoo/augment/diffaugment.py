"""DiffAugment (Zhao et al. 2020, "Differentiable Augmentation for Data-Efficient GAN Training").

Written from the paper and the reference mit-han-lab/data-efficient-gans (DiffAugment_tf.py), on
NHWC images in [-1, 1], applied to reals and fakes alike; every op is differentiable in the
images (gathers and masks), with the reference's ranges:
  color        brightness x + (u - 0.5); saturation (x - mean_c) 2u + mean_c (a no-op on gray
               images); contrast (x - mean_hwc)(u + 0.5) + mean_hwc; u ~ U[0, 1) per image
  translation  integer shifts in [-floor(ratio H), floor(ratio H)] (and W), zero fill, ratio 1/8
  cutout       one floor(ratio H) x floor(ratio W) square set to 0, its centre uniform over
               the image as in the reference (so it may hang over an edge), ratio 1/2
Ours rather than the reference's file: every draw here goes through the model's replica-safe
`random_uniform`, which the reference's tf.random.uniform calls would not.
"""
import tensorflow as tf

from tfgan_zoo.augment.base import Augmentation, batch_size, check_number, register, uniform_ints
from tfgan_zoo.errors import ConfigError

POLICIES = ("color", "translation", "cutout")


def brightness(x, u):
    """u: [B, 1, 1, 1] in U[0, 1)."""
    return x + (u - 0.5)


def saturation(x, u):
    mean = tf.reduce_mean(x, axis=3, keepdims=True)
    return (x - mean) * (2.0 * u) + mean


def contrast(x, u):
    mean = tf.reduce_mean(x, axis=[1, 2, 3], keepdims=True)
    return (x - mean) * (u + 0.5) + mean


def translate(x, u, ratio=0.125):
    """out[b, i, j] = x[b, i + dy_b, j + dx_b], 0 outside the image; (dy, dx) from u [B, 2]."""
    h, w = x.shape[1], x.shape[2]
    sh, sw = int(h * ratio), int(w * ratio)
    if sh == 0 and sw == 0:
        return x
    dy = uniform_ints(u[:, 0], -sh, sh)
    dx = uniform_ints(u[:, 1], -sw, sw)
    padded = tf.pad(x, [[0, 0], [sh, sh], [sw, sw], [0, 0]])
    rows = dy[:, None] + sh + tf.range(h)[None, :]
    cols = dx[:, None] + sw + tf.range(w)[None, :]
    out = tf.gather(padded, rows, axis=1, batch_dims=1)
    return tf.gather(out, cols, axis=2, batch_dims=1)


def cutout_mask(shape, u, ratio=0.5):
    """[B, H, W, 1] mask, 0 inside each image's square: side floor(ratio H) x floor(ratio W),
    centre (cy, cx) uniform in [0, H + (1 - side_h mod 2)) (the reference's range), from u [B, 2]."""
    h, w = shape[1], shape[2]
    ch, cw = int(h * ratio), int(w * ratio)
    cy = uniform_ints(u[:, 0], 0, h - ch % 2)
    cx = uniform_ints(u[:, 1], 0, w - cw % 2)
    top, left = cy - ch // 2, cx - cw // 2
    r, c = tf.range(h)[None, :], tf.range(w)[None, :]
    in_rows = tf.logical_and(r >= top[:, None], r < top[:, None] + ch)
    in_cols = tf.logical_and(c >= left[:, None], c < left[:, None] + cw)
    inside = tf.logical_and(in_rows[:, :, None], in_cols[:, None, :])
    return 1.0 - tf.cast(inside, tf.float32)[..., None]


def cutout(x, u, ratio=0.5):
    return x * tf.cast(cutout_mask(x.shape, u, ratio), x.dtype)


@register("diffaugment")
class DiffAugment(Augmentation):
    """policy: the ops, in order ("color,translation,cutout", the paper's choice, or a list);
    translation_ratio (1/8) and cutout_ratio (1/2) as in the reference. Stateless."""

    def __init__(self, policy="color,translation,cutout", translation_ratio: float = 0.125,
                 cutout_ratio: float = 0.5):
        names = policy.split(",") if isinstance(policy, str) else policy
        if not isinstance(names, (list, tuple)) or not names:
            raise ConfigError(f"augmentation 'diffaugment': policy must be a comma-separated string or a list of "
                              f"{list(POLICIES)}, got {policy!r}")
        names = [str(n).strip() for n in names]
        for n in names:
            if n not in POLICIES:
                raise ConfigError(f"augmentation 'diffaugment': unknown policy {n!r} (valid: {', '.join(POLICIES)})")
        self.policy = tuple(names)
        self.translation_ratio = check_number("diffaugment", "translation_ratio", translation_ratio, 0.0, 0.5)
        self.cutout_ratio = check_number("diffaugment", "cutout_ratio", cutout_ratio, 0.0, 1.0)

    def __call__(self, images, random_uniform):
        x = images
        b = batch_size(x)
        for op in self.policy:
            if op == "color":
                x = brightness(x, tf.cast(random_uniform([b, 1, 1, 1]), x.dtype))
                x = saturation(x, tf.cast(random_uniform([b, 1, 1, 1]), x.dtype))
                x = contrast(x, tf.cast(random_uniform([b, 1, 1, 1]), x.dtype))
            elif op == "translation":
                x = translate(x, random_uniform([b, 2]), self.translation_ratio)
            else:
                x = cutout(x, random_uniform([b, 2]), self.cutout_ratio)
        return x
