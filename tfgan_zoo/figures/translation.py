"""CycleGAN's and StarGAN's figures and pictures on the bundled digit domains.

The measures (ground-truth L1 against the known restyles, content preservation through the
digits classifier, the pixel domain classifier) are generic and live in
tfgan_zoo/metrics/translation.py; this module applies them to the two families' translators
(plain callables on NumPy batches, so a model and its export are scored alike).
"""
import numpy as np

from tfgan_zoo.data import build_dataset
from tfgan_zoo.data.digit_domains import DEFAULT_DOMAIN_B, DOMAIN_NAMES, get_domain
from tfgan_zoo.metrics.translation import DomainClassifier, all_examples, content_preservation, l1_distance


def _batched(fn, batch_size, *arrays):
    """fn applied to slices of `arrays` and concatenated (NumPy out)."""
    n = len(arrays[0])
    return np.concatenate([np.asarray(fn(*(a[i:i + batch_size] for a in arrays)), np.float32)
                           for i in range(0, n, batch_size)])


def evaluate_cyclegan(translate_ab, translate_ba, image_size=16, domain_b=DEFAULT_DOMAIN_B, extractor=None,
                      domain_classifier=None, batch_size=256):
    """CycleGAN's figures on the held-out digits (A) and their true restyles (B).

    translate_ab / translate_ba: callables [n, H, W, 3] -> [n, H, W, 3] in [-1, 1].
    Returns floats: ground_truth_l1_ab / _ba, content_preservation_ab / _ba, cycle_l1_a / _b,
    domain_accuracy_ab / _ba, and the ceilings content_preservation_true_b (the classifier on
    the true restyles) and num_images.
    """
    domain_b = get_domain(domain_b)
    streams, _ = build_dataset("digits_unpaired", image_size=image_size, split="test", domain_b=domain_b.name)
    a, b = all_examples(streams["a"]), all_examples(streams["b"])
    labels, a, b = a["label"], a["real"], b["real"]
    fake_b, fake_a = _batched(translate_ab, batch_size, a), _batched(translate_ba, batch_size, b)
    cycled_a, cycled_b = _batched(translate_ba, batch_size, fake_b), _batched(translate_ab, batch_size, fake_a)
    classifier = domain_classifier or DomainClassifier(image_size)
    index_b = DOMAIN_NAMES.index(domain_b.name)
    return {
        "ground_truth_l1_ab": l1_distance(fake_b, b), "ground_truth_l1_ba": l1_distance(fake_a, a),
        "content_preservation_ab": content_preservation(fake_b, labels, domain_b, extractor),
        "content_preservation_ba": content_preservation(fake_a, labels, 0, extractor),
        "cycle_l1_a": l1_distance(cycled_a, a), "cycle_l1_b": l1_distance(cycled_b, b),
        "domain_accuracy_ab": classifier.accuracy(fake_b, np.full(len(a), index_b)),
        "domain_accuracy_ba": classifier.accuracy(fake_a, np.zeros(len(a))),
        "content_preservation_true_b": content_preservation(b, labels, domain_b, extractor),
        "num_images": len(a),
    }


def evaluate_stargan(translate, image_size=16, extractor=None, domain_classifier=None, batch_size=256):
    """StarGAN's figures on every held-out digit in every domain, translated to every other domain.

    translate: callable (images [n, H, W, 3], target domains int32 [n]) -> images.
    Returns: domain_accuracy, content_preservation, ground_truth_l1, reconstruction_l1 (over
    source != target), identity_l1 (target = source), content_preservation_true (the real
    domains' ceiling), per_target {domain name: {domain_accuracy, content_preservation}},
    num_images (translations scored).
    """
    test, _ = build_dataset("digits_domains", image_size=image_size, split="test")
    data = all_examples(test)
    k = len(DOMAIN_NAMES)
    x = data["real"].reshape(k, -1, image_size, image_size, 3)  # [source domain, digit, ...]
    labels = data["label"][data["domain"] == 0]
    classifier = domain_classifier or DomainClassifier(image_size)
    n = len(labels)
    per_target, sums = {}, {"domain_accuracy": 0.0, "content_preservation": 0.0, "ground_truth_l1": 0.0,
                            "reconstruction_l1": 0.0}
    identity = []
    for target in range(k):
        sources = [s for s in range(k) if s != target]
        inputs = np.concatenate([x[s] for s in sources])
        fake = _batched(translate, batch_size, inputs, np.full(len(inputs), target, np.int32))
        back = _batched(translate, batch_size, fake, np.repeat(np.array(sources, np.int32), n))
        accuracy = classifier.accuracy(fake, np.full(len(fake), target))
        content = content_preservation(fake, np.tile(labels, len(sources)), target, extractor)
        per_target[DOMAIN_NAMES[target]] = {"domain_accuracy": accuracy, "content_preservation": content}
        sums["domain_accuracy"] += accuracy
        sums["content_preservation"] += content
        sums["ground_truth_l1"] += l1_distance(fake, np.concatenate([x[target]] * len(sources)))
        sums["reconstruction_l1"] += l1_distance(back, inputs)
        identity.append(l1_distance(_batched(translate, batch_size, x[target], np.full(n, target, np.int32)),
                                    x[target]))
    figures = {name: value / k for name, value in sums.items()}  # every target has k - 1 sources
    figures.update(identity_l1=float(np.mean(identity)), per_target=per_target, num_images=k * (k - 1) * n,
                   content_preservation_true=float(np.mean([content_preservation(x[t], labels, t, extractor)
                                                            for t in range(k)])))
    return figures


def _one_of_each_digit(labels, num):
    """Indices of the first held-out example of digits 0, 1, ..., num - 1 (cycling past 9)."""
    return np.array([np.flatnonzero(labels == d % 10)[d // 10] for d in range(num)])


def cyclegan_grid(translate_ab, translate_ba, num=10, image_size=16, domain_b=DEFAULT_DOMAIN_B):
    """Picture (uint8 HWC) of held-out digits, one per column; rows: a, G(a), the true restyle
    of a, F(G(a))."""
    from tfgan_zoo.imaging import image_grid

    streams, _ = build_dataset("digits_unpaired", image_size=image_size, split="test",
                               domain_b=get_domain(domain_b).name)
    a, b = all_examples(streams["a"]), all_examples(streams["b"])
    pick = _one_of_each_digit(a["label"], num)
    x = a["real"][pick]
    fake = np.asarray(translate_ab(x), np.float32)
    rows = [x, fake, b["real"][pick], np.asarray(translate_ba(fake), np.float32)]
    return image_grid(np.concatenate(rows), columns=num)


def stargan_grid(translate, num=10, image_size=16):
    """Picture (uint8 HWC) of held-out digits, one per column, digit d taken from domain d mod K;
    rows: the input, then its translation to every domain in order."""
    from tfgan_zoo.imaging import image_grid

    data = all_examples(build_dataset("digits_domains", image_size=image_size, split="test")[0])
    k = len(DOMAIN_NAMES)
    x = data["real"].reshape(k, -1, image_size, image_size, 3)
    pick = _one_of_each_digit(data["label"][data["domain"] == 0], num)
    inputs = np.stack([x[i % k, j] for i, j in enumerate(pick)])
    rows = [inputs] + [np.asarray(translate(inputs, np.full(num, t, np.int32)), np.float32) for t in range(k)]
    return image_grid(np.concatenate(rows), columns=num)
