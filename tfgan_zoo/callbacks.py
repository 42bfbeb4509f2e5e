"""Keras callbacks of a run: sample grids (PNG + TensorBoard) and checkpoints with a NaN guard."""
import math
import os

import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo.imaging import preview_to_image, write_png


class SampleGrid(keras.callbacks.Callback):
    """Every `every` epochs: a grid of samples from fixed inputs -> samples/epoch_NNNN.png and a
    TensorBoard image summary under `log_dir` (when given)."""

    def __init__(self, out_dir, reference=None, num=64, every=1, seed=1234, log_dir=None,
                 scatter_reference=None):
        super().__init__()
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
        if not self.every or (epoch + 1) % self.every:
            return
        image = self.render()
        write_png(os.path.join(self.out_dir, f"epoch_{epoch + 1:04d}.png"), image)
        if self.log_dir:
            if self._writer is None:
                self._writer = tf.summary.create_file_writer(self.log_dir)
            with self._writer.as_default():
                tf.summary.image("samples", image[None], step=epoch + 1)
            self._writer.flush()


class NonFiniteLoss(RuntimeError):
    pass


class CheckpointEvery(keras.callbacks.Callback):
    """Save a RunCheckpoint at every epoch end and every `every_steps` steps (0: epochs only).

    The step is the model's `step` variable (read after each batch, or each execution with
    steps_per_execution > 1: Keras then calls on_train_batch_end once per execution, so a
    checkpoint is written whenever an execution crosses a multiple of `every_steps`, at the step
    the execution ended on). It counts the steps run, skipped loss-scale overflows included.

    A non-finite loss stops training before anything is saved, so the last checkpoint on disk
    is the last good one; `self.failure` then says where it happened. The logged losses are
    running means over the epoch, so a NaN stays visible until the epoch ends.
    """

    def __init__(self, checkpoint, every_steps=0, on_save=None):
        super().__init__()
        self.checkpoint = checkpoint
        self.every_steps = every_steps
        self.on_save = on_save
        self.failure = None
        self.step = self._saved = None

    def _read_step(self):
        self.step = int(self.model.step.numpy())
        if self._saved is None:
            self._saved = self.step
        return self.step

    def on_train_begin(self, logs=None):
        self._read_step()

    def _finite(self, logs):
        bad = []
        for key, value in (logs or {}).items():
            value = np.asarray(value)
            if value.dtype.kind == "f" and not np.all(np.isfinite(value)):
                bad.append(key)
        if bad:
            self.failure = (f"non-finite loss at step {self.step} ({', '.join(sorted(bad))}); "
                            f"training stopped, last good checkpoint kept: "
                            f"{self.checkpoint.latest() or 'none'}")
            self.model.stop_training = True
        return not bad

    def _save(self):
        if self._saved == self.step and self.checkpoint.latest():
            return
        path = self.checkpoint.save(self.step)
        self._saved = self.step
        if self.on_save:
            self.on_save(path)

    def on_train_batch_end(self, batch, logs=None):
        self._read_step()
        if self.failure is not None or not self._finite(logs):
            return
        if self.every_steps and self.step // self.every_steps > self._saved // self.every_steps:
            self._save()

    def on_epoch_end(self, epoch, logs=None):
        self._read_step()
        if self.failure is None and self._finite(logs):
            self._save()
