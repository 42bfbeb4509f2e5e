"""A training process for the SIGKILL tests: trains the tiny DCGAN into --run-dir.

Usage: python tests/_kill_worker.py --run-dir DIR [--sleep S] [--config YAML --kill-after-checkpoint STEP]
Config: tests.testing TINY with epochs=2, steps_per_epoch=4, checkpoint_every=1, so every
step leaves a checkpoint ckpt-<step>, or the config file --config. --sleep S pauses S seconds
after each step (so the parent can kill it mid-run); it changes no computation.
--kill-after-checkpoint STEP: the process SIGKILLs itself right after the epoch-end checkpoint
of STEP is written (the last thing an epoch end does). Prints KW_DONE step=<n> at the end.
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
    ap.add_argument("--config")
    ap.add_argument("--kill-after-checkpoint", type=int)
    a = ap.parse_args(argv)
    import signal

    import keras

    from tfgan_zoo.callbacks import CheckpointEvery
    from tfgan_zoo.config import load_config
    from tfgan_zoo.train import train

    if a.kill_after_checkpoint is not None:
        epoch_end = CheckpointEvery.on_epoch_end

        def on_epoch_end(self, epoch, logs=None):
            epoch_end(self, epoch, logs)
            if self.step == a.kill_after_checkpoint:
                os.kill(os.getpid(), signal.SIGKILL)

        CheckpointEvery.on_epoch_end = on_epoch_end

    class Pause(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            time.sleep(a.sleep)

    cfg = load_config(a.config) if a.config else config()
    result = train(cfg, a.run_dir, callbacks=[Pause()] if a.sleep else ())
    print(f"KW_DONE step={result.step}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
