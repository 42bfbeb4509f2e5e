"""Pix2Pix (Isola et al. 2017): paired image -> image translation.

U-Net generator, PatchGAN discriminator conditioned on the source image (source and
candidate concatenated on channels), adversarial loss on the patch map + λ·L1 to the target.
The generator's only randomness is dropout (the paper's noise), so no latent is drawn.
"""
from dataclasses import dataclass

import keras
import numpy as np

from tfgan_zoo.models.base import GANModel, GANParams
from tfgan_zoo.models.inputs import Given
from tfgan_zoo.registry import FAMILIES


@dataclass
class Pix2PixParams(GANParams):
    loss: str = "minimax"
    #: weight λ of the L1 term (the paper's 100)
    l1_weight: float = 100.0

    def validate(self):
        super().validate()
        if self.l1_weight < 0:
            raise ValueError(f"l1_weight {self.l1_weight} must be >= 0")


@FAMILIES.register("pix2pix")
class Pix2Pix(GANModel):
    Params = Pix2PixParams
    roles = {"generator": "unet", "discriminator": "patchgan"}
    term_names = {"discriminator": ("d_adv",), "generator": ("g_adv", "g_l1")}
    tiny_config = {
        "data": {"name": "edges2photos", "image_size": 16, "batch_size": 4,
                 "options": {"num_examples": 16}},
        "model": {"latent_dim": 64},  # the default: the harness's small latent_dim means nothing here
        "generator": {"base_filters": 4, "max_filters": 8},
        "discriminator": {"base_filters": 4, "n_layers": 1},
    }

    @classmethod
    def network_args(cls, params, info):
        size, channels = info.shape[0], info.shape[-1]
        source_channels = info.source_shape[-1]
        return {"generator": {"image_size": size, "in_channels": source_channels,
                              "out_channels": channels},
                "discriminator": {"image_size": size, "in_channels": source_channels + channels}}

    def generator_input_spec(self):
        """The source image, given by the caller (the batch's "source" in training)."""
        return {"images": Given(*self.generator.inputs[0].shape[1:], key="source")}

    def discriminate(self, images, cond, training):
        return self.discriminator(keras.ops.concatenate([cond["source"], images], axis=-1),
                                  training=training)

    def generator_terms(self, batch, fake):
        terms, outputs = super().generator_terms(batch, fake)
        terms["g_l1"] = self.params.l1_weight * keras.ops.mean(keras.ops.abs(batch["real"] - fake))
        return terms, outputs

    def preview_inputs(self, num, seed, reference):
        return {"source": reference["source"][:num], "real": reference["real"][:num]}

    def preview(self, inputs):
        fake = np.asarray(self.generate_images({"images": inputs["source"]}))
        source = inputs["source"]
        if source.shape[-1] != fake.shape[-1]:
            source = np.repeat(source[..., :1], fake.shape[-1], axis=-1)
        return np.concatenate([source, fake, inputs["real"]], axis=2)  # source | fake | target
