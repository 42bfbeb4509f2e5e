"""Run checkpoints: tf.train.Checkpoint + tf.train.CheckpointManager, numbered by step.

A checkpoint holds the model (every network, the EMA copy, BatchNorm statistics, spectral-norm
vectors, family state made with `add_state`, the step counter), every named optimizer (slots
and loss scale), the regularizers' variables, and every SeedGenerator state: tf.train.Checkpoint
tracks a Keras 3 model through its attributes, but not the SeedGenerators inside Keras layers
(Dropout) nor the model's own, which an exact resume needs, so `_objects` passes them by stable
names (role/layer/index). Variables are matched by their place in the object graph (attribute
names), not by construction order, and optimizers are built over their variables in a canonical
order (GANModel.optimizer_variables), so their slots always meet the same variables.

Beside the tensors, `meta` records the family, the step, the stage and each optimizer's variable
keys; they are checked BEFORE anything is restored, so a checkpoint of another family or another
set of networks fails with one line and leaves the model untouched. A shape mismatch is one line
too, and `assert_existing_objects_matched` makes sure nothing of the model was left out.

Writes go through TF's own temporary-file-and-rename (the index is written last and the
`checkpoint` state file is replaced atomically), so a crash mid-write leaves the previous
checkpoint as the latest. `restore()` takes the newest checkpoint that restores and falls back
to older ones, with a one-line warning naming each unreadable file. A run directory of the .npz
format of tfgan_zoo 0.1 is refused with a one-line message saying what to do.
"""
import glob
import json
import os
import re
import sys

import tensorflow as tf

from tfgan_zoo.errors import RunDirError

PREFIX = "ckpt"
_NAME = re.compile(r"ckpt-(\d+)(?:\.npz|\.index)?$")
_META_KEY = "meta/.ATTRIBUTES/py_state"


def step_of(path):
    """The training step a checkpoint was written at (from its name ckpt-<step>)."""
    m = _NAME.search(path)
    if not m:
        raise RunDirError(f"{path}: not a checkpoint name (ckpt-<step>)")
    return int(m.group(1))


def _family(model):
    return type(model).__name__


def _meta(model):
    stage = model.stage_plan[model.stage_index or 0].name
    return {"format": 2, "family": _family(model), "step": int(model.step.numpy()),
            "stage": stage,
            "optimizers": {name: [model.variable_key(v) for v in model.optimizer_variables(name)]
                           for name in model.optimizer_names()}}


class _Meta(tf.train.experimental.PythonState):
    """The checkpoint's JSON record (see module docstring)."""

    def __init__(self, model):
        self.model = model
        self.values = {}

    def serialize(self):
        return json.dumps(_meta(self.model))

    def deserialize(self, string):
        self.values = json.loads(string)


def _objects(model):
    """The model, plus what tf.train.Checkpoint does not reach through it: the optimizers, the
    regularizers' variables and every SeedGenerator state, under stable names."""
    objects = {"model": model}
    objects.update({f"optimizer_{n}": o for n, o in model.optimizers.items()})
    for i, reg in enumerate(model.regularizers):
        if getattr(reg, "variables", None):  # e.g. historical averages
            objects[f"regularizer_{i}_{reg.name}"] = list(reg.variables)
    seeds = {"model/train_noise": model.seed_generator.state}
    roles = model.network_roles + (("ema_generator",) if model.ema_generator is not None else ())
    for role in roles:
        for layer in getattr(model, role)._flatten_layers(include_self=False):
            for j, generator in enumerate(getattr(layer, "_seed_generators", [])):
                seeds[f"{role}/{layer.name}/{j}"] = generator.state
    objects["seed_states"] = seeds
    return objects


def read_meta(path):
    """The meta record of checkpoint prefix `path` ({} when it has none)."""
    reader = tf.train.load_checkpoint(path)
    if not reader.has_tensor(_META_KEY):
        return {}
    value = reader.get_tensor(_META_KEY)
    return json.loads(value.decode() if isinstance(value, bytes) else value)


class TextState(tf.train.experimental.PythonState):
    """A Python object's state in a checkpoint, as text: `get()` when saving, `set(text)` when
    restoring (e.g. the running sums of an unfinished epoch's history row)."""

    def __init__(self, get, set):
        self.get, self.set = get, set

    def serialize(self):
        return self.get()

    def deserialize(self, string):
        self.set(string.decode() if isinstance(string, bytes) else string)


class RunCheckpoint:
    """`extra`: {name: trackable} saved and restored beside the model (e.g. TextState); a
    checkpoint without them restores too (they keep their state)."""

    def __init__(self, directory, model, keep=2, extra=None):
        self.directory = directory
        self.model = model
        self.keep = keep
        self.extra = dict(extra or {})
        self._manager = None

    def _checkpoint(self, extra=True):
        return tf.train.Checkpoint(meta=_Meta(self.model), **_objects(self.model),
                                   **(self.extra if extra else {}))

    def manager(self):
        if self._manager is None:
            self._manager = tf.train.CheckpointManager(
                self._checkpoint(), self.directory, max_to_keep=self.keep, checkpoint_name=PREFIX)
        return self._manager

    def paths(self):
        """Checkpoint prefixes in the directory, oldest first."""
        found = []
        for p in glob.glob(os.path.join(self.directory, f"{PREFIX}-*.index")):
            m = _NAME.search(p)
            if m:
                found.append((int(m.group(1)), p[:-len(".index")]))
        return [p for _, p in sorted(found)]

    def latest(self):
        paths = self.paths()
        return paths[-1] if paths else None

    def save(self, step):
        """Write ckpt-<step>; keeps the newest `keep`. Returns the prefix."""
        os.makedirs(self.directory, exist_ok=True)
        return self.manager().save(checkpoint_number=int(step))

    def _legacy_check(self):
        if not self.paths() and glob.glob(os.path.join(self.directory, f"{PREFIX}-*.npz")):
            raise RunDirError(
                f"{self.directory} holds .npz checkpoints of tfgan_zoo 0.1, which this version "
                "does not restore: train the run again with --overwrite (exports made from it "
                "keep working)")

    def _check_meta(self, path):
        meta = read_meta(path)
        if not meta:
            raise RunDirError(f"{path}: not a tfgan_zoo checkpoint (no meta record)")
        if meta.get("family") != _family(self.model):
            raise RunDirError(f"{path} is a checkpoint of {meta.get('family')}, not of "
                              f"{_family(self.model)}")
        for name, keys in meta.get("optimizers", {}).items():
            mine = [self.model.variable_key(v) for v in self.model.optimizer_variables(name)] \
                if name in self.model.optimizers else None
            if mine != keys:
                raise RunDirError(f"{path}: optimizer {name!r} was built for other variables "
                                  f"({len(keys)} saved vs {len(mine or [])} here): the networks "
                                  "of the checkpoint differ from this config's")
        return meta

    def restore_one(self, path):
        """Restore checkpoint prefix `path`; RunDirError (one line) when it does not fit."""
        self._check_meta(path)
        legacy = _legacy_optimizers(path, self.model)
        try:
            if legacy:
                objects = {k: v for k, v in _objects(self.model).items()
                           if k not in {f"optimizer_{n}" for n in legacy}}
                status = tf.train.Checkpoint(meta=_Meta(self.model), **objects).restore(path)
                _restore_legacy_optimizers(path, self.model, legacy)
            else:
                status = self._checkpoint(extra=False).restore(path)
            status.assert_existing_objects_matched()
            status.expect_partial()  # the extras, if saved, are restored below
            if self.extra:
                tf.train.Checkpoint(**self.extra).restore(path).expect_partial()
        except ValueError as e:  # shape mismatch
            raise RunDirError(f"{path} does not match this model: "
                              f"{str(e).splitlines()[0]}") from None
        except AssertionError as e:
            raise RunDirError(f"{path} does not hold every variable of this model "
                              f"({str(e).splitlines()[0][:200]})") from None
        return path

    def restore(self, path=None):
        """Restore `path`, or the newest checkpoint that restores (older ones are tried after a
        one-line warning per unreadable file). Returns the prefix, or None when there is none."""
        if path is not None:
            return self.restore_one(path)
        self._legacy_check()
        paths = self.paths()
        failures = []
        for candidate in reversed(paths):
            try:
                return self._restore_readable(candidate)
            except _Unreadable as e:
                failures.append(str(e))
                print(f"tfgan-zoo: warning: {e}; trying an older checkpoint", file=sys.stderr)
        if failures:
            raise RunDirError(f"no checkpoint in {self.directory} restores ({failures[0]})")
        return None

    def _restore_readable(self, path):
        try:
            read_meta(path)
        except _READ_ERRORS as e:
            raise _Unreadable(f"{path} is unreadable ({type(e).__name__})") from None
        try:
            return self.restore_one(path)
        except _READ_ERRORS as e:  # a truncated or corrupt data file
            raise _Unreadable(f"{path} is unreadable ({type(e).__name__})") from None


def _legacy_optimizers(path, model):
    """Optimizers saved when a constant learning rate was a float, which Keras keeps in a
    variable (`_learning_rate`) placed second among the optimizer's variables; the rate is now
    always a StepSchedule, so every slot after it sits one place earlier."""
    reader = tf.train.load_checkpoint(path)
    return [name for name in model.optimizers
            if reader.has_tensor(f"optimizer_{name}/_learning_rate/.ATTRIBUTES/VARIABLE_VALUE")]


def _restore_legacy_optimizers(path, model, names):
    """Restore `names` (see _legacy_optimizers) by position: the step counter, then slot i from
    the saved variable i + 1. The saved learning rate is dropped: the config's applies."""
    reader = tf.train.load_checkpoint(path)
    for name in names:
        variables = model.optimizers[name].variables
        for i, variable in enumerate(variables):
            key = (f"optimizer_{name}/_iterations" if i == 0 else
                   f"optimizer_{name}/_variables/{i + 1}") + "/.ATTRIBUTES/VARIABLE_VALUE"
            if not reader.has_tensor(key):
                raise ValueError(f"optimizer {name!r} has no saved value for {variable.path}")
            value = reader.get_tensor(key)
            if tuple(value.shape) != tuple(variable.shape):
                raise ValueError(f"optimizer {name!r}: saved {key} has shape {value.shape}, "
                                 f"{variable.path} {tuple(variable.shape)}")
            variable.assign(value)


class _Unreadable(Exception):
    pass


#: what TF's checkpoint reader raises for a truncated or corrupt file
_READ_ERRORS = (tf.errors.OpError, IndexError, OSError, UnicodeDecodeError, json.JSONDecodeError)
