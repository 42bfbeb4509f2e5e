"""Checkpoints (tf.train.Checkpoint + CheckpointManager): variables matched by name, not by
construction order; one-line refusals of another family, other shapes and the old .npz format;
a corrupt latest checkpoint falls back to the previous one."""
import os
import re

import numpy as np
import pytest

from tests.testing import build, fit_steps, snapshot, tiny_config
from tfgan_zoo.checkpoint import RunCheckpoint, read_meta
from tfgan_zoo.errors import RunDirError
from tfgan_zoo.models.params import build_network
from tfgan_zoo.registry import FAMILIES
from tfgan_zoo.train import build_data, make_optimizer


def _name(v):
    return re.sub(r"_\d+(?=/|$)", "", v.path)  # without Keras's unique-name counters


def _everything(model):
    out = {}
    for role in model.network_roles:
        out.update({f"{role}/{_name(v)}": v.numpy() for v in getattr(model, role).variables})
    for name, opt in model.optimizers.items():
        out.update({f"{name}/{_name(v)}": v.numpy() for v in opt.variables})
    out["step"] = model.step.numpy()
    return out


def _reordered_toy(cfg, info):
    """The toy family built in another order: networks in reverse role order, after unrelated
    layers (so Keras's unique-name counters differ), each phase listing its variables reversed."""
    import keras
    cls = FAMILIES.get(cfg.family)
    for _ in range(3):
        keras.layers.Dense(2)
    derived = cls.network_args(cfg.model, info)
    nets = {role: build_network(cfg.networks[role], derived[role], role)
            for role in reversed(list(cls.roles))}
    model = cls(nets, params=cfg.model, seed=cfg.train.seed, data_info=info,
                stages=cls.stages(cfg.model, cfg.train))
    plain = model.phase_variables
    model.phase_variables = lambda phase: list(reversed(plain(phase)))
    model.compile(optimizers={n: make_optimizer(cfg, n, model) for n in cls.optimizer_names()})
    return model


def test_restore_matches_by_name_whatever_the_construction_order(tmp_path):
    cfg = tiny_config("toy_triple")
    ds, info, model = build(cfg)
    model.enter_stage(0, fresh=True)
    fit_steps(model, cfg, ds, 2)
    path = RunCheckpoint(str(tmp_path), model).save(2)
    meta = read_meta(path)
    assert meta["family"] == "ToyTriple" and meta["step"] == 2 and meta["stage"] == "supervised"
    other = _reordered_toy(cfg, build_data(cfg)[1])
    assert RunCheckpoint(str(tmp_path), other).restore() == path
    saved, restored = _everything(model), _everything(other)
    assert len(restored) == len(saved)
    for key, value in saved.items():
        np.testing.assert_array_equal(restored[key], value, err_msg=key)


def test_another_family_or_shape_is_refused_in_one_line(tmp_path):
    _, _, dcgan = build(tiny_config("dcgan"))
    RunCheckpoint(str(tmp_path), dcgan).save(1)
    _, _, wgan = build(tiny_config("wgan"))
    before = snapshot(wgan.variables)
    with pytest.raises(RunDirError, match="is a checkpoint of DCGAN, not of WGAN") as e:
        RunCheckpoint(str(tmp_path), wgan).restore()
    assert "\n" not in str(e.value)
    assert all(np.array_equal(a, b) for a, b in zip(before, snapshot(wgan.variables)))  # untouched
    _, _, wide = build(tiny_config("dcgan", {"model": {"latent_dim": 5}}))
    with pytest.raises(RunDirError, match="does not match this model: Received incompatible") as e:
        RunCheckpoint(str(tmp_path), wide).restore()
    assert "\n" not in str(e.value)
    _, _, deeper = build(tiny_config("dcgan", {"discriminator": {"min_size": 2}}))
    with pytest.raises(RunDirError, match="optimizer 'd' was built for other variables"):
        RunCheckpoint(str(tmp_path), deeper).restore()


def test_old_npz_run_directories_are_refused_with_what_to_do(tmp_path):
    (tmp_path / "ckpt-000000004.npz").write_bytes(b"PK")
    _, _, model = build(tiny_config("dcgan"))
    with pytest.raises(RunDirError, match=r"\.npz checkpoints of tfgan_zoo 0\.1.*--overwrite"):
        RunCheckpoint(str(tmp_path), model).restore()


def test_a_corrupt_latest_checkpoint_falls_back_to_the_previous_one(tmp_path, capsys):
    cfg = tiny_config("dcgan")
    ds, info, model = build(cfg)
    ckpt = RunCheckpoint(str(tmp_path), model, keep=3)
    fit_steps(model, cfg, ds, 1)
    good = _everything(model)
    ckpt.save(1)
    fit_steps(model, cfg, ds, 1)
    latest = ckpt.save(2)
    data = [f for f in os.listdir(tmp_path) if f.startswith("ckpt-2.data")][0]
    with open(tmp_path / data, "r+b") as fh:  # truncated mid-write
        fh.truncate(100)
    _, _, fresh = build(cfg)
    assert RunCheckpoint(str(tmp_path), fresh).restore().endswith("ckpt-1")
    assert f"{latest} is unreadable" in capsys.readouterr().err
    for key, value in good.items():
        np.testing.assert_array_equal(_everything(fresh)[key], value, err_msg=key)
    os.remove(tmp_path / "ckpt-1.index")
    with pytest.raises(RunDirError, match="no checkpoint in .* restores"):
        RunCheckpoint(str(tmp_path), fresh).restore()


def test_a_checkpoint_with_a_float_learning_rate_restores_with_the_configs_rate(tmp_path):
    """Checkpoints written while a constant learning rate was a float kept it as the optimizer's
    second variable, so their slots sit one place later; they restore by position, and the
    learning rate is the config's."""
    import tensorflow as tf

    from tfgan_zoo.checkpoint import _Meta, _objects
    cfg = tiny_config("dcgan")
    ds, info, model = build(cfg)
    fit_steps(model, cfg, ds, 2)
    saved = _everything(model)
    objects = _objects(model)
    for name, opt in model.optimizers.items():  # the old layout: [iterations, lr, slots...]
        iterations, slots = opt.variables[0], list(opt.variables[1:])
        rate = tf.Variable(0.5)  # not the config's rate: must not come back
        objects[f"optimizer_{name}"] = {"_iterations": iterations, "_learning_rate": rate,
                                        "_variables": [iterations, rate] + slots}
    tf.train.Checkpoint(meta=_Meta(model), **objects).save(str(tmp_path / "ckpt"))  # ckpt-1
    _, _, fresh = build(cfg)
    assert RunCheckpoint(str(tmp_path), fresh).restore().endswith("ckpt-1")
    restored = _everything(fresh)
    for key, value in saved.items():
        np.testing.assert_array_equal(restored[key], value, err_msg=key)
    for opt in fresh.optimizers.values():
        assert float(opt.learning_rate) == pytest.approx(cfg.train.d_learning_rate
                                                         if opt.name.startswith("d") else
                                                         cfg.train.g_learning_rate)
