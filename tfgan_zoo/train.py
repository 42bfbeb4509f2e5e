"""Training runs: build data and model from a Config, fit with resume, load runs back.

A run directory holds:
    config.yaml      the resolved config (every default written out)
    data_info.json   what the dataset looked like (shape, classes, ...)
    checkpoints/     ckpt-<step>.index/.data (tfgan_zoo.checkpoint), the latest few
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

The step counter is the model's `step` variable (checkpointed; checkpoint names ckpt-<step>),
the number of train steps run, not the optimizers' `iterations`, which a LossScaleOptimizer does
not advance on the steps it skips and which count every critic update.

Stages (models/declarations.py): a family's stage schedule is a pure function of the config,
so the stage of any step is known. `fit` is run in segments that end at epoch ends and stage
boundaries; before each segment `model.enter_stage(index, fresh)` is called (fresh when
training crosses into the stage, not when a run resumes inside it), and the data stream starts
at the number of EXAMPLES consumed so far, so stages may change the batch size.
"""
import dataclasses
import json
import os
import shutil
import tempfile

import keras
import numpy as np
import tensorflow as tf
import yaml

from tfgan_zoo import distribute, precision
from tfgan_zoo.callbacks import CheckpointEvery, SampleGrid
from tfgan_zoo.checkpoint import RunCheckpoint
from tfgan_zoo.config import from_dict, optimizer_settings
from tfgan_zoo.data.stream import make_training_stream
from tfgan_zoo.errors import RunDirError, UserError
from tfgan_zoo.models.declarations import stage_index
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


class StepSchedule(keras.optimizers.schedules.LearningRateSchedule):
    """A learning rate read off the model's step counter rather than the optimizer's own
    `iterations` (which counts every critic update and skips loss-scale overflows).

    constant; linear_decay: constant until `decay_start` x total steps, then linearly to 0 at
    `total` (CycleGAN / StarGAN); cosine: keras.optimizers.schedules.CosineDecay over `total`.
    Keras calls the schedule with the optimizer's iterations; they are ignored here.
    """

    def __init__(self, learning_rate, kind, total, decay_start, step):
        self.learning_rate, self.kind, self.total = float(learning_rate), kind, int(total)
        self.decay_start, self.step = float(decay_start), step
        self.cosine = keras.optimizers.schedules.CosineDecay(self.learning_rate, max(self.total, 1))

    def value_at(self, step):
        step = tf.cast(step, tf.float32)
        if self.kind == "cosine":
            return self.cosine(step)
        if self.kind == "linear_decay":
            begin = self.decay_start * self.total
            span = max(self.total - begin, 1.0)
            return self.learning_rate * tf.clip_by_value(1.0 - (step - begin) / span, 0.0, 1.0)
        return tf.constant(self.learning_rate)

    def __call__(self, iterations):
        return self.value_at(tf.convert_to_tensor(self.step))

    def get_config(self):
        return {"learning_rate": self.learning_rate, "kind": self.kind, "total": self.total,
                "decay_start": self.decay_start}


def make_optimizer(cfg, name, model):
    """Optimizer `name` of the family from its resolved settings (config.optimizer_settings)."""
    t = cfg.train
    s = optimizer_settings(cfg, name)
    lr = s["learning_rate"]
    if s["schedule"] != "constant":
        lr = StepSchedule(lr, s["schedule"], t.epochs * t.steps_per_epoch, s["decay_start"],
                          model.step)
    label = f"{name}_optimizer"
    if s["optimizer"] == "adam":
        opt = keras.optimizers.Adam(lr, beta_1=s["beta_1"], beta_2=s["beta_2"], name=label)
    elif s["optimizer"] == "rmsprop":
        opt = keras.optimizers.RMSprop(lr, name=label)
    else:
        opt = keras.optimizers.SGD(lr, name=label)
    if precision.resolve(t.precision) == "mixed_float16":
        opt = keras.optimizers.LossScaleOptimizer(opt, name=f"{name}_loss_scale")
    return opt


def build_model(cfg, info, strategy=None):
    """The family's model, its networks built from cfg, compiled, inside the strategy scope."""
    strategy = strategy or distribute.get_strategy(cfg.train.strategy)
    keras.mixed_precision.set_global_policy(precision.resolve(cfg.train.precision))
    family = FAMILIES.get(cfg.family)
    keras.utils.set_random_seed(cfg.train.seed)  # seeded initial weights: runs are repeatable
    with strategy.scope():
        model = family.from_run_config(cfg, info)
        model.compile(optimizers={n: make_optimizer(cfg, n, model) for n in family.optimizer_names()},
                      jit_compile=cfg.train.jit_compile,
                      steps_per_execution=cfg.train.steps_per_execution)
    return model


def examples_before(model, step, batch_size):
    """Examples (per stream) a run has consumed after `step` steps, stage batch sizes included."""
    total, stages = 0, model.stage_plan
    for i, stage in enumerate(stages):
        end = stages[i + 1].start if i + 1 < len(stages) else None
        steps = max(0, min(step, end if end is not None else step) - stage.start)
        total += steps * (stage.batch_size or batch_size)
    return total * model.sub_batches


def reference_examples(ds, num):
    """The first `num` dataset elements as a dict of NumPy arrays (for sample grids); for named
    streams, those of the first stream."""
    if isinstance(ds, dict):
        ds = next(iter(ds.values()))
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
    for key in ("shape", "source_shape", "streams"):
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
    for stage in FAMILIES.get(cfg.family).stages(cfg.model, t):
        if stage.batch_size:
            distribute.per_replica_batch(stage.batch_size, strategy)
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
    t = cfg.train
    total_steps = t.epochs * t.steps_per_epoch
    ckpt = RunCheckpoint(os.path.join(write_dir, "checkpoints"), model, keep=t.keep_checkpoints)
    if resume:
        RunCheckpoint(os.path.join(run_dir, "checkpoints"), model).restore()
    step = int(model.step.numpy())
    if chief:
        with open(os.path.join(run_dir, "config.yaml"), "w", encoding="utf-8") as fh:
            yaml.safe_dump(cfg.to_dict(), fh, sort_keys=False)
        _write_json(os.path.join(run_dir, "data_info.json"), _info_to_json(info))
        done = os.path.join(run_dir, "DONE.json")
        if os.path.exists(done):
            os.remove(done)

    checkpointer = CheckpointEvery(ckpt, every_steps=t.checkpoint_every)
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
    while step < total_steps and checkpointer.failure is None:
        stages = model.stage_plan
        index = stage_index(stages, step)
        if model.stage_index != index:
            model.enter_stage(index, fresh=step == stages[index].start)
        stage_end = stages[index + 1].start if index + 1 < len(stages) else total_steps
        end = min(stage_end, total_steps)
        epoch, offset = divmod(step, t.steps_per_epoch)
        if offset or end < (epoch + 1) * t.steps_per_epoch:
            # a partial epoch: a resume mid-epoch, or a stage boundary inside the epoch
            epochs, per_epoch = epoch + 1, min(end, (epoch + 1) * t.steps_per_epoch) - step
        else:
            epochs, per_epoch = epoch + (end - step) // t.steps_per_epoch, t.steps_per_epoch
        batch = stages[index].batch_size or cfg.data.batch_size
        stream = distribute.shard_dataset(make_training_stream(
            ds, batch, seed=t.seed, shuffle_buffer=cfg.data.shuffle_buffer,
            start_example=examples_before(model, step, cfg.data.batch_size),
            sub_batches=model.sub_batches))
        h = model.fit(stream, initial_epoch=epoch, epochs=epochs, steps_per_epoch=per_epoch,
                      callbacks=cbs, shuffle=False, verbose=t.verbose)
        for k, v in h.history.items():
            history.setdefault(k, []).extend(v)
        if checkpointer.step == step:
            break
        step = checkpointer.step
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
    model.enter_stage(stage_index(model.stage_plan, int(model.step.numpy())), fresh=False)
    return cfg, info, model


def load_generator(run_dir):
    """An image source for the metrics: the run's `model.sample(num, seed)` (EMA weights when
    used, the family's own generator inputs: labels, codes, truncation)."""
    from tfgan_zoo.metrics.sources import SampleSource
    _, _, model = load_run(run_dir)
    return SampleSource(model.sample, name=run_dir)
