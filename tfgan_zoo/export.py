"""Export a trained generator as a SavedModel in TF Serving layout: <dir>/<version>/.

Only the generator is exported (the EMA copy when the family keeps one), with explicit
input signatures, through keras.export.ExportArchive. Signatures:

    generate(latents: float32 [N, latent_dim], *extras)   noise -> image families
    sample(num: int32 [], seed: int64 [])                   seeded, reproducible latents
    translate(images: float32 [N, H, W, C_source])          image -> image families
    serving_default                                         = generate or translate

Each returns {"images": float32 in [-1, 1], "images_uint8": uint8 in [0, 255]}.

Input validation, all as tf.errors.InvalidArgumentError with a message that says what was
expected: a wrong dtype is refused by the signature itself; a wrong rank or latent size by
`tf.ensure_shape` ("... is not compatible with expected shape [?,32]"); a translate input
of the wrong height/width by "translate expects images of HxW ..."; a batch larger than
`max_batch`, an empty batch and `sample(num <= 0)` by their own messages.

TF-Hub-style reuse: the loaded object is callable (`obj(latents)` or `obj(images)` ->
float images) and has `variables`, `trainable_variables` (from ExportArchive) and
`regularization_losses` (an empty list). `keras.layers.TFSMLayer` in Keras 3.15 names the
weights it adopts after the restored tf.Variables ("project/kernel:0"); the ":0" makes
Adam's slot names invalid scopes. `load_layer(path)` is TFSMLayer with those names cleaned
(project_kernel), which fine-tunes with any optimizer.

Extra generator inputs (labels, truncation, codes): a family may define
`export_inputs(self)` returning an `ExportInputs`:
    specs          extra tf.TensorSpec's appended to `generate`'s latents (named!)
    call(gen, latents, *extras) -> images      how the generator consumes them
    sample_extras(num, seed) -> tuple of tensors   values `sample` uses for them
The default (no hook) is specs=(), call=gen(latents), no extras. `__call__` takes the
latents alone and uses `sample_extras` too.

The card (family, config, data, steps, resolution, latent dim, metrics) is
assets/card.json, built by `card_from_run`. The SavedModel is written to a temporary
directory beside the target and renamed into place, so a crash never leaves a half-written
export.
"""
import json
import os
import re
import shutil
import tempfile
from typing import Callable, NamedTuple

import keras
import tensorflow as tf

from tfgan_zoo.errors import RunDirError

CARD = "card.json"


class ExportInputs(NamedTuple):
    """Extra inputs of a family's `generate` signature (see module docstring)."""
    specs: tuple = ()
    call: Callable = None
    sample_extras: Callable = None


def _outputs(images):
    images = tf.cast(images, tf.float32)
    uint8 = tf.cast(tf.clip_by_value(tf.round((images + 1.0) * 127.5), 0.0, 255.0), tf.uint8)
    return {"images": images, "images_uint8": uint8}


def _check_batch(n, max_batch, what="batch"):
    n = tf.cast(n, tf.int64)
    return [tf.debugging.assert_less_equal(
                n, tf.constant(max_batch, tf.int64),
                message=f"{what} larger than this export's max_batch ({max_batch})"),
            tf.debugging.assert_positive(n, message=f"{what} must be at least 1")]


def _export_inputs(model):
    hook = getattr(model, "export_inputs", None)
    extra = hook() if hook is not None else None
    if extra is None:
        return ExportInputs((), lambda gen, z: gen(z, training=False), lambda num, seed: ())
    return extra


def build_archive(model, max_batch=256):
    """An ExportArchive with the generator's signatures (see module docstring)."""
    gen = model.export_generator()
    archive = keras.export.ExportArchive()
    archive.track(gen)
    trackable = archive._tf_trackable  # noqa: SLF001 - the object tf.saved_model.save writes
    trackable.regularization_losses = []
    if model.export_kind == "translate":
        _, height, width, channels = (int(d) if d is not None else None
                                      for d in gen.inputs[0].shape)

        def translate(images):
            images = tf.ensure_shape(images, [None, None, None, channels], name="images")
            size = tf.shape(images)[1:3]
            checks = _check_batch(tf.shape(images)[0], max_batch) + [
                tf.debugging.assert_equal(
                    size, tf.constant([height, width]),
                    message=f"translate expects images of {height}x{width}x{channels} "
                            "(height x width x channels); got height, width")]
            with tf.control_dependencies(checks):
                images = tf.identity(images)
            return _outputs(gen(images, training=False))

        spec = tf.TensorSpec([None, None, None, channels], tf.float32, name="images")
        archive.add_endpoint("translate", translate, [spec])
        trackable.__call__ = tf.function(lambda images: translate(images)["images"],
                                         input_signature=[spec], autograph=False)
        return archive

    latent_dim = model.latent_dim
    extra = _export_inputs(model)

    def generate(latents, *extras):
        latents = tf.ensure_shape(latents, [None, latent_dim], name="latents")
        with tf.control_dependencies(_check_batch(tf.shape(latents)[0], max_batch)):
            latents = tf.identity(latents)
        return _outputs(extra.call(gen, latents, *extras))

    def sample(num, seed):
        with tf.control_dependencies(_check_batch(num, max_batch, "num")):
            num = tf.identity(num)
        z = tf.random.stateless_normal(tf.stack([num, latent_dim]), seed=tf.stack([seed, 0]))
        return generate(z, *extra.sample_extras(num, seed))

    latents_spec = tf.TensorSpec([None, latent_dim], tf.float32, name="latents")
    archive.add_endpoint("generate", generate, [latents_spec, *extra.specs])
    archive.add_endpoint("sample", sample, [tf.TensorSpec([], tf.int32, name="num"),
                                            tf.TensorSpec([], tf.int64, name="seed")])

    def call(latents):
        num = tf.shape(latents)[0]
        return generate(latents, *extra.sample_extras(num, tf.constant(0, tf.int64)))["images"]

    trackable.__call__ = tf.function(call, input_signature=[latents_spec], autograph=False)
    return archive


def export_model(model, export_dir, card, version=1, max_batch=256, overwrite=False):
    """Write `<export_dir>/<version>/` atomically and return its path."""
    target = os.path.join(export_dir, str(int(version)))
    if os.path.exists(target) and not overwrite:
        raise RunDirError(f"{target} exists; pass --overwrite or another --version")
    os.makedirs(export_dir, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=f".tmp-{version}-", dir=export_dir)
    os.chmod(tmp, 0o755)  # mkdtemp makes it 0700; a serving container may run as another user
    try:
        build_archive(model, max_batch).write_out(tmp, verbose=False)
        os.makedirs(os.path.join(tmp, "assets"), exist_ok=True)
        gen = model.export_generator()
        card = dict(card, signatures=_signature_names(model), max_batch=max_batch,
                    latent_dim=model.latent_dim if model.export_kind == "generate" else None,
                    export_kind=model.export_kind,
                    output_shape=[int(d) for d in gen.outputs[0].shape[1:]])
        with open(os.path.join(tmp, "assets", CARD), "w", encoding="utf-8") as fh:
            json.dump(card, fh, indent=2, sort_keys=True, default=str)
        if os.path.exists(target):
            shutil.rmtree(target)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def _signature_names(model):
    if model.export_kind == "translate":
        return ["translate", "serving_default"]
    return ["generate", "sample", "serving_default"]


def card_from_run(cfg, info, run_dir=None, model=None, metrics=None):
    """The model card: family, config, training data, steps, resolution, latent dim, metrics.

    Steps come from run_dir/DONE.json, else the model's generator optimizer; metrics from
    `metrics` (evaluate()'s results: each records its extractor and sample counts), else
    run_dir/metrics.json.
    """
    shape = [int(s) for s in info.shape]
    card = {"family": cfg.family, "config": cfg.to_dict(),
            "data": {"name": cfg.data.name, "shape": shape, "num_classes": info.num_classes,
                     "num_examples": info.num_examples},
            "resolution": shape[0] if len(shape) == 3 else None, "steps": None,
            "latent_dim": None, "metrics": {}}
    if model is not None:
        card["latent_dim"] = model.latent_dim if model.export_kind == "generate" else None
        card["steps"] = int(model.g_optimizer.iterations.numpy())
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
    """TFSMLayer whose adopted weights drop the tf.Variable ":0" suffix (see docstring)."""

    def _add_existing_weight(self, weight):
        variable = keras.Variable(
            initializer=weight, trainable=weight.trainable, dtype=weight.dtype,
            shape=weight.shape, name=re.sub(r":\d+$", "", weight.name).replace("/", "_"))
        self._track_variable(variable)


def load_layer(path, endpoint=None, trainable=True):
    """A Keras 3 layer calling `endpoint` (generate / translate) of an export, fine-tunable."""
    path = resolve_export(path)
    if endpoint is None:
        endpoint = "translate" if read_card(path).get("export_kind") == "translate" else "generate"
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
