"""Small-data augmentation (`model.augment`: DiffAugment, ADA; tfgan_zoo/augment/) applied by the
core to everything the critic sees, reals and fakes alike.

`attach(model)` builds the augmentation (its state, e.g. ADA's p, is model state: checkpointed,
resumed exactly) and wraps the instance's `discriminate` so every call judges augmented images
(the default terms, the penalties through `critic`, a family's own D calls). The joint critic pass
(models/critic_pass.py) augments reals and fakes separately before joining them, so each example
draws the same augmentation as on one device. Once a step, after the updates, `after_step` hands
the augmentation D's outputs on the (augmented) reals of the update that trained the critic
(ADA moves p from their sign) and returns what it logs.

A family without a single critic (`critic_roles = ()`: CycleGAN's two, LapGAN's per level) refuses
augmentation at build: its networks are called directly, past `discriminate`.
"""
from tfgan_zoo.augment import build_augmentation
from tfgan_zoo.errors import ConfigError


def attach(model):
    spec = model.params.augment
    model.augmentation = None
    if not spec:
        return
    name = model.family_name()
    if not model.critic_roles:
        raise ConfigError(f"{name}: augment needs one critic that sees every image through "
                          "`discriminate`; this family judges with its networks directly")
    augmentation = build_augmentation(dict(spec))
    augmentation.build(model)
    critic_phases = [p.name for p in model.phases if _trains_critic(model, p)]
    raw = model.discriminate

    def discriminate(images, cond, training):
        return raw(model.critic_input(images), cond, training)

    object.__setattr__(model, "augmentation", augmentation)
    object.__setattr__(model, "raw_discriminate", raw)
    object.__setattr__(model, "discriminate", discriminate)
    object.__setattr__(model, "_critic_phase", critic_phases[0] if critic_phases else None)


def _trains_critic(model, phase):
    critic = {id(v) for role in model.critic_roles for v in getattr(model, role).trainable_variables}
    return any(id(v) in critic for v in model.phase_variables(phase))


def log_names(model):
    return tuple(getattr(model.augmentation, "log_names", ())) if model.augmentation else ()


def remember(model, phase, outputs):
    """Keep the critic update's outputs for `after_step` (thread-local: one per replica)."""
    if model.augmentation is not None and phase.name == model._critic_phase:
        model._rng.critic_outputs = outputs


def after_step(model):
    if model.augmentation is None or not log_names(model):
        return {}
    outputs = getattr(model._rng, "critic_outputs", None) or {}
    if outputs.get("real") is None:
        raise ConfigError(f"{model.family_name()}: augment {model.augmentation.name} adapts from D's outputs "
                          "on reals, which this family's critic update does not return")
    logs = model.augmentation.update(model, outputs["real"])
    model._rng.critic_outputs = None
    return logs
