"""Train the digits judge used by the "digits" feature extractor, the conditional metrics, the
stacked-digits mode metric and the zoo cards, and write tfgan_zoo/metrics/assets/digits_judge.weights.h5.

Data: scikit-learn's bundled 8x8 digits (no download), three stratified splits
(tfgan_zoo.metrics.digits_classifier.sklearn_digits_three_way): the members train on "fit",
the temperature is fitted on "calibration", the figures are reported on "test" (never seen by
either). Clean training images are the 8x8 digits brought to 16x16 through several resolutions
(nearest and bilinear round trips, as samples reach the judge from other sizes); every epoch
corrupts and mixes them afresh (tfgan_zoo.metrics.judge_training). Each of the NUM_MEMBERS
members has its own seed; the ensemble's mean logits are divided by the fitted temperature.

    TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 nice -n 10 \
        .venv/bin/python scripts/train_digits_classifier.py [--epochs 20] [--out PATH]
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
from tfgan_zoo.metrics import judge  # noqa: E402
from tfgan_zoo.metrics import judge_training as jt  # noqa: E402

ROUND_TRIP_SIZES = (12, 20, 24, 28, 32)
BARS = {"accuracy": 0.97, "mean_confidence": 0.95, "ece": 0.03, "blend_confidence": 0.6}


def clean_variants(images, labels):
    """All resolution round trips of 8x8 images, as 16x16 network inputs, with their labels."""
    variants = [dc.to_input_size(images)]
    for size in ROUND_TRIP_SIZES:
        for method in ("bilinear", "nearest"):
            variants.append(dc.to_input_size(tf.image.resize(images, (size, size), method=method)))
    return np.concatenate([v.numpy() for v in variants]), np.tile(labels, len(variants))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--out", default=str(dc.WEIGHTS_PATH))
    parser.add_argument("--force", action="store_true", help="write the weights even below the bars")
    parser.add_argument("--members-from", metavar="PATH",
                        help="take the members from this weights file instead of training them "
                             "(the temperature is fitted again)")
    parser.add_argument("--calibrate-on", choices=jt.CALIBRATE_ON, default=dc.CALIBRATE_ON,
                        help="what the temperature is fitted on (judge_training.calibration_set)")
    args = parser.parse_args(argv)
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    keras.utils.set_random_seed(0)
    splits = dc.sklearn_digits_three_way()
    x_fit, y_fit = clean_variants(*splits["fit"])
    start = time.time()
    model = dc.build_classifier()
    if args.members_from:
        model.load_weights(args.members_from)
    else:
        for i in range(dc.NUM_MEMBERS):
            jt.train_member(model.get_layer(f"member{i}"), x_fit, y_fit, dc.NUM_CLASSES, args.epochs, seed=i)
        print(f"trained {dc.NUM_MEMBERS} members on {len(y_fit)} clean images "
              f"({len(splits['fit'][1])} digits) x {args.epochs} epochs in {time.time() - start:.0f}s", flush=True)

    judge.set_temperature(model, 1.0)
    x_cal, y_cal = splits["calibration"]
    cal_images, cal_targets = jt.calibration_set(dc.to_input_size(x_cal).numpy(), y_cal, dc.NUM_CLASSES, args.calibrate_on)
    logits = model.predict(cal_images, verbose=0)[1]
    clean = judge.calibration_report(logits[:len(y_cal)], y_cal)
    temperature = judge.fit_temperature(logits, cal_targets)
    judge.set_temperature(model, temperature)
    print(f"calibration split ({len(y_cal)} digits; fitted on {args.calibrate_on}, {len(cal_targets)} "
          f"images): temperature {temperature:.4f} (at T = 1 its digits had confidence "
          f"{clean['mean_confidence']:.4f}, ECE {clean['ece']:.4f})")

    x_test, y_test = splits["test"]
    props = jt.evaluate_properties(model, dc.to_input_size(x_test).numpy(), y_test)
    print("held-out test split, 8x8 -> 16x16:\n" + jt.format_properties(props))
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
