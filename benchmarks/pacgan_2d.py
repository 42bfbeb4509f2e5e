"""PacGAN's 2-D protocol (Lin et al. 2018, Table 1) with the zoo's families, beside the published rows.

    nice -n 19 .venv/bin/python benchmarks/pacgan_2d.py [--rows gan,pacgan2,pacgan4,ali]
        [--datasets ring,grid] [--seeds 3] [--steps 400000] [--eval-every 500] [--workers 1]
        [--threads 1] [--workdir runs/pacgan_2d] [--output benchmarks/results/pacgan_2d]

Rows: gan (zoo_configs/gan/pacgan_<data>.yaml: the reference's G, maxout D, Adam 1e-4 beta1 0.8,
non-saturating loss), pacgan<m> (the same with discriminator.pack m and 100 packs = 100 m points
a step, as the reference's packed batches), ali (zoo_configs/bigan/pacgan_<data>.yaml). Every
--eval-every steps (500; the reference logs every epoch of 1,000 steps) 2,500 samples are scored with
tfgan_zoo/metrics/pacgan_2d.py (modes covered, % high quality, reverse KL), giving the learning
curve; the table holds the scores at --steps, mean +- standard error over seeds (Table 1: 10
trials, 400 epochs = 400k steps).

Runs resume: each is a run directory <workdir>/<row>_<data>_s<seed> trained by tfgan_zoo.train,
which checkpoints every evaluation and continues from its latest checkpoint, and whose curve
rows (curve.jsonl) are written before the checkpoint; a killed sweep restarted with the same
command continues run by run, and a longer --steps with the same --eval-every extends finished
runs. Writes <output>.json (every run's curve, the settings, the CPU seconds), <output>.md and
<output>.png; benchmarks/reproductions.py assembles benchmarks/reproductions.md from them.
"""
import argparse
import concurrent.futures
import json
import math
import multiprocessing
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import numpy as np  # noqa: E402

#: (family, pack) of each row
ROWS = {"gan": ("gan", 1), "pacgan2": ("gan", 2), "pacgan3": ("gan", 3), "pacgan4": ("gan", 4),
        "ali": ("bigan", 1)}
LABELS = {"gan": "GAN", "pacgan2": "PacGAN2", "pacgan3": "PacGAN3", "pacgan4": "PacGAN4", "ali": "ALI"}
#: Table 1 of Lin et al. 2018 (fjxmlzn/PacGAN, synthetic_data_experiments/results/Table1.png):
#: (modes, s.e.), (% high quality, s.e.), (reverse KL, s.e.); 10 trials, 400k steps
PUBLISHED = {
    "ring": {"gan": ((6.3, 0.5), (98.2, 0.2), (0.45, 0.09)), "ali": ((6.6, 0.3), (97.6, 0.4), (0.36, 0.04)),
             "pacgan2": ((7.9, 0.1), (95.6, 2.0), (0.07, 0.03)), "pacgan3": ((7.8, 0.1), (97.7, 0.3), (0.10, 0.02)),
             "pacgan4": ((7.8, 0.1), (95.9, 1.4), (0.07, 0.02))},
    "grid": {"gan": ((17.3, 0.8), (94.8, 0.7), (0.70, 0.07)), "ali": ((24.1, 0.4), (95.7, 0.6), (0.14, 0.03)),
             "pacgan2": ((23.8, 0.7), (91.3, 0.8), (0.13, 0.04)), "pacgan3": ((24.6, 0.4), (94.2, 0.4), (0.06, 0.02)),
             "pacgan4": ((24.8, 0.2), (93.6, 0.6), (0.04, 0.01))},
}
PUBLISHED_STEPS = 400_000
EVAL_SEED = 2333  # the seed of the scored samples (the reference fixes its figure noise too)


def run_config(row, dataset, seed, args):
    from tfgan_zoo.config import load_config
    family, pack = ROWS[row]
    overrides = [f"train.seed={seed}", f"train.steps_per_epoch={args.eval_every}",
                 f"train.epochs={args.steps // args.eval_every}", "train.verbose=0", "train.sample_every=0",
                 "train.keep_checkpoints=1", f"data.batch_size={100 * pack}", f"data.options.seed={seed}"]
    if pack > 1:
        overrides.append(f"discriminator.pack={pack}")
    return load_config(os.path.join(ROOT, "zoo_configs", family, f"pacgan_{dataset}.yaml"),
                       overrides=overrides + list(args.set))


def _curve_callback(run_dir, dataset):
    """Scores 2,500 samples at every epoch end, before the run's checkpoint is written."""
    from tfgan_zoo.callbacks import ScoredCurve
    from tfgan_zoo.metrics import pacgan_2d

    def score(model):
        stats = pacgan_2d.score(model.sample(pacgan_2d.NUM_SAMPLES, seed=EVAL_SEED), dataset)
        return {"modes": stats["modes_covered"], "hq": stats["high_quality_fraction"],
                "kl": stats["reverse_kl"]}

    return ScoredCurve(run_dir, score)


def run_one(row, dataset, seed, args):
    """Train (or resume) one run to args.steps; -> its curve rows, in step order."""
    import tensorflow as tf
    try:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    except RuntimeError:  # already initialised in this process (an earlier run): kept as set
        pass
    from tfgan_zoo import models  # noqa: F401  (registers the families)
    from tfgan_zoo.train import train
    run_dir = os.path.join(args.workdir, f"{row}_{dataset}_s{seed}")
    from tfgan_zoo.callbacks import read_curve
    if max(read_curve(run_dir), default=0) < args.steps:
        train(run_config(row, dataset, seed, args), run_dir, callbacks=[_curve_callback(run_dir, dataset)])
    curve = read_curve(run_dir)
    return {"row": row, "dataset": dataset, "seed": seed,
            "curve": [curve[s] for s in sorted(curve) if s <= args.steps]}


def mean_se(values):
    v = np.asarray(values, np.float64)
    se = float(v.std(ddof=1) / math.sqrt(len(v))) if len(v) > 1 else float("nan")
    return float(v.mean()), se


def _fmt(mean, se, digits, unit=""):
    return f"{mean:.{digits}f}{unit}" + ("" if math.isnan(se) else f" ± {se:.{digits}f}{unit}")


def summarise(runs, args):
    """Rows of the table: the score at args.steps of every seed, mean and s.e."""
    table = []
    for dataset in args.datasets:
        for row in args.rows:
            finals = [r["curve"][-1] for r in runs if r["row"] == row and r["dataset"] == dataset and r["curve"]
                      and r["curve"][-1]["step"] == args.steps]
            if not finals:
                continue
            table.append({"dataset": dataset, "row": row, "seeds": len(finals),
                          "modes": mean_se([f["modes"] for f in finals]),
                          "hq": mean_se([100 * f["hq"] for f in finals]),
                          "kl": mean_se([f["kl"] for f in finals]),
                          "published": PUBLISHED[dataset].get(row)})
    return table


def markdown(table, runs, args, command, cpu_seconds):
    lines = ["## PacGAN's 2-D mixtures (Lin et al. 2018, Table 1)", "",
             f"Command: `{command}`", "",
             f"Budget: {args.steps:,} steps per run (the published runs: {PUBLISHED_STEPS:,}, i.e. "
             f"{100 * args.steps / PUBLISHED_STEPS:.2g} % of it), {len(args.seeds_list)} seed(s) "
             f"(published: 10 trials), {cpu_seconds / 3600:.2f} CPU hours of training on {args.threads} thread(s) per run. "
             "Data, networks, optimiser and scoring as the reference code (fjxmlzn/PacGAN, "
             "`synthetic_data_experiments/`); 2,500 samples scored; mean ± standard error over seeds "
             "(none with one seed). High quality: within 3σ of the nearest mode; modes: ≥ 1 high-quality "
             "sample; reverse KL: KL(high-quality mode histogram ‖ uniform).", "",
             "| data | model | modes (ours) | modes (published) | % high quality (ours) | (published) "
             "| reverse KL (ours) | (published) |", "|---|---|---|---|---|---|---|---|"]
    for t in table:
        pub = t["published"]
        p = [_fmt(*pub[0], 1), _fmt(*pub[1], 1, " %"), _fmt(*pub[2], 2)] if pub else ["–"] * 3
        lines.append(f"| {t['dataset']} | {LABELS[t['row']]} (n={t['seeds']}) | {_fmt(*t['modes'], 1)} | {p[0]} | "
                     f"{_fmt(*t['hq'], 1, ' %')} | {p[1]} | {_fmt(*t['kl'], 2)} | {p[2]} |")
    lines += ["", projection(runs, args)]
    lines += ["", f"Learning curves (mean over seeds; dashed: the published figure at {PUBLISHED_STEPS:,} "
              f"steps): ![PacGAN 2-D learning curves]({os.path.basename(args.output)}.png)"]
    return "\n".join(lines) + "\n"


def projection(runs, args):
    """The CPU time of the published budget (every row, both sets, 3 seeds, 400k steps) at the
    CPU seconds per step measured here."""
    per_step = {}
    for r in runs:
        steps = [c["step"] for c in r["curve"]]
        if len(steps) > 1:  # the first segment holds start-up and tracing: left out
            cpu = sum(c["train_cpu_s"] for c in r["curve"][1:])
            per_step.setdefault(r["row"], []).append(cpu / (steps[-1] - steps[0]))
    if not per_step:
        return "(Too few curve points to time the steps.)"
    rates = {row: float(np.mean(v)) for row, v in per_step.items()}
    hours = sum(rates.values()) * 2 * 3 * PUBLISHED_STEPS / 3600
    speeds = ", ".join(f"{LABELS[row]} {1 / rate:.0f}" for row, rate in rates.items())
    return (f"Measured single-threaded training speed (steps/s of CPU time): {speeds}. The published budget "
            f"for these rows (ring and grid, 3 seeds, {PUBLISHED_STEPS:,} steps) would take about {hours:.0f} CPU "
            f"hours, {hours / 2:.0f} h on two cores: `nice -n 19 python benchmarks/pacgan_2d.py --rows "
            f"{','.join(rates)} --seeds 3 --workers 2` (it continues the runs of this table).")


def plot(runs, args, path):
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    metrics = (("modes", "modes covered", 1.0, 0), ("hq", "% high quality", 100.0, 1), ("kl", "reverse KL", 1.0, 2))
    fig, axes = plt.subplots(len(args.datasets), 3, figsize=(13, 3.6 * len(args.datasets)), squeeze=False)
    colours = dict(zip(ROWS, plt.rcParams["axes.prop_cycle"].by_key()["color"]))
    for i, dataset in enumerate(args.datasets):
        for row in args.rows:
            curves = [r["curve"] for r in runs if r["row"] == row and r["dataset"] == dataset and r["curve"]]
            if not curves:
                continue
            n = min(len(c) for c in curves)
            steps = [c["step"] for c in curves[0][:n]]
            for j, (key, title, scale, pub_index) in enumerate(metrics):
                values = np.mean([[scale * c[k][key] for k in range(n)] for c in curves], axis=0)
                ax = axes[i][j]
                ax.plot(steps, values, color=colours[row], label=f"{LABELS[row]} (n={len(curves)})")
                pub = PUBLISHED[dataset].get(row)
                if pub:
                    ax.axhline(pub[pub_index][0], color=colours[row], linestyle="--", linewidth=0.8)
                ax.set_title(f"{dataset}: {title}")
                ax.set_xlabel("steps")
        axes[i][0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def parse(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rows", default="gan,pacgan2,pacgan4,ali", help=f"of {', '.join(ROWS)}")
    p.add_argument("--datasets", default="ring,grid")
    p.add_argument("--seeds", type=int, default=3, help="seeds 0 .. N-1")
    p.add_argument("--steps", type=int, default=PUBLISHED_STEPS, help="generator steps per run")
    p.add_argument("--eval-every", type=int, default=500, help="steps between scored points of the curve")
    p.add_argument("--workers", type=int, default=1, help="runs trained at once (one process each)")
    p.add_argument("--threads", type=int, default=1, help="TensorFlow threads per run")
    p.add_argument("--workdir", default=os.path.join(ROOT, "runs", "pacgan_2d"), help="the runs' directories")
    p.add_argument("--output", default=os.path.join(ROOT, "benchmarks", "results", "pacgan_2d"),
                   help="path prefix of the .json / .md / .png results")
    p.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                   help="config override of every run")
    args = p.parse_args(argv)
    args.rows = [r for r in args.rows.split(",") if r]
    args.datasets = [d for d in args.datasets.split(",") if d]
    bad = [r for r in args.rows if r not in ROWS] + [d for d in args.datasets if d not in PUBLISHED]
    if bad:
        p.error(f"unknown row or dataset {bad[0]!r} (rows: {', '.join(ROWS)}; datasets: ring, grid)")
    if min(args.seeds, args.steps, args.eval_every, args.workers, args.threads) < 1 or args.steps % args.eval_every:
        p.error("--seeds, --steps, --eval-every, --workers and --threads must be >= 1, --steps a multiple of "
                "--eval-every")
    args.seeds_list = list(range(args.seeds))
    return args


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parse(argv)
    todo = [(row, d, s) for d in args.datasets for row in args.rows for s in args.seeds_list]
    runs, start = [], time.time()
    if args.workers == 1:
        results = (run_one(*key, args) for key in todo)
    else:
        pool = concurrent.futures.ProcessPoolExecutor(args.workers, mp_context=multiprocessing.get_context("spawn"))
        results = (f.result() for f in [pool.submit(run_one, *key, args) for key in todo])
    for i, run in enumerate(results, 1):
        runs.append(run)
        last = run["curve"][-1] if run["curve"] else {}
        print(f"[{i}/{len(todo)}] {run['dataset']} {run['row']} seed {run['seed']}: step {last.get('step')} "
              f"modes {last.get('modes')} HQ {100 * last.get('hq', float('nan')):.1f} % KL {last.get('kl', float('nan')):.3f} "
              f"({time.time() - start:.0f} s)", flush=True)
    cpu = sum(c["train_cpu_s"] for r in runs for c in r["curve"])
    table = summarise(runs, args)
    command = "python benchmarks/pacgan_2d.py " + " ".join(a for a in argv)
    text = markdown(table, runs, args, command.strip(), cpu)
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    plot(runs, args, args.output + ".png")
    with open(args.output + ".md", "w", encoding="utf-8") as fh:
        fh.write(text)
    settings = {k: v for k, v in vars(args).items() if k not in ("workdir", "output", "workers")}
    with open(args.output + ".json", "w", encoding="utf-8") as fh:
        json.dump({"title": "PacGAN's 2-D mixtures", "command": command.strip(), "settings": settings,
                   "train_cpu_seconds": cpu, "table": table, "runs": runs}, fh, indent=1)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
