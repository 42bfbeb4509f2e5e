"""Training runs: build data and model from a Config, fit with resume, load runs back.

A run directory holds:
    config.yaml      the resolved config (every default written out)
    data_info.json   what the dataset looked like (shape, classes, ...)
    checkpoints/     ckpt-<step>.index/.data (tfgan_zoo.checkpoint), the latest few
    samples/         epoch_NNNN.png sample grids (epochs from 1)
    logs/            TensorBoard: sample images, and the history's scalars under logs/train
    history.csv      one row per epoch (callbacks.EpochHistory), whole-epoch means across resumes
    config_history.jsonl   the keys a resume changed (learning rates, epochs, ...), per resume
    DONE.json        written when the requested number of steps is reached

Bad input (config, data, model, sizes that cannot fit in memory) is detected before the run
directory is touched, so a mistake never destroys an existing run. `--overwrite` moves the old
run aside and deletes it only once the new run has its first checkpoint (a failure before that
puts it back). A resume may change the keys of config.RESUMABLE; others are refused in one line.

Exactly the steps asked are trained: when train.steps_per_execution does not divide a
segment, its last steps run one per execution (Keras would otherwise run whole executions
past the end).

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

from tfgan_zoo import distribute, limits, precision, rundir
from tfgan_zoo.callbacks import CheckpointEvery, EpochHistory, SampleGrid
from tfgan_zoo.checkpoint import RunCheckpoint, TextState
from tfgan_zoo.config import from_dict, optimizer_settings
from tfgan_zoo.data.stream import make_training_stream
from tfgan_zoo.errors import DataError, RunDirError, UserError
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
    """Optimizer `name` of the family from its resolved settings (config.optimizer_settings).

    The learning rate is always a StepSchedule ("constant" too): a Keras optimizer keeps a
    float learning rate in a variable that checkpoints save and restore, so a resume with a
    lower learning rate would silently train with the old one."""
    t = cfg.train
    s = optimizer_settings(cfg, name)
    lr = StepSchedule(s["learning_rate"], s["schedule"], t.epochs * t.steps_per_epoch,
                      s["decay_start"], model.step)
    label = f"{name}_optimizer"
    if s["optimizer"] == "adam":
        opt = keras.optimizers.Adam(lr, beta_1=s["beta_1"], beta_2=s["beta_2"], name=label)
    elif s["optimizer"] == "rmsprop":
        opt = keras.optimizers.RMSprop(lr, rho=s["rho"], name=label)
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
    """Examples (per stream) a run has consumed after `step` steps, each stage's batch size and
    sub-batches per step (a critic burst's) included."""
    total, stages = 0, model.stage_plan
    for i, stage in enumerate(stages):
        end = stages[i + 1].start if i + 1 < len(stages) else None
        steps = max(0, min(step, end if end is not None else step) - stage.start)
        total += steps * (stage.batch_size or batch_size) * model.sub_batches_of(stage)
    return total


def reference_examples(ds, num):
    """The first `num` dataset elements as a dict of NumPy arrays (for sample grids); for named
    streams, those of the first stream."""
    if isinstance(ds, dict):
        ds = next(iter(ds.values()))
    rows = list(ds.take(num).as_numpy_iterator())
    return {k: np.stack([r[k] for r in rows]) for k in rows[0]} if rows else {}


def train(cfg, run_dir, overwrite=False, callbacks=(), strategy=None):
    """Train `cfg` into `run_dir`, resuming from its latest checkpoint when there is one.

    Raises TrainingFailed (a UserError: CLI exit 2) on a non-finite loss, diverged weights or
    an unwritable checkpoint; the checkpoint of the last good step stays on disk.
    """
    t = cfg.train
    total_steps = t.epochs * t.steps_per_epoch
    # The strategy first: MultiWorkerMirroredStrategy must exist before any other TF op.
    strategy = strategy or distribute.get_strategy(t.strategy)
    distribute.per_replica_batch(cfg.data.batch_size, strategy)
    stages = FAMILIES.get(cfg.family).stages(cfg.model, t)
    batches = [cfg.data.batch_size] + [s.batch_size for s in stages if s.batch_size]
    for batch in batches[1:]:
        distribute.per_replica_batch(batch, strategy)
    chief = distribute.is_chief()
    if chief:
        resume, changes = rundir.prepare(run_dir, cfg, total_steps, overwrite)
    else:  # the chief checks and refuses; a worker only follows its checkpoints
        resume, changes = not overwrite and os.path.isdir(os.path.join(run_dir, "checkpoints")), {}
    ds, info = build_data(cfg)
    if info.num_examples and max(batches) > info.num_examples:
        raise DataError(f"data.batch_size {max(batches)} is larger than the dataset "
                        f"({info.num_examples} examples of {cfg.data.name}); lower it")
    model = build_model(cfg, info, strategy)
    limits.check_training_memory(model, max(batches) // strategy.num_replicas_in_sync,
                                 t.grid_size ** 2 if t.sample_every and chief else 0)
    scratch = aside = None
    if chief:
        if not resume and os.path.isdir(run_dir) and os.listdir(run_dir):
            aside = rundir.move_aside(run_dir)  # --overwrite, after every check above passed
        os.makedirs(run_dir, exist_ok=True)
        write_dir = run_dir
    else:
        write_dir = scratch = tempfile.mkdtemp(prefix="tfgan_zoo_worker_")

    def first_save(_):
        nonlocal aside
        if aside:  # the new run has a checkpoint: the old one can go
            shutil.rmtree(aside, ignore_errors=True)
            aside = None

    try:
        return _fit(cfg, model, ds, info, run_dir, write_dir, resume, chief, callbacks, changes,
                    first_save)
    except BaseException:
        if aside:  # failed before the new run's first checkpoint: the old run comes back
            shutil.rmtree(run_dir, ignore_errors=True)
            os.replace(aside, run_dir)
        raise
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


def _fit(cfg, model, ds, info, run_dir, write_dir, resume, chief, callbacks, changes=None,
         on_save=None):
    t = cfg.train
    total_steps = t.epochs * t.steps_per_epoch
    history = EpochHistory(os.path.join(write_dir, "history.csv"), t.steps_per_epoch,
                           log_dir=os.path.join(run_dir, "logs") if chief else None)
    extra = {"history": TextState(history.state, history.set_state)}
    ckpt = RunCheckpoint(os.path.join(write_dir, "checkpoints"), model, keep=t.keep_checkpoints,
                         extra=extra)
    if resume:
        RunCheckpoint(os.path.join(run_dir, "checkpoints"), model, extra=extra).restore()
    step = int(model.step.numpy())
    history.resume(step)
    if chief:
        with open(os.path.join(run_dir, "config.yaml"), "w", encoding="utf-8") as fh:
            yaml.safe_dump(cfg.to_dict(), fh, sort_keys=False)
        rundir.write_json(os.path.join(run_dir, "data_info.json"), rundir.info_to_json(info))
        rundir.record_changes(run_dir, step, changes)
        done = os.path.join(run_dir, "DONE.json")
        if os.path.exists(done):
            os.remove(done)

    checkpointer = CheckpointEvery(ckpt, every_steps=t.checkpoint_every, on_save=on_save,
                                   max_weight=t.max_weight, steps_per_epoch=t.steps_per_epoch)
    # the row and the grid of an epoch are written before its checkpoint (callbacks.py)
    cbs = list(callbacks)
    if t.sample_every and chief:
        extra = info.extra or {}
        cbs.append(SampleGrid(os.path.join(run_dir, "samples"), reference_examples(ds, t.grid_size ** 2),
                              num=t.grid_size ** 2, every=t.sample_every,
                              log_dir=os.path.join(run_dir, "logs"),
                              scatter_reference=extra.get("centers"),
                              steps_per_epoch=t.steps_per_epoch))
    cbs += [history, checkpointer]

    functions = {}  # steps_per_execution -> Keras's traced train function
    traced = {}  # stage name -> its `functions`: stages of one name share their traced step
    while step < total_steps and checkpointer.failure is None:
        stages = model.stage_plan
        index = stage_index(stages, step)
        if model.stage_index != index:
            traced[model.stage.name] = {**functions, model.steps_per_execution: model.train_function}
            model.enter_stage(index, fresh=step == stages[index].start)
            functions = traced.get(stages[index].name, {})
            model.train_function = functions.get(model.steps_per_execution)
        stage_end = stages[index + 1].start if index + 1 < len(stages) else total_steps
        end = min(stage_end, total_steps)
        epoch, offset = divmod(step, t.steps_per_epoch)
        execution = t.steps_per_execution
        if offset or end < (epoch + 1) * t.steps_per_epoch or t.steps_per_epoch % execution:
            # a partial epoch (a resume mid-epoch, a stage boundary inside the epoch) or an
            # epoch that is not whole executions: whole executions, then the rest one by one
            epochs, per_epoch = epoch + 1, min(end, (epoch + 1) * t.steps_per_epoch) - step
            if per_epoch >= execution:
                per_epoch -= per_epoch % execution
            else:
                execution = 1
        else:
            epochs, per_epoch = epoch + (end - step) // t.steps_per_epoch, t.steps_per_epoch
        _use_execution(model, execution, functions)
        batch = stages[index].batch_size or cfg.data.batch_size
        stream = distribute.shard_dataset(make_training_stream(
            ds, batch, seed=t.seed, shuffle_buffer=cfg.data.shuffle_buffer,
            start_example=examples_before(model, step, cfg.data.batch_size),
            sub_batches=model.sub_batches))
        model.fit(stream, initial_epoch=epoch, epochs=epochs, steps_per_epoch=per_epoch,
                  callbacks=cbs, shuffle=False, verbose=t.verbose)
        if checkpointer.step == step:
            break
        step = checkpointer.step
    _use_execution(model, t.steps_per_execution, functions)
    if checkpointer.failure:
        raise TrainingFailed(checkpointer.failure)
    if chief:
        rundir.write_json(os.path.join(run_dir, "DONE.json"), {"step": step, "epochs": t.epochs})
    rows = {}
    for row in history.written:
        for k, v in row.items():
            if k not in ("epoch", "step", "steps"):
                rows.setdefault(k, []).append(v)
    return RunResult(model=model, history=rows, run_dir=run_dir, step=step)


def _use_execution(model, steps, functions):
    """Run `steps` train steps per execution, keeping each traced train function (Keras
    traces one per steps_per_execution and caches only the last)."""
    if model.steps_per_execution == steps:
        return
    functions[model.steps_per_execution] = model.train_function
    model.steps_per_execution = steps
    model.train_function = functions.get(steps)


def load_run(run_dir, strategy=None):
    """(cfg, info, model) of a run directory, with the latest checkpoint restored."""
    cfg_path = os.path.join(run_dir, "config.yaml")
    if not os.path.isfile(cfg_path):
        raise RunDirError(f"{run_dir} is not a run directory (no config.yaml)")
    with open(cfg_path, encoding="utf-8") as fh:
        cfg = from_dict(yaml.safe_load(fh), source=cfg_path)
    info_path = os.path.join(run_dir, "data_info.json")
    if not os.path.isfile(info_path):
        raise RunDirError(f"{run_dir} has no data_info.json (an incomplete run directory): "
                          f"continue it with `tfgan-zoo train {run_dir}`")
    with open(info_path, encoding="utf-8") as fh:
        info = rundir.info_from_json(json.load(fh))
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
