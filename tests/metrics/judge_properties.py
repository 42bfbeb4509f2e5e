"""The properties every bundled judge is held to, checked on real held-out images
(tests/metrics/test_judge_digits.py, test_judge_mnist.py)."""
import numpy as np
import pytest

from tfgan_zoo.metrics import judge

NOISE = (0.0, 0.2, 0.4, 0.6)
BLUR = (0.0, 0.75, 1.25, 2.0)      # pixels at 16 px
SHIFT = (0, 2, 3, 4)               # pixels at 16 px


def confidence(extractor, images):
    return float(judge.softmax(extractor(images)["logits"]).max(1).mean())


def check_calibrated(extractor, images, labels):
    rep = judge.calibration_report(extractor(images)["logits"], labels)
    assert rep["accuracy"] >= 0.97, rep
    assert rep["mean_confidence"] >= 0.95, rep
    assert rep["ece"] <= 0.03, rep
    return rep


def check_blends(extractor, images, labels):
    b, _, _ = judge.blends(images, labels, 600, seed=0)
    conf = confidence(extractor, b)
    assert conf <= 0.6, conf
    # a blend leaning 80/20 toward one digit is read as that digit, more surely than 50/50
    b80, la, _ = judge.blends(images, labels, 600, weight=0.8, seed=0)
    out = judge.softmax(extractor(b80)["logits"])
    assert np.mean(out.argmax(1) == la) >= 0.8 and out.max(1).mean() > conf


def _strictly_falling(ladder, drop):
    values = list(ladder)
    assert all(a > b for a, b in zip(values, values[1:])), values
    assert values[0] - values[-1] >= drop, values


def check_corruptions(extractor, images, scale=1.0):
    """Confidence falls with every step of noise, blur and shift, by a large amount at the end."""
    noise = [confidence(extractor, judge.add_noise(images, s, seed=1)) for s in NOISE]
    blur = [confidence(extractor, judge.blur(images, s * scale)) for s in BLUR]
    shift = [confidence(extractor, judge.shift(images, int(d * scale), int(d * scale) // 2))
             for d in SHIFT]
    for ladder in (noise, blur, shift):
        _strictly_falling(ladder, drop=0.25)
    return noise, blur, shift


def check_temperature_from_calibration_split(extractor, calib_images, calib_labels, calibrate_on):
    """The shipped temperature is the one that minimises the cross-entropy on the calibration
    split (its digits, and blends of them when the judge is calibrated on those too)."""
    from tfgan_zoo.metrics import judge_training as jt

    shipped = judge.get_temperature(extractor.model)
    images, targets = jt.calibration_set(extractor.module.to_input_size(calib_images).numpy(), calib_labels,
                                         extractor.num_classes, calibrate_on)
    raw = extractor(images)["logits"] * shipped  # undo the division: the members' mean logits
    assert judge.fit_temperature(raw, targets) == pytest.approx(shipped, rel=2e-3)
    clean_only = judge.fit_temperature(raw[:len(calib_labels)], calib_labels)
    assert (clean_only == pytest.approx(shipped, rel=2e-3)) == (calibrate_on == "clean")
