"""tfgan_zoo.compat.keras_multiworker: model.fit under MultiWorkerMirroredStrategy.

The integration test starts two real worker processes on 127.0.0.1 (see
tests/_mw_launch.py and tests/_mw_worker.py) and checks that a custom-train_step
GAN and a plain compiled model train with ``model.fit`` and end with identical
weights on both workers.  The other tests run in-process, without a cluster.
"""
import numpy as np
import pytest

from tests._mw_launch import launch_workers
from tfgan_zoo.compat import keras_multiworker as kmw

STEPS, EPOCHS = 4, 2


def test_needed_true_on_keras_3_15_1():
    import keras

    if keras.__version__ != "3.15.1":
        pytest.skip(f"measured on Keras 3.15.1, installed {keras.__version__}")
    assert kmw.diagnose() == {"symbolic_build_nested_reduce": True, "scalar_reduce_axis0": True}
    assert kmw.needed()


def test_needed_matches_known_versions():
    import keras

    if kmw.needed():
        assert keras.__version__ in kmw.KNOWN_AFFECTED, (
            f"Keras {keras.__version__} still has the MWMS fit() bugs {kmw.diagnose()}: "
            "check the patch against it and add the version to KNOWN_AFFECTED")
    else:
        assert keras.__version__ not in kmw.KNOWN_AFFECTED, (
            f"Keras {keras.__version__} no longer has the MWMS fit() bugs: "
            "the compat patch (and its call in tfgan_zoo.distribute) can go")


def test_apply_is_idempotent_and_revertible():
    from keras.src.backend.tensorflow import trainer as mod

    was_applied = kmw.is_applied()
    kmw.revert()
    orig_build = mod.TensorFlowTrainer._maybe_symbolic_build
    orig_reduce = mod.reduce_per_replica
    try:
        assert kmw.apply() is True
        build, reduce_fn = mod.TensorFlowTrainer._maybe_symbolic_build, mod.reduce_per_replica
        assert build is not orig_build and reduce_fn is not orig_reduce
        assert kmw.apply() is True  # second call: no double wrapping
        assert mod.TensorFlowTrainer._maybe_symbolic_build is build
        assert mod.reduce_per_replica is reduce_fn
        assert kmw.needed()  # still probes the upstream originals
        kmw.revert()
        assert mod.TensorFlowTrainer._maybe_symbolic_build is orig_build
        assert mod.reduce_per_replica is orig_reduce
    finally:
        kmw.revert()
        if was_applied:
            kmw.apply()


def test_patched_reduce_uses_axis_none_only_for_scalars(monkeypatch):
    from keras.src.backend.tensorflow import trainer as mod

    original = kmw._ORIGINALS.get("reduce_per_replica", mod.reduce_per_replica)
    monkeypatch.setitem(kmw._ORIGINALS, "reduce_per_replica", original)
    rec = kmw._ReduceRecorder()
    logs = {"loss": np.float32(1.0), "batch": np.zeros((3, 2), np.float32)}
    kmw._patched_reduce_per_replica(logs, kmw._probe_strategy(rec), "auto")
    assert {np.ndim(value): axis for _, value, axis in rec.calls} == {0: None, 2: 0}


@pytest.mark.large
def test_two_workers_fit_identical_weights(tmp_path):
    results = launch_workers(
        "tests/_mw_worker.py",
        ["--out", str(tmp_path), "--steps", str(STEPS), "--epochs", str(EPOCHS)],
        num_workers=2, timeout=120)
    for r in results:
        assert r.returncode == 0 and "MW_DONE" in r.stdout, r.log_tail()
    w0 = dict(np.load(tmp_path / "worker0.npz"))
    w1 = dict(np.load(tmp_path / "worker1.npz"))
    assert sorted(w0) == sorted(w1)
    assert any(k.startswith("gan:") for k in w0) and any(k.startswith("plain:") for k in w0)
    for key in w0:
        np.testing.assert_array_equal(w0[key], w1[key], err_msg=key)
    for w in (w0, w1):
        assert int(w["d_iterations"]) == int(w["g_iterations"]) == STEPS * EPOCHS
        for key in ("d_loss", "g_loss", "plain_loss"):
            assert w[key].shape == (EPOCHS,) and np.all(np.isfinite(w[key])), (key, w[key])
