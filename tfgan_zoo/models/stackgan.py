"""StackGAN (Zhang et al. 2017) on class labels (there is no text data offline): the label's
embedding goes through conditioning augmentation (mu, sigma, a reparameterised sample c and a
KL term, weight 2), stage I draws low-resolution images, stage II redraws them at full
resolution from stage I's image with the condition re-injected (networks/stackgan.py).

Roles: `generator` / `discriminator` (stage I, at half the data's size) and `generator_2` /
`discriminator_2` (stage II). Two stages of the core: "stage1" trains G_1 and D_1 from step 0;
"stage2" (from model.stage2_start, fresh optimizer state) trains G_2 and D_2 with stage I frozen
(called in inference mode, no gradient). The discriminator is matching-aware, as in the
reference: besides real and fake pairs it sees real images with a wrong label, judged fake. Its
loss is the reference's errD_real + (errD_fake + errD_wrong) / 2 (hanzhanggit/StackGAN-Pytorch,
trainer.py / utils.compute_discriminator_loss): fake_weight and mismatch_weight 0.5, binary
cross-entropy; fake_weight 1 gives back any adversarial loss of the zoo.

Export: generate(latents, labels) at stage II's resolution, latents = [z, eps_1, eps_2] (the
noise and the two augmentations' eps, latent_dim + 2 x ca_dim wide); sample(num, seed) with
balanced labels. Before stage II, sampling shows stage I's images upsampled.
"""
from dataclasses import dataclass

import tensorflow as tf

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.layers.conditioning_augmentation import kl_to_standard_normal
from tfgan_zoo.layers.pyramid import downsample, upsample
from tfgan_zoo.losses.adversarial import bce_with_logits
from tfgan_zoo.models.base import GANModel, GANParams
from tfgan_zoo.models.declarations import Stage, stage_index
from tfgan_zoo.models.inputs import Normal
from tfgan_zoo.models.labels import LabelConditioned
from tfgan_zoo.registry import FAMILIES


@dataclass
class StackGANParams(GANParams):
    latent_dim: int = 100
    #: weight of the conditioning augmentation's KL term (per dimension, as the reference)
    kl_weight: float = 2.0
    #: weight of the mismatched (real image, wrong label) pairs in D's loss
    mismatch_weight: float = 0.5
    #: weight of the (fake image, its label) pairs in D's loss (the reference's 0.5; 1 = the
    #: zoo's adversarial loss unweighted, needed for losses other than BCE)
    fake_weight: float = 0.5
    #: first step of stage II (stage I's networks are frozen from then on)
    stage2_start: int = 3000

    def validate(self):
        super().validate()
        if self.kl_weight < 0 or self.mismatch_weight < 0 or self.fake_weight < 0:
            raise ValueError("kl_weight, mismatch_weight and fake_weight must be >= 0")
        if self.fake_weight != 1.0 and (self.loss not in ("nonsaturating", "minimax")
                                        or self.loss_options.get("label_flip")):
            raise ValueError(f"fake_weight {self.fake_weight} weighs the BCE loss's fake term: use loss "
                             f"nonsaturating or minimax without label_flip, or fake_weight 1 "
                             f"(got loss {self.loss!r})")
        if self.stage2_start < 1:
            raise ValueError(f"stage2_start {self.stage2_start} must be >= 1 (stage I trains first)")


@FAMILIES.register("stackgan")
class StackGAN(LabelConditioned, GANModel):
    Params = StackGANParams
    roles = {"generator": "stackgan_stage1_generator", "discriminator": "stackgan_discriminator",
             "generator_2": "stackgan_stage2_generator", "discriminator_2": "stackgan_discriminator"}
    ema_roles = ()  # two stages of generators; one EMA copy would average stage I only
    critic_roles = ("discriminator", "discriminator_2")  # `critic` judges with the stage's D
    term_names = {"discriminator": ("d_adv", "d_mismatch"), "generator": ("g_adv", "g_kl")}
    extra_metric_names = ("kl_nats",)
    tiny_config = {"data": {"image_size": 16}, "model": {"stage2_start": 2},
                   "generator": {"embed_dim": 4, "ca_dim": 3}, "generator_2": {"embed_dim": 4, "ca_dim": 3},
                   "discriminator": {"embed_dim": 4}, "discriminator_2": {"embed_dim": 4}}

    @classmethod
    def network_args(cls, params, info):
        args = super().network_args(params, info)
        size = args["generator"].get("image_size")
        if size is None or size < 16 or size & (size - 1):
            raise ConfigError(f"stackgan: stage II's images must be a power of two >= 16 (stage I draws "
                              f"half that), got {size}")
        for role in ("generator", "discriminator"):
            args[role]["image_size"] = size // 2
        args["generator_2"]["low_size"] = size // 2
        return args

    @classmethod
    def stages(cls, params, train):
        return (Stage("stage1", 0), Stage("stage2", params.stage2_start, reset_optimizers=True))

    @property
    def ca_dim(self):
        return int(self.generator.inputs[1].shape[-1])

    def _stage(self):
        """0 or 1: the stage being trained, or for sampling the stage the step is in."""
        if self.stage_index is not None:
            return self.stage_index
        if tf.executing_eagerly():
            return stage_index(self.stage_plan, int(self.step.numpy()))
        return len(self.stage_plan) - 1

    def _pair(self):
        return (self.generator, self.discriminator) if self._stage() == 0 else (self.generator_2,
                                                                                  self.discriminator_2)

    def discriminator_variables(self):
        """Both stages' D: the optimizer and its checkpoint always hold the same variables; the
        stage not trained is not called, so its gradients are None and Keras skips them."""
        return self.discriminator.trainable_variables + self.discriminator_2.trainable_variables

    def generator_variables(self):
        """Both stages' G; in stage II, G_1 runs in inference mode behind stop_gradient, so it
        gets no gradient and stays frozen."""
        return self.generator.trainable_variables + self.generator_2.trainable_variables

    def real_images(self, batch):
        real = batch["real"]
        return downsample(real) if self._stage() == 0 else real

    def generate(self, batch, training):
        n = self.batch_size(batch)
        labels = self.fake_labels(n)
        z = self.random_normal([n, self.latent_dim])
        eps1 = self.random_normal([n, self.ca_dim])
        if self._stage() == 0:
            images, mu, log_var = self.generator([z, eps1, labels], training=training)
            return {"images": images, "label": labels, "mu": mu, "log_var": log_var}
        low = tf.stop_gradient(self.generator([z, eps1, labels], training=False)[0])
        eps2 = self.random_normal([n, self.ca_dim])
        images, mu, log_var = self.generator_2([low, eps2, labels], training=training)
        return {"images": images, "label": labels, "mu": mu, "log_var": log_var, "low": low}

    def discriminate(self, images, cond, training):
        return self._pair()[1]([images, self.real_labels(cond)], training=training)

    def discriminator_terms(self, batch, fake):
        terms, outputs = super().discriminator_terms(batch, fake)
        if self.params.fake_weight != 1.0:  # BCE only (validate): real + fake_weight x fake
            real_target = 1.0 - self.params.loss_options.get("label_smoothing", 0.0)
            terms["d_adv"] = (tf.reduce_mean(bce_with_logits(outputs["real"], real_target))
                              + self.params.fake_weight * tf.reduce_mean(bce_with_logits(outputs["fake"], 0.0)))
        labels = self.real_labels(batch)
        shift = 1 + tf.cast(tf.floor(self.random_uniform([self.batch_size(batch)]) * (self.num_classes - 1)),
                            tf.int32)
        wrong = (labels + tf.minimum(shift, self.num_classes - 1)) % self.num_classes
        d_wrong = self.discriminate(self.real_images(batch), {"label": wrong}, True)
        terms["d_mismatch"] = self.params.mismatch_weight * tf.reduce_mean(bce_with_logits(d_wrong, 0.0))
        return terms, outputs

    def generator_terms(self, batch, fake):
        terms, outputs = super().generator_terms(batch, fake)
        kl = kl_to_standard_normal(fake["mu"], fake["log_var"])         # nats per example
        terms["g_kl"] = self.params.kl_weight * tf.reduce_mean(kl) / self.ca_dim
        outputs["logs"] = {"kl_nats": tf.reduce_mean(kl)}
        return terms, outputs

    # ------------------------------------------------------------------ sampling / export
    def generator_input_spec(self):
        """latents = [z, eps_1, eps_2]: the noise and the two augmentations' eps."""
        return {"latents": Normal(self.latent_dim + 2 * self.ca_dim), **self.label_input()}

    def call_generator(self, generator, inputs, training, stage=None):
        """Stage II's images; stage=0 (or before stage II) stage I's, upsampled to full size."""
        stage = self._stage() if stage is None else stage
        z, eps1, eps2 = tf.split(inputs["latents"], [self.latent_dim, self.ca_dim, self.ca_dim], axis=1)
        low = self.generator([z, eps1, inputs["labels"]], training=training)[0]
        if stage == 0:
            return upsample(low)
        return self.generator_2([low, eps2, inputs["labels"]], training=training)[0]

    def export_modules(self):
        return [self.generator, self.generator_2]
