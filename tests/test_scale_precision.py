"""Mixed precision, XLA, steps_per_execution and the global-batch check on the tiny DCGAN."""
import keras
import numpy as np
import pytest

from tests.testing import snapshot, tiny_config, two_cpu_strategy
from tfgan_zoo.errors import ConfigError
from tfgan_zoo.train import load_run, train


@pytest.fixture(autouse=True)
def _float32_policy_after():
    yield
    keras.mixed_precision.set_global_policy("float32")  # build_model sets it globally


@pytest.mark.parametrize("train_over", [
    {"precision": "mixed_float16"},
    {"precision": "mixed_bfloat16"},
    {"jit_compile": True},
], ids=["mixed_float16", "mixed_bfloat16", "xla"])
def test_train_step_runs_with_finite_losses(tmp_path, train_over):
    cfg = tiny_config("dcgan", {"train": dict(train_over, steps_per_epoch=3)})
    result = train(cfg, str(tmp_path))
    assert result.step == 3
    for key, values in result.history.items():
        assert np.all(np.isfinite(values)), (key, values)
    model = result.model
    if "precision" in train_over:
        assert model.generator.layers[1].compute_dtype == train_over["precision"][6:]
        assert model.generator.layers[1].variable_dtype == "float32"
        assert model.generator.output.dtype == "float32"
    if train_over.get("precision") == "mixed_float16":
        assert isinstance(model.g_optimizer, keras.optimizers.LossScaleOptimizer)
        # the loss scale really ran: 2^15 initially, halved on each skipped (overflow) step
        assert float(model.g_optimizer.dynamic_scale.numpy()) <= 2.0 ** 15
    assert all(np.all(np.isfinite(v)) for v in snapshot(model.variables))


def test_steps_per_execution_resumes_exactly(tmp_path):
    over = {"train": {"epochs": 2, "steps_per_epoch": 4, "steps_per_execution": 2,
                      "checkpoint_every": 2}}
    full = train(tiny_config("dcgan", over), str(tmp_path / "full"))
    short = dict(over["train"], epochs=1)
    train(tiny_config("dcgan", {"train": short}), str(tmp_path / "resumed"))
    resumed = train(tiny_config("dcgan", over), str(tmp_path / "resumed"))
    assert full.step == resumed.step == 8
    for a, b in zip(snapshot(full.model.variables), snapshot(resumed.model.variables)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    # and the same as steps_per_execution=1
    one = train(tiny_config("dcgan", {"train": dict(over["train"], steps_per_execution=1)}),
                str(tmp_path / "one"))
    for a, b in zip(snapshot(one.model.variables), snapshot(full.model.variables)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    _, _, loaded = load_run(str(tmp_path / "resumed"))
    assert int(loaded.g_optimizer.iterations.numpy()) == 8


def test_global_batch_must_divide_by_replicas(tmp_path):
    cfg = tiny_config("dcgan", {"data": {"batch_size": 15}})
    with pytest.raises(ConfigError, match="GLOBAL batch and must divide by the 2 replicas") as e:
        train(cfg, str(tmp_path / "run"), strategy=two_cpu_strategy())
    assert "\n" not in str(e.value)
    assert not (tmp_path / "run").exists()  # refused before anything was written
