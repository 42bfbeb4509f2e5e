import numpy as np
import pytest

from tfgan_zoo.errors import UserError
from tfgan_zoo.metrics import features
from tfgan_zoo.metrics.digits_classifier import FEATURE_DIM, WEIGHTS_PATH, sklearn_digits_split
from tfgan_zoo.metrics.features import DigitsExtractor, InceptionExtractor, MnistExtractor, get_extractor
from tfgan_zoo.metrics.modes import stacked_mode_ids


@pytest.fixture(scope="module")
def digits():
    return get_extractor("digits")


@pytest.fixture(scope="module")
def test_split():
    _, _, x_test, y_test = sklearn_digits_split()
    return x_test, y_test


def test_shipped_digits_classifier_is_small_and_accurate(digits, test_split):
    assert WEIGHTS_PATH.is_file() and WEIGHTS_PATH.stat().st_size < 1_500_000
    x_test, y_test = test_split
    out = digits(x_test)  # 8x8 inputs, resized inside to 16x16
    assert out["pool"].shape == (len(x_test), FEATURE_DIM) and out["logits"].shape == (len(x_test), 10)
    assert np.mean(out["logits"].argmax(1) == y_test) >= 0.97


def test_digits_extractor_resizes_and_converts_channels(digits, test_split):
    x, y = test_split[0][:60], test_split[1][:60]
    big = np.kron(x, np.ones((1, 4, 4, 1), np.float32))  # 32x32 nearest upsampling
    rgb = np.repeat(big, 3, axis=-1)
    acc_big = np.mean(digits(big)["logits"].argmax(1) == y)
    assert acc_big >= 0.95
    np.testing.assert_allclose(digits(rgb)["pool"], digits(big)["pool"], atol=1e-5)
    np.testing.assert_allclose(digits(big, batch_size=7)["pool"], digits(big)["pool"], atol=1e-5)


def test_stacked_digits_mode_ids(digits, test_split):
    x, y = test_split
    n = 150
    stacked = np.concatenate([x[:n], x[n:2 * n], x[2 * n:3 * n]], axis=-1)
    expected = 100 * y[:n] + 10 * y[n:2 * n] + y[2 * n:3 * n]
    assert np.mean(stacked_mode_ids(stacked, digits) == expected) >= 0.95


def test_images_outside_minus1_1_are_rejected(digits):
    with pytest.raises(UserError, match=r"\[-1, 1\]"):
        digits(np.full((2, 16, 16, 1), 255.0, np.float32))


def test_extractor_registry():
    assert set(features.EXTRACTORS) == {"digits", "mnist", "inception"}
    with pytest.raises(UserError, match="did you mean 'digits'"):
        get_extractor("digit")
    assert isinstance(get_extractor(DigitsExtractor()), DigitsExtractor)
    assert get_extractor("mnist").num_classes == 10 and isinstance(get_extractor("mnist"), MnistExtractor)


def test_judge_cache_tags_name_the_judge_and_its_weights(digits, tmp_path):
    tag = digits.cache_tag
    assert tag.startswith("digits-judge2-") and tag != "digits" and len(tag.split("-")[-1]) == 8
    other = tmp_path / "w.weights.h5"
    from tfgan_zoo.metrics import judge
    judge.set_temperature(digits.model, 2.0 * judge.get_temperature(digits.model))
    digits.model.save_weights(str(other))
    digits.model.load_weights(str(WEIGHTS_PATH))
    assert DigitsExtractor(weights_path=other).cache_tag != tag  # retrained weights: a new cache


def test_old_classifier_weights_are_a_one_line_error(tmp_path):
    import keras
    old = keras.Sequential([keras.Input((16, 16, 1)), keras.layers.Conv2D(16, 3, name="conv1")])
    path = tmp_path / "old.weights.h5"
    old.save_weights(str(path))
    with pytest.raises(UserError, match="train_digits_classifier.py") as info:
        DigitsExtractor(weights_path=path)
    assert "\n" not in str(info.value)


def test_missing_inception_weights_file_is_a_clear_user_error(tmp_path):
    with pytest.raises(UserError, match="--inception-weights PATH") as info:
        InceptionExtractor(weights_path=tmp_path / "nope.h5")
    assert "\n" not in str(info.value) and "does not exist" in str(info.value)


def test_offline_imagenet_download_is_a_clear_user_error(monkeypatch):
    def offline(*args, **kwargs):
        raise Exception("URL fetch failure: [Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr("keras.utils.get_file", offline)
    with pytest.raises(UserError, match="network access so Keras caches it") as info:
        InceptionExtractor()
    assert "\n" not in str(info.value)


def test_inception_random_weights_give_2048_d_features():
    extractor = InceptionExtractor(weights=None, batch_size=2)
    out = extractor(np.random.default_rng(0).uniform(-1, 1, (2, 8, 8, 1)).astype(np.float32))
    assert out["pool"].shape == (2, 2048) and out["logits"].shape == (2, 1000)
    assert np.isfinite(out["pool"]).all() and extractor.cache_tag is None


def test_inception_bfloat16_extractor_records_its_precision():
    with pytest.raises(UserError, match="precision"):
        InceptionExtractor(weights=None, precision="half")
    extractor = InceptionExtractor(weights=None, batch_size=2, precision="bfloat16")
    out = extractor(np.random.default_rng(0).uniform(-1, 1, (3, 8, 8, 3)).astype(np.float32))
    assert out["pool"].dtype == np.float32 and out["pool"].shape == (3, 2048)
    assert np.isfinite(out["pool"]).all() and np.isfinite(out["logits"]).all()
    assert extractor.describe()["extractor_precision"] == "bfloat16"
    assert extractor.cache_tag is None  # random weights are never cached
    extractor._random = False
    assert extractor.cache_tag == "inception-bfloat16"  # apart from float32 statistics


def test_long_extraction_shows_a_progress_bar(capsys):
    extractor = DigitsExtractor()
    images = np.zeros((600, 8, 8, 1), np.float32)
    extractor(images, progress=True)
    assert "600/600" in capsys.readouterr().out
    extractor(images[:10])  # short (and digits is fast): no bar
    assert "10/10" not in capsys.readouterr().out
