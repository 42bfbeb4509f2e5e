"""The converters: SavedModel (the pure wrapper of pure.py) -> TFLite, ONNX, TF.js.

We write none of the conversions ourselves: TFLite is TensorFlow's own converter
(`tf.lite.TFLiteConverter`, builtin ops only: a model that needs SELECT_TF_OPS would need the
Flex delegate, which the TF-free runtime `ai-edge-litert` does not have, so such a model is
refused here rather than shipped half-usable); ONNX is `tf2onnx` (opset 17) on the wrapper's
function; TF.js is `tensorflowjs`'s `convert_tf_saved_model`, run in its own virtualenv
(tools/tfjs/requirements.txt, `make tfjs-venv`; see tfjs_convert.py for why).
"""
import logging
import os
import shutil
import subprocess
import tempfile

from tfgan_zoo.errors import UserError
from tfgan_zoo.formats import pure

OPSET = 17
TFJS_SCRIPT = os.path.join(os.path.dirname(__file__), "tfjs_convert.py")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TFJS_PYTHON = os.environ.get("TFGAN_TFJS_PYTHON",
                             os.path.join(REPO, ".venv-tfjs", "bin", "python"))


class ConversionError(UserError):
    """A format cannot hold this export (the message says why)."""


def _atomic_file(data, target):
    tmp = target + ".tmp"
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, target)
    return target


def to_tflite(pure_dir, target, quantize=False):
    """model.tflite (float32), or with quantize=True dynamic-range quantised weights (int8
    weights, float activations: `tf.lite.Optimize.DEFAULT` without a representative set)."""
    import tensorflow as tf
    converter = tf.lite.TFLiteConverter.from_saved_model(pure_dir)
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    if quantize:
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    try:
        data = converter.convert()
    except Exception as e:  # noqa: BLE001 - the converter raises ConverterError and others
        raise ConversionError(f"TFLite (builtin ops) cannot hold it: {_first_line(e)}") from None
    return _atomic_file(data, target)


def to_onnx(export_path, target, card, graph=None):
    import tf2onnx
    graph_def, inputs, output, _ = graph or pure.pure_graph(export_path, card)
    unsupported = _Collect()  # tf2onnx logs ops it cannot map and writes a broken model anyway
    logger = logging.getLogger("tf2onnx.tfonnx")
    logger.addHandler(unsupported)
    try:
        proto, _ = tf2onnx.convert.from_graph_def(graph_def, input_names=inputs,
                                                  output_names=[output], opset=OPSET)
    except Exception as e:  # noqa: BLE001 - tf2onnx raises plain exceptions per op
        raise ConversionError(f"ONNX (opset {OPSET}) cannot hold it: {_first_line(e)}") from None
    finally:
        logger.removeHandler(unsupported)
    if unsupported.lines:
        raise ConversionError(f"ONNX (opset {OPSET}) cannot hold it: {unsupported.lines[-1]}")
    return _atomic_file(proto.SerializeToString(), target)


def to_tfjs(pairs):
    """{target_dir: path or ConversionError} for [(pure SavedModel dir, target tfjs/ dir)],
    all in one run of the TF.js virtualenv."""
    if not os.path.isfile(TFJS_PYTHON):
        raise UserError(f"the TF.js converter's virtualenv is missing ({TFJS_PYTHON}); "
                        "run `make tfjs-venv`")
    tmps = {target: tempfile.mkdtemp(prefix=".tmp-tfjs-", dir=os.path.dirname(target))
            for _, target in pairs}
    results = {}
    try:
        argv = [arg for source, target in pairs for arg in (source, tmps[target])]
        run = subprocess.run([TFJS_PYTHON, TFJS_SCRIPT, *argv], capture_output=True, text=True,
                             env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3",
                                      CUDA_VISIBLE_DEVICES=""))
        if run.returncode != 0:
            last = (run.stderr.strip().splitlines() or ["(no message)"])[-1]
            raise UserError(f"the TF.js converter failed: {last}")
        failed = {line.split(": ", 1)[0][len("FAILED "):]: line.split(": ", 1)[1]
                  for line in run.stdout.splitlines() if line.startswith("FAILED ")}
        for _, target in pairs:
            if tmps[target] in failed:
                results[target] = ConversionError(f"TF.js cannot hold it: {failed[tmps[target]]}")
                continue
            if os.path.exists(target):
                shutil.rmtree(target)
            os.replace(tmps[target], target)
            results[target] = target
    finally:
        for tmp in tmps.values():
            if os.path.exists(tmp):
                shutil.rmtree(tmp, ignore_errors=True)
    return results


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.lines = []

    def emit(self, record):
        message = record.getMessage()
        if message.startswith("Unsupported ops"):
            self.lines.append(message)


def _first_line(error):
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    for line in lines:  # TFLite: the ops that would need the Flex delegate
        if line.startswith("TF Select ops:"):
            return "needs SELECT_TF_OPS (the Flex delegate) for " + line[len("TF Select ops:"):].strip()
    # the TFLite converter's useful line is the one naming the op
    for line in lines:
        if "op" in line.lower() and ("legal" in line or "not supported" in line or "Flex" in line):
            return line[:300]
    return (lines or [type(error).__name__])[0][:300]

