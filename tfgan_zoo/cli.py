"""The `tfgan-zoo` command: train, sample, export, evaluate, list.

Every mistake a user can fix ends with one line on stderr and exit code 2, no traceback.
"""
import argparse
import glob
import os
import sys

from tfgan_zoo.errors import UserError


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2 (argparse prints usage + message)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        sys.exit(2)


def _default_run_dir(config_path):
    stem = os.path.splitext(os.path.basename(config_path))[0]
    family = os.path.basename(os.path.dirname(os.path.abspath(config_path)))
    return os.path.join("runs", f"{family}_{stem}")


def cmd_train(args):
    from tfgan_zoo.config import load_config
    from tfgan_zoo.train import train
    target = args.config
    if os.path.isdir(target):  # a run directory: continue it with its own config
        run_dir = args.run_dir or target
        target = os.path.join(target, "config.yaml")
        if not os.path.isfile(target):
            raise UserError(f"{args.config} is a directory without config.yaml")
    else:
        run_dir = args.run_dir or _default_run_dir(target)
    cfg = load_config(target, overrides=args.set or ())
    result = train(cfg, run_dir, overwrite=args.overwrite)
    print(f"trained {result.step} steps -> {result.run_dir}")
    return 0


def cmd_export(args):
    from tfgan_zoo.export import card_from_run, export_model
    from tfgan_zoo.train import load_run
    cfg, info, model = load_run(args.run)
    name = args.name or cfg.export.name or f"{cfg.family}_{cfg.data.name.split(':')[0]}"
    card = card_from_run(cfg, info, args.run, model)
    card["name"] = name
    path = export_model(model, os.path.join(args.out_dir, name), card,
                        version=args.version or cfg.export.version,
                        max_batch=cfg.export.max_batch, overwrite=args.overwrite)
    print(f"exported {name} -> {path}")
    return 0


def cmd_sample(args):
    import numpy as np

    from tfgan_zoo.imaging import preview_to_image, write_png
    target = args.target
    if os.path.isfile(os.path.join(target, "config.yaml")):
        from tfgan_zoo.train import load_run, reference_examples
        cfg, info, model = load_run(target)
        reference = None
        if model.export_kind == "translate":
            from tfgan_zoo.train import build_data
            reference = reference_examples(build_data(cfg)[0], args.num)
        batch = model.preview(model.preview_inputs(args.num, args.seed, reference))
        out = args.out or os.path.join(target, "samples", f"sample_seed{args.seed}.png")
    else:
        import tensorflow as tf

        from tfgan_zoo.export import read_card, resolve_export
        path = resolve_export(target)
        card = read_card(path)
        loaded = tf.saved_model.load(path)
        if card.get("export_kind") == "translate":
            from tfgan_zoo.config import from_dict
            from tfgan_zoo.train import build_data, reference_examples
            ref = reference_examples(build_data(from_dict(card["config"]))[0], args.num)
            endpoint = (card.get("signatures") or ["translate"])[0]
            fake = loaded.signatures[endpoint](images=tf.constant(ref["source"]))["images"]
            batch = np.concatenate([ref["source"][..., :fake.shape[-1]] if ref["source"].shape[-1]
                                    >= fake.shape[-1] else np.repeat(ref["source"], fake.shape[-1], -1),
                                    fake.numpy(), ref["real"]], axis=2)
        else:
            batch = loaded.signatures["sample"](num=tf.constant(args.num, tf.int32),
                                                seed=tf.constant(args.seed, tf.int64))["images"]
            batch = batch.numpy()
        out = args.out or f"samples_seed{args.seed}.png"
    write_png(out, preview_to_image(batch))
    print(f"wrote {len(batch)} samples -> {out}")
    return 0


def cmd_list(args):
    from tfgan_zoo.registry import DATASETS, FAMILIES, LOSSES, NETWORKS, REGULARIZERS
    sections = {"families": FAMILIES.names, "networks": NETWORKS.names, "losses": LOSSES.names,
                "regularizers": REGULARIZERS.names, "datasets": DATASETS.names,
                "configs": lambda: sorted(glob.glob(os.path.join(args.root, "zoo_configs", "*", "*.yaml"))),
                "exports": lambda: sorted(os.path.dirname(os.path.dirname(p)) for p in glob.glob(
                    os.path.join(args.root, "exports", "*", "*", "saved_model.pb")))}
    wanted = [args.what] if args.what else list(sections)
    for what in wanted:
        print(f"{what}:")
        for name in sections[what]():
            print(f"  {name}")
    return 0


def build_parser():
    p = _Parser(prog="tfgan-zoo", description="Train, sample, evaluate and export GANs.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    t = sub.add_parser("train", help="train from a config (or continue a run directory)")
    t.add_argument("config", help="zoo_configs/<family>/<data>.yaml, or an existing run dir")
    t.add_argument("--run-dir", help="output directory (default runs/<family>_<config>)")
    t.add_argument("--set", action="append", metavar="SECTION.KEY=VALUE",
                   help="override a config value (repeatable)")
    t.add_argument("--overwrite", action="store_true", help="start a finished run again")
    t.set_defaults(func=cmd_train)
    s = sub.add_parser("sample", help="write a PNG grid of samples from a run or an export")
    s.add_argument("target", help="run directory or export directory")
    s.add_argument("--num", type=int, default=64)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--out", help="PNG path")
    s.set_defaults(func=cmd_sample)
    e = sub.add_parser("export", help="export a run's generator as a SavedModel")
    e.add_argument("run")
    e.add_argument("--name")
    e.add_argument("--version", type=int)
    e.add_argument("--out-dir", default="exports")
    e.add_argument("--overwrite", action="store_true")
    e.set_defaults(func=cmd_export)
    ls = sub.add_parser("list", help="list families, networks, losses, datasets, configs, exports")
    ls.add_argument("what", nargs="?", choices=["families", "networks", "losses", "regularizers",
                                                "datasets", "configs", "exports"])
    ls.add_argument("--root", default=".")
    ls.set_defaults(func=cmd_list)
    try:
        from tfgan_zoo.metrics.cli_evaluate import add_evaluate_parser
    except ImportError:
        add_evaluate_parser = None
    if add_evaluate_parser is not None:
        add_evaluate_parser(sub)
    return p


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "num", 1) is not None and getattr(args, "num", 1) <= 0:
        parser.error("--num must be > 0")
    try:
        return args.func(args) or 0
    except UserError as e:
        print(f"tfgan-zoo: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tfgan-zoo: interrupted; the latest checkpoint is kept", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
