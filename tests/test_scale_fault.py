"""Fault tolerance: SIGKILL at a random step + restart == uninterrupted run; a NaN loss stops
training with TrainingFailed and leaves the last good checkpoint loadable; CheckpointEvery
with steps_per_execution > 1."""
import os
import random
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import tensorflow as tf

from tests._kill_worker import OVER
from tests._mw_launch import REPO_ROOT
from tests.testing import tiny_config
from tfgan_zoo.checkpoint import step_of
from tfgan_zoo.errors import UserError
from tfgan_zoo.losses.regularizer import Regularizer
from tfgan_zoo.registry import REGULARIZERS
from tfgan_zoo.train import TrainingFailed, load_run, train

TOTAL = OVER["train"]["epochs"] * OVER["train"]["steps_per_epoch"]


def _steps(run):
    d = run / "checkpoints"
    return sorted(step_of(n) for n in os.listdir(d) if n.endswith(".index")) if d.is_dir() else []


def _latest(run):
    steps = _steps(run)
    return run / "checkpoints" / f"ckpt-{steps[-1]}" if steps else None


def assert_same_checkpoint(a, b):
    """Every tensor of two checkpoints equal (but the save counter and the meta record)."""
    a, b = tf.train.load_checkpoint(str(a)), tf.train.load_checkpoint(str(b))
    keys = sorted(k for k in a.get_variable_to_shape_map()
                  if not k.startswith(("save_counter", "meta", "_CHECKPOINTABLE")))
    assert keys == sorted(k for k in b.get_variable_to_shape_map()
                          if not k.startswith(("save_counter", "meta", "_CHECKPOINTABLE")))
    for k in keys:
        x, y = a.get_tensor(k), b.get_tensor(k)
        if np.asarray(x).dtype.kind in "fiu":
            np.testing.assert_allclose(x, y, rtol=1e-5, atol=1e-6, err_msg=k)
        else:
            assert (np.asarray(x) == np.asarray(y)).all(), k


def _worker(run, sleep=0.0):
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), CUDA_VISIBLE_DEVICES="")
    cmd = [sys.executable, str(REPO_ROOT / "tests" / "_kill_worker.py"), "--run-dir", str(run),
           "--sleep", str(sleep)]
    return subprocess.Popen(cmd, cwd=str(REPO_ROOT), env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


@pytest.mark.large
def test_sigkill_at_random_step_then_restart_equals_uninterrupted(tmp_path):
    kill_at = random.Random().randint(2, TOTAL - 2)
    killed = tmp_path / "killed"
    proc = _worker(killed, sleep=1.0)
    deadline = time.monotonic() + 120
    try:
        while True:
            latest = _latest(killed)
            if latest is not None and step_of(str(latest)) >= kill_at:
                break
            assert proc.poll() is None, f"worker ended before step {kill_at}: {proc.stdout.read()}"
            assert time.monotonic() < deadline, "no checkpoint in time"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)  # this test's own child, by pid
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert not (killed / "DONE.json").exists(), f"not interrupted (kill_at={kill_at})"
    stopped_at = step_of(str(_latest(killed)))
    assert kill_at <= stopped_at < TOTAL

    resumed = _worker(killed)
    out, _ = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, out
    assert f"KW_DONE step={TOTAL}" in out, out

    full = tmp_path / "full"
    result = train(tiny_config("dcgan", OVER), str(full))  # uninterrupted, in this process
    assert result.step == TOTAL
    assert_same_checkpoint(_latest(killed), _latest(full))


class NaNAtStep(Regularizer):
    """Test-only regularizer: its D term is 0 until the D optimizer has made `step` updates,
    then NaN (the NaN reaches the D loss and the weights at step `step` + 1)."""
    name = "nan_at"

    def __init__(self, step: int = 3):
        self.step = step

    def discriminator_term(self, model, batch, fake, outputs):
        it = tf.cast(model.d_optimizer.iterations, tf.float32)
        return tf.where(it >= self.step, tf.constant(float("nan")), tf.constant(0.0))


if "nan_at" not in REGULARIZERS.names():
    REGULARIZERS.register("nan_at", NaNAtStep)


@pytest.mark.parametrize("spe", [1, 2])
def test_nan_loss_stops_with_one_line_error_and_keeps_good_checkpoint(tmp_path, spe):
    cfg = tiny_config("dcgan", {"model": {"regularizers": [{"name": "nan_at", "step": 4}]},
                                "train": {"epochs": 3, "steps_per_epoch": 4, "checkpoint_every": 1,
                                          "keep_checkpoints": 10, "steps_per_execution": spe}})
    with pytest.raises(TrainingFailed) as info:
        train(cfg, str(tmp_path))
    assert isinstance(info.value, UserError)
    message = str(info.value)
    assert "\n" not in message and "non-finite loss at step" in message and "d_loss" in message
    assert "ckpt-4" in message
    # every good step was saved (steps_per_execution=2: at the end of each execution)
    assert _steps(tmp_path) == list(range(spe, 5, spe))
    assert not (tmp_path / "DONE.json").exists()
    _, _, model = load_run(str(tmp_path))
    assert all(np.all(np.isfinite(v.numpy())) for v in model.variables)
    assert int(model.d_optimizer.iterations.numpy()) == 4


def test_checkpoint_every_with_steps_per_execution(tmp_path):
    cfg = tiny_config("dcgan", {"train": {"epochs": 2, "steps_per_epoch": 6, "checkpoint_every": 4,
                                          "keep_checkpoints": 10, "steps_per_execution": 3}})
    result = train(cfg, str(tmp_path))
    assert result.step == 12
    # executions end at 3, 6, 9, 12: multiples of 4 are crossed at 6 (4) and 9 (8); 6 and 12
    # are epoch ends
    assert _steps(tmp_path) == [6, 9, 12]
