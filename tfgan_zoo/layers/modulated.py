"""StyleGAN2's modulated convolution (Karras et al. 2020), non-fused.

For a style s = A(w) + 1 per input channel, the per-sample kernel is W'[k, i, o] = W[k, i, o] s[i],
demodulated by d[o] = 1 / sqrt(sum_{k, i} W'[k, i, o]^2 + 1e-8). The fused form convolves each
sample with its own kernel as a grouped convolution, which TensorFlow does not run on CPU; the
non-fused form here scales the input by s, convolves with the shared kernel and scales the output
by d, which is the same computation (the reference code's fused_modconv=False path).
"""
import math

import keras
from keras import ops

from tfgan_zoo.layers.equalized import EqualizedConv2D, EqualizedDense


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class ModulatedConv2D(keras.layers.Layer):
    """[x NHWC, w [B, D]] -> stride-1 "same" convolution of x with the modulated kernel (no bias).

    filters: output channels. kernel_size: odd square kernel. demodulate: divide by d (False:
    modulation only, as in StyleGAN2's toRGB). gain / lr_multiplier: of the equalized kernel.
    """

    def __init__(self, filters, kernel_size=3, demodulate=True, gain=math.sqrt(2.0), lr_multiplier=1.0,
                 epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.filters = int(filters)
        self.kernel_size = int(kernel_size)
        self.demodulate = bool(demodulate)
        self.gain = float(gain)
        self.lr_multiplier = float(lr_multiplier)
        self.epsilon = float(epsilon)

    def build(self, input_shape):
        x_shape, w_shape = input_shape
        if len(x_shape) != 4 or len(w_shape) != 2:
            raise ValueError(f"ModulatedConv2D expects [x NHWC, w [B, D]], got {x_shape} and {w_shape}")
        self.conv = EqualizedConv2D(self.filters, self.kernel_size, gain=self.gain, lr_multiplier=self.lr_multiplier,
                                    use_bias=False, dtype=self.dtype_policy, name="conv")
        self.conv.build(x_shape)
        self.affine = EqualizedDense(int(x_shape[-1]), gain=1.0, bias_init=1.0, dtype=self.dtype_policy,
                                     name="affine")
        self.affine.build(w_shape)

    def call(self, inputs):
        x, w = inputs
        s = ops.cast(self.affine(w), x.dtype)                                 # [B, C_in]
        y = self.conv(x * s[:, None, None, :])
        if self.demodulate:
            k = ops.cast(self.conv.effective_kernel(), "float32")
            k2 = ops.sum(ops.square(k), axis=(0, 1))                           # [C_in, C_out]
            d = ops.rsqrt(ops.matmul(ops.square(ops.cast(s, "float32")), k2) + self.epsilon)
            y = y * ops.cast(d, y.dtype)[:, None, None, :]
        return y

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[0][:-1]) + (self.filters,)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "kernel_size": self.kernel_size,
                "demodulate": self.demodulate, "gain": self.gain, "lr_multiplier": self.lr_multiplier,
                "epsilon": self.epsilon}
