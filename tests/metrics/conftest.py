"""Fixtures for the metrics tests: a tiny SavedModel generator export and image folders."""
import json

import numpy as np
import pytest
import tensorflow as tf

LATENT_DIM = 4
IMAGE_SHAPE = (8, 8, 1)


class TinyGenerator(tf.Module):
    def __init__(self):
        super().__init__()
        init = np.random.default_rng(0).normal(0, 0.5, (LATENT_DIM, int(np.prod(IMAGE_SHAPE))))
        self.w = tf.Variable(init.astype(np.float32))

    @tf.function(input_signature=[tf.TensorSpec([None, LATENT_DIM], tf.float32, name="latents")])
    def generate(self, latents):
        images = tf.tanh(tf.matmul(latents, self.w))
        return {"images": tf.reshape(images, (-1, *IMAGE_SHAPE))}


def tiny_generator_fn():
    """The same maths as the exported module, as a plain NumPy callable."""
    w = TinyGenerator().w.numpy()
    return lambda z: np.tanh(np.asarray(z) @ w).reshape(-1, *IMAGE_SHAPE)


def save_export(path, card=True, max_batch=None):
    module = TinyGenerator()
    tf.saved_model.save(module, str(path), signatures={"generate": module.generate})
    if card:
        (path / "assets").mkdir(exist_ok=True)
        content = {"latent_dim": LATENT_DIM, "max_batch": max_batch}
        (path / "assets" / "card.json").write_text(json.dumps(content))
    return path


@pytest.fixture(scope="session")
def export_dir(tmp_path_factory):
    return save_export(tmp_path_factory.mktemp("export") / "gen", max_batch=5)


def write_png_folder(path, images):
    from PIL import Image

    path.mkdir(parents=True, exist_ok=True)
    for i, image in enumerate(images):
        pixels = np.round((np.asarray(image)[..., 0] + 1.0) * 127.5).astype(np.uint8)
        Image.fromarray(pixels, mode="L").save(path / f"{i:04d}.png")
    return path


class TinyConditionalGenerator(TinyGenerator):
    """Class-conditional: label c adds c/10 to every pixel before tanh."""

    @tf.function(input_signature=[tf.TensorSpec([None, LATENT_DIM], tf.float32, name="latents"),
                                  tf.TensorSpec([None], tf.int32, name="labels")])
    def generate(self, latents, labels):
        shift = tf.cast(labels, tf.float32)[:, None] / 10.0
        images = tf.tanh(tf.matmul(latents, self.w) * 0.0 + shift)
        return {"images": tf.reshape(images, (-1, *IMAGE_SHAPE))}


def save_conditional_export(path, num_classes):
    module = TinyConditionalGenerator()
    tf.saved_model.save(module, str(path), signatures={"generate": module.generate})
    (path / "assets").mkdir(exist_ok=True)
    (path / "assets" / "card.json").write_text(
        json.dumps({"latent_dim": LATENT_DIM, "num_classes": num_classes}))
    return path
