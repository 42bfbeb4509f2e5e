"""benchmarks/pacgan_2d.py runs PacGAN's 2-D protocol end to end for a few steps (the real
networks and data), writes its json / markdown / plot, resumes without retraining, extends a
finished run, and benchmarks/reproductions.py assembles the generated page from the results."""
import importlib.util
import json
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _load(name):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", os.path.join(ROOT, "benchmarks", f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_protocol_runs_resumes_and_extends(tmp_path):
    bench = _load("pacgan_2d")
    out, work = str(tmp_path / "results" / "pacgan_2d"), str(tmp_path / "runs")
    argv = ["--rows", "gan,pacgan2,ali", "--datasets", "ring", "--seeds", "1", "--steps", "4", "--eval-every", "2",
            "--workdir", work, "--output", out]
    assert bench.main(argv) == 0
    result = json.load(open(out + ".json"))
    assert [r["row"] for r in result["runs"]] == ["gan", "pacgan2", "ali"]
    for run in result["runs"]:
        assert [c["step"] for c in run["curve"]] == [2, 4]
        assert all(0 <= c["modes"] <= 8 and 0 <= c["hq"] <= 1 and c["kl"] >= 0 for c in run["curve"])
    cfg = json.load(open(os.path.join(work, "pacgan2_ring_s0", "data_info.json")))
    assert cfg  # a real run directory
    text = open(out + ".md").read()
    assert "| ring | PacGAN2 (n=1) |" in text and "7.9 ± 0.1" in text and "4 steps per run" in text
    assert os.path.getsize(out + ".png") > 1000

    before = open(os.path.join(work, "gan_ring_s0", "curve.jsonl")).read()
    assert bench.main(argv) == 0  # finished runs: nothing retrained
    assert open(os.path.join(work, "gan_ring_s0", "curve.jsonl")).read() == before

    longer = argv[:argv.index("--rows") + 1] + ["gan"] + argv[argv.index("--rows") + 2:]
    longer[longer.index("--steps") + 1] = "6"
    assert bench.main(longer) == 0  # extended from the checkpoint at step 4
    curve = json.load(open(out + ".json"))["runs"][0]["curve"]
    assert [c["step"] for c in curve] == [2, 4, 6] and open(os.path.join(work, "gan_ring_s0", "curve.jsonl")).read() \
        .startswith(before)

    repro = _load("reproductions")
    page = str(tmp_path / "reproductions.md")
    assert repro.main(["--results", str(tmp_path / "results"), "--output", page]) == 0
    generated = open(page).read()
    assert "do not edit" in generated and "| ring | GAN (n=1) |" in generated
    assert "](results/pacgan_2d.png)" in generated and "Stacked MNIST" in generated
    assert repro.main(["--results", str(tmp_path / "results"), "--output", page, "--check"]) == 0


def test_bad_arguments_are_one_line_exit_2(capsys):
    bench = _load("pacgan_2d")
    with pytest.raises(SystemExit) as e:
        bench.main(["--rows", "gan,wgan"])
    assert e.value.code == 2 and "unknown row or dataset 'wgan'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        bench.main(["--steps", "1001", "--eval-every", "500"])
    assert e.value.code == 2
