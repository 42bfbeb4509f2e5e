"""Shared test harness: tiny configs, short training, weight snapshots.

A family's test only feeds `tiny_config(family, ...)` with its overrides; the checks
(finite losses, weights move, distribution, resume, export) are written once here.
"""
import copy

import numpy as np
import tensorflow as tf

from tfgan_zoo.config import from_dict

TINY = {
    "data": {"name": "digits", "image_size": 8, "batch_size": 16},
    "model": {"latent_dim": 8},
    "generator": {"base_filters": 8},
    "discriminator": {"base_filters": 8},
    "train": {"epochs": 1, "steps_per_epoch": 2, "sample_every": 0, "verbose": 0},
}

TINY_PIX2PIX = {
    "family": "pix2pix",
    "data": {"name": "edges2photos", "image_size": 16, "batch_size": 4,
             "options": {"num_examples": 16}},
    "generator": {"base_filters": 4, "max_filters": 8, "dropout": 0.0},
    "discriminator": {"base_filters": 4, "n_layers": 1},
    "train": {"epochs": 1, "steps_per_epoch": 2, "sample_every": 0, "verbose": 0},
}


def merge(base, over):
    out = copy.deepcopy(base)
    for k, v in (over or {}).items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def tiny_config(family="dcgan", overrides=None):
    base = TINY_PIX2PIX if family == "pix2pix" else dict(TINY, family=family)
    return from_dict(merge(base, overrides), source=f"<tiny {family}>")


def build(cfg, strategy=None):
    from tfgan_zoo.train import build_data, build_model
    ds, info = build_data(cfg)
    return ds, info, build_model(cfg, info, strategy)


def stream(cfg, ds, start_batch=0):
    from tfgan_zoo.data import make_training_stream
    return make_training_stream(ds, cfg.data.batch_size, seed=cfg.train.seed,
                                shuffle_buffer=cfg.data.shuffle_buffer, start_batch=start_batch)


def snapshot(variables):
    return [np.array(v.numpy()) for v in variables]


def fit_steps(model, cfg, ds, steps):
    return model.fit(stream(cfg, ds), epochs=1, steps_per_epoch=steps, verbose=0, shuffle=False).history


def assert_weights_changed(before, after):
    changed = [not np.allclose(a, b) for a, b in zip(before, after)]
    assert any(changed), "no weight changed"
    return changed


def assert_finite(history):
    for k, v in history.items():
        assert np.all(np.isfinite(v)), f"{k} is not finite: {v}"


_STRATEGY = []


def two_cpu_strategy():
    """One MirroredStrategy over the two logical CPUs, shared by every test of the session:
    a second MirroredStrategy over the same devices in one process reuses collective
    instance keys and aborts ("Shape mismatch in the collective instance")."""
    if not _STRATEGY:
        cpus = tf.config.list_logical_devices("CPU")
        assert len(cpus) >= 2, "tests/conftest.py sets up two logical CPUs"
        _STRATEGY.append(tf.distribute.MirroredStrategy([cpus[0].name, cpus[1].name]))
    return _STRATEGY[0]
