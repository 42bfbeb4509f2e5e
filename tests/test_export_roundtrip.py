"""Export round trip: same images as in process (EMA generator), reproducible `sample`, TFSMLayer.

saved_model_cli and TF-Hub reuse: tests/test_export_hub.py; every family: test_export_signatures.py.
"""
import json
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from tests.testing import build, fit_steps, tiny_config
from tfgan_zoo.export import export_model, read_card


@pytest.fixture(scope="module")
def dcgan_export(tmp_path_factory):
    cfg = tiny_config("dcgan", {"model": {"ema_decay": 0.9}})
    ds, info, model = build(cfg)
    fit_steps(model, cfg, ds, 2)
    root = tmp_path_factory.mktemp("exports")
    path = export_model(model, str(root / "dcgan_tiny"), {"family": "dcgan"}, version=3,
                        max_batch=32)
    return model, path


def test_generate_matches_in_process_ema_generator(dcgan_export):
    model, path = dcgan_export
    assert path.endswith(os.path.join("dcgan_tiny", "3"))
    z = np.random.default_rng(1).standard_normal((5, 8)).astype("float32")
    loaded = tf.saved_model.load(path)
    out = loaded.signatures["generate"](latents=tf.constant(z))
    expected = model.ema_generator(z, training=False).numpy()
    np.testing.assert_allclose(out["images"].numpy(), expected, atol=1e-5)
    assert out["images_uint8"].dtype == tf.uint8
    np.testing.assert_array_equal(out["images_uint8"].numpy(),
                                  np.clip(np.round((expected + 1) * 127.5), 0, 255).astype(np.uint8))
    assert set(loaded.signatures) >= {"generate", "sample", "serving_default"}


def test_sample_is_reproducible_across_loads(dcgan_export):
    _, path = dcgan_export
    a = tf.saved_model.load(path).signatures["sample"](num=tf.constant(4), seed=tf.constant(7, tf.int64))
    b = tf.saved_model.load(path).signatures["sample"](num=tf.constant(4), seed=tf.constant(7, tf.int64))
    c = tf.saved_model.load(path).signatures["sample"](num=tf.constant(4), seed=tf.constant(8, tf.int64))
    np.testing.assert_array_equal(a["images"].numpy(), b["images"].numpy())
    assert not np.allclose(a["images"].numpy(), c["images"].numpy())


def test_oversize_batch_is_refused(dcgan_export):
    _, path = dcgan_export
    loaded = tf.saved_model.load(path)
    with pytest.raises(tf.errors.InvalidArgumentError, match="max_batch"):
        loaded.signatures["generate"](latents=tf.zeros((33, 8)))


def test_card_and_tfsmlayer(dcgan_export):
    model, path = dcgan_export
    card = read_card(os.path.dirname(path))  # the TF Serving parent resolves to the version
    assert card["family"] == "dcgan" and card["latent_dim"] == 8
    layer = keras.layers.TFSMLayer(path, call_endpoint="generate")
    inp = keras.Input((8,))
    wrapper = keras.Model(inp, layer(inp)["images"])
    z = np.random.default_rng(2).standard_normal((3, 8)).astype("float32")
    np.testing.assert_allclose(wrapper(z).numpy(), model.ema_generator(z).numpy(), atol=1e-5)


def test_pix2pix_translate_roundtrip(tmp_path):
    cfg = tiny_config("pix2pix")
    ds, info, model = build(cfg)
    fit_steps(model, cfg, ds, 1)
    path = export_model(model, str(tmp_path / "p2p"), {"family": "pix2pix"})
    src = next(iter(ds.batch(3)))["source"]
    loaded = tf.saved_model.load(path)
    out = loaded.signatures["translate"](images=src)["images"].numpy()
    np.testing.assert_allclose(out, model.generator(src, training=False).numpy(), atol=1e-5)
    with open(os.path.join(path, "assets", "card.json")) as fh:
        assert json.load(fh)["export_kind"] == "translate"
