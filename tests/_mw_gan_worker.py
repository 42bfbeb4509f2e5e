"""One worker of a 2-process multi_worker run of tfgan_zoo.train.train on the tiny DCGAN.

Usage: python tests/_mw_gan_worker.py --out DIR   (TF_CONFIG set by tests/_mw_launch.py)
Trains into DIR/run<i> and writes DIR/weights<i>.npz (every model variable by path) and
prints MW_DONE worker=<i> chief=<bool> replicas=<n>.
"""
import argparse
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import numpy as np  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--steps", type=int, default=3)
    a = ap.parse_args(argv)
    index = json.loads(os.environ["TF_CONFIG"])["task"]["index"]
    from tests.testing import tiny_config
    from tfgan_zoo import distribute
    from tfgan_zoo.train import train

    cfg = tiny_config("dcgan", {"train": {"strategy": "multi_worker", "steps_per_epoch": a.steps,
                                          "checkpoint_every": 1}})
    result = train(cfg, os.path.join(a.out, f"run{index}"))
    model = result.model
    np.savez(os.path.join(a.out, f"weights{index}.npz"),
             **{v.path: np.asarray(v.numpy()) for v in model.variables})
    print(f"MW_DONE worker={index} chief={distribute.is_chief()} step={result.step} "
          f"replicas={model.distribute_strategy.num_replicas_in_sync}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
