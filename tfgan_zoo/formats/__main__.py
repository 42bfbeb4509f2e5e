"""python -m tfgan_zoo.formats [ROOT] [--only NAME ...] [--quantize] [--record] [--reuse] [--no-page]."""
import argparse
import sys

from tfgan_zoo.errors import UserError


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m tfgan_zoo.formats",
                                description="write and check TFLite, ONNX and TF.js beside "
                                            "every export under ROOT")
    p.add_argument("root", nargs="?", default="exports")
    p.add_argument("--only", nargs="+", metavar="NAME", help="these export names only")
    p.add_argument("--quantize", action="store_true", help="also the dynamic-range TFLite")
    p.add_argument("--record", action="store_true",
                   help="write sizes and differences into each card (assets/card.json)")
    p.add_argument("--reuse", action="store_true",
                   help="keep formats newer than their SavedModel (they are still checked)")
    p.add_argument("--no-page", action="store_true", help="do not write docs/zoo/entries.json")
    args = p.parse_args(argv)
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    from tfgan_zoo.formats import build, page
    try:
        report = build.build_all(args.root, args.only, quantize=args.quantize, record=args.record,
                                 reuse=args.reuse,
                                 log=print)
    except UserError as e:
        print(f"tfgan_zoo.formats: error: {e}", file=sys.stderr)
        return 2
    if not args.no_page:
        print(page.write_entries(args.root))
    failed = [f"{name} {fmt}: {why}" for name, fmts in report.items()
              for fmt, why in fmts.items() if isinstance(why, str)]
    for line in failed:
        print(f"FAILED {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
