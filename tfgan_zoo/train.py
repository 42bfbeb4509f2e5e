"""Training runs: build data and model from a Config, fit with resume, load runs back.

A run directory holds:
    config.yaml      the resolved config (every default written out)
    data_info.json   what the dataset looked like (shape, classes, ...)
    checkpoints/     ckpt-<step>.npz (tfgan_zoo.checkpoint), the latest few
    samples/         epoch_NNNN.png sample grids
    logs/            TensorBoard scalars and images
    history.csv      per-epoch metrics (appended across resumes)
    DONE.json        written when the requested number of steps is reached

Bad input (config, data, model) is detected before the run directory is touched, so a
mistake never destroys an existing run.

Distributed runs (docs/distributed.md): `data.batch_size` is the GLOBAL batch and must divide
by the replicas in sync. Under multi_worker only the chief writes the run directory; the other
workers read its latest checkpoint to resume (the run directory must then be on a shared
filesystem) and write their own checkpoints and history to a temporary directory that is
deleted at the end (the usual Keras/TF pattern: every worker saves, only the chief's copy
is kept).

The step counter is the number of batches consumed (checkpoint names ckpt-<step>.npz and
CheckpointEvery.step), not the optimizers' `iterations`, which a LossScaleOptimizer does not
advance on the steps it skips.
"""
import dataclasses
import json
import os
import shutil
import tempfile

import keras
import numpy as np
import yaml

from tfgan_zoo import distribute
from tfgan_zoo.callbacks import CheckpointEvery, SampleGrid
from tfgan_zoo.checkpoint import RunCheckpoint, step_of
from tfgan_zoo.config import from_dict
from tfgan_zoo.errors import RunDirError, UserError
from tfgan_zoo.registry import FAMILIES


class TrainingFailed(UserError):
    """Training stopped on a non-finite loss; the last good checkpoint is kept."""


@dataclasses.dataclass
class RunResult:
    model: object
    history: dict
    run_dir: str
    step: int


def build_data(cfg):
    from tfgan_zoo.data import build_dataset
    from tfgan_zoo.data.core import parse_spec
    from tfgan_zoo.data.points import POINT_SETS
    if parse_spec(cfg.data.name)[0] in POINT_SETS:  # 2-D points: image_size/channels do not apply
        return build_dataset(cfg.data.name, **cfg.data.options)
    return build_dataset(cfg.data.name, image_size=cfg.data.image_size,
                         channels=cfg.data.channels or None, **cfg.data.options)


def make_optimizer(cfg, role):
    t = cfg.train
    lr = t.g_learning_rate if role == "g" else t.d_learning_rate
    name = f"{role}_optimizer"
    if t.optimizer == "adam":
        opt = keras.optimizers.Adam(lr, beta_1=t.beta_1, beta_2=t.beta_2, name=name)
    elif t.optimizer == "rmsprop":
        opt = keras.optimizers.RMSprop(lr, name=name)
    else:
        opt = keras.optimizers.SGD(lr, name=name)
    if t.precision == "mixed_float16":
        opt = keras.optimizers.LossScaleOptimizer(opt, name=f"{role}_loss_scale")
    return opt


def build_model(cfg, info, strategy=None):
    """The family's model, its networks built from cfg, compiled, inside the strategy scope."""
    strategy = strategy or distribute.get_strategy(cfg.train.strategy)
    keras.mixed_precision.set_global_policy(cfg.train.precision)
    family = FAMILIES.get(cfg.family)
    keras.utils.set_random_seed(cfg.train.seed)  # seeded initial weights: runs are repeatable
    with strategy.scope():
        model = family.from_config(cfg, info)
        model.compile(d_optimizer=make_optimizer(cfg, "d"), g_optimizer=make_optimizer(cfg, "g"),
                      jit_compile=cfg.train.jit_compile,
                      steps_per_execution=cfg.train.steps_per_execution)
    return model


def reference_examples(ds, num):
    """The first `num` dataset elements as a dict of NumPy arrays (for sample grids)."""
    rows = list(ds.take(num).as_numpy_iterator())
    return {k: np.stack([r[k] for r in rows]) for k in rows[0]} if rows else {}


def _info_to_json(info):
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


def _info_from_json(d):
    from tfgan_zoo.data import DataInfo
    d = dict(d)
    for key in ("shape", "source_shape"):
        if d.get(key) is not None:
            d[key] = tuple(d[key])
    return DataInfo(**d)


def _comparable(cfg_dict):
    d = json.loads(json.dumps(cfg_dict))
    d.get("train", {}).pop("epochs", None)
    d.get("train", {}).pop("verbose", None)
    return d


def _prepare_run_dir(run_dir, cfg, total_steps, overwrite):
    """Decide new / resume / refuse. Returns True when resuming. Touches nothing on refusal."""
    if not os.path.exists(run_dir) or not os.listdir(run_dir):
        return False
    saved = os.path.join(run_dir, "config.yaml")
    if not os.path.isfile(saved):
        if overwrite:
            return False
        raise RunDirError(f"{run_dir} exists and is not a run directory; refusing to write into it")
    if overwrite:
        return False
    with open(saved, encoding="utf-8") as fh:
        old = yaml.safe_load(fh)
    if _comparable(old) != _comparable(cfg.to_dict()):
        raise RunDirError(f"{run_dir} was started with a different config; use --overwrite or "
                          "another --run-dir")
    done = os.path.join(run_dir, "DONE.json")
    if os.path.isfile(done):
        with open(done, encoding="utf-8") as fh:
            finished = json.load(fh).get("step", 0)
        if finished >= total_steps:
            raise RunDirError(f"{run_dir} is a finished run ({finished} steps); pass --overwrite "
                              "to train it again from scratch, or raise train.epochs to continue")
    return True


def _write_json(path, obj):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(obj, fh, indent=2)
    os.replace(tmp, path)


def train(cfg, run_dir, overwrite=False, callbacks=(), strategy=None):
    """Train `cfg` into `run_dir`, resuming from its latest checkpoint when there is one.

    Raises TrainingFailed (a UserError: CLI exit 2) on a non-finite loss; the checkpoint of
    the last good step stays on disk.
    """
    t = cfg.train
    total_steps = t.epochs * t.steps_per_epoch
    # The strategy first: MultiWorkerMirroredStrategy must exist before any other TF op.
    strategy = strategy or distribute.get_strategy(t.strategy)
    distribute.per_replica_batch(cfg.data.batch_size, strategy)
    chief = distribute.is_chief()
    if chief:
        resume = _prepare_run_dir(run_dir, cfg, total_steps, overwrite)
    else:  # the chief checks and refuses; a worker only follows its checkpoints
        resume = not overwrite and os.path.isdir(os.path.join(run_dir, "checkpoints"))
    ds, info = build_data(cfg)
    model = build_model(cfg, info, strategy)
    scratch = None
    if chief:
        if not resume and os.path.isdir(run_dir) and os.listdir(run_dir):
            shutil.rmtree(run_dir)  # --overwrite, after every check above passed
        os.makedirs(run_dir, exist_ok=True)
        write_dir = run_dir
    else:
        write_dir = scratch = tempfile.mkdtemp(prefix="tfgan_zoo_worker_")
    try:
        return _fit(cfg, model, ds, info, run_dir, write_dir, resume, chief, callbacks)
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


def _fit(cfg, model, ds, info, run_dir, write_dir, resume, chief, callbacks):
    from tfgan_zoo.data import make_training_stream
    t = cfg.train
    total_steps = t.epochs * t.steps_per_epoch
    ckpt = RunCheckpoint(os.path.join(write_dir, "checkpoints"), model, keep=t.keep_checkpoints)
    step = 0
    if resume:
        restored = RunCheckpoint(os.path.join(run_dir, "checkpoints"), model).restore()
        step = step_of(restored) if restored else 0
    if chief:
        with open(os.path.join(run_dir, "config.yaml"), "w", encoding="utf-8") as fh:
            yaml.safe_dump(cfg.to_dict(), fh, sort_keys=False)
        _write_json(os.path.join(run_dir, "data_info.json"), _info_to_json(info))
        done = os.path.join(run_dir, "DONE.json")
        if os.path.exists(done):
            os.remove(done)

    checkpointer = CheckpointEvery(ckpt, every_steps=t.checkpoint_every, step=step)
    cbs = [checkpointer, keras.callbacks.CSVLogger(os.path.join(write_dir, "history.csv"),
                                                   append=True)]
    if t.sample_every and chief:
        extra = info.extra or {}
        cbs.append(SampleGrid(os.path.join(run_dir, "samples"), reference_examples(ds, t.grid_size ** 2),
                              num=t.grid_size ** 2, every=t.sample_every,
                              log_dir=os.path.join(run_dir, "logs"),
                              scatter_reference=extra.get("centers")))
    cbs += list(callbacks)

    history = {}
    epoch, offset = divmod(step, t.steps_per_epoch)
    while step < total_steps and checkpointer.failure is None:
        # A run resumed mid-epoch first finishes that epoch, so epochs stay aligned to steps.
        stream = distribute.shard_dataset(make_training_stream(
            ds, cfg.data.batch_size, seed=t.seed, shuffle_buffer=cfg.data.shuffle_buffer,
            start_batch=step))
        h = model.fit(stream, initial_epoch=epoch, epochs=epoch + 1 if offset else t.epochs,
                      steps_per_epoch=t.steps_per_epoch - offset, callbacks=cbs, shuffle=False,
                      verbose=t.verbose)
        for k, v in h.history.items():
            history.setdefault(k, []).extend(v)
        if checkpointer.step == step:
            break
        step = checkpointer.step
        epoch, offset = divmod(step, t.steps_per_epoch)
    if checkpointer.failure:
        raise TrainingFailed(checkpointer.failure)
    if chief:
        _write_json(os.path.join(run_dir, "DONE.json"), {"step": step, "epochs": t.epochs})
    return RunResult(model=model, history=history, run_dir=run_dir, step=step)


def load_run(run_dir, strategy=None):
    """(cfg, info, model) of a run directory, with the latest checkpoint restored."""
    cfg_path = os.path.join(run_dir, "config.yaml")
    if not os.path.isfile(cfg_path):
        raise RunDirError(f"{run_dir} is not a run directory (no config.yaml)")
    with open(cfg_path, encoding="utf-8") as fh:
        cfg = from_dict(yaml.safe_load(fh), source=cfg_path)
    with open(os.path.join(run_dir, "data_info.json"), encoding="utf-8") as fh:
        info = _info_from_json(json.load(fh))
    model = build_model(cfg, info, strategy or distribute.get_strategy("default"))
    ckpt = RunCheckpoint(os.path.join(run_dir, "checkpoints"), model)
    if ckpt.restore() is None:
        raise RunDirError(f"{run_dir} has no checkpoint yet")
    return cfg, info, model


def load_generator(run_dir):
    """A callable latents -> images in [-1, 1] (EMA weights when used), and its latent dim."""
    _, _, model = load_run(run_dir)
    gen = model.export_generator()
    return (lambda z: np.asarray(gen(z, training=False))), model.latent_dim
