"""tfgan_zoo.train.train under MultiWorkerMirroredStrategy: two real worker processes on
127.0.0.1 train the tiny DCGAN and end with identical weights; only the chief writes."""
import os

import numpy as np

from tests._mw_launch import launch_workers

STEPS = 3


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
    ckpts = sorted(os.listdir(chief / "checkpoints"))
    assert ckpts[-1] == f"ckpt-{STEPS:09d}.npz"
    for name in ("config.yaml", "data_info.json", "DONE.json", "history.csv"):
        assert (chief / name).is_file(), name
    final = np.load(chief / "checkpoints" / ckpts[-1])
    first = np.load(chief / "checkpoints" / ckpts[0])
    moved = sum(not np.array_equal(final[k], first[k]) for k in final.files if k.startswith("model/")
                and not k.endswith("paths"))
    assert moved > 0
    # the non-chief worker wrote nothing into its run directory (its scratch dir is gone)
    assert not (tmp_path / "run1").exists() or not os.listdir(tmp_path / "run1")
