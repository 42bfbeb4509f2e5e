"""Malformed configs and CLI calls: one-line error, exit code 2, nothing lost in a run dir.

Each case runs `tfgan-zoo` through `main()` and asserts exit code 2, exactly one stderr line
naming the problem, and that the trained run directory of the module is byte-for-byte what it
was. Cases that need memory estimates set TFGAN_ZOO_MEMORY_LIMIT, so they do not depend on
the machine.
"""
import os
import shutil
import subprocess
import sys
import time

import pytest

from tests.clitools import GOOD, err_lines, fingerprint, run_cli, train_run
from tests.testing import tiny_config
from tfgan_zoo.cli import build_parser, main
from tfgan_zoo.config import load_config
from tfgan_zoo.errors import ConfigError
from tfgan_zoo.registry import FAMILIES

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
    # issue 17: duplicate keys, learning rates, numbers, sections
    ("family: dcgan\nfamily: wgan\n", "duplicate key 'family' (first at line 1)"),
    ("train: {epochs: 1, epochs: 2}\n", "duplicate key 'epochs'"),
    ("train: {g_learning_rate: .inf}\n", "train.g_learning_rate: inf must be a finite number"),
    ("train: {d_learning_rate: .nan}\n", "train.d_learning_rate: nan must be a finite number"),
    ("train: {g_learning_rate: -2e-4}\n", "train.g_learning_rate: -0.0002 must be > 0"),
    ("train: {optimizers: {g: {learning_rate: .inf}}}\n", "learning_rate: inf must be a number > 0"),
    ("train: {optimizers: {g: {learning_rate: fast}}}\n", "'fast' must be a number > 0"),
    ("train: {optimizers: {g: {lr: 1e-4}}}\n", "optimizers.g.lr: unknown key (valid: beta_1"),
    ("train: {optimizers: {q: {learning_rate: 1e-4}}}\n", "has no optimizer 'q'"),
    ("train: {optimizers: {g: {optimizer: adamw}}}\n", "'adamw' must be one of"),
    ("train: {epochs: 2.5}\n", "train.epochs: expected int, got 2.5"),
    ("train: {steps_per_execution: 0}\n", "train.steps_per_execution: 0 must be > 0"),
    ("train: {max_weight: -1}\n", "train.max_weight: -1.0 must be >= 0"),
    ("train: {beta_1: 1.0}\n", "train.beta_1: 1.0 must be in [0, 1)"),
    ("train: {grid_size: 0}\n", "train.grid_size: 0 must be > 0"),
    ("export: {version: 0}\n", "export.version: 0 must be > 0"),
    ("export: {max_batch: -4}\n", "export.max_batch: -4 must be > 0"),
    ("family: 3\n", "family: expected a string, got 3"),
    ("famliy: dcgan\n", "famliy: unknown section (did you mean 'family'"),
    ("dat: {name: digits}\n", "dat: unknown section (did you mean 'data'"),
    ("train: 5\n", "train: expected a mapping, got int"),
    ("generator: [1]\n", "generator: expected a mapping, got list"),
    ("train:\n\tepochs: 1\n", "malformed YAML at line 2"),
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


def test_numbers_as_yaml_reads_them(tmp_path):
    """YAML 1.1 reads 2e-4 and 1e3 as strings: numeric fields accept them."""
    path = tmp_path / "c.yaml"
    path.write_text("train: {g_learning_rate: 2e-4, epochs: 1e1, optimizers: {d: {learning_rate: "
                    "3E-5}}}\ndata: {image_size: '16'}\n")
    cfg = load_config(str(path))
    assert cfg.train.g_learning_rate == 2e-4 and cfg.train.epochs == 10
    assert cfg.train.optimizers["d"]["learning_rate"] == 3e-5 and cfg.data.image_size == 16


def test_set_into_an_empty_section(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("family: dcgan\ntrain:\n")
    assert load_config(str(path), overrides=["train.epochs=3"]).train.epochs == 3


def test_no_role_reads_as_a_misspelt_base_section():
    """config.precheck refuses a top-level key close to a base section before the family is
    imported; no family's role may be that close. (That the family names are known before
    TensorFlow is imported is tests/test_registry.py's.)"""
    sections = ("family", "data", "model", "train", "export")
    import difflib
    for name in FAMILIES.names():
        for role in FAMILIES.get(name).roles:
            assert not difflib.get_close_matches(role, sections, cutoff=0.8), (name, role)


# ------------------------------------------------------------------ the CLI on a trained run

@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A trained run, an export of it, and what the cases point at."""
    root = tmp_path_factory.mktemp("cli")
    good = root / "good.yaml"
    good.write_text(GOOD)
    run = train_run(str(root / "run"), str(good))
    assert run_cli(["export", run, "--out-dir", root / "exports"]) == 0
    for name, drop in (("noinfo", "data_info.json"), ("nockpt", "checkpoints")):
        shutil.copytree(run, root / name)
        path = root / name / drop
        shutil.rmtree(path) if path.is_dir() else os.remove(path)
    (root / "afile").write_text("x")
    (root / "empty").mkdir()
    (root / "emptytrain.yaml").write_text(GOOD.split("train:")[0] + "train:\n")
    return {"root": str(root), "good": str(good), "run": run, "afile": str(root / "afile"),
            "empty": str(root / "empty"), "exports": str(root / "exports"),
            "export": str(root / "exports" / "dcgan_digits"), "noinfo": str(root / "noinfo"),
            "nockpt": str(root / "nockpt"), "missing": str(root / "missing")}


S = "--set"
CLI_CASES = [
    # arguments and paths
    (["evolve", "x"], "invalid choice"),
    (["list", "bogus"], "invalid choice"),
    (["train", "{missing}.yaml"], "config file not found"),
    (["train", "{good}", S, "train.epochs"], "expected section.key=value"),
    (["train", "{good}", S, "train.epochs=many"], "train.epochs: expected int"),
    (["train", "{good}", S, "data.name=folder:/no/such/dir", "--run-dir", "{root}/r1"], "/no/such/dir"),
    (["train", "{good}", S, "data.name=tfds_mnist"], "unknown dataset"),
    (["train", "{good}", S, "data.image_size=12", "--run-dir", "{root}/r1"], "power of two"),
    (["train", "{good}", "--run-dir", "{afile}"], "is a file, not a directory"),
    (["train", "{empty}"], "is a directory without config.yaml"),
    (["train", "{good}", S, "data.batch_size=5000", "--run-dir", "{root}/r1"],
     "data.batch_size 5000 is larger than the dataset (1797 examples"),
    # resuming the trained run
    (["train", "{run}"], "is a finished run (6 steps)"),
    (["train", "{run}", S, "model.latent_dim=4"], "different config (model.latent_dim: 8 -> 4)"),
    (["train", "{good}", "--run-dir", "{run}", S, "train.seed=3"],
     "different config (train.seed: 0 -> 3)"),
    (["train", "{good}", "--run-dir", "{run}", S, "train.optimizer=sgd", S, "train.epochs=3"],
     "different config (train.optimizer: 'adam' -> 'sgd')"),
    (["train", "{good}", "--run-dir", "{run}", S, "train.steps_per_epoch=4"],
     "different config (train.steps_per_epoch: 3 -> 4)"),
    # sizes (TFGAN_ZOO_MEMORY_LIMIT=256M)
    (["train", "{good}", S, "data.image_size=4096", "--run-dir", "{root}/r1"],
     "resizing the digits to image_size 4096 needs at least"),
    (["train", "{good}", S, "data.image_size=64", S, "data.batch_size=1024", "--run-dir",
      "{root}/r1"], "a train step at batch 1024"),
    (["train", "{good}", S, "train.grid_size=1000", "--run-dir", "{root}/r1"],
     "a sample grid of 1000000 images (train.grid_size) needs at least"),
    (["sample", "{run}", "--num", "1e9"], "a picture of 1000000000 samples needs at least"),
    (["evaluate", "{run}", "--real", "digits", "--extractor", "digits", "--num-samples", "1e8"],
     "keeping the 192-d features of 100000000 generated images"),
    # sample
    (["sample", "{run}", "--num", "0"], "argument --num: 0 must be at least 1"),
    (["sample", "{run}", "--num", "-5"], "argument --num: -5 must be at least 1"),
    (["sample", "{run}", "--num", "2.5"], "expected a whole number, got '2.5'"),
    (["sample", "{run}", "--num", "3000000000"], "3000000000 is too large"),
    (["sample", "{missing}"], "missing does not exist"),
    (["sample", "{empty}"], "is neither a run directory (no config.yaml) nor an export"),
    (["sample", "{run}", "--out", "{root}"], "is a directory; give a file name"),
    (["sample", "{run}", "--out", "{root}/x.gif"], "end the name with .png, .jpg or .jpeg"),
    (["sample", "{run}", "--out", "{afile}/x.png"], "is a file, not a directory"),
    (["sample", "{export}", "--out", "{root}"], "is a directory; give a file name"),
    (["sample", "{noinfo}", "--out", "{root}/n.png"], "has no data_info.json"),
    (["sample", "{nockpt}", "--out", "{root}/n.png"], "has no checkpoint yet"),
    # export
    (["export", "{run}", "--version", "0"], "argument --version: 0 must be at least 1"),
    (["export", "{run}", "--version", "-1"], "argument --version: -1 must be at least 1"),
    (["export", "{run}", "--name", "../../x"], "an export name is one directory name"),
    (["export", "{run}", "--name", "a/b"], "an export name is one directory name"),
    (["export", "{empty}"], "is not a run directory (no config.yaml)"),
    (["export", "{noinfo}"], "has no data_info.json"),
    (["export", "{nockpt}"], "has no checkpoint yet"),
    (["export", "{run}", "--out-dir", "{afile}"], "cannot write an export into"),
    (["export", "{run}", "--out-dir", "{exports}"], "exists; pass --overwrite or another --version"),
    # evaluate
    (["evaluate", "{run}", "--real", "digits", "--batch-size", "0"], "--batch-size: 0 must be at least 1"),
    (["evaluate", "{run}", "--real", "digits", "--out", "{root}"], "is a directory; give a file name"),
    (["evaluate", "{missing}", "--real", "digits", "--extractor", "digits"], "does not exist"),
    (["evaluate", "{run}", "--real", "digits", "--metrics", "fidd", "--extractor", "digits"],
     "unknown metric 'fidd'"),
    (["evaluate", "{run}"], "the following arguments are required: --real"),
]


@pytest.mark.parametrize("argv,message", CLI_CASES, ids=lambda v: " ".join(v)[:60] if isinstance(v, list) else None)
def test_cli_error(world, capsys, monkeypatch, argv, message):
    monkeypatch.setenv("TFGAN_ZOO_MEMORY_LIMIT", "256M")
    before = fingerprint(world["run"])
    code = run_cli([a.format(**world) for a in argv])
    lines = err_lines(capsys)
    assert code == 2, lines
    assert len(lines) == 1 and message in lines[0], lines
    assert fingerprint(world["run"]) == before
    assert not os.path.exists(os.path.join(world["root"], "r1"))


def test_no_arguments_prints_usage(capsys):
    assert run_cli([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: tfgan-zoo") and "a command is required" in err


def test_every_option_has_help():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # noqa: SLF001
    assert set(commands) == {"train", "sample", "export", "evaluate", "list"}
    for name, sub in commands.items():
        for action in sub._actions:  # noqa: SLF001
            assert action.help, f"tfgan-zoo {name} {action.dest} has no help"


def test_existing_run_survives_bad_input(world, capsys):
    run, good = world["run"], world["good"]
    before = fingerprint(run)
    for argv in (["train", good, "--run-dir", run],  # finished, no --overwrite
                 ["train", good, "--run-dir", run, "--set", "data.name=folder:/nope",
                  "--overwrite"],
                 ["train", good, "--run-dir", run, "--set", "data.image_size=12",
                  "--overwrite"]):
        assert main(argv) == 2
        assert len(err_lines(capsys)) == 1
        assert fingerprint(run) == before


def test_empty_train_section_with_set_trains(world, tmp_path):
    train_run(str(tmp_path / "r"), os.path.join(world["root"], "emptytrain.yaml"),
              "train.epochs=1", "train.steps_per_epoch=1", "train.verbose=0")
    assert os.path.isfile(tmp_path / "r" / "DONE.json")


def _python(code, timeout=300):
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    start = time.monotonic()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=timeout, env=env)
    return out, time.monotonic() - start


def test_config_error_before_tensorflow_is_imported(tmp_path):
    """The process: exit 2, one stderr line, no traceback, and TensorFlow never imported."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("family: dcgan\ntrain: {epoks: 3}\n")
    out, seconds = _python(
        "import sys\nfrom tfgan_zoo import cli\nsys.argv = ['tfgan-zoo', 'train', %r]\n"
        "code = cli.main()\nprint('tensorflow' in sys.modules, 'keras' in sys.modules)\n"
        "sys.exit(code)" % str(bad))
    assert out.returncode == 2, out.stderr
    assert out.stdout.split() == ["False", "False"]
    assert out.stderr.splitlines() == [f"tfgan-zoo: error: {bad}: train.epoks: unknown key "
                                       "(did you mean 'epochs'?)"]
    print(f"config error reported in {seconds:.2f} s")


def test_list_prints_nothing_to_stderr():
    out, _ = _python("from tfgan_zoo import cli\nimport sys\nsys.argv = ['tfgan-zoo', 'list', "
                     "'families']\nsys.exit(cli.main())")
    assert out.returncode == 0 and out.stderr == "", out.stderr
    assert "  dcgan" in out.stdout.splitlines()


def test_tiny_config_helper_is_valid():
    assert tiny_config("dcgan").data.image_size == 8
