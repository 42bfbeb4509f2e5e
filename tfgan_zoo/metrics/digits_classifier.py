"""The small CNN behind DigitsExtractor: architecture, data split and preprocessing.

Trained by scripts/train_digits_classifier.py on scikit-learn's bundled 8x8 digits; the
weights ship as assets/digits_classifier.weights.h5. Inputs are 16x16x1 float32 in [-1, 1]
(background -1, ink +1); features are the 64-d penultimate layer, logits the 10 classes.
"""
from pathlib import Path

import numpy as np

INPUT_SIZE = (16, 16, 1)
NUM_CLASSES = 10
FEATURE_DIM = 64
WEIGHTS_PATH = Path(__file__).resolve().parent / "assets" / "digits_classifier.weights.h5"
SPLIT_SEED = 0
TEST_FRACTION = 0.25


def build_classifier():
    """Functional model images -> [features (64), logits (10)]."""
    import keras
    from keras import layers

    inputs = keras.Input(INPUT_SIZE, name="images")
    x = layers.Conv2D(16, 3, padding="same", activation="relu", name="conv1")(inputs)
    x = layers.Conv2D(32, 3, padding="same", activation="relu", name="conv2")(x)
    x = layers.MaxPooling2D(name="pool1")(x)
    x = layers.Conv2D(32, 3, padding="same", activation="relu", name="conv3")(x)
    x = layers.MaxPooling2D(name="pool2")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dropout(0.3, name="dropout1")(x)
    features = layers.Dense(FEATURE_DIM, activation="relu", name="features")(x)
    logits = layers.Dense(NUM_CLASSES, name="logits")(layers.Dropout(0.3, name="dropout2")(features))
    return keras.Model(inputs, [features, logits], name="digits_classifier")


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


def sklearn_digits_split():
    """(x_train, y_train, x_test, y_test): 8x8x1 float32 images in [-1, 1], stratified split."""
    from sklearn.datasets import load_digits

    data = load_digits()
    images = (data.images.astype(np.float32) / 8.0 - 1.0)[..., None]
    labels = data.target.astype(np.int64)
    train, test = sklearn_digits_split_indices()
    return images[train], labels[train], images[test], labels[test]


def to_input_size(images):
    """Resize [N, H, W, 1] images in [-1, 1] to 16x16 (bilinear; antialiased when shrinking)."""
    import tensorflow as tf

    images = tf.convert_to_tensor(images, tf.float32)
    return tf.clip_by_value(
        tf.image.resize(images, INPUT_SIZE[:2], method="bilinear", antialias=True), -1.0, 1.0)
