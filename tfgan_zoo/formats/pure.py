"""The function every format holds: an export's first endpoint as a pure function of its inputs.

The first endpoint (`generate` / `translate` / `translate_ab`: the card's first signature, also
`serving_default`) is wrapped in a `tf.function` that returns its float `images` only and
names its inputs as the signature does, except an input called `images` (translate endpoints),
which becomes `source_images`: tf2onnx 1.17's `--saved-model --signature_def` crashes when an
input and an output share a name. The wrapper is written as a one-signature SavedModel
(`write_pure`), which each converter reads, so the three formats convert the same graph.

`reference_inputs(card, n, seed)` gives the inputs the checks feed to the SavedModel and to every
format: latents and noise maps from a standard normal, labels / categories / target domains
cycling through their classes, continuous codes uniform in [-1, 1], source images uniform in
[-1, 1], a truncation of 0.7 (all NumPy, seeded).
"""
import json
import os

import numpy as np

RENAMED = {"images": "source_images"}


def endpoint_name(card):
    return (card.get("signatures") or ["generate"])[0]


def pure_function(loaded, card):
    """(tf.function, [input names]) over the first endpoint of a loaded export."""
    import tensorflow as tf
    sig = loaded.signatures[endpoint_name(card)]
    specs = sorted(sig.structured_input_signature[1].items())
    names = [name for name, _ in specs]
    signature = [tf.TensorSpec(spec.shape, spec.dtype, name=RENAMED.get(name, name))
                 for name, spec in specs]

    @tf.function(input_signature=signature, autograph=False)
    def fn(*args):
        return {"images": sig(**dict(zip(names, args)))["images"]}

    return fn, [RENAMED.get(name, name) for name in names]


def pure_graph(export_path, card=None):
    """(GraphDef, [input tensor names], output tensor name): the first endpoint frozen (weights
    as constants, control flow lowered) with the input checks removed.

    The checks (`tf.debugging.assert_*` under `tf.control_dependencies`, export.py) reach the
    images only through control edges; dropping every control edge and keeping what the output
    needs removes them and nothing else (a frozen inference graph has no other control edges:
    no variables, no side effects). TF.js has no kernels for Assert and chokes on the guards
    `strip_debug_ops` leaves behind; TFLite and ONNX would carry dead nodes. The shape checks
    (EnsureShape) become identities: the inputs are declared with those shapes."""
    import tensorflow as tf
    from tensorflow.python.framework.convert_to_constants import (
        convert_variables_to_constants_v2)
    card = card or read_card_of(export_path)
    loaded = tf.saved_model.load(export_path)  # held: the function reads its variables
    fn, names = pure_function(loaded, card)
    frozen = convert_variables_to_constants_v2(fn.get_concrete_function())
    del loaded
    graph_def = frozen.graph.as_graph_def()
    for node in graph_def.node:
        data = [i for i in node.input if not i.startswith("^")]
        del node.input[:]
        node.input.extend(data)
        if node.op == "EnsureShape":  # the placeholders carry the signature's shapes already;
            node.op = "Identity"      # TF.js 4.22 maps EnsureShape's shape attr to nothing
            del node.attr["shape"]
    named = graph_def.node.add(name="images", op="Identity", input=[frozen.outputs[0].name])
    named.attr["T"].type = tf.float32.as_datatype_enum  # the formats' output is "images"
    graph_def = tf.compat.v1.graph_util.extract_sub_graph(graph_def, ["images"])
    return graph_def, [t.name for t in frozen.inputs], "images:0", names


def write_pure(export_path, out_dir, card=None, graph=None):
    """A one-signature SavedModel (serving_default: the inputs' names -> {"images"}) holding
    `pure_graph` (or `graph`, its result), which the TFLite and TF.js converters read."""
    import tensorflow as tf
    graph_def, inputs, output, names = graph or pure_graph(export_path, card)
    wrapped = tf.compat.v1.wrap_function(
        lambda: tf.compat.v1.import_graph_def(graph_def, name=""), [])
    pruned = wrapped.prune([wrapped.graph.get_tensor_by_name(n) for n in inputs],
                           wrapped.graph.get_tensor_by_name(output))
    specs = [tf.TensorSpec(t.shape, t.dtype, name=name)
             for t, name in zip(pruned.inputs, names)]

    @tf.function(input_signature=specs, autograph=False)
    def serve(*args):
        return {"images": pruned(*args)}

    module = tf.Module()
    module.serve = serve
    tf.saved_model.save(module, out_dir, signatures={"serving_default": serve})
    return out_dir


def read_card_of(export_path):
    with open(os.path.join(export_path, "assets", "card.json"), encoding="utf-8") as fh:
        return json.load(fh)


def class_count(card, name):
    """How many values an integer input takes."""
    if name == "target_domain":
        return int(card.get("num_domains") or len(card.get("domains") or []) or 2)
    if name == "category":
        return int((card.get("config") or {}).get("model", {}).get("num_categories") or 10)
    return int(card.get("num_classes") or 10)


def reference_inputs(card, n=4, seed=0):
    """{input name (as the formats name it): np.ndarray} for n examples (module docstring)."""
    rng = np.random.default_rng(seed)
    out = {}
    for name, shape in sorted(card["inputs"][endpoint_name(card)].items()):
        dims = [n] + [int(d) for d in shape[1:]] if shape else []
        if name in ("labels", "category", "target_domain"):
            value = (np.arange(n) % class_count(card, name)).astype(np.int32)
        elif name == "truncation":
            value = np.float32(0.7)
        elif name == "continuous":
            value = rng.uniform(-1, 1, dims).astype(np.float32)
        elif name == "images":
            value = rng.uniform(-1, 1, dims).astype(np.float32)
        else:  # latents, noise maps
            value = rng.standard_normal(dims).astype(np.float32)
        out[RENAMED.get(name, name)] = np.asarray(value)
    return out


def saved_model_images(export_path, inputs, card=None):
    """The SavedModel's own float images for `reference_inputs`."""
    import tensorflow as tf
    card = card or read_card_of(export_path)
    sig = tf.saved_model.load(export_path).signatures[endpoint_name(card)]
    back = {v: k for k, v in RENAMED.items()}
    return sig(**{back.get(k, k): tf.constant(v) for k, v in inputs.items()})["images"].numpy()
