"""Mode coverage on the 2-D mixtures, the VEEGAN / PacGAN protocol.

    .venv/bin/python benchmarks/mode_coverage.py [--families gan,nsgan,wgan_gp] [--datasets ring,grid]
        [--seeds 5] [--steps 2000] [--batch-size 100] [--samples 2500] [--output PATH]
        [--set train.steps_per_execution=50 ...] [--workers 2]

Each family trains with MLP networks (mlp_generator / mlp_discriminator; mlp_autoencoder for the
energy-based families, spectral norm on for sngan) and its own default loss, regularizers and
optimizer, for --steps generator steps on each data set and seed. Then --samples points are drawn
and scored with tfgan_zoo.metrics.modes.mixture_mode_stats: modes covered (>= 1 high-quality
sample), % high quality (within 3 sigma of the nearest mode) and the reverse KL of the histogram
of high-quality samples over the modes vs uniform. The table (mean +- std over seeds) is printed
and written as Markdown with the published rows for comparison. Not run by the tests.

Each finished run is appended to <output>.runs.jsonl; a rerun with the same settings reuses those
lines, so an interrupted benchmark continues where it stopped. --workers runs that many training
processes at once (small MLPs leave a CPU core idle per process).
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
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

from tfgan_zoo import models  # noqa: E402,F401  (registers the families)
from tfgan_zoo.config import apply_override, from_dict  # noqa: E402
from tfgan_zoo.data import build_dataset, make_training_stream  # noqa: E402
from tfgan_zoo.metrics.modes import mixture_mode_stats  # noqa: E402
from tfgan_zoo.train import build_model  # noqa: E402

DEFAULT_FAMILIES = "gan,nsgan,lsgan,wgan,wgan_gp,dragan,fgan,rsgan,ragan,sngan,ebgan,began"
# Published results (modes covered / % high-quality samples), 2,500 samples each.
PUBLISHED = {
    "grid": [("GAN (Lin et al. 2018)", "17.3", "94.8 %"), ("PacGAN4 (Lin et al. 2018)", "24.8", "93.6 %"),
             ("VEEGAN (Srivastava et al. 2017)", "24.6", "40 %")],
    "ring": [("PacGAN2 (Lin et al. 2018)", "7.9", "95.6 %")],
}


def run_config(family, dataset, seed, args):
    energy = family in ("ebgan", "began")
    disc = {"name": "mlp_autoencoder" if energy else "mlp_discriminator", "hidden_units": args.hidden_units,
            "num_layers": args.num_layers}
    if family == "sngan":
        disc["spectral_norm"] = True
    raw = {"family": family, "data": {"name": dataset, "batch_size": args.batch_size},
           "model": {"latent_dim": args.latent_dim},
           "generator": {"name": "mlp_generator", "hidden_units": args.hidden_units, "num_layers": args.num_layers},
           "discriminator": disc,
           "train": {"seed": seed, "epochs": 1, "steps_per_epoch": args.steps, "sample_every": 0, "verbose": 0}}
    for item in args.set:
        apply_override(raw, item, "--set")
    return from_dict(raw, source=f"<mode_coverage {family} {dataset} seed {seed}>")


def evaluate(family, dataset, seed, args):
    t0 = time.time()
    cfg = run_config(family, dataset, seed, args)
    ds, info = build_dataset(dataset, seed=seed)
    model = build_model(cfg, info)
    stream = make_training_stream(ds, cfg.data.batch_size, seed=seed, shuffle_buffer=cfg.data.shuffle_buffer,
                                  sub_batches=model.sub_batches)
    model.fit(stream, epochs=1, steps_per_epoch=args.steps, verbose=0, shuffle=False)
    z = np.random.default_rng(10_000 + seed).standard_normal((args.samples, args.latent_dim)).astype("float32")
    points = np.asarray(model.generator.predict(z, batch_size=500, verbose=0))
    stats = mixture_mode_stats(points, info.extra["centers"], info.extra["std"])
    stats = {k: (v.tolist() if isinstance(v, np.ndarray) else float(v) if isinstance(v, np.floating)
                 else int(v) if isinstance(v, np.integer) else v) for k, v in stats.items()}
    return {"family": family, "dataset": dataset, "seed": seed, "settings": settings_key(args),
            "seconds": time.time() - t0, **stats}


def settings_key(args):
    return {"steps": args.steps, "batch_size": args.batch_size, "samples": args.samples,
            "latent_dim": args.latent_dim, "hidden_units": args.hidden_units, "num_layers": args.num_layers,
            "set": list(args.set)}


def _load_done(path, args):
    done = {}
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                try:
                    r = json.loads(line)
                except json.JSONDecodeError:  # a line cut short by a crash
                    continue
                if r.get("settings") == settings_key(args):
                    done[(r["family"], r["dataset"], r["seed"])] = r
    return done


def fmt(values, digits=1, scale=1.0):
    v = np.asarray(values, np.float64) * scale
    return f"{v.mean():.{digits}f} ± {v.std():.{digits}f}"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--families", default=DEFAULT_FAMILIES)
    p.add_argument("--datasets", default="ring,grid")
    p.add_argument("--seeds", type=int, default=5, help="number of seeds (0 .. seeds-1)")
    p.add_argument("--steps", type=int, default=2000, help="generator steps per run")
    p.add_argument("--batch-size", type=int, default=100)
    p.add_argument("--samples", type=int, default=2500)
    p.add_argument("--latent-dim", type=int, default=2)
    p.add_argument("--hidden-units", type=int, default=128)
    p.add_argument("--num-layers", type=int, default=3)
    p.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                   help="config override for every run, e.g. train.steps_per_execution=50")
    p.add_argument("--workers", type=int, default=1, help="training processes at once")
    p.add_argument("--output", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "results",
                                                      "mode_coverage.md"))
    args = p.parse_args(argv)
    families = [f for f in args.families.split(",") if f]
    datasets = [d for d in args.datasets.split(",") if d]
    runs_path = args.output + ".runs.jsonl"
    done = _load_done(runs_path, args)
    todo = [(f, d, seed) for d in datasets for f in families for seed in range(args.seeds)
            if (f, d, seed) not in done]
    start = time.time()
    print(f"{len(done)} runs reused from {runs_path}, {len(todo)} to go", flush=True)
    ctx = multiprocessing.get_context("spawn")  # a fresh TF per worker
    with concurrent.futures.ProcessPoolExecutor(max_workers=args.workers, mp_context=ctx) as pool, \
            open(runs_path, "a", encoding="utf-8") as log:
        futures = [pool.submit(evaluate, f, d, seed, args) for f, d, seed in todo]
        for i, fut in enumerate(concurrent.futures.as_completed(futures), 1):
            s = fut.result()
            log.write(json.dumps(s) + "\n")
            log.flush()
            done[(s["family"], s["dataset"], s["seed"])] = s
            print(f"[{i}/{len(todo)}] {s['dataset']} {s['family']} seed {s['seed']}: {s['modes_covered']}/"
                  f"{s['num_modes']} modes, {100 * s['high_quality_fraction']:.1f} % HQ, "
                  f"KL {s['reverse_kl']:.3f} ({s['seconds']:.0f} s)", flush=True)
    rows = [(d, f, [done[(f, d, seed)] for seed in range(args.seeds)]) for d in datasets for f in families]
    train_seconds = sum(r["seconds"] for _, _, stats in rows for r in stats)
    command = "python benchmarks/mode_coverage.py " + " ".join(argv if argv is not None else sys.argv[1:])
    lines = ["# Mode coverage on 2-D mixtures (VEEGAN / PacGAN protocol)", "",
             f"Command: `{command.strip()}`", "",
             f"Settings: {args.steps} generator steps, batch {args.batch_size}, latent {args.latent_dim}, "
             f"MLPs {args.num_layers} x {args.hidden_units} units, each family's default loss / regularizers / "
             f"optimizer, {args.samples} samples scored, seeds 0..{args.seeds - 1}, mean ± std over seeds; "
             f"{train_seconds:.0f} s of training in all, {time.time() - start:.0f} s wall for this invocation, on CPU"
             f"{' (overrides: ' + ', '.join(args.set) + ')' if args.set else ''}. High quality = within 3σ of the nearest mode; "
             "reverse KL of the high-quality mode histogram vs uniform.", "",
             "| data | family | modes | % high quality | reverse KL |", "|---|---|---|---|---|"]
    for dataset, family, stats in rows:
        n = stats[0]["num_modes"]
        lines.append(f"| {dataset} | {family} | {fmt([s['modes_covered'] for s in stats])} / {n} | "
                     f"{fmt([s['high_quality_fraction'] for s in stats], 1, 100)} | "
                     f"{fmt([min(s['reverse_kl'], 99.0) for s in stats], 2)} |")
    lines += ["", "Published (for comparison; their own networks, 2,500 samples, more training):", "",
              "| data | model | modes | % high quality |", "|---|---|---|---|"]
    for dataset in ("grid", "ring"):
        for model, modes, hq in PUBLISHED[dataset]:
            lines.append(f"| {dataset} | {model} | {modes} / {25 if dataset == 'grid' else 8} | {hq} |")
    text = "\n".join(lines) + "\n"
    print(text)
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as fh:
        fh.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
