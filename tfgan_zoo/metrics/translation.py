"""Figures of image-to-image translation on the bundled digit domains (data/digit_domains.py).

Because each domain is a known restyle of the digits, a translation of a held-out digit can be
checked against the truth:
  ground-truth L1       mean |G(x) - restyle(x)| over pixels of [-1, 1] images
  content preservation  the bundled digits classifier's accuracy on G(x) mapped back to gray
                        digits by the target domain's inverse colour map (to_digits); its
                        ceiling is the same figure on the true restyles (100 %, 98 % for thick
                        strokes)
  cycle / reconstruction L1   mean |F(G(x)) - x|, StarGAN's |G(G(x, c'), c) - x|
  identity L1           StarGAN's mean |G(x, c) - x| for x already in domain c
  domain accuracy       how often a domain classifier trained on the real domains puts G(x, c')
                        in c'. Closed-set: it names a domain for any image, so read it with
                        content preservation.

The domain classifier is logistic regression on pixels, trained on the fly on the real images
of digits_domains' training split: about a second, deterministic (lbfgs), 100 % on the
held-out real domains, and no weights file that could fall out of step with the restyles.
Translators are plain callables on NumPy batches, so a model and its export are scored alike.
CycleGAN's and StarGAN's figures and pictures built on these are in tfgan_zoo/figures/translation.py.
"""
import numpy as np

from tfgan_zoo.data import build_dataset
from tfgan_zoo.data.digit_domains import DEFAULT_DOMAIN_B, get_domain, restyle, to_digits

_EXTRACTOR = []


def _digits_extractor():
    if not _EXTRACTOR:
        from tfgan_zoo.metrics.features import DigitsExtractor

        _EXTRACTOR.append(DigitsExtractor())
    return _EXTRACTOR[0]


def all_examples(ds):
    """Every element of an unbatched dataset as one NumPy batch."""
    return next(ds.batch(1_000_000).as_numpy_iterator())


def l1_distance(x, y):
    """mean |x - y| over every element."""
    return float(np.mean(np.abs(np.asarray(x, np.float64) - np.asarray(y, np.float64))))


def digits_accuracy(digits, labels, extractor=None):
    """Accuracy of the bundled digits classifier on gray digits [N, H, W, 1] in [-1, 1]."""
    logits = (extractor or _digits_extractor())(np.clip(digits, -1.0, 1.0))["logits"]
    return float(np.mean(logits.argmax(axis=1) == np.asarray(labels)))


def content_preservation(images, labels, domain, extractor=None):
    """Digits-classifier accuracy on images of `domain` mapped back to gray digits."""
    return digits_accuracy(to_digits(np.clip(images, -1.0, 1.0), domain), labels, extractor)


class DomainClassifier:
    """Which digit domain an RGB image is in: logistic regression on pixels (see the module doc)."""

    def __init__(self, image_size=16):
        from sklearn.linear_model import LogisticRegression

        real = all_examples(build_dataset("digits_domains", image_size=image_size)[0])
        self.image_size = image_size
        self.model = LogisticRegression(max_iter=2000).fit(self._flat(real["real"]), real["domain"])

    def _flat(self, images):
        images = np.asarray(images, np.float32)
        if images.shape[1:] != (self.image_size, self.image_size, 3):
            raise ValueError(f"DomainClassifier expects [N, {self.image_size}, {self.image_size}, 3] images, "
                             f"got {images.shape}")
        return np.clip(images, -1.0, 1.0).reshape(len(images), -1)

    def predict(self, images):
        return self.model.predict(self._flat(images)).astype(np.int32)

    def accuracy(self, images, domains):
        return float(np.mean(self.predict(images) == np.asarray(domains)))


def restyle_translators(domain_b=DEFAULT_DOMAIN_B):
    """The true translations between the digits and a domain (translate_ab, translate_ba);
    A -> B is exact, B -> A inverts the colours (thick strokes stay thick). The figures'
    reference point, and a check of the evaluation itself."""
    domain_b = get_domain(domain_b)
    return (lambda a: restyle(a, domain_b),
            lambda b: np.repeat(to_digits(b, domain_b), 3, axis=-1))


def figure_records(figures):
    """Figures as the card's metric records {name: {"value", "extractor", "num_fake"}}; the
    extractor says what judged the figure (pixels, the digits classifier, the domain classifier)."""
    judge = {"content": "digits classifier", "domain": "domain classifier (logistic regression)"}
    n = figures.get("num_images")
    out = {}
    for name, value in figures.items():
        if isinstance(value, (int, float)) and name != "num_images":
            out[name] = {"value": float(value), "extractor": judge.get(name.split("_")[0], "pixels"),
                         "num_fake": n}
    return out
