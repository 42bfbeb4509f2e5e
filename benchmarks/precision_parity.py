"""Quality parity of bf16 training: digits KID of float32 and mixed_bfloat16 runs of the same
config and steps, over seeds.

    .venv/bin/python benchmarks/precision_parity.py [--config zoo_configs/dcgan/digits.yaml]
        [--steps 3000] [--seeds 0,1,2] [--samples 2000] [--output benchmarks/results/precision_parity.md]

Each (precision, seed) run trains the config for --steps steps (train.seed = the seed, the zoo
recipe otherwise), then scores --samples images from `model.sample` (the EMA generator where the
config has one) against all 1,797 bundled digits with the digits classifier: KID (unbiased,
subsets of 1,000) and FID. The criterion: the bf16 mean KID lies within the float32
seed-to-seed range (max - min) of the float32 mean. Every finished run is appended to
<output>.runs.jsonl and reused on a rerun with the same settings, so an interrupted benchmark
continues. Training wall times are printed but are not speed figures (the machine is shared;
benchmarks/train_throughput.py measures speed). Not run by the tests.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import keras  # noqa: E402
import yaml  # noqa: E402

from tfgan_zoo.config import from_dict  # noqa: E402

PRECISIONS = ("float32", "mixed_bfloat16")


def run_one(config_path, precision, seed, steps, samples):
    from tfgan_zoo.metrics.digits_report import real_digits
    from tfgan_zoo.metrics.evaluator import MetricOptions, evaluate
    from tfgan_zoo.metrics.digits_report import _array_source
    from tfgan_zoo.metrics.sources import SampleSource
    from tfgan_zoo.train import train
    with open(config_path) as f:
        raw = yaml.safe_load(f)
    per_epoch = min(steps, 500)
    raw.setdefault("train", {}).update(seed=seed, precision=precision, steps_per_epoch=per_epoch,
                                        epochs=max(1, steps // per_epoch), sample_every=0,
                                        verbose=0)
    cfg = from_dict(raw, source=config_path)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as run_dir:
        try:
            result = train(cfg, run_dir)
        finally:
            keras.mixed_precision.set_global_policy("float32")
        seconds = time.perf_counter() - start
        images, _ = real_digits(cfg.data.image_size)
        out = evaluate(SampleSource(result.model.sample, seed=0), _array_source(images, "digits"),
                       ("kid", "fid"), num_samples=samples, num_real_samples=len(images),
                       options=MetricOptions(kid_subset_size=1000))
    return {"precision": precision, "seed": seed, "steps": result.step,
            "kid": out["kid"]["mean"], "kid_std": out["kid"]["std"], "fid": out["fid"]["value"],
            "train_seconds": round(seconds, 1)}


def summarise(runs, precisions=PRECISIONS):
    by = {p: sorted((r for r in runs if r["precision"] == p), key=lambda r: r["seed"])
          for p in precisions}
    lines = ["| precision | seeds | KID per seed | KID mean | FID per seed | "
             "train s per run |", "|---|---|---|---|---|---|"]
    for p, rs in by.items():
        if not rs:
            continue
        kids = [r["kid"] for r in rs]
        lines.append(f"| {p} | {','.join(str(r['seed']) for r in rs)} | "
                     f"{', '.join(format(k, '.4g') for k in kids)} | {statistics.mean(kids):.4g} | "
                     f"{', '.join(format(r['fid'], '.2f') for r in rs)} | "
                     f"{', '.join(format(r['train_seconds'], '.0f') for r in rs)} |")
    verdict = None
    if all(len(by[p]) >= 2 for p in precisions):
        ref = [r["kid"] for r in by["float32"]]
        spread = max(ref) - min(ref)
        diff = statistics.mean(r["kid"] for r in by["mixed_bfloat16"]) - statistics.mean(ref)
        verdict = abs(diff) <= spread
        lines.append(f"\nbf16 mean KID - float32 mean KID = {diff:+.4g}; float32 "
                     f"seed-to-seed range {spread:.4g} -> "
                     f"{'within' if verdict else 'OUTSIDE'} the float32 spread")
    return "\n".join(lines), verdict


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default="zoo_configs/dcgan/digits.yaml")
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--samples", type=int, default=2000)
    ap.add_argument("--output", default="benchmarks/results/precision_parity.md")
    a = ap.parse_args(argv)
    seeds = [int(s) for s in a.seeds.split(",")]
    log = a.output + ".runs.jsonl"
    key = {"config": a.config, "steps": a.steps, "samples": a.samples}
    done = []
    if os.path.exists(log):
        with open(log) as f:
            done = [r for r in map(json.loads, f) if r.get("settings") == key]
    for seed in seeds:  # interleaved: each seed in both precisions before the next seed
        for precision in PRECISIONS:
            if any(r["precision"] == precision and r["seed"] == seed for r in done):
                continue
            record = {**run_one(a.config, precision, seed, a.steps, a.samples), "settings": key,
                      "load_average": round(os.getloadavg()[0], 2)}
            print(json.dumps(record), flush=True)
            os.makedirs(os.path.dirname(log) or ".", exist_ok=True)
            with open(log, "a") as f:
                f.write(json.dumps(record) + "\n")
            done.append(record)
    table, verdict = summarise([r for r in done if r["seed"] in seeds])
    header = (f"# bf16 quality parity\n\n`python benchmarks/precision_parity.py --config {a.config}"
              f" --steps {a.steps} --seeds {a.seeds} --samples {a.samples}`: digits KID / FID "
              f"(digits classifier features, {a.samples} samples vs the 1,797 bundled digits) "
              "after the same steps in each precision.\n\n")
    with open(a.output, "w") as f:
        f.write(header + table + "\n")
    print(table)
    return 0 if verdict is not False else 1


if __name__ == "__main__":
    sys.exit(main())
