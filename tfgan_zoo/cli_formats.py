"""`tfgan-zoo export PATH --format tflite|onnx|tfjs [--quantize]`: the other formats of an export.

PATH is an export (`<name>/<version>/` or its parent of versions) or a run directory; a run is
first exported as usual (its SavedModel, `--name` / `--out-dir` / `--version` as without
--format) and the format is written beside that SavedModel: `model.tflite`, `model.onnx`,
`tfjs/`. The converted model is run in its own runtime on reference inputs and compared with the
SavedModel before the command reports success (tfgan_zoo/formats/build.py); a format that
cannot hold the export is one line on stderr, exit 2.
"""
import os

from tfgan_zoo.errors import UserError

CHOICES = ("tflite", "onnx", "tfjs")


def add_format_arguments(parser):
    parser.add_argument("--format", choices=CHOICES,
                        help="also write this format beside the SavedModel (model.tflite, "
                             "model.onnx or tfjs/), checked against it")
    parser.add_argument("--quantize", action="store_true",
                        help="with --format tflite: also model.dynamic_range.tflite (int8 "
                             "weights), with its measured output difference")


def is_export(path):
    if os.path.isfile(os.path.join(path, "saved_model.pb")):
        return True
    return os.path.isdir(path) and any(
        d.isdigit() and os.path.isfile(os.path.join(path, d, "saved_model.pb"))
        for d in os.listdir(path))


def convert_and_report(export_path, fmt, quantize=False):
    """Convert one export, check it, print what was written; 0 or raise UserError."""
    if quantize and fmt != "tflite":
        raise UserError("--quantize applies to --format tflite only")
    from tfgan_zoo.export import resolve_export
    from tfgan_zoo.formats import build
    export_path = resolve_export(export_path)
    results = build.convert_export(export_path, (fmt,), quantize=quantize)
    for name, result in results.items():
        if isinstance(result, Exception):
            raise UserError(f"{export_path}: {result}")
        diff = build.max_difference(export_path, result, name)
        if name == fmt and diff > build.TOLERANCE:
            raise UserError(f"{result}: differs from the SavedModel by {diff:.2g} (max abs), "
                            f"over {build.TOLERANCE:g}")
        print(f"{name} -> {result} ({build.size_of(result) / 1e6:.2f} MB, max abs difference "
              f"to the SavedModel {diff:.2g})")
    return 0
