"""exports/sagan_digits: SAGAN on the bundled digits at 16 px.

Figures: the digits figures, the attention gates |gamma| of G and D at the end, and the KID of SNGAN
(zoo_configs/sngan/digits.yaml with SAGAN's image budget) trained beside it."""
import os

import numpy as np

from architecture_metrics import measure, value
from tfgan_zoo.config import load_config
from tfgan_zoo.models.sagan import attention_gammas
from tfgan_zoo.train import load_run, train

ENTRY = {"config": "zoo_configs/sagan/digits.yaml", "set": [], "digits": True}
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _sngan(run_dir, sagan_cfg):
    """zoo_configs/sngan/digits.yaml with SAGAN's image budget (steps x batch)."""
    t = sagan_cfg.train
    cfg = load_config(os.path.join(ROOT, "zoo_configs", "sngan", "digits.yaml"),
                      overrides=[f"train.epochs={t.epochs}", f"train.steps_per_epoch={t.steps_per_epoch}",
                                 f"data.batch_size={sagan_cfg.data.batch_size}"])
    path = os.path.join(os.path.dirname(run_dir), "sngan_digits_baseline")
    if not os.path.isfile(os.path.join(path, "DONE.json")):
        train(cfg, path)
    return load_run(path)


def evaluate(cfg, model, run_dir):
    out = {}  # SAGAN's own KID is the digits report's (with the real-vs-real split beside it)
    for role in ("generator", "discriminator"):
        gammas = [float(np.asarray(g)) for g in attention_gammas(getattr(model, role))]
        out[f"{role}_attention_gamma"] = {"value": gammas[0] if len(gammas) == 1 else gammas,
                                          "extractor": "weights", "num_fake": 0}
    sn_cfg, _, sngan = _sngan(run_dir, cfg)
    out["kid_sngan_same_budget"] = value(measure(sngan.sample, sn_cfg)["kid"], steps=int(sngan.step.numpy()))
    return out
