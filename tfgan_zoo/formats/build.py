"""Build and check the formats of exports (`python -m tfgan_zoo.formats`, `make formats`).

For each export: the pure function (pure.py) frozen once, written as TFLite (and its
dynamic-range quantised variant with --quantize), ONNX and TF.js (all TF.js conversions in one
run of its virtualenv, all TF.js runs in one Node process), each run in its own runtime on
`pure.reference_inputs` and compared with the SavedModel's float images: within TOLERANCE
(max abs), or, where catalog.UNSUPPORTED says a format cannot hold the family, refused by the
converter for that reason. `record=True` writes the sizes and differences into the card.
"""
import json
import os
import shutil
import tempfile

import numpy as np

from tfgan_zoo.formats import catalog, convert, pure
from tfgan_zoo.formats.runtimes import run_onnx, run_tfjs_many, run_tflite

FORMATS = ("tflite", "onnx", "tfjs")
ARTIFACTS = catalog.ARTIFACTS
TOLERANCE = 1e-4  # max abs difference to the SavedModel, float32 images in [-1, 1]


def size_of(path):
    if os.path.isdir(path):
        return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)
    return os.path.getsize(path)


def max_difference(got, want):
    if got.shape != want.shape:
        return float("inf")
    return float(np.max(np.abs(got.astype(np.float64) - want)))


def _judge(family, fmt, result, got=None, want=None):
    """{"bytes", "max_abs_diff"} / {"unsupported": why} / a str saying what went wrong."""
    expected = catalog.unsupported(family, fmt)
    if isinstance(result, Exception):
        if expected and expected[1] in str(result):
            return {"unsupported": expected[0]}
        return f"conversion failed: {result}"
    if expected:
        return f"converted although the catalogue says it cannot ({expected[0]}): update it"
    diff = max_difference(got, want)
    entry = {"bytes": size_of(result), "max_abs_diff": diff}
    if fmt == "tflite_dynamic_range":  # quantised: recorded, not held to TOLERANCE
        return entry
    return entry if diff <= TOLERANCE else f"differs from the SavedModel by {diff:.3g} (max abs)"


def exports_under(root, only=None):
    from tfgan_zoo.export_catalog import find_exports
    rows = [r for r in find_exports(root) if not only or r["name"] in only]
    missing = sorted(set(only or ()) - {r["name"] for r in rows})
    if missing:
        from tfgan_zoo.errors import UserError
        raise UserError(f"no export named {', '.join(missing)} under {root}")
    return rows


def _fresh(artifact, saved_model_dir):
    """An artifact at least as new as its SavedModel (reuse=True keeps it, checks it again)."""
    probe = os.path.join(artifact, "model.json") if artifact.endswith(ARTIFACTS["tfjs"]) else artifact
    return os.path.exists(probe) and os.path.getmtime(probe) >= os.path.getmtime(
        os.path.join(saved_model_dir, "saved_model.pb"))


def build_all(root="exports", only=None, quantize=False, record=False, out_root=None,
              reuse=False, log=lambda line: None):
    """{name: {format: entry}} (see _judge), the files written beside each SavedModel (or into
    out_root/<name>/<version>/). reuse=True: artifacts newer than their SavedModel are not
    converted again, only run and compared again."""
    report = build_rows(exports_under(root, only), FORMATS, quantize, out_root, reuse, log)
    if record:
        for row in exports_under(root, only):
            write_formats_to_card(row["path"], report[row["name"]])
    return report


def build_export(path, formats=FORMATS, quantize=False):
    """{format: entry} for one export directory (<name>/<version>/), files beside it."""
    row = {"name": os.path.basename(os.path.dirname(os.path.normpath(path))),
           "version": int(os.path.basename(os.path.normpath(path))), "path": path,
           "card": pure.read_card_of(path)}
    return build_rows([row], formats, quantize)[row["name"]]


def build_rows(rows, formats=FORMATS, quantize=False, out_root=None, reuse=False,
               log=lambda line: None):
    report, tfjs_jobs = {}, []
    with tempfile.TemporaryDirectory(prefix="tfgan-formats-") as tmp:
        for row in rows:
            card, path, name = row["card"], row["path"], row["name"]
            target = (os.path.join(out_root, name, str(row["version"])) if out_root else path)
            os.makedirs(target, exist_ok=True)
            family = card.get("family")
            inputs = pure.reference_inputs(card)
            want = pure.saved_model_images(path, inputs, card)
            kinds = ([("tflite", False)] + ([("tflite_dynamic_range", True)] if quantize else [])
                     if "tflite" in formats else [])
            dests = {fmt: os.path.join(target, ARTIFACTS[fmt])
                     for fmt in [k for k, _ in kinds] + ["onnx", "tfjs"]}
            fresh = {fmt: reuse and _fresh(dest, path) for fmt, dest in dests.items()}
            graph = pure_dir = None
            if not all(fresh.values()):
                graph = pure.pure_graph(path, card)
                pure_dir = pure.write_pure(path, os.path.join(tmp, name), card, graph)
            out = report[name] = {}
            for fmt, quant in kinds:
                dest = dests[fmt]
                try:
                    result = dest if fresh[fmt] else convert.to_tflite(pure_dir, dest, quantize=quant)
                    out[fmt] = _judge(family, fmt, result, run_tflite(result, inputs)["images"], want)
                except convert.ConversionError as e:
                    _remove(dest)
                    out[fmt] = _judge(family, fmt, e)
                except Exception as e:  # noqa: BLE001 - the runtime refused the file
                    out[fmt] = f"{fmt} runtime failed: {str(e)[:300]}"
            dest = dests["onnx"]
            try:
                if "onnx" not in formats:
                    raise _Skip
                result = dest if fresh["onnx"] else convert.to_onnx(path, dest, card, graph)
                out["onnx"] = _judge(family, "onnx", result, run_onnx(result, inputs)["images"], want)
            except _Skip:
                pass
            except convert.ConversionError as e:
                _remove(dest)
                out["onnx"] = _judge(family, "onnx", e)
            except Exception as e:  # noqa: BLE001 - the runtime refused the file
                out["onnx"] = f"onnx runtime failed: {str(e)[:300]}"
            if "tfjs" in formats:
                tfjs_jobs.append((row, None if fresh["tfjs"] else pure_dir, dests["tfjs"], inputs,
                                  want))
            log(f"{name}: " + ", ".join(f"{k} {_short(v)}" for k, v in out.items()))
        todo = [(job[1], job[2]) for job in tfjs_jobs if job[1]]
        converted = convert.to_tfjs(todo) if todo else {}
        converted.update({job[2]: job[2] for job in tfjs_jobs if not job[1]})
        runnable = [job for job in tfjs_jobs if not isinstance(converted[job[2]], Exception)]
        outputs = dict(zip([job[2] for job in runnable],
                           run_tfjs_many([(job[2], job[3]) for job in runnable]) if runnable else []))
    for row, _, dest, _, want in tfjs_jobs:
        result = converted[dest]
        if isinstance(result, Exception):
            _remove(dest)
        got = outputs[dest]["images"] if dest in outputs else None
        report[row["name"]]["tfjs"] = _judge(row["card"].get("family"), "tfjs", result, got, want)
        log(f"{row['name']}: tfjs {_short(report[row['name']]['tfjs'])}")
    return report


class _Skip(Exception):
    """A format not asked for."""


def _remove(path):
    """A format that failed leaves no stale file from an earlier build."""
    if os.path.isdir(path):
        shutil.rmtree(path)
    elif os.path.exists(path):
        os.remove(path)


def _short(entry):
    if isinstance(entry, str):
        return f"FAILED ({entry[:200]})"
    if "unsupported" in entry:
        return f"unsupported ({entry['unsupported']})"
    return f"{entry['bytes'] / 1e6:.2f} MB, max abs diff {entry['max_abs_diff']:.2g}"


def write_formats_to_card(export_path, entries):
    """card["formats"] = entries (those that failed unexpectedly are left out)."""
    card_path = os.path.join(export_path, "assets", "card.json")
    with open(card_path, encoding="utf-8") as fh:
        card = json.load(fh)
    card["formats"] = {k: v for k, v in entries.items() if isinstance(v, dict)}
    with open(card_path, "w", encoding="utf-8") as fh:
        json.dump(card, fh, indent=2, sort_keys=True, default=str)
