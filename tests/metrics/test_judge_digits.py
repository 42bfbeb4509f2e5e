"""The shipped digits judge on real digits it never trained on (no retraining here)."""
import numpy as np
import pytest

from tfgan_zoo.data.digits import load_digit_images
from tfgan_zoo.metrics import digits_classifier as dc
from tfgan_zoo.metrics.features import get_extractor
from tests.metrics import judge_properties as props


@pytest.fixture(scope="module")
def extractor():
    return get_extractor("digits")


@pytest.fixture(scope="module")
def splits():
    return dc.sklearn_digits_three_way()


@pytest.fixture(scope="module")
def test16(splits):
    """The held-out test split as the zoo's digits data serves it at 16 px."""
    images, labels = load_digit_images(16)
    _, test = dc.sklearn_digits_split_indices()
    return images[test], labels[test]


def test_asset_is_small_and_the_splits_are_disjoint(splits):
    assert dc.WEIGHTS_PATH.is_file() and dc.WEIGHTS_PATH.stat().st_size < 1_500_000
    fit, calib = dc.calibration_split_indices()
    _, test = dc.sklearn_digits_split_indices()
    assert not (set(fit) & set(calib)) and not (set(fit) & set(test)) and not (set(calib) & set(test))
    assert len(fit) + len(calib) + len(test) == 1797


def test_calibrated_on_held_out_digits(extractor, splits, test16):
    props.check_calibrated(extractor, *splits["test"])   # 8x8 inputs, resized inside
    props.check_calibrated(extractor, *test16)           # the zoo's 16 px digits
    _, test = dc.sklearn_digits_split_indices()
    props.check_calibrated(extractor, load_digit_images(32)[0][test], test16[1])  # the zoo's 32 px digits


def test_temperature_is_fitted_on_the_calibration_split(extractor, splits):
    props.check_temperature_from_calibration_split(extractor, *splits["calibration"], dc.CALIBRATE_ON)


def test_blends_of_two_classes_are_not_believed(extractor, test16):
    props.check_blends(extractor, *test16)


def test_noise_blur_and_shift_lose_confidence_step_by_step(extractor, test16):
    props.check_corruptions(extractor, test16[0])
