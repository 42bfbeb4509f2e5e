"""CycleGAN with and without its image pool, and StarGAN, over seeds, on the bundled digit domains.

    .venv/bin/python benchmarks/translation.py [--variants cyclegan_pool,cyclegan_no_pool,stargan]
        [--seeds 3] [--runs-dir runs/translation_benchmark] [--output PATH] [--set key=value ...]

Each variant trains its zoo config (zoo_configs/cyclegan/digits.yaml, zoo_configs/stargan/digits.yaml;
cyclegan_no_pool sets model.pool_size=0) with train.seed = 0, 1, ..., then scores the held-out
digits with tfgan_zoo.figures.translation (the same figures as the export cards). The table of
medians (and the range over seeds) is printed and written as Markdown. Not run by the tests.

Runs are ordinary run directories under --runs-dir, so an interrupted benchmark resumes each run
where it stopped, and finished runs are only evaluated again; each evaluated run is also appended
to <output>.runs.jsonl.
"""
import argparse
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VARIANTS = {
    "cyclegan_pool": ("zoo_configs/cyclegan/digits.yaml", []),
    "cyclegan_no_pool": ("zoo_configs/cyclegan/digits.yaml", ["model.pool_size=0"]),
    "stargan": ("zoo_configs/stargan/digits.yaml", []),
}
COLUMNS = {
    "cyclegan": [("ground_truth_l1_ab", "ground-truth L1 A→B"), ("content_preservation_ab", "content A→B"),
                 ("content_preservation_ba", "content B→A"), ("cycle_l1_a", "cycle L1 A"),
                 ("cycle_l1_b", "cycle L1 B"), ("domain_accuracy_ab", "domain acc. A→B")],
    "stargan": [("domain_accuracy", "domain accuracy"), ("content_preservation", "content"),
                ("ground_truth_l1", "ground-truth L1"), ("reconstruction_l1", "reconstruction L1"),
                ("identity_l1", "identity L1")],
}


def run_one(variant, seed, args):
    from tfgan_zoo.config import load_config
    from tfgan_zoo.figures import translation as tm
    from tfgan_zoo.train import load_run, train

    path, sets = VARIANTS[variant]
    cfg = load_config(os.path.join(ROOT, path),
                      overrides=sets + [f"train.seed={seed}", "train.verbose=0"] + list(args.set))
    run_dir = os.path.join(args.runs_dir, f"{variant}_seed{seed}")
    start = time.time()
    done = os.path.join(run_dir, "DONE.json")
    if not os.path.isfile(done):
        train(cfg, run_dir)
    cfg, _, model = load_run(run_dir)
    if cfg.family == "cyclegan":
        figures = tm.evaluate_cyclegan(model.translate_ab, model.translate_ba, cfg.data.image_size)
    else:
        figures = tm.evaluate_stargan(model.translate, cfg.data.image_size)
    figures.pop("per_target", None)
    steps = cfg.train.epochs * cfg.train.steps_per_epoch
    return {"variant": variant, "seed": seed, "steps": steps, "seconds": round(time.time() - start),
            "set": list(args.set), **figures}


def table(rows, variants):
    lines = []
    for family in ("cyclegan", "stargan"):
        chosen = [v for v in variants if v.startswith(family)]
        if not chosen:
            continue
        cols = COLUMNS[family]
        lines += ["", "| variant | seeds | steps | " + " | ".join(label for _, label in cols) + " |",
                  "|---" * (len(cols) + 3) + "|"]
        for variant in chosen:
            mine = [r for r in rows if r["variant"] == variant]
            if not mine:
                continue
            cells = []
            for key, _ in cols:
                values = np.array([r[key] for r in mine])
                cells.append(f"{np.median(values):.3f} ({values.min():.3f}–{values.max():.3f})")
            lines.append(f"| {variant} | {len(mine)} | {mine[0]['steps']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--variants", default=",".join(VARIANTS))
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--runs-dir", default=os.path.join(ROOT, "runs", "translation_benchmark"))
    p.add_argument("--output", default=os.path.join(ROOT, "benchmarks", "results", "translation.md"))
    p.add_argument("--set", action="append", default=[], help="config override for every run")
    args = p.parse_args(argv)
    variants = args.variants.split(",")
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown:
        p.error(f"unknown variants {unknown}; known: {sorted(VARIANTS)}")
    log = args.output + ".runs.jsonl"
    rows = []
    if os.path.isfile(log):
        with open(log, encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh if line.strip()]
    rows = [r for r in rows if r.get("set", []) == list(args.set)]
    for variant in variants:
        for seed in range(args.seeds):
            if any(r["variant"] == variant and r["seed"] == seed for r in rows):
                continue
            row = run_one(variant, seed, args)
            rows.append(row)
            os.makedirs(os.path.dirname(log), exist_ok=True)
            with open(log, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(row) + "\n")
            print(json.dumps(row), flush=True)
    text = ("# Image-to-image translation on the bundled digit domains\n\n"
            "Median (min–max) over seeds; held-out digits (450, every domain for StarGAN); "
            "`benchmarks/translation.py`." + table(rows, variants) + "\n")
    with open(args.output, "w", encoding="utf-8") as fh:
        fh.write(text)
    print(text)


if __name__ == "__main__":
    main()
