"""What the cards and the catalogue say about the formats.

A card's `formats` (written by `python -m tfgan_zoo.formats --record`):
    {"tflite": {"bytes": n, "max_abs_diff": d}, "tflite_dynamic_range": {...}, "onnx": {...},
     "tfjs": {...}}   max_abs_diff: to the SavedModel's float images on pure.reference_inputs
or, for a format that cannot hold the export, {"unsupported": reason}, the reason being
UNSUPPORTED's (the check asserts the converter still refuses it for that reason).
"""
import os

#: the files `make formats` writes beside a SavedModel (git ignores them)
ARTIFACTS = {"tflite": "model.tflite", "tflite_dynamic_range": "model.dynamic_range.tflite",
             "onnx": "model.onnx", "tfjs": "tfjs"}

LABELS = {"tflite": "TFLite", "tflite_dynamic_range": "TFLite int8 weights", "onnx": "ONNX",
          "tfjs": "TF.js"}

#: {(family, format): (why, a text the converter's refusal contains)}; a family missing here
#: converts to every format.
#: Empty since every random draw of an export signature became an input (BigGAN's truncated
#: resampling and StyleGAN's noise maps were the last; their earlier exports were refused by
#: all three converters: TFLite needed SELECT_TF_OPS for StatelessRandomNormalV2, tf2onnx has
#: no StatelessParameterizedTruncatedNormal / StatelessRandomNormalV2, TF.js none either).
UNSUPPORTED = {}


def unsupported(family, fmt):
    return UNSUPPORTED.get((family, "tflite" if fmt.startswith("tflite") else fmt))


def formats_summary(card):
    """The catalogue's formats cell: "TFLite 0.80 MB (Δ 2.4e-07) · ...", or "–"."""
    parts, refused = [], {}
    for fmt, label in LABELS.items():
        entry = (card.get("formats") or {}).get(fmt)
        if not entry:
            continue
        if "unsupported" in entry:
            refused.setdefault(entry["unsupported"], []).append(label)
        else:
            parts.append(f"{label} {entry['bytes'] / 1e6:.2f} MB (Δ {entry['max_abs_diff']:.1e})")
    parts += [f"{', '.join(labels)}: no ({why})" for why, labels in refused.items()]
    return " · ".join(parts) or "–"


def is_artifact(export_path, path):
    """Whether `path` (inside an export) is one of the derived formats, not the SavedModel."""
    rel = os.path.relpath(path, export_path).split(os.sep)[0]
    return rel in ARTIFACTS.values()
