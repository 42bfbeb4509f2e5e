"""Train the zoo entries that use bundled data, evaluate, export to exports/<name>/1/, and
regenerate exports/README.md from the cards.

    python scripts/build_zoo_exports.py                    # every entry below
    python scripts/build_zoo_exports.py dcgan_digits       # one entry
    python scripts/build_zoo_exports.py --readme-only      # only rewrite exports/README.md
    python scripts/build_zoo_exports.py --rejudge [NAME]   # figures again from the shipped weights

Runs live in --runs-dir (default runs/zoo_exports/<name>); a finished run is reused, an
interrupted one resumes. Each export must stay under --max-mb (the repository ships them).

Entries are the modules of scripts/zoo_entries/, one per export (the module name is the export
name), each with

    ENTRY = {"config": "zoo_configs/<family>/<data>.yaml", "set": [--set overrides],
             "digits": True to put the judge's figures on the card (tfgan_zoo.metrics.
                       digits_report: FID / KID with the real-vs-real baseline, precision /
                       recall, the judge's confidence and class histogram),
             "judge": "digits" (default: the bundled 8x8 digits and their judge) or "mnist"
                      (MNIST's judge, against the held-out MNIST split of the run's source),
             "notes": [lines for the card]}
    def evaluate(cfg, model, run_dir): -> {metric: record}     (optional: the family's figures)
    def grid(export_path, cfg): -> HWC uint8 picture           (optional: else export_grid)

Every card records the steps, the training wall time (summed over resumed runs) and the command
that rebuilds it; a picture drawn from the export itself is stored beside the card
(assets/samples.png) and shown by the catalogue. Noise -> image entries are held to the zoo's
bar, read by the calibrated bundled judge from the export's own `sample` signature
(tfgan_zoo.metrics.zoo_bar: confidence >= 0.90, 10 classes, none above 15 %, sharpness 0.6-1.5,
conditional entries >= 0.95 requested-class accuracy): the card's "judge" record, and a note
saying by how much an entry misses it.

--rejudge recomputes every figure of a shipped entry from its export's weights with today's
judge, no training: the model is rebuilt from the card's config and the SavedModel's variables
(scripts/reexport_from_savedmodel.py), the same figures as a build are measured, and only
assets/card.json is rewritten (steps, training time, formats and the picture are kept). A figure
that needs the training run (ProGAN's per-stage SWD reads its checkpoints) is kept from the old
card when it does not depend on the classifier, and dropped when it did.
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


TIMES = "zoo_build.json"  # in the run directory: training seconds, summed over resumes


def train_or_load(cfg, run_dir):
    """(cfg, info, model, train_seconds): trains (or resumes) unless the run is finished."""
    import threading
    import time

    from tfgan_zoo.train import load_run, train
    done = os.path.join(run_dir, "DONE.json")
    times = os.path.join(run_dir, TIMES)
    total = cfg.train.epochs * cfg.train.steps_per_epoch
    if os.path.isfile(times):
        with open(times, encoding="utf-8") as fh:
            seconds = json.load(fh)["train_seconds"]
    else:  # a run trained before its time was recorded: the span of its TensorBoard log
        seconds = logged_seconds(run_dir)
    finished = False
    if os.path.isfile(done):
        with open(done, encoding="utf-8") as fh:
            finished = json.load(fh).get("step", 0) >= total
    if not finished:
        start, stop = time.perf_counter(), threading.Event()

        def record():  # every 30 s, so a killed build loses at most that much of its time
            if os.path.isdir(run_dir):
                write_json(times, {"train_seconds": seconds + time.perf_counter() - start})

        def keep_recording():
            while not stop.wait(30):
                record()
        threading.Thread(target=keep_recording, daemon=True).start()
        try:
            train(cfg, run_dir)
        finally:
            stop.set()
            record()
        seconds += time.perf_counter() - start
    return (*load_run(run_dir), seconds)


def write_json(path, value):
    """Write atomically: a temp file renamed over `path`."""
    with open(path + ".tmp", "w", encoding="utf-8") as fh:
        json.dump(value, fh)
    os.replace(path + ".tmp", path)


def logged_seconds(run_dir):
    """Wall time between the first and last event of each TensorBoard log in run_dir/logs,
    summed (0.0 without logs): a lower bound that misses the first epoch of each part of a
    resumed run."""
    import glob

    from tensorboard.backend.event_processing.event_file_loader import EventFileLoader
    total = 0.0
    for path in sorted(glob.glob(os.path.join(run_dir, "logs", "events.out.tfevents.*"))):
        stamps = [event.wall_time for event in EventFileLoader(path).Load()]
        total += max(stamps) - min(stamps) if stamps else 0.0
    return total


def judge_entry(entry, path, card):
    """The export's "judge" record (tfgan_zoo.metrics.zoo_bar) for a noise -> image entry, or None."""
    if not entry.get("digits") or "sample" not in (card.get("signatures") or []) \
            or card.get("export_kind") != "generate":
        return None
    from tfgan_zoo.metrics.zoo_bar import judge_export
    return judge_export(path, card.get("family"), extractor=entry.get("judge", "digits"))


def finish_card(entry, path, notes, card=None):
    """Add the judge record and the bar note to the export's card (`card`, else the one written
    at `path`) and write it to `path`."""
    from tfgan_zoo.export import CARD, read_card
    from tfgan_zoo.metrics.zoo_bar import bar_note
    card_path = os.path.join(path, "assets", CARD)
    card = card if card is not None else read_card(path)
    row = judge_entry(entry, path, card)
    card["notes"] = list(notes)
    if row is not None:
        card["metrics"]["judge"] = row
        card["notes"].append(bar_note(row))
    with open(card_path + ".tmp", "w", encoding="utf-8") as fh:
        json.dump(card, fh, indent=2, sort_keys=True, default=str)
    os.replace(card_path + ".tmp", card_path)
    return card


def evaluate_pairs(cfg, model):
    """Mean L1 of translate(source) to the target on the training pairs and on held-out pairs
    (the data's "test" split, when it has one), beside the L1 of always answering the mean
    training target (what a model that ignores its input scores), or {}."""
    if model.samples or model.data_info.kind != "paired":
        return {}
    import numpy as np

    from tfgan_zoo.data import build_dataset
    from tfgan_zoo.train import build_data

    def l1(ds, mean=None):
        total, count = 0.0, 0
        for batch in ds.batch(64):
            real = np.asarray(batch["real"])
            fake = np.asarray(model.generate_images({"images": batch["source"]})) if mean is None else mean
            total += float(np.abs(fake - real).mean(axis=(1, 2, 3)).sum())
            count += len(real)
        return total / count, count

    train_ds = build_data(cfg)[0]
    mean = np.mean([np.asarray(b["real"]) for b in train_ds.batch(10**6)][0], axis=0)
    value, count = l1(train_ds)
    out = {"l1": {"value": value, "extractor": "pixels", "num_fake": count, "num_real": count,
                  "split": "train", "mean_target_l1": l1(train_ds, mean)[0]}}
    try:
        test_ds, _ = build_dataset(cfg.data.name, image_size=cfg.data.image_size,
                                   channels=cfg.data.channels or None, split="test",
                                   **cfg.data.options)
    except Exception:  # noqa: BLE001 - a set without a test split
        return out
    value, count = l1(test_ds)
    out["l1_heldout"] = {"value": value, "extractor": "pixels", "num_fake": count,
                         "num_real": count, "split": "test", "mean_target_l1": l1(test_ds, mean)[0]}
    return out


def build(name, entry, module, args):
    from tfgan_zoo.config import load_config
    from tfgan_zoo.export import card_from_run, export_model
    from tfgan_zoo.export_catalog import dir_size
    from tfgan_zoo.export_catalog import GRID, export_grid
    from tfgan_zoo.imaging import write_png
    cfg = load_config(os.path.join(ROOT, entry["config"]), overrides=entry["set"])
    run_dir = os.path.join(args.runs_dir, name)
    cfg, info, model, seconds = train_or_load(cfg, run_dir)
    metrics = measure(entry, module, cfg, model, run_dir, args)
    card = card_from_run(cfg, info, run_dir, model, metrics)
    card.update(name=name, zoo_config=entry["config"], overrides=entry["set"],
                train_seconds=round(seconds, 1), command=f"python scripts/build_zoo_exports.py {name}")
    path = export_model(model, os.path.join(args.out_dir, name), card, version=1,
                        max_batch=cfg.export.max_batch, overwrite=True)
    picture = module.grid(path, cfg) if hasattr(module, "grid") else export_grid(path)
    write_png(os.path.join(path, "assets", GRID), picture)
    card = finish_card(entry, path, entry.get("notes", []))
    metrics = card["metrics"]
    size = dir_size(path)
    limit = max(args.max_mb, entry.get("max_mb", 0))  # ENTRY "max_mb": an entry whose paper network is big
    if size > limit * 1e6:
        shutil.rmtree(path)
        raise SystemExit(f"{path} is {size / 1e6:.1f} MB > {limit} MB")
    print(f"exported {name} -> {path} ({size / 1e6:.2f} MB) metrics={json.dumps(metrics)}")
    return path


def measure(entry, module, cfg, model, run_dir, args, card=None):
    """{metric: record}: the judge's figures, the paired L1s and the entry's own figures. An MNIST
    entry is scored against the held-out split of the source it trained on (the card's, when
    rejudged; else the run's)."""
    metrics = {}
    if entry.get("digits") and model.samples:
        from tfgan_zoo.metrics.digits_report import card_report
        judge = entry.get("judge", "digits")
        source = {}
        if judge == "mnist":
            source["source"] = ((card or {}).get("data", {}).get("source")
                                or (model.data_info.extra or {}).get("source", "bundled"))
        metrics.update(card_report(model.sample, args.num_samples, judge=judge,
                                   image_size=int(model.data_info.shape[0]), **source))
    metrics.update(evaluate_pairs(cfg, model))
    if hasattr(module, "evaluate"):
        metrics.update(module.evaluate(cfg, model, run_dir))
    return metrics


CLASSIFIER_EXTRACTORS = ("digits", "digits classifier", "mnist")  # records read by a bundled judge


def rejudge(name, entry, module, args):
    """Every figure of a shipped entry again from its export's weights (see the docstring)."""
    from reexport_from_savedmodel import load_model
    from tfgan_zoo.export import read_card, resolve_export
    path = str(resolve_export(os.path.join(args.out_dir, name)))
    card = read_card(path)
    cfg, model, _ = load_model(path, card)
    run_dir = os.path.join(args.runs_dir, name)
    fresh = measure(entry, module, cfg, model, run_dir, args, card)
    kept = {k: v for k, v in (card.get("metrics") or {}).items()
            if k not in fresh and k != "judge" and isinstance(v, dict)
            and v.get("extractor") not in CLASSIFIER_EXTRACTORS}
    card["metrics"] = {**kept, **fresh}
    card = finish_card(entry, path, entry.get("notes", []), card)
    print(f"rejudged {name}: {json.dumps(card['metrics'].get('judge', {}).get('shortfalls'))} "
          f"kept {sorted(kept)}", flush=True)
    return path


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("names", nargs="*", help=f"entries to build (default: all of {sorted(ENTRIES)})")
    p.add_argument("--out-dir", default=os.path.join(ROOT, "exports"))
    p.add_argument("--runs-dir", default=os.path.join(ROOT, "runs", "zoo_exports"))
    p.add_argument("--num-samples", type=int, default=2000, help="generated images per metric")
    p.add_argument("--max-mb", type=float, default=5.0)
    p.add_argument("--readme-only", action="store_true")
    p.add_argument("--rejudge", action="store_true",
                   help="measure shipped entries again from their exports' weights (no training)")
    args = p.parse_args(argv)
    entries = load_entries()
    unknown = [n for n in args.names if n not in entries]
    if unknown:
        p.error(f"unknown entries {unknown}; known: {sorted(ENTRIES)}")
    if not args.readme_only:
        for name in args.names or sorted(entries):
            (rejudge if args.rejudge else build)(name, *entries[name], args)
    from tfgan_zoo.export_catalog import write_readme
    print(write_readme(args.out_dir))


if __name__ == "__main__":
    main()
