"""Inference copy of a Keras network with batch norm folded into the convolutions before it.

In inference a BatchNormalization after a convolution is an affine map per channel:
    y = gamma (conv(x) - mean) / sqrt(var + eps) + beta
      = conv_{W * s}(x) + (beta - mean * s),   s = gamma / sqrt(var + eps)
so the convolution can carry it in its kernel and a bias. Keras 3 has no such transform, and
its inference batch norm is separate element-wise ops (a full read and write of every feature
map, ~a third of InceptionV3's time on a CPU), while a convolution + bias + ReLU is one fused
oneDNN kernel (grappler's remapper fuses Conv2D + BiasAdd + Relu; Keras's Conv2D adds its bias
with a broadcast add, which it does not, hence the small layer below).

`fold_batch_norm(model, dtype)` clones a functional model (keras.models.clone_model, so the
graph is the model's own) with every Conv2D -> BatchNormalization [-> ReLU activation] chain
replaced by one FoldedConv2D and the batch norm and activation by `Folded` (identity) layers; every layer
runs under the dtype policy `dtype` ("float32", or "bfloat16": weights and activations in
bfloat16, which halves memory traffic and uses the CPU's bf16 dot products where it has them).
Only the layers named in `float32_layers` (e.g. the final pooling) keep float32.
"""
import keras
import numpy as np
import tensorflow as tf


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class FoldedConv2D(keras.layers.Layer):
    """conv2d + bias_add (+ relu) with a folded kernel and bias, as one fusable op chain."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", relu=True,
                 **kwargs):
        super().__init__(**kwargs)
        self.filters, self.kernel_size = int(filters), tuple(kernel_size)
        self.strides, self.padding, self.relu = tuple(strides), padding.upper(), bool(relu)

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(*self.kernel_size, input_shape[-1], self.filters),
                                      initializer="zeros", name="kernel", trainable=False)
        self.bias = self.add_weight(shape=(self.filters,), initializer="zeros", name="bias",
                                    trainable=False)

    def call(self, x):
        x = tf.nn.bias_add(tf.nn.conv2d(x, self.kernel, self.strides, self.padding), self.bias)
        return tf.nn.relu(x) if self.relu else x

    def compute_output_shape(self, input_shape):
        return keras.layers.Conv2D(self.filters, self.kernel_size, self.strides,
                                   self.padding.lower()).compute_output_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "kernel_size": self.kernel_size,
                "strides": self.strides, "padding": self.padding.lower(), "relu": self.relu}


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class Folded(keras.layers.Layer):
    """What a folded batch norm or activation becomes: its input, unchanged."""

    def call(self, inputs, mask=None, training=None):
        return inputs


def _consumers(model):
    out = {}
    for layer in model.layers:
        for node in layer._inbound_nodes:
            for t in node.input_tensors:
                out.setdefault(id(t._keras_history.operation), []).append(layer)
    return out


def _producer(layer):
    nodes = layer._inbound_nodes
    if len(nodes) != 1 or len(nodes[0].input_tensors) != 1:
        return None
    return nodes[0].input_tensors[0]._keras_history.operation


def _foldable_chains(model):
    """{id(conv): (conv, bn, relu activation or None)} for every Conv2D whose only consumer is
    a BatchNormalization over the channel axis (and that one's only consumer, if a ReLU)."""
    consumers = _consumers(model)
    chains = {}
    for bn in model.layers:
        if not isinstance(bn, keras.layers.BatchNormalization) or bn.axis not in (-1, 3):
            continue
        conv = _producer(bn)
        if type(conv) is not keras.layers.Conv2D or conv.data_format != "channels_last" or \
                conv.activation is not keras.activations.linear or conv.groups != 1 or \
                tuple(conv.dilation_rate) != (1, 1) or consumers.get(id(conv)) != [bn]:
            continue
        after = consumers.get(id(bn), [])
        relu = after[0] if len(after) == 1 and isinstance(after[0], keras.layers.Activation) \
            and after[0].activation is keras.activations.relu else None
        chains[id(conv)] = (conv, bn, relu)
    return chains


def folded_weights(conv, bn):
    """(kernel, bias) of conv followed by bn in inference, in float64 then float32."""
    kernel = np.asarray(conv.kernel.numpy(), np.float64)
    bias = np.asarray(conv.bias.numpy(), np.float64) if conv.use_bias else 0.0
    mean = np.asarray(bn.moving_mean.numpy(), np.float64)
    var = np.asarray(bn.moving_variance.numpy(), np.float64)
    gamma = np.asarray(bn.gamma.numpy(), np.float64) if bn.scale else 1.0
    beta = np.asarray(bn.beta.numpy(), np.float64) if bn.center else 0.0
    s = gamma / np.sqrt(var + bn.epsilon)
    return (kernel * s).astype(np.float32), ((bias - mean) * s + beta).astype(np.float32)


def fold_batch_norm(model, dtype="float32", float32_layers=()):
    """The inference copy of functional `model` described in the module docstring."""
    chains = _foldable_chains(model)
    replaced = {}
    for conv, bn, relu in chains.values():
        replaced[id(bn)] = replaced[id(conv)] = conv
        if relu is not None:
            replaced[id(relu)] = conv

    def policy(layer):
        return "float32" if layer.name in float32_layers else dtype

    def clone(layer):
        if id(layer) in chains:
            conv, _, relu = chains[id(layer)]
            return FoldedConv2D(conv.filters, conv.kernel_size, conv.strides, conv.padding,
                                relu=relu is not None, name=conv.name, dtype=policy(conv))
        if id(layer) in replaced:
            return Folded(name=layer.name, dtype=policy(layer))
        return type(layer).from_config({**layer.get_config(), "dtype": policy(layer)})

    folded = keras.models.clone_model(model, clone_function=clone)
    by_name = {layer.name: layer for layer in folded.layers}
    for layer in model.layers:
        new = by_name.get(layer.name)
        if new is None:  # an InputLayer
            continue
        if id(layer) in chains:
            conv, bn, _ = chains[id(layer)]
            new.set_weights(list(folded_weights(conv, bn)))
        elif id(layer) not in replaced and layer.weights:
            new.set_weights([w.numpy() for w in layer.weights])
    return folded
