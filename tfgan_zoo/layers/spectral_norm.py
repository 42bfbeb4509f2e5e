"""Spectral normalisation as Miyato et al. (2018) define it: a reparameterisation W_sn = W / sigma(W).

    SpectralNorm(layer)   layer a Dense, Conv2D or Conv2DTranspose (built by the wrapper)

The wrapped layer's kernel W stays the trainable variable the optimiser updates; every call
runs the layer's op with W / sigma in its place. sigma = u^T W v, for W seen as a matrix
[out, rest] and unit vectors u [out], v [rest] kept between calls (non-trainable variables):

    training call:   v = normalize(W^T u), u = normalize(W v) (one power iteration, stored),
                     sigma = u^T W v with u, v held constant for the gradient
    inference call:  sigma = u^T W v with the stored u, v (nothing is updated)

so the gradient with respect to W flows through sigma, as in the paper, Chainer's
SNConvolution2D / SNLinear (pfnet-research/sngan_projection) and PyTorch's
torch.nn.utils.spectral_norm: dL/dW = (G - <G, W_sn> u v^T) / sigma for G = dL/dW_sn.

The matrix: Dense [in, out] and Conv2D [kh, kw, in, out] kernels are reshaped to
[kh * kw * in, out] (out the output channels, PyTorch's dim 0 of [out, in, kh, kw]);
Conv2DTranspose kernels [kh, kw, out, in] have their output channels on axis -2, so that
axis goes last first (PyTorch uses dim=1 of ConvTranspose2d's [in, out, kh, kw]). The
singular values do not depend on the order of the other axes.

keras.layers.SpectralNormalization is not used: on every training call it writes W / sigma
back into the kernel variable and computes sigma from the stored kernel with no gradient
through it, so the optimiser steps on the normalised weight and the next call projects the
result back onto sigma = 1 (a projection method, not the paper's reparameterisation).

Precision: the power iteration and sigma are computed in the variable dtype (float32; u and v
are float32 too), W / sigma is cast to the compute dtype (bfloat16 under mixed_bfloat16) for
the op. Replicas: u and v have aggregation only_first_replica; every replica computes the same
iteration from the same (mirrored) W, so the first replica's value is every replica's.
"""
import math

import keras
from keras import layers, ops

SUPPORTED = (layers.Dense, layers.Conv2D, layers.Conv2DTranspose)


def _normalize(x, eps):
    return x / ops.maximum(ops.sqrt(ops.sum(ops.square(x))), eps)


def _unit_normal(shape, dtype=None):
    x = keras.random.normal(shape, dtype=dtype)
    return x / ops.maximum(ops.sqrt(ops.sum(ops.square(x))), 1e-12)


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class SpectralNorm(layers.Wrapper):
    """Wraps a Dense, Conv2D or Conv2DTranspose; call(inputs, training) runs it with W / sigma(W).

    power_iterations: power iterations per training call (1, as in the paper).
    epsilon: the floor of a vector's norm when normalising it (PyTorch's 1e-12).
    The wrapper takes the wrapped layer's dtype policy unless `dtype` is given.
    """

    batch_independent = True  # per example (models/critic_pass.py)

    def __init__(self, layer, power_iterations=1, epsilon=1e-12, **kwargs):
        if not isinstance(layer, SUPPORTED):
            raise ValueError(f"SpectralNorm wraps Dense, Conv2D or Conv2DTranspose, got {type(layer).__name__}")
        if isinstance(power_iterations, bool) or not isinstance(power_iterations, int) or power_iterations < 1:
            raise ValueError(f"SpectralNorm: power_iterations must be an integer >= 1, got {power_iterations!r}")
        kwargs.setdefault("dtype", layer.dtype_policy)
        # autocast off: the kernel is read in its own dtype for sigma; inputs are cast in call
        super().__init__(layer, autocast=False, **kwargs)
        self.power_iterations = power_iterations
        self.epsilon = float(epsilon)

    def build(self, input_shape):
        if not self.layer.built:
            self.layer.build(input_shape)
        self.kernel = self.layer.kernel
        shape = tuple(self.kernel.shape)
        out_axis = -2 if isinstance(self.layer, layers.Conv2DTranspose) else -1
        rows = int(shape[out_axis])
        self._matrix_shape = (math.prod(shape) // rows, rows)
        self._transpose = out_axis == -2 and len(shape) > 2
        self.vector_u = self.add_weight(shape=(rows,), initializer=_unit_normal, trainable=False,
                                        autocast=False, aggregation="only_first_replica", name="vector_u",
                                        dtype="float32")
        self.vector_v = self.add_weight(shape=(self._matrix_shape[0],), initializer=_unit_normal, trainable=False,
                                        autocast=False, aggregation="only_first_replica", name="vector_v",
                                        dtype="float32")
        self.built = True

    def matrix(self, kernel=None):
        """The kernel (or `kernel`) as the [rest, out] matrix whose top singular value is sigma."""
        kernel = self.kernel if kernel is None else kernel
        kernel = ops.convert_to_tensor(kernel)
        if self._transpose:
            perm = list(range(len(kernel.shape)))
            perm[-2], perm[-1] = perm[-1], perm[-2]
            kernel = ops.transpose(kernel, perm)
        return ops.reshape(kernel, self._matrix_shape)

    def sigma(self, training=False):
        """sigma = u^T W v (float32); with training=True after a power iteration that is stored."""
        matrix = ops.cast(self.matrix(), "float32")
        u, v = self.vector_u.value, self.vector_v.value
        if training:
            for _ in range(self.power_iterations):
                v = _normalize(ops.matmul(matrix, u), self.epsilon)
                u = _normalize(ops.matmul(v, matrix), self.epsilon)
            u, v = ops.stop_gradient(u), ops.stop_gradient(v)
            self.vector_u.assign(u)
            self.vector_v.assign(v)
        return ops.sum(v * ops.matmul(matrix, u))

    def normalized_kernel(self, training=False):
        """W / sigma in the kernel's shape and dtype (float32)."""
        kernel = ops.convert_to_tensor(self.kernel)
        return kernel / ops.cast(self.sigma(training), kernel.dtype)

    def call(self, inputs, training=None):
        dtype = self.compute_dtype
        x = ops.cast(inputs, dtype)
        kernel = ops.cast(self.normalized_kernel(bool(training)), dtype)
        layer = self.layer
        if isinstance(layer, layers.Dense):
            out = ops.matmul(x, kernel)
        elif isinstance(layer, layers.Conv2DTranspose):
            out = ops.conv_transpose(x, kernel, strides=list(layer.strides), padding=layer.padding,
                                     output_padding=layer.output_padding, dilation_rate=layer.dilation_rate,
                                     data_format=layer.data_format)
        else:
            out = layer.convolution_op(x, kernel)
        if layer.use_bias:
            bias = ops.cast(layer.bias, dtype)
            if not isinstance(layer, layers.Dense) and layer.data_format == "channels_first":
                bias = ops.reshape(bias, (1, -1) + (1,) * (len(out.shape) - 2))
            out = out + bias
        return layer.activation(out) if layer.activation is not None else out

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return super().from_config(dict(config), custom_objects)  # keras' Wrapper pops "layer" in place

    def get_config(self):
        return {**super().get_config(), "power_iterations": self.power_iterations, "epsilon": self.epsilon}
