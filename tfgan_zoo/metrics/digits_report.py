"""The figures a digits model card carries (scripts/build_zoo_exports.py), in one call.

    digits_report(sample_fn, num_samples=2000)

- FID and KID against all 1,797 bundled digits (digits-classifier features), with the
  real-vs-real baseline beside them: the same metrics between two seeded random halves of the
  real set. FID is biased upward at small sample counts (the halves have ~900 images each), so
  read FID against its baseline with that in mind; KID is unbiased.
- precision / recall (k = 3: per-class sets are small, see metrics notes).
- the bundled classifier on the samples: mean confidence (max softmax), the class histogram
  (fractions, 10 classes) and its largest class fraction; real digits score ~0.98 confidence and
  ~0.10 per class.
"""
import numpy as np

from tfgan_zoo.metrics.evaluator import MetricOptions, collect, evaluate
from tfgan_zoo.metrics.features import get_extractor
from tfgan_zoo.metrics.sources import DatasetSource, SampleSource

REAL_SPLIT_SEED = 1234


def real_digits(image_size=16):
    from tfgan_zoo.data.digits import load_digit_images
    return load_digit_images(image_size)


def _array_source(images, name):
    import tensorflow as tf
    return DatasetSource(tf.data.Dataset.from_tensor_slices({"real": images}), name=name)


def classifier_summary(logits):
    """Mean max-softmax confidence, the class histogram and its largest fraction."""
    logits = np.asarray(logits, np.float64)
    p = np.exp(logits - logits.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    hist = np.bincount(p.argmax(1), minlength=p.shape[1]) / len(p)
    return {"mean_confidence": float(p.max(1).mean()), "class_histogram": hist.round(4).tolist(),
            "max_class_fraction": float(hist.max()), "num_fake": int(len(p)),
            "extractor": "digits"}


def real_split_baseline(image_size=16, options=None):
    """FID and KID between two seeded random halves of the bundled digits."""
    images, _ = real_digits(image_size)
    order = np.random.default_rng(REAL_SPLIT_SEED).permutation(len(images))
    half = len(images) // 2
    a, b = images[order[:half]], images[order[half:2 * half]]
    options = options or MetricOptions(kid_subset_size=min(1000, half))
    out = evaluate(_array_source(a, "digits half A"), _array_source(b, "digits half B"),
                   ("fid", "kid"), num_samples=half, options=options)
    return {"fid": out["fid"]["value"], "kid": out["kid"]["mean"], "num_each": half}


def digits_report(sample_fn, num_samples=2000, seed=0, image_size=16):
    """{metric: record} for a card: fid, kid, precision_recall (with a "real_split" baseline on
    fid / kid) and "classifier" (see module docstring)."""
    images, _ = real_digits(image_size)
    fake = SampleSource(sample_fn, seed=seed, name="generator")
    options = MetricOptions(kid_subset_size=1000)
    out = evaluate(fake, _array_source(images, "digits"), ("fid", "kid", "precision_recall"),
                   num_samples=num_samples, num_real_samples=len(images), options=options)
    baseline = real_split_baseline(image_size)
    out["fid"]["real_split"] = baseline["fid"]
    out["kid"]["real_split"] = baseline["kid"]
    out["fid"]["real_split_count"] = out["kid"]["real_split_count"] = baseline["num_each"]
    logits = collect(fake, {"logits"}, num_samples, get_extractor("digits")).logits
    out["classifier"] = classifier_summary(logits)
    return out
