"""Calibrated, sceptical classifier judges: the maths they are held to and the model they are.

A judge (the bundled "digits" and "mnist" classifiers) is a small ensemble of CNNs whose logits
are averaged and divided by one temperature fitted on a calibration split (temperature scaling,
Guo et al. 2017); each member is trained on ambiguity (mixup-style soft targets; corrupted
digits with targets softened in proportion to the corruption, as in Soft Augmentation, Liu et
al. 2023) so that blends, noise, blur and shifts are read as the uncertain images they are.

Here: softmax, expected calibration error, the temperature fit (scipy.optimize), the corruptions
the judges are tested with (noise, Gaussian blur, shift, 50/50 blends of different classes) and
`build_ensemble` (members -> [concatenated features, calibrated logits]).
Images are float32 NHWC in [-1, 1] (background -1).
"""
import numpy as np

ECE_BINS = 15
_TEMPERATURE_LAYER = []


def softmax(logits):
    logits = np.asarray(logits, np.float64)
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def expected_calibration_error(probs, labels, num_bins=ECE_BINS):
    """ECE: sum over equal-width confidence bins of |accuracy - confidence| x bin fraction."""
    probs = np.asarray(probs, np.float64)
    labels = np.asarray(labels)
    conf = probs.max(axis=1)
    hit = probs.argmax(axis=1) == labels
    edges = np.linspace(0.0, 1.0, num_bins + 1)
    bins = np.clip(np.digitize(conf, edges[1:-1], right=True), 0, num_bins - 1)
    ece = 0.0
    for b in range(num_bins):
        sel = bins == b
        if sel.any():
            ece += sel.mean() * abs(hit[sel].mean() - conf[sel].mean())
    return float(ece)


def calibration_report(logits, labels):
    """{"mean_confidence", "accuracy", "ece", "nll", "num"} of logits against labels."""
    p = softmax(logits)
    labels = np.asarray(labels)
    nll = -np.log(np.clip(p[np.arange(len(labels)), labels], 1e-12, None)).mean()
    return {"mean_confidence": float(p.max(1).mean()), "accuracy": float(np.mean(p.argmax(1) == labels)),
            "ece": expected_calibration_error(p, labels), "nll": float(nll), "num": int(len(labels))}


def fit_temperature(logits, labels, bounds=(0.05, 20.0)):
    """The T > 0 minimising the cross-entropy of softmax(logits / T) on a calibration split
    (scipy's bounded scalar minimiser on log T; the loss is convex in 1/T, one minimum).
    labels: int classes [N] (the NLL) or soft targets [N, K] (e.g. blends labelled with their
    mixture)."""
    from scipy.optimize import minimize_scalar

    logits = np.asarray(logits, np.float64)
    labels = np.asarray(labels)
    targets = labels if labels.ndim == 2 else np.eye(logits.shape[1])[labels]

    def loss(log_t):
        z = logits / np.exp(log_t)
        z = z - z.max(1, keepdims=True)
        return float(np.mean(np.log(np.exp(z).sum(1)) - (targets * z).sum(1)))

    res = minimize_scalar(loss, bounds=np.log(bounds), method="bounded", options={"xatol": 1e-4})
    return float(np.exp(res.x))


# --- corruptions (tests, training, the reports) ---------------------------------------------

def add_noise(images, sigma, seed=0):
    """images + N(0, sigma^2) per pixel, clipped to [-1, 1]."""
    images = np.asarray(images, np.float32)
    noise = np.random.default_rng(seed).normal(0.0, 1.0, images.shape).astype(np.float32)
    return np.clip(images + sigma * noise, -1.0, 1.0)


def blur(images, sigma):
    """Gaussian blur of every image by `sigma` pixels (scipy.ndimage; background-valued edges)."""
    from scipy.ndimage import gaussian_filter

    images = np.asarray(images, np.float32)
    if sigma <= 0:
        return images.copy()
    out = gaussian_filter(images + 1.0, sigma=(0, sigma, sigma, 0), mode="constant", cval=0.0)
    return np.clip(out - 1.0, -1.0, 1.0).astype(np.float32)


def shift(images, dy, dx):
    """Translate every image by (dy, dx) whole pixels, filling with background (-1)."""
    images = np.asarray(images, np.float32)
    n, h, w, c = images.shape
    out = np.full_like(images, -1.0)
    ys, yd = (slice(0, h - dy), slice(dy, h)) if dy >= 0 else (slice(-dy, h), slice(0, h + dy))
    xs, xd = (slice(0, w - dx), slice(dx, w)) if dx >= 0 else (slice(-dx, w), slice(0, w + dx))
    out[:, yd, xd] = images[:, ys, xs]
    return out


def different_class_pairs(labels, num, seed=0):
    """(i, j) index arrays of `num` random pairs whose labels differ."""
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    i = rng.integers(0, len(labels), num * 3)
    j = rng.integers(0, len(labels), num * 3)
    keep = labels[i] != labels[j]
    return i[keep][:num], j[keep][:num]


def blends(images, labels, num, weight=0.5, seed=0):
    """`num` pixel blends weight * a + (1 - weight) * b of real digits a, b of different
    classes -> (blends, labels of a, labels of b)."""
    images = np.asarray(images, np.float32)
    i, j = different_class_pairs(labels, num, seed)
    return weight * images[i] + (1.0 - weight) * images[j], np.asarray(labels)[i], np.asarray(labels)[j]


# --- the model ------------------------------------------------------------------------------

def temperature_layer():
    """The Keras layer logits -> logits / T with T a non-trainable weight (saved with the
    weights file, so the calibration travels with the asset)."""
    if not _TEMPERATURE_LAYER:
        import keras

        class Temperature(keras.layers.Layer):
            def build(self, input_shape):
                self.temperature = self.add_weight(name="temperature", shape=(), initializer="ones",
                                                   trainable=False)

            def call(self, logits):
                return logits / keras.ops.cast(self.temperature, logits.dtype)

        _TEMPERATURE_LAYER.append(Temperature)
    return _TEMPERATURE_LAYER[0]


def build_ensemble(build_member, num_members, input_shape, name):
    """Functional model images -> [features (members' penultimate layers, concatenated),
    logits (the members' mean logits / T)]. `build_member(index)` -> keras.Model images ->
    [features, logits]. The members are `model.get_layer(f"member{i}")`, T the layer
    "temperature"."""
    import keras
    from keras import layers

    inputs = keras.Input(input_shape, name="images")
    feats, logits = [], []
    for i in range(num_members):
        member = build_member(i)
        f, z = member(inputs)
        feats.append(f)
        logits.append(z)
    features = layers.Concatenate(name="features")(feats) if num_members > 1 else feats[0]
    mean = layers.Average(name="mean_logits")(logits) if num_members > 1 else logits[0]
    calibrated = temperature_layer()(name="temperature")(mean)
    return keras.Model(inputs, [features, calibrated], name=name)


def set_temperature(model, value):
    model.get_layer("temperature").temperature.assign(float(value))


def get_temperature(model):
    return float(model.get_layer("temperature").temperature.numpy())
