"""Helpers of the CLI tests: a tiny config, calling `main()`, stderr lines, a fingerprint of a
directory (to prove a failing command left it untouched) and a read-only directory."""
import contextlib
import hashlib
import os
import shutil
import subprocess

import pytest

from tfgan_zoo.cli import main

#: 2 epochs of 3 steps, a grid per epoch, exports of at most 16 samples a call
GOOD = """
family: dcgan
data: {name: digits, image_size: 8, batch_size: 16}
model: {latent_dim: 8}
generator: {base_filters: 8}
discriminator: {base_filters: 8}
train: {epochs: 2, steps_per_epoch: 3, sample_every: 1, verbose: 0, grid_size: 2}
export: {max_batch: 16}
"""


def run_cli(argv):
    """main(argv) as a process would end: its return value, or argparse's exit code."""
    try:
        return main([str(a) for a in argv])
    except SystemExit as e:
        return e.code


def err_lines(capsys):
    return capsys.readouterr().err.strip().splitlines()


def fingerprint(path):
    """{relative path: sha1} of every file below `path` (and the set of directories)."""
    out = {}
    for root, dirs, files in os.walk(path):
        for d in dirs:
            out[os.path.relpath(os.path.join(root, d), path) + "/"] = "dir"
        for f in files:
            with open(os.path.join(root, f), "rb") as fh:
                out[os.path.relpath(os.path.join(root, f), path)] = hashlib.sha1(fh.read()).hexdigest()
    return out


def train_run(path, config_path, *sets):
    """Train the config into `path` through the CLI; the run directory."""
    argv = ["train", config_path, "--run-dir", path]
    for s in sets:
        argv += ["--set", s]
    assert run_cli(argv) == 0
    return path


@contextlib.contextmanager
def read_only(path):
    """`path` (a directory) read-only for this process: chmod, or as root (whom permissions do
    not stop) the immutable attribute. Skips the test where neither holds."""
    path = str(path)
    if os.geteuid() == 0:
        if not shutil.which("chattr") or subprocess.run(["chattr", "+i", path],
                                                        capture_output=True).returncode:
            pytest.skip("a read-only directory as root needs chattr on this filesystem")
        undo = lambda: subprocess.run(["chattr", "-i", path], check=True)  # noqa: E731
    else:
        mode = os.stat(path).st_mode
        os.chmod(path, 0o555)
        undo = lambda: os.chmod(path, mode)  # noqa: E731
    try:
        probe = os.path.join(path, ".probe")
        try:
            open(probe, "w").close()
            os.remove(probe)
            undo()
            pytest.skip(f"cannot make {path} read-only here")
        except OSError:
            pass
        yield path
    finally:
        undo()
