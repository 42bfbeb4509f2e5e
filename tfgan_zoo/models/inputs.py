"""A family's generator inputs, declared once: name -> Input(shape, prior).

`GANModel.generator_input_spec()` returns {name: Input}; the core derives from it

  - the training draws (`draw_inputs`): replica-safe per-example draws through the model's
    `random_normal` / `random_uniform` (models/randomness.py), categorical inputs uniform over
    their classes; scalar inputs are export controls and are not drawn in training;
  - the seeded `sample` inputs (`seeded_inputs`): TF stateless ops, so a SavedModel's
    `sample(num, seed)` gives the in-process images; categorical inputs balanced (0, 1, ..., K-1,
    0, ...), scalars at their default;
  - the export signature (`input_specs`): [None, *shape] float32, [None] int32 for
    categorical inputs, [] float32 for scalars;
  - the checks of user inputs (`checked_inputs`): categorical values outside [0, K) are refused
    with a message naming K.

An input may be `carried` by the training fake under a key (the labels a fake was made for are
`fake["label"]`, judged by the discriminator with them). A prior of None marks an input the
caller supplies (the source image of an image-to-image family): it has a signature but no draw.
"""
import dataclasses

import tensorflow as tf

from tfgan_zoo.latents import truncate_rows

PRIORS = ("normal", "uniform", "truncated_normal", "categorical", "scalar", None)


@dataclasses.dataclass(frozen=True)
class Input:
    """One generator input. shape: per example (categorical: ()); prior: see PRIORS;
    low / high: a uniform prior's range; classes: a categorical prior's K; default: a scalar's
    value in `sample` (and truncated_normal's psi, drawn only when sampling); carry: the key of
    the training fake that carries the draw (None: not carried); key: a given input's batch
    entry in training (None: its own name)."""
    shape: tuple = ()
    prior: object = "normal"
    low: float = -1.0
    high: float = 1.0
    classes: int = 0
    default: float = 0.0
    carry: object = None
    key: object = None

    def __post_init__(self):
        if self.prior not in PRIORS:
            raise ValueError(f"Input prior must be one of {PRIORS}, got {self.prior!r}")
        if self.prior == "categorical" and self.classes < 1:
            raise ValueError("a categorical Input needs classes >= 1")
        object.__setattr__(self, "shape", tuple(int(d) for d in self.shape))

    @property
    def dtype(self):
        return tf.int32 if self.prior == "categorical" else tf.float32

    @property
    def drawn(self):
        """A per-example draw (in training and sampling), not a control or a given input."""
        return self.prior in ("normal", "uniform", "truncated_normal", "categorical")


def Normal(*shape, carry=None):
    return Input(shape, "normal", carry=carry)


def Uniform(*shape, low=-1.0, high=1.0, carry=None):
    return Input(shape, "uniform", low=float(low), high=float(high), carry=carry)


def TruncatedNormal(*shape, psi, carry=None):
    """N(0, 1) in training; in `sample`, truncated to [-psi, psi] (BigGAN's truncation trick)
    when psi > 0. The draw happens in `sample` only: `generate` takes the latents as given."""
    return Input(shape, "truncated_normal", default=float(psi), carry=carry)


def Categorical(classes, carry=None):
    return Input((), "categorical", classes=int(classes), carry=carry)


def Scalar(default):
    return Input((), "scalar", default=float(default))


def Given(*shape, key=None):
    return Input(shape, None, key=key)


def input_specs(spec):
    """{name: tf.TensorSpec} of the export signature."""
    out = {}
    for name, inp in spec.items():
        shape = [] if inp.prior == "scalar" else [None, *inp.shape]
        out[name] = tf.TensorSpec(shape, inp.dtype, name=name)
    return out


def _uniform_classes(u, k):
    return tf.minimum(tf.cast(tf.floor(u * k), tf.int32), k - 1)


def draw_inputs(model, spec, n):
    """Training draws for a batch of n (this replica's rows of the global draw)."""
    out = {}
    for name, inp in spec.items():
        shape = [n, *inp.shape]
        if inp.prior in ("normal", "truncated_normal"):
            out[name] = model.random_normal(shape)
        elif inp.prior == "uniform":
            out[name] = inp.low + (inp.high - inp.low) * model.random_uniform(shape)
        elif inp.prior == "categorical":
            out[name] = _uniform_classes(model.random_uniform([n]), inp.classes)
    return out


def seeded_inputs(spec, num, seed):
    """`sample` inputs: the i-th randomly drawn input from stateless seed (seed, i)."""
    seed = tf.cast(seed, tf.int64)
    num = tf.cast(num, tf.int32)
    out, index = {}, 0
    for name, inp in spec.items():
        if inp.prior == "categorical":
            out[name] = tf.range(num) % inp.classes
            continue
        if inp.prior == "scalar":
            out[name] = tf.constant(inp.default, tf.float32)
            continue
        if inp.prior is None:
            continue
        shape = tf.stack([num, *inp.shape])
        key = tf.stack([seed, index])
        index += 1
        if inp.prior == "uniform":
            out[name] = tf.random.stateless_uniform(shape, key, minval=inp.low, maxval=inp.high)
        else:
            out[name] = tf.random.stateless_normal(shape, seed=key)
            if inp.prior == "truncated_normal" and inp.default > 0:
                out[name] = truncate_rows(out[name], inp.default)
    return out


def check_labels(labels, num_classes, what="labels"):
    """labels (int [N]) with an error naming the class count when one is out of [0, K)."""
    checks = [tf.debugging.assert_non_negative(labels, message=f"{what} must be >= 0"),
              tf.debugging.assert_less(labels, tf.cast(num_classes, labels.dtype),
                                       message=f"{what} must be < {num_classes} (the class count)")]
    with tf.control_dependencies(checks):
        return tf.identity(labels)


def checked_inputs(spec, inputs):
    """The inputs as tensors of their declared dtypes, categorical ones range-checked; scalars
    missing from `inputs` take their default."""
    out = dict(inputs)
    for name, inp in spec.items():
        if name not in out:
            if inp.prior == "scalar":
                out[name] = tf.constant(inp.default, tf.float32)
            continue
        value = tf.convert_to_tensor(out[name])
        if inp.prior == "categorical":
            value = check_labels(tf.cast(value, tf.int32), inp.classes, name)
        elif value.dtype != inp.dtype:
            value = tf.cast(value, inp.dtype)
        out[name] = value
    return out


def carried(spec, inputs):
    """{fake key: drawn value} of the inputs the training fake carries."""
    return {inp.carry: inputs[name] for name, inp in spec.items() if inp.carry and name in inputs}
