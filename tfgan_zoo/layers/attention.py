"""The SAGAN self-attention block (Zhang et al. 2019, "Self-Attention Generative Adversarial
Networks"), as in the authors' code (brain-research/self-attention-gan, non_local.py).

For NHWC features x with C channels at the N = H * W positions:

    f = x W_f            [N, C/8]      queries, at every position
    g = maxpool(x W_g)   [N/4, C/8]    keys, 2x2 max-pooled
    h = maxpool(x W_h)   [N/4, C/2]    values, 2x2 max-pooled
    beta = softmax(f g^T)              over the N/4 key positions of each query (rows sum to 1)
    o = (beta h) W_o     [N, C]        back to C channels
    y = x + gamma * o                  gamma a learned scalar initialised to 0

The four projections are bias-free 1x1 convolutions, each wrapped in SpectralNorm
(layers/spectral_norm.py) when spectral_norm is on (the authors' sn_conv1x1). With
gamma = 0 the block starts as the identity and the network learns how much attention to use.

Keras has MultiHeadAttention, but not this block: its projections are dense per-head
matrices with biases, its keys and values are not pooled, and it has no residual gate, so the
block is written here on keras.ops.
"""
import keras
from keras import layers, ops

from tfgan_zoo.layers.spectral_norm import SpectralNorm


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class SelfAttention(layers.Layer):
    """[B, H, W, C] -> [B, H, W, C]; H and W even, C >= 8.

    spectral_norm: wrap the four 1x1 projections in SpectralNorm.
    kernel_initializer: initialiser of the projections (Keras name or config).
    """

    def __init__(self, spectral_norm=True, kernel_initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        self.spectral_norm = bool(spectral_norm)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)

    def _projection(self, filters, name):
        conv = layers.Conv2D(filters, 1, use_bias=False, name=name, dtype=self.dtype_policy,
                             kernel_initializer=self.kernel_initializer.__class__.from_config(
                                 self.kernel_initializer.get_config()))
        if self.spectral_norm:
            return SpectralNorm(conv, name=f"{name}_sn", dtype=self.dtype_policy)
        return conv

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise ValueError(f"SelfAttention expects NHWC features, got shape {input_shape}")
        height, width, channels = input_shape[1:]
        if channels is None or channels < 8:
            raise ValueError(f"SelfAttention needs at least 8 channels (C/8 >= 1), got {channels}")
        if (height is not None and height % 2) or (width is not None and width % 2):
            raise ValueError(f"SelfAttention pools keys and values 2x2: H and W must be even, "
                             f"got {height}x{width}")
        self.channels = channels
        self.query = self._projection(channels // 8, "query")
        self.key = self._projection(channels // 8, "key")
        self.value = self._projection(channels // 2, "value")
        self.out = self._projection(channels, "out")
        for proj in (self.query, self.key, self.value):
            proj.build(input_shape)
        self.out.build(tuple(input_shape[:3]) + (channels // 2,))
        self.gamma = self.add_weight(shape=(), initializer="zeros", name="gamma")

    def attention(self, inputs, training=None):
        """(beta [B, H*W, H*W/4] softmax weights, values [B, H*W/4, C/2])."""
        shape = ops.shape(inputs)
        batch, height, width = shape[0], shape[1], shape[2]
        positions = height * width
        query = ops.reshape(self.query(inputs, training=training), (batch, positions, -1))
        key = ops.max_pool(self.key(inputs, training=training), 2, 2, padding="valid")
        key = ops.reshape(key, (batch, positions // 4, -1))
        value = ops.max_pool(self.value(inputs, training=training), 2, 2, padding="valid")
        value = ops.reshape(value, (batch, positions // 4, -1))
        logits = ops.matmul(query, ops.transpose(key, (0, 2, 1)))
        beta = ops.cast(ops.softmax(ops.cast(logits, "float32"), axis=-1), value.dtype)
        return beta, value

    def call(self, inputs, training=None):
        beta, value = self.attention(inputs, training=training)
        shape = ops.shape(inputs)
        attended = ops.reshape(ops.matmul(beta, value), (shape[0], shape[1], shape[2], self.channels // 2))
        return inputs + ops.cast(self.gamma, inputs.dtype) * self.out(attended, training=training)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "spectral_norm": self.spectral_norm,
                "kernel_initializer": keras.initializers.serialize(self.kernel_initializer)}
