"""BEGAN (Berthelot et al. 2017): an autoencoder discriminator, L(v) = mean |v - AE(v)|,

    D loss = L(x) - k_t L(G(z))          G loss = L(G(z))
    k_{t+1} = clip(k_t + lambda_k (gamma L(x) - L(G(z))), 0, 1)
    M_global = L(x) + |gamma L(x) - L(G(z))|   (convergence measure)

k_t is model state (`add_state`, aggregation "mean", so checkpoints hold it and replicas agree),
updated in `after_train_step` from the L(x) of the step's (last) D update and the L(G(z)) of its
G update, the two values the reference implementation uses; the update hooks hand them over as
logged values (`outputs["logs"]`). Logged: l_real, l_fake, k_t, m_global.
"""
from dataclasses import dataclass

import tensorflow as tf

from tfgan_zoo.losses.adversarial import AdversarialLoss, check_range
from tfgan_zoo.losses.energy import (began_autoencoder_loss, began_convergence, began_discriminator_loss,
                                     began_generator_loss, began_k_update)
from tfgan_zoo.models.base import GANModel, GANParams
from tfgan_zoo.registry import FAMILIES, LOSSES


@LOSSES.register("began")
class BEGANLoss(AdversarialLoss):
    """L(x) - k L(G(z)) / L(G(z)) on per-sample autoencoder losses; k is given per call."""
    name = "began"

    def discriminator(self, d_real, d_fake, random_uniform=None, k=0.0):
        return began_discriminator_loss(d_real, d_fake, k)

    def generator(self, d_fake, *, d_real=None):
        return began_generator_loss(d_fake)


@dataclass
class BEGANParams(GANParams):
    #: must be "began"
    loss: str = "began"
    #: diversity ratio gamma = E[L(G(z))] / E[L(x)] the controller aims at
    gamma: float = 0.5
    #: learning rate lambda_k of the proportional controller on k_t
    lambda_k: float = 1e-3
    #: initial k_0
    k_init: float = 0.0

    def validate(self):
        super().validate()
        if self.loss != "began":
            raise ValueError(f"BEGAN: loss must be 'began', got {self.loss!r}")
        check_range("BEGAN", "gamma", self.gamma, 0.0, low_open=True)
        check_range("BEGAN", "lambda_k", self.lambda_k)
        check_range("BEGAN", "k_init", self.k_init, 0.0, 1.0 + 1e-9)


@FAMILIES.register("began")
class BEGAN(GANModel):
    Params = BEGANParams
    roles = {"generator": "dcgan_generator", "discriminator": "autoencoder"}
    extra_metric_names = ("l_real", "l_fake", "k_t", "m_global")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_state("k_t", (), "float32", aggregation="mean",
                       initializer=float(self.params.k_init))

    def discriminate(self, images, cond, training):
        """Per-sample L1 reconstruction loss L(v) [B]."""
        reconstruction = self.discriminator(images, training=training)[0]
        return began_autoencoder_loss(images, reconstruction)

    def discriminator_terms(self, batch, fake):
        outputs = {"real": self.discriminate(batch["real"], batch, True),
                   "fake": self.discriminate(self.fake_images(fake), batch, True)}
        loss = self.adversarial_loss.discriminator(outputs["real"], outputs["fake"], k=self.k_t.value)
        outputs["logs"] = {"l_real": tf.stop_gradient(tf.reduce_mean(outputs["real"]))}
        return {"d_adv": loss}, outputs

    def generator_terms(self, batch, fake):
        outputs = {"fake": self.discriminate(self.fake_images(fake), batch, True)}
        loss = self.adversarial_loss.generator(outputs["fake"])
        outputs["logs"] = {"l_fake": tf.stop_gradient(loss)}
        return {"g_adv": loss}, outputs

    def after_train_step(self, batch, logs):
        l_real, l_fake = logs["l_real"], logs["l_fake"]
        p = self.params
        self.k_t.assign(began_k_update(self.k_t.value, l_real, l_fake, p.gamma, p.lambda_k))
        return {"l_real": l_real, "l_fake": l_fake, "k_t": self.k_t.value,
                "m_global": began_convergence(l_real, l_fake, p.gamma)}
