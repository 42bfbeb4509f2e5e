"""The loss-only families: the base train_step as is, each with its loss, regularizers and
optimizer defaults (Params defaults; `train_defaults` / `network_defaults` are applied by
the config before user values). On 2-D points, choose `generator: {name: mlp_generator}` and
`discriminator: {name: mlp_discriminator}` (the family's discriminator tweaks then do not apply:
SNGAN on points sets `spectral_norm: true` itself).

gan      Goodfellow et al. 2014, minimax BCE
nsgan    Goodfellow et al. 2014, non-saturating G loss
lsgan    Mao et al. 2017, least squares (a=0, b=c=1)
wgan     Arjovsky et al. 2017: critic clipped to [-0.01, 0.01], n_critic 5 with the reference's bursts
         of 100 (first 25 and every 500th G step), RMSprop 5e-5 (decay 0.99)
wgan_gp  Gulrajani et al. 2017: gradient penalty 10, n_critic 5, Adam(1e-4, 0, 0.9), layer norm
dragan   Kodali et al. 2017: minimax + gradient penalty around perturbed reals
fgan     Nowozin et al. 2016: `loss_options.divergence` picks f (kl, reverse_kl, pearson, ...)
rsgan    Jolicoeur-Martineau 2019, relativistic standard GAN
ragan    Jolicoeur-Martineau 2019, relativistic average GAN
sngan    Miyato et al. 2018: hinge loss, spectrally normalised discriminator
"""
from dataclasses import dataclass, field

from tfgan_zoo.models.base import GANModel, GANParams
from tfgan_zoo.models.schedule import critic_burst_stages
from tfgan_zoo.registry import FAMILIES


def _register(name, doc, params_cls, **attrs):
    cls = type(name.upper(), (GANModel,), {"__doc__": doc, "Params": params_cls, **attrs})
    return FAMILIES.register(name)(cls)


@dataclass
class GANMinimaxParams(GANParams):
    loss: str = "minimax"


@dataclass
class NSGANParams(GANParams):
    loss: str = "nonsaturating"


@dataclass
class LSGANParams(GANParams):
    loss: str = "least_squares"


@dataclass
class WGANParams(GANParams):
    loss: str = "wasserstein"
    #: weight clipping c = 0.01 after every critic update
    regularizers: list = field(default_factory=lambda: [{"name": "weight_clipping", "clip": 0.01}])
    n_critic: int = 5
    #: the reference's critic bursts (models/schedule.py): burst_critic critic updates, each on
    #: fresh reals, at the first burst_first generator steps and every burst_every-th (0: none
    #: after the first); burst_critic 0 keeps n_critic throughout
    burst_critic: int = 100
    burst_first: int = 25
    burst_every: int = 500

    def validate(self):
        super().validate()
        for key in ("burst_critic", "burst_first", "burst_every"):
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{key} {value!r} must be an int >= 0")


def _burst_stages(cls, params, train):
    """WGAN's stage plan: critic bursts over the run's steps (one stage outside a run)."""
    total = train.epochs * train.steps_per_epoch if train is not None else 0
    return critic_burst_stages(params.burst_critic, params.burst_first, params.burst_every, total)


@dataclass
class WGANGPParams(GANParams):
    loss: str = "wasserstein"
    #: gradient penalty lambda = 10 on interpolates of real and fake
    regularizers: list = field(default_factory=lambda: [{"name": "gradient_penalty", "weight": 10.0}])
    n_critic: int = 5


@dataclass
class DRAGANParams(GANParams):
    loss: str = "minimax"
    #: DRAGAN penalty lambda = 10 around reals perturbed by 0.5 * std(x) * U[0, 1]
    regularizers: list = field(default_factory=lambda: [{"name": "dragan", "weight": 10.0, "scale": 0.5}])


@dataclass
class FGANParams(GANParams):
    loss: str = "fgan"
    #: divergence: gan, kl, reverse_kl, pearson, neyman, squared_hellinger, jeffrey,
    #: jensen_shannon, total_variation; alternative_generator: -E[g_f(V)] G loss
    loss_options: dict = field(default_factory=lambda: {"divergence": "jensen_shannon"})


@dataclass
class RSGANParams(GANParams):
    loss: str = "rsgan"


@dataclass
class RaGANParams(GANParams):
    loss: str = "ragan"


@dataclass
class SNGANParams(GANParams):
    loss: str = "hinge"


GAN = _register("gan", "Original GAN: D maximises log D(x) + log(1 - D(G(z))), G minimises it.",
                GANMinimaxParams)
NSGAN = _register("nsgan", "Non-saturating GAN: G maximises log D(G(z)).", NSGANParams)
LSGAN = _register("lsgan", "Least-squares GAN (a=0, b=c=1; loss_options change them).", LSGANParams)
WGAN = _register("wgan", "WGAN: Wasserstein critic with weight clipping, 5 critic steps (100 in the "
                 "reference's bursts), RMSprop 5e-5 with PyTorch's decay 0.99.",
                 WGANParams, train_defaults={"optimizer": "rmsprop", "g_learning_rate": 5e-5,
                                             "d_learning_rate": 5e-5},
                 optimizer_defaults={"d": {"rho": 0.99}, "g": {"rho": 0.99}},
                 stages=classmethod(_burst_stages),
                 tiny_config={"model": {"burst_critic": 3, "burst_first": 1, "burst_every": 3}})
WGANGP = _register("wgan_gp", "WGAN-GP: gradient penalty 10, 5 critic steps, Adam(1e-4, 0, 0.9); the "
                   "critic uses layer norm (batch norm breaks the per-sample penalty).", WGANGPParams,
                   train_defaults={"optimizer": "adam", "g_learning_rate": 1e-4, "d_learning_rate": 1e-4,
                                   "beta_1": 0.0, "beta_2": 0.9},
                   network_defaults={"discriminator": {"norm": "layer"}})
DRAGAN = _register("dragan", "DRAGAN: minimax loss + gradient penalty on perturbed reals.", DRAGANParams)
FGAN = _register("fgan", "f-GAN: variational divergence minimisation with the f of loss_options.divergence.",
                 FGANParams)
RSGAN = _register("rsgan", "Relativistic standard GAN: D(x) - D(G(z)) as the logit.", RSGANParams)
RAGAN = _register("ragan", "Relativistic average GAN: D(x) - E D(G(z)) and vice versa.", RaGANParams)
SNGAN = _register("sngan", "SNGAN: hinge loss, spectral normalisation on every D layer, no D norm.",
                  SNGANParams, network_defaults={"discriminator": {"spectral_norm": True, "norm": "none"}})
