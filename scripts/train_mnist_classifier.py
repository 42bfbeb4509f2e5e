"""Train the MNIST judge used by the "mnist" feature extractor (FID / KID features, confidence,
requested-label accuracy on 32 px MNIST) and write tfgan_zoo/metrics/assets/mnist_judge.weights.h5.

Data: the bundled MNIST digits' TRAINING split only (tfgan_zoo.data.mnist_arrays, 4,000 digits):
the members train on 3,500 of them, the temperature is fitted on the other 500
(tfgan_zoo.metrics.mnist_classifier.mnist_splits); the figures are reported on the fixed
held-out 1,000 no training run sees. 28x28 digits are zero-padded to 32x32 in [-1, 1]; clean
training images add a bilinear round trip through ROUND_TRIP_SIZES (samples of other sizes reach
the judge resized); every epoch corrupts and mixes them afresh (tfgan_zoo.metrics.judge_training).

    TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 nice -n 10 \
        .venv/bin/python scripts/train_mnist_classifier.py [--epochs 15] [--out PATH]
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

from tfgan_zoo.metrics import judge  # noqa: E402
from tfgan_zoo.metrics import judge_training as jt  # noqa: E402
from tfgan_zoo.metrics import mnist_classifier as mc  # noqa: E402

ROUND_TRIP_SIZES = (24,)
BARS = {"accuracy": 0.97, "mean_confidence": 0.95, "ece": 0.03, "blend_confidence": 0.6}
SCALE = mc.INPUT_SIZE[0] / 16  # blur and shift severities are in pixels at 16 px


def clean_variants(images, labels):
    variants = [images]
    for size in ROUND_TRIP_SIZES:
        small = tf.image.resize(images, (size, size), method="bilinear", antialias=True)
        variants.append(mc.to_input_size(small).numpy())
    return np.concatenate(variants), np.tile(labels, len(variants))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--out", default=str(mc.WEIGHTS_PATH))
    parser.add_argument("--force", action="store_true", help="write the weights even below the bars")
    parser.add_argument("--members-from", metavar="PATH",
                        help="take the members from this weights file instead of training them "
                             "(the temperature is fitted again)")
    parser.add_argument("--calibrate-on", choices=jt.CALIBRATE_ON, default=mc.CALIBRATE_ON,
                        help="what the temperature is fitted on (judge_training.calibration_set)")
    args = parser.parse_args(argv)
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    keras.utils.set_random_seed(0)
    splits = mc.mnist_splits()
    x_fit, y_fit = clean_variants(*splits["fit"])
    start = time.time()
    model = mc.build_classifier()
    if args.members_from:
        model.load_weights(args.members_from)
    else:
        for i in range(mc.NUM_MEMBERS):
            jt.train_member(model.get_layer(f"member{i}"), x_fit, y_fit, mc.NUM_CLASSES, args.epochs,
                            seed=i, scale=SCALE)
        print(f"trained {mc.NUM_MEMBERS} members on {len(y_fit)} clean images "
              f"({len(splits['fit'][1])} digits) x {args.epochs} epochs in {time.time() - start:.0f}s",
              flush=True)

    judge.set_temperature(model, 1.0)
    x_cal, y_cal = splits["calibration"]
    cal_images, cal_targets = jt.calibration_set(x_cal, y_cal, mc.NUM_CLASSES, args.calibrate_on)
    logits = model.predict(cal_images, verbose=0)[1]
    clean = judge.calibration_report(logits[:len(y_cal)], y_cal)
    temperature = judge.fit_temperature(logits, cal_targets)
    judge.set_temperature(model, temperature)
    print(f"calibration split ({len(y_cal)} digits; fitted on {args.calibrate_on}, {len(cal_targets)} "
          f"images): temperature {temperature:.4f} (at T = 1 its digits had confidence "
          f"{clean['mean_confidence']:.4f}, ECE {clean['ece']:.4f})")

    x_test, y_test = splits["test"]
    props = jt.evaluate_properties(model, x_test, y_test, scale=SCALE)
    print("held-out test split (1,000 digits, 28 -> 32 padded):\n" + jt.format_properties(props))
    misses = jt.missed_bars(props, BARS)
    if misses and not args.force:
        print(f"below the bars: {'; '.join(misses)}; not writing weights", file=sys.stderr)
        return 1
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    model.save_weights(args.out)
    print(f"wrote {args.out} ({os.path.getsize(args.out) / 1024:.0f} KiB, "
          f"{model.count_params()} parameters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
