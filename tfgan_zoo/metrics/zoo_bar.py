"""The zoo's bar for an image entry, read by the calibrated bundled judge from the export itself.

    judge_export(path, family, extractor="digits") -> the card's "judge" record
    bar_shortfalls(record, kind) -> ["confidence 0.776, 0.124 under 0.90", ...] (empty: it meets the bar)

2,000 samples of the export's `sample(num, seed)` signature (seed 0, batches of BATCH, so the
balanced labels of a conditional export are 0, 1, ..., K - 1, 0, ... in every batch), read by the
judge: mean confidence (max softmax), classes holding >= 1 % of the samples, the largest class
share, sharpness (tfgan_zoo.metrics.sharpness against the real images at the samples' size) and,
for a conditional export, the requested-class accuracy (LABELLED families: the requested label;
infogan: its balanced categories after the best one-to-one matching to the judge's classes).

The bar (BAR): every noise -> image entry has mean confidence >= 0.90, all 10 classes, none above
15 % of the samples, sharpness 0.6-1.5; a conditional entry also >= 0.95 requested-class accuracy.
Real held-out digits score ~0.98 confidence, ~10 % a class, sharpness 1.0 and accuracy ~0.998.
"""
import json
from pathlib import Path

import numpy as np

from tfgan_zoo.metrics.sharpness import SHARPNESS_BAR

BAR = {"confidence": 0.90, "classes": 10, "largest_share": 0.15, "sharpness": SHARPNESS_BAR,
       "accuracy": 0.95}
LABELLED = ("cgan", "acgan", "biggan", "triplegan", "stackgan")
MATCHED = ("infogan",)
BATCH = 250
MIN_SHARE = 0.01
NUM_SAMPLES = 2000


def judge_row(probs, images, real_images, requested=None, category=None):
    """The judge's record of images [N, H, W, C] with its class probabilities [N, K]; real_images
    are the real set at any size (sharpness resizes them to the samples' size)."""
    from tfgan_zoo.metrics.conditional import matched_accuracy
    from tfgan_zoo.metrics.sharpness import sharpness

    probs = np.asarray(probs, np.float64)
    pred = probs.argmax(1)
    share = np.bincount(pred, minlength=probs.shape[1]) / len(pred)
    row = {"confidence": float(probs.max(1).mean()), "classes": int((share >= MIN_SHARE).sum()),
           "largest_share": float(share.max()), "class_histogram": share.round(4).tolist(),
           "sharpness": sharpness(images, real_images)["value"], "num_fake": int(len(pred))}
    if requested is not None:
        row["accuracy"] = float(np.mean(pred == np.asarray(requested)))
    if category is not None:
        row["accuracy"], mapping = matched_accuracy(category, pred)
        row["mapping"] = {str(k): v for k, v in mapping.items()}
    return row


def export_samples(path, num=NUM_SAMPLES, seed=0):
    """(images [num, H, W, C] float32, card) from the export's `sample` signature."""
    from tfgan_zoo.metrics.sources import export_sample_source, find_saved_model_dir, read_card

    source = export_sample_source(path, seed)
    return (np.concatenate(list(source.batches(BATCH, num)))[:num],
            read_card(find_saved_model_dir(path), path))


def requested_labels(num, num_classes):
    """The labels `sample` requests for sample i of batches of BATCH (balanced: i % K)."""
    return np.arange(num) % BATCH % int(num_classes or 10)


def judge_export(path, family=None, extractor="digits", real_images=None, num=NUM_SAMPLES):
    """The "judge" record of an export with a `sample` signature (see the module docstring)."""
    from tfgan_zoo.metrics import judge
    from tfgan_zoo.metrics.features import get_extractor

    images, card = export_samples(path, num)
    family = family or card.get("family")
    if real_images is None:
        real_images = real_images_at(extractor, images.shape[1])
    ex = get_extractor(extractor)
    probs = judge.softmax(ex(images)["logits"])
    labels = requested_labels(len(images), card.get("num_classes"))
    row = judge_row(probs, images, real_images,
                    requested=labels if family in LABELLED else None,
                    category=labels if family in MATCHED else None)
    row.update(extractor=f"{extractor} (calibrated judge)", judge=ex.cache_tag, signature="sample",
               seed=0, kind="conditional" if family in LABELLED + MATCHED else "unconditional")
    row["shortfalls"] = bar_shortfalls(row)
    return row


def real_images_at(extractor, size):
    """The judge's real training set at the samples' size (sharpness compares like with like)."""
    if extractor == "digits":
        from tfgan_zoo.data.digits import load_digit_images
        return load_digit_images(size)[0]
    from tfgan_zoo.data.mnist import DEFAULT_SIZE, load_mnist, to_model_range
    return np.asarray(to_model_range(load_mnist("train")[0], size or DEFAULT_SIZE))


def bar_shortfalls(row):
    """One line per figure of a judge record that misses the bar, saying by how much."""
    out = []
    if row["confidence"] < BAR["confidence"]:
        out.append(f"mean confidence {row['confidence']:.3f}, {BAR['confidence'] - row['confidence']:.3f} "
                   f"under {BAR['confidence']:.2f}")
    if row["classes"] < BAR["classes"]:
        out.append(f"{row['classes']} classes of {BAR['classes']}")
    if row["largest_share"] > BAR["largest_share"]:
        out.append(f"largest class {100 * row['largest_share']:.1f} % of samples, "
                   f"{100 * (row['largest_share'] - BAR['largest_share']):.1f} points over "
                   f"{100 * BAR['largest_share']:.0f} %")
    low, high = BAR["sharpness"]
    if not low <= row["sharpness"] <= high:
        out.append(f"sharpness {row['sharpness']:.2f} outside {low}-{high}")
    if row.get("accuracy") is not None and row["accuracy"] < BAR["accuracy"]:
        out.append(f"requested-class accuracy {row['accuracy']:.3f}, "
                   f"{BAR['accuracy'] - row['accuracy']:.3f} under {BAR['accuracy']:.2f}")
    return out


def bar_note(row):
    """The card's line about the bar."""
    if not row["shortfalls"]:
        return "Meets the zoo's bar by the calibrated judge (2,000 samples of `sample`)."
    return "Below the zoo's bar by the calibrated judge (2,000 samples of `sample`): " + "; ".join(
        row["shortfalls"]) + "."


def summary(row):
    """A short cell for the catalogue."""
    text = (f"judge: confidence {row['confidence']:.3f}, {row['classes']} classes, largest "
            f"{100 * row['largest_share']:.1f} %, sharpness {row['sharpness']:.2f}")
    if row.get("accuracy") is not None:
        text += f", accuracy {row['accuracy']:.3f}"
    return text + (" — meets the bar" if not row["shortfalls"] else " — below the bar")


if __name__ == "__main__":  # python -m tfgan_zoo.metrics.zoo_bar exports/dcgan_digits
    import sys
    print(json.dumps(judge_export(sys.argv[1]), indent=1))
