"""Keras callbacks of a run: sample grids (PNG + TensorBoard), history.csv (+ TensorBoard
scalars) and checkpoints with a divergence guard.

A run is fitted in segments (epoch ends, stage boundaries, resumes, and a last partial
execution when steps_per_execution does not divide an epoch; train.py), so Keras's epochs are
not always the run's: given `steps_per_epoch`, these callbacks read the model's step counter
and act at the run's epoch ends only. At an epoch end the history row and the sample grid are
written BEFORE the checkpoint (train.py orders the callbacks so), and a resume rewrites what
comes after its checkpoint: a kill or Ctrl-C at any point loses no row and no grid.
"""
import csv
import json
import math
import os
import time

import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo.imaging import preview_to_image, write_png


class SampleGrid(keras.callbacks.Callback):
    """Every `every` epochs: a grid of samples from fixed inputs -> samples/epoch_NNNN.png and a
    TensorBoard image summary under `log_dir` (when given)."""

    def __init__(self, out_dir, reference=None, num=64, every=1, seed=1234, log_dir=None,
                 scatter_reference=None, steps_per_epoch=None):
        super().__init__()
        self.steps_per_epoch = steps_per_epoch
        self.out_dir = out_dir
        self.reference = reference
        self.num = num
        self.every = every
        self.seed = seed
        self.log_dir = log_dir
        self.scatter_reference = scatter_reference
        self._inputs = None
        self._writer = None

    def render(self):
        if self._inputs is None:
            self._inputs = self.model.preview_inputs(self.num, self.seed, self.reference)
        batch = self.model.preview(self._inputs)
        columns = int(math.ceil(math.sqrt(len(batch))))
        if batch.ndim == 4 and batch.shape[2] > 2 * batch.shape[1]:  # wide rows (pairs)
            columns = max(1, int(math.sqrt(len(batch) / 3)))
        return preview_to_image(batch, self.scatter_reference, columns=columns)

    def on_epoch_end(self, epoch, logs=None):
        number = run_epoch(self.model, self.steps_per_epoch, epoch)
        if number is None or not self.every or number % self.every:
            return
        image = self.render()
        write_png(os.path.join(self.out_dir, f"epoch_{number:04d}.png"), image)
        if self.log_dir:
            if self._writer is None:
                self._writer = tf.summary.create_file_writer(self.log_dir)
            with self._writer.as_default():
                tf.summary.image("samples", image[None], step=number)
            self._writer.flush()


def run_epoch(model, steps_per_epoch, keras_epoch):
    """The run's epoch (from 1) that ends now, or None inside an epoch; without steps_per_epoch
    (a plain fit), Keras's epoch + 1."""
    if not steps_per_epoch:
        return keras_epoch + 1
    step = int(model.step.numpy())
    return step // steps_per_epoch if step and step % steps_per_epoch == 0 else None


class EpochHistory(keras.callbacks.Callback):
    """history.csv: one row per epoch of the run (columns epoch from 1 as in samples/, step,
    steps = how many steps the row averages, then the logged values), and the same values as
    TensorBoard scalars through keras.callbacks.TensorBoard (under `log_dir`/train).

    Not keras.callbacks.CSVLogger: it numbers epochs from 0, adds always-NA val_* columns, and
    writes one row per fit() epoch, so an epoch split by a stage boundary, a resume or a
    partial execution gave two rows, the second averaging only its own steps. Here the running
    sums of the unfinished epoch travel in every checkpoint (`state` / `set_state`), so a
    resumed epoch's row averages the whole epoch; `steps` says so. The file is rewritten
    atomically at each row; `resume(step)` drops rows past the restored checkpoint.
    """

    def __init__(self, path, steps_per_epoch, log_dir=None):
        super().__init__()
        self.path, self.steps_per_epoch = path, steps_per_epoch
        self.partial = None  # the unfinished epoch: {"epoch", "steps", "sums": {key: [sum, n]}}
        self.rows = []  # rows of the file
        self.written = []  # rows written by this object
        self._begin = self._logs = None
        self._tensorboard = _Scalars(log_dir, write_graph=False) if log_dir else None

    # ------------------------------------------------------------- checkpointed state
    def state(self):
        """The unfinished epoch's sums up to now (JSON), for the checkpoint being written."""
        return json.dumps(self._combined(self._logs) if self._logs is not None else self.partial)

    def set_state(self, text):
        self.partial = json.loads(text) if text else None

    def resume(self, step):
        """After a restore at `step`: keep the rows of the epochs it completed and the restored
        sums when they belong to the epoch it is in."""
        done, offset = divmod(step, self.steps_per_epoch)
        self.rows = [r for r in _read_rows(self.path) if int(r["epoch"]) <= done]
        if self.partial and (self.partial["epoch"] != done + 1 or self.partial["steps"] != offset):
            self.partial = None
        if os.path.exists(self.path):
            self._write()

    # ------------------------------------------------------------- Keras hooks
    def set_model(self, model):
        super().set_model(model)
        if self._tensorboard is not None:
            self._tensorboard.set_model(model)

    def on_epoch_begin(self, epoch, logs=None):
        self._begin, self._logs = int(self.model.step.numpy()), None

    def on_train_batch_end(self, batch, logs=None):
        self._logs = dict(logs or {})

    def on_epoch_end(self, epoch, logs=None):
        self.partial = self._combined(logs or {})
        self._logs = None
        number = run_epoch(self.model, self.steps_per_epoch, epoch)
        if number is None:
            return
        sums = self.partial["sums"]
        values = {k: s / n for k, (s, n) in sorted(sums.items()) if n}
        row = {"epoch": number, "step": int(self.model.step.numpy()),
               "steps": self.partial["steps"], **values}
        self.rows = [r for r in self.rows if int(r["epoch"]) < number] + [row]
        self.written.append(row)
        self.partial = None
        self._write()
        if self._tensorboard is not None:
            self._tensorboard.on_epoch_end(number, values)

    def on_train_end(self, logs=None):
        if self._tensorboard is not None:
            self._tensorboard.on_train_end(logs)
            self._tensorboard.set_model(self.model)  # fresh writers for the next fit segment

    # ------------------------------------------------------------- helpers
    def _combined(self, logs):
        """The unfinished epoch's sums with `logs` (means over the steps since epoch begin)."""
        step = int(self.model.step.numpy())
        steps = step - (self._begin if self._begin is not None else step)
        epoch = (step - 1) // self.steps_per_epoch + 1 if self.steps_per_epoch else 0
        out = json.loads(json.dumps(self.partial)) if self.partial else \
            {"epoch": epoch, "steps": 0, "sums": {}}
        out["steps"] += steps
        for key, value in logs.items():
            value = np.asarray(value)
            if value.size != 1 or value.dtype.kind not in "fiu" or not steps:
                continue
            total = out["sums"].setdefault(key, [0.0, 0])
            total[0] += float(value) * steps
            total[1] += steps
        return out

    def _write(self):
        keys = []
        for row in self.rows:
            keys += [k for k in row if k not in keys]
        tmp = self.path + ".tmp"
        os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
        with open(tmp, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=keys, restval="")
            writer.writeheader()
            writer.writerows(self.rows)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)


class _Scalars(keras.callbacks.TensorBoard):
    """keras.callbacks.TensorBoard with each named optimizer's learning rate: Keras's own reads
    `model.optimizer`, which a GANModel leaves at compile()'s unused default."""

    def _collect_learning_rate(self, logs):
        for name, opt in getattr(self.model, "optimizers", {}).items():
            logs[f"learning_rate_{name}"] = float(opt.learning_rate)
        return logs


def _read_rows(path):
    if not os.path.isfile(path):
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        rows = []
        for row in csv.DictReader(fh):
            try:
                int(row.get("epoch") or "")
            except ValueError:
                continue  # not a row of this format
            rows.append({k: v for k, v in row.items() if k is not None})
        return rows


class CheckpointEvery(keras.callbacks.Callback):
    """Save a RunCheckpoint at every epoch end and every `every_steps` steps (0: epochs only).

    The step is the model's `step` variable (read after each batch, or each execution with
    steps_per_execution > 1: Keras then calls on_train_batch_end once per execution, so a
    checkpoint is written whenever an execution crosses a multiple of `every_steps`, at the step
    the execution ended on). It counts the steps run, skipped loss-scale overflows included.
    Given `steps_per_epoch`, a step that ends an epoch is saved at the epoch end, after the
    history row and the sample grid (see the module docstring).

    Divergence guard: a non-finite logged loss stops training before anything is saved, and
    so does a model weight that is not finite or larger than `max_weight` in magnitude (0:
    finiteness only) -- the update that diverges can leave finite losses but exploded weights --
    so the last checkpoint on disk is the last good one; `self.failure` then says where it
    happened. So does a checkpoint that cannot be written (read-only directory, full disk).
    The logged losses are running means over the epoch, so a NaN stays visible until the
    epoch ends.
    """

    def __init__(self, checkpoint, every_steps=0, on_save=None, max_weight=0.0,
                 steps_per_epoch=None):
        super().__init__()
        self.checkpoint = checkpoint
        self.every_steps = every_steps
        self.on_save = on_save
        self.max_weight = float(max_weight)
        self.steps_per_epoch = steps_per_epoch
        self.failure = None
        self.step = self._saved = None

    def _read_step(self):
        self.step = int(self.model.step.numpy())
        if self._saved is None:
            self._saved = self.step
        return self.step

    def on_train_begin(self, logs=None):
        self._read_step()

    def _stop(self, problem):
        self.failure = (f"{problem}; training stopped, last good checkpoint kept: "
                        f"{self.checkpoint.latest() or 'none'}")
        self.model.stop_training = True

    def _finite(self, logs):
        bad = []
        for key, value in (logs or {}).items():
            value = np.asarray(value)
            if value.dtype.kind == "f" and not np.all(np.isfinite(value)):
                bad.append(key)
        if bad:
            self._stop(f"non-finite loss at step {self.step} ({', '.join(sorted(bad))})")
        return not bad

    def _weights_ok(self):
        worst, where = 0.0, None
        name = getattr(self.model, "variable_key", lambda v: v.path)  # role/path

        for v in self.model.variables:
            if not tf.as_dtype(v.dtype).is_floating:
                continue
            finite = bool(tf.reduce_all(tf.math.is_finite(v)))
            size = float(tf.reduce_max(tf.abs(v))) if finite and v.shape.num_elements() else 0.0
            if not finite or size > worst:
                worst, where = (math.inf if not finite else size), name(v)
            if not finite:
                break
        if math.isinf(worst) or (self.max_weight and worst > self.max_weight):
            what = "non-finite" if math.isinf(worst) else f"{worst:.3g} (> train.max_weight " \
                                                           f"{self.max_weight:g})"
            self._stop(f"diverged at step {self.step}: weight {where} is {what}")
            return False
        return True

    def _save(self):
        if self._saved == self.step and self.checkpoint.latest():
            return
        if not self._weights_ok():
            return
        try:
            path = self.checkpoint.save(self.step)
        except (OSError, tf.errors.OpError) as e:
            reason = getattr(e, "strerror", None) or str(getattr(e, "message", e)).splitlines()[0]
            self._stop(f"cannot write checkpoint {self.checkpoint.directory}: {reason}")
            return
        self._saved = self.step
        if self.on_save:
            self.on_save(path)

    def on_train_batch_end(self, batch, logs=None):
        self._read_step()
        if self.failure is not None or not self._finite(logs):
            return
        if self.steps_per_epoch and self.step % self.steps_per_epoch == 0:
            return  # saved at the epoch end, after the row and the grid
        if self.every_steps and self.step // self.every_steps > self._saved // self.every_steps:
            self._save()

    def on_epoch_end(self, epoch, logs=None):
        self._read_step()
        starts = {stage.start for stage in getattr(self.model, "stage_plan", ())}
        if self.steps_per_epoch and self.step % self.steps_per_epoch and self.step not in starts:
            return  # a fit() that ends inside an epoch (steps_per_execution's last steps)
        if self.failure is None and self._finite(logs):
            self._save()


CURVE = "curve.jsonl"


class ScoredCurve(keras.callbacks.Callback):
    """A learning curve: at every epoch end `score(model)` -> {name: value} is appended to
    <run_dir>/curve.jsonl with the step and the training CPU seconds since the last row. Put it
    before the run's checkpoint callback (tfgan_zoo.train passes user callbacks first), so a
    resumed run rewrites a row rather than missing one; `read_curve` keeps the newest per step."""

    def __init__(self, run_dir, score):
        super().__init__()
        self.path, self.score = os.path.join(run_dir, CURVE), score

    def on_train_begin(self, logs=None):
        self.clock = time.process_time()

    def on_epoch_end(self, epoch, logs=None):
        train_cpu = time.process_time() - self.clock
        row = {"step": int(self.model.step.numpy()), **self.score(self.model), "train_cpu_s": train_cpu}
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(row) + "\n")
        self.clock = time.process_time()


def read_curve(run_dir):
    """{step: row} of a run's curve.jsonl (a row rewritten after a resume replaces the old one;
    a line cut short by a kill is skipped)."""
    rows = {}
    path = os.path.join(run_dir, CURVE)
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                try:
                    r = json.loads(line)
                except json.JSONDecodeError:
                    continue
                rows[r["step"]] = r
    return rows
