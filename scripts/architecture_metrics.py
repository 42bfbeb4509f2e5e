"""Figures of the architecture families' zoo entries (SAGAN, BigGAN, LapGAN, StackGAN) on the
bundled digits, measured with the bundled digits classifier ("digits" extractor).

Each helper returns card records: {"value" (or the metric's own keys), "extractor", "num_fake",
"num_real", ...}, so exports/README.md can print them.
"""
import numpy as np
import tensorflow as tf

from tfgan_zoo.imaging import image_grid, write_png
from tfgan_zoo.metrics import DatasetSource, SampleSource, evaluate
from tfgan_zoo.metrics.conditional import balanced_labels, conditional_accuracy
from tfgan_zoo.train import build_data

NUM_SAMPLES = 2000


def real_source(cfg):
    return DatasetSource(build_data(cfg)[0], name="digits")


def measure(sample_fn, cfg, metrics=("kid",), num=NUM_SAMPLES, seed=0):
    """evaluate() of sample_fn(num, seed) -> images against the training digits."""
    return evaluate(SampleSource(sample_fn, seed=seed), real_source(cfg), metrics=metrics, num_samples=num,
                    extractor="digits")


def value(record, key="mean", **extra):
    """A card record with `value` taken from record[key] (the KID mean, ...)."""
    out = {"value": float(record[key]), "extractor": record.get("extractor", "digits"),
           "num_fake": record.get("num_fake"), "num_real": record.get("num_real")}
    out.update(extra)
    return out


def latents(num, dim, seed):
    return tf.random.stateless_normal([int(num), int(dim)], seed=[int(seed), 0])


def labelled_sampler(model, dim, generate, seed_offset=0):
    """sample(num, seed) with balanced labels for a generate(latents, labels) function."""
    def sample(num, seed):
        labels = balanced_labels(num, model.num_classes)
        return np.asarray(generate(latents(num, dim, seed + seed_offset), tf.constant(labels)))
    return sample


def accuracy(generate, model, dim, num=1000, seed=123):
    """Conditional accuracy (bundled digits classifier) of generate(latents, labels) on `num`
    balanced labels."""
    labels = balanced_labels(num, model.num_classes)
    images = np.asarray(generate(latents(num, dim, seed), tf.constant(labels)))
    result = conditional_accuracy(images, labels)
    return {"value": result["accuracy"], "extractor": "digits", "num_fake": num,
            "per_class": [round(a, 3) for a in result["per_class_accuracy"]]}


def predicted_labels(images):
    from tfgan_zoo.metrics.features import get_extractor
    return np.asarray(get_extractor("digits")(np.asarray(images))["logits"]).argmax(axis=1)


def save_grid(path, rows):
    """rows: a list of [N, H, W, C] image batches, one grid row each."""
    columns = len(rows[0])
    write_png(path, image_grid(np.concatenate([np.asarray(r) for r in rows]), columns=columns))
