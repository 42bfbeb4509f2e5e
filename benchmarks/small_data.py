"""DCGAN on 500 MNIST training digits without augmentation, with DiffAugment and with ADA, at one budget.

    nice -n 10 .venv/bin/python benchmarks/small_data.py [--arms none,diffaugment,ada] [--seeds 3]
        [--steps 3000] [--eval-every 1000] [--workers 1] [--threads 1] [--samples 1000]
        [--workdir runs/small_data] [--output benchmarks/results/small_data]

Data: `mnist` (bundled source), 28 px zero-padded to 32, `num_examples: 500` (50 a class, subset
seed 0: the same 500 digits for every run). Networks and optimiser: zoo_configs/dcgan/digits.yaml
(EMA generator) at 32 px. Arms: none; diffaugment (policy translation,cutout, the paper's choice for
small data; colour off: the digits are grayscale); ada (target 0.6, blit + colour groups, ada_kimg 100 so p can move
by 1 in 100k images: the budget is ~200k).
Every --eval-every steps FID and KID of --samples EMA-generator samples against the fixed held-out
1,000 digits (MNIST judge features, tfgan_zoo/metrics) are written to the run's curve.jsonl before
its checkpoint; the table holds the last point, median over seeds. Baselines: 1,000 other training
digits vs the held-out 1,000 (real vs real) and the 500 training digits themselves vs it.
Runs resume (run directories trained by tfgan_zoo.train): the same command continues a killed sweep.
"""
import argparse
import concurrent.futures
import json
import multiprocessing
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import numpy as np  # noqa: E402

ARMS = {"none": None,
        "diffaugment": {"name": "diffaugment", "policy": "translation,cutout"},
        "ada": {"name": "ada", "target": 0.6, "ada_kimg": 100}}
LABELS = {"none": "no augmentation", "diffaugment": "DiffAugment (translation, cutout)",
          "ada": "ADA (target 0.6, ada_kimg 100)"}
NUM_EXAMPLES, SUBSET_SEED, EVAL_SEED = 500, 0, 2333


def run_config(arm, seed, args):
    from tfgan_zoo.config import load_config
    overrides = ["data.name=mnist", "data.image_size=32", f"data.batch_size={args.batch}",
                 f"data.options={{source: bundled, num_examples: {NUM_EXAMPLES}, subset_seed: {SUBSET_SEED}}}",
                 f"train.seed={seed}", f"train.steps_per_epoch={args.eval_every}",
                 f"train.epochs={args.steps // args.eval_every}", "train.verbose=0", "train.sample_every=0",
                 "train.keep_checkpoints=1", f"train.precision={args.precision}",
                 f"model.ema_start={args.steps // 10}",
                 f"generator.base_filters={args.filters}", f"discriminator.base_filters={args.filters}"]
    if ARMS[arm]:
        overrides.append("model.augment=" + json.dumps(ARMS[arm]))
    return load_config(os.path.join(ROOT, "zoo_configs", "dcgan", "digits.yaml"), overrides=overrides + list(args.set))


def _score(fake_source, real_stats, num):
    from tfgan_zoo.metrics.mnist_reference import score
    out = score(fake_source, real_stats, num)
    return out["fid"]["value"], out["kid"]["mean"]


def _real_stats():
    from tfgan_zoo.metrics.mnist_reference import held_out_stats
    return held_out_stats(source="bundled")


def baselines():
    """FID / KID vs the held-out 1,000 of 1,000 training digits outside the subset, and of the subset."""
    from tfgan_zoo.data.subsets import labelled_indices
    from tfgan_zoo.metrics.mnist_reference import mnist_images, real_vs_real
    real = _real_stats()
    images, labels = mnist_images("train", source="bundled")
    subset, rest = labelled_indices(labels, NUM_EXAMPLES // 10, SUBSET_SEED, "small_data")
    other = np.random.default_rng(1).choice(rest, 1000, replace=False)
    return {name: real_vs_real(real, rows=rows, images=images)
            for name, rows in (("real_vs_real", other), ("training_500", subset))}


def _curve_callback(run_dir, num):
    from tfgan_zoo.callbacks import ScoredCurve
    from tfgan_zoo.metrics.sources import SampleSource
    real = _real_stats()

    def score(model):
        fid, kid = _score(SampleSource(model.sample, seed=EVAL_SEED), real, num)
        row = {"fid": fid, "kid": kid}
        if hasattr(model, "ada_p"):
            row["ada_p"] = float(model.ada_p.numpy())
        np.save(os.path.join(run_dir, "grid.npy"), model.sample(64, seed=EVAL_SEED))
        return row

    return ScoredCurve(run_dir, score)


def run_one(arm, seed, args):
    import tensorflow as tf
    try:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    except RuntimeError:
        pass
    from tfgan_zoo import models  # noqa: F401
    from tfgan_zoo.train import train
    run_dir = os.path.join(args.workdir, f"{arm}_s{seed}")
    from tfgan_zoo.callbacks import read_curve
    if max(read_curve(run_dir), default=0) < args.steps:
        train(run_config(arm, seed, args), run_dir, callbacks=[_curve_callback(run_dir, args.samples)])
    curve = read_curve(run_dir)
    return {"arm": arm, "seed": seed, "run_dir": run_dir,
            "curve": [curve[s] for s in sorted(curve) if s <= args.steps]}


def summarise(runs, args):
    table = []
    for arm in args.arms:
        finals = [r["curve"][-1] for r in runs if r["arm"] == arm and r["curve"] and r["curve"][-1]["step"] == args.steps]
        if finals:
            table.append({"arm": arm, "seeds": [f["fid"] for f in finals], "fid": float(np.median([f["fid"] for f in finals])),
                          "kid": float(np.median([f["kid"] for f in finals]))})
    return table


def markdown(table, base, args, command, cpu):
    lines = ["## Small data: DCGAN on 500 MNIST digits", "", f"Command: `{command}`", "",
             f"Budget: {args.steps:,} steps x batch {args.batch} per run ({args.steps * args.batch / NUM_EXAMPLES:.0f} "
             f"passes over the 500 digits), base_filters {args.filters}, precision {args.precision}, "
             f"{cpu / 60:.1f} CPU minutes of training in all. FID / KID (x 1e3) of {args.samples} EMA-generator "
             "samples vs the held-out 1,000 (MNIST judge features); median over seeds, the seeds in brackets.", "",
             "| arm | FID (median) | FID per seed | KID x 1e3 (median) |", "|---|---|---|---|"]
    for t in table:
        lines.append(f"| {LABELS[t['arm']]} | {t['fid']:.2f} | {', '.join(f'{v:.2f}' for v in t['seeds'])} | "
                     f"{1e3 * t['kid']:.2f} |")
    for name, label in (("real_vs_real", "1,000 other training digits (real vs real)"),
                        ("training_500", "the 500 training digits themselves")):
        if name in base:
            lines.append(f"| {label} | {base[name]['fid']:.2f} | – | {1e3 * base[name]['kid']:.2f} |")
    lines += ["", f"![FID by arm and samples]({os.path.basename(args.output)}.png)"]
    return "\n".join(lines) + "\n"


def plot(table, runs, base, args, path):
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    fig, axes = plt.subplots(1, 1 + len(table), figsize=(4 + 3 * len(table), 3.4), squeeze=False)
    ax = axes[0][0]
    for i, t in enumerate(table):
        ax.scatter([i] * len(t["seeds"]), t["seeds"], color="grey", s=14)
        ax.hlines(t["fid"], i - 0.3, i + 0.3, color="C0")
    if "real_vs_real" in base:
        ax.axhline(base["real_vs_real"]["fid"], color="C2", linestyle="--", linewidth=0.8, label="real vs real")
        ax.legend(fontsize=7)
    ax.set_xticks(range(len(table)), [t["arm"] for t in table])
    ax.set_ylabel("FID vs held-out")
    for j, t in enumerate(table, 1):
        run = min((r for r in runs if r["arm"] == t["arm"]), key=lambda r: abs(r["curve"][-1]["fid"] - t["fid"]))
        grid = np.load(os.path.join(run["run_dir"], "grid.npy"))[:64, ..., 0]
        n = int(np.sqrt(len(grid)))
        img = grid[:n * n].reshape(n, n, *grid.shape[1:]).transpose(0, 2, 1, 3).reshape(n * grid.shape[1], -1)
        axes[0][j].imshow((img + 1) / 2, cmap="gray", vmin=0, vmax=1)
        axes[0][j].set_title(f"{t['arm']} (seed {run['seed']})", fontsize=8)
        axes[0][j].axis("off")
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


def parse(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--arms", default="none,diffaugment,ada", help=f"of {', '.join(ARMS)}")
    p.add_argument("--seeds", type=int, default=3, help="seeds 0 .. N-1")
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--eval-every", type=int, default=1000)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--filters", type=int, default=32, help="base_filters of G and D")
    p.add_argument("--precision", default="float32")
    p.add_argument("--samples", type=int, default=1000, help="samples scored per point")
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--workdir", default=os.path.join(ROOT, "runs", "small_data"))
    p.add_argument("--output", default=os.path.join(ROOT, "benchmarks", "results", "small_data"))
    p.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE")
    args = p.parse_args(argv)
    args.arms = [a for a in args.arms.split(",") if a]
    bad = [a for a in args.arms if a not in ARMS]
    if bad:
        p.error(f"unknown arm {bad[0]!r} (arms: {', '.join(ARMS)})")
    if min(args.seeds, args.steps, args.eval_every, args.workers, args.threads, args.batch, args.filters) < 1 \
            or args.steps % args.eval_every or args.samples < 2:
        p.error("--seeds, --steps, --eval-every, --workers, --threads, --batch, --filters must be >= 1, --steps a "
                "multiple of --eval-every, --samples >= 2")
    return args


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parse(argv)
    todo = [(arm, s) for s in range(args.seeds) for arm in args.arms]
    if args.workers == 1:
        results = (run_one(*key, args) for key in todo)
    else:
        pool = concurrent.futures.ProcessPoolExecutor(args.workers, mp_context=multiprocessing.get_context("spawn"))
        results = (f.result() for f in [pool.submit(run_one, *key, args) for key in todo])
    runs, start = [], time.time()
    for i, run in enumerate(results, 1):
        runs.append(run)
        last = run["curve"][-1] if run["curve"] else {}
        print(f"[{i}/{len(todo)}] {run['arm']} seed {run['seed']}: step {last.get('step')} FID {last.get('fid')} "
              f"({time.time() - start:.0f} s)", flush=True)
    base = baselines()
    cpu = sum(c["train_cpu_s"] for r in runs for c in r["curve"])
    table = summarise(runs, args)
    command = ("python benchmarks/small_data.py " + " ".join(argv)).strip()
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    plot(table, runs, base, args, args.output + ".png")
    text = markdown(table, base, args, command, cpu)
    with open(args.output + ".md", "w", encoding="utf-8") as fh:
        fh.write(text)
    settings = {k: v for k, v in vars(args).items() if k not in ("workdir", "output", "workers")}
    with open(args.output + ".json", "w", encoding="utf-8") as fh:
        json.dump({"title": "Small data: DCGAN on 500 MNIST digits", "command": command, "settings": settings,
                   "train_cpu_seconds": cpu, "baselines": base, "table": table,
                   "runs": [{k: v for k, v in r.items() if k != "run_dir"} for r in runs]}, fh, indent=1)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
