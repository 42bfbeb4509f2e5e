"""LapGAN (Denton et al. 2015): a Laplacian pyramid of generators, coarse to fine.

Three levels (the image at 1/4, 1/2 and full size: 8 -> 16 -> 32 on 32 px digits), one role
each: `generator` (level 0, noise -> the coarse image) and `generator_1`, `generator_2` (the
residual of their level from the upsampled coarser image and a noise plane), with
`discriminator`, `discriminator_1`, `discriminator_2` judging the image at their level. As in
the paper every level trains on its own: the residual generators are conditioned on the
upsampled REAL coarser image (l_k = up(down(x))), and D_k sees l_k + h_k (real) or l_k + G_k(l_k,
noise) (fake). The pyramid operators are tfgan_zoo.layers.pyramid (reconstruct(pyramid(x)) == x).
Sampling chains the levels: I_0 = G_0(z), I_k = up(I_{k-1}) + G_k(up(I_{k-1}), noise_k).

conditional: every network also gets the label (the batch's labels for the fakes too).
Export: generate(latents, noise_1, noise_2[, labels]) and sample(num, seed) at full resolution.
"""
from dataclasses import dataclass

import tensorflow as tf

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.layers.pyramid import gaussian_levels, upsample
from tfgan_zoo.models.base import GANModel, GANParams
from tfgan_zoo.models.inputs import Normal
from tfgan_zoo.models.labels import LabelConditioned
from tfgan_zoo.registry import FAMILIES

LEVELS = 3
GENERATORS = ("generator", "generator_1", "generator_2")
DISCRIMINATORS = ("discriminator", "discriminator_1", "discriminator_2")


@dataclass
class LapGANParams(GANParams):
    latent_dim: int = 100
    #: every level's G and D also take the class label
    conditional: bool = False


@FAMILIES.register("lapgan")
class LapGAN(LabelConditioned, GANModel):
    Params = LapGANParams
    roles = {"generator": "lapgan_coarse_generator", "generator_1": "lapgan_residual_generator",
             "generator_2": "lapgan_residual_generator", "discriminator": "lapgan_discriminator",
             "discriminator_1": "lapgan_discriminator", "discriminator_2": "lapgan_discriminator"}
    ema_roles = ()     # a pyramid of generators: one EMA copy would average level 0 only
    critic_roles = ()  # one discriminator per level, each at its own resolution
    term_names = {"discriminator": tuple(f"d_adv_{k}" for k in range(LEVELS)),
                  "generator": tuple(f"g_adv_{k}" for k in range(LEVELS))}
    tiny_config = {"data": {"image_size": 16}, "generator": {"hidden_units": 16}}

    @classmethod
    def network_args(cls, params, info):
        args = super().network_args(params, info)
        size = args["generator"].get("image_size")
        if size is None or size < 8 or size & (size - 1):
            raise ConfigError(f"lapgan: a three-level pyramid needs images whose side is a power of two "
                              f">= 8, got {size}")
        for k, (g, d) in enumerate(zip(GENERATORS, DISCRIMINATORS)):
            for role in (g, d):
                args[role]["image_size"] = size >> (LEVELS - 1 - k)
        return args

    def _networks(self, names):
        return [getattr(self, name) for name in names]

    def discriminator_variables(self):
        return [v for d in self._networks(DISCRIMINATORS) for v in d.trainable_variables]

    def generator_variables(self):
        return [v for g in self._networks(GENERATORS) for v in g.trainable_variables]

    def _call(self, network, inputs, labels, training):
        return network(inputs + ([labels] if self.conditional else []), training=training)

    def _noise_shape(self, k, n):
        return [n, *self._networks(GENERATORS)[k].inputs[1].shape[1:]]

    def generate(self, batch, training):
        """The fakes of every level: level 0 from z, the others on the real coarser image."""
        real = self.real_images(batch)
        n = self.batch_size(batch)
        labels = self.real_labels(batch) if self.conditional else None
        levels = gaussian_levels(real, LEVELS)[::-1]              # coarse to fine
        fake = {"level_0": self._call(self.generator, [self.random_normal([n, self.latent_dim])], labels,
                                      training)}
        for k in range(1, LEVELS):
            coarse = upsample(levels[k - 1])
            noise = self.random_normal(self._noise_shape(k, n))
            residual = self._call(self._networks(GENERATORS)[k], [coarse, noise], labels, training)
            fake[f"level_{k}"] = coarse + residual
        fake["images"] = fake.pop(f"level_{LEVELS - 1}")
        if self.conditional:
            fake["label"] = labels
        return fake

    def _judge(self, images, cond, training):
        """[D_k(image at level k)] for k = 0 (coarse) .. LEVELS - 1, `images` coarse to fine."""
        labels = self.real_labels(cond) if self.conditional else None
        return [self._call(d, [x], labels, training) for d, x in zip(self._networks(DISCRIMINATORS), images)]

    def _levels_of_fake(self, fake):
        return [fake[f"level_{k}"] for k in range(LEVELS - 1)] + [fake["images"]]

    def discriminator_terms(self, batch, fake):
        real = self._judge(gaussian_levels(self.real_images(batch), LEVELS)[::-1], batch, True)
        fakes = self._judge(self._levels_of_fake(fake), self.fake_condition(batch, fake), True)
        terms = {f"d_adv_{k}": self.adversarial_loss.discriminator(r, f, random_uniform=self.random_uniform)
                 for k, (r, f) in enumerate(zip(real, fakes))}
        return terms, {"real": real[-1], "fake": fakes[-1]}

    def generator_terms(self, batch, fake):
        fakes = self._judge(self._levels_of_fake(fake), self.fake_condition(batch, fake), True)
        return {f"g_adv_{k}": self.adversarial_loss.generator(f) for k, f in enumerate(fakes)}, {"fake": fakes[-1]}

    # ------------------------------------------------------------------ sampling / export
    def generator_input_spec(self):
        spec = {"latents": Normal(self.latent_dim)}
        for k in range(1, LEVELS):
            spec[f"noise_{k}"] = Normal(*self._networks(GENERATORS)[k].inputs[1].shape[1:])
        return {**spec, **self.label_input()}

    def call_generator(self, generator, inputs, training, levels=LEVELS):
        """The sampled pyramid collapsed to full size, clipped to [-1, 1]; `levels` < 3 stops
        early and upsamples the coarser image instead (levels=1: the coarse generator's samples,
        upsampled)."""
        labels = inputs["labels"] if self.conditional else None
        image = self._call(generator, [inputs["latents"]], labels, training)
        for k in range(1, LEVELS):
            coarse = upsample(image)
            if k < levels:
                coarse = coarse + self._call(self._networks(GENERATORS)[k], [coarse, inputs[f"noise_{k}"]],
                                             labels, training)
            image = coarse
        # a tanh coarse image plus unbounded residuals can leave [-1, 1]: samples are clipped
        return tf.clip_by_value(image, -1.0, 1.0)

    def export_modules(self):
        return [self.export_generator(), self.generator_1, self.generator_2]
