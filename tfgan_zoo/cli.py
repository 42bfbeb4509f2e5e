"""The `tfgan-zoo` command: train, sample, export, evaluate, list.

Every mistake a user can fix ends with one line on stderr and exit code 2, no traceback: bad
arguments, configs, run directories, sizes that cannot fit in memory, and the filesystem's
refusals (a read-only or full disk, a file where a directory belongs). Arguments and configs
are checked before TensorFlow is imported, and TensorFlow's start-up log lines are kept off
stderr (tfgan_zoo/quiet.py), so an error stands alone.
"""
import argparse
import glob
import os
import re
import sys

from tfgan_zoo.errors import UserError

#: an export name is one directory under --out-dir
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2 (argparse prints usage + message)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        sys.exit(2)


def count(text):
    """A whole number >= 1, also written 1e6 (what `--num 1e6` means)."""
    try:
        value = float(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value != value or value in (float("inf"), float("-inf")) or not value.is_integer():
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}")
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} must be at least 1")
    if value > 2**31 - 1:
        raise argparse.ArgumentTypeError(f"{text} is too large (at most {2**31 - 1})")
    return int(value)


def _default_run_dir(config_path):
    stem = os.path.splitext(os.path.basename(config_path))[0]
    family = os.path.basename(os.path.dirname(os.path.abspath(config_path)))
    return os.path.join("runs", f"{family}_{stem}")


def cmd_train(args):
    from tfgan_zoo.config import load_config
    target = args.config
    if os.path.isdir(target):  # a run directory: continue it with its own config
        run_dir = args.run_dir or target
        target = os.path.join(target, "config.yaml")
        if not os.path.isfile(target):
            raise UserError(f"{args.config} is a directory without config.yaml")
    else:
        run_dir = args.run_dir or _default_run_dir(target)
    cfg = load_config(target, overrides=args.set or ())  # before TensorFlow is imported
    if os.path.exists(run_dir) and not os.path.isdir(run_dir):
        raise UserError(f"--run-dir {run_dir} is a file, not a directory")
    from tfgan_zoo.train import train
    result = train(cfg, run_dir, overwrite=args.overwrite)
    print(f"trained {result.step} steps -> {result.run_dir}")
    return 0


def cmd_export(args):
    from tfgan_zoo.cli_formats import convert_and_report, is_export
    if args.format and is_export(args.run):  # an export: only the format
        return convert_and_report(args.run, args.format, args.quantize)
    if args.name is not None and not _NAME.match(args.name):
        raise UserError(f"--name {args.name!r}: an export name is one directory name (letters, "
                        "digits, '.', '_', '-'; no '/' or '..')")
    if not os.path.isfile(os.path.join(args.run, "config.yaml")):
        raise UserError(f"{args.run} is not a run directory (no config.yaml)")
    from tfgan_zoo.export import card_from_run, export_model
    from tfgan_zoo.train import load_run
    cfg, info, model = load_run(args.run)
    name = args.name or cfg.export.name or f"{cfg.family}_{cfg.data.name.split(':')[0]}"
    if not _NAME.match(name):
        raise UserError(f"export.name {name!r} of {args.run}: pass --name")
    out_dir = args.out_dir or os.path.join(args.run, "exports")
    card = card_from_run(cfg, info, args.run, model)
    card["name"] = name
    path = export_model(model, os.path.join(out_dir, name), card,
                        version=args.version if args.version is not None else cfg.export.version,
                        max_batch=cfg.export.max_batch, overwrite=args.overwrite)
    print(f"exported {name} -> {path}")
    return convert_and_report(path, args.format, args.quantize) if args.format else 0


def cmd_list(args):
    if args.defaults is not None:
        return _print_defaults(args)
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


def _print_defaults(args):
    """The resolved default config of a family as YAML: every section, with the value the
    family gives each key when the config is silent (`from_dict({"family": F}).to_dict()`)."""
    import yaml

    from tfgan_zoo.config import from_dict, precheck
    if args.what:
        raise UserError(f"list --defaults {args.defaults} prints one family's config; drop "
                        f"{args.what!r}")
    raw = {"family": args.defaults}
    precheck(raw, "--defaults")  # an unknown family before TensorFlow is imported
    resolved = from_dict(raw, "--defaults").to_dict()
    print(f"# tfgan-zoo list --defaults {args.defaults}: the config a file with only "
          f"`family: {args.defaults}` resolves to (network builders' own keyword defaults "
          "are in their signatures)")
    print(yaml.safe_dump(resolved, sort_keys=False), end="")
    return 0


EVALUATE_HELP = "compute FID/KID/... of an export or run against a real data set"


def build_parser(evaluate=True):
    """The argument parser. evaluate=False leaves `evaluate` a bare entry: its arguments need
    the metrics package (NumPy, SciPy), which other commands need not import before checking
    their arguments and config."""
    from tfgan_zoo.cli_sample import add_sample_parser
    p = _Parser(prog="tfgan-zoo", description="Train, sample, evaluate and export GANs. "
                "`tfgan-zoo COMMAND --help` describes a command.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="COMMAND")
    t = sub.add_parser("train", help="train from a config (or continue a run directory)")
    t.add_argument("config", help="zoo_configs/<family>/<data>.yaml, or an existing run dir")
    t.add_argument("--run-dir", help="output directory (default runs/<family>_<config>)")
    t.add_argument("--set", action="append", metavar="SECTION.KEY=VALUE",
                   help="override a config value (repeatable); a resumed run may change learning "
                        "rates, schedules, epochs, checkpoint and sample frequency")
    t.add_argument("--overwrite", action="store_true",
                   help="start the run again from scratch; the old run is kept aside (.NAME."
                        "replaced-PID) until the new one has its first checkpoint")
    t.set_defaults(func=cmd_train)
    add_sample_parser(sub, count)
    e = sub.add_parser("export", help="export a run's generator as a SavedModel (TF Serving "
                                      "layout OUT_DIR/NAME/VERSION)")
    e.add_argument("run", help="the run directory to export (its latest checkpoint)")
    e.add_argument("--name", help="export name (default: export.name, or <family>_<dataset>)")
    e.add_argument("--version", type=count, help="version number >= 1 (default: export.version)")
    e.add_argument("--out-dir", help="where NAME/VERSION goes (default: RUN/exports; the "
                                     "repository's exports/ is the shipped catalogue)")
    e.add_argument("--overwrite", action="store_true", help="replace an existing NAME/VERSION")
    from tfgan_zoo.cli_formats import add_format_arguments
    add_format_arguments(e)
    e.set_defaults(func=cmd_export)
    ls = sub.add_parser("list", help="list families, networks, losses, datasets, configs, exports")
    ls.add_argument("what", nargs="?", choices=["families", "networks", "losses", "regularizers",
                                                "datasets", "configs", "exports"],
                    help="one kind only (default: all)")
    ls.add_argument("--root", default=".", help="where zoo_configs/ and exports/ are (default .)")
    ls.add_argument("--defaults", metavar="FAMILY",
                    help="print FAMILY's resolved default config (YAML): every key and its default")
    ls.set_defaults(func=cmd_list)
    if evaluate:
        from tfgan_zoo.cli_evaluate import add_evaluate_parser
        add_evaluate_parser(sub, count)
    else:
        sub.add_parser("evaluate", help=EVALUATE_HELP)
    return p


def _one_line(error):
    """An OSError (permission, read-only or full disk, a file where a directory belongs) as one
    line naming the path."""
    where = f": {error.filename}" if getattr(error, "filename", None) else ""
    return f"{error.strerror or type(error).__name__}{where}"


def run(argv):
    parser = build_parser(evaluate=not argv or argv[0] == "evaluate" or argv[0].startswith("-"))
    if not argv:
        parser.print_usage(sys.stderr)
        print("tfgan-zoo: error: a command is required (train, sample, export, evaluate, list); "
              "tfgan-zoo --help describes them", file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    try:
        return args.func(args) or 0
    except UserError as e:
        print(f"tfgan-zoo: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"tfgan-zoo: error: {_one_line(e)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tfgan-zoo: interrupted; the latest checkpoint is kept", file=sys.stderr)
        return 130
    except Exception as e:  # noqa: BLE001 - out of memory is not a bug of ours
        if type(e).__name__ != "ResourceExhaustedError":
            raise
        print(f"tfgan-zoo: error: out of memory ({str(e).splitlines()[0][:200]}); lower the "
              "batch size, image size or --num", file=sys.stderr)
        return 2


def main(argv=None):
    """Entry point. Run as a process (argv None), TensorFlow's start-up noise is filtered off
    stderr for the whole command."""
    if argv is not None:
        return run(list(argv))
    from tfgan_zoo.quiet import StderrFilter
    with StderrFilter():
        try:
            return run(sys.argv[1:])
        except SystemExit as e:  # argparse: the filter must be closed before exiting
            return e.code


if __name__ == "__main__":
    sys.exit(main())
