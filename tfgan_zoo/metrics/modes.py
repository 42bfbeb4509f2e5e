"""Mode-collapse metrics: 2-D Gaussian mixtures and stacked digits (VEEGAN / PacGAN protocol).

2-D mixtures: a sample is high quality when it lies within `num_sigmas` (3) standard
deviations of its nearest mode centre; a mode is covered when it has at least
`min_samples` (1) high-quality samples; the reverse KL is KL(q || uniform) with q the
histogram of high-quality samples over the modes (0 log 0 = 0).

Stacked digits: each of the 3 channels is classified by the digits classifier, giving a
mode id 100 * d(channel 0) + 10 * d(channel 1) + d(channel 2) out of 1,000; the metric
reports modes covered and KL(mode histogram || uniform over 1,000). `stacked_mnist_modes` is the
Stacked MNIST protocol with any digit classifier (probabilities): modes with >= 1 and >= 10
samples and the reverse KL on 26,000 samples.
"""
import numpy as np
import scipy.special


def ring_centres(num_modes=8, radius=2.0):
    angles = 2.0 * np.pi * np.arange(num_modes) / num_modes
    return np.stack([radius * np.cos(angles), radius * np.sin(angles)], axis=1)


def grid_centres(side=5, spacing=2.0):
    coords = (np.arange(side) - (side - 1) / 2.0) * spacing
    xx, yy = np.meshgrid(coords, coords, indexing="ij")
    return np.stack([xx.ravel(), yy.ravel()], axis=1)


def kl_to_uniform(counts):
    """KL(q || uniform) for a histogram of counts over all modes (empty bins included)."""
    counts = np.asarray(counts, np.float64)
    total = counts.sum()
    if total <= 0:
        return float("inf")
    q = counts / total
    return float(scipy.special.rel_entr(q, np.full_like(q, 1.0 / len(q))).sum())


def mixture_mode_stats(samples, centres, std, num_sigmas=3.0, min_samples=1):
    """-> {"modes_covered", "num_modes", "high_quality_fraction", "reverse_kl", "mode_counts"}."""
    samples = np.asarray(samples, np.float64)
    centres = np.asarray(centres, np.float64)
    d2 = ((samples[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    nearest = d2.argmin(axis=1)
    dist = np.sqrt(d2[np.arange(len(samples)), nearest])
    high_quality = dist <= num_sigmas * float(std)
    counts = np.bincount(nearest[high_quality], minlength=len(centres))
    return {"modes_covered": int((counts >= min_samples).sum()), "num_modes": int(len(centres)),
            "high_quality_fraction": float(high_quality.mean()),
            "reverse_kl": kl_to_uniform(counts), "mode_counts": counts.tolist()}


def stacked_mode_ids(images, digits_extractor):
    """Mode id in [0, 1000) for each 3-channel image, digit per channel from the classifier."""
    images = np.asarray(images, np.float32)
    if images.ndim != 4 or images.shape[-1] != 3:
        raise ValueError(f"stacked digits need [N, H, W, 3] images, got {images.shape}")
    digits = []
    for c in range(3):
        logits = digits_extractor(images[..., c:c + 1])["logits"]
        digits.append(np.argmax(logits, axis=1))
    return 100 * digits[0] + 10 * digits[1] + digits[2]


def stacked_mode_stats(mode_ids, num_modes=1000):
    """-> {"modes_covered", "num_modes", "kl", "num_samples"} from integer mode ids."""
    counts = np.bincount(np.asarray(mode_ids, np.int64), minlength=num_modes)
    if len(counts) > num_modes:
        raise ValueError(f"mode id {len(counts) - 1} outside [0, {num_modes})")
    return {"modes_covered": int((counts > 0).sum()), "num_modes": int(num_modes),
            "kl": kl_to_uniform(counts), "num_samples": int(counts.sum())}


# ----------------------------------------------------------------------- Stacked MNIST modes
#: samples of the Stacked MNIST protocol (VEEGAN / PacGAN: 26,000 samples, 1,000 modes)
STACKED_SAMPLES = 26000


def classify_channels(images, classifier):
    """Mode id 100 a + 10 b + c of each [N, H, W, 3] image: argmax of `classifier` (images
    [n, H, W, 1] -> class probabilities [n, 10]) on each channel."""
    images = np.asarray(images, np.float32)
    if images.ndim != 4 or images.shape[-1] != 3:
        raise ValueError(f"stacked MNIST modes need [N, H, W, 3] images, got shape {images.shape}")
    digits = []
    for c in range(3):
        probs = np.asarray(classifier(images[..., c:c + 1]))
        if probs.shape != (len(images), 10):
            raise ValueError(f"the digit classifier must return [N, 10] probabilities, got shape {probs.shape}")
        digits.append(np.argmax(probs, axis=1))
    return 100 * digits[0] + 10 * digits[1] + digits[2]


def stacked_mnist_modes(images, classifier, num_samples=STACKED_SAMPLES, batch_size=1000):
    """The Stacked MNIST mode metric on `num_samples` samples.

    images: [N, H, W, 3] array (its first num_samples rows) or a sampler n -> [n, H, W, 3]
        (called in batches of at most batch_size, e.g. a generator's sample function).
    classifier: digit classifier, images [n, H, W, 1] -> class probabilities [n, 10].
    -> {"modes_1": modes with >= 1 sample, "modes_10": modes with >= 10 samples,
        "reverse_kl": KL(mode histogram || uniform over 1,000), "num_samples", "num_modes",
        "kl_floor": (K - 1) / 2N, the expected KL of N samples of the uniform itself}.
    A classifier that errs spreads samples over wrong modes and inflates modes_1; modes_10
    counts only modes with real mass.
    """
    if isinstance(num_samples, bool) or not isinstance(num_samples, (int, np.integer)) or num_samples < 1:
        raise ValueError(f"num_samples must be a positive integer, got {num_samples!r}")
    if not callable(images) and len(images) < num_samples:
        raise ValueError(f"stacked MNIST modes on {num_samples} samples, but only {len(images)} images given")
    ids = []
    for start in range(0, num_samples, batch_size):
        n = min(batch_size, num_samples - start)
        ids.append(classify_channels(images(n) if callable(images) else images[start:start + n], classifier))
    counts = np.bincount(np.concatenate(ids), minlength=1000)
    return {"modes_1": int((counts >= 1).sum()), "modes_10": int((counts >= 10).sum()),
            "reverse_kl": kl_to_uniform(counts), "num_samples": int(num_samples), "num_modes": 1000,
            "kl_floor": 999 / (2.0 * num_samples)}
