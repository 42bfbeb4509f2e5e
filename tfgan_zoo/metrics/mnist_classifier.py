"""The MNIST judge behind MnistExtractor ("mnist"): architecture, data splits and preprocessing.

An ensemble of NUM_MEMBERS small CNNs (tfgan_zoo.metrics.judge.build_ensemble), trained by
scripts/train_mnist_classifier.py like the digits judge (mixup, soft-augmentation targets,
a temperature fitted on a calibration split), on the TRAINING split only of the bundled MNIST
digits (tfgan_zoo.data.mnist_arrays: 4,000 digits; CALIBRATION_PER_CLASS of every class held
back from the members to fit the temperature). Its figures are reported on the fixed held-out
1,000 (`mnist_arrays("test")`) that no training run sees. The weights (and the temperature)
ship as assets/mnist_judge.weights.h5.

Inputs are 32x32x1 float32 in [-1, 1] (background -1): 28x28 MNIST zero-padded by 2 pixels a
side, as the `mnist` data source pads; images of another size are resized (bilinear,
antialiased) to 32x32, 28x28 ones are padded.
"""
from pathlib import Path

import numpy as np

INPUT_SIZE = (32, 32, 1)
NUM_CLASSES = 10
MEMBER_FEATURES = 64
NUM_MEMBERS = 3
FEATURE_DIM = MEMBER_FEATURES * NUM_MEMBERS
WEIGHTS_PATH = Path(__file__).resolve().parent / "assets" / "mnist_judge.weights.h5"
CACHE_VERSION = "judge1"
CALIBRATION_PER_CLASS = 50
SPLIT_SEED = 0
# the temperature is fitted on the clean calibration digits: with blends as well (T 0.84) the
# held-out confidence fell to 0.951 and the ECE rose to 0.029, at the bars; on clean digits alone
# (T 0.68) the 50/50 blends already read 0.57
CALIBRATE_ON = "clean"   # tfgan_zoo.metrics.judge_training.calibration_set
MNIST_SIZE = 28


def build_member(index=0):
    """One member: images [32, 32, 1] -> [features (64), logits (10)]."""
    import keras
    from keras import layers

    p = f"m{index}_"
    inputs = keras.Input(INPUT_SIZE, name=f"{p}images")
    x = layers.Conv2D(32, 3, padding="same", activation="relu", name=f"{p}conv1")(inputs)
    x = layers.MaxPooling2D(name=f"{p}pool1")(x)                         # 16
    x = layers.Conv2D(32, 3, padding="same", activation="relu", name=f"{p}conv2")(x)
    x = layers.MaxPooling2D(name=f"{p}pool2")(x)                         # 8
    x = layers.Conv2D(64, 3, padding="same", activation="relu", name=f"{p}conv3")(x)
    x = layers.MaxPooling2D(name=f"{p}pool3")(x)                         # 4
    x = layers.Conv2D(32, 1, activation="relu", name=f"{p}squeeze")(x)
    x = layers.Flatten(name=f"{p}flatten")(x)
    x = layers.Dropout(0.3, name=f"{p}dropout1")(x)
    features = layers.Dense(MEMBER_FEATURES, activation="relu", name=f"{p}features")(x)
    logits = layers.Dense(NUM_CLASSES, name=f"{p}logits")(layers.Dropout(0.3, name=f"{p}dropout2")(features))
    return keras.Model(inputs, [features, logits], name=f"member{index}")


def build_classifier():
    """Functional model images -> [features (FEATURE_DIM), calibrated logits (10)]."""
    from tfgan_zoo.metrics.judge import build_ensemble

    return build_ensemble(build_member, NUM_MEMBERS, INPUT_SIZE, "mnist_judge")


def to_unit_range(images_uint8):
    """uint8 [N, 28, 28] in 0..255 -> float32 [N, 32, 32, 1] in [-1, 1], zero (-1) padded."""
    x = np.asarray(images_uint8, np.float32) / 127.5 - 1.0
    pad = (INPUT_SIZE[0] - MNIST_SIZE) // 2
    return np.pad(x, ((0, 0), (pad, pad), (pad, pad)), constant_values=-1.0)[..., None]


def mnist_splits():
    """{"fit", "calibration", "test"}: (32x32x1 images in [-1, 1], labels). fit + calibration
    are the training split (calibration: CALIBRATION_PER_CLASS a class, seeded); test is the
    fixed held-out split."""
    from tfgan_zoo.data.mnist_arrays import mnist_arrays

    images, labels = mnist_arrays("train")
    rng = np.random.default_rng(SPLIT_SEED)
    calib = np.zeros(len(labels), bool)
    for k in range(NUM_CLASSES):
        calib[rng.permutation(np.flatnonzero(labels == k))[:CALIBRATION_PER_CLASS]] = True
    test_images, test_labels = mnist_arrays("test")
    x = to_unit_range(images)
    return {"fit": (x[~calib], labels[~calib]), "calibration": (x[calib], labels[calib]),
            "test": (to_unit_range(test_images), test_labels)}


def to_input_size(images):
    """[N, H, W, 1] in [-1, 1] -> [N, 32, 32, 1]: 28x28 padded with background, other sizes
    resized (bilinear, antialiased when shrinking)."""
    import tensorflow as tf

    images = tf.convert_to_tensor(images, tf.float32)
    pad = (INPUT_SIZE[0] - MNIST_SIZE) // 2
    shape = tf.shape(images)
    is_mnist = tf.logical_and(tf.equal(shape[1], MNIST_SIZE), tf.equal(shape[2], MNIST_SIZE))
    out = tf.cond(
        is_mnist,
        lambda: tf.pad(images, [[0, 0], [pad, pad], [pad, pad], [0, 0]], constant_values=-1.0),
        lambda: tf.clip_by_value(tf.image.resize(images, INPUT_SIZE[:2], method="bilinear",
                                                 antialias=True), -1.0, 1.0))
    return tf.ensure_shape(out, [None, *INPUT_SIZE[:2], None])
