"""Stacked MNIST in the Unrolled-GAN setting (PacGAN, Lin et al. 2018, Table 3, D = 1/4 G), beside the published rows.

    nice -n 10 .venv/bin/python benchmarks/stacked_mnist.py [--rows dcgan,pacdcgan2,pacdcgan4]
        [--steps 20000] [--steps-per-epoch 1000] [--packs 128] [--samples 25600] [--curve-every 2000]
        [--curve-samples 25600] [--eval-only] [--threads 1] [--workdir runs/stacked_mnist]
        [--output benchmarks/results/stacked_mnist] [--set SECTION.KEY=VALUE]

Rows: dcgan (zoo_configs/dcgan/stacked_mnist.yaml: the Unrolled-GAN networks with D at 1/4 of G's
widths, z 256, Adam 2e-4 / 1e-4 with betas 0.5 / 0.99, as fjxmlzn/PacGAN's D=0.25G code) and
pacdcgan<m> (discriminator.pack m, batch 128 m: 128 packs a step, as the reference's packed
batches; fresh triples, 128 m x --steps of them, seed 0). Each row is the run directory
<workdir>/<row> trained by tfgan_zoo.train, one checkpoint an epoch, all kept; a run whose DONE.json
reached --steps is reused, an unfinished one resumed (--eval-only: nothing is trained, the
checkpoints there are scored).

Scoring, the reference's protocol: --samples generator samples (25,600: the reference's
num_test_sample), each channel classified by the MNIST judge (extractor "mnist"; the samples are
28x28 in [-1, 1], which the judge pads to its 32x32 input), mode 100 a + 10 b + c; modes with >= 1
sample (the published "modes"), with >= 10, and KL(mode histogram || uniform over 1,000) (the
published KL). The learning curve scores the checkpoints every --curve-every steps on
--curve-samples samples. Scores are cached in <run_dir>/stacked_modes.jsonl (keyed by step,
samples, seed and judge weights): a rerun scores only new checkpoints. Baselines: --samples real
triples of the held-out digits (stacked_mnist split "test") and of the training digits (cached in
<workdir>/real_baselines.jsonl). Training wall time is read off each run's TensorBoard epoch
timestamps. Writes <output>.json / .md / .png; benchmarks/reproductions.py assembles
benchmarks/reproductions.md from them.
"""
import argparse
import glob
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import numpy as np  # noqa: E402

ROWS = {"dcgan": 1, "pacdcgan2": 2, "pacdcgan3": 3, "pacdcgan4": 4}
LABELS = {"dcgan": "DCGAN", "pacdcgan2": "PacDCGAN2", "pacdcgan3": "PacDCGAN3", "pacdcgan4": "PacDCGAN4"}
#: Table 3 of Lin et al. 2018, "D is 1/4 size of G" (fjxmlzn/PacGAN, stacked_MNIST_experiments/results/Table3.png):
#: (modes, s.e.), (KL, s.e.); their own DCGAN and PacDCGANs, 50 trials, standard errors
PUBLISHED = {"dcgan": ((78.5, 17.56), (5.21, 0.19)), "pacdcgan2": ((484.5, 32.99), (2.61, 0.22)),
             "pacdcgan3": ((601.3, 32.18), (2.00, 0.17)), "pacdcgan4": ((667.4, 29.00), (1.81, 0.15))}
#: the rows Table 3 quotes from Metz et al. 2017 (the Unrolled GAN paper), same setting
QUOTED = (("DCGAN (Metz et al. 2017)", (30.6, 20.73), (5.99, 0.42)),
          ("Unrolled GAN, 10 steps (Metz et al. 2017)", (327.2, 74.67), (4.66, 0.46)))
#: unrolled_GAN_experiment/D=0.25G/config.py: num_training_sample 500,000 x 128 at batch 128, one epoch
PUBLISHED_STEPS, PUBLISHED_SAMPLES = 500_000, 25_600
CONFIG = os.path.join(ROOT, "zoo_configs", "dcgan", "stacked_mnist.yaml")
CACHE = "stacked_modes.jsonl"
EVAL_SEED = 2333  # seeds of the scored samples: EVAL_SEED + batch index
REAL_SEED = 0     # seed of the real baseline triples


def run_config(row, args):
    from tfgan_zoo.config import load_config
    m, epochs = ROWS[row], args.steps // args.steps_per_epoch
    overrides = [f"discriminator.pack={m}", f"data.batch_size={args.packs * m}",
                 f"data.options.num_examples={args.packs * m * args.steps}", "train.seed=0",
                 f"train.keep_checkpoints={epochs}", "train.verbose=0", f"train.epochs={epochs}",
                 f"train.steps_per_epoch={args.steps_per_epoch}"]
    return load_config(CONFIG, overrides=overrides + list(args.set))


def finished(run_dir, steps):
    done = os.path.join(run_dir, "DONE.json")
    if not os.path.isfile(done):
        return False
    with open(done, encoding="utf-8") as fh:
        return json.load(fh).get("step", 0) >= steps


def train_row(row, args):
    """Train or resume <workdir>/<row> to args.steps unless it is finished (or --eval-only)."""
    run_dir = os.path.join(args.workdir, row)
    cfg = run_config(row, args)  # built (and checked) even when the run is reused
    if args.eval_only or finished(run_dir, args.steps):
        return run_dir
    from tfgan_zoo import models  # noqa: F401  (registers the families)
    from tfgan_zoo.train import train
    train(cfg, run_dir)
    return run_dir


class Judge:
    """The MNIST judge as the digit classifier of tfgan_zoo.metrics.modes (probabilities)."""

    def __init__(self):
        from tfgan_zoo.metrics.features import get_extractor
        self.extractor = get_extractor("mnist")
        self.tag = self.extractor.cache_tag

    def __call__(self, images):
        import scipy.special
        return scipy.special.softmax(self.extractor(images)["logits"], axis=1)


def score(images, judge, num):
    """images: [N, 28, 28, 3] in [-1, 1] or a sampler n -> such images."""
    from tfgan_zoo.metrics.modes import stacked_mnist_modes
    s = stacked_mnist_modes(images, judge, num_samples=num)
    return {"modes_1": s["modes_1"], "modes_10": s["modes_10"], "kl": s["reverse_kl"], "samples": num,
            "kl_floor": s["kl_floor"]}


def sampler(model):
    """n -> n samples of the model, batch i drawn with seed EVAL_SEED + i (the same images each call)."""
    batch = [0]

    def draw(n):
        batch[0] += 1
        return model.sample(n, seed=EVAL_SEED + batch[0] - 1)
    return draw


def _read_cache(path):
    rows = {}
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                try:
                    r = json.loads(line)
                except json.JSONDecodeError:  # a line cut short by a kill
                    continue
                rows[(r["step"], r["samples"], r["seed"], r["judge"])] = r
    return rows


def score_row(row, run_dir, judge, args):
    """{"curve": scores every --curve-every steps, "final": the score on --samples at min(--steps,
    the newest checkpoint)} of one run, from the cache or by restoring each checkpoint."""
    from tfgan_zoo.checkpoint import RunCheckpoint, step_of
    from tfgan_zoo.train import load_run
    cache_path = os.path.join(run_dir, CACHE)
    cache = _read_cache(cache_path)
    ckpt_dir = os.path.join(run_dir, "checkpoints")
    paths = {step_of(p): p for p in RunCheckpoint(ckpt_dir, None).paths()}
    final = min(args.steps, max([s for s in paths if s <= args.steps], default=0))
    wanted = [(s, args.curve_samples) for s in range(args.curve_every, final, args.curve_every)]
    wanted += [(final, args.samples)] if final else []
    model, scored = None, {}
    for step, num in dict.fromkeys(wanted):
        key = (step, num, EVAL_SEED, judge.tag)
        if key not in cache:
            if step not in paths:
                continue  # not kept
            if model is None:
                model = load_run(run_dir)[2]
            RunCheckpoint(ckpt_dir, model).restore(paths[step])
            cache[key] = {"step": step, "seed": EVAL_SEED, "judge": judge.tag, **score(sampler(model), judge, num)}
            with open(cache_path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(cache[key]) + "\n")
            print(f"  {row} step {step}: {num} samples, modes {cache[key]['modes_1']} / "
                  f"{cache[key]['modes_10']} (>= 1 / >= 10), KL {cache[key]['kl']:.3f}", flush=True)
        scored[(step, num)] = cache[key]
    curve = [scored[k] for k in wanted[:-1] if k in scored]
    return {"row": row, "curve": curve, "final": scored.get((final, args.samples)), "steps_trained": final,
            "timing": epoch_times(run_dir)}


def epoch_times(run_dir):
    """{"epochs", "seconds_per_epoch", "train_seconds"} from the wall times of the epoch rows in the
    run's TensorBoard logs (logs/train): the mean gap between consecutive epochs of a log x the
    epochs trained (the first epoch of each log has no start stamp). None without logs."""
    from tensorboard.backend.event_processing.event_file_loader import EventFileLoader
    gaps, epochs = [], set()
    for path in sorted(glob.glob(os.path.join(run_dir, "logs", "train", "events.out.tfevents.*"))):
        stamps = {}
        for event in EventFileLoader(path).Load():
            if event.summary.value and event.step > 0:
                stamps.setdefault(int(event.step), event.wall_time)
        steps = sorted(stamps)
        gaps += [stamps[b] - stamps[a] for a, b in zip(steps, steps[1:]) if b == a + 1]
        epochs.update(steps)
    if not gaps:
        return None
    per_epoch = float(np.mean(gaps))
    return {"epochs": len(epochs), "seconds_per_epoch": per_epoch, "train_seconds": per_epoch * len(epochs)}


def baselines(judge, num, workdir):
    """Scores of num real triples of the held-out digits and of the training digits (28 px, seed 0),
    with the judge's accuracy on their digits and modes; cached in <workdir>/real_baselines.jsonl."""
    from tfgan_zoo.data import build_dataset
    cache_path = os.path.join(workdir, "real_baselines.jsonl")
    key = {"samples": num, "seed": REAL_SEED, "judge": judge.tag}
    for row in _read_cache(cache_path).values():
        if all(row[k] == v for k, v in key.items()):
            return row["baselines"]
    out = {}
    for split in ("test", "train"):
        ds, info = build_dataset("stacked_mnist", split=split, image_size=28, num_examples=num, seed=REAL_SEED)
        x = next(ds.batch(num).as_numpy_iterator())
        read = []  # the judge's digits, call by call: channels 0, 1, 2 of each batch in turn

        def recording(images):
            p = judge(images)
            read.append(p.argmax(axis=1))
            return p
        stats = score(x["real"], recording, num)
        digits = np.concatenate([np.stack(read[i:i + 3], axis=1) for i in range(0, len(read), 3)])
        truth = np.stack([x["label"] // 100, x["label"] // 10 % 10, x["label"] % 10], axis=1)
        out[split] = {**stats, "source": info.extra["source"], "source_digits": info.extra["source_examples"],
                      "digit_accuracy": float(np.mean(digits == truth)),
                      "mode_accuracy": float(np.mean((digits == truth).all(axis=1)))}
    os.makedirs(workdir, exist_ok=True)
    with open(cache_path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({**key, "step": 0, "baselines": out}) + "\n")
    return out


def _pm(pair, digits):
    return f"{pair[0]:.{digits}f} ± {pair[1]:.2f}"


def _duration(seconds):
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min" if seconds < 5400 else \
        f"{seconds / 3600:.1f} h"


def markdown(results, base, args, command):
    n = f"{args.samples:,}"
    lines = ["## Stacked MNIST, the Unrolled-GAN setting (Lin et al. 2018, Table 3)", "",
             f"Command: `{command}`", "",
             f"Budget: {args.steps:,} steps of {args.packs} packs per run (a pack: m images for PacDCGANm; one "
             "discriminator and one generator update a step), 1 seed; the published runs: "
             f"{PUBLISHED_STEPS:,} steps of 128 (fjxmlzn/PacGAN, `unrolled_GAN_experiment/D=0.25G/config.py`), "
             f"50 trials: ours is {100 * args.steps / PUBLISHED_STEPS:.2g} % of their steps. Networks, optimiser "
             "and data as the reference (D has 1/4 of G's widths; fresh random triples); our digits are the "
             f"{base['train']['source_digits']:,} MNIST training digits of the `stacked_mnist` source "
             f"({base['train']['source']}), theirs the 60,000 of MNIST. Judge: the zoo's MNIST judge (extractor "
             "`mnist`, a calibrated CNN ensemble trained on the bundled training digits), which reads "
             f"{100 * base['test']['digit_accuracy']:.1f} % of the held-out triples' digits right "
             f"({100 * base['test']['mode_accuracy']:.1f} % of their modes); the published work used its own "
             "Keras MNIST CNN (the Keras mnist_cnn example on the 60,000 digits, inputs in [0, 1]). "
             f"{n} samples scored at the last step (the reference: {PUBLISHED_SAMPLES:,}); modes: ≥ 1 sample "
             "(the published figure) and ≥ 10; KL: KL(mode histogram "
             f"‖ uniform over 1,000), whose floor for {n} draws of the uniform itself is (K − 1) / 2N = "
             f"{999 / (2 * args.samples):.4f}. Published: mean ± standard error over 50 trials.", "",
             "| model | modes ≥ 1 (ours) | modes ≥ 10 (ours) | KL (ours) | modes (published) | KL (published) "
             "| steps (ours) | training wall time |", "|---|---|---|---|---|---|---|---|"]
    for r in results:
        f, pub, t = r["final"], PUBLISHED.get(r["row"]), r["timing"]
        ours = [str(f["modes_1"]), str(f["modes_10"]), f"{f['kl']:.2f}"] if f else ["–"] * 3
        steps = f"{r['steps_trained']:,}" if r["steps_trained"] else "not run"
        time_text = (f"{_duration(t['train_seconds'])} ({t['seconds_per_epoch'] * 1000 / args.steps_per_epoch:.0f} s "
                     "per 1,000 steps)") if t else "–"
        lines.append(f"| {LABELS[r['row']]} | {' | '.join(ours)} | {_pm(pub[0], 1) if pub else '–'} | "
                     f"{_pm(pub[1], 2) if pub else '–'} | {steps} | {time_text} |")
    for split, label in (("test", "real triples of held-out digits"), ("train", "real triples of training digits")):
        b = base[split]
        lines.append(f"| {label} | {b['modes_1']} | {b['modes_10']} | {b['kl']:.3f} | – | – | – | – |")
    for label, modes, kl in QUOTED:
        lines.append(f"| {label}, quoted in Table 3 | – | – | – | {_pm(modes, 1)} | {_pm(kl, 2)} | – | – |")
    lines += ["", f"Training wall time: the mean time between epochs in each run's TensorBoard log x the epochs "
              "(the first epoch has no start stamp), on a shared two-core machine, one TensorFlow thread per run. "
              f"Learning curves ({args.curve_samples:,} samples a point, every {args.curve_every:,} steps; dashed: the "
              f"published figures at {PUBLISHED_STEPS:,} steps; dotted: the held-out real triples): "
              f"![Stacked MNIST learning curves]({os.path.basename(args.output)}.png)"]
    return "\n".join(lines) + "\n"


def plot(results, base, args, path):
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    panels = (("modes_1", "modes (≥ 1 sample)", 0), ("modes_10", "modes (≥ 10 samples)", None),
              ("kl", "KL(modes ‖ uniform)", 1))
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.6))
    colours = dict(zip(ROWS, plt.rcParams["axes.prop_cycle"].by_key()["color"]))
    for ax, (key, title, pub_index) in zip(axes, panels):
        for r in results:
            points = r["curve"] + ([r["final"]] if r["final"] else [])
            if points:
                ax.plot([p["step"] for p in points], [p[key] for p in points], color=colours[r["row"]],
                        label=LABELS[r["row"]], marker=".")
                if r["final"]:
                    ax.plot([r["final"]["step"]], [r["final"][key]], color=colours[r["row"]], marker="o")
            if pub_index is not None and r["row"] in PUBLISHED:
                ax.axhline(PUBLISHED[r["row"]][pub_index][0], color=colours[r["row"]], linestyle="--", linewidth=0.8)
        ax.axhline(base["test"][key], color="grey", linestyle=":", linewidth=1, label="real held-out triples")
        ax.set_title(title)
        ax.set_xlabel("steps")
    axes[0].plot([], [], color="black", linestyle="--", linewidth=0.8, label=f"published, {PUBLISHED_STEPS:,} steps")
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def parse(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rows", default="dcgan,pacdcgan2,pacdcgan4", help=f"of {', '.join(ROWS)}")
    p.add_argument("--steps", type=int, default=20000, help="steps per run")
    p.add_argument("--steps-per-epoch", type=int, default=1000, help="steps between checkpoints")
    p.add_argument("--packs", type=int, default=128, help="packs a step (batch = packs x m)")
    p.add_argument("--samples", type=int, default=PUBLISHED_SAMPLES, help="samples scored at the last step")
    p.add_argument("--curve-every", type=int, default=2000, help="steps between scored checkpoints")
    p.add_argument("--curve-samples", type=int, default=PUBLISHED_SAMPLES, help="samples a curve point")
    p.add_argument("--eval-only", action="store_true", help="train nothing: score the checkpoints there are")
    p.add_argument("--threads", type=int, default=1, help="TensorFlow threads")
    p.add_argument("--workdir", default=os.path.join(ROOT, "runs", "stacked_mnist"), help="the runs' directories")
    p.add_argument("--output", default=os.path.join(ROOT, "benchmarks", "results", "stacked_mnist"),
                   help="path prefix of the .json / .md / .png results")
    p.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                   help="config override of every run")
    args = p.parse_args(argv)
    args.rows = [r for r in args.rows.split(",") if r]
    bad = [r for r in args.rows if r not in ROWS]
    if bad:
        p.error(f"unknown row {bad[0]!r} (rows: {', '.join(ROWS)})")
    if min(args.steps, args.steps_per_epoch, args.packs, args.curve_every, args.threads) < 1 \
            or args.steps % args.steps_per_epoch or args.curve_every % args.steps_per_epoch:
        p.error("--steps, --steps-per-epoch, --packs, --curve-every and --threads must be >= 1, --steps and "
                "--curve-every multiples of --steps-per-epoch")
    if min(args.samples, args.curve_samples) < 10:
        p.error("--samples and --curve-samples must be >= 10")
    return args


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parse(argv)
    import tensorflow as tf
    try:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    except RuntimeError:  # already initialised in this process: kept as set
        pass
    run_dirs = {row: train_row(row, args) for row in args.rows}
    judge = Judge()
    results = []
    for row in args.rows:
        results.append(score_row(row, run_dirs[row], judge, args))
        f = results[-1]["final"] or {}
        print(f"{row}: step {results[-1]['steps_trained']} modes {f.get('modes_1')} / {f.get('modes_10')} "
              f"KL {f.get('kl')}", flush=True)
    base = baselines(judge, args.samples, args.workdir)
    command = ("python benchmarks/stacked_mnist.py " + " ".join(argv)).strip()
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    plot(results, base, args, args.output + ".png")
    text = markdown(results, base, args, command)
    with open(args.output + ".md", "w", encoding="utf-8") as fh:
        fh.write(text)
    settings = {k: v for k, v in vars(args).items() if k not in ("workdir", "output")}
    with open(args.output + ".json", "w", encoding="utf-8") as fh:
        json.dump({"title": "Stacked MNIST, the Unrolled-GAN setting (PacGAN Table 3, D = 1/4 G)", "command": command,
                   "settings": settings, "judge": judge.tag, "published": PUBLISHED,
                   "published_steps": PUBLISHED_STEPS, "baselines": base, "runs": results}, fh, indent=1)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
