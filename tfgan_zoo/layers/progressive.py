"""Layers of progressive growing (Karras et al. 2018): pixel norm, minibatch stddev, level fade, blur,
nearest upsampling that every format converts.

Resolution levels follow the reference code's "level of detail" (lod): lod 0 is the network's
full resolution, lod k is 2^k times coarser, and a fractional lod k + t is the fade-in between
them (t = 1 - alpha of the paper's fade-in). Networks are built with every level present; the
lod is an input, so the same weights (and optimizer slots, and checkpoint) serve every stage.
"""
import keras
import numpy as np
from keras import ops


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class PixelNorm(keras.layers.Layer):
    """x / sqrt(mean(x^2 over the channel axis) + epsilon): ProGAN's pixelwise feature norm.

    keras.layers.RMSNormalization computes the same with a trainable scale and epsilon 1e-6;
    the paper's layer has no parameters and epsilon 1e-8.
    """

    def __init__(self, epsilon=1e-8, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = float(epsilon)
        self.axis = int(axis)

    def call(self, inputs):
        x = ops.cast(inputs, "float32")
        y = x * ops.rsqrt(ops.mean(ops.square(x), axis=self.axis, keepdims=True) + self.epsilon)
        return ops.cast(y, inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "epsilon": self.epsilon, "axis": self.axis}


def group_size_for(batch, group_size):
    """The largest divisor of `batch` that is <= group_size (the whole batch when it is smaller)."""
    return max(g for g in range(1, min(group_size, batch) + 1) if batch % g == 0)


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class MinibatchStdDev(keras.layers.Layer):
    """Appends `num_features` maps holding the average stddev of features over a group of samples.

    The batch is split into groups of G consecutive samples (sample n in group n // G); within
    each group the stddev of every feature (over the G samples, biased, sqrt(var + 1e-8)) is
    averaged over H, W and the channels of each of `num_features` channel groups, and broadcast
    back over the group's samples and pixels. NHWC.

    The reference code groups with a stride instead (sample n in group n % (N / G)); any
    partition of a shuffled batch serves, and consecutive groups make a replica's groups those
    of the one-device batch: under tf.distribute (groups formed within each replica's batch)
    two replicas compute what one device computes whenever G divides the per-replica batch.
    When N is not a multiple of group_size, G is the largest divisor of N not above it (6 with
    group_size 4 gives G = 3), so no sample is left out and no batch size fails; with a
    statically unknown batch size the same G is computed in the graph.
    """

    def __init__(self, group_size=4, num_features=1, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        for what, value in (("group_size", group_size), ("num_features", num_features)):
            if isinstance(value, bool) or int(value) != value or value < 1:
                raise ValueError(f"MinibatchStdDev: {what} must be an integer >= 1, got {value!r}")
        self.group_size = int(group_size)
        self.num_features = int(num_features)
        self.epsilon = float(epsilon)

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise ValueError(f"MinibatchStdDev expects NHWC inputs, got shape {input_shape}")
        if input_shape[-1] % self.num_features:
            raise ValueError(f"MinibatchStdDev: {input_shape[-1]} channels do not split into "
                             f"{self.num_features} groups")

    def _group(self, n):
        if isinstance(n, int):
            return group_size_for(n, self.group_size)
        candidates = ops.arange(1, self.group_size + 1, dtype="int32")
        n = ops.cast(n, "int32")
        return ops.max(ops.where(ops.logical_and(n % candidates == 0, candidates <= n), candidates, 1))

    def call(self, inputs):
        shape = ops.shape(inputs)
        n, h, w, c = shape[0], shape[1], shape[2], shape[3]
        f = self.num_features
        g = self._group(n)
        y = ops.reshape(ops.cast(inputs, "float32"), (-1, g, h, w, f, c // f))   # [M, G, H, W, F, c]
        y = y - ops.mean(y, axis=1, keepdims=True)
        y = ops.sqrt(ops.mean(ops.square(y), axis=1) + self.epsilon)               # [M, H, W, F, c]
        y = ops.mean(y, axis=(1, 2, 4))                                             # [M, F]
        y = ops.tile(y[:, None, None, None, :], (1, g, h, w, 1))                  # [M, G, H, W, F]
        y = ops.reshape(y, (n, h, w, f))
        return ops.concatenate([inputs, ops.cast(y, inputs.dtype)], axis=-1)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (input_shape[-1] + self.num_features,)

    def get_config(self):
        return {**super().get_config(), "group_size": self.group_size, "num_features": self.num_features,
                "epsilon": self.epsilon}


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class LevelFade(keras.layers.Layer):
    """[fine, coarse, lod] -> (1 - t) * fine + t * coarse with t = clip(lod - level, 0, 1).

    `level` is the lod at which `fine` is the network's current output: at lod <= level the
    output is `fine`, at lod >= level + 1 it is exactly `coarse` (the written form keeps the
    endpoints exact: 1 * a + 0 * b == a in floating point, a + (b - a) * 1 need not be), and in
    between the linear fade-in. lod: [B, 1] (or [B]) float, broadcast over the other axes.
    """

    def __init__(self, level, **kwargs):
        super().__init__(**kwargs)
        if isinstance(level, bool) or int(level) != level or level < 0:
            raise ValueError(f"LevelFade: level must be an integer >= 0, got {level!r}")
        self.level = int(level)

    def call(self, inputs):
        fine, coarse, lod = inputs
        t = ops.clip(ops.cast(ops.reshape(lod, (-1,)), "float32") - float(self.level), 0.0, 1.0)
        t = ops.cast(ops.reshape(t, (-1,) + (1,) * (len(fine.shape) - 1)), fine.dtype)
        return (1.0 - t) * fine + t * ops.cast(coarse, fine.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        return {**super().get_config(), "level": self.level}


def binomial_filter(taps):
    """Normalised 2-D binomial low-pass filter: outer(f, f) / sum^2 for f = taps."""
    f = np.asarray(taps, np.float64)
    f = np.outer(f, f)
    return f / f.sum()


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class Blur2D(keras.layers.Layer):
    """Depthwise "same" (zero-padded) convolution with a fixed binomial filter: StyleGAN's
    low-pass after upsampling / before downsampling, [1, 2, 1] by default. NHWC."""

    def __init__(self, taps=(1, 2, 1), **kwargs):
        super().__init__(**kwargs)
        self.taps = [float(t) for t in taps]
        if len(self.taps) < 1 or sum(self.taps) == 0:
            raise ValueError(f"Blur2D: taps must be a non-empty list with a non-zero sum, got {taps!r}")

    def build(self, input_shape):
        self._channels = int(input_shape[-1])

    def call(self, inputs):
        f = binomial_filter(self.taps)[::-1, ::-1]  # convolution, not correlation (symmetric anyway)
        kernel = np.tile(f[:, :, None, None], (1, 1, self._channels, 1)).astype("float32")
        x = ops.cast(inputs, "float32")
        y = ops.depthwise_conv(x, ops.convert_to_tensor(kernel), strides=1, padding="same")
        return ops.cast(y, inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "taps": list(self.taps)}



@keras.saving.register_keras_serializable(package="tfgan_zoo")
class NearestUpsample2D(keras.layers.Layer):
    """[B, H, W, C] -> [B, f H, f W, C], every pixel repeated f x f: the same numbers as
    keras.layers.UpSampling2D(f, interpolation="nearest"), as a reshape, a tile and a reshape
    whose shapes keep H, W and C static. UpSampling2D's repeat loses the static height, width
    or channels in a traced SavedModel under a dynamic batch, and TFLite's converter then
    cannot legalise the next convolution to a builtin (it needed SELECT_TF_OPS, which the
    TF-free runtime lacks); ONNX and TF.js take either. No weights."""

    def __init__(self, factor=2, **kwargs):
        super().__init__(**kwargs)
        if isinstance(factor, bool) or int(factor) != factor or factor < 1:
            raise ValueError(f"NearestUpsample2D: factor must be an integer >= 1, got {factor!r}")
        self.factor = int(factor)

    def build(self, input_shape):
        if len(input_shape) != 4 or any(d is None for d in input_shape[1:]):
            raise ValueError(f"NearestUpsample2D expects NHWC inputs of known H, W, C, got {input_shape}")

    def call(self, inputs):
        _, h, w, c = inputs.shape
        f = self.factor
        x = ops.reshape(inputs, (-1, h, 1, w, 1, c))
        x = ops.tile(x, (1, 1, f, 1, f, 1))
        return ops.reshape(x, (-1, h * f, w * f, c))

    def compute_output_shape(self, input_shape):
        b, h, w, c = input_shape
        return (b, h * self.factor, w * self.factor, c)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}
