"""Equalized learning rate (Karras et al. 2018, ProGAN section 4.1; StyleGAN's lr multiplier).

A weight is stored as w' ~ N(0, 1 / lr_multiplier^2) and used as w = w' * c at run time, with
c = gain / sqrt(fan_in) * lr_multiplier (He's constant times the multiplier); a bias is stored
as b' and used as b = b' * lr_multiplier. The effective weights start as He-initialised ones,
but every weight's gradient step is scaled alike, so Adam's per-parameter normalisation no
longer makes layers of different fan-in learn at different speeds. lr_multiplier < 1 (0.01 in
StyleGAN's mapping network) slows a layer's learning by that factor without changing its
initial function. keras.layers.Dense / Conv2D cannot express the run-time scale (a kernel
constraint would rewrite the stored weight), hence these layers.
"""
import math

import keras
from keras import ops


def _check_positive(value, what, layer):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValueError(f"{layer}: {what} must be a number > 0, got {value!r}")
    return float(value)


class _Equalized(keras.layers.Layer):
    """Shared parts: gain, lr multiplier, bias with its initial effective value."""

    def __init__(self, gain=math.sqrt(2.0), lr_multiplier=1.0, use_bias=True, bias_init=0.0, **kwargs):
        super().__init__(**kwargs)
        name = type(self).__name__
        self.gain = _check_positive(gain, "gain", name)
        self.lr_multiplier = _check_positive(lr_multiplier, "lr_multiplier", name)
        self.use_bias = bool(use_bias)
        self.bias_init = float(bias_init)
        self.runtime_scale = None

    def _add_kernel(self, shape, fan_in):
        self.runtime_scale = self.gain / math.sqrt(fan_in) * self.lr_multiplier
        self.kernel = self.add_weight(
            shape=shape, name="kernel",
            initializer=keras.initializers.RandomNormal(stddev=1.0 / self.lr_multiplier))
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(shape[-1],), name="bias",
                initializer=keras.initializers.Constant(self.bias_init / self.lr_multiplier))

    def effective_kernel(self, dtype=None):
        w = self.kernel * self.runtime_scale
        return w if dtype is None else ops.cast(w, dtype)

    def effective_bias(self, dtype=None):
        b = self.bias * self.lr_multiplier
        return b if dtype is None else ops.cast(b, dtype)

    def get_config(self):
        return {**super().get_config(), "gain": self.gain, "lr_multiplier": self.lr_multiplier,
                "use_bias": self.use_bias, "bias_init": self.bias_init}


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class EqualizedDense(_Equalized):
    """y = x @ (w' * gain / sqrt(in) * lr_mul) + b' * lr_mul on the last axis.

    units: output features. gain: sqrt(2) before a (leaky) ReLU, 1 before a linear output.
    lr_multiplier: learning-rate multiplier (0.01 for StyleGAN's mapping network).
    bias_init: the bias's initial effective value (1 for a modulation scale).
    """

    def __init__(self, units, gain=math.sqrt(2.0), lr_multiplier=1.0, use_bias=True, bias_init=0.0, **kwargs):
        super().__init__(gain, lr_multiplier, use_bias, bias_init, **kwargs)
        if isinstance(units, bool) or int(units) != units or units < 1:
            raise ValueError(f"EqualizedDense: units must be an integer >= 1, got {units!r}")
        self.units = int(units)

    def build(self, input_shape):
        fan_in = int(input_shape[-1])
        self._add_kernel((fan_in, self.units), fan_in)

    def call(self, inputs):
        y = ops.matmul(inputs, self.effective_kernel(inputs.dtype))
        if self.use_bias:
            y = y + self.effective_bias(inputs.dtype)
        return y

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class EqualizedConv2D(_Equalized):
    """Stride-1 "same" NHWC convolution with a run-time scaled kernel (fan_in = k * k * C_in).

    filters: output channels. kernel_size: an odd square kernel (1 for toRGB / fromRGB).
    gain, lr_multiplier, use_bias, bias_init: as EqualizedDense.
    """

    def __init__(self, filters, kernel_size=3, gain=math.sqrt(2.0), lr_multiplier=1.0, use_bias=True,
                 bias_init=0.0, **kwargs):
        super().__init__(gain, lr_multiplier, use_bias, bias_init, **kwargs)
        if isinstance(filters, bool) or int(filters) != filters or filters < 1:
            raise ValueError(f"EqualizedConv2D: filters must be an integer >= 1, got {filters!r}")
        if isinstance(kernel_size, bool) or int(kernel_size) != kernel_size or kernel_size < 1 \
                or kernel_size % 2 == 0:
            raise ValueError(f"EqualizedConv2D: kernel_size must be an odd integer >= 1, got {kernel_size!r}")
        self.filters = int(filters)
        self.kernel_size = int(kernel_size)

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise ValueError(f"EqualizedConv2D expects NHWC inputs, got shape {input_shape}")
        c_in = int(input_shape[-1])
        k = self.kernel_size
        self._add_kernel((k, k, c_in, self.filters), k * k * c_in)

    def call(self, inputs):
        y = ops.conv(inputs, self.effective_kernel(inputs.dtype), strides=1, padding="same")
        if self.use_bias:
            y = y + self.effective_bias(inputs.dtype)
        return y

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.filters,)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "kernel_size": self.kernel_size}
