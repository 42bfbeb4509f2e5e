"""The digits judge behind DigitsExtractor: architecture, data splits and preprocessing.

An ensemble of NUM_MEMBERS small CNNs (tfgan_zoo.metrics.judge.build_ensemble) trained by
scripts/train_digits_classifier.py on scikit-learn's bundled 8x8 digits, with mixup and
soft-augmentation targets, and calibrated by a temperature fitted on a calibration split; the
weights (and the temperature) ship as assets/digits_judge.weights.h5. Inputs are 16x16x1 float32
in [-1, 1] (background -1, ink +1); features are the members' 64-d penultimate layers
concatenated (FEATURE_DIM), logits the calibrated 10 classes.

Splits of sklearn's 1,797 digits: the test split (25 %, stratified, seed 0) is the one it has
always been (datasets that hold digits out for evaluation use it); the rest is split again into
the digits the members train on and a calibration split (CALIBRATION_FRACTION of it) that only
fits the temperature.
"""
from pathlib import Path

import numpy as np

INPUT_SIZE = (16, 16, 1)
NUM_CLASSES = 10
MEMBER_FEATURES = 64
NUM_MEMBERS = 3
FEATURE_DIM = MEMBER_FEATURES * NUM_MEMBERS
WEIGHTS_PATH = Path(__file__).resolve().parent / "assets" / "digits_judge.weights.h5"
CACHE_VERSION = "judge2"   # in the extractor's cache tag: features of the old classifier are not reused
SPLIT_SEED = 0
# the temperature is fitted on the calibration digits and as many blends of them labelled with
# their mixture: fitted on the clean digits alone (T 0.55) the judge read 50/50 blends at 0.63
CALIBRATE_ON = "clean+blends"   # tfgan_zoo.metrics.judge_training.calibration_set
TEST_FRACTION = 0.25
CALIBRATION_FRACTION = 0.2


def build_member(index=0):
    """One member: images -> [features (64), logits (10)]."""
    import keras
    from keras import layers

    p = f"m{index}_"
    inputs = keras.Input(INPUT_SIZE, name=f"{p}images")
    x = layers.Conv2D(16, 3, padding="same", activation="relu", name=f"{p}conv1")(inputs)
    x = layers.Conv2D(32, 3, padding="same", activation="relu", name=f"{p}conv2")(x)
    x = layers.MaxPooling2D(name=f"{p}pool1")(x)
    x = layers.Conv2D(32, 3, padding="same", activation="relu", name=f"{p}conv3")(x)
    x = layers.MaxPooling2D(name=f"{p}pool2")(x)
    x = layers.Flatten(name=f"{p}flatten")(x)
    x = layers.Dropout(0.3, name=f"{p}dropout1")(x)
    features = layers.Dense(MEMBER_FEATURES, activation="relu", name=f"{p}features")(x)
    logits = layers.Dense(NUM_CLASSES, name=f"{p}logits")(layers.Dropout(0.3, name=f"{p}dropout2")(features))
    return keras.Model(inputs, [features, logits], name=f"member{index}")


def build_classifier():
    """Functional model images -> [features (FEATURE_DIM), calibrated logits (10)]."""
    from tfgan_zoo.metrics.judge import build_ensemble

    return build_ensemble(build_member, NUM_MEMBERS, INPUT_SIZE, "digits_judge")


def sklearn_digits_split_indices():
    """(train_indices, test_indices) into sklearn's digits: the classifier's stratified split.

    Datasets that hold digits out for evaluation (tfgan_zoo.data.digit_domains) use the same
    test indices, so the classifier never saw the digits it judges there.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    target = load_digits().target
    train, test = train_test_split(np.arange(len(target)), test_size=TEST_FRACTION,
                                   random_state=SPLIT_SEED, stratify=target)
    return train, test


def calibration_split_indices():
    """(fit_indices, calibration_indices): the train indices split again, stratified."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    train, _ = sklearn_digits_split_indices()
    target = load_digits().target
    fit, calib = train_test_split(train, test_size=CALIBRATION_FRACTION, random_state=SPLIT_SEED,
                                  stratify=target[train])
    return fit, calib


def _images_labels():
    from sklearn.datasets import load_digits

    data = load_digits()
    return (data.images.astype(np.float32) / 8.0 - 1.0)[..., None], data.target.astype(np.int64)


def sklearn_digits_split():
    """(x_train, y_train, x_test, y_test): 8x8x1 float32 images in [-1, 1], stratified split."""
    images, labels = _images_labels()
    train, test = sklearn_digits_split_indices()
    return images[train], labels[train], images[test], labels[test]


def sklearn_digits_three_way():
    """{"fit", "calibration", "test"}: (8x8x1 images in [-1, 1], labels) of each split."""
    images, labels = _images_labels()
    fit, calib = calibration_split_indices()
    _, test = sklearn_digits_split_indices()
    return {name: (images[rows], labels[rows])
            for name, rows in (("fit", fit), ("calibration", calib), ("test", test))}


def to_input_size(images):
    """Resize [N, H, W, 1] images in [-1, 1] to 16x16 (bilinear; antialiased when shrinking)."""
    import tensorflow as tf

    images = tf.convert_to_tensor(images, tf.float32)
    return tf.clip_by_value(
        tf.image.resize(images, INPUT_SIZE[:2], method="bilinear", antialias=True), -1.0, 1.0)
