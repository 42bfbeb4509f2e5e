"""benchmarks/stacked_mnist.py: its configs are the protocol's command, it trains, scores (curve, final
step, real baselines) and writes json / markdown / plot end to end on tiny settings, reuses finished
runs and cached scores; the MNIST judge reads real 28 px triples as their labels."""
import importlib.util
import json
import math
import os

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _load(name):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", os.path.join(ROOT, "benchmarks", f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("row,m", [("dcgan", 1), ("pacdcgan2", 2), ("pacdcgan4", 4)])
def test_default_configs_are_the_protocol_command(row, m):
    """The resolved config equals `tfgan-zoo train zoo_configs/dcgan/stacked_mnist.yaml` with the
    protocol's --set overrides (so the script resumes or reuses runs trained by that command)."""
    from tfgan_zoo.config import load_config
    bench = _load("stacked_mnist")
    cfg = bench.run_config(row, bench.parse([])).to_dict()
    command = load_config(os.path.join(ROOT, "zoo_configs", "dcgan", "stacked_mnist.yaml"), overrides=[
        f"discriminator.pack={m}", f"data.batch_size={128 * m}", f"data.options.num_examples={128 * m * 20000}",
        "train.seed=0", "train.keep_checkpoints=20", "train.verbose=0"]).to_dict()
    assert cfg == command
    assert (cfg["train"]["epochs"] * cfg["train"]["steps_per_epoch"], cfg["discriminator"]["pack"]) == (20000, m)


@pytest.mark.large  # ~30 s on a free core: two tiny trainings, three passes of the judge
def test_protocol_runs_end_to_end_and_reuses_its_runs(tmp_path):
    bench = _load("stacked_mnist")
    out, work = str(tmp_path / "results" / "stacked_mnist"), str(tmp_path / "runs")
    argv = ["--rows", "dcgan,pacdcgan2", "--steps", "2", "--steps-per-epoch", "1", "--packs", "4",
            "--samples", "60", "--curve-every", "1", "--curve-samples", "30", "--workdir", work, "--output", out,
            "--set", "generator.base_filters=8", "--set", "data.shuffle_buffer=16"]
    assert bench.main(argv) == 0
    result = json.load(open(out + ".json"))
    assert [r["row"] for r in result["runs"]] == ["dcgan", "pacdcgan2"]
    for run in result["runs"]:
        assert [(c["step"], c["samples"]) for c in run["curve"]] == [(1, 30)]
        points = run["curve"] + [run["final"]]
        assert (run["final"]["step"], run["final"]["samples"], run["steps_trained"]) == (2, 60, 2)
        for p in points:
            assert 0 <= p["modes_10"] <= p["modes_1"] <= p["samples"] and p["modes_1"] >= 1
            assert 0 <= p["kl"] <= math.log(1000) + 1e-9
        assert run["timing"] is None or run["timing"]["epochs"] == 2
    cfg = json.load(open(os.path.join(work, "pacdcgan2", "data_info.json")))
    assert cfg["num_examples"] == 4 * 2 * 2  # packs x m x steps fresh triples
    for split in ("test", "train"):  # 60 real triples: ~58 distinct modes of 1,000, none with 10 samples
        base = result["baselines"][split]
        assert base["samples"] == 60 and 50 <= base["modes_1"] <= 60 and base["modes_10"] == 0
        assert base["digit_accuracy"] >= 0.9 and base["mode_accuracy"] >= 0.7
    text = open(out + ".md").read()
    assert "| PacDCGAN2 |" in text and "| 484.5 ± 32.99 | 2.61 ± 0.22 |" in text
    assert "2 steps of 4 packs" in text and "500,000" in text and "real triples of held-out digits" in text
    assert "](stacked_mnist.png)" in text and os.path.getsize(out + ".png") > 1000

    cached = open(os.path.join(work, "dcgan", bench.CACHE)).read()
    assert len(cached.splitlines()) == 2  # step 1 on 30 samples, step 2 on 60
    stamp = os.path.getmtime(os.path.join(work, "dcgan", "DONE.json"))
    assert bench.main(argv) == 0  # finished runs are reused and their scores read from the cache
    assert os.path.getmtime(os.path.join(work, "dcgan", "DONE.json")) == stamp
    assert open(os.path.join(work, "dcgan", bench.CACHE)).read() == cached
    assert json.load(open(out + ".json"))["runs"] == result["runs"]

    # --eval-only trains nothing: a row without a run is reported as not run
    assert bench.main(argv + ["--rows", "dcgan,pacdcgan4", "--eval-only"]) == 0
    assert not os.path.exists(os.path.join(work, "pacdcgan4"))
    runs = json.load(open(out + ".json"))["runs"]
    assert runs[0] == result["runs"][0]
    assert (runs[1]["final"], runs[1]["curve"], runs[1]["steps_trained"]) == (None, [], 0)
    assert "| PacDCGAN4 | – | – | – | 667.4 ± 29.00 | 1.81 ± 0.15 | not run | – |" in open(out + ".md").read()

    repro = _load("reproductions")
    page = str(tmp_path / "reproductions.md")
    assert repro.main(["--results", str(tmp_path / "results"), "--output", page]) == 0
    generated = open(page).read()
    assert "| PacDCGAN4 | – |" in generated and "](results/stacked_mnist.png)" in generated
    assert repro.main(["--results", str(tmp_path / "results"), "--output", page, "--check"]) == 0


def test_bad_arguments_are_one_line_exit_2(capsys):
    bench = _load("stacked_mnist")
    with pytest.raises(SystemExit) as e:
        bench.main(["--rows", "dcgan,wgan"])
    assert e.value.code == 2 and "unknown row 'wgan'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        bench.main(["--steps", "1500"])
    assert e.value.code == 2 and "multiples of --steps-per-epoch" in capsys.readouterr().err


def _held_out_triples(num):
    from tfgan_zoo.data import build_dataset
    ds, _ = build_dataset("stacked_mnist", split="test", image_size=28, num_examples=num, seed=0)
    return next(ds.batch(num).as_numpy_iterator())


def test_judge_reads_28px_triples_as_their_labels():
    """28x28 channels in [-1, 1], as the generator writes them: the judge reads the same modes as on
    the 32 px (padded) triples it was trained at, each digit right >= 97 % of the time on held-out
    triples (so >= 0.97^3 of the modes), and an image range of [0, 1] reads worse."""
    from tfgan_zoo.data import build_dataset
    from tfgan_zoo.metrics.modes import classify_channels
    bench = _load("stacked_mnist")
    judge = bench.Judge()
    x = _held_out_triples(1000)
    assert x["real"].shape == (1000, 28, 28, 3) and x["real"].min() == -1.0 and x["real"].max() == 1.0
    ids = classify_channels(x["real"], judge)
    digits = np.stack([ids // 100, ids // 10 % 10, ids % 10])
    truth = np.stack([x["label"] // 100, x["label"] // 10 % 10, x["label"] % 10])
    assert np.mean(digits == truth) >= 0.97 and np.mean(ids == x["label"]) >= 0.97 ** 3 - 0.02
    padded = next(build_dataset("stacked_mnist", split="test", num_examples=1000, seed=0)[0].batch(1000)
                  .as_numpy_iterator())
    assert padded["real"].shape[1] == 32 and np.array_equal(padded["label"], x["label"])
    assert np.mean(classify_channels(padded["real"], judge) == ids) >= 0.99
    in_unit_range = classify_channels((x["real"] + 1) / 2, judge)
    assert np.mean(in_unit_range == x["label"]) < np.mean(ids == x["label"]) - 0.1


@pytest.mark.large  # ~50 s on one core: 76,800 digits through the judge
def test_real_held_out_triples_give_all_modes_and_the_multinomial_floor():
    bench = _load("stacked_mnist")
    x = _held_out_triples(25600)
    stats = bench.score(x["real"], bench.Judge(), 25600)
    counts = np.bincount(x["label"], minlength=1000)
    assert stats["modes_1"] >= 990 and stats["modes_10"] >= 980 and stats["samples"] == 25600
    assert stats["modes_10"] >= int((counts >= 10).sum()) - 10
    floor = 999 / (2 * 25600)  # E[KL] of N uniform draws over K modes
    assert stats["kl_floor"] == pytest.approx(floor)
    assert 0.8 * floor < stats["kl"] < 1.5 * floor
