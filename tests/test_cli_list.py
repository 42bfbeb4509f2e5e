"""`tfgan-zoo list`: the registries' names, and `--defaults FAMILY`, a family's resolved config."""
import pytest
import yaml

from tfgan_zoo.cli import main
from tfgan_zoo.config import from_dict
from tfgan_zoo.registry import FAMILIES, NETWORKS


@pytest.mark.parametrize("family", [f for f in FAMILIES.names() if not f.startswith("toy")])
def test_defaults_print_the_resolved_config(capsys, family):
    assert main(["list", "--defaults", family]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"# tfgan-zoo list --defaults {family}:")
    printed = yaml.safe_load(out)
    assert printed == from_dict({"family": family}).to_dict()
    assert from_dict(printed).to_dict() == printed  # what it prints is a config that means itself


def test_defaults_show_the_family_defaults(capsys):
    assert main(["list", "--defaults", "wgan"]) == 0
    train = yaml.safe_load(capsys.readouterr().out)["train"]
    assert train["optimizer"] == "rmsprop" and train["g_learning_rate"] == 5e-5
    assert main(["list", "--defaults", "cyclegan"]) == 0
    optimizers = yaml.safe_load(capsys.readouterr().out)["train"]["optimizers"]
    assert optimizers["d"]["schedule"] == optimizers["g"]["schedule"] == "linear_decay"


@pytest.mark.parametrize("argv,message", [
    (["list", "--defaults", "dcgn"], "unknown family 'dcgn' (did you mean 'dcgan'?)"),
    (["list", "networks", "--defaults", "dcgan"], "prints one family's config; drop 'networks'"),
])
def test_defaults_mistakes_are_one_line(capsys, argv, message):
    assert main(argv) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_list_names_every_registered_name(capsys):
    assert main(["list", "networks"]) == 0
    listed = [line.strip() for line in capsys.readouterr().out.splitlines()[1:]]
    assert listed == NETWORKS.names() and "unet" in listed
