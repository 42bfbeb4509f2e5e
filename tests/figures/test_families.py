"""The family figures behind the model cards, on tiny untrained models: what each record holds."""
import math

import numpy as np
from sklearn.datasets import load_digits

from tests.testing import build, tiny_config
from tfgan_zoo.figures import families as ff

HELD_OUT = int(np.round(0.25 * np.bincount(load_digits().target)).sum())  # a quarter of each class


def test_class_conditional_and_triplegan_figures():
    cfg = tiny_config("triplegan", {"data": {"options": {"labelled_subset": 2, "holdout": 0.25}}})
    _, info, model = build(cfg)
    out = ff.triplegan_figures(cfg, info, model, num_samples=40)
    c = out["classifier_accuracy"]
    assert c["num_real"] == HELD_OUT and c["labelled_examples"] == 20
    assert 0.0 <= c["value"] <= 1.0 and 0.0 <= c["supervised_baseline"] <= 1.0
    acc = out["conditional_accuracy"]
    assert acc["num_fake"] == 40 and acc["chance"] == 0.1 and len(acc["per_class"]) == 10
    assert math.isfinite(out["per_class_kid"]["value"]) and math.isfinite(out["per_class_kid"]["baseline"])
    baseline = ff.supervised_baseline(cfg, info)  # C's architecture, trained apart from the run
    assert baseline is not model.classifier and baseline.output_shape == (None, 10)


def test_infogan_figures():
    cfg = tiny_config("infogan")
    _, info, model = build(cfg)
    out = ff.infogan_figures(cfg, info, model, num_samples=40)
    m = out["matched_accuracy"]
    assert 0.0 < m["value"] <= 1.0 and 0.1 < m["kmeans_baseline"] <= 0.5  # 4 clusters for 10 digits
    assert len(m["mapping"]) <= 4  # the tiny config's 4 categories
    assert out["mi_categorical"]["ceiling"] == math.log(4)
    assert out["mi_categorical"]["value"] <= math.log(4) + 1e-6


def test_bigan_figures():
    cfg = tiny_config("bigan")
    _, info, model = build(cfg)
    out = ff.bigan_figures(cfg, info, model)
    assert 0.0 <= out["class_preservation"]["value"] <= 1.0
    probe = out["linear_probe"]
    assert probe["num_real"] == HELD_OUT
    assert np.isclose(probe["value"], probe["encoder_at_init"])  # untrained: the same encoder
    assert out["reconstruction_ratio"]["value"] > 0


def test_class_conditional_figures_of_an_mnist_run_use_the_mnist_judge_and_held_out_split():
    cfg = tiny_config("cgan", {"data": {"name": "mnist", "image_size": 32, "options": {"source": "bundled"}}})
    _, info, model = build(cfg)
    images, labels, judge = ff._judged_real(cfg)
    assert judge == "mnist" and images.shape == (1000, 32, 32, 1)
    assert np.bincount(labels).tolist() == [100] * 10  # the fixed held-out 1,000
    out = ff.class_conditional_figures(cfg, info, model, num_samples=40)
    assert out["conditional_accuracy"]["extractor"] == out["per_class_kid"]["extractor"] == "mnist"
    assert out["per_class_kid"]["num_real"] == 1000
    digits = ff._judged_real(tiny_config("cgan"))
    assert digits[2] == "digits" and len(digits[0]) == len(load_digits().target)
