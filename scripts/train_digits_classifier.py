"""Train the digits classifier used by the "digits" feature extractor and the stacked-digits
mode metric, and write tfgan_zoo/metrics/assets/digits_classifier.weights.h5.

Data: scikit-learn's bundled 8x8 digits (no download), stratified 75/25 split (seed 0,
tfgan_zoo.metrics.digits_classifier.sklearn_digits_split). Training images are augmented so
the classifier copes with digits that reach it through other resolutions: each 8x8 image is
resized to several sizes (nearest and bilinear) and back to 16x16, then randomly shifted by
up to 1 pixel and given mild pixel noise. Accuracy is reported on the untouched test split.

    .venv/bin/python scripts/train_digits_classifier.py [--epochs 30] [--out PATH]
"""
import argparse
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from tfgan_zoo.metrics import digits_classifier as dc  # noqa: E402

ROUND_TRIP_SIZES = (12, 20, 24, 28, 32)


def augmented_variants(images):
    """All resolution round-trips of 8x8 images, as 16x16 network inputs."""
    variants = [dc.to_input_size(images)]
    for size in ROUND_TRIP_SIZES:
        for method in ("bilinear", "nearest"):
            big = tf.image.resize(images, (size, size), method=method)
            variants.append(dc.to_input_size(big))
    return tf.concat(variants, axis=0), len(variants)


def shift_and_noise(image, label):
    padded = tf.pad(image, [[1, 1], [1, 1], [0, 0]], constant_values=-1.0)
    image = tf.image.random_crop(padded, dc.INPUT_SIZE)
    image = image + tf.random.normal(tf.shape(image), stddev=0.05)
    return tf.clip_by_value(image, -1.0, 1.0), label


def accuracy(model, images, labels):
    _, logits = model(images, training=False)
    return float(np.mean(np.argmax(logits.numpy(), axis=1) == labels))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--out", default=str(dc.WEIGHTS_PATH))
    parser.add_argument("--min-accuracy", type=float, default=0.97)
    args = parser.parse_args(argv)
    keras.utils.set_random_seed(0)
    x_train, y_train, x_test, y_test = dc.sklearn_digits_split()
    train_images, copies = augmented_variants(x_train)
    train_labels = np.tile(y_train, copies)
    ds = (tf.data.Dataset.from_tensor_slices((train_images, train_labels))
          .shuffle(len(train_labels), seed=0).map(shift_and_noise).batch(128))

    model = dc.build_classifier()
    train_model = keras.Model(model.inputs, model.outputs[1])
    train_model.compile(optimizer=keras.optimizers.Adam(1e-3),
                        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                        metrics=["accuracy"])
    start = time.time()
    train_model.fit(ds, epochs=args.epochs, verbose=2,
                    callbacks=[keras.callbacks.ReduceLROnPlateau("loss", factor=0.3, patience=3)])
    print(f"trained on {len(train_labels)} augmented images ({len(y_train)} originals) "
          f"in {time.time() - start:.0f}s")

    test_acc = accuracy(model, dc.to_input_size(x_test), y_test)
    via32 = dc.to_input_size(tf.image.resize(x_test, (32, 32), method="bilinear"))
    print(f"held-out test accuracy ({len(y_test)} images, 8x8 -> 16x16): {test_acc:.4f}")
    print(f"held-out test accuracy via 32x32 bilinear round trip: {accuracy(model, via32, y_test):.4f}")
    if test_acc < args.min_accuracy:
        print(f"accuracy below {args.min_accuracy}; not writing weights", file=sys.stderr)
        return 1
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    model.save_weights(args.out)
    print(f"wrote {args.out} ({os.path.getsize(args.out) / 1024:.0f} KiB, "
          f"{model.count_params()} parameters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
