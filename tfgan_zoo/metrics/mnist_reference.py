"""The MNIST reference generated digits are scored against, with the MNIST judge's features.

    stats = held_out_stats()                  # the held-out "test" split (bundled: the fixed 1,000)
    score(source, stats, num)                 # {"fid": ..., "kid": ...} of num images of source
    real_vs_real(stats, num=1000)             # the same for num real training digits

The held-out split is the one no training stream contains (tfgan_zoo.data.mnist), so a model
cannot score well by reproducing its training digits, and real_vs_real is what real digits
the model never saw score: the floor a generator's figures are read against. FID is biased
upward at small counts, so compare a model's FID with a baseline of the same sample count.
"""
import numpy as np

from tfgan_zoo.errors import UserError
from tfgan_zoo.metrics.evaluator import MetricOptions, compute_real_stats, evaluate
from tfgan_zoo.metrics.sources import DatasetSource

EXTRACTOR = "mnist"
BASELINE_SEED = 1
SIZE = 32


def array_source(images, name):
    """An ImageSource over images [N, H, W, C] in [-1, 1]."""
    import tensorflow as tf
    return DatasetSource(tf.data.Dataset.from_tensor_slices({"real": images}), name=name)


def mnist_images(split="train", source="bundled", image_size=SIZE):
    """(images float32 [N, size, size, 1] in [-1, 1], labels [N]) of an MNIST split, in order."""
    from tfgan_zoo.data.mnist import load_mnist, to_model_range
    images, labels, _ = load_mnist(split, source)
    return np.asarray(to_model_range(images, image_size)), labels


def held_out_stats(source="bundled", image_size=SIZE, metrics=("fid", "kid"), num=None):
    """The judge's statistics of the held-out split (its first `num` digits; None: all)."""
    images, _ = mnist_images("test", source, image_size)
    images = images[:num] if num else images
    return compute_real_stats(array_source(images, f"mnist held-out ({source})"), metrics,
                              len(images), EXTRACTOR)


def score(fake_source, real_stats, num, metrics=("fid", "kid"), options=None):
    """evaluate() of num images of fake_source against real_stats with the MNIST judge's
    features (KID subsets of min(1000, num))."""
    options = options or MetricOptions(kid_subset_size=min(1000, num))
    return evaluate(fake_source, real_stats, metrics, num_samples=num, extractor=EXTRACTOR,
                    options=options)


def real_vs_real(real_stats, num=1000, rows=None, seed=BASELINE_SEED, source="bundled",
                 image_size=SIZE, images=None):
    """FID / KID against real_stats of real training digits: `rows` of the training split (or of
    `images`), else num of them drawn without replacement with `seed`."""
    if images is None:
        images, _ = mnist_images("train", source, image_size)
    if rows is None:
        if num > len(images):
            raise UserError(f"real_vs_real: {num} digits asked, the training split has {len(images)}")
        rows = np.random.default_rng(seed).choice(len(images), num, replace=False)
    out = score(array_source(images[rows], "mnist training digits"), real_stats, len(rows))
    return {"fid": out["fid"]["value"], "kid": out["kid"]["mean"], "num": int(len(rows))}
