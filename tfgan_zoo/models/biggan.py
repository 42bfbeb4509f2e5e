"""BigGAN (Brock et al. 2019): class-conditional residual G and projection D with a shared class
embedding, hierarchical latents, self-attention and spectral norm in both (networks/biggan.py),
hinge loss, orthogonal regularisation of G (beta 1e-4), D steps per G step (n_critic, each on
fresh reals), an EMA generator from `ema_start` with standing BatchNorm statistics (the core's),
and the truncation trick: latents with |z| > psi are resampled inside [-psi, psi]
(tfgan_zoo.latents).

Export: generate(latents, labels), a pure function of its inputs (draw truncated latents with
tfgan_zoo.latents.truncate for the trick), and sample(num, seed), which uses balanced labels and
latents truncated at model.truncation (<= 0: none; each resampled row a function of that row
alone).
"""
from dataclasses import dataclass, field

from tfgan_zoo.models.base import GANModel, GANParams
from tfgan_zoo.models.inputs import TruncatedNormal
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


@FAMILIES.register("biggan")
class BigGAN(LabelConditioned, GANModel):
    Params = BigGANParams
    roles = {"generator": "biggan_generator", "discriminator": "biggan_discriminator"}
    train_defaults = {"g_learning_rate": 1e-4, "d_learning_rate": 4e-4, "beta_1": 0.0, "beta_2": 0.999}
    tiny_config = {"data": {"image_size": 8}, "model": {"ema_decay": 0.9, "ema_start": 2},
                   "generator": {"attention_resolution": 8, "shared_dim": 4},
                   "discriminator": {"attention_resolution": 4}}

    def generator_input_spec(self):
        """z ~ N(0, 1) in training; `sample` truncates it at model.truncation (the truncation
        trick is a property of the latents' draw, so `generate` is a pure function of them)."""
        return {"latents": TruncatedNormal(self.latent_dim, psi=self.params.truncation),
                **self.label_input()}

    def discriminate(self, images, cond, training):
        return self.discriminator([images, self.real_labels(cond)], training=training)
