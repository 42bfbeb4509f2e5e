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
    for name, entry in build.build_export(export_path, (fmt,), quantize=quantize).items():
        if isinstance(entry, str):
            raise UserError(f"{export_path}: {name} {entry}")
        if "unsupported" in entry:
            raise UserError(f"{export_path}: {name} cannot hold this model: {entry['unsupported']}")
        target = os.path.join(export_path, build.ARTIFACTS[name])
        print(f"{name} -> {target} ({entry['bytes'] / 1e6:.2f} MB, max abs difference to the "
              f"SavedModel {entry['max_abs_diff']:.2g})")
    return 0
