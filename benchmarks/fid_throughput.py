"""Feature-extraction throughput, MFU against the matmul peak of the same precision, the FID
difference between bf16 and float32 features of the same images, and projected FID-10k times.

    .venv/bin/python benchmarks/fid_throughput.py [--rounds 5] [--images 96] [--fid-images 1000]
        [--inception-weights PATH]

Interleaved contenders (benchmarks/timing.py), each timed on the same `--images` random
images of --image-size, resizing to 299 included:
  inception keras fp32    Keras InceptionV3 as it is, in one tf.function (the extractor before)
  inception fp32          tfgan_zoo's extractor: batch norm folded into the convolutions
  inception bf16          the same in bfloat16 (`InceptionExtractor(precision="bfloat16")`)
  matmul fp32 / bf16      a 2048 x 2048 matmul: the peaks the MFU is computed against
FID difference: FID between --fid-images bundled digits (16 px, tiled to RGB) and as many
images from the shipped dcgan_digits export, with each Inception contender's features; and the
FID between two halves of the digits, for the scale of sampling noise. Inception runs with
ImageNet weights when Keras has them cached or --inception-weights is given, otherwise with
random weights (said in the output: then the FIDs measure the numerical effect of bf16 on this
network, not a published-comparable score). The FID-10k projection counts 10k generated + 10k
real images at the best measured rate (real statistics cached: the generated half only) and the
float64 sqrtm. Not run by the tests.
"""
import argparse
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

from benchmarks import timing  # noqa: E402
from tfgan_zoo.errors import UserError  # noqa: E402
from tfgan_zoo.metrics.features import (DigitsExtractor, InceptionExtractor,  # noqa: E402
                                        resolve_inception_weights)
from tfgan_zoo.metrics.fid import StreamingMoments, fid_from_moments, frechet_distance  # noqa: E402

EXPORT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "exports",
                      "dcgan_digits")


class KerasInception(InceptionExtractor):
    """The extractor as it was: the Keras network as built (batch norm unfolded), float32."""

    def __init__(self, weights="imagenet", weights_path=None, batch_size=32, precision="float32"):
        import keras
        import tensorflow as tf
        self.batch_size, self.precision = batch_size, precision
        path = resolve_inception_weights(weights, weights_path)
        self._random, self.weights_source = path is None, path
        net = keras.applications.InceptionV3(include_top=True, weights=None,
                                             classifier_activation=None)
        if path is not None:
            net.load_weights(path)
        self.model = keras.Model(net.inputs, [net.get_layer("avg_pool").output,
                                              net.get_layer("predictions").output])
        spec = tf.TensorSpec([None, None, None, 3], tf.float32)
        self._graph = tf.function(self._graph_forward, input_signature=[spec])


def build_inceptions(weights_path):
    """The three Inception contenders, with the same weights (ImageNet, else seeded random)."""
    import keras
    try:
        kwargs = {"weights_path": resolve_inception_weights("imagenet", weights_path)}
        weights = "imagenet weights"
    except UserError as exc:
        print(f"  ({exc.args[0].split(';')[0]}; random weights instead)")
        kwargs, weights = {"weights": None}, "RANDOM weights"
    out = {}
    for name, cls, precision in (("inception keras fp32", KerasInception, "float32"),
                                 ("inception fp32", InceptionExtractor, "float32"),
                                 ("inception bf16", InceptionExtractor, "bfloat16")):
        keras.utils.set_random_seed(0)  # the same random weights in every contender
        out[name] = cls(precision=precision, **kwargs)
    return out, weights


def gflop_per_image(model):
    """Multiply-adds x 2 of the convolutions and dense layers of a folded Inception."""
    total = 0
    for layer in model.layers:
        if hasattr(layer, "kernel") and len(layer.kernel.shape) == 4:
            _, h, w, _ = layer.output.shape
            kh, kw, cin, cout = layer.kernel.shape
            total += 2 * h * w * kh * kw * cin * cout
        elif hasattr(layer, "kernel") and len(layer.kernel.shape) == 2:
            total += 2 * layer.kernel.shape[0] * layer.kernel.shape[1]
    return total / 1e9


def rate_of(extractor, images, batch_size):
    extractor(images[:batch_size], batch_size=batch_size)  # trace and warm up

    def run():
        start = time.perf_counter()
        extractor(images, batch_size=batch_size, progress=False)
        return len(images) / (time.perf_counter() - start)
    return run


def fid_of(extractor, a, b, batch_size):
    moments = []
    for images in (a, b):
        m = StreamingMoments(extractor.feature_dim)
        m.update(extractor(images, batch_size=batch_size)["pool"])
        moments.append(m)
    return fid_from_moments(*moments)


def fid_images(n):
    """n bundled digits and n images of the shipped dcgan_digits export, 16 px, in [-1, 1]."""
    from tfgan_zoo.metrics.digits_report import real_digits
    from tfgan_zoo.metrics.sources import ExportSource
    real, _ = real_digits(16)
    rng = np.random.default_rng(0)
    real = real[rng.permutation(len(real))[:n]]
    fake = np.concatenate(list(ExportSource.open(EXPORT, seed=0).batches(100, len(real))))
    return real, fake


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--images", type=int, default=96, help="images per timed call")
    ap.add_argument("--image-size", type=int, default=32)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--fid-images", type=int, default=1000, help="0: skip the FID comparison")
    ap.add_argument("--fid-samples", type=int, default=10000, help="for the projection")
    ap.add_argument("--inception-weights", default=None)
    a = ap.parse_args(argv)
    print(timing.describe_machine())
    print(f"load average at start {timing.load_average():.2f}")
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (a.images, a.image_size, a.image_size, 3)).astype(np.float32)
    extractors, weights = build_inceptions(a.inception_weights)
    gflop = gflop_per_image(extractors["inception fp32"].model)
    runs = {name: rate_of(ex, images, a.batch_size) for name, ex in extractors.items()}
    runs["matmul fp32"] = timing.matmul_rate(dtype="float32")
    runs["matmul bf16"] = timing.matmul_rate(dtype="bfloat16")
    print(f"Inception ({weights}): {gflop:.2f} GFLOP per 299x299 image; {a.images} images of "
          f"{a.image_size} px per call, batch {a.batch_size}, {a.rounds} interleaved rounds")
    rates = timing.interleave(runs, a.rounds)
    peaks = {p: timing.best(rates[f"matmul {p}"]) for p in ("fp32", "bf16")}
    print(f"\nmatmul {timing.MATMUL_N}: fp32 best {peaks['fp32']:.0f} GFLOP/s, bf16 best "
          f"{peaks['bf16']:.0f} GFLOP/s")
    print("\n| extractor | best images/s | median | vs keras fp32 (best) | paired median | MFU |")
    print("|---|---|---|---|---|---|")
    ref = timing.best(rates["inception keras fp32"])
    for name in extractors:
        peak = peaks["bf16" if "bf16" in name else "fp32"]
        best = timing.best(rates[name])
        paired = timing.median(timing.paired_ratios(rates, name, "inception keras fp32"))
        print(f"| {name} | {best:.1f} | {timing.median(rates[name]):.1f} | {best / ref:.2f}x | "
              f"{paired:.2f}x | {100 * best * gflop / peak:.0f}% (of {peak:.0f} GFLOP/s) |")
    print(f"load average after timing {timing.load_average():.2f}")

    digits = DigitsExtractor()
    digits_rate = rate_of(digits, rng.uniform(-1, 1, (4096, 16, 16, 1)).astype(np.float32), 256)
    print(f"\ndigits extractor: {max(digits_rate() for _ in range(3)):.0f} images/s (best of 3)")
    sqrtm = time.perf_counter()
    x = rng.normal(size=(4096, 2048))
    s = np.cov(x, rowvar=False)
    frechet_distance(x.mean(0), s, x.mean(0) + 0.1, s + 0.01 * np.eye(2048))
    sqrtm = time.perf_counter() - sqrtm
    for name in ("inception fp32", "inception bf16"):
        r = timing.best(rates[name])
        full, cached = 2 * a.fid_samples / r + sqrtm, a.fid_samples / r + sqrtm
        print(f"projected FID-{a.fid_samples // 1000}k with {name}: {full / 60:.1f} min "
              f"({cached / 60:.1f} min with cached real statistics; sqrtm {sqrtm:.1f} s)")

    if a.fid_images:
        real, fake = fid_images(a.fid_images)
        half = len(real) // 2
        print(f"\nFID, {len(real)} digits vs {len(fake)} dcgan_digits samples ({weights}):")
        fids = {}
        for name, ex in extractors.items():
            start = time.perf_counter()
            fids[name] = fid_of(ex, real, fake, a.batch_size)
            split = fid_of(ex, real[:half], real[half:], a.batch_size)
            print(f"  {name}: FID {fids[name]:.4f}; digits half vs half {split:.4f} "
                  f"({time.perf_counter() - start:.0f} s)")
        d = fids["inception bf16"] - fids["inception fp32"]
        print(f"  bf16 - fp32 = {d:+.4f} ({100 * d / fids['inception fp32']:+.3f} %); folded "
              f"fp32 - keras fp32 = {fids['inception fp32'] - fids['inception keras fp32']:+.2e}")
    print(f"load average at end {timing.load_average():.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
