"""How the judges are trained (scripts/train_digits_classifier.py, scripts/train_mnist_classifier.py).

Every epoch draws a fresh training set from the clean images:
- a share of them is corrupted (Gaussian noise, Gaussian blur or a shift) with a random
  severity, and its one-hot target is softened toward uniform in proportion to that severity
  (Soft Augmentation, Liu et al. 2023: the target confidence follows the corruption), so the
  judge's confidence falls as digits get noisier, blurrier or further off-centre;
- then half of the images are mixed with a random partner, pixels and targets alike, by a
  weight drawn uniformly from MIX_RANGE (mixup, Zhang et al. 2018), so a blend of two digits is
  trained toward its mixture rather than toward one class, softened as a corruption of both
  digits (severity 1 - |2w - 1|, at most BLEND_SOFTENING): with the mixture alone the judge, once
  its temperature is fitted on clean digits, still read 50/50 blends at ~0.69. The range leaves out the near-clean
  weights (0.9 / 0.1) that plain mixup also draws: their soft targets sit next to clean digits
  and make the judge hedge on those (it then needs a temperature below 1, which sharpens blends
  again).
Members of the ensemble differ by seed; the temperature is fitted afterwards on a calibration
split (tfgan_zoo.metrics.judge.fit_temperature). Written here, not taken from a library, because
no maintained Keras 3 package ships soft-augmentation targets; mixup itself is four lines.
"""
import numpy as np

from tfgan_zoo.metrics import judge

MAX_SOFTENING = 0.9          # at full severity the target keeps 1 - 0.9 * 0.9 of its class
SOFTENING_POWER = 2          # softening = MAX_SOFTENING * severity ** 2 (Soft Augmentation's k)
NOISE_MAX = 0.8              # noise sigma drawn from U(0, NOISE_MAX), severity sigma / NOISE_MAX
BLUR_FREE, BLUR_MAX = 0.5, 2.0   # blur sigma (pixels at 16 px) in U(0, BLUR_MAX), free up to BLUR_FREE
SHIFT_FREE, SHIFT_MAX = 1, 4     # shift (pixels at 16 px) up to SHIFT_MAX, free up to SHIFT_FREE
CORRUPT_SHARES = {"clean": 0.4, "noise": 0.2, "blur": 0.2, "shift": 0.2}
MIX_FRACTION = 0.5
MIX_RANGE = (0.25, 0.75)
BLEND_SOFTENING = 0.5        # a blend is a corruption of both digits: severity 1 - |2w - 1|


def soften(targets, severity, max_softening=MAX_SOFTENING):
    """targets [N, K] pulled toward uniform by MAX_SOFTENING * severity ** SOFTENING_POWER
    (severity [N] in [0, 1]). The power keeps mild corruptions' targets near one-hot: with a
    linear ramp the judge hedged on clean digits too and needed a temperature below 1."""
    eps = max_softening * np.clip(severity, 0.0, 1.0)[:, None] ** SOFTENING_POWER
    return (1.0 - eps) * targets + eps / targets.shape[1]


def corrupt(images, targets, rng, scale=1.0):
    """A random corruption per image (CORRUPT_SHARES) -> (images, softened targets).
    scale: the judge's input size / 16 (blur and shift are given in pixels at 16 px)."""
    images = images.copy()
    n = len(images)
    kinds = rng.choice(list(CORRUPT_SHARES), size=n, p=list(CORRUPT_SHARES.values()))
    severity = np.zeros(n)
    sel = np.flatnonzero(kinds == "noise")
    sigma = rng.uniform(0, NOISE_MAX, len(sel))
    noise = rng.normal(0, 1, images[sel].shape).astype(np.float32)
    images[sel] = np.clip(images[sel] + sigma[:, None, None, None] * noise, -1, 1)
    severity[sel] = sigma / NOISE_MAX
    sel = np.flatnonzero(kinds == "blur")
    sigma = np.round(rng.uniform(0, BLUR_MAX, len(sel)) * 4) / 4  # quantised: one filter call a level
    for level in np.unique(sigma):
        rows = sel[sigma == level]
        images[rows] = judge.blur(images[rows], level * scale)
    severity[sel] = (sigma - BLUR_FREE) / (BLUR_MAX - BLUR_FREE)
    sel = np.flatnonzero(kinds == "shift")
    dist = rng.integers(0, SHIFT_MAX + 1, len(sel))
    for row, d in zip(sel, dist):
        step = int(round(d * scale))
        dy, dx = (step, int(rng.integers(-step, step + 1))) if rng.random() < 0.5 else (
            int(rng.integers(-step, step + 1)), step)
        dy, dx = dy * rng.choice([-1, 1]), dx * rng.choice([-1, 1])
        images[row:row + 1] = judge.shift(images[row:row + 1], dy, dx)
    severity[sel] = (dist - SHIFT_FREE) / (SHIFT_MAX - SHIFT_FREE)
    return images, soften(targets, severity)


def mixup(images, targets, rng, fraction=MIX_FRACTION):
    """Mix `fraction` of the rows with a random partner by w ~ U(MIX_RANGE), pixels and targets."""
    n = len(images)
    rows = np.flatnonzero(rng.random(n) < fraction)
    partner = rng.integers(0, n, len(rows))
    w = rng.uniform(*MIX_RANGE, len(rows)).astype(np.float32)
    images, targets = images.copy(), targets.copy()
    images[rows] = w[:, None, None, None] * images[rows] + (1 - w[:, None, None, None]) * images[partner]
    mixed = w[:, None] * targets[rows] + (1 - w[:, None]) * targets[partner]
    targets[rows] = soften(mixed, 1.0 - np.abs(2.0 * w - 1.0), BLEND_SOFTENING)
    return images, targets


def epoch_set(images, labels, num_classes, rng, scale=1.0):
    """One epoch's training images and soft targets drawn from clean images and labels."""
    targets = np.eye(num_classes, dtype=np.float32)[labels]
    order = rng.permutation(len(images))
    x, t = corrupt(images[order], targets[order], rng, scale)
    return mixup(x, t, rng)


def train_member(member, images, labels, num_classes, epochs, seed, scale=1.0, batch_size=128,
                 learning_rate=2e-3, log=None):
    """Fit one member (images -> [features, logits]) on `epochs` freshly drawn epoch sets."""
    import keras

    log = log or (lambda msg: print(msg, flush=True))
    rng = np.random.default_rng(seed)
    steps = epochs * -(-len(images) // batch_size)
    schedule = keras.optimizers.schedules.CosineDecay(learning_rate, steps, alpha=0.05)
    head = keras.Model(member.inputs, member.outputs[1])
    head.compile(optimizer=keras.optimizers.Adam(schedule),
                 loss=keras.losses.CategoricalCrossentropy(from_logits=True))
    for epoch in range(epochs):
        x, t = epoch_set(images, labels, num_classes, rng, scale)
        hist = head.fit(x, t, batch_size=batch_size, epochs=1, verbose=0, shuffle=True)
        if epoch % 5 == 4 or epoch == epochs - 1:
            log(f"  member seed {seed} epoch {epoch + 1}/{epochs}: soft-target loss "
                f"{hist.history['loss'][-1]:.4f}")
    return member


def evaluate_properties(model, images, labels, scale=1.0, seed=0):
    """The judge's figures on held-out real images: calibration, blends, noise / blur / shift
    ladders (mean confidence at each level) -> dict."""
    def conf(x):
        return float(judge.softmax(model.predict(x, verbose=0, batch_size=512)[1]).max(1).mean())

    logits = model.predict(images, verbose=0, batch_size=512)[1]
    out = judge.calibration_report(logits, labels)
    b, _, _ = judge.blends(images, labels, 1000, seed=seed)
    out["blend_confidence"] = conf(b)
    out["noise"] = {s: conf(judge.add_noise(images, s, seed)) for s in (0.1, 0.2, 0.3, 0.5, 0.7)}
    out["blur"] = {s: conf(judge.blur(images, s * scale)) for s in (0.5, 1.0, 1.5, 2.0)}
    out["shift"] = {d: conf(judge.shift(images, int(d * scale), int(d * scale) // 2))
                    for d in (1, 2, 3, 4)}
    return out


def format_properties(p):
    ladder = lambda d: ", ".join(f"{k}: {v:.3f}" for k, v in d.items())  # noqa: E731
    return (f"mean confidence {p['mean_confidence']:.4f}, accuracy {p['accuracy']:.4f}, "
            f"ECE {p['ece']:.4f}, NLL {p['nll']:.4f} ({p['num']} images)\n"
            f"50/50 blends of different classes: mean confidence {p['blend_confidence']:.3f}\n"
            f"noise sigma -> confidence: {ladder(p['noise'])}\n"
            f"blur sigma (px at 16 px) -> confidence: {ladder(p['blur'])}\n"
            f"shift (px at 16 px) -> confidence: {ladder(p['shift'])}")


def missed_bars(props, bars):
    """["name value (bar b)", ...] of the figures on the wrong side of their bars (ece and
    blend_confidence are upper bounds, the rest lower bounds)."""
    upper = ("ece", "blend_confidence")
    return [f"{k} {props[k]:.4f} (bar {b})" for k, b in bars.items()
            if (props[k] > b if k in upper else props[k] < b)]


CALIBRATE_ON = ("clean+blends", "clean")


def calibration_set(images, labels, num_classes, how="clean+blends", seed=0):
    """What the temperature is fitted on -> (images, soft targets [N, K]).

    "clean": the calibration split's digits, one-hot. "clean+blends" (the default): those plus as
    many blends of two of them of different classes, by w ~ U(MIX_RANGE), each labelled with its
    mixture w / 1 - w (what a blend of two digits is). The NLL of clean digits alone that a
    judge gets ~100 % of wants a sharpening temperature, which makes the blends it is meant to
    doubt sure again (digits judge: T 0.55, 50/50 blends 0.63); calibrating on both asks T to
    be right about either."""
    eye = np.eye(num_classes, dtype=np.float32)
    if how == "clean":
        return images, eye[labels]
    if how != "clean+blends":
        raise ValueError(f"calibrate on {how!r}: one of {CALIBRATE_ON}")
    rng = np.random.default_rng(seed)
    i, j = judge.different_class_pairs(labels, len(labels), seed=seed + 1)
    w = rng.uniform(*MIX_RANGE, len(i)).astype(np.float32)
    blend = w[:, None, None, None] * images[i] + (1 - w[:, None, None, None]) * images[j]
    target = w[:, None] * eye[labels[i]] + (1 - w[:, None]) * eye[labels[j]]
    return np.concatenate([images, blend]), np.concatenate([eye[labels], target])
