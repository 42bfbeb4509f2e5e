"""Every YAML under zoo_configs/ loads with the typed config, names its directory's family and
opens with a comment giving the command that runs it; every one that needs no download trains two
steps at smoke widths (fast) and at its own widths (large)."""
import glob
import inspect
import os
import re

import pytest

from tfgan_zoo import models  # noqa: F401  (registers the families)
from tfgan_zoo.config import load_config
from tfgan_zoo.registry import NETWORKS

ROOT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "zoo_configs")
CONFIGS = sorted(glob.glob(os.path.join(ROOT, "*", "*.yaml")))


def test_there_are_configs():
    families = {os.path.basename(os.path.dirname(p)) for p in CONFIGS}
    assert {"gan", "nsgan", "lsgan", "wgan", "wgan_gp", "dragan", "fgan", "rsgan", "ragan", "sngan", "ebgan",
            "began"} <= families


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: os.path.relpath(p, ROOT))
def test_config_loads(path):
    cfg = load_config(path)
    assert cfg.family == os.path.basename(os.path.dirname(path))
    with open(path, encoding="utf-8") as fh:
        head = fh.read().split("family:")[0]
    assert head.startswith("#")
    assert f"zoo_configs/{cfg.family}/{os.path.basename(path)}" in head
    if os.path.basename(path) in ("ring.yaml", "grid.yaml"):
        assert cfg.data.name in ("ring", "grid") and cfg.generator["name"] == "mlp_generator"


DOWNLOADS = (os.path.join("pix2pix", "facades.yaml"), os.path.join("cyclegan", "horse2zebra.yaml"))
TRAINABLE = [p for p in CONFIGS if not p.endswith(DOWNLOADS)]  # their data is a download
SHORT = ["train.epochs=1", "train.steps_per_epoch=2", "data.batch_size=8"]

#: a network width: a builder keyword argument named `filters` / `units` or ending in `_filters` /
#: `_units` (base_filters, max_filters, hidden_units, mapping_units, z_units, q_units, ...)
WIDTH = re.compile(r"(^|_)(filters|units)$")
SMOKE_DIVISOR = 8
SMOKE_MIN = 8  # self-attention needs 8 channels (query / key width channels // 8)


def smoke_overrides(cfg):
    """`role.key=value` overrides that divide every network width of `cfg` (as written, else the
    builder's default) by SMOKE_DIVISOR, down to SMOKE_MIN (never up). Depth, resolution,
    attention placement, data, losses and regularizers stay as written."""
    out = []
    for role, section in cfg.networks.items():
        params = inspect.signature(NETWORKS.get(section["name"])).parameters.values()
        for p in params:
            if WIDTH.search(p.name) and p.default is not inspect.Parameter.empty:
                width = section.get(p.name, p.default)
                if isinstance(width, int) and not isinstance(width, bool):
                    out.append(f"{role}.{p.name}={min(width, max(SMOKE_MIN, width // SMOKE_DIVISOR))}")
    return out


def test_smoke_overrides_scale_the_widths_only():
    cfg = load_config(os.path.join(ROOT, "bigan", "digits.yaml"))  # conv + joint discriminator
    over = dict(o.split("=") for o in smoke_overrides(cfg))
    assert over["generator.base_filters"] == "8" and over["discriminator.base_filters"] == "8"
    assert over["encoder.base_filters"] == "8"
    assert over["discriminator.z_units"] == "32" and over["discriminator.joint_units"] == "64"
    assert not any(k.endswith(("num_layers", "image_size", "latent_dim", "dropout")) for k in over)
    ring = load_config(os.path.join(ROOT, "gan", "ring.yaml"), overrides=smoke_overrides(
        load_config(os.path.join(ROOT, "gan", "ring.yaml"))))
    assert ring.networks["generator"]["hidden_units"] == 16 and ring.networks["generator"]["num_layers"] == 3


def _train_short(path, tmp_path, overrides=()):
    import math

    from tfgan_zoo.train import train

    cfg = load_config(path, overrides=[*SHORT, *overrides])
    result = train(cfg, str(tmp_path / "run"))
    assert result.step == 2 and result.history, result
    last = {k: v[-1] for k, v in result.history.items()}
    assert all(math.isfinite(v) for v in last.values()), last
    assert os.path.exists(tmp_path / "run" / "samples" / "epoch_0001.png")
    assert os.path.exists(tmp_path / "run" / "DONE.json")


#: smoke trainings that cost the most CPU (tracing dominates at any width): in the large tier
PRICEY = ("biggan/", "cyclegan/", "stargan/", "stylegan/", "sagan/", "wgan_gp/digits", "progan/", "lapgan/",
          "stackgan/")


def _smoke(path):
    rel = os.path.relpath(path, ROOT)
    return pytest.param(path, id=rel, marks=[pytest.mark.large] if rel.startswith(PRICEY) else [])


@pytest.mark.parametrize("path", [_smoke(p) for p in TRAINABLE])
def test_config_trains_at_smoke_widths(path, tmp_path):
    """Every shipped config builds and trains as written (networks, data, losses and regularizers),
    at smoke widths (`smoke_overrides`) and two steps; the losses it logs are finite and a sample
    grid is written."""
    _train_short(path, tmp_path, smoke_overrides(load_config(path)))


@pytest.mark.large
@pytest.mark.parametrize("path", TRAINABLE, ids=lambda p: os.path.relpath(p, ROOT))
def test_config_trains_two_steps(path, tmp_path):
    """`tfgan-zoo train <config>` works for every shipped config at its own widths, shortened to
    two steps; the losses it logs are finite and a sample grid is written."""
    _train_short(path, tmp_path)
