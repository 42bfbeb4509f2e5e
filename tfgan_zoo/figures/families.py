"""The measured figures of the conditional and control families, as model-card metric records.

Each function takes a run's (cfg, info, model) and returns {metric: record} (records carry
"value", the extractor and the sample counts, as evaluate()'s do); scripts/zoo_entries and
benchmarks/conditional_families.py share them.

class_conditional_figures  cGAN, ACGAN, TripleGAN's G: conditional accuracy + per-class KID
                           (digits judge; an `mnist` run: MNIST judge vs the held-out split)
infogan_figures            Hungarian-matched accuracy of Q's category on the real digits vs
                           k-means on pixels; the information bound vs H(c) = ln K
triplegan_figures          C's held-out accuracy vs the same C trained on the labels alone
bigan_figures              class preservation of G(E(x)), linear probe on E(x) vs E at init,
                           reconstruction ratio
"""
import math

import numpy as np

from tfgan_zoo.metrics.conditional import (conditional_accuracy, conditional_records, kmeans_pixel_baseline,
                                           linear_probe_accuracy, matched_accuracy)

PROBE_HOLDOUT, PROBE_SEED = 0.25, 0


def _digits(cfg):
    from tfgan_zoo.data.digits import load_digit_images
    return load_digit_images(cfg.data.image_size)


def _batched(fn, x, batch=500):
    return np.concatenate([np.asarray(fn(x[i:i + batch])) for i in range(0, len(x), batch)])


def _judged_real(cfg):
    """(real images, labels, judge) a class-conditional run's figures compare with: MNIST's
    held-out split and the MNIST judge for an `mnist` run, else the bundled digits and theirs."""
    if cfg.data.name == "mnist":
        from tfgan_zoo.metrics.mnist_reference import mnist_images
        images, labels = mnist_images("test", cfg.data.options.get("source", "auto"), cfg.data.image_size)
        return images, labels, "mnist"
    return (*_digits(cfg), "digits")


def class_conditional_figures(cfg, info, model, num_samples=1000, seed=0):
    images, labels, judge = _judged_real(cfg)
    return conditional_records(model, images, labels, num_samples=num_samples, seed=seed, extractor=judge)


def infogan_figures(cfg, info, model, num_samples=1000, seed=0):
    import tensorflow as tf

    from tfgan_zoo.losses.conditional import infogan_terms
    images, labels, _ = _judged_real(cfg)
    logits = _batched(lambda x: model.discriminator(x, training=False)["category_logits"], images)
    accuracy, mapping = matched_accuracy(logits.argmax(axis=1), labels)
    baseline = kmeans_pixel_baseline(images, labels, num_clusters=model.params.num_categories, seed=seed)
    inputs = model.sample_inputs(num_samples, seed)
    fake = model.sample(num_samples, seed)
    q = model.discriminator(tf.constant(fake), training=False)
    p = model.params
    terms = infogan_terms(inputs["category"], q["category_logits"], inputs.get("continuous"),
                          q.get("continuous_mean") if p.num_continuous else None, q.get("continuous_log_std"),
                          p.continuous_prior)
    common = {"extractor": "Q (infer)", "num_real": int(len(labels))}
    return {"matched_accuracy": {"value": accuracy, "kmeans_baseline": baseline, "mapping": mapping, **common,
                                 "note": "argmax Q(c|x) on every real digit, categories matched to classes "
                                         "(Hungarian); baseline: k-means on raw pixels, same matching"},
            "mi_categorical": {"value": float(terms["mi_categorical"]), "ceiling": math.log(p.num_categories),
                               "extractor": "Q", "num_fake": num_samples, "unit": "nats"}}


def _heldout(cfg):
    """The held-out digits split of a TripleGAN run's data options (images, labels)."""
    from tfgan_zoo.data import build_dataset
    options = {k: v for k, v in cfg.data.options.items() if k != "labelled_subset"}
    ds, _ = build_dataset(cfg.data.name, image_size=cfg.data.image_size, split="test", **options)
    batch = next(iter(ds.batch(100_000)))
    return batch["real"].numpy(), batch["label"].numpy()


def supervised_baseline(cfg, info, seed=None):
    """C's architecture trained on the labelled stream alone: same builder and settings, same
    optimizer settings, batch size and number of steps as the run -> the trained classifier."""
    import keras

    from tfgan_zoo.config import optimizer_settings
    from tfgan_zoo.data import build_dataset, make_training_stream
    from tfgan_zoo.models.params import build_network
    from tfgan_zoo.registry import FAMILIES

    seed = cfg.train.seed if seed is None else seed
    keras.utils.set_random_seed(seed)
    streams, _ = build_dataset(cfg.data.name, image_size=cfg.data.image_size, **cfg.data.options)
    family = FAMILIES.get(cfg.family)
    classifier = build_network(cfg.networks["classifier"], family.network_args(cfg.model, info)["classifier"],
                               "classifier")
    s = optimizer_settings(cfg, "c")
    classifier.compile(optimizer=keras.optimizers.Adam(s["learning_rate"], beta_1=s["beta_1"], beta_2=s["beta_2"]),
                       loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    data = make_training_stream(streams["labelled"], cfg.data.batch_size, seed=seed).map(
        lambda e: (e["real"], e["label"]))
    classifier.fit(data, epochs=1, steps_per_epoch=cfg.train.epochs * cfg.train.steps_per_epoch, verbose=0,
                   shuffle=False)
    return classifier


def _accuracy(classifier, images, labels):
    logits = _batched(lambda x: classifier(x, training=False), images)
    return float((logits.argmax(axis=1) == labels).mean())


def triplegan_figures(cfg, info, model, num_samples=1000, seed=0, baseline=True):
    images, labels = _heldout(cfg)
    labelled = info.extra.get("stream_examples", {}).get("labelled")
    record = {"value": _accuracy(model.classifier, images, labels), "extractor": "C (classify)",
              "num_real": int(len(labels)), "labelled_examples": labelled,
              "note": "held-out quarter of each class; baseline: the same C trained on the labelled set alone"}
    if baseline:
        record["supervised_baseline"] = _accuracy(supervised_baseline(cfg, info), images, labels)
    return {"classifier_accuracy": record, **class_conditional_figures(cfg, info, model, num_samples, seed)}


def bigan_figures(cfg, info, model, seed=0):
    from tfgan_zoo.data.subsets import holdout_indices
    from tfgan_zoo.train import build_model
    images, labels = _digits(cfg)
    train, test = holdout_indices(labels, PROBE_HOLDOUT, PROBE_SEED)

    def probe(m):
        z = _batched(lambda x: m.encode(x, False, sample=False), images)
        return linear_probe_accuracy(z[train], labels[train], z[test], labels[test])

    initial = build_model(cfg, info)  # seeded as the run was: the encoder before training
    z = _batched(lambda x: model.encode(x, False, sample=False), images)
    model.prepare_for_sampling()
    recon = _batched(lambda v: model.export_generator()(v, training=False), z)
    preserved = conditional_accuracy(recon, labels)["accuracy"]
    other = np.random.default_rng(seed).permutation(len(images))
    flat, rflat = images.reshape(len(images), -1), recon.reshape(len(images), -1)
    ratio = float(np.linalg.norm(flat - rflat, axis=1).mean() / np.linalg.norm(flat[other] - rflat, axis=1).mean())
    return {"class_preservation": {"value": preserved, "extractor": "digits", "num_real": int(len(labels)),
                                   "note": "the digits classifier's label of G(E(x)) equals x's label"},
            "linear_probe": {"value": probe(model), "encoder_at_init": probe(initial), "extractor": "E (encode)",
                             "num_real": int(len(test)),
                             "note": "logistic regression on E(x), 3/4 of each class to fit, 1/4 to score"},
            "reconstruction_ratio": {"value": ratio, "extractor": "pixels", "num_real": int(len(labels)),
                                     "note": "mean |x - G(E(x))| / mean |x' - G(E(x))| for a random other x'"}}
