"""Malformed configs and CLI calls: one-line error, exit code 2, nothing lost in a run dir."""
import os
import subprocess
import sys

import pytest

from tests.testing import tiny_config
from tfgan_zoo.cli import main
from tfgan_zoo.config import load_config
from tfgan_zoo.errors import ConfigError

GOOD = """
family: dcgan
data: {name: digits, image_size: 8, batch_size: 16}
model: {latent_dim: 8}
generator: {base_filters: 8}
discriminator: {base_filters: 8}
train: {epochs: 1, steps_per_epoch: 2, sample_every: 1, verbose: 0, grid_size: 2}
"""

BAD_CONFIGS = [
    ("family: dcgn\n", "did you mean 'dcgan'"),
    ("train: {epoks: 3}\n", "train.epoks: unknown key (did you mean 'epochs'"),
    ("data: {batch_sise: 3}\n", "data.batch_sise: unknown key (did you mean 'batch_size'"),
    ("data: {batch_size: big}\n", "data.batch_size: expected int"),
    ("data: {batch_size: 0}\n", "data.batch_size: 0 must be > 0"),
    ("data: {channels: 2}\n", "must be 0, 1 or 3"),
    ("train: {precision: float8}\n", "train.precision"),
    ("data: [1, 2\n", "malformed YAML at line"),
    ("- a\n- b\n", "top level must be a mapping"),
    ("trian: {epochs: 1}\n", "trian: unknown section (did you mean 'train'"),
    ("model: {latnt_dim: 3}\n", "model.latnt_dim: unknown key (did you mean 'latent_dim'"),
    ("model: {n_critic: 0}\n", "n_critic 0 must be >= 1"),
    ("model: {loss: hinj}\n", "unknown loss 'hinj'"),
    ("generator: {name: dcgan_generatr}\n", "did you mean 'dcgan_generator'"),
    ("generator: {base_filter: 8}\n", "generator.base_filter: unknown parameter"),
    ("discriminator: {base_filters: 1.5}\n", "discriminator.base_filters: expected int"),
    ("train: {epochs: true}\n", "train.epochs: expected int"),
]


@pytest.mark.parametrize("text,message", BAD_CONFIGS)
def test_bad_config_gives_one_line_error(tmp_path, capsys, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_config(str(path))
    assert message in str(err.value)
    assert str(path) in str(err.value) and "\n" not in str(err.value)
    code = main(["train", str(path), "--run-dir", str(tmp_path / "run")])
    lines = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and message in lines[0]
    assert not (tmp_path / "run").exists()


def _err(capsys):
    return capsys.readouterr().err.strip().splitlines()


def test_cli_errors(tmp_path, capsys):
    good = tmp_path / "good.yaml"
    good.write_text(GOOD)
    cases = [
        (["train", str(tmp_path / "missing.yaml")], "config file not found"),
        (["train", str(good), "--set", "train.epochs"], "expected section.key=value"),
        (["train", str(good), "--set", "train.epochs=many"], "train.epochs: expected int"),
        (["train", str(good), "--set", "data.name=folder:/no/such/dir",
          "--run-dir", str(tmp_path / "r1")], "/no/such/dir"),
        (["train", str(good), "--set", "data.name=tfds_mnist"], "unknown dataset"),
        (["sample", str(tmp_path)], "not an export"),
        (["export", str(tmp_path)], "not a run directory"),
        (["sample", str(tmp_path), "--num", "0"], "--num must be > 0"),
        (["evolve", "x"], "invalid choice"),
    ]
    for argv, message in cases:
        code = run_cli(argv)
        lines = _err(capsys)
        assert code == 2, (argv, lines)
        assert len(lines) == 1 and message in lines[0], (argv, lines)
    assert not (tmp_path / "r1").exists()


def run_cli(argv):
    try:
        return main(argv)
    except SystemExit as e:  # argparse errors
        return e.code


def test_wrong_image_shape_is_a_clear_error(tmp_path, capsys):
    good = tmp_path / "good.yaml"
    good.write_text(GOOD)
    code = main(["train", str(good), "--set", "data.image_size=12", "--run-dir", str(tmp_path / "r")])
    lines = _err(capsys)
    assert code == 2 and len(lines) == 1 and "power of two" in lines[0]


def test_existing_run_survives_bad_input(tmp_path, capsys):
    good = tmp_path / "good.yaml"
    good.write_text(GOOD)
    run = tmp_path / "run"
    assert main(["train", str(good), "--run-dir", str(run)]) == 0
    capsys.readouterr()
    files = sorted(os.listdir(run))
    ckpts = sorted(os.listdir(run / "checkpoints"))
    assert "DONE.json" in files and os.listdir(run / "samples")
    for argv in (["train", str(good), "--run-dir", str(run)],  # finished, no --overwrite
                 ["train", str(good), "--run-dir", str(run), "--set", "data.name=folder:/nope",
                  "--overwrite"],
                 ["train", str(good), "--run-dir", str(run), "--set", "data.image_size=12",
                  "--overwrite"]):
        assert main(argv) == 2
        assert len(_err(capsys)) == 1
        assert sorted(os.listdir(run)) == files and sorted(os.listdir(run / "checkpoints")) == ckpts


def test_process_exit_code_and_no_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("family: dcgn\n")
    out = subprocess.run([sys.executable, "-m", "tfgan_zoo.cli", "train", str(bad)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert out.stderr.strip().splitlines()[-1].startswith("tfgan-zoo: error:")


def test_tiny_config_helper_is_valid():
    assert tiny_config("dcgan").data.image_size == 8
