"""Re-export shipped entries from their own SavedModel weights, no retraining.

    python scripts/reexport_from_savedmodel.py NAME [NAME ...] [--root exports] [--note TEXT]

For an entry whose network code changed without changing its function or its weights (a layer
rewritten so every format converts, a signature that takes a random draw as an input): the
model is built from the card's config (`assets/card.json`), the SavedModel's variables are
copied into the networks it exports (matched in order, by shape and by path), the step and stage set to the card's, and the new
export's `sample(num, seed)` is checked against the old one's wherever both have it (so the
copy is proven whole) before `tfgan_zoo.export.export_model` replaces the entry. Where
`sample` now draws differently (StyleGAN: the noise maps became an input drawn from the seed in
another order), `--sample-may-differ --exact mapping` reports sample's difference and requires
the unchanged, deterministic `mapping` signature to agree instead. The old card
(metrics, command, notes) and the picture are kept; the note, if given, is added.
"""
import argparse
import json
import os
import re
import shutil
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

SAMPLE_TOLERANCE = 1e-5  # max abs difference of old and new sample(16, seed), float32


def _path(name):
    """A variable's path without the model prefix and :0 ("conv0_16/kernel")."""
    return re.sub(r":\d+$", "", name)


def build_from_card(card, with_config=False):
    from tfgan_zoo.config import from_dict
    from tfgan_zoo.train import build_data, build_model
    cfg = from_dict(card["config"])
    _, info = build_data(cfg)
    model = build_model(cfg, info)
    return (cfg, model) if with_config else model


def copy_variables(old, model):
    """Assign the SavedModel's variables to the networks the model exports, in order."""
    new = [v for module in model.export_modules() for v in module.variables]
    if len(new) != len(old.variables):
        raise SystemExit(f"{len(old.variables)} variables in the SavedModel, {len(new)} in the model")
    for src, dst in zip(old.variables, new):
        if tuple(src.shape) != tuple(dst.shape) or not _path(src.name).endswith(dst.name):
            raise SystemExit(f"variable mismatch: {src.name} {src.shape} vs {dst.path} {dst.shape}")
        dst.assign(src)
    return len(new)


def _exact(old, new, name, card, seed=0):
    """Max abs difference of an unchanged signature of float inputs, old vs new export."""
    import numpy as np
    import tensorflow as tf
    rng = np.random.default_rng(seed)
    feed = {k: tf.constant(rng.standard_normal([8] + [int(d) for d in shape[1:]]), tf.float32)
            for k, shape in card["inputs"][name].items()}
    a, b = old.signatures[name](**feed), new.signatures[name](**feed)
    return max(float(np.max(np.abs(a[k].numpy().astype(np.float64) - b[k].numpy())))
               for k in a if a[k].dtype.is_floating)


def load_model(path, card=None, saved=None):
    """(cfg, model, variables copied): the card's model with the export's weights, step and stage."""
    import tensorflow as tf
    from tfgan_zoo.export import read_card
    from tfgan_zoo.models.declarations import stage_index
    card = card or read_card(path)
    saved = saved or tf.saved_model.load(path)
    cfg, model = build_from_card(card, with_config=True)
    count = copy_variables(saved, model)
    model.step.assign(int(card.get("steps") or 0))
    model.enter_stage(stage_index(model.stage_plan, int(model.step.numpy())), fresh=False)
    object.__setattr__(model, "_standing_step", int(model.step.numpy()))  # statistics came along
    return cfg, model, count


def reexport(path, note=None, seeds=(0, 1), exact=(), sample_may_differ=False):
    import numpy as np
    import tensorflow as tf
    from tfgan_zoo.export import export_model, read_card
    card = read_card(path)
    old = tf.saved_model.load(path)
    _, model, count = load_model(path, card, old)
    checked = []
    if "sample" in old.signatures:
        for seed in seeds:
            want = old.signatures["sample"](num=tf.constant(16), seed=tf.constant(seed, tf.int64))["images"]
            got = model.sample(16, seed)
            diff = float(np.max(np.abs(np.asarray(got, np.float64) - want.numpy())))
            checked.append(diff)
            if diff > SAMPLE_TOLERANCE and not sample_may_differ:
                raise SystemExit(f"{path}: the re-built model's sample(16, {seed}) differs from the "
                                 f"export's by {diff:.3g}; the weights did not all come across")
    keep = tempfile.mkdtemp()
    try:
        for name in os.listdir(os.path.join(path, "assets")):
            if name != "card.json":
                shutil.copy(os.path.join(path, "assets", name), keep)
        if note:
            card["notes"] = list(card.get("notes") or []) + [note]
        card.pop("formats", None)  # measured again on the new export (make formats --record)
        version = int(os.path.basename(os.path.normpath(path)))
        target = export_model(model, os.path.dirname(os.path.normpath(path)), card, version=version,
                              max_batch=int(card.get("max_batch") or 256), overwrite=True)
        for name in os.listdir(keep):
            shutil.copy(os.path.join(keep, name), os.path.join(target, "assets", name))
    finally:
        shutil.rmtree(keep, ignore_errors=True)
    new = tf.saved_model.load(target)
    exact_diffs = {name: _exact(old, new, name, card) for name in exact}
    for name, diff in exact_diffs.items():
        if diff > SAMPLE_TOLERANCE:
            raise SystemExit(f"{target}: {name} differs from the old export's by {diff:.3g}")
    return target, count, {"sample": checked, **exact_diffs}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("names", nargs="+")
    p.add_argument("--root", default=os.path.join(ROOT, "exports"))
    p.add_argument("--note", help="a line added to the card's notes")
    p.add_argument("--exact", action="append", default=[], metavar="SIGNATURE",
                   help="also require this unchanged signature (float inputs) to give the old "
                        "export's outputs, e.g. mapping")
    p.add_argument("--sample-may-differ", action="store_true",
                   help="sample(num, seed) draws differently now (StyleGAN's noise maps): report "
                        "its difference instead of requiring equality (pair with --exact)")
    args = p.parse_args(argv)
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    from tfgan_zoo.export import resolve_export
    for name in args.names:
        target, count, checked = reexport(resolve_export(os.path.join(args.root, name)), args.note,
                                          exact=args.exact,
                                          sample_may_differ=args.sample_may_differ)
        print(json.dumps({"export": target, "variables": count, "max_abs_diff": checked}))
    from tfgan_zoo.export_catalog import write_readme
    print(write_readme(args.root))


if __name__ == "__main__":
    main()
