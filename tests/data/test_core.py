"""build_dataset: spec parsing, registry lookup, option checks, DataInfo."""
import dataclasses

import pytest

from tfgan_zoo.data import DataInfo, build_dataset
from tfgan_zoo.data.core import parse_spec
from tfgan_zoo.errors import ConfigError
from tfgan_zoo.registry import DATASETS


def test_every_spec_prefix_is_registered():
    for name in ("digits", "stacked_digits", "tfds", "folder", "pairs", "edges2photos", "ring", "grid"):
        assert name in DATASETS


def test_parse_spec_splits_on_the_first_colon_only():
    assert parse_spec("digits") == ("digits", None)
    assert parse_spec("tfds:mnist:3.0.1") == ("tfds", "mnist:3.0.1")
    assert parse_spec(" folder:/a/b ") == ("folder", "/a/b")
    with pytest.raises(ConfigError):
        parse_spec("")


def test_unknown_spec_is_a_config_error_with_a_hint():
    with pytest.raises(ConfigError, match="did you mean 'digits'") as err:
        build_dataset("digit")
    assert "\n" not in str(err.value)


def test_unknown_option_is_a_config_error_naming_it():
    with pytest.raises(ConfigError, match="'num_exampels'.*did you mean 'num_examples'"):
        build_dataset("ring", num_exampels=10)
    with pytest.raises(ConfigError, match="'seed' for dataset 'digits'"):
        build_dataset("digits", seed=1)


def test_argument_rules():
    with pytest.raises(ConfigError, match="takes no"):
        build_dataset("digits:foo")
    with pytest.raises(ConfigError, match="needs path"):
        build_dataset("folder")


def test_info_name_is_the_spec_and_info_is_frozen():
    _, info = build_dataset("grid", num_examples=4)
    assert info.name == "grid"
    with pytest.raises(dataclasses.FrozenInstanceError):
        info.kind = "images"


def test_datainfo_rejects_unknown_kind():
    with pytest.raises(ValueError, match="kind"):
        DataInfo(name="x", kind="video", shape=(1,))
