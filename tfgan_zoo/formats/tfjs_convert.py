"""Run by the TF.js virtualenv's Python (not the zoo's): tfjs_convert.py SAVED_MODEL OUT_DIR
[SAVED_MODEL OUT_DIR ...] (several pairs in one process: importing TensorFlow is most of the
cost). A pair that fails is reported as one line `FAILED OUT_DIR: message` on stdout.

Why its own virtualenv: tensorflowjs 4.22 (the newest) requires tensorflow-decision-forests,
whose newest release pins tensorflow 2.19, so it cannot be installed with its dependencies
beside the zoo's TensorFlow 2.21. In a virtualenv of its own (tools/tfjs/requirements.txt:
tensorflowjs 4.22 with tensorflow 2.19 and the rest of its pinned dependencies, made by
`make tfjs-venv`) it installs cleanly, and it reads the SavedModels TF 2.21 writes. This file
imports nothing of tfgan_zoo. strip_debug_ops: the exports' input checks (Assert,
CheckNumerics) have no TF.js kernels; the TF.js model is the same function without them.
"""
import sys


def main(pairs):
    # imported here: tensorflowjs lives in .venv-tfjs only, and the package's own environment
    # imports every module of the package (tests/test_registry.py)
    from tensorflowjs.converters import tf_saved_model_conversion_v2 as conversion
    for saved_model_dir, out_dir in pairs:
        try:
            conversion.convert_tf_saved_model(saved_model_dir, out_dir,
                                              signature_def="serving_default",
                                              saved_model_tags="serve", strip_debug_ops=True)
        except Exception as e:  # noqa: BLE001 - reported per model, the others go on
            message = (str(e).strip().splitlines() or [type(e).__name__])[0]
            print(f"FAILED {out_dir}: {type(e).__name__}: {message[:300]}", flush=True)


if __name__ == "__main__":
    main(list(zip(sys.argv[1::2], sys.argv[2::2])))
