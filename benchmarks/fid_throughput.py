"""Feature-extraction throughput of each extractor and the projected time of a 10k-image FID.

    .venv/bin/python benchmarks/fid_throughput.py [--image-size 32] [--inception-weights PATH]

Timing uses random images of the given size (resizing to the extractor's input is part of
the measured work). Inception runs with ImageNet weights when Keras has them cached or
--inception-weights is given, otherwise with random weights - the network's cost is the
same, only the features are meaningless, which does not matter for timing. The projection
counts extracting `--fid-samples` generated plus as many real images (real statistics are
cached after the first run, which halves it) and the float64 sqrtm of the covariance
product; sampling the generator is not included. Not run by the tests.
"""
import argparse
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

from tfgan_zoo.errors import UserError  # noqa: E402
from tfgan_zoo.metrics.features import DigitsExtractor, InceptionExtractor  # noqa: E402
from tfgan_zoo.metrics.fid import frechet_distance  # noqa: E402


def build_inception(weights_path):
    try:
        return InceptionExtractor(weights_path=weights_path), "imagenet weights"
    except UserError as exc:
        print(f"  ({exc.args[0].split(';')[0]}; timing with random weights instead)")
        return InceptionExtractor(weights=None), "random weights (timing only)"


def images_per_second(extractor, images, batch_size):
    extractor(images[:batch_size], batch_size=batch_size)  # trace and warm up
    start = time.perf_counter()
    extractor(images, batch_size=batch_size)
    return len(images) / (time.perf_counter() - start)


def sqrtm_seconds(dim, rng):
    a = rng.normal(size=(2 * dim, dim))
    b = rng.normal(size=(2 * dim, dim)) + 0.1
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    start = time.perf_counter()
    frechet_distance(a.mean(0), s1, b.mean(0), s2)
    return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--image-size", type=int, default=32)
    parser.add_argument("--channels", type=int, default=3)
    parser.add_argument("--fid-samples", type=int, default=10000)
    parser.add_argument("--inception-weights", default=None)
    parser.add_argument("--inception-images", type=int, default=96)
    parser.add_argument("--digits-images", type=int, default=4096)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    shape = (args.image_size, args.image_size, args.channels)
    print(f"{os.cpu_count()} CPU cores visible; images {shape}; "
          f"projection for {args.fid_samples} generated + {args.fid_samples} real images")
    setups = [("digits", lambda: (DigitsExtractor(), "shipped weights"), args.digits_images, 256),
              ("inception", lambda: build_inception(args.inception_weights),
               args.inception_images, 32)]
    for name, build, count, batch_size in setups:
        start = time.perf_counter()
        extractor, weights = build()
        built = time.perf_counter() - start
        images = rng.uniform(-1, 1, (count, *shape)).astype(np.float32)
        rate = images_per_second(extractor, images, batch_size)
        fd = sqrtm_seconds(extractor.feature_dim, rng)
        full = 2 * args.fid_samples / rate + fd
        cached = args.fid_samples / rate + fd
        print(f"{name:>9} ({weights}): {rate:8.1f} images/s over {count} images, batch {batch_size}; "
              f"model build {built:.1f}s; Frechet distance ({extractor.feature_dim}-d) {fd:.2f}s")
        print(f"{'':>9}  projected FID-{args.fid_samples // 1000}k: {full / 60:.1f} min "
              f"({cached / 60:.1f} min with cached real statistics)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
