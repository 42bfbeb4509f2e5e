"""benchmarks/small_data.py runs end to end for a few steps (the real data, networks, augmentations
and MNIST-judge metrics), writes its json / markdown / plot and resumes without retraining."""
import importlib.util
import json
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _load():
    spec = importlib.util.spec_from_file_location("bench_small_data", os.path.join(ROOT, "benchmarks", "small_data.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.large  # ~100 s on one core: nine tiny trainings and the judge
def test_small_data_runs_and_resumes(tmp_path):
    bench = _load()
    out, work = str(tmp_path / "results" / "small_data"), str(tmp_path / "runs")
    argv = ["--seeds", "1", "--steps", "4", "--eval-every", "2", "--batch", "8", "--filters", "8",
            "--samples", "50", "--workdir", work, "--output", out]
    assert bench.main(argv) == 0
    result = json.load(open(out + ".json"))
    assert [r["arm"] for r in result["runs"]] == ["none", "diffaugment", "ada"]
    for run in result["runs"]:
        assert [c["step"] for c in run["curve"]] == [2, 4] and all(c["fid"] > 0 for c in run["curve"])
    assert "ada_p" in result["runs"][2]["curve"][-1]
    info = json.load(open(os.path.join(work, "none_s0", "data_info.json")))
    assert "500" in json.dumps(info)
    base = result["baselines"]
    assert base["real_vs_real"]["num"] == 1000 and base["training_500"]["num"] == 500
    assert base["real_vs_real"]["fid"] < result["table"][0]["fid"]
    text = open(out + ".md").read()
    assert "| DiffAugment (translation, cutout) |" in text and "real vs real" in text
    assert os.path.getsize(out + ".png") > 1000
    before = open(os.path.join(work, "none_s0", "curve.jsonl")).read()
    assert bench.main(argv) == 0  # finished runs: nothing retrained
    assert open(os.path.join(work, "none_s0", "curve.jsonl")).read() == before


def test_bad_arguments_exit_2(capsys):
    with pytest.raises(SystemExit) as e:
        _load().main(["--arms", "none,cutmix"])
    assert e.value.code == 2 and "unknown arm 'cutmix'" in capsys.readouterr().err
