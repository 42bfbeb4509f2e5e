"""BigGAN (Brock et al. 2019): class-conditional residual G and projection D with a shared class
embedding, hierarchical latents, self-attention and spectral norm in both (networks/biggan.py),
hinge loss, orthogonal regularisation of G (beta 1e-4), D steps per G step (n_critic, each on
fresh reals), an EMA generator from `ema_start` with standing BatchNorm statistics (the core's),
and the truncation trick: latents with |z| > psi are resampled inside [-psi, psi]
(tfgan_zoo.latents).

Export: generate(latents, labels, truncation) with truncation a scalar (<= 0: none; each
resampled row is a function of that row alone) and sample(num, seed), which uses balanced labels
and model.truncation.
"""
from dataclasses import dataclass, field

import tensorflow as tf

from tfgan_zoo.latents import truncate_rows
from tfgan_zoo.models.base import GANModel, GANParams
from tfgan_zoo.models.labels import LabelConditioned
from tfgan_zoo.registry import FAMILIES


@dataclass
class BigGANParams(GANParams):
    loss: str = "hinge"
    latent_dim: int = 120
    #: orthogonal regularisation of G's kernels (not the shared embedding)
    regularizers: list = field(default_factory=lambda: [{"name": "orthogonal", "beta": 1e-4}])
    #: D steps per G step, each on its own batch of reals
    n_critic: int = 2
    ema_decay: float = 0.9999
    ema_start: int = 1000
    #: truncation psi of `sample` (and of sample grids / metrics on runs); <= 0: none
    truncation: float = 0.0


def effective_psi(truncation):
    """psi <= 0 means no truncation: an infinite threshold resamples nothing."""
    psi = tf.cast(truncation, tf.float32)
    return tf.where(psi > 0.0, psi, tf.constant(float("inf")))


@FAMILIES.register("biggan")
class BigGAN(LabelConditioned, GANModel):
    Params = BigGANParams
    roles = {"generator": "biggan_generator", "discriminator": "biggan_discriminator"}
    train_defaults = {"g_learning_rate": 1e-4, "d_learning_rate": 4e-4, "beta_1": 0.0, "beta_2": 0.999}
    tiny_config = {"data": {"image_size": 8}, "model": {"ema_decay": 0.9, "ema_start": 2},
                   "generator": {"attention_resolution": 8, "shared_dim": 4},
                   "discriminator": {"attention_resolution": 4}}

    def generator_inputs(self, batch):
        n = self.batch_size(batch)
        return {"latents": self.random_normal([n, self.latent_dim]), "labels": self.fake_labels(n)}

    def generate(self, batch, training):
        inputs = self.generator_inputs(batch)
        images = self.generator([inputs["latents"], inputs["labels"]], training=training)
        return {"images": images, "label": inputs["labels"]}

    def discriminate(self, images, cond, training):
        return self.discriminator([images, self.real_labels(cond)], training=training)

    # ------------------------------------------------------------------ sampling / export
    def sample_inputs(self, num, seed):
        inputs = super().sample_inputs(num, seed)
        inputs["labels"] = self.balanced_labels(num)
        inputs["truncation"] = tf.constant(float(self.params.truncation), tf.float32)
        return inputs

    def generate_specs(self):
        return {**super().generate_specs(), **self.label_specs(),
                "truncation": tf.TensorSpec([], tf.float32, name="truncation")}

    def generate_images(self, inputs, generator=None, training=False):
        generator = generator or self.export_generator()
        latents = tf.convert_to_tensor(inputs["latents"], tf.float32)
        truncation = inputs.get("truncation", 0.0)
        latents = truncate_rows(latents, effective_psi(truncation))
        return generator([latents, self.checked_labels(inputs)], training=training)
