"""Feature matching (Salimans et al. 2016): a generator term
    weight * || mean_x f(x) - mean_z f(G(z)) ||^2
with f the discriminator's intermediate features (default: the input of its last weighted layer,
i.e. the penultimate features). f is a keras sub-model of `model.discriminator` sharing its
weights, built once in `build(model)`; it is fed the images directly, so it suits discriminators
that see the images alone (not conditioned through `discriminate`).
"""
import keras
import tensorflow as tf

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.losses.adversarial import check_range
from tfgan_zoo.losses.regularizer import Regularizer


def feature_matching_loss(real_features, fake_features):
    """||mean over the batch of real features - the same for fakes||^2 (features flattened)."""
    real = tf.reshape(tf.cast(real_features, tf.float32), [tf.shape(real_features)[0], -1])
    fake = tf.reshape(tf.cast(fake_features, tf.float32), [tf.shape(fake_features)[0], -1])
    return tf.reduce_sum(tf.square(tf.reduce_mean(real, axis=0) - tf.reduce_mean(fake, axis=0)))


def penultimate_tensor(network):
    """The input of the last layer with weights (the features the logit is computed from)."""
    weighted = [layer for layer in network.layers if layer.weights]
    if not weighted:
        raise ConfigError(f"feature_matching: network {network.name!r} has no weighted layer")
    return weighted[-1].input


class FeatureMatching(Regularizer):
    """G term on the discriminator's features. layer: name of the discriminator layer whose
    output is matched ("" = the penultimate features)."""
    name = "fm"
    acts_on = ("generator",)
    needs = ("critic_network",)

    def __init__(self, weight: float = 1.0, layer: str = ""):
        self.weight = check_range("FeatureMatching", "weight", weight)
        if not isinstance(layer, str):
            raise ConfigError(f"FeatureMatching: layer must be a layer name, got {layer!r}")
        self.layer = layer
        self.features = None

    def build(self, model):
        net = getattr(model, model.critic_roles[0])
        if self.layer:
            names = [layer.name for layer in net.layers]
            if self.layer not in names:
                raise ConfigError(f"feature_matching: discriminator has no layer {self.layer!r} "
                                  f"(layers: {', '.join(names)})")
            tensor = net.get_layer(self.layer).output
        else:
            tensor = penultimate_tensor(net)
        self.features = keras.Model(net.input, tensor, name="feature_matching_features")

    def generator_term(self, model, batch, fake, outputs):
        if self.features is None:
            raise RuntimeError("feature_matching: build(model) must run before training")
        real_f = tf.stop_gradient(self.features(model.real_images(batch), training=True))
        fake_f = self.features(model.fake_images(fake), training=True)
        return self.weight * feature_matching_loss(real_f, fake_f)
