"""GANParams (the `model` config section every family extends) and the builders of registered
objects (losses, regularizers, networks) from config sections, with one-line errors."""
import dataclasses
import inspect
from dataclasses import dataclass, field

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.registry import LOSSES, NETWORKS, REGULARIZERS


@dataclass
class GANParams:
    """Parameters every family shares (section `model` of a config)."""
    #: size of the latent vector z (noise -> image families)
    latent_dim: int = 64
    #: adversarial loss by name (tfgan_zoo.losses): nonsaturating, minimax, hinge, ...
    loss: str = "nonsaturating"
    #: keyword options of the loss (label_smoothing, divergence, ...)
    loss_options: dict = field(default_factory=dict)
    #: regularizer objects: a list of {"name": ..., **options} (gradient_penalty, r1, ...)
    regularizers: list = field(default_factory=list)
    #: discriminator updates per generator update (each on its own batch of reals)
    n_critic: int = 1
    #: decay of the exponential moving average of G's weights (0: no EMA generator)
    ema_decay: float = 0.0
    #: step from which the EMA averages; before it the EMA copy follows G exactly
    ema_start: int = 0
    #: reals and fakes through D: "auto" (one pass on both together unless D has a
    #: batch-dependent layer such as batch norm), "joint" (refused for such a D), "separate"
    critic_pass: str = "auto"
    #: small-data augmentation of everything the critic sees (tfgan_zoo/augment/):
    #: {} (none), {"name": "diffaugment", "policy": "color,translation,cutout"}, {"name": "ada", ...}
    augment: dict = field(default_factory=dict)

    def validate(self):
        if self.latent_dim <= 0:
            raise ValueError(f"latent_dim {self.latent_dim} must be > 0")
        if self.n_critic < 1:
            raise ValueError(f"n_critic {self.n_critic} must be >= 1")
        if not 0.0 <= self.ema_decay < 1.0:
            raise ValueError(f"ema_decay {self.ema_decay} must be in [0, 1)")
        if self.ema_start < 0:
            raise ValueError(f"ema_start {self.ema_start} must be >= 0")
        if self.critic_pass not in ("auto", "joint", "separate"):
            raise ValueError(f"critic_pass {self.critic_pass!r} must be auto, joint or separate")
        build_object(LOSSES, self.loss, self.loss_options, "loss")
        if self.augment:
            from tfgan_zoo.augment import build_augmentation
            build_augmentation(dict(self.augment))
        names = []
        for spec in self.regularizers:
            if not isinstance(spec, dict) or "name" not in spec:
                raise ValueError(f"regularizers: each entry needs a name, got {spec!r}")
            spec = dict(spec)
            names.append(build_object(REGULARIZERS, spec.pop("name"), spec, "regularizer").name)
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"regularizers: {twice} listed twice (each logs one term; merge "
                             "them into one entry)")


def build_object(registry, name, options, what):
    """Instantiate a registered class with keyword options, with one-line errors."""
    cls = registry.get(name)
    params = inspect.signature(cls).parameters
    for key in options:
        if key not in params:
            from tfgan_zoo.registry import closest_hint
            raise ConfigError(f"{what} {name!r} has no option {key!r}{closest_hint(key, params)}")
    try:
        return cls(**options)
    except (TypeError, ValueError) as e:
        raise ConfigError(f"{what} {name!r}: {e}") from None


def build_network(section, derived, role):
    section = dict(section)
    builder = NETWORKS.get(section.pop("name"))
    params = inspect.signature(builder).parameters
    kwargs = {k: v for k, v in derived.items() if k in params and k not in section}
    missing = [p.name for p in params.values()
               if p.default is inspect.Parameter.empty and p.name not in kwargs
               and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)]
    if missing:
        raise ConfigError(f"{role}: network needs {missing}, which this family/data cannot give")
    return builder(**kwargs, **section)


def params_to_dict(params):
    return dataclasses.asdict(params)
