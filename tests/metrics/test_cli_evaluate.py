import argparse
import json
import sys
import types

import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo.errors import UserError
from tfgan_zoo.cli_evaluate import add_evaluate_parser, open_generated_source, run_evaluate
from tfgan_zoo.metrics.sources import CallableSource, ExportSource

from .conftest import IMAGE_SHAPE, LATENT_DIM, tiny_generator_fn


def parse(argv):
    parser = argparse.ArgumentParser(prog="tfgan-zoo")
    add_evaluate_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


@pytest.fixture
def fake_build_dataset(monkeypatch):
    calls = []
    real = np.concatenate(list(CallableSource(tiny_generator_fn(), LATENT_DIM, 5).batches(64, 64)))

    def build_dataset(spec, image_size=None, channels=None):
        calls.append((spec, image_size, channels))
        return tf.data.Dataset.from_tensor_slices({"real": real}), {"name": spec}

    fake_data = types.ModuleType("tfgan_zoo.data")  # stands in for the data package
    fake_data.build_dataset = build_dataset
    monkeypatch.setitem(sys.modules, "tfgan_zoo.data", fake_data)
    return calls


def test_evaluate_command_on_an_export(export_dir, tmp_path, fake_build_dataset, capsys):
    out = tmp_path / "res" / "results.json"
    args = parse(["evaluate", str(export_dir), "--metrics", "fid,kid,swd", "--num-samples", "32",
                  "--extractor", "digits", "--real", "toy:train", "--out", str(out),
                  "--cache-dir", str(tmp_path / "cache")])
    assert args.func is run_evaluate
    assert run_evaluate(args) == 0
    assert fake_build_dataset == [("toy:train", IMAGE_SHAPE[0], IMAGE_SHAPE[2])]
    printed = capsys.readouterr().out
    assert "fid" in printed and "kid_std" in printed and "32 generated" in printed
    report = json.loads(out.read_text())
    assert report["extractor"]["extractor"] == "digits" and report["real"] == "toy:train"
    assert set(report["metrics"]) == {"fid", "kid", "swd"}
    assert report["metrics"]["kid"]["num_real"] == 32
    assert list((tmp_path / "cache").glob("toy_train__digits-*__8x8x1__n32.npz"))


def test_missing_inception_weights_fail_before_any_work(export_dir, tmp_path):
    args = parse(["evaluate", str(export_dir), "--real", "x", "--extractor", "inception",
                  "--inception-weights", str(tmp_path / "missing.h5")])
    with pytest.raises(UserError, match="--inception-weights"):
        run_evaluate(args)


def test_run_directories_go_through_the_load_generator_hook(tmp_path, monkeypatch, export_dir):
    assert isinstance(open_generated_source(export_dir), ExportSource)
    fake_train = types.ModuleType("tfgan_zoo.train")
    fake_train.load_generator = lambda run_dir: (tiny_generator_fn(), LATENT_DIM)
    monkeypatch.setitem(sys.modules, "tfgan_zoo.train", fake_train)
    source = open_generated_source(tmp_path)
    assert isinstance(source, CallableSource) and source.image_shape == IMAGE_SHAPE
    with pytest.raises(UserError, match="does not exist"):
        open_generated_source(tmp_path / "nothing")
