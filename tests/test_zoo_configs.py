"""Every YAML under zoo_configs/ loads with the typed config, names its directory's family and
opens with a comment giving the command that runs it."""
import glob
import os

import pytest

from tfgan_zoo import models  # noqa: F401  (registers the families)
from tfgan_zoo.config import load_config

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


@pytest.mark.parametrize("path", TRAINABLE, ids=lambda p: os.path.relpath(p, ROOT))
def test_config_trains_two_steps(path, tmp_path):
    """`tfgan-zoo train <config>` works for every shipped config (networks, data and losses as written),
    shortened to two steps; the losses it logs are finite and a sample grid is written."""
    import math

    from tfgan_zoo.train import train

    cfg = load_config(path, overrides=["train.epochs=1", "train.steps_per_epoch=2", "data.batch_size=8"])
    result = train(cfg, str(tmp_path / "run"))
    assert result.step == 2 and result.history, result
    last = {k: v[-1] for k, v in result.history.items()}
    assert all(math.isfinite(v) for v in last.values()), last
    assert os.path.exists(tmp_path / "run" / "samples" / "epoch_0001.png")
    assert os.path.exists(tmp_path / "run" / "DONE.json")
