"""Shared test harness: tiny configs, short training, weight snapshots, and the family harness.

Every registered family passes the harness (tests/test_families.py runs it over FAMILIES): one
reference run trains the family's tiny config (its class attribute `tiny_config` merged over TINY,
HARNESS_TRAIN's steps) and the checks compare with it, once for all families:

  - training (`check_training`, fast): finite logged losses, the step counter, and every network
    role's weights move;
  - export (`check_export`, fast): every endpoint of the SavedModel gives, after a reload, what
    the endpoint function gives in process (`sample` included, which equals `model.sample`);
  - resume (`check_resume`, large): a run stopped after half its steps (crossing any stage
    boundary there) and resumed equals the uninterrupted run, weight for weight, optimizer slots
    and state included;
  - distribution (`check_replicas`, large): two MirroredStrategy replicas give the one-device
    weights (dropout, the family's default regularizers, state, stages and streams included);
  - mixed precision (`check_precision`, large): mixed_float16 trains with finite losses through
    the loss-scale optimizers; mixed_bfloat16 logs the float32 run's first-epoch losses within
    bf16 rounding.

`reference_run` is the one uninterrupted run; tests/test_families.py shares it between a family's
checks (a module-scoped fixture per family), `run_family_test` runs them all in one go.
"""
import copy
import inspect
import re

import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo.config import from_dict
from tfgan_zoo.registry import FAMILIES, NETWORKS

TINY = {
    "data": {"name": "digits", "image_size": 8, "batch_size": 16},
    "model": {"latent_dim": 8},
    "train": {"epochs": 1, "steps_per_epoch": 2, "sample_every": 0, "verbose": 0},
}
#: builder keyword arguments the tiny config sets on a role's network when the builder has them
TINY_NETWORK = {"base_filters": 8}


def merge(base, over):
    out = copy.deepcopy(base)
    for k, v in (over or {}).items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def tiny_raw(family="dcgan", overrides=None):
    """The tiny config of a family as a raw dict: TINY, small networks, the family's own
    `tiny_config`, then `overrides`."""
    cls = FAMILIES.get(family)
    raw = merge(dict(TINY, family=family), cls.tiny_config)
    for role, default in cls.roles.items():
        section = raw.setdefault(role, {})
        params = inspect.signature(NETWORKS.get(section.get("name", default))).parameters
        for key, value in TINY_NETWORK.items():
            if key in params and key not in section:
                section[key] = value
    return merge(raw, overrides)


def tiny_config(family="dcgan", overrides=None):
    return from_dict(tiny_raw(family, overrides), source=f"<tiny {family}>")


def build(cfg, strategy=None):
    from tfgan_zoo.train import build_data, build_model
    ds, info = build_data(cfg)
    return ds, info, build_model(cfg, info, strategy)


def stream(cfg, ds, start_batch=0, model=None):
    from tfgan_zoo.data import make_training_stream
    return make_training_stream(ds, cfg.data.batch_size, seed=cfg.train.seed,
                                shuffle_buffer=cfg.data.shuffle_buffer, start_batch=start_batch,
                                sub_batches=model.sub_batches if model is not None else 1)


def snapshot(variables):
    return [np.array(v.numpy()) for v in variables]


def fit_steps(model, cfg, ds, steps):
    return model.fit(stream(cfg, ds, model=model), epochs=1, steps_per_epoch=steps, verbose=0,
                     shuffle=False).history


def assert_weights_changed(before, after):
    changed = [not np.allclose(a, b) for a, b in zip(before, after)]
    assert any(changed), "no weight changed"
    return changed


def assert_finite(history):
    for k, v in history.items():
        assert np.all(np.isfinite(v)), f"{k} is not finite: {v}"


_STRATEGY = []


def two_cpu_strategy():
    """One MirroredStrategy over the two logical CPUs, shared by every test of the session:
    a second MirroredStrategy over the same devices in one process reuses collective
    instance keys and aborts ("Shape mismatch in the collective instance")."""
    if not _STRATEGY:
        cpus = tf.config.list_logical_devices("CPU")
        assert len(cpus) >= 2, "tests/conftest.py sets up two logical CPUs"
        _STRATEGY.append(tf.distribute.MirroredStrategy([cpus[0].name, cpus[1].name]))
    return _STRATEGY[0]


# ---------------------------------------------------------------------------- the family harness
HARNESS_TRAIN = {"epochs": 4, "steps_per_epoch": 1, "checkpoint_every": 1, "keep_checkpoints": 8}


def _name(v):
    return re.sub(r"_\d+(?=/|$)", "", v.path)  # without Keras's unique-name counters


def state_of(model):
    """Every variable a resume must reproduce: the model's and every optimizer's, by name."""
    out = {f"model/{i}/{_name(v)}": v for i, v in enumerate(model.variables)}
    for name, opt in model.optimizers.items():
        out.update({f"opt_{name}/{i}/{_name(v)}": v for i, v in enumerate(opt.variables)})
    return {k: np.array(v.numpy()) for k, v in out.items()}


def assert_same_state(a, b, what, rtol=1e-5, atol=1e-6):
    assert sorted(a) == sorted(b), f"{what}: different variables"
    for key in a:
        np.testing.assert_allclose(a[key], b[key], rtol=rtol, atol=atol, err_msg=f"{what}: {key}")


class Crash(Exception):
    pass


class CrashAt(keras.callbacks.Callback):
    """Raise Crash once the model's step reaches `step` (after that step's checkpoint)."""

    def __init__(self, step):
        super().__init__()
        self.step = step

    def on_train_batch_end(self, batch, logs=None):
        if int(self.model.step.numpy()) >= self.step:
            raise Crash(f"stopped at step {self.step}")


class _InitialWeights(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        if not hasattr(self, "weights"):
            self.weights = {role: snapshot(getattr(self.model, role).trainable_variables)
                            for role in self.model.network_roles}


def example_inputs(spec, n=3, seed=0):
    """Valid inputs for an export signature input: `num` = n, `seed` = seed, float tensors in
    [-1, 1], integer tensors 0, 1, 0, ... (a valid class / domain for any count >= 2)."""
    if spec.shape.rank == 0:
        return tf.constant(n if spec.name == "num" else seed, spec.dtype)
    shape = [n if d is None else d for d in spec.shape]
    if spec.dtype.is_floating:
        rng = np.random.default_rng(seed)
        return tf.constant(rng.uniform(-1, 1, shape), spec.dtype)
    return tf.constant(np.arange(np.prod(shape)).reshape(shape) % 2, spec.dtype)


def check_export(model, path):
    from tfgan_zoo.export import export_model
    export_model(model, path, {"family": "harness"}, max_batch=8)
    loaded = tf.saved_model.load(f"{path}/1")
    for endpoint in model.export_endpoints():
        inputs = {name: example_inputs(spec) for name, spec in endpoint.inputs.items()}
        expected = endpoint.fn(**inputs)
        got = loaded.signatures[endpoint.name](**inputs)
        assert sorted(got) == sorted(expected), endpoint.name
        for key in expected:
            np.testing.assert_allclose(np.asarray(got[key]), np.asarray(expected[key]), rtol=1e-4,
                                       atol=1e-5, err_msg=f"endpoint {endpoint.name}: {key}")
    if model.samples:
        out = loaded.signatures["sample"](num=tf.constant(3), seed=tf.constant(5, tf.int64))
        np.testing.assert_allclose(out["images"].numpy(), model.sample(3, 5), atol=1e-5)
        from tfgan_zoo.export import read_card
        assert read_card(f"{path}/1")["output_shape"] == list(out["images"].shape[1:]), \
            "the card's output_shape is not what the export's sample returns"


def assert_close_losses(reference, other, what, tolerance=0.05):
    """The first epoch's (= first step's) logged values agree within `tolerance` x
    max(1, |reference|). bf16 rounds to ~3 significant digits, but a phase that runs after the
    step's first update sees weights that moved by Adam's normalised step, where a gradient
    component rounded across zero moves a full learning rate the other way: SAGAN's g_adv,
    logged after one D update, differs by 2.9 % with identical initial weights. A loss or
    penalty computed in bf16 end to end, or one that overflows, misses by far more."""
    for key, values in reference.items():
        a, b = float(values[0]), float(other[key][0])
        assert abs(a - b) <= tolerance * max(1.0, abs(a)), f"{what}: {key} {b} vs {a}"


class Reference:
    """The uninterrupted run of a family's harness config, which every check compares with."""

    def __init__(self, family, over, cfg, run, initial_weights):
        self.family, self.over, self.cfg, self.run = family, over, cfg, run
        self.model = run.model
        self.initial_weights = initial_weights  # role -> trainable weights before the first step
        self.total = cfg.train.epochs * cfg.train.steps_per_epoch
        self.state = state_of(run.model)  # taken before any check runs anything on the model


def reference_run(family, tmp_path, overrides=None):
    """Train the family's harness config uninterrupted into `tmp_path`/full."""
    from tfgan_zoo.train import train
    over = merge({"train": HARNESS_TRAIN}, overrides)
    cfg = tiny_config(family, over)
    initial = _InitialWeights()
    run = train(cfg, str(tmp_path / "full"), callbacks=[initial])
    return Reference(family, over, cfg, run, initial.weights)


def check_training(ref):
    """Finite losses, the step counter, every network role moves."""
    model = ref.model
    assert ref.run.step == ref.total == int(model.step.numpy())
    assert_finite(ref.run.history)
    for role in model.network_roles:
        after = snapshot(getattr(model, role).trainable_variables)
        assert any(not np.allclose(a, b) for a, b in zip(ref.initial_weights[role], after)), \
            f"{ref.family}: no weight of the {role} moved in {ref.total} steps"


def check_resume(ref, tmp_path):
    """Killed after half the steps (a checkpoint every step), then continued == uninterrupted."""
    from tfgan_zoo.train import train
    try:
        train(ref.cfg, str(tmp_path / "resumed"), callbacks=[CrashAt(ref.total // 2)])
    except Crash:
        pass
    resumed = train(ref.cfg, str(tmp_path / "resumed"))
    assert resumed.step == ref.total
    assert_same_state(ref.state, state_of(resumed.model), f"{ref.family} resumed vs uninterrupted")


def check_replicas(ref, tmp_path):
    """Two replicas == one device."""
    from tfgan_zoo.train import train
    two = train(ref.cfg, str(tmp_path / "two"), strategy=two_cpu_strategy())
    assert_same_state(ref.state, state_of(two.model), f"{ref.family} two replicas vs one device",
                      rtol=2e-4, atol=2e-5)


def check_precision(ref, tmp_path):
    """float16 trains through the loss-scale optimizers; bfloat16 (what `precision: auto` picks on
    bf16 hardware) gives the float32 run's first-epoch losses."""
    from tfgan_zoo.train import train
    try:
        for policy in ("mixed_float16", "mixed_bfloat16"):
            run = train(tiny_config(ref.family, merge(ref.over, {"train": {"precision": policy,
                                                                           "epochs": 1}})),
                        str(tmp_path / policy))
            assert_finite({k: v[-1:] for k, v in run.history.items()})
            if policy == "mixed_float16":
                assert all(isinstance(o, keras.optimizers.LossScaleOptimizer)
                           for o in run.model.optimizers.values())
            else:
                assert_close_losses(ref.run.history, run.history,
                                    f"{ref.family} {policy} vs float32")
    finally:
        keras.mixed_precision.set_global_policy("float32")


def run_family_test(family, tmp_path, overrides=None):
    """Every check of the module docstring for `family`, in one go."""
    ref = reference_run(family, tmp_path, overrides)
    check_training(ref)
    check_resume(ref, tmp_path)
    check_replicas(ref, tmp_path)
    check_precision(ref, tmp_path)
    check_export(ref.model, str(tmp_path / "export"))
    return ref.model
