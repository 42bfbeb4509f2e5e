"""Tiny 2-D point-set runs (ring / grid with small MLPs) for the family tests.

`tests.testing.build` goes through `train.build_data`, which always passes data.image_size
(default 16) and so cannot build the point sets; here the set is built directly.
"""
from tests.testing import merge
from tfgan_zoo.config import from_dict

AUTOENCODER_FAMILIES = ("ebgan", "began")


def points_config(family, overrides=None, dataset="ring"):
    disc = "mlp_autoencoder" if family in AUTOENCODER_FAMILIES else "mlp_discriminator"
    base = {
        "family": family,
        "data": {"name": dataset, "batch_size": 16},
        "model": {"latent_dim": 4},
        "generator": {"name": "mlp_generator", "hidden_units": 16, "num_layers": 2},
        "discriminator": {"name": disc, "hidden_units": 16, "num_layers": 2},
        "train": {"epochs": 1, "steps_per_epoch": 2, "sample_every": 0, "verbose": 0},
    }
    if family == "sngan":
        base["discriminator"]["spectral_norm"] = True
    return from_dict(merge(base, overrides), source=f"<points {family}>")


def build_points(cfg, num_examples=512, seed=0):
    from tfgan_zoo.data import build_dataset
    from tfgan_zoo.train import build_model
    ds, info = build_dataset(cfg.data.name, num_examples=num_examples, seed=seed)
    return ds, info, build_model(cfg, info)
