"""One critic pass on reals and fakes together, where that is the same as two passes.

D(concat(real, fake)) split in two gives exactly D(real) and D(fake) (and the same gradients:
concatenation and slicing are linear) when no layer of D mixes the examples of its batch. One
pass on 2B examples is cheaper than two on B (fewer kernel launches, larger matrix products).
It is NOT the same with batch normalisation in training mode: the statistics would be those of
the real / fake mixture, which changes what D learns (the DCGAN guidance is to keep real and
fake batches apart), so critics with batch-dependent layers keep two passes.

`critic_pass` (config `model.critic_pass`): "auto" (joint when allowed), "joint" (refused with
a ConfigError for a batch-dependent critic), "separate" (always two passes).

A layer counts as batch-independent when it is a stock Keras layer other than those listed in
BATCH_DEPENDENT (batch norm; random layers, whose draws depend on how the batch is laid out,
which would break the replicas == one device guarantee; Lambda, which may do anything), or
when its class declares `batch_independent = True`. Any other custom layer is taken to be
batch-dependent: a layer that forgets to declare itself costs speed, never correctness.
"""
import keras
import tensorflow as tf

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.models.packing import critic_pack

CRITIC_PASSES = ("auto", "joint", "separate")

BATCH_DEPENDENT = ("BatchNormalization", "Dropout", "SpatialDropout1D", "SpatialDropout2D",
                   "SpatialDropout3D", "GaussianDropout", "GaussianNoise", "AlphaDropout",
                   "Lambda", "TFSMLayer")


def batch_dependent_layers(network):
    """The layers of `network` (nested models and wrapped layers included) that may make an
    example's output depend on the rest of its batch; [] when one pass on a concatenation is
    the same as separate passes."""
    found = []
    for layer in network._flatten_layers(include_self=False, recursive=True):
        if isinstance(layer, keras.Model) and type(layer).__module__.startswith("keras."):
            continue  # a container: its own layers are visited
        declared = getattr(type(layer), "batch_independent", None)
        if declared is not None:
            if not declared:
                found.append(layer)
            continue
        stock = type(layer).__module__.startswith("keras.")
        if not stock or type(layer).__name__ in BATCH_DEPENDENT or \
                type(layer).__name__.startswith("Random"):
            found.append(layer)
    return found


def resolve(mode, critics, family):
    """Whether to judge reals and fakes in one pass: mode is "auto" / "joint" / "separate";
    critics are the networks the discriminate hook runs. A ConfigError for "joint" on a
    critic with a batch-dependent layer."""
    if mode not in CRITIC_PASSES:
        raise ConfigError(f"model.critic_pass must be one of {list(CRITIC_PASSES)}, got {mode!r}")
    if mode == "separate" or not critics:
        if mode == "joint":
            raise ConfigError(f"{family}: critic_pass 'joint' needs a discriminator role")
        return False
    blocking = [layer for net in critics for layer in batch_dependent_layers(net)]
    if blocking and mode == "joint":
        names = ", ".join(f"{type(layer).__name__} {layer.name!r}" for layer in blocking[:3])
        raise ConfigError(f"{family}: critic_pass 'joint' refused: the discriminator has "
                          f"batch-dependent layers ({names}); one pass would mix the statistics "
                          "of reals and fakes; use critic_pass 'auto' or 'separate'")
    return not blocking


def joint_condition(real_cond, fake_cond):
    """The condition of [reals; fakes]: each per-example entry (a tensor of rank >= 1) of the
    two concatenated on axis 0 (an entry the reals and fakes share is repeated: every example
    keeps its own condition); a scalar or non-tensor entry is kept when it is the same object
    on both sides. None when the two cannot be joined (other keys or structure, entries that
    differ but cannot be concatenated)."""
    try:
        tf.nest.assert_same_structure(real_cond, fake_cond)
    except (ValueError, TypeError):
        return None
    joined = []
    for x, y in zip(tf.nest.flatten(real_cond), tf.nest.flatten(fake_cond)):
        if tf.is_tensor(x) and tf.is_tensor(y) and x.shape.rank and y.shape.rank and \
                x.dtype == y.dtype:
            joined.append(tf.concat([x, y], 0))
        elif x is y:
            joined.append(x)
        else:
            return None
    return tf.nest.pack_sequence_as(real_cond, joined)


def split_outputs(outputs, n):
    """(outputs[:n], outputs[n:]) leaf by leaf; every leaf must be per-example."""
    leaves = tf.nest.flatten(outputs)
    for leaf in leaves:
        if not tf.is_tensor(leaf) or not leaf.shape.rank:
            raise ValueError("a joint critic pass needs per-example discriminator outputs (rank "
                             f">= 1), got {leaf!r}; set model.critic_pass: separate")
    first = tf.nest.pack_sequence_as(outputs, [t[:n] for t in leaves])
    second = tf.nest.pack_sequence_as(outputs, [t[n:] for t in leaves])
    return first, second


def judge(model, real_images, real_cond, fake_images, fake_cond, training):
    """(D(reals), D(fakes)) through model.discriminate: one pass on [reals; fakes] with the
    joint condition when model.joint_critic and the conditions can be joined, else two."""
    if model.joint_critic:
        cond = joint_condition(real_cond, fake_cond)
        if cond is not None:
            # augmented one by one (each example draws as on one device), judged in one pass
            real_images, fake_images = model.critic_input(real_images), model.critic_input(fake_images)
            images = tf.concat([real_images, tf.cast(fake_images, real_images.dtype)], 0)
            raw = getattr(model, "raw_discriminate", model.discriminate)
            # a packed critic (models/packing.py) gives one output per pack of m samples
            return split_outputs(raw(images, cond, training),
                                 tf.shape(real_images)[0] // critic_pack(model))
    return (model.discriminate(real_images, real_cond, training),
            model.discriminate(fake_images, fake_cond, training))
