"""tfgan_zoo.train.train under MultiWorkerMirroredStrategy: two real worker processes on
127.0.0.1 train the tiny DCGAN and end with identical weights; only the chief writes."""
import os

import numpy as np
import pytest
import tensorflow as tf

from tests._mw_launch import launch_workers
from tfgan_zoo.checkpoint import step_of

STEPS = 3


@pytest.mark.large
def test_two_workers_train_our_gan_identically(tmp_path):
    results = launch_workers("tests/_mw_gan_worker.py", ["--out", str(tmp_path), "--steps", STEPS],
                             timeout=150)
    for r in results:
        assert r.returncode == 0, r.log_tail()
        assert f"step={STEPS}" in r.stdout and "replicas=2" in r.stdout, r.log_tail()
    assert "chief=True" in results[0].stdout and "chief=False" in results[1].stdout
    w0, w1 = (np.load(tmp_path / f"weights{i}.npz") for i in (0, 1))
    assert sorted(w0.files) == sorted(w1.files)
    for key in w0.files:
        np.testing.assert_array_equal(w0[key], w1[key], err_msg=key)
    # training moved the weights: the chief's first checkpoint differs from the final weights
    chief = tmp_path / "run0"
    steps = sorted(step_of(n) for n in os.listdir(chief / "checkpoints") if n.endswith(".index"))
    assert steps[-1] == STEPS
    for name in ("config.yaml", "data_info.json", "DONE.json", "history.csv"):
        assert (chief / name).is_file(), name
    final, first = (tf.train.load_checkpoint(str(chief / "checkpoints" / f"ckpt-{s}"))
                    for s in (steps[-1], steps[0]))
    keys = [k for k in final.get_variable_to_shape_map() if k.startswith("model/generator/")]
    assert keys and sum(not np.array_equal(final.get_tensor(k), first.get_tensor(k)) for k in keys)
    # the non-chief worker wrote nothing into its run directory (its scratch dir is gone)
    assert not (tmp_path / "run1").exists() or not os.listdir(tmp_path / "run1")
