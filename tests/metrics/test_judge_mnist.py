"""The shipped MNIST judge on the fixed held-out MNIST digits no training run sees (no retraining)."""
import numpy as np
import pytest

from tfgan_zoo.data.mnist_arrays import mnist_arrays
from tfgan_zoo.metrics import mnist_classifier as mc
from tfgan_zoo.metrics.conditional import conditional_accuracy
from tfgan_zoo.metrics.features import get_extractor
from tests.metrics import judge_properties as props

SCALE = mc.INPUT_SIZE[0] / 16


@pytest.fixture(scope="module")
def extractor():
    return get_extractor("mnist")


@pytest.fixture(scope="module")
def splits():
    return mc.mnist_splits()


def test_asset_is_small_and_trained_on_the_training_split_only(splits):
    assert mc.WEIGHTS_PATH.is_file() and mc.WEIGHTS_PATH.stat().st_size < 1_500_000
    train_images, _ = mnist_arrays("train")
    fit, calib = splits["fit"][0], splits["calibration"][0]
    assert len(fit) + len(calib) == len(train_images) and len(splits["test"][1]) == 1000
    test_rows = {r.tobytes() for r in splits["test"][0]}
    assert not any(r.tobytes() in test_rows for r in np.concatenate([fit, calib]))


def test_calibrated_on_the_held_out_split(extractor, splits):
    x, y = splits["test"]
    assert x.shape[1:] == (32, 32, 1) and x.min() == -1.0 and x[:, :2].max() == -1.0  # padded
    props.check_calibrated(extractor, x, y)
    raw28 = np.asarray(mnist_arrays("test")[0], np.float32)[..., None] / 127.5 - 1.0
    np.testing.assert_allclose(extractor(raw28)["logits"], extractor(x)["logits"], atol=1e-4)
    small = x[:, ::2, ::2]  # a 16 px generator's size, resized to 32 inside
    assert np.mean(extractor(small)["logits"].argmax(1) == y) >= 0.9


def test_requested_label_accuracy_of_real_digits(extractor, splits):
    x, y = splits["test"]
    assert conditional_accuracy(x, y, extractor=extractor)["accuracy"] >= 0.97
    assert conditional_accuracy(x, (y + 1) % 10, extractor=extractor)["accuracy"] <= 0.05


def test_temperature_is_fitted_on_the_calibration_split(extractor, splits):
    props.check_temperature_from_calibration_split(extractor, *splits["calibration"], mc.CALIBRATE_ON)


def test_blends_of_two_classes_are_not_believed(extractor, splits):
    props.check_blends(extractor, *splits["test"])


def test_noise_blur_and_shift_lose_confidence_step_by_step(extractor, splits):
    props.check_corruptions(extractor, splits["test"][0], scale=SCALE)
