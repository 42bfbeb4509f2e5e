"""Style layers of StyleGAN (Karras et al. 2019): AdaIN, noise injection, the learned constant,
and the w bookkeeping between the mapping and synthesis networks (broadcast to one w per layer,
style mixing, the tracked average w and the truncation trick).
"""
import keras
from keras import ops

from tfgan_zoo.layers.equalized import EqualizedDense


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class AdaIN(keras.layers.Layer):
    """[x, w] -> instance_norm(x) * (1 + s) + b with (s, b) = an equalized affine map of w.

    Instance norm is keras.layers.GroupNormalization(groups=-1) without scale or offset (mean and
    variance over H, W per sample and channel, epsilon 1e-8 as in the reference code). The
    affine map (gain 1, bias 0) is StyleGAN's "style_mod": the scale enters as 1 + s so a zero
    style leaves the normalised features unchanged. x: [B, H, W, C] NHWC; w: [B, D].
    """

    def __init__(self, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = float(epsilon)

    def build(self, input_shape):
        x_shape, w_shape = input_shape
        if len(x_shape) != 4 or len(w_shape) != 2:
            raise ValueError(f"AdaIN expects [x NHWC, w [B, D]], got shapes {x_shape} and {w_shape}")
        self.channels = int(x_shape[-1])
        self.norm = keras.layers.GroupNormalization(groups=-1, center=False, scale=False, epsilon=self.epsilon,
                                                    dtype=self.dtype_policy, name="instance_norm")
        self.norm.build(x_shape)
        self.style = EqualizedDense(2 * self.channels, gain=1.0, dtype=self.dtype_policy, name="style")
        self.style.build(w_shape)

    def call(self, inputs):
        x, w = inputs
        style = ops.cast(self.style(w), x.dtype)
        s = style[:, None, None, :self.channels]
        b = style[:, None, None, self.channels:]
        return self.norm(x) * (1.0 + s) + b

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        return {**super().get_config(), "epsilon": self.epsilon}


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class NoiseInjection(keras.layers.Layer):
    """[x, noise] -> x + weight * noise, one learned weight per channel (initialised to zero).

    noise: [B, H, W, 1], broadcast over the channels. The noise is an input, not drawn here:
    the model draws it (seeded, and distinct per replica), and an export can take it or draw
    it from a seed, so the same call gives the same image everywhere.
    """

    def build(self, input_shape):
        x_shape, noise_shape = input_shape
        if len(x_shape) != 4 or len(noise_shape) != 4 or noise_shape[-1] != 1:
            raise ValueError(f"NoiseInjection expects [x NHWC, noise [B, H, W, 1]], got {x_shape}, {noise_shape}")
        self.weight = self.add_weight(shape=(int(x_shape[-1]),), name="weight", initializer="zeros")

    def call(self, inputs):
        x, noise = inputs
        return x + ops.cast(noise, x.dtype) * ops.cast(self.weight, x.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape[0]


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class LearnedConstant(keras.layers.Layer):
    """batch_like -> a learned [B, *shape] tensor, the same for every sample: the synthesis
    network's constant input. Only the batch size of the input is used.

    initializer: ones in StyleGAN, N(0, 1) in StyleGAN2. The synthesis network uses N(0, 1):
    instance norm of a constant map (ones, noise weights still zero) divides ~0 by
    sqrt(epsilon), so the first steps' gradients of the constant are rounding noise x 1e4.
    """

    def __init__(self, shape, initializer="ones", **kwargs):
        super().__init__(**kwargs)
        self.shape = tuple(int(s) for s in shape)
        self.initializer = keras.initializers.get(initializer)

    def build(self, input_shape):
        self.constant = self.add_weight(shape=self.shape, name="constant", initializer=self.initializer)

    def call(self, inputs):
        c = ops.cast(self.constant, self.compute_dtype)
        return ops.broadcast_to(c[None], (ops.shape(inputs)[0],) + self.shape)

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + self.shape

    def get_config(self):
        return {**super().get_config(), "shape": list(self.shape),
                "initializer": keras.initializers.serialize(self.initializer)}


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class NoiseSlice(keras.layers.Layer):
    """[B, total] -> [B, size, size, 1]: the map of one synthesis layer taken from a flat noise
    vector (values offset .. offset + size^2), so a network takes all its noise as one input."""

    def __init__(self, offset, size, **kwargs):
        super().__init__(**kwargs)
        self.offset, self.size = int(offset), int(size)

    def call(self, inputs):
        flat = inputs[:, self.offset:self.offset + self.size * self.size]
        return ops.reshape(flat, (-1, self.size, self.size, 1))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.size, self.size, 1)

    def get_config(self):
        return {**super().get_config(), "offset": self.offset, "size": self.size}


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class StyleSelect(keras.layers.Layer):
    """ws [B, L, D] -> ws[:, index]: the w of one synthesis layer."""

    def __init__(self, index, **kwargs):
        super().__init__(**kwargs)
        self.index = int(index)

    def call(self, inputs):
        return inputs[:, self.index]

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[2])

    def get_config(self):
        return {**super().get_config(), "index": self.index}


def mix_styles(w, w_mix, crossover, num_ws):
    """[B, D] x 2 -> [B, num_ws, D]: layer i takes w where i < crossover, else w_mix.
    crossover: [B] or [B, 1] integers (num_ws = no mixing)."""
    idx = ops.arange(num_ws, dtype="int32")[None, :, None]
    take_first = idx < ops.reshape(ops.cast(crossover, "int32"), (-1, 1, 1))
    return ops.where(take_first, w[:, None, :], ops.cast(w_mix, w.dtype)[:, None, :])


def truncate_styles(ws, w_avg, psi, cutoff):
    """The truncation trick: w_avg + psi * (w - w_avg) on layers < cutoff, ws unchanged elsewhere.
    ws: [B, L, D]; w_avg: [D]; psi: a scalar or [B] / [B, 1]."""
    num_ws = ws.shape[1]
    psi = ops.reshape(ops.cast(psi, ws.dtype), (-1, 1, 1))
    coef = ops.where(ops.arange(num_ws)[None, :, None] < cutoff, psi, ops.ones_like(psi))
    avg = ops.cast(w_avg, ws.dtype)
    return avg + coef * (ws - avg)


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class StyleMixer(keras.layers.Layer):
    """[w, w_mix, crossover, psi] -> ws [B, num_ws, D], and the tracked average w.

    In training calls the layer first moves w_avg towards the batch mean of w:
    w_avg <- beta * w_avg + (1 - beta) * mean(w) (the reference code's dlatent_avg, beta 0.995).
    w_avg is a non-trainable variable with aggregation "mean": under tf.distribute the per-replica
    updates are averaged, which equals the update with the global batch mean (equal replica
    batches), so replicas stay equal. Then ws = mix_styles(w, w_mix, crossover) (style mixing:
    crossover = num_ws means none), then truncate_styles(ws, w_avg, psi, cutoff) (psi = 1 means
    none). cutoff: the number of leading layers the truncation applies to (None = all).
    """

    def __init__(self, num_ws, beta=0.995, cutoff=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(num_ws, bool) or int(num_ws) != num_ws or num_ws < 1:
            raise ValueError(f"StyleMixer: num_ws must be an integer >= 1, got {num_ws!r}")
        if not 0.0 <= float(beta) <= 1.0:
            raise ValueError(f"StyleMixer: beta must be in [0, 1], got {beta!r}")
        self.num_ws = int(num_ws)
        self.beta = float(beta)
        self.cutoff = self.num_ws if cutoff is None else int(cutoff)
        if not 0 <= self.cutoff <= self.num_ws:
            raise ValueError(f"StyleMixer: cutoff must be in [0, {self.num_ws}], got {cutoff!r}")

    def build(self, input_shape):
        dim = int(input_shape[0][-1])
        self.w_avg = self.add_weight(shape=(dim,), name="w_avg", initializer="zeros", trainable=False,
                                     autocast=False, aggregation="mean")

    def call(self, inputs, training=False):
        w, w_mix, crossover, psi = inputs
        if training and self.beta < 1.0:
            batch_mean = ops.mean(ops.cast(w, "float32"), axis=0)
            self.w_avg.assign(self.beta * self.w_avg + (1.0 - self.beta) * batch_mean)
        ws = mix_styles(w, w_mix, crossover, self.num_ws)
        return truncate_styles(ws, self.w_avg, psi, self.cutoff)

    def compute_output_shape(self, input_shape):
        return (input_shape[0][0], self.num_ws, input_shape[0][-1])

    def get_config(self):
        return {**super().get_config(), "num_ws": self.num_ws, "beta": self.beta, "cutoff": self.cutoff}
