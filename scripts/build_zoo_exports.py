"""Train the zoo entries that use bundled data, evaluate, export to exports/<name>/1/, and
regenerate exports/README.md from the cards.

    python scripts/build_zoo_exports.py                    # every entry below
    python scripts/build_zoo_exports.py dcgan_digits       # one entry
    python scripts/build_zoo_exports.py --readme-only      # only rewrite exports/README.md

Runs live in --runs-dir (default runs/zoo_exports/<name>); a finished run is reused, an
interrupted one resumes. Each export must stay under --max-mb (the repository ships them).

Entries are the modules of scripts/zoo_entries/, one per export (the module name is the export
name), each with

    ENTRY = {"config": "zoo_configs/<family>/<data>.yaml", "set": [--set overrides],
             "metrics": (metrics computed with the bundled digits classifier, e.g. "fid", "kid")}
    def evaluate(cfg, model, run_dir): -> {metric: record}     (optional: the family's figures)
"""
import argparse
import importlib
import json
import os
import pkgutil
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "scripts"))


def load_entries():
    """{name: (ENTRY, module)} of every module in scripts/zoo_entries/."""
    import zoo_entries
    entries = {}
    for info in sorted(pkgutil.iter_modules(zoo_entries.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"zoo_entries.{info.name}")
        entries[info.name] = (module.ENTRY, module)
    return entries


ENTRIES = {name: entry for name, (entry, _) in load_entries().items()}


def train_or_load(cfg, run_dir):
    from tfgan_zoo.train import load_run, train
    done = os.path.join(run_dir, "DONE.json")
    total = cfg.train.epochs * cfg.train.steps_per_epoch
    if os.path.isfile(done):
        with open(done, encoding="utf-8") as fh:
            if json.load(fh).get("step", 0) >= total:
                return load_run(run_dir)
    train(cfg, run_dir)
    return load_run(run_dir)


def evaluate_digits(cfg, model, metrics, num_samples):
    """evaluate()'s results for the generator against the bundled digits, or {}."""
    if not metrics or model.export_kind != "generate" or cfg.data.name != "digits":
        return {}
    try:
        from tfgan_zoo.metrics import DatasetSource, evaluate
    except ImportError:
        return {}
    from tfgan_zoo.metrics import SampleSource
    from tfgan_zoo.train import build_data
    fake = SampleSource(model.sample, seed=0, name="generator")
    real = DatasetSource(build_data(cfg)[0], name="digits")
    return evaluate(fake, real, metrics=metrics, num_samples=num_samples, extractor="digits")


def evaluate_pairs(cfg, model):
    """Mean L1 of translate(source) to the target over the whole paired set, or {}."""
    if model.export_kind != "translate" or model.data_info.kind != "paired":
        return {}
    import numpy as np

    from tfgan_zoo.train import build_data
    total, count = 0.0, 0
    for batch in build_data(cfg)[0].batch(64):
        fake = np.asarray(model.generate_images(batch))
        total += float(np.abs(fake - np.asarray(batch["real"])).sum())
        count += fake.shape[0]
    size = int(np.prod(fake.shape[1:]))
    return {"l1": {"value": total / (count * size), "extractor": "pixels", "num_fake": count,
                   "num_real": count}}


def build(name, entry, module, args):
    from tfgan_zoo.config import load_config
    from tfgan_zoo.export import card_from_run, export_model
    from tfgan_zoo.export_catalog import dir_size
    cfg = load_config(os.path.join(ROOT, entry["config"]), overrides=entry["set"])
    run_dir = os.path.join(args.runs_dir, name)
    cfg, info, model = train_or_load(cfg, run_dir)
    metrics = evaluate_digits(cfg, model, entry["metrics"], args.num_samples)
    metrics.update(evaluate_pairs(cfg, model))
    if hasattr(module, "evaluate"):
        metrics.update(module.evaluate(cfg, model, run_dir))
    card = card_from_run(cfg, info, run_dir, model, metrics)
    card.update(name=name, zoo_config=entry["config"], overrides=entry["set"])
    path = export_model(model, os.path.join(args.out_dir, name), card, version=1,
                        max_batch=cfg.export.max_batch, overwrite=True)
    size = dir_size(path)
    if size > args.max_mb * 1e6:
        shutil.rmtree(path)
        raise SystemExit(f"{path} is {size / 1e6:.1f} MB > {args.max_mb} MB")
    print(f"exported {name} -> {path} ({size / 1e6:.2f} MB) metrics={json.dumps(metrics)}")
    return path


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("names", nargs="*", help=f"entries to build (default: all of {sorted(ENTRIES)})")
    p.add_argument("--out-dir", default=os.path.join(ROOT, "exports"))
    p.add_argument("--runs-dir", default=os.path.join(ROOT, "runs", "zoo_exports"))
    p.add_argument("--num-samples", type=int, default=2000)
    p.add_argument("--max-mb", type=float, default=5.0)
    p.add_argument("--readme-only", action="store_true")
    args = p.parse_args(argv)
    entries = load_entries()
    unknown = [n for n in args.names if n not in entries]
    if unknown:
        p.error(f"unknown entries {unknown}; known: {sorted(ENTRIES)}")
    if not args.readme_only:
        for name in args.names or sorted(entries):
            build(name, *entries[name], args)
    from tfgan_zoo.export_catalog import write_readme
    print(write_readme(args.out_dir))


if __name__ == "__main__":
    main()
