"""The zoo's bar (tfgan_zoo.metrics.zoo_bar): real held-out digits meet it, blends, noise and a
collapsed class do not, the shortfall lines say by how much, and the requested labels it assumes
are the ones an export's `sample` signature draws."""
import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo.data.digits import load_digit_images
from tfgan_zoo.metrics import digits_classifier as dc
from tfgan_zoo.metrics import judge
from tfgan_zoo.metrics.features import get_extractor
from tfgan_zoo.metrics.zoo_bar import (BAR, BATCH, bar_note, bar_shortfalls, judge_export, judge_row,
                                       requested_labels)


@pytest.fixture(scope="module")
def held_out():
    images, labels = load_digit_images(16)
    _, test = dc.sklearn_digits_split_indices()
    return images, images[test], labels[test]


def _row(images, real, labels=None):
    probs = judge.softmax(get_extractor("digits")(images)["logits"])
    return judge_row(probs, images, real, requested=labels)


def test_real_held_out_digits_meet_the_bar(held_out):
    real, x, y = held_out
    row = _row(x, real, y)
    assert row["confidence"] > BAR["confidence"] and row["classes"] == 10
    assert row["largest_share"] <= BAR["largest_share"] and abs(row["sharpness"] - 1.0) < 0.1
    assert row["accuracy"] > 0.97
    assert bar_shortfalls(row) == []


def test_blends_noise_and_one_class_miss_it(held_out):
    real, x, y = held_out
    blends, _, _ = judge.blends(x, y, len(y), seed=0)
    assert any(s.startswith("mean confidence") for s in bar_shortfalls(_row(blends, real)))
    noisy = bar_shortfalls(_row(judge.add_noise(x, 0.3, seed=0), real))
    assert any(s.startswith("sharpness") for s in noisy)
    ones = x[y == 1]
    lines = bar_shortfalls(_row(np.concatenate([ones] * 5), real))
    assert any("classes of 10" in s for s in lines) and any(s.startswith("largest class 100.0 %") for s in lines)


def test_shortfall_lines_say_by_how_much():
    row = {"confidence": 0.776, "classes": 9, "largest_share": 0.172, "sharpness": 2.23, "accuracy": 0.9}
    assert bar_shortfalls(row) == [
        "mean confidence 0.776, 0.124 under 0.90", "9 classes of 10",
        "largest class 17.2 % of samples, 2.2 points over 15 %", "sharpness 2.23 outside 0.6-1.5",
        "requested-class accuracy 0.900, 0.050 under 0.95"]
    row = {"confidence": 0.95, "classes": 10, "largest_share": 0.11, "sharpness": 0.59}
    assert bar_shortfalls(row) == ["sharpness 0.59 outside 0.6-1.5"]
    assert bar_note(dict(row, shortfalls=[])).startswith("Meets the zoo's bar")


def test_requested_labels_are_what_an_exports_sample_draws(tmp_path):
    from tests.testing import build, tiny_config
    from tfgan_zoo.export import export_model

    cfg = tiny_config("cgan", {"data": {"name": "digits", "image_size": 16}})
    _, _, model = build(cfg)
    path = export_model(model, str(tmp_path / "cgan"), {"family": "cgan"}, max_batch=BATCH)
    module = tf.saved_model.load(path)
    num, seed = 30, 7
    sampled = module.signatures["sample"](num=tf.constant(num), seed=tf.constant(seed, tf.int64))["images"]
    spec = module.signatures["generate"].structured_input_signature[1]
    latent = int(spec["latents"].shape[-1])
    latents = tf.random.stateless_normal([num, latent], seed=tf.constant([seed, 0], tf.int64))
    labels = tf.constant(requested_labels(num, 10), tf.int32)
    given = module.signatures["generate"](latents=latents, labels=labels)["images"]
    np.testing.assert_allclose(sampled.numpy(), given.numpy(), atol=1e-5)
    row = judge_export(path, num=BATCH)  # an untrained generator: far below the bar, said so
    assert row["kind"] == "conditional" and row["num_fake"] == BATCH and "accuracy" in row
    assert row["shortfalls"] and row["shortfalls"] == bar_shortfalls(row)
