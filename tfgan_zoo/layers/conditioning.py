"""Class conditioning: embeddings, conditional batch norm, the projection head, one-hot concat.

ClassEmbedding                int labels [B] -> [B, dim]
ConditionalBatchNormalization [x, cond] -> BN(x) * (1 + gamma(cond)) + beta(cond)
ProjectionDiscriminatorHead   [features [B, F], labels [B]] -> psi(f) + <embed(y), f>  [B, 1]
OneHotConcat                  [x NHWC or [B, D], labels [B]] -> concat(x, one_hot(y) tiled)

Labels are integer class indices 0..num_classes-1 ([B] or [B, 1]); an out-of-range label maps
to the all-zero one-hot (a zero embedding) on every device, so the export endpoints check
label ranges before calling a network.
"""
import keras
from keras import ops

from tfgan_zoo.layers.spectral_norm import SpectralNorm


def _labels_one_hot(labels, num_classes, dtype):
    """[B] or [B, 1] integer labels -> one-hot [B, num_classes] in `dtype`."""
    labels = ops.reshape(ops.cast(labels, "int32"), (-1,))
    return ops.one_hot(labels, num_classes, dtype=dtype)


def _check_classes(num_classes, what):
    if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 1:
        raise ValueError(f"{what}: num_classes must be an integer >= 1, got {num_classes!r}")
    return num_classes


def _maybe_spectral(layer, spectral_norm):
    return SpectralNorm(layer, name=f"{layer.name}_sn") if spectral_norm else layer


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class ClassEmbedding(keras.layers.Layer):
    """Integer labels [B] (or [B, 1]) -> embeddings [B, dim]: row y of a [num_classes, dim] table.

    The table is the kernel of a bias-free Dense applied to one_hot(y), which is the same
    lookup (one_hot(y) @ W = W[y]), so SpectralNorm (which wraps Dense and convolutions)
    normalises the table as a [K, dim] matrix (SAGAN / TF-GAN's `sn_embedding`, BigGAN's
    shared embedding).

    num_classes: K; dim: embedding size.
    spectral_norm: wrap the table in SpectralNorm (W / sigma of the [K, dim] matrix, one
        power iteration per training call).
    embeddings_initializer: initializer of the table (any keras initializer or its name).
    """

    def __init__(self, num_classes, dim, spectral_norm=False, embeddings_initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        self.num_classes = _check_classes(num_classes, "ClassEmbedding")
        if isinstance(dim, bool) or not isinstance(dim, int) or dim < 1:
            raise ValueError(f"ClassEmbedding: dim must be an integer >= 1, got {dim!r}")
        self.dim = dim
        self.spectral_norm = bool(spectral_norm)
        self.embeddings_initializer = keras.initializers.get(embeddings_initializer)
        table = keras.layers.Dense(dim, use_bias=False, kernel_initializer=self.embeddings_initializer,
                                   dtype=self.dtype_policy, name="table")
        self.table = _maybe_spectral(table, self.spectral_norm)

    def build(self, input_shape):
        self.table.build((None, self.num_classes))

    @property
    def embeddings(self):
        """The [num_classes, dim] table variable."""
        layer = self.table.layer if self.spectral_norm else self.table
        return layer.kernel

    def call(self, labels, training=None):
        one_hot = _labels_one_hot(labels, self.num_classes, self.compute_dtype)
        if self.spectral_norm:
            return self.table(one_hot, training=training)
        return self.table(one_hot)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.dim)

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes, "dim": self.dim,
                "spectral_norm": self.spectral_norm,
                "embeddings_initializer": keras.initializers.serialize(self.embeddings_initializer)}


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class ConditionalBatchNormalization(keras.layers.Layer):
    """call([x, cond], training): BatchNorm(x; no affine) * (1 + gamma(cond)) + beta(cond).

    x: NHWC features or [B, C]; gamma and beta are per channel (the last axis) and per example.
    cond: int labels [B] when num_classes is set (gamma, beta are rows of per-class tables:
        de Vries et al. 2017, Miyato & Koyama 2018), else a float vector [B, D] (BigGAN:
        gamma, beta are bias-free linear maps of the shared class embedding and a z chunk).
    Both paths are a bias-free Dense: of one_hot(y) (a table lookup) or of the vector.

    num_classes: K for label conditioning, None for vector conditioning.
    momentum, epsilon: of the statistics (PyTorch's defaults 0.1 / 1e-5, i.e. Keras momentum 0.9).
    synchronized: BatchNormalization(synchronized=True): under tf.distribute the statistics
        are those of the global batch (TF backend).
    kernel_initializer: of gamma and beta; "zeros" (default) starts as plain batch norm;
        BigGAN uses "orthogonal" with spectral_norm=True.
    spectral_norm: spectrally normalise the gamma and beta maps (BigGAN). Refused with a
        zero initializer: sigma of an all-zero kernel is 0, so W / sigma is undefined.
    """

    def __init__(self, num_classes=None, momentum=0.9, epsilon=1e-5, synchronized=True, kernel_initializer="zeros",
                 spectral_norm=False, **kwargs):
        super().__init__(**kwargs)
        self.num_classes = None if num_classes is None else _check_classes(num_classes, "ConditionalBatchNormalization")
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.synchronized = bool(synchronized)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.spectral_norm = bool(spectral_norm)
        if self.spectral_norm and isinstance(self.kernel_initializer, keras.initializers.Zeros):
            raise ValueError("ConditionalBatchNormalization: spectral_norm needs a non-zero kernel_initializer "
                             "(BigGAN: 'orthogonal')")
        self.norm = keras.layers.BatchNormalization(momentum=self.momentum, epsilon=self.epsilon, center=False,
                                                    scale=False, synchronized=self.synchronized,
                                                    dtype=self.dtype_policy, name="norm")

    def build(self, input_shape):
        x_shape, cond_shape = input_shape
        channels = x_shape[-1]
        if channels is None:
            raise ValueError("ConditionalBatchNormalization: the channel axis of x must be known")
        cond_dim = self.num_classes if self.num_classes is not None else cond_shape[-1]
        if cond_dim is None:
            raise ValueError("ConditionalBatchNormalization: the size of the conditioning vector must be known")
        self.norm.build(x_shape)
        maps = []
        for name in ("gamma", "beta"):
            dense = keras.layers.Dense(channels, use_bias=False, kernel_initializer=self.kernel_initializer,
                                       dtype=self.dtype_policy, name=name)
            layer = _maybe_spectral(dense, self.spectral_norm)
            layer.build((None, cond_dim))
            maps.append(layer)
        self.gamma, self.beta = maps

    def call(self, inputs, training=None):
        x, cond = inputs
        if self.num_classes is not None:
            cond = _labels_one_hot(cond, self.num_classes, self.compute_dtype)
        cond = ops.cast(cond, self.compute_dtype)
        kwargs = {"training": training} if self.spectral_norm else {}
        gamma, beta = self.gamma(cond, **kwargs), self.beta(cond, **kwargs)  # [B, C]
        for _ in range(len(x.shape) - 2):  # [B, C] -> [B, 1, ..., 1, C]
            gamma, beta = ops.expand_dims(gamma, 1), ops.expand_dims(beta, 1)
        normed = self.norm(x, training=training)
        return normed * ops.cast(1.0 + gamma, normed.dtype) + ops.cast(beta, normed.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes, "momentum": self.momentum,
                "epsilon": self.epsilon, "synchronized": self.synchronized,
                "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
                "spectral_norm": self.spectral_norm}


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class ProjectionDiscriminatorHead(keras.layers.Layer):
    """call([features [B, F], labels [B]]) -> [B, 1] = psi(f) + sum(embed(y) * f, -1).

    The projection discriminator's output (Miyato & Koyama 2018, eq. 3): an unconditional
    linear head psi on the pooled, pre-activation features plus their inner product with a
    class embedding of size F.

    num_classes: K.
    spectral_norm: spectrally normalise psi and the embedding table (their SN config).
    kernel_initializer: of psi and the table (glorot uniform, as in the reference code).
    """

    def __init__(self, num_classes, spectral_norm=False, kernel_initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        self.num_classes = _check_classes(num_classes, "ProjectionDiscriminatorHead")
        self.spectral_norm = bool(spectral_norm)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        linear = keras.layers.Dense(1, kernel_initializer=self.kernel_initializer, dtype=self.dtype_policy,
                                    name="linear")
        self.linear = _maybe_spectral(linear, self.spectral_norm)

    def build(self, input_shape):
        features_shape, _ = input_shape
        if len(features_shape) != 2 or features_shape[-1] is None:
            raise ValueError(f"ProjectionDiscriminatorHead expects features [batch, F], got {features_shape}")
        self.linear.build(features_shape)
        self.embedding = ClassEmbedding(self.num_classes, int(features_shape[-1]), spectral_norm=self.spectral_norm,
                                        embeddings_initializer=self.kernel_initializer, dtype=self.dtype_policy,
                                        name="embedding")
        self.embedding.build((None,))

    def call(self, inputs, training=None):
        features, labels = inputs
        kwargs = {"training": training} if self.spectral_norm else {}
        unconditional = self.linear(features, **kwargs)
        embedded = ops.cast(self.embedding(labels, training=training), features.dtype)
        return unconditional + ops.sum(embedded * features, axis=-1, keepdims=True)

    def compute_output_shape(self, input_shape):
        return (input_shape[0][0], 1)

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes, "spectral_norm": self.spectral_norm,
                "kernel_initializer": keras.initializers.serialize(self.kernel_initializer)}


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class OneHotConcat(keras.layers.Layer):
    """call([x, labels]) -> concat([x, one_hot(labels)], -1), the one-hot tiled over H, W for images.

    The concat conditioning of Mirza & Osindero (2014) for vectors, and its image form (one
    constant channel per class, as TF-GAN's `condition_tensor_from_onehot` and the keras.io
    conditional GAN). x: [B, D] or NHWC [B, H, W, C]; output [..., D + K] / [B, H, W, C + K].
    """

    def __init__(self, num_classes, **kwargs):
        super().__init__(**kwargs)
        self.num_classes = _check_classes(num_classes, "OneHotConcat")

    def call(self, inputs):
        x, labels = inputs
        one_hot = _labels_one_hot(labels, self.num_classes, x.dtype)
        if len(x.shape) > 2:
            for _ in range(len(x.shape) - 2):
                one_hot = ops.expand_dims(one_hot, 1)
            one_hot = ops.broadcast_to(one_hot, (*ops.shape(x)[:-1], self.num_classes))
        return ops.concatenate([x, one_hot], axis=-1)

    def compute_output_shape(self, input_shape):
        x_shape = input_shape[0]
        channels = None if x_shape[-1] is None else x_shape[-1] + self.num_classes
        return (*x_shape[:-1], channels)

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes}
