"""Run checkpoints: every model and optimizer variable, written atomically as .npz.

Why not tf.train.Checkpoint or model.save_weights: under the TF backend a Keras 3 model is
not tracked by tf.train.Checkpoint through attributes, and `save_weights` leaves out the
SeedGenerator state (so a resumed run would draw different noise). Saving `.variables` of
the model (networks, EMA copy, seed generator, family state such as BEGAN's k_t) and of both
optimizers, in their fixed construction order, checked by path and shape on restore, gives
an exact resume. Files are written to a temporary name and renamed, so a crash mid-write
never leaves a broken latest checkpoint.
"""
import glob
import os
import re

import numpy as np

from tfgan_zoo.errors import RunDirError

_NAME = re.compile(r"ckpt-(\d+)\.npz$")


def _collect(model):
    out = {}
    for group, obj in model.checkpoint_objects().items():
        out[group] = list(obj.variables)
    return out


def step_of(path):
    """The training step a checkpoint file was written at (from its name ckpt-<step>.npz)."""
    m = _NAME.search(path)
    if not m:
        raise RunDirError(f"{path}: not a checkpoint name (ckpt-<step>.npz)")
    return int(m.group(1))


class RunCheckpoint:
    def __init__(self, directory, model, keep=2):
        self.directory = directory
        self.model = model
        self.keep = keep

    def paths(self):
        found = []
        for p in glob.glob(os.path.join(self.directory, "ckpt-*.npz")):
            m = _NAME.search(p)
            if m:
                found.append((int(m.group(1)), p))
        return [p for _, p in sorted(found)]

    def latest(self):
        paths = self.paths()
        return paths[-1] if paths else None

    def save(self, step):
        os.makedirs(self.directory, exist_ok=True)
        arrays = {}
        for group, variables in _collect(self.model).items():
            for i, v in enumerate(variables):
                arrays[f"{group}/{i}"] = np.asarray(v.numpy())
            arrays[f"{group}/paths"] = np.array([v.path for v in variables])
        path = os.path.join(self.directory, f"ckpt-{int(step):09d}.npz")
        tmp = path + ".tmp"
        with open(tmp, "wb") as fh:
            np.savez(fh, **arrays)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        for old in self.paths()[:-self.keep]:
            os.remove(old)
        return path

    def restore(self, path=None):
        path = path or self.latest()
        if path is None:
            return None
        try:
            data = np.load(path)
        except (OSError, ValueError) as e:
            raise RunDirError(f"{path}: unreadable checkpoint ({e})") from None
        with data:
            for group, variables in _collect(self.model).items():
                saved_paths = list(data[f"{group}/paths"]) if f"{group}/paths" in data else None
                if saved_paths is None or len(saved_paths) != len(variables):
                    raise RunDirError(f"{path}: checkpoint does not match this model ({group}: "
                                      f"{len(saved_paths or [])} saved vs {len(variables)} variables)")
                for i, v in enumerate(variables):
                    value = data[f"{group}/{i}"]
                    if tuple(value.shape) != tuple(v.shape):
                        raise RunDirError(f"{path}: {v.path} has shape {value.shape} in the "
                                          f"checkpoint but {tuple(v.shape)} in the model")
                    v.assign(value)
        return path
