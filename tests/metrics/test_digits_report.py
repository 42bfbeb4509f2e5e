"""The digits card figures: the classifier summary against NumPy, and real digits scoring as
real digits (near the real-vs-real baseline, confident, balanced)."""
import numpy as np

from tfgan_zoo.metrics.digits_report import classifier_summary, digits_report, real_digits


def test_classifier_summary_matches_numpy():
    logits = np.array([[2.0, 0.0, 0.0], [0.0, 3.0, 1.0], [0.0, 5.0, 0.0], [1.0, 1.0, 1.0]])
    p = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    out = classifier_summary(logits)
    np.testing.assert_allclose(out["mean_confidence"], p.max(1).mean())
    assert out["class_histogram"] == [0.5, 0.5, 0.0] and out["max_class_fraction"] == 0.5


def test_real_digits_score_like_real_digits():
    images, _ = real_digits(16)
    rng = np.random.default_rng(0)

    def sample(num, seed):
        return images[np.random.default_rng(seed).integers(0, len(images), num)]

    report = digits_report(sample, num_samples=600)
    assert report["kid"]["mean"] < 3 * report["kid"]["real_split"] + 2
    assert report["fid"]["real_split"] > 0 and report["fid"]["real_split_count"] == 898
    c = report["classifier"]
    assert c["mean_confidence"] > 0.95 and c["max_class_fraction"] < 0.15
    noise = digits_report(lambda n, s: rng.uniform(-1, 1, (n, 16, 16, 1)).astype("float32"),
                          num_samples=600)
    assert noise["kid"]["mean"] > 10 * report["kid"]["mean"]
