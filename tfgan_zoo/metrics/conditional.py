"""Metrics of the conditional and control families.

conditional_accuracy   a classifier's agreement with the labels a generator was asked for
per_class_kid          KID of each class's samples against that class's real images, with the
                       real-vs-real split baseline beside it (ACGAN's diversity guard)
evaluate_conditional   both, for a callable generate(labels) -> images (cGAN, ACGAN,
                       TripleGAN's G, BigGAN, StackGAN); model_generate_fn makes one of a model
matched_accuracy       accuracy of cluster ids after the best one-to-one matching to classes
                       (Hungarian; InfoGAN's categories)
kmeans_pixel_baseline  matched accuracy of k-means on raw pixels, the baseline InfoGAN must beat
linear_probe_accuracy  held-out accuracy of a logistic regression on features (BiGAN's E(x))

Images are float32 NHWC in [-1, 1]; the classifier is a feature extractor with logits
("digits" by default: the bundled digits classifier).
"""
import numpy as np

from tfgan_zoo.errors import UserError
from tfgan_zoo.metrics.features import get_extractor
from tfgan_zoo.metrics.kid import kernel_inception_distance


def _labels(labels, count=None, what="labels"):
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise UserError(f"{what} must be a 1-D integer array, got {labels.dtype} {labels.shape}")
    if count is not None and len(labels) != count:
        raise UserError(f"{what}: {len(labels)} labels for {count} examples")
    return labels.astype(np.int64)


def balanced_labels(num, num_classes):
    """int32 [num]: 0, 1, ..., K-1, 0, 1, ... (exactly balanced when K divides num)."""
    return (np.arange(int(num)) % int(num_classes)).astype(np.int32)


def conditional_accuracy(images, labels, extractor="digits", logits=None):
    """Fraction of images the extractor's classifier assigns to the requested label.

    -> {"accuracy", "per_class_accuracy" (K floats, nan for absent classes), "num_samples",
    "extractor"}. `logits` [N, K] may be given instead of computing them from `images`.
    """
    if logits is None:
        extractor = get_extractor(extractor)
        if extractor.num_classes is None:
            raise UserError(f"extractor {extractor.name} has no classifier logits")
        logits = extractor(images)["logits"]
        name = extractor.name
    else:
        name = None
    logits = np.asarray(logits)
    labels = _labels(labels, len(logits))
    num_classes = logits.shape[1]
    if len(labels) and (labels.min() < 0 or labels.max() >= num_classes):
        raise UserError(f"labels must be in [0, {num_classes}), got [{labels.min()}, {labels.max()}]")
    hit = logits.argmax(axis=1) == labels
    per_class = [float(hit[labels == c].mean()) if np.any(labels == c) else float("nan") for c in range(num_classes)]
    return {"accuracy": float(hit.mean()) if len(hit) else float("nan"), "per_class_accuracy": per_class,
            "num_samples": int(len(labels)), "extractor": name}


def per_class_kid(fake_features, fake_labels, real_features, real_labels, num_subsets=10, seed=0):
    """KID between each class's fake and real features, and the real-vs-real split baseline.

    The baseline of a class is the KID between two random halves of its real features: what
    a generator matching the class exactly would score with that many samples. Each KID uses
    the smaller set whole and averages num_subsets draws from the larger one.
    -> {"per_class": [K], "mean", "baseline_per_class": [K], "baseline_mean"} (classes absent
    from either set are left out of the means, as nan).
    """
    fake_features, real_features = np.asarray(fake_features), np.asarray(real_features)
    fake_labels = _labels(fake_labels, len(fake_features), "fake_labels")
    real_labels = _labels(real_labels, len(real_features), "real_labels")
    rng = np.random.default_rng(seed)
    classes = range(int(max(fake_labels.max(initial=-1), real_labels.max(initial=-1))) + 1)
    kid, base = [], []
    for c in classes:
        fake, real = fake_features[fake_labels == c], real_features[real_labels == c]
        if len(fake) < 2 or len(real) < 4:
            kid.append(float("nan"))
            base.append(float("nan"))
            continue
        kid.append(kernel_inception_distance(real, fake, num_subsets, len(real), seed + c)["mean"])
        order = rng.permutation(len(real))
        half_a, half_b = real[order[: len(real) // 2]], real[order[len(real) // 2:]]
        base.append(kernel_inception_distance(half_a, half_b, num_subsets, len(half_a), seed + c)["mean"])
    return {"per_class": kid, "mean": float(np.nanmean(kid)) if np.any(np.isfinite(kid)) else float("nan"),
            "baseline_per_class": base,
            "baseline_mean": float(np.nanmean(base)) if np.any(np.isfinite(base)) else float("nan")}


def evaluate_conditional(generate, real_images, real_labels, num_samples=1000, extractor="digits", seed=0):
    """Conditional accuracy and per-class KID of a class-conditional generator.

    generate: callable int32 labels [N] -> float32 images [N, H, W, C] in [-1, 1] (it draws
        its own latents); called once with `num_samples` balanced labels.
    real_images, real_labels: the real set the per-class KID compares against.
    -> conditional_accuracy's dict plus "kid_per_class", "kid_mean", "kid_baseline_per_class"
    and "kid_baseline_mean" (per_class_kid on the extractor's pool features).
    """
    extractor = get_extractor(extractor)
    num_classes = extractor.num_classes
    labels = balanced_labels(num_samples, num_classes)
    images = np.asarray(generate(labels), np.float32)
    if images.ndim != 4 or len(images) != len(labels):
        raise UserError(f"generate must return [{len(labels)}, H, W, C] images, got shape {images.shape}")
    fake = extractor(images)
    real = extractor(real_images)
    result = conditional_accuracy(images, labels, logits=fake["logits"])
    result["extractor"] = extractor.name
    kid = per_class_kid(fake["pool"], labels, real["pool"], real_labels, seed=seed)
    result.update({"kid_per_class": kid["per_class"], "kid_mean": kid["mean"],
                   "kid_baseline_per_class": kid["baseline_per_class"], "kid_baseline_mean": kid["baseline_mean"]})
    return result


def model_generate_fn(model, seed=0, batch_size=500, labels_key="labels"):
    """generate(labels) -> images for evaluate_conditional from a trained class-conditional model:
    its own seeded inputs (`sample_inputs`, the export's `sample`) with the labels replaced."""
    import tensorflow as tf

    def generate(labels):
        model.prepare_for_sampling()
        out = []
        for start in range(0, len(labels), batch_size):
            chunk = np.asarray(labels[start:start + batch_size], np.int32)
            inputs = dict(model.sample_inputs(len(chunk), seed + start))
            inputs[labels_key] = tf.constant(chunk)
            out.append(np.asarray(model.generate_images(inputs)))
        return np.concatenate(out) if out else np.zeros((0,), np.float32)

    return generate


def conditional_records(model, real_images, real_labels, num_samples=1000, seed=0, labels_key="labels",
                        extractor="digits"):
    """evaluate_conditional of a model as metric records for a model card:
    {"conditional_accuracy": {"value", "per_class", ...}, "per_class_kid": {"value", "baseline", ...}}."""
    r = evaluate_conditional(model_generate_fn(model, seed, labels_key=labels_key), real_images, real_labels,
                             num_samples=num_samples, extractor=extractor, seed=seed)
    common = {"extractor": r["extractor"], "num_fake": r["num_samples"]}
    return {"conditional_accuracy": {"value": r["accuracy"], "per_class": r["per_class_accuracy"],
                                     "chance": 1.0 / len(r["per_class_accuracy"]), **common},
            "per_class_kid": {"value": r["kid_mean"], "per_class": r["kid_per_class"],
                              "baseline": r["kid_baseline_mean"], "num_real": int(len(real_labels)), **common,
                              "note": "baseline: KID between two halves of each class's real images"}}


def matched_accuracy(predicted, labels):
    """Accuracy of cluster ids `predicted` after the one-to-one cluster -> class matching that
    maximises it (Hungarian algorithm on the contingency table) -> (accuracy, {cluster: class})."""
    from scipy.optimize import linear_sum_assignment

    predicted = _labels(predicted, what="predicted")
    labels = _labels(labels, len(predicted))
    if not len(labels):
        raise UserError("matched_accuracy needs at least one example")
    table = np.zeros((predicted.max() + 1, labels.max() + 1), np.int64)
    np.add.at(table, (predicted, labels), 1)
    rows, cols = linear_sum_assignment(table, maximize=True)
    return float(table[rows, cols].sum() / len(labels)), {int(r): int(c) for r, c in zip(rows, cols)}


def kmeans_pixel_baseline(images, labels, num_clusters=10, seed=0, n_init=10):
    """Matched accuracy of k-means (scikit-learn, k-means++ with n_init restarts) on raw pixels."""
    from sklearn.cluster import KMeans

    images = np.asarray(images, np.float64)
    flat = images.reshape(len(images), -1)
    clusters = KMeans(n_clusters=num_clusters, n_init=n_init, random_state=seed).fit_predict(flat)
    return matched_accuracy(clusters, labels)[0]


def linear_probe_accuracy(train_features, train_labels, test_features, test_labels, c=1.0, max_iter=2000):
    """Held-out accuracy of a multinomial logistic regression on standardised features.

    scikit-learn's StandardScaler + LogisticRegression(C=c, lbfgs); deterministic.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    train = np.asarray(train_features, np.float64).reshape(len(train_features), -1)
    test = np.asarray(test_features, np.float64).reshape(len(test_features), -1)
    train_labels = _labels(train_labels, len(train), "train_labels")
    test_labels = _labels(test_labels, len(test), "test_labels")
    probe = make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=max_iter))
    probe.fit(train, train_labels)
    return float((probe.predict(test) == test_labels).mean())
