"""The notebook surface of tfgan_zoo (re-exported by `tfgan_zoo/__init__.py`, lazily):

    import tfgan_zoo as tz
    cfg = tz.load_config("zoo_configs/dcgan/digits.yaml", overrides=["train.epochs=2"])
    run = tz.train(cfg, "runs/my_dcgan")            # resumes when the run exists
    images = run.model.sample(16, seed=0)            # [16, H, W, C] in [-1, 1]
    path = tz.export(run.model, cfg, "my_exports/dcgan")
    zoo = tz.load_export("dcgan_digits")             # a shipped entry by name, or any path
    images = zoo.signatures["sample"](num=tf.constant(16), seed=tf.constant(0, tf.int64))

Like keras-hub's `from_preset`, `load_export` takes a zoo entry's name (a directory under the
repository's `exports/`) or a path.
"""
import os

from tfgan_zoo.errors import RunDirError

#: where the shipped zoo entries live (the repository's exports/ beside the package)
ZOO_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "exports")


def build(cfg, strategy=None):
    """The compiled model of a config (its data is built to learn shapes and classes)."""
    from tfgan_zoo.train import build_data, build_model
    _, info = build_data(cfg)
    return build_model(cfg, info, strategy)


def export(model, cfg, export_dir, version=1, overwrite=False, metrics=None):
    """A SavedModel of `model` (TF Serving layout: export_dir/version/) with its card."""
    from tfgan_zoo.export import card_from_run, export_model
    card = card_from_run(cfg, model.data_info, model=model, metrics=metrics)
    return export_model(model, export_dir, card, version=version, max_batch=cfg.export.max_batch,
                        overwrite=overwrite)


def export_path(name_or_path):
    """A zoo entry's name (exports/<name>) or a path, resolved to its newest version."""
    from tfgan_zoo.export import resolve_export
    candidates = [name_or_path]
    if os.path.sep not in str(name_or_path):
        candidates.append(os.path.join(ZOO_DIR, str(name_or_path)))
    for candidate in candidates:
        if os.path.isdir(candidate):
            return resolve_export(candidate)
    names = sorted(os.listdir(ZOO_DIR)) if os.path.isdir(ZOO_DIR) else []
    from tfgan_zoo.registry import closest_hint
    raise RunDirError(f"no export {name_or_path!r}: not a directory, not a zoo entry"
                      + (closest_hint(name_or_path, [n for n in names if not n.endswith(".md")]) if names else ""))


def load_export(name_or_path):
    """The SavedModel of a zoo entry or path (`tf.saved_model.load`): `.signatures[...]`,
    callable on its first input."""
    import tensorflow as tf
    return tf.saved_model.load(export_path(name_or_path))


def load_export_layer(name_or_path, endpoint=None, trainable=True):
    """A Keras layer calling an export's endpoint (fine-tunable; export.load_layer)."""
    from tfgan_zoo.export import load_layer
    return load_layer(export_path(name_or_path), endpoint=endpoint, trainable=trainable)
