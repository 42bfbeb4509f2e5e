"""Export a trained generator as a SavedModel in TF Serving layout: <dir>/<version>/.

Only the generator is exported (the EMA copy when the family keeps one), with explicit
input signatures, through keras.export.ExportArchive (which also tracks `variables` /
`trainable_variables` for TF-Hub-style reuse). Signatures:

    generate(latents: float32 [N, latent_dim])        noise -> image families
    sample(num: int32 [], seed: int64 [])              seeded, reproducible latents
    translate(images: float32 [N, H, W, C_source])     image -> image families
    serving_default                                    = generate or translate

Each returns {"images": float32 in [-1, 1], "images_uint8": uint8 in [0, 255]}. A batch
larger than `max_batch` is refused with an InvalidArgumentError that says so. The card
(family, config, data, size, latent dim, metrics) is assets/card.json. The SavedModel is
written to a temporary directory beside the target and renamed into place, so a crash
never leaves a half-written export.
"""
import json
import os
import shutil
import tempfile

import keras
import tensorflow as tf

from tfgan_zoo.errors import RunDirError

CARD = "card.json"


def _outputs(images):
    images = tf.cast(images, tf.float32)
    uint8 = tf.cast(tf.clip_by_value(tf.round((images + 1.0) * 127.5), 0.0, 255.0), tf.uint8)
    return {"images": images, "images_uint8": uint8}


def _check_batch(n, max_batch):
    tf.debugging.assert_less_equal(
        tf.cast(n, tf.int64), tf.constant(max_batch, tf.int64),
        message=f"batch larger than this export's max_batch ({max_batch})")
    tf.debugging.assert_positive(tf.cast(n, tf.int64), message="batch must hold at least 1 item")


def build_archive(model, max_batch=256):
    """An ExportArchive with the generator's signatures (see module docstring)."""
    gen = model.export_generator()
    archive = keras.export.ExportArchive()
    archive.track(gen)
    if model.export_kind == "translate":
        shape = list(gen.inputs[0].shape)

        def translate(images):
            _check_batch(tf.shape(images)[0], max_batch)
            return _outputs(gen(images, training=False))

        archive.add_endpoint("translate", translate,
                             [tf.TensorSpec([None] + shape[1:], tf.float32, name="images")])
        return archive
    latent_dim = model.latent_dim

    def generate(latents):
        _check_batch(tf.shape(latents)[0], max_batch)
        return _outputs(gen(latents, training=False))

    def sample(num, seed):
        _check_batch(num, max_batch)
        z = tf.random.stateless_normal(tf.stack([num, latent_dim]), seed=tf.stack([seed, 0]))
        return _outputs(gen(z, training=False))

    archive.add_endpoint("generate", generate,
                         [tf.TensorSpec([None, latent_dim], tf.float32, name="latents")])
    archive.add_endpoint("sample", sample, [tf.TensorSpec([], tf.int32, name="num"),
                                            tf.TensorSpec([], tf.int64, name="seed")])
    return archive


def export_model(model, export_dir, card, version=1, max_batch=256, overwrite=False):
    """Write `<export_dir>/<version>/` atomically and return its path."""
    target = os.path.join(export_dir, str(int(version)))
    if os.path.exists(target) and not overwrite:
        raise RunDirError(f"{target} exists; pass --overwrite or another --version")
    os.makedirs(export_dir, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=f".tmp-{version}-", dir=export_dir)
    try:
        build_archive(model, max_batch).write_out(tmp, verbose=False)
        os.makedirs(os.path.join(tmp, "assets"), exist_ok=True)
        card = dict(card, signatures=_signature_names(model), max_batch=max_batch,
                    latent_dim=model.latent_dim if model.export_kind == "generate" else None,
                    export_kind=model.export_kind)
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
