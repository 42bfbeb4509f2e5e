"""SAGAN (Zhang et al. 2019): residual G and D with self-attention, spectral norm in both,
hinge loss and the two time-scale update rule (G 1e-4, D 4e-4, Adam beta (0, 0.9)).

conditional: false (default) trains the unconditional networks; true makes every G block's
batch norm conditional on the label and gives D a projection head; fakes then carry uniform
random labels and the export is generate(latents, labels).
The attention gates gamma (0 at init) are logged as g_gamma / d_gamma (mean |gamma| over the
attention blocks of each network): a gamma that stays at 0 means the attention is unused.
"""
from dataclasses import dataclass

import tensorflow as tf

from tfgan_zoo.layers.attention import SelfAttention
from tfgan_zoo.models.base import GANModel, GANParams
from tfgan_zoo.models.labels import LabelConditioned
from tfgan_zoo.registry import FAMILIES


@dataclass
class SAGANParams(GANParams):
    loss: str = "hinge"
    latent_dim: int = 128
    #: class-conditional G (conditional batch norm) and D (projection head)
    conditional: bool = False


def attention_gammas(network):
    return [layer.gamma for layer in network._flatten_layers(include_self=False)  # noqa: SLF001
            if isinstance(layer, SelfAttention)]


def mean_abs(variables):
    if not variables:
        return tf.constant(0.0)
    return tf.add_n([tf.abs(tf.cast(v.value, tf.float32)) for v in variables]) / len(variables)


@FAMILIES.register("sagan")
class SAGAN(LabelConditioned, GANModel):
    Params = SAGANParams
    roles = {"generator": "sagan_generator", "discriminator": "sagan_discriminator"}
    train_defaults = {"g_learning_rate": 1e-4, "d_learning_rate": 4e-4, "beta_1": 0.0, "beta_2": 0.9}
    extra_metric_names = ("g_gamma", "d_gamma")
    tiny_config = {"data": {"image_size": 8}, "model": {"conditional": True},
                   "generator": {"attention_resolution": 8},
                   "discriminator": {"attention_resolution": 4}}

    def discriminate(self, images, cond, training):
        if self.conditional:
            return self.discriminator([images, self.real_labels(cond)], training=training)
        return self.discriminator(images, training=training)

    def after_train_step(self, batch, logs):
        return {"g_gamma": mean_abs(attention_gammas(self.generator)),
                "d_gamma": mean_abs(attention_gammas(self.discriminator))}
