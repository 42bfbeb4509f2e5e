"""Every export also as TFLite, ONNX and TF.js, each checked against its SavedModel.

    pure.py         the function the formats hold: the first endpoint, frozen, checks removed
    convert.py      TFLite (builtin ops), ONNX (tf2onnx), TF.js (tensorflowjs, own virtualenv)
    runtimes.py     each format in its own runtime: ai-edge-litert, onnxruntime, TF.js on Node
    build.py        convert + compare; `python -m tfgan_zoo.formats` (make formats)
    catalog.py      what a card records (sizes, differences, reasons) and the catalogue column
    page.py         docs/zoo/entries.json for the zoo page (make page)

Files beside each SavedModel, ignored by git (derived in seconds from the committed
SavedModels): model.tflite, model.dynamic_range.tflite (--quantize), model.onnx, tfjs/.
"""
