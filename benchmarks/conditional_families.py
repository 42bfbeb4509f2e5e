"""The conditional and control families' figures over seeds: medians for the README.

    .venv/bin/python benchmarks/conditional_families.py [--entries cgan_digits,acgan_digits,...]
        [--seeds 3] [--runs-dir runs/conditional_families] [--output PATH]

Each entry is a zoo config (the configs of scripts/zoo_entries plus cGAN's projection config),
trained once per seed (train.seed = 0, 1, ...; a finished run directory is reused, an interrupted
one resumes) and measured with tfgan_zoo.figures.families, the functions behind the model
cards. Per-run records go to <output>.runs.jsonl (reused by a rerun with the same settings); the
table of medians (and min - max) over seeds is printed and written as Markdown. Runs one training
at a time. Not run by the tests.
"""
import argparse
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import numpy as np  # noqa: E402

# entry -> (config, figures function, [(figure, record, key)] shown in the table)
ENTRIES = {
    "cgan_digits": ("zoo_configs/cgan/digits.yaml", "class_conditional_figures",
                    [("conditional accuracy", "conditional_accuracy", "value"),
                     ("per-class KID", "per_class_kid", "value")]),
    "cgan_projection_digits": ("zoo_configs/cgan/digits_projection.yaml", "class_conditional_figures",
                               [("conditional accuracy", "conditional_accuracy", "value"),
                                ("per-class KID", "per_class_kid", "value")]),
    "acgan_digits": ("zoo_configs/acgan/digits.yaml", "class_conditional_figures",
                     [("conditional accuracy", "conditional_accuracy", "value"),
                      ("per-class KID", "per_class_kid", "value")]),
    "infogan_digits": ("zoo_configs/infogan/digits.yaml", "infogan_figures",
                       [("matched accuracy", "matched_accuracy", "value"),
                        ("k-means baseline", "matched_accuracy", "kmeans_baseline"),
                        ("MI bound (nats; ln 10 = 2.303)", "mi_categorical", "value")]),
    "triplegan_digits": ("zoo_configs/triplegan/digits.yaml", "triplegan_figures",
                         [("C held-out accuracy", "classifier_accuracy", "value"),
                          ("same C, 50 labels alone", "classifier_accuracy", "supervised_baseline"),
                          ("G conditional accuracy", "conditional_accuracy", "value"),
                          ("per-class KID", "per_class_kid", "value")]),
    "bigan_digits": ("zoo_configs/bigan/digits.yaml", "bigan_figures",
                     [("class preservation of G(E(x))", "class_preservation", "value"),
                      ("linear probe on E(x)", "linear_probe", "value"),
                      ("linear probe, E at init", "linear_probe", "encoder_at_init"),
                      ("reconstruction ratio", "reconstruction_ratio", "value")]),
}


def run_entry(entry, seed, args):
    from tfgan_zoo.config import load_config
    from tfgan_zoo.figures import families as family_figures
    from tfgan_zoo.train import load_run, train
    config, figures, _ = ENTRIES[entry]
    cfg = load_config(os.path.join(ROOT, config), overrides=[f"train.seed={seed}", "train.verbose=0"] + args.set)
    run_dir = os.path.join(args.runs_dir, f"{entry}_seed{seed}")
    t0 = time.time()
    done = os.path.join(run_dir, "DONE.json")
    if not (os.path.isfile(done) and json.load(open(done, encoding="utf-8")).get("step", 0)
            >= cfg.train.epochs * cfg.train.steps_per_epoch):
        train(cfg, run_dir)
    cfg, info, model = load_run(run_dir)
    return {"entry": entry, "seed": seed, "set": list(args.set), "seconds": time.time() - t0,
            "figures": getattr(family_figures, figures)(cfg, info, model)}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--entries", default=",".join(ENTRIES))
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--runs-dir", default=os.path.join(ROOT, "runs", "conditional_families"))
    p.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE")
    p.add_argument("--output", default=os.path.join(ROOT, "benchmarks", "results", "conditional_families.md"))
    args = p.parse_args(argv)
    entries = [e for e in args.entries.split(",") if e]
    unknown = [e for e in entries if e not in ENTRIES]
    if unknown:
        p.error(f"unknown entries {unknown}; known: {sorted(ENTRIES)}")
    log_path = args.output + ".runs.jsonl"
    done = {}
    if os.path.isfile(log_path):
        for line in open(log_path, encoding="utf-8"):
            try:
                r = json.loads(line)
            except json.JSONDecodeError:  # a line cut short by a crash
                continue
            if r["set"] == list(args.set):
                done[(r["entry"], r["seed"])] = r
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(log_path, "a", encoding="utf-8") as log:
        for entry in entries:
            for seed in range(args.seeds):
                if (entry, seed) in done:
                    continue
                print(f"{entry} seed {seed} ...", flush=True)
                r = run_entry(entry, seed, args)
                log.write(json.dumps(r, default=float) + "\n")
                log.flush()
                done[(entry, seed)] = r
    lines = ["# Conditional and control families over seeds", "",
             "Command: `python benchmarks/conditional_families.py " + " ".join(argv if argv is not None else sys.argv[1:])
             + "`", "", f"Median (min - max) over seeds 0..{args.seeds - 1} of each zoo config as shipped; "
             "figures as on the model cards (tfgan_zoo/figures/families.py).", "",
             "| config | figure | median | min - max |", "|---|---|---|---|"]
    for entry in entries:
        for label, record, key in ENTRIES[entry][2]:
            values = np.array([done[(entry, s)]["figures"][record][key] for s in range(args.seeds)], np.float64)
            lines.append(f"| `{ENTRIES[entry][0]}` | {label} | {np.median(values):.3f} | "
                         f"{values.min():.3f} - {values.max():.3f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    with open(args.output, "w", encoding="utf-8") as fh:
        fh.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
