"""Conditional-family metrics: classifier agreement, per-class KID, matched accuracy, probes."""
import itertools

import numpy as np
import pytest

from tfgan_zoo.data.digits import load_digit_images
from tfgan_zoo.errors import UserError
from tfgan_zoo.metrics import conditional as cm
from tfgan_zoo.metrics.features import FeatureExtractor
from tfgan_zoo.metrics.kid import kernel_inception_distance

RNG = np.random.default_rng(0)


class MeanExtractor(FeatureExtractor):
    """Logits: class = round of the mean pixel mapped to 0..3; features: the pixels."""

    name, feature_dim, input_size, num_classes, logits_kind = "mean", 4, (2, 2, 1), 4, "test"

    def _forward(self, images):
        flat = images.reshape(len(images), -1)
        cls = np.clip(np.round((flat.mean(axis=1) + 1) * 1.5), 0, 3).astype(int)
        return flat, np.eye(4)[cls] * 5.0


@pytest.fixture(scope="module")
def digits():
    return load_digit_images(16)


def test_balanced_labels():
    np.testing.assert_array_equal(np.bincount(cm.balanced_labels(1000, 10)), np.full(10, 100))
    assert cm.balanced_labels(5, 3).dtype == np.int32


def test_conditional_accuracy_counts_agreement_per_class():
    logits = np.eye(3)[[0, 1, 2, 2, 1, 0]]
    labels = np.array([0, 1, 1, 2, 0, 0])
    out = cm.conditional_accuracy(None, labels, logits=logits)
    assert out["accuracy"] == pytest.approx(4 / 6)
    assert out["per_class_accuracy"] == pytest.approx([2 / 3, 1 / 2, 1.0])
    images = np.stack([np.full((2, 2, 1), v, np.float32) for v in (-1.0, -0.3, 0.3, 1.0)])
    out = cm.conditional_accuracy(images, np.array([0, 1, 2, 0]), extractor=MeanExtractor())
    assert out["accuracy"] == 0.75 and out["extractor"] == "mean"
    assert np.isnan(out["per_class_accuracy"][3])  # no image asked for class 3
    with pytest.raises(UserError, match=r"labels must be in \[0, 3\)"):
        cm.conditional_accuracy(None, np.array([3]), logits=np.eye(3)[:1])
    with pytest.raises(UserError, match="1 labels for 2 examples"):
        cm.conditional_accuracy(None, np.array([0]), logits=np.eye(3)[:2])


def test_bundled_classifier_agrees_with_real_labels_and_not_with_shuffled_ones(digits):
    images, labels = digits
    assert cm.conditional_accuracy(images, labels)["accuracy"] > 0.97
    shuffled = RNG.permutation(labels)
    assert cm.conditional_accuracy(images, shuffled)["accuracy"] < 0.2  # chance is 0.1


def test_per_class_kid_is_kid_of_each_class_with_a_split_baseline():
    real = RNG.normal(0, 1, (60, 5))
    real_labels = np.arange(60) % 3
    fake = RNG.normal(0, 1, (30, 5)) + np.array([[0.0], [0.0], [2.0]])[np.arange(30) % 3]  # class 2 is off
    fake_labels = np.arange(30) % 3
    out = cm.per_class_kid(fake, fake_labels, real, real_labels, num_subsets=5, seed=1)
    for c in range(3):
        want = kernel_inception_distance(real[real_labels == c], fake[fake_labels == c], 5, 20, seed=1 + c)["mean"]
        assert out["per_class"][c] == pytest.approx(want)
    assert out["per_class"][2] > 5 * max(out["per_class"][:2])
    assert out["per_class"][2] > 5 * max(out["baseline_per_class"])
    assert out["mean"] == pytest.approx(np.mean(out["per_class"]))
    missing = cm.per_class_kid(fake[fake_labels < 2], fake_labels[fake_labels < 2], real, real_labels)
    assert np.isnan(missing["per_class"][2]) and np.isfinite(missing["mean"])


def test_evaluate_conditional_on_a_generator_that_returns_real_digits(digits):
    images, labels = digits
    pools = {c: np.flatnonzero(labels == c) for c in range(10)}

    def generate(requested):  # a perfect class-conditional "generator": distinct real digits of the class
        counts = {c: 0 for c in range(10)}
        out = []
        for c in requested:
            out.append(images[pools[int(c)][counts[int(c)]]])
            counts[int(c)] += 1
        return np.stack(out)

    def wrong(requested):
        return generate((np.asarray(requested) + 1) % 10)

    good = cm.evaluate_conditional(generate, images, labels, num_samples=500)
    bad = cm.evaluate_conditional(wrong, images, labels, num_samples=500)
    assert good["accuracy"] > 0.97 and bad["accuracy"] < 0.05
    assert good["kid_mean"] < 0.2 * bad["kid_mean"]
    assert len(good["kid_per_class"]) == 10 and np.isfinite(good["kid_baseline_mean"])
    with pytest.raises(UserError, match="generate must return"):
        cm.evaluate_conditional(lambda requested: images[:3], images, labels, num_samples=10)


def test_matched_accuracy_equals_the_best_permutation():
    labels = RNG.integers(0, 4, 200)
    clusters = np.where(RNG.uniform(size=200) < 0.7, (labels + 1) % 4, RNG.integers(0, 4, 200))
    best = max(np.mean(np.array(perm)[clusters] == labels) for perm in itertools.permutations(range(4)))
    acc, mapping = cm.matched_accuracy(clusters, labels)
    assert acc == pytest.approx(best)
    assert mapping == {1: 0, 2: 1, 3: 2, 0: 3}
    assert cm.matched_accuracy((labels + 3) % 4, labels)[0] == 1.0  # a relabelling is perfect


def test_kmeans_baseline_on_digits_is_seeded_and_far_above_chance(digits):
    images, labels = digits
    first = cm.kmeans_pixel_baseline(images[:600], labels[:600], seed=0, n_init=2)
    assert first == cm.kmeans_pixel_baseline(images[:600], labels[:600], seed=0, n_init=2)
    assert 0.5 < first < 0.95


def test_linear_probe_separates_informative_features_only():
    labels = np.arange(300) % 3
    informative = np.eye(3)[labels] * 2.0 + RNG.normal(0, 0.5, (300, 3))
    noise = RNG.normal(0, 1, (300, 3))
    assert cm.linear_probe_accuracy(informative[:200], labels[:200], informative[200:], labels[200:]) > 0.95
    assert cm.linear_probe_accuracy(noise[:200], labels[:200], noise[200:], labels[200:]) < 0.55
