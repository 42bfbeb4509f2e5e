"""Export a trained generator as a SavedModel in TF Serving layout: <dir>/<version>/.

What is exported is the family's declaration (models/sampling.py): `export_modules()` (the
generator, the EMA copy when the family keeps one, plus any encoder / classifier an endpoint
uses) and `export_endpoints()`, each an Endpoint(name, fn, {input name: TensorSpec}). The
defaults are

    generate(latents: float32 [N, latent_dim], <family inputs>)   noise -> image families
    sample(num: int32 [], seed: int64 [])                          seeded, reproducible inputs
    translate(images: float32 [N, H, W, C_source])                 image -> image families
    serving_default                                                = the first endpoint

and families add theirs (encode, classify, translate_ab, mapping, ...). Image endpoints return
{"images": float32 in [-1, 1], "images_uint8": uint8 in [0, 255]} (`image_outputs`).

Input validation, all as tf.errors.InvalidArgumentError with a message that says what was
expected: a wrong dtype is refused by the signature itself; a wrong shape by `tf.ensure_shape`
("... is not compatible with expected shape [?,32]"); a batch larger than `max_batch`, an empty
batch, inputs of different batch sizes, NaN or Inf in a float input ("latents must be finite")
and `sample(num <= 0)` by their own messages; labels out of range by the family
(`models/inputs.py: check_labels`). Shapes in the signatures are concrete except the
batch, so `saved_model_cli show` and Serving clients see them.

TF-Hub-style reuse: the loaded object is callable (the first endpoint's first input -> its
first output, other inputs from `sample_inputs`) and has `variables`, `trainable_variables`
(from ExportArchive) and `regularization_losses` (an empty list). `keras.layers.TFSMLayer` in
Keras 3.15 names the weights it adopts after the restored tf.Variables ("project/kernel:0");
the ":0" makes Adam's slot names invalid scopes. `load_layer(path)` is TFSMLayer with those
names cleaned (project_kernel), which fine-tunes with any optimizer, and it calls multi-input
endpoints with a dict ({"latents": z, "labels": y}) or a list in signature order.

The card (family, config, data, steps, resolution, latent dim, metrics) is assets/card.json,
built by `card_from_run`. The SavedModel is written to a temporary directory beside the target
and renamed into place, so a crash never leaves a half-written export.
"""
import inspect
import json
import os
import re
import shutil
import tempfile

import keras
import tensorflow as tf

from tfgan_zoo.errors import RunDirError

CARD = "card.json"


def image_outputs(images):
    """{"images": float32 in [-1, 1], "images_uint8": uint8 in [0, 255]}."""
    images = tf.cast(images, tf.float32)
    uint8 = tf.cast(tf.clip_by_value(tf.round((images + 1.0) * 127.5), 0.0, 255.0), tf.uint8)
    return {"images": images, "images_uint8": uint8}


def _check_batch(n, max_batch, what="batch"):
    n = tf.cast(n, tf.int64)
    return [tf.debugging.assert_less_equal(
                n, tf.constant(max_batch, tf.int64),
                message=f"{what} larger than this export's max_batch ({max_batch})"),
            tf.debugging.assert_positive(n, message=f"{what} must be at least 1")]


def _validated(endpoint, max_batch):
    """endpoint.fn with the shape and batch checks of the module docstring, positional args."""
    names = list(endpoint.inputs)

    def fn(*args):
        inputs, checks, batch = {}, [], None
        for name, value in zip(names, args):
            spec = endpoint.inputs[name]
            if spec.dtype.is_floating:
                checks.append(tf.debugging.assert_all_finite(
                    value, message=f"{name} must be finite (no NaN or Inf)"))
            if spec.shape.rank:
                value = tf.ensure_shape(value, spec.shape, name=name)
                n = tf.shape(value)[0]
                if batch is None:
                    batch = n
                    checks += _check_batch(n, max_batch)
                else:
                    checks.append(tf.debugging.assert_equal(
                        n, batch, message=f"{name} must have as many rows as {names[0]}"))
            elif name == "num":
                checks += _check_batch(value, max_batch, "num")
            inputs[name] = value
        with tf.control_dependencies(checks):
            inputs = {k: tf.identity(v) for k, v in inputs.items()}
        return endpoint.fn(**inputs)

    # named parameters, so the reloaded endpoint takes keyword arguments too (latents=, labels=)
    fn.__signature__ = inspect.Signature(
        [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD) for name in names])
    return fn


def build_archive(model, max_batch=256):
    """An ExportArchive with the model's endpoints (see module docstring)."""
    model.prepare_for_sampling()
    archive = keras.export.ExportArchive()
    for module in model.export_modules():
        archive.track(module)
    trackable = archive._tf_trackable  # noqa: SLF001 - the object tf.saved_model.save writes
    trackable.regularization_losses = []
    endpoints = model.export_endpoints()
    for endpoint in endpoints:
        archive.add_endpoint(endpoint.name, _validated(endpoint, max_batch),
                             list(endpoint.inputs.values()))
    # Keras 3.15's archive lists the tracked Keras variables in `variables` / `trainable_variables`
    # and the tf.Variables behind them in `_all_variables`: the SavedModel then stores every weight
    # twice. The tf.Variables themselves in the lists keep `loaded.variables`, TFSMLayer and the
    # endpoints on one copy (tests/test_export_hub.py) and halve the export.
    for name in ("variables", "trainable_variables", "non_trainable_variables"):
        setattr(trackable, name, [v.value if isinstance(v, keras.Variable) else v
                                  for v in getattr(trackable, name)])
    first = endpoints[0]
    spec = next(iter(first.inputs.values()))
    primary = _validated(first, max_batch)

    def call(x):
        if len(first.inputs) == 1:
            out = primary(x)
        else:  # the other inputs as `sample` would draw them
            drawn = model.sample_inputs(tf.shape(x)[0], tf.constant(0, tf.int64))
            out = primary(x, *[drawn[name] for name in list(first.inputs)[1:]])
        return next(iter(out.values()))

    trackable.__call__ = tf.function(call, input_signature=[spec], autograph=False)
    return archive


def latent_width(model):
    """The width of the `latents` input the export's generate takes (StackGAN's carries its
    augmentations' eps beside z), or None for a model fed images."""
    latents = model.generator_input_spec().get("latents") if model.samples else None
    return int(latents.shape[-1]) if latents is not None and latents.shape else None


def _output_shape(model, gen):
    """The exported images' [H, W, C]: what `sample` returns for models that sample (a
    multi-level family's `generator` role is its coarsest level), else the generator's output."""
    if model.samples:
        return [int(d) for d in model.sample(1, 0).shape[1:]]
    return [int(d) for d in gen.outputs[0].shape[1:]]


def export_model(model, export_dir, card, version=1, max_batch=256, overwrite=False):
    """Write `<export_dir>/<version>/` atomically and return its path (version: an int >= 1)."""
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise RunDirError(f"export version {version!r} must be a whole number >= 1")
    target = os.path.join(export_dir, str(version))
    if os.path.exists(target) and not overwrite:
        raise RunDirError(f"{target} exists; pass --overwrite or another --version")
    try:
        os.makedirs(export_dir, exist_ok=True)
        tmp = tempfile.mkdtemp(prefix=f".tmp-{version}-", dir=export_dir)
    except OSError as e:
        raise RunDirError(f"cannot write an export into {export_dir}: {e.strerror}") from None
    os.chmod(tmp, 0o755)  # mkdtemp makes it 0700; a serving container may run as another user
    try:
        build_archive(model, max_batch).write_out(tmp, verbose=False)
        os.makedirs(os.path.join(tmp, "assets"), exist_ok=True)
        gen = model.export_generator()
        endpoints = model.export_endpoints()
        card = dict(card, **model.card_fields(),
                    signatures=[e.name for e in endpoints] + ["serving_default"],
                    inputs={e.name: {k: [d for d in s.shape] for k, s in e.inputs.items()}
                            for e in endpoints},
                    max_batch=max_batch,
                    num_classes=getattr(model.data_info, "num_classes", None),
                    latent_dim=latent_width(model),
                    export_kind="generate" if model.samples else "translate",
                    output_shape=_output_shape(model, gen))
        with open(os.path.join(tmp, "assets", CARD), "w", encoding="utf-8") as fh:
            json.dump(card, fh, indent=2, sort_keys=True, default=str)
        if os.path.exists(target):
            shutil.rmtree(target)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def card_from_run(cfg, info, run_dir=None, model=None, metrics=None):
    """The model card: family, config, training data, steps, resolution, latent dim, metrics.

    Steps come from run_dir/DONE.json, else the model's step counter; metrics from
    `metrics` (evaluate()'s results: each records its extractor and sample counts), else
    run_dir/metrics.json.
    """
    shape = [int(s) for s in info.shape]
    card = {"family": cfg.family, "config": cfg.to_dict(),
            "data": {"name": cfg.data.name, "shape": shape, "num_classes": info.num_classes,
                     "num_examples": info.num_examples,
                     **({"source": info.extra["source"]} if (info.extra or {}).get("source") else {})},
            "resolution": shape[0] if len(shape) == 3 else None, "steps": None,
            "latent_dim": None, "metrics": {}}
    if model is not None:
        card["latent_dim"] = latent_width(model)
        card["steps"] = int(model.step.numpy())
    done = os.path.join(run_dir, "DONE.json") if run_dir else ""
    if os.path.isfile(done):
        with open(done, encoding="utf-8") as fh:
            card["steps"] = json.load(fh).get("step", card["steps"])
    saved = os.path.join(run_dir, "metrics.json") if run_dir else ""
    if metrics is None and os.path.isfile(saved):
        with open(saved, encoding="utf-8") as fh:
            metrics = json.load(fh)
    card["metrics"] = metrics or {}
    return card


class CleanNameTFSMLayer(keras.layers.TFSMLayer):
    """TFSMLayer whose adopted weights drop the tf.Variable ":0" suffix (see docstring), and
    which calls multi-input endpoints with a dict or a list of inputs."""

    def _add_existing_weight(self, weight):
        variable = keras.Variable(
            initializer=weight, trainable=weight.trainable, dtype=weight.dtype,
            shape=weight.shape, name=re.sub(r":\d+$", "", weight.name).replace("/", "_"))
        self._track_variable(variable)

    def call(self, inputs, training=False, **kwargs):
        fn = self.call_endpoint_fn
        if training and self.call_training_endpoint:
            fn = self.call_training_endpoint_fn
        if isinstance(inputs, dict):
            return fn(**inputs, **kwargs)
        if isinstance(inputs, (list, tuple)):
            return fn(*inputs, **kwargs)
        return fn(inputs, **kwargs)


def load_layer(path, endpoint=None, trainable=True):
    """A Keras 3 layer calling `endpoint` (default: the first one: generate / translate) of an
    export, fine-tunable."""
    path = resolve_export(path)
    if endpoint is None:
        card = read_card(path)
        endpoint = (card.get("signatures") or ["generate"])[0]
    return CleanNameTFSMLayer(path, call_endpoint=endpoint, trainable=trainable)


def resolve_export(path):
    """An export directory, or a TF Serving parent of versions (the highest is taken)."""
    if os.path.isfile(os.path.join(path, "saved_model.pb")):
        return path
    if os.path.isdir(path):
        versions = [int(d) for d in os.listdir(path)
                    if d.isdigit() and os.path.isfile(os.path.join(path, d, "saved_model.pb"))]
        if versions:
            return os.path.join(path, str(max(versions)))
    raise RunDirError(f"{path} is not an export (no saved_model.pb, no numbered version inside)")


def read_card(path):
    path = resolve_export(path)
    card = os.path.join(path, "assets", CARD)
    if not os.path.isfile(card):
        return {}
    with open(card, encoding="utf-8") as fh:
        return json.load(fh)
