"""BiGAN (Donahue et al. 2017) / ALI (Dumoulin et al. 2017): an encoder E learnt with the generator.

D judges joint pairs: data (x, E(x)) against generated (G(z), z). G and E share one optimizer
and one loss, the discriminator's loss with the labels swapped (the reference code's
`encode_gen_weight` objective): with the non-saturating loss that is
softplus(-D(G(z), z)) + softplus(D(x, E(x))), so E learns to map x where G would have put it.
ALI's stochastic encoder (`stochastic_encoder: true`, network `stochastic`): E(x) gives a
Gaussian's mean and log standard deviation and z = mean + std * eps with the model's replica-safe
noise; `encode` returns the mean.

Roles: generator, encoder (conv_encoder; mlp_encoder on 2-D points), discriminator
(joint_discriminator; mlp_joint_discriminator). Fake: {"images", "latents"}. Export:
generate(latents), sample(num, seed) and encode(images) -> {"latents"}.
"""
from dataclasses import dataclass

import tensorflow as tf

from tfgan_zoo.models.base import GANModel, GANParams
from tfgan_zoo.models.declarations import Endpoint
from tfgan_zoo.models.inputs import Normal
from tfgan_zoo.registry import FAMILIES

LOG_STD_RANGE = (-6.0, 2.0)  # keeps exp(log_std) finite early in training


@dataclass
class BiGANParams(GANParams):
    #: ALI's Gaussian encoder (mean and log-std, reparameterised) instead of a deterministic one
    stochastic_encoder: bool = False


@FAMILIES.register("bigan")
class BiGAN(GANModel):
    Params = BiGANParams
    roles = {"generator": "dcgan_generator", "encoder": "conv_encoder", "discriminator": "joint_discriminator"}
    tiny_config = {"model": {"stochastic_encoder": True}, "discriminator": {"z_units": 8, "joint_units": 8}}

    @classmethod
    def network_args(cls, params, info):
        args = super().network_args(params, info)
        args["encoder"]["stochastic"] = params.stochastic_encoder
        return args

    def generator_variables(self):
        """G and E learn together, with the `g` optimizer."""
        return self.generator.trainable_variables + self.encoder.trainable_variables

    def encode(self, images, training, sample=True):
        """E(x): the deterministic code, or for ALI a reparameterised draw (its mean if not sample)."""
        out = self.encoder(images, training=training)
        if not self.params.stochastic_encoder:
            return out
        if not sample:
            return out["mean"]
        log_std = tf.clip_by_value(tf.cast(out["log_std"], tf.float32), *LOG_STD_RANGE)
        eps = self.random_normal(tf.shape(out["mean"]))
        return tf.cast(out["mean"], tf.float32) + tf.exp(log_std) * eps

    def generator_input_spec(self):
        return {"latents": Normal(self.latent_dim, carry="latents")}  # D judges (G(z), z)

    def discriminate(self, images, cond, training):
        return self.discriminator([images, cond["latents"]], training=training)

    def critic(self, images, cond, training=True):
        """D's output for images judged with cond's latents; a batch of reals (penalties) is
        judged with its own codes E(x)."""
        if "latents" not in cond:
            cond = {**cond, "latents": tf.stop_gradient(self.encode(cond["real"], training))}
        return super().critic(images, cond, training)

    def _pairs(self, batch, fake, encoder_gradient):
        real = batch["real"]
        latents = self.encode(real, True)
        if not encoder_gradient:
            latents = tf.stop_gradient(latents)
        return {"real": self.discriminate(real, {"latents": latents}, True),
                "fake": self.discriminate(fake["images"], fake, True)}

    def discriminator_terms(self, batch, fake):
        outputs = self._pairs(batch, fake, encoder_gradient=False)
        loss = self.adversarial_loss.discriminator(outputs["real"], outputs["fake"],
                                                   random_uniform=self.random_uniform)
        return {"d_adv": loss}, outputs

    def generator_terms(self, batch, fake):
        outputs = self._pairs(batch, fake, encoder_gradient=True)
        # the discriminator's loss with real and fake swapped: G's pairs should look like data
        # pairs and E's like generated ones
        loss = self.adversarial_loss.discriminator(outputs["fake"], outputs["real"],
                                                   random_uniform=self.random_uniform)
        return {"g_adv": loss}, outputs

    # ------------------------------------------------------------------ export
    def export_modules(self):
        return super().export_modules() + [self.encoder]

    def export_endpoints(self):
        shape = [None, *self.encoder.inputs[0].shape[1:]]

        def encode(images):
            return {"latents": tf.cast(self.encode(images, False, sample=False), tf.float32)}

        return super().export_endpoints() + [
            Endpoint("encode", encode, {"images": tf.TensorSpec(shape, tf.float32, name="images")})]
