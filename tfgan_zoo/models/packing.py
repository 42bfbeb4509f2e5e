"""Packing (PacGAN, Lin et al. 2018): the critic judges m samples at once.

`discriminator.pack: m` (any role of a family's `critic_roles`) wraps the critic network: the
inner network is built for m times the input channels (images) or dimensions (points), and a
`Pack` layer in front of it concatenates each group of m consecutive samples along the feature
/ channel axis: points [B, d] -> [B/m, m*d], images [B, H, W, C] -> [B/m, H, W, m*C]. D then
gives one output per pack, so every loss (one label per pack), penalty (it differentiates the
wrapped network with respect to the unpacked samples) and checkpoint works unchanged.

Reals and fakes are never packed together: a pack is m consecutive samples of one batch, and
the batch (the global one, and each replica's share) is a multiple of m, so one critic pass on
[reals; fakes] packs exactly as two passes and its outputs split at B/m (`critic_pack`).

Refused at build, one line naming the family: a pack on a role that is not a critic, a family
without one critic (`critic_roles == ()`), a batch size not divisible by m, and a critic with
more than one input (a conditional or joint critic: its condition would have to be packed too,
which no family does yet).

Keras has no packing layer and the PacGAN reference code concatenates by hand, hence `Pack`.
"""
import keras
import tensorflow as tf

from tfgan_zoo.errors import ConfigError


class Pack(keras.layers.Layer):
    """[B, ..., C] -> [B/m, ..., m*C]: each group of m consecutive samples concatenated along
    the last axis (sample 0's features first)."""

    #: mixes the m samples of a pack, never two packs (see the module docstring), so a joint
    #: critic pass on [reals; fakes] equals two passes; critic_pass.judge splits at B/m
    batch_independent = True

    def __init__(self, pack, **kwargs):
        super().__init__(**kwargs)
        self.pack = int(pack)

    def call(self, x):
        m, rank = self.pack, len(x.shape)
        if x.shape[0] is not None and x.shape[0] % m:
            raise ValueError(f"pack {m}: the critic got a batch of {x.shape[0]} samples, not a "
                             f"multiple of {m} (every replica's batch must be)")
        grouped = tf.reshape(x, tf.concat([[-1, m], tf.shape(x)[1:]], 0))
        grouped = tf.transpose(grouped, [0, *range(2, rank), 1, rank])  # [B/m, ..., m, C]
        return tf.reshape(grouped, tf.concat([[-1], tf.shape(x)[1:-1], [m * x.shape[-1]]], 0))

    def compute_output_shape(self, input_shape):
        batch = None if input_shape[0] is None else input_shape[0] // self.pack
        return (batch, *input_shape[1:-1], input_shape[-1] * self.pack)

    def get_config(self):
        return {**super().get_config(), "pack": self.pack}


def packed_network(inner, pack, sample_shape):
    """A network taking [B, *sample_shape] that judges packs of `pack` samples with `inner`
    (built for sample_shape with `pack` times the last axis)."""
    samples = keras.Input(tuple(sample_shape), name="samples")
    outputs = inner(Pack(pack, name=f"pack{pack}")(samples))
    network = keras.Model(samples, outputs, name=f"packed{pack}_{inner.name}")
    network.pack = int(pack)
    return network


def critic_pack(model):
    """The pack size of the model's critic (1 without packing): its outputs per batch are B/m."""
    packs = {getattr(getattr(model, role), "pack", 1) for role in model.critic_roles}
    return max(packs) if packs else 1


def check_pack_value(family, role, value, source):
    """The config check of `<role>.pack`: accepted for the family's critic roles only."""
    name = family.family_name()
    if role not in family.critic_roles:
        if not family.critic_roles:
            raise ConfigError(f"{source}: {role}.pack: {name} has no single critic to pack "
                              "(critic_roles is empty)")
        raise ConfigError(f"{source}: {role}.pack: {name} packs only its critic "
                          f"({', '.join(family.critic_roles)}), not {role}")
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{source}: {role}.pack: must be an integer >= 1, got {value!r}")
    return value


def build_role(family, role, section, derived, sample_shape, batch_size, build):
    """The network of `role` from its config section; with `pack: m` (m > 1) the packed
    wrapper around the inner network `build(section, derived * m, role)`."""
    section = dict(section)
    pack = section.pop("pack", 1)
    if pack == 1:
        return build(section, derived, role)
    name = family.family_name()
    if role not in family.critic_roles:
        raise ConfigError(f"{name}: {role}.pack: only the critic ({', '.join(family.critic_roles) or 'none'})"
                          " can be packed")
    replicas = tf.distribute.get_strategy().num_replicas_in_sync  # built in the strategy's scope
    if batch_size % (pack * replicas):
        per = f" on each of {replicas} replicas" if replicas > 1 else ""
        raise ConfigError(f"{name}: {role}.pack {pack} needs a batch size divisible by {pack}{per}, got "
                          f"data.batch_size {batch_size}")
    derived = dict(derived)
    for key in ("channels", "input_dim"):
        if key in derived:
            derived[key] = derived[key] * pack
    inner = build(section, derived, role)
    if len(inner.inputs) != 1:
        raise ConfigError(f"{name}: {role}.pack {pack} refused: its critic takes {len(inner.inputs)} "
                          "inputs (a condition), which packing would have to pack too")
    if tuple(inner.inputs[0].shape[1:]) != (*sample_shape[:-1], sample_shape[-1] * pack):
        raise ConfigError(f"{name}: {role}.pack {pack} refused: the critic's input "
                          f"{tuple(inner.inputs[0].shape[1:])} is not the data's {tuple(sample_shape)} "
                          f"with {pack} times the last axis")
    return packed_network(inner, pack, sample_shape)
