"""Run directories: what a run leaves on disk and the decisions about it (train.py's layout).

`prepare` decides new / resume / refuse before anything is touched: a file where the run
directory belongs, a directory that is no run, a finished run, or a config that differs in a
key a resume may not change (config.RESUMABLE) is one line. The keys a resume changes are
appended to config_history.jsonl. `move_aside` keeps an overwritten run until the new one has
its first checkpoint (train.py puts it back if the new run fails before that).
"""
import dataclasses
import json
import os

import numpy as np
import yaml

from tfgan_zoo.config import resume_changes
from tfgan_zoo.errors import RunDirError


def info_to_json(info):
    def clean(v):
        if isinstance(v, np.ndarray):
            return v.tolist()
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items()}
        if isinstance(v, (tuple, list)):
            return [clean(x) for x in v]
        if isinstance(v, np.generic):
            return v.item()
        return v
    return clean(dataclasses.asdict(info))


def info_from_json(d):
    from tfgan_zoo.data import DataInfo
    d = dict(d)
    for key in ("shape", "source_shape", "streams"):
        if d.get(key) is not None:
            d[key] = tuple(d[key])
    return DataInfo(**d)


def prepare(run_dir, cfg, total_steps, overwrite):
    """Decide new / resume / refuse: returns (resume, changes), changes = {dotted key: (old,
    new)} of the keys a resume changes. Touches nothing on refusal."""
    if os.path.exists(run_dir) and not os.path.isdir(run_dir):
        raise RunDirError(f"--run-dir {run_dir} is a file, not a directory")
    if not os.path.exists(run_dir) or not os.listdir(run_dir):
        return False, {}
    saved = os.path.join(run_dir, "config.yaml")
    if not os.path.isfile(saved):
        if overwrite:
            return False, {}
        raise RunDirError(f"{run_dir} exists and is not a run directory; refusing to write into it")
    if overwrite:
        return False, {}
    with open(saved, encoding="utf-8") as fh:
        try:
            old = yaml.safe_load(fh)
        except yaml.YAMLError:
            raise RunDirError(f"{saved} is not readable YAML; use --overwrite or another "
                              "--run-dir") from None
    changed, blocking = resume_changes(old, cfg.to_dict())
    if blocking:
        key, (was, now) = next(iter(blocking.items()))
        raise RunDirError(f"{run_dir} was started with a different config ({key}: {was!r} -> "
                          f"{now!r}{f' and {len(blocking) - 1} more' if len(blocking) > 1 else ''}"
                          "); use --overwrite or another --run-dir")
    done = os.path.join(run_dir, "DONE.json")
    if os.path.isfile(done):
        with open(done, encoding="utf-8") as fh:
            finished = json.load(fh).get("step", 0)
        if finished >= total_steps:
            raise RunDirError(f"{run_dir} is a finished run ({finished} steps); pass --overwrite "
                              "to train it again from scratch, or raise train.epochs to continue")
    return True, {k: v for k, v in changed.items() if k != "train.verbose"}


def write_json(path, obj):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(obj, fh, indent=2)
    os.replace(tmp, path)


def move_aside(run_dir):
    parent, name = os.path.split(os.path.abspath(run_dir))
    aside = os.path.join(parent, f".{name}.replaced-{os.getpid()}")
    os.replace(run_dir, aside)
    return aside


def record_changes(run_dir, step, changes):
    """Append the keys a resume changes to config_history.jsonl and say so (stdout)."""
    if not changes:
        return
    line = json.dumps({"step": step, "changed": {k: list(v) for k, v in changes.items()}})
    with open(os.path.join(run_dir, "config_history.jsonl"), "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
    said = ", ".join(f"{k} {a!r} -> {b!r}" for k, (a, b) in changes.items())
    print(f"resuming {run_dir} at step {step} with {said}")
