"""Each format run in its own runtime, for the checks: ai-edge-litert (LiteRT, TensorFlow's
TF-free TFLite runtime), onnxruntime, and TF.js under Node (tools/node/run_tfjs.mjs).

Why TF.js runs on `@tensorflow/tfjs` (its CPU backend) and not `@tensorflow/tfjs-node`: the
latter's install script downloads libtensorflow from outside the package registries, which is
not reproducible here; the CPU backend is the same kernels the browser falls back to.
"""
import json
import os
import subprocess
import tempfile

import numpy as np

NODE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__)))), "tools", "node")


def run_tflite(path, inputs):
    """{'images': float32} from model.tflite; the batch is resized to the inputs'."""
    from ai_edge_litert.interpreter import Interpreter
    interpreter = Interpreter(model_path=path, num_threads=1)
    runner = interpreter.get_signature_runner()  # resizes the batch to the inputs' itself
    return {k: np.asarray(v) for k, v in runner(**inputs).items()}


def run_onnx(path, inputs):
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    feed = {i.name.split(":")[0]: i.name for i in session.get_inputs()}
    names = [o.name for o in session.get_outputs()]
    out = session.run(names, {feed[k]: v for k, v in inputs.items()})
    return {name.split(":")[0]: value for name, value in zip(names, out)}


def _encode(inputs):
    return {k: {"shape": list(np.shape(v)), "dtype": str(np.asarray(v).dtype),
                "data": np.asarray(v).ravel().tolist()} for k, v in inputs.items()}


def run_tfjs_many(jobs):
    """[{name: np.ndarray}] for [(tfjs model dir, inputs)], in one Node process
    (tools/node/run_tfjs.mjs; `make node-tools` installs its packages)."""
    script = os.path.join(NODE_DIR, "run_tfjs.mjs")
    if not os.path.isdir(os.path.join(NODE_DIR, "node_modules", "@tensorflow", "tfjs")):
        raise RuntimeError(f"TF.js for Node is not installed in {NODE_DIR}; run `make node-tools`")
    with tempfile.TemporaryDirectory() as tmp:
        feed = os.path.join(tmp, "jobs.json")
        with open(feed, "w", encoding="utf-8") as fh:
            json.dump([{"model": os.path.abspath(d), "inputs": _encode(x)} for d, x in jobs], fh)
        result = os.path.join(tmp, "outputs.json")
        run = subprocess.run(["node", script, feed, result], capture_output=True, text=True,
                             cwd=NODE_DIR)
        if run.returncode != 0:
            raise RuntimeError(f"TF.js run failed: {run.stderr.strip()[-2000:]}")
        with open(result, encoding="utf-8") as fh:
            out = json.load(fh)
    return [{k: np.asarray(v["data"], np.float32).reshape(v["shape"]) for k, v in o.items()}
            for o in out]


def run_tfjs(model_dir, inputs):
    return run_tfjs_many([(model_dir, inputs)])[0]


RUNNERS = {"tflite": run_tflite, "onnx": run_onnx, "tfjs": run_tfjs}
