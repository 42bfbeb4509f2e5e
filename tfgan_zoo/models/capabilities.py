"""What a family can do, checked when its model is built: a config that asks for something the
family cannot do is refused with one line naming the family and the reason, instead of failing
at trace time or being silently ignored.

A family declares (class attributes of GANModel, models/base.py):

    ema_roles      the role the EMA copies (at most one; () refuses ema_decay)
    critic_roles   the roles behind `model.critic(images, cond)`, the one network judging a
                   batch of images at the data's resolution (() when the family has no such
                   critic: CycleGAN's two domain critics, LapGAN's one per pyramid level)
    phases         the updates; each needs its `<name>_terms` hook and its variables

and a regularizer (losses/regularizer.py) declares `acts_on` (the phases whose loss it joins or
whose weights it acts on) and `needs` ("critic": `model.critic` on real images;
"critic_network": one critic network taking images alone, whose layers it reads).

Parameters of the shared `model` section that a family ignores are refused when set away from
the family's default: n_critic without a phase repeated n_critic times, latent_dim without a
sampled input, ema_start without EMA, critic_pass without a critic.
"""
import dataclasses

from tfgan_zoo.errors import ConfigError


def _names(roles):
    roles = list(roles)
    if not roles:
        return "none"
    return roles[0] if len(roles) == 1 else ", ".join(roles[:-1]) + " and " + roles[-1]


def phase_roles(model, phase_name):
    """The roles whose variables the phase `phase_name` updates."""
    for phase in model.phases:
        if phase.name == phase_name:
            keys = {model.variable_key(v).split("/", 1)[0] for v in model.phase_variables(phase)}
            return [r for r in model.network_roles if r in keys]
    return []


def _changed(params, name):
    """True when Params field `name` is set away from the family's default."""
    for f in dataclasses.fields(params):
        if f.name == name:
            if f.default is not dataclasses.MISSING:
                default = f.default
            elif f.default_factory is not dataclasses.MISSING:
                default = f.default_factory()
            else:
                return False
            return getattr(params, name) != default
    return False


def check_declarations(cls):
    """Class-level declarations that are wrong whatever the config (a family author's error)."""
    name = cls.family_name()
    if len(cls.ema_roles) > 1:
        raise TypeError(f"{name}: ema_roles may name one role, got {cls.ema_roles}")
    for role in (*cls.ema_roles, *cls.critic_roles):
        if role not in cls.roles:
            raise TypeError(f"{name}: {role!r} (ema_roles / critic_roles) is not one of its roles "
                            f"{list(cls.roles)}")
    for phase in cls.phases:
        if not callable(getattr(cls, f"{phase.name}_terms", None)):
            raise TypeError(f"{name}: phase {phase.name!r} needs a {phase.name}_terms(batch, fake) hook")
        if phase.name not in cls.roles and not callable(getattr(cls, f"{phase.name}_variables", None)):
            raise TypeError(f"{name}: phase {phase.name!r} is not a role: define {phase.name}_variables()")


def check_params(model):
    """The shared parameters the family would ignore, refused."""
    name, p = model.family_name(), model.params
    if _changed(p, "n_critic") and not any(ph.repeat == "n_critic" for ph in model.phases):
        raise ConfigError(f"{name}: model.n_critic has no effect: no update of this family repeats "
                          f"per step (its phases: {_names(ph.name for ph in model.phases)})")
    if p.ema_decay > 0 and not model.ema_roles:
        raise ConfigError(f"{name}: ema_decay needs one generator to average; this family declares none "
                          f"(its networks: {_names(model.network_roles)}); set model.ema_decay 0")
    if _changed(p, "ema_start") and p.ema_decay == 0:
        raise ConfigError(f"{name}: model.ema_start has no effect without model.ema_decay > 0")
    if _changed(p, "critic_pass") and not model.critic_roles:
        raise ConfigError(f"{name}: model.critic_pass has no effect: this family has no single critic")
    if _changed(p, "latent_dim") and not model.samples:
        raise ConfigError(f"{name}: model.latent_dim has no effect: this family's generator is fed images, "
                          "not latents")


def check_regularizers(model):
    """Every configured regularizer acts on a phase the family has, with what it needs."""
    name = model.family_name()
    phases = [ph.name for ph in model.phases]
    for reg in model.regularizers:
        label = getattr(reg, "config_name", reg.name)
        missing = [ph for ph in reg.acts_on if ph not in phases]
        if not reg.acts_on or missing:
            raise ConfigError(f"{name}: {label} acts on the {_names(missing or ['(no)'])} update, which "
                              f"this family does not have (its phases: {_names(phases)})")
        judged = phase_roles(model, "discriminator") if "discriminator" in phases else []
        if "critic" in reg.needs and not model.critic_roles:
            raise ConfigError(f"{name}: {label} needs one critic; this family has {_names(judged)}")
        if "critic_network" in reg.needs:
            nets = [getattr(model, r) for r in model.critic_roles]
            if any(getattr(net, "pack", 1) > 1 for net in nets):  # models/packing.py
                raise ConfigError(f"{name}: {label} reads the layers of the critic, which a packed critic "
                                  "(discriminator.pack > 1) feeds packs, not samples; unset one of the two")
            if len(nets) != 1 or len(nets[0].inputs) != 1:
                raise ConfigError(f"{name}: {label} reads the layers of one critic network fed images "
                                  f"alone; this family's critics: {_names(model.critic_roles)}"
                                  + (f" (taking {len(nets[0].inputs)} inputs)" if len(nets) == 1 else ""))


def check_model(model):
    check_params(model)
    check_regularizers(model)
