"""Faults survived through the CLI (issue 17): a truncated latest checkpoint, diverged and NaN
runs, a kill or Ctrl-C at an epoch boundary and mid-epoch, read-only directories, --overwrite
failing early, steps_per_execution that does not divide an epoch; and what a run leaves:
history.csv rows, sample grids and TensorBoard scalars."""
import csv
import glob
import json
import os
import shutil
import signal
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf

import tests.test_scale_fault  # noqa: F401  (registers the test regularizer "nan_at")
from tests._mw_launch import REPO_ROOT
from tests.clitools import GOOD, err_lines, fingerprint, read_only, run_cli, train_run
from tests.test_scale_fault import assert_same_checkpoint
from tfgan_zoo import callbacks
from tfgan_zoo.train import load_run


@pytest.fixture(scope="module")
def ref(tmp_path_factory):
    """The uninterrupted run of GOOD (2 epochs of 3 steps) and its config file."""
    root = tmp_path_factory.mktemp("faults")
    good = root / "good.yaml"
    good.write_text(GOOD)
    return {"good": str(good), "run": train_run(str(root / "ref"), str(good))}


def rows(run):
    with open(os.path.join(run, "history.csv"), newline="") as fh:
        return list(csv.DictReader(fh))


def assert_history_like(run, reference):
    """Every epoch's row (whole-epoch means equal to the uninterrupted run's) and grid."""
    got, want = rows(run), rows(reference)
    assert [r["epoch"] for r in got] == [r["epoch"] for r in want] == ["1", "2"]
    for a, b in zip(got, want):
        assert a.keys() == b.keys() and a["steps"] == b["steps"] == "3"
        for key in ("d_loss", "g_loss"):
            assert float(a[key]) == pytest.approx(float(b[key]), rel=1e-5), (a, b)
    assert sorted(os.listdir(os.path.join(run, "samples"))) == ["epoch_0001.png", "epoch_0002.png"]


def steps(run):
    return sorted(int(p.split("-")[-1][:-6]) for p in glob.glob(os.path.join(run, "checkpoints",
                                                                              "ckpt-*.index")))


def test_history_format_and_tensorboard_scalars(ref):
    run = ref["run"]
    header = open(os.path.join(run, "history.csv")).readline().strip().split(",")
    assert header[:3] == ["epoch", "step", "steps"] and not any(h.startswith("val_") for h in header)
    assert [(r["epoch"], r["step"]) for r in rows(run)] == [("1", "3"), ("2", "6")]
    scalars = {}
    for path in glob.glob(os.path.join(run, "logs", "train", "events.*")):
        for event in tf.compat.v1.train.summary_iterator(path):
            for value in event.summary.value:
                scalars.setdefault(value.tag, []).append(event.step)
    for tag in ("epoch_d_loss", "epoch_g_loss", "epoch_learning_rate_d", "epoch_learning_rate_g"):
        assert scalars.get(tag) == [1, 2], scalars


# ------------------------------------------------------------------ kill / Ctrl-C

def _interrupt(monkeypatch, cls, when):
    original = cls.on_epoch_end

    def on_epoch_end(self, epoch, logs=None):
        original(self, epoch, logs)
        if int(self.model.step.numpy()) == when:
            raise KeyboardInterrupt

    monkeypatch.setattr(cls, "on_epoch_end", on_epoch_end)


@pytest.mark.parametrize("point", [callbacks.EpochHistory, callbacks.SampleGrid,
                                   callbacks.CheckpointEvery],
                         ids=["after_row", "after_grid", "after_checkpoint"])
def test_ctrl_c_at_an_epoch_boundary_loses_no_row_or_grid(ref, tmp_path, monkeypatch, capsys,
                                                          point):
    run = str(tmp_path / "run")
    with monkeypatch.context() as m:
        _interrupt(m, point, when=3)
        assert run_cli(["train", ref["good"], "--run-dir", run]) == 130
    assert "interrupted" in err_lines(capsys)[-1]
    assert steps(run) == ([3] if point is callbacks.CheckpointEvery else [])
    assert run_cli(["train", run]) == 0
    assert_history_like(run, ref["run"])
    assert_same_checkpoint(os.path.join(run, "checkpoints", "ckpt-6"),
                           os.path.join(ref["run"], "checkpoints", "ckpt-6"))


def test_ctrl_c_mid_epoch_resumed_row_averages_the_whole_epoch(ref, tmp_path, monkeypatch):
    run = str(tmp_path / "run")
    original = callbacks.CheckpointEvery.on_train_batch_end

    def on_train_batch_end(self, batch, logs=None):
        original(self, batch, logs)
        if self.step == 4:  # just after ckpt-4, a third into epoch 2
            raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(callbacks.CheckpointEvery, "on_train_batch_end", on_train_batch_end)
        assert run_cli(["train", ref["good"], "--run-dir", run, "--set",
                        "train.checkpoint_every=1"]) == 130
    assert steps(run)[-1] == 4
    assert run_cli(["train", run]) == 0
    assert_history_like(run, ref["run"])  # row 2: steps 4 (before) + 5, 6 (after the resume)


@pytest.mark.large
def test_sigkill_after_an_epoch_end_checkpoint(ref, tmp_path):
    """A real kill -9 at the last thing an epoch end does: nothing of that epoch is lost."""
    run = str(tmp_path / "run")
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), CUDA_VISIBLE_DEVICES="")
    proc = subprocess.run([sys.executable, str(REPO_ROOT / "tests" / "_kill_worker.py"),
                           "--run-dir", run, "--config", ref["good"],
                           "--kill-after-checkpoint", "3"],
                          cwd=str(REPO_ROOT), env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    assert steps(run) == [3] and [r["epoch"] for r in rows(run)] == ["1"]
    assert run_cli(["train", run]) == 0
    assert_history_like(run, ref["run"])


# ------------------------------------------------------------------ checkpoints

def test_truncated_latest_checkpoint_every_command_falls_back(ref, tmp_path, capsys):
    run = str(tmp_path / "run")
    shutil.copytree(ref["run"], run)
    data = glob.glob(os.path.join(run, "checkpoints", "ckpt-6.data-*"))[0]
    with open(data, "r+b") as fh:
        fh.truncate(64)
    warning = f"tfgan-zoo: warning: {run}/checkpoints/ckpt-6 is unreadable"
    for argv in (["sample", run, "--num", "4", "--out", tmp_path / "s.png"],
                 ["export", run, "--out-dir", tmp_path / "exports"],
                 ["evaluate", run, "--real", "digits", "--extractor", "digits", "--metrics",
                  "fid", "--num-samples", "20", "--no-cache"],
                 ["train", run, "--set", "train.epochs=3"]):  # resumes from ckpt-3
        assert run_cli(argv) == 0, argv
        lines = err_lines(capsys)
        assert len(lines) == 1 and lines[0].startswith(warning), (argv, lines)
    assert [r["epoch"] for r in rows(run)] == ["1", "2", "3"] and steps(run) == [6, 9]
    for index in glob.glob(os.path.join(run, "checkpoints", "*.index")):
        with open(index, "r+b") as fh:
            fh.truncate(10)
    before = fingerprint(run)
    assert run_cli(["sample", run, "--out", tmp_path / "t.png"]) == 2
    lines = [x for x in err_lines(capsys) if "warning" not in x]
    assert len(lines) == 1 and f"no checkpoint in {run}/checkpoints restores" in lines[0]
    assert fingerprint(run) == before


def test_diverged_weights_are_never_checkpointed(ref, tmp_path, capsys):
    """A resume may raise the learning rates; at 1e12 the update explodes the weights while the
    loss it was computed from is finite: no checkpoint of it is written."""
    run = str(tmp_path / "run")
    shutil.copytree(ref["run"], run)
    code = run_cli(["train", run, "--set", "train.g_learning_rate=1e12", "--set",
                    "train.d_learning_rate=1e12", "--set", "train.epochs=4", "--set",
                    "train.checkpoint_every=1"])
    lines = err_lines(capsys)
    assert code == 2 and len(lines) == 1, lines
    assert "diverged at step 7: weight" in lines[0] and "> train.max_weight 1e+06" in lines[0]
    assert lines[0].endswith("last good checkpoint kept: " + os.path.join(run, "checkpoints", "ckpt-6"))
    assert steps(run) == [3, 6]
    _, _, model = load_run(run)
    assert np.all(np.isfinite(model.sample(16, 0)))
    assert run_cli(["train", run, "--set", "train.g_learning_rate=1e-4", "--set",  # it goes on
                    "train.d_learning_rate=1e-4", "--set", "train.epochs=3"]) == 0
    with open(os.path.join(run, "config_history.jsonl")) as fh:
        changes = [json.loads(line) for line in fh]
    assert [c["step"] for c in changes] == [6, 6]
    assert changes[0]["changed"]["train.g_learning_rate"] == [0.0002, 1e12]
    assert changes[1]["changed"]["train.g_learning_rate"] == [1e12, 1e-4]
    assert steps(run)[-1] == 9


def test_nan_run_keeps_a_checkpoint_that_samples_finite_images(ref, tmp_path, capsys):
    run = str(tmp_path / "run")
    code = run_cli(["train", ref["good"], "--run-dir", run, "--set",
                    "model.regularizers=[{name: nan_at, step: 4}]", "--set",
                    "train.checkpoint_every=1"])
    lines = err_lines(capsys)
    assert code == 2 and len(lines) == 1 and "non-finite loss at step 5 (d_loss" in lines[0]
    assert steps(run)[-1] == 4
    _, _, model = load_run(run)
    assert all(np.all(np.isfinite(v.numpy())) for v in model.variables)
    assert np.all(np.isfinite(model.sample(16, 0)))


def test_overwrite_keeps_the_old_run_until_the_new_one_has_a_checkpoint(ref, tmp_path, capsys):
    run = str(tmp_path / "run")
    shutil.copytree(ref["run"], run)
    before = fingerprint(run)
    code = run_cli(["train", ref["good"], "--run-dir", run, "--overwrite", "--set",
                    "model.regularizers=[{name: nan_at, step: 0}]"])  # NaN at the first step
    assert code == 2 and "non-finite loss at step 1" in err_lines(capsys)[0]
    assert fingerprint(run) == before and os.listdir(tmp_path) == ["run"]
    assert run_cli(["train", ref["good"], "--run-dir", run, "--overwrite"]) == 0
    assert os.listdir(tmp_path) == ["run"] and steps(run) == [3, 6]


# ------------------------------------------------------------------ filesystem

def test_checkpoints_directory_read_only_mid_run(ref, tmp_path, monkeypatch, capsys):
    run = str(tmp_path / "run")
    ckpts = os.path.join(run, "checkpoints")
    original = callbacks.SampleGrid.on_epoch_end
    with monkeypatch.context() as m, pytest.MonkeyPatch.context():
        stack = []

        def on_epoch_end(self, epoch, logs=None):  # just before epoch 2's checkpoint
            original(self, epoch, logs)
            if int(self.model.step.numpy()) == 6:
                stack.append(read_only(ckpts))
                stack[-1].__enter__()

        m.setattr(callbacks.SampleGrid, "on_epoch_end", on_epoch_end)
        try:
            code = run_cli(["train", ref["good"], "--run-dir", run])
            lines = err_lines(capsys)
            kept = fingerprint(ckpts)
        finally:
            for ctx in stack:
                ctx.__exit__(None, None, None)
    assert code == 2 and len(lines) == 1, lines
    assert f"cannot write checkpoint {ckpts}" in lines[0]
    assert lines[0].endswith(f"last good checkpoint kept: {ckpts}/ckpt-3")
    assert steps(run) == [3] and kept == fingerprint(ckpts)
    assert run_cli(["train", run]) == 0 and steps(run) == [3, 6]


def test_export_into_a_read_only_directory(ref, tmp_path, capsys):
    out = tmp_path / "exports"
    out.mkdir()
    with read_only(out):
        assert run_cli(["export", ref["run"], "--out-dir", out]) == 2
        lines = err_lines(capsys)
    assert len(lines) == 1 and f"cannot write an export into {out}/dcgan_digits" in lines[0]
    assert os.listdir(out) == []


def test_evaluate_results_survive_an_unwritable_out(ref, tmp_path, capsys):
    out = tmp_path / "results"
    out.mkdir()
    with read_only(out):
        code = run_cli(["evaluate", ref["run"], "--real", "digits", "--extractor", "digits",
                        "--metrics", "fid", "--num-samples", "20", "--no-cache", "--out",
                        out / "r.json"])
        lines = err_lines(capsys)
    assert code == 2 and len(lines) == 1 and f"cannot write {out}/r.json" in lines[0], lines
    kept = lines[0].split("the results are in ")[1]
    with open(kept) as fh:
        assert np.isfinite(json.load(fh)["metrics"]["fid"]["value"])
    os.remove(kept)


def test_default_export_goes_into_the_run_not_the_catalogue(ref, tmp_path, monkeypatch):
    run = str(tmp_path / "run")
    shutil.copytree(ref["run"], run)
    monkeypatch.chdir(REPO_ROOT)
    catalogue = sorted(os.listdir(REPO_ROOT / "exports"))
    assert run_cli(["export", run, "--name", "dcgan_digits"]) == 0
    assert os.path.isfile(os.path.join(run, "exports", "dcgan_digits", "1", "saved_model.pb"))
    assert sorted(os.listdir(REPO_ROOT / "exports")) == catalogue


# ------------------------------------------------------------------ training exactly what is asked

def test_steps_per_execution_trains_exactly_the_steps_asked(ref, tmp_path):
    """3 steps an epoch, 2 per execution: each epoch is one execution of 2 and one of 1 (Keras
    alone ran 4 an epoch); 6 steps, the uninterrupted run's weights and rows. 50 per
    execution, more than an epoch has: the 3 steps one by one (Keras alone ran 50)."""
    once = train_run(str(tmp_path / "once"), ref["good"], "train.steps_per_execution=50",
                     "train.epochs=1")
    with open(os.path.join(once, "DONE.json")) as fh:
        assert json.load(fh)["step"] == 3
    run = train_run(str(tmp_path / "run"), ref["good"], "train.steps_per_execution=2")
    with open(os.path.join(run, "DONE.json")) as fh:
        assert json.load(fh)["step"] == 6
    assert steps(run) == [3, 6]
    assert_same_checkpoint(os.path.join(run, "checkpoints", "ckpt-6"),
                           os.path.join(ref["run"], "checkpoints", "ckpt-6"))
    assert_history_like(run, ref["run"])


# ------------------------------------------------------------------ sampling and exports

def test_sample_draws_in_batches_and_writes_what_the_name_says(ref, tmp_path):
    """--num beyond the export's max_batch (16) is drawn in batches; a run and its export give
    the same picture; .jpg is JPEG."""
    exports = tmp_path / "exports"
    assert run_cli(["export", ref["run"], "--out-dir", exports]) == 0
    export = exports / "dcgan_digits"
    for target, out in ((ref["run"], "run.png"), (export, "export.png"), (export, "e.jpg")):
        assert run_cli(["sample", target, "--num", "40", "--seed", "3", "--out", tmp_path / out]) == 0
    a = tf.io.decode_png(tf.io.read_file(str(tmp_path / "run.png"))).numpy()
    b = tf.io.decode_png(tf.io.read_file(str(tmp_path / "export.png"))).numpy()
    assert a.shape == b.shape and np.abs(a.astype(int) - b.astype(int)).max() <= 1
    assert (tmp_path / "e.jpg").read_bytes()[:3] == b"\xff\xd8\xff"
    loaded = tf.saved_model.load(str(export / "1"))
    with pytest.raises(tf.errors.InvalidArgumentError, match="latents must be finite"):
        loaded.signatures["generate"](latents=tf.fill([2, 8], float("nan")))
    with pytest.raises(tf.errors.InvalidArgumentError, match="latents must be finite"):
        loaded.signatures["generate"](latents=tf.fill([2, 8], float("inf")))


def test_translate_signature_declares_its_concrete_shape(tmp_path):
    """The signature def saved_model_cli shows (saved_model.pb): (-1, H, W, C), not -1s.
    (The shipped exports/pix2pix_edges2photos predates this and still shows (-1, -1, -1, 1).)"""
    from tensorflow.core.protobuf import saved_model_pb2

    from tests.testing import build, tiny_config
    from tfgan_zoo.export import export_model
    _, _, model = build(tiny_config("pix2pix"))
    path = export_model(model, str(tmp_path / "p2p"), {"family": "pix2pix"})
    proto = saved_model_pb2.SavedModel()
    with open(os.path.join(path, "saved_model.pb"), "rb") as fh:
        proto.ParseFromString(fh.read())
    dims = proto.meta_graphs[0].signature_def["translate"].inputs["images"].tensor_shape.dim
    height, width, channels = (int(d) for d in model.export_generator().inputs[0].shape[1:])
    assert [d.size for d in dims] == [-1, height, width, channels] and height > 0
