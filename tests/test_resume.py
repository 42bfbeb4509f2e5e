"""A run stopped and resumed equals an uninterrupted run of the same length (fixed seeds, CPU)."""
import os

import keras
import numpy as np
import pytest

from tests.testing import snapshot, tiny_config
from tfgan_zoo.errors import RunDirError
from tfgan_zoo.train import load_run, train

OVER = {"train": {"epochs": 3, "steps_per_epoch": 2, "checkpoint_every": 1}}


class Crash(Exception):
    pass


class CrashAt(keras.callbacks.Callback):
    def __init__(self, step):
        super().__init__()
        self.step = step

    def on_train_batch_end(self, batch, logs=None):
        if int(self.model.g_optimizer.iterations.numpy()) == self.step:
            raise Crash()


def weights(model):
    return snapshot(model.generator.variables) + snapshot(model.discriminator.variables) + \
        snapshot(model.d_optimizer.variables) + snapshot(model.g_optimizer.variables)


def assert_same(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        np.testing.assert_allclose(x, y, rtol=1e-5, atol=1e-6)


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    run = tmp_path_factory.mktemp("full")
    result = train(tiny_config("dcgan", OVER), str(run))
    return weights(result.model)


def test_resume_after_crash_mid_epoch(tmp_path, uninterrupted):
    cfg = tiny_config("dcgan", OVER)
    with pytest.raises(Crash):
        train(cfg, str(tmp_path), callbacks=[CrashAt(3)])
    assert not os.path.exists(tmp_path / "DONE.json")
    result = train(cfg, str(tmp_path))
    assert result.step == 6
    assert_same(weights(result.model), uninterrupted)


def test_extend_a_finished_run(tmp_path, uninterrupted):
    train(tiny_config("dcgan", {"train": dict(OVER["train"], epochs=1)}), str(tmp_path))
    result = train(tiny_config("dcgan", OVER), str(tmp_path))
    assert_same(weights(result.model), uninterrupted)
    _, _, loaded = load_run(str(tmp_path))
    assert_same(weights(loaded), uninterrupted)


def test_finished_run_is_not_overwritten(tmp_path):
    cfg = tiny_config("dcgan", {"train": {"checkpoint_every": 0}})
    train(cfg, str(tmp_path))
    before = sorted(os.listdir(tmp_path / "checkpoints"))
    with pytest.raises(RunDirError, match="finished run"):
        train(cfg, str(tmp_path))
    assert sorted(os.listdir(tmp_path / "checkpoints")) == before
    result = train(cfg, str(tmp_path), overwrite=True)
    assert result.step == 2


def test_different_config_is_refused(tmp_path):
    train(tiny_config("dcgan"), str(tmp_path))
    with pytest.raises(RunDirError, match="different config"):
        train(tiny_config("dcgan", {"model": {"latent_dim": 4}}), str(tmp_path))
