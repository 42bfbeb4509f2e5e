"""A training process for the SIGKILL test: trains the tiny DCGAN into --run-dir.

Usage: python tests/_kill_worker.py --run-dir DIR [--sleep S]
Config: tests.testing TINY with epochs=2, steps_per_epoch=4, checkpoint_every=1, so every
step leaves a checkpoint ckpt-<step>. --sleep S pauses S seconds after each step (so the parent can
kill it mid-run); it changes no computation. Prints KW_DONE step=<n> at the end.
"""
import argparse
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

OVER = {"train": {"epochs": 2, "steps_per_epoch": 4, "checkpoint_every": 1,
                  "keep_checkpoints": 8}}


def config():
    from tests.testing import tiny_config
    return tiny_config("dcgan", OVER)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--run-dir", required=True)
    ap.add_argument("--sleep", type=float, default=0.0)
    a = ap.parse_args(argv)
    import keras

    from tfgan_zoo.train import train

    class Pause(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            time.sleep(a.sleep)

    result = train(config(), a.run_dir, callbacks=[Pause()] if a.sleep else ())
    print(f"KW_DONE step={result.step}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
