"""Virtual batch normalisation (Salimans et al. 2016, "Improved Techniques for Training GANs").

Batch norm makes an example's output depend on the other examples of its batch. VBN instead
normalises every example with the statistics of a FIXED reference batch, chosen once before
training, combined with the example itself (as in the paper's reference code):

    mean_i   = (1 / (N + 1)) m(x_i)   + (N / (N + 1)) mu_ref
    meansq_i = (1 / (N + 1)) m(x_i^2) + (N / (N + 1)) E_ref[x^2]
    y_i      = gamma (x_i - mean_i) / sqrt(meansq_i - mean_i^2 + eps) + beta

with statistics per channel (last axis), m(.) the mean over the example's non-channel axes
(identity for [N, C] inputs) and N the number of reference elements per channel (reference
examples x spatial positions). `set_reference(x_ref)` fixes mu_ref / E_ref[x^2] (stored as
non-trainable variables, so checkpoints hold them); `include_self=False` uses the reference
statistics alone. Before `set_reference` the layer normalises with mean 0 / meansq 1.

`set_references(model, inputs)` sets every VBN layer of a functional model by propagating a
reference batch of model inputs through it. Config switch: `generator: {norm: virtual_batch}`
builds a dcgan_generator with VBN layers, and GANModel, when built, calls
`set_latent_references` with 64 latents seeded from train.seed. The statistics are those of the
weights at that moment and stay fixed (the paper recomputes them from the fixed reference batch
with the current weights at every step; here they move only if set_references is called again).
"""
import keras
import numpy as np
from keras import ops

from tfgan_zoo.errors import ConfigError

#: reference batch size of `set_latent_references` (the paper's reference batch is one batch)
REFERENCE_SIZE = 64
#: tag mixed into train.seed, so the reference latents are not the preview or training draws
REFERENCE_STREAM = 0x5642


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class VirtualBatchNormalization(keras.layers.Layer):
    #: an example's output depends on the fixed reference only (models/critic_pass.py)
    batch_independent = True

    def __init__(self, epsilon=1e-5, include_self=True, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = float(epsilon)
        self.include_self = bool(include_self)

    def build(self, input_shape):
        channels = input_shape[-1]
        self.gamma = self.add_weight(shape=(channels,), initializer="ones", name="gamma")
        self.beta = self.add_weight(shape=(channels,), initializer="zeros", name="beta")
        self.ref_mean = self.add_weight(shape=(channels,), initializer="zeros", name="ref_mean",
                                        trainable=False)
        self.ref_meansq = self.add_weight(shape=(channels,), initializer="ones", name="ref_meansq",
                                          trainable=False)
        self.ref_count = self.add_weight(shape=(), initializer="ones", name="ref_count", trainable=False)

    def set_reference(self, reference):
        """Fix the reference statistics from a batch [N, ..., C] (NumPy or tensor)."""
        reference = np.asarray(reference, np.float64)
        if not self.built:
            self.build(reference.shape)
        flat = reference.reshape(-1, reference.shape[-1])
        self.ref_mean.assign(flat.mean(axis=0).astype("float32"))
        self.ref_meansq.assign((flat ** 2).mean(axis=0).astype("float32"))
        self.ref_count.assign(float(flat.shape[0]))

    def call(self, inputs):
        x = ops.cast(inputs, "float32")
        if self.include_self:
            axes = tuple(range(1, len(x.shape) - 1))
            own_mean = ops.mean(x, axis=axes, keepdims=True) if axes else x
            own_meansq = ops.mean(ops.square(x), axis=axes, keepdims=True) if axes else ops.square(x)
            w = 1.0 / (ops.cast(self.ref_count, "float32") + 1.0)
            mean = w * own_mean + (1.0 - w) * self.ref_mean
            meansq = w * own_meansq + (1.0 - w) * self.ref_meansq
        else:
            mean, meansq = self.ref_mean, self.ref_meansq
        var = ops.maximum(meansq - ops.square(mean), 0.0)
        y = self.gamma * (x - mean) * ops.rsqrt(var + self.epsilon) + self.beta
        return ops.cast(y, inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "epsilon": self.epsilon, "include_self": self.include_self}


def virtual_batch_layers(model):
    """The VirtualBatchNormalization layers of a functional model, in topological order (a
    Functional model lists its layers by depth from the inputs). VBN inside a nested model is
    refused: its input cannot be reached from the outer model's inputs."""
    found = []
    for layer in model.layers:
        if isinstance(layer, VirtualBatchNormalization):
            calls = len(layer._inbound_nodes)  # noqa: SLF001 - Keras has no public count
            if calls != 1:
                raise ValueError(f"{model.name}: VirtualBatchNormalization {layer.name!r} is called "
                                 f"{calls} times; one reference per layer needs one call")
            found.append(layer)
        elif isinstance(layer, keras.Model) and virtual_batch_layers(layer):
            raise ValueError(f"{model.name}: VirtualBatchNormalization inside the nested model "
                             f"{layer.name!r} is not supported; build the layers into {model.name!r}")
    return found


def set_references(model, reference_inputs):
    """Set the reference statistics of every VirtualBatchNormalization layer of a functional
    model from a fixed reference batch of model inputs; returns the layers it set.

    Layers are set in topological order, each from the activations the reference inputs produce
    at that layer's INPUT through the model, with the references of the earlier VBN layers
    already in place. As in the paper's reference code, the reference batch itself is
    normalised by the reference statistics alone on its way down (include_self is off for the
    layers already set while propagating, and restored afterwards).
    """
    layers = virtual_batch_layers(model)
    include_self = [layer.include_self for layer in layers]
    try:
        for layer in layers:
            features = keras.Model(model.input, layer.input)(reference_inputs, training=False)
            layer.set_reference(np.asarray(features))
            layer.include_self = False
    finally:
        for layer, value in zip(layers, include_self):
            layer.include_self = value
    return layers


set_virtual_batch_references = set_references  # the name the first version of this module used


def set_latent_references(generator, latent_dim, seed, size=REFERENCE_SIZE):
    """Give a latents -> images generator's VBN layers their reference: `size` latents drawn
    once from N(0, 1) with numpy, seeded by `seed` (the run's train.seed), so a rebuilt model
    (resume, load_run) draws the same batch. Returns the layers set ([] without VBN)."""
    if not virtual_batch_layers(generator):
        return []
    shapes = [tuple(t.shape) for t in generator.inputs]
    if shapes != [(None, latent_dim)]:
        raise ConfigError(f"generator: norm 'virtual_batch' needs a generator fed latents "
                          f"[N, {latent_dim}] only; {generator.name!r} takes {shapes}")
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), REFERENCE_STREAM]))
    return set_references(generator, rng.standard_normal((size, latent_dim)).astype("float32"))
