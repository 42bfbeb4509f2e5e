"""benchmarks/infogan_mnist.py: the categorical code read through Q and matched to the digits, and the
benchmark end to end for a few steps (real data, the paper's networks at tiny widths): json / markdown /
plot written, a finished run reused without retraining."""
import importlib.util
import json
import os

import numpy as np
import pytest
import tensorflow as tf

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TINY = ["--set", "data.batch_size=16", "--set", "generator.hidden_units=8", "--set", "generator.base_filters=2",
        "--set", "discriminator.hidden_units=8", "--set", "discriminator.q_units=4",
        "--set", "discriminator.base_filters=2"]


def _load():
    spec = importlib.util.spec_from_file_location("bench_infogan_mnist",
                                                  os.path.join(ROOT, "benchmarks", "infogan_mnist.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _CodeModel:
    """A stand-in whose Q answers the code value `codes[i]` for image i (its first pixel holds i)."""

    def __init__(self, codes):
        self.codes = np.asarray(codes)

    def discriminator(self, images, training):
        index = np.asarray(images)[:, 0, 0, 0].astype(int)
        return {"category_logits": tf.one_hot(self.codes[index], 10) * 5.0}


def test_code_error_is_zero_for_a_relabelling_and_near_chance_for_random_codes():
    bench = _load()
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, 3000)
    images = np.zeros((3000, 4, 4, 1), np.float32)
    images[:, 0, 0, 0] = np.arange(3000)
    perm = rng.permutation(10)
    error, mapping = bench.code_error(_CodeModel(perm[labels]), images, labels, batch=700)  # several batches
    assert error == 0.0 and mapping == {int(perm[d]): d for d in range(10)}
    error, _ = bench.code_error(_CodeModel(rng.integers(0, 10, 3000)), images, labels, batch=700)
    assert 0.85 < error < 0.9  # chance is 0.9; the best matching of random codes does a little better


@pytest.mark.large  # ~60 s on a shared core: two tiny trainings (tracing dominates), k-means, the scoring
def test_benchmark_runs_writes_and_reuses_a_finished_run(tmp_path):
    bench = _load()
    out, work = str(tmp_path / "results" / "infogan_mnist"), str(tmp_path / "runs")
    argv = ["--seeds", "1", "--steps", "4", "--eval-every", "2", "--source", "bundled", "--workdir", work,
            "--output", out, *TINY]
    assert bench.main(argv) == 0
    result = json.load(open(out + ".json"))
    (run,) = result["runs"]
    assert [c["step"] for c in run["curve"]] == [2, 4] and run["num_train"] == 4000
    last = run["curve"][-1]
    assert last["num_test"] == 1000 and last["num_train_scored"] == 4000 and last["source"] == "bundled"
    assert 0 <= last["test_error"] <= 0.9 and 0 <= last["train_error"] <= 0.9 and last["wall_s"] > 0
    assert sorted(int(k) for k in last["mapping"]) == sorted(set(int(k) for k in last["mapping"]))
    assert result["summary"]["median_test_error"] == last["test_error"]
    assert 0.2 < result["kmeans_test_error"] < 0.8
    text = open(out + ".md").read()
    assert "| seed 0 |" in text and "about 5 %" in text and "4,000 training digits" in text
    assert "python benchmarks/infogan_mnist.py --seeds 1" in text
    assert os.path.getsize(out + ".png") > 1000
    curve = os.path.join(work, "seed0", "curve.jsonl")
    before = open(curve).read()
    assert bench.main(argv) == 0  # finished: nothing retrained
    assert open(curve).read() == before
    assert bench.main([*argv, "--seeds", "2", "--no-train"]) == 0  # seed 1 never started: reported as absent
    assert [r["curve"] != [] for r in json.load(open(out + ".json"))["runs"]] == [True, False]
    assert not os.path.exists(os.path.join(work, "seed1", "checkpoints")) and open(curve).read() == before


def test_bad_arguments_exit_2(capsys):
    with pytest.raises(SystemExit) as e:
        _load().main(["--steps", "5", "--eval-every", "2"])
    assert e.value.code == 2 and "multiple of" in capsys.readouterr().err
