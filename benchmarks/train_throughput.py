"""Train-step throughput of tfgan_zoo's DCGAN vs the keras.io-style and PyTorch references.

Not a test. Prints images/s (real images per training step x steps / s) and ratios, MFU
(model FLOPs/s / the matmul peak measured in this run), input-pipeline throughput vs what
training consumes, SavedModel `generate` latency vs the in-process Keras call, and a
breakdown of one step by timing G / D forward and forward+backward separately.

Our config is matched to benchmarks/reference/keras_io_dcgan.py: dcgan_generator /
dcgan_discriminator with latent_dim=64, image_size=32, channels=1, base_filters=64,
min_size=4, kernel_size=4, norm=batch (same layers, filters, biases and parameter counts);
Adam(1e-4, beta_1=0.9). Remaining differences: our BatchNorm is synchronized=True
(momentum 0.9 / eps 1e-5), N(0, 0.02) initialisers, D is called on real and fake separately
(the reference concatenates them), and our noise is drawn by the stateless per-step scheme.

FLOPs per step (multiply-add = 2): D step = G fwd (B) + 3 x D fwd (2B); G step = 3 x (G fwd +
D fwd) (B); i.e. B x (4 G_f + 9 D_f), with backward = 2 x forward.

    python -m benchmarks.train_throughput --steps 30 --batch-size 64
"""
import argparse
import os
import sys
import tempfile
import time

import numpy as np
import tensorflow as tf
import keras

from benchmarks.reference import keras_io_dcgan, torch_dcgan
from tfgan_zoo.config import from_dict

TARGETS = {"keras": 1.5, "torch": 1.2, "pipeline": 10.0, "savedmodel": 1.1}


def our_config(batch, jit):
    return from_dict({"family": "dcgan",
                      "data": {"name": "digits", "image_size": 32, "channels": 1, "batch_size": batch},
                      "model": {"latent_dim": 64},
                      "generator": {"base_filters": 64, "min_size": 4, "kernel_size": 4},
                      "discriminator": {"base_filters": 64, "min_size": 4, "kernel_size": 4},
                      "train": {"g_learning_rate": 1e-4, "d_learning_rate": 1e-4, "beta_1": 0.9,
                                "strategy": "default", "jit_compile": jit, "verbose": 0}},
                     source="<benchmark>")


def build_ours(batch, jit):
    from tfgan_zoo.train import build_data, build_model
    cfg = our_config(batch, jit)
    ds, info = build_data(cfg)
    return cfg, ds, build_model(cfg, info, tf.distribute.get_strategy())


def time_fit(model, batch, steps, image_size=32, warmup=3):
    x = tf.random.uniform((batch, image_size, image_size, 1), -1.0, 1.0, seed=0)
    data = tf.data.Dataset.from_tensors(x).repeat()
    model.fit(data, epochs=1, steps_per_epoch=warmup, verbose=0)
    start = time.perf_counter()
    h = model.fit(data, epochs=1, steps_per_epoch=steps, verbose=0)
    elapsed = time.perf_counter() - start
    assert all(np.isfinite(v).all() for v in h.history.values()), h.history
    return steps * batch / elapsed


def layer_flops(net):
    total = 0
    for layer in net.layers:
        cfg = layer.get_config() if hasattr(layer, "get_config") else {}
        if isinstance(layer, keras.layers.Conv2DTranspose):
            _, h, w, cin = layer.input.shape
            total += 2 * h * w * cin * layer.filters * np.prod(layer.kernel_size)
        elif isinstance(layer, keras.layers.Conv2D):
            _, h, w, _ = layer.output.shape
            total += 2 * h * w * layer.input.shape[-1] * layer.filters * np.prod(layer.kernel_size)
        elif isinstance(layer, keras.layers.Dense):
            total += 2 * layer.input.shape[-1] * cfg["units"]
    return int(total)


def matmul_peak(n):
    a = tf.random.normal((n, n))
    b = tf.random.normal((n, n))
    mm = tf.function(lambda a, b: tf.matmul(a, b))
    mm(a, b).numpy()
    reps, best = 5, 0.0
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(reps):
            out = mm(a, b)
        out.numpy()
        best = max(best, reps * 2 * n ** 3 / (time.perf_counter() - start))
    return best


def timeit(fn, reps):
    fn()
    start = time.perf_counter()
    for _ in range(reps):
        out = fn()
    tf.nest.map_structure(lambda t: t.numpy() if hasattr(t, "numpy") else t, out)
    return (time.perf_counter() - start) / reps


def breakdown(gen, disc, batch, reps):
    """ms of G forward, D forward (batch), and each with its backward, as tf.functions."""
    z = tf.random.normal((batch, 64))
    x = tf.random.uniform((batch, 32, 32, 1), -1.0, 1.0)

    @tf.function
    def g_fwd():
        return gen(z, training=True)

    @tf.function
    def d_fwd():
        return disc(x, training=True)

    @tf.function
    def g_fwd_bwd():
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(gen(z, training=True))
        return tape.gradient(loss, gen.trainable_variables)

    @tf.function
    def d_fwd_bwd():
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(disc(x, training=True))
        return tape.gradient(loss, disc.trainable_variables)

    return {k: 1e3 * timeit(f, reps) for k, f in
            (("G fwd", g_fwd), ("D fwd", d_fwd), ("G fwd+bwd", g_fwd_bwd), ("D fwd+bwd", d_fwd_bwd))}


def pipeline_throughput(ds, batch, n):
    from tfgan_zoo.data import make_training_stream
    it = iter(make_training_stream(ds, batch, seed=0))
    next(it)
    start = time.perf_counter()
    for _ in range(n):
        next(it)
    return n * batch / (time.perf_counter() - start)


def savedmodel_latency(model, batch, reps):
    from tfgan_zoo.export import export_model
    gen = model.export_generator()
    z = tf.random.normal((batch, 64))
    with tempfile.TemporaryDirectory() as tmp:
        path = export_model(model, tmp, card={"benchmark": True})
        loaded = tf.saved_model.load(path)
        served = timeit(lambda: loaded.generate(z)["images"], reps)
    keras_call = timeit(lambda: gen(z, training=False), reps)
    fn = tf.function(lambda z: gen(z, training=False))
    keras_fn = timeit(lambda: fn(z), reps)
    return served, keras_call, keras_fn


def verdict(value, target):
    return "OK" if value >= target else "MISSED"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--matmul", type=int, default=0, help="matmul size for the peak (0: auto)")
    a = ap.parse_args(argv)
    b, steps = a.batch_size, a.steps
    gpus = tf.config.list_logical_devices("GPU")
    device = gpus[0].name if gpus else f"CPU ({os.cpu_count()} cores)"
    print(f"device {device}; TF {tf.__version__}, Keras {keras.__version__}; batch {b}, "
          f"32x32x1, {steps} timed steps after 3 warm-up steps")

    ref = keras_io_dcgan.build()
    ref_ips = time_fit(ref, b, steps)
    _, ds, ours = build_ours(b, jit=False)
    n_params = [sum(int(np.prod(v.shape)) for v in net.trainable_variables)
                for net in (ours.generator, ours.discriminator)]
    ref_params = [sum(int(np.prod(v.shape)) for v in net.trainable_variables)
                  for net in (ref.generator, ref.discriminator)]
    print(f"trainable params G/D: ours {n_params}, keras.io reference {ref_params}")
    ours_ips = time_fit(ours, b, steps)
    _, _, ours_xla = build_ours(b, jit=True)
    xla_ips = time_fit(ours_xla, b, steps)
    try:
        torch_ips = torch_dcgan.train_steps(steps, b)
    except ImportError as e:
        torch_ips = None
        print(f"torch reference skipped: {e}")

    g_f, d_f = layer_flops(ours.generator), layer_flops(ours.discriminator)
    step_flops = b * (4 * g_f + 9 * d_f)
    peak = matmul_peak(a.matmul or (8192 if gpus else 2048))
    print(f"model FLOPs: G fwd {g_f / 1e6:.1f} MFLOP/image, D fwd {d_f / 1e6:.1f} MFLOP/image, "
          f"train step {step_flops / 1e9:.2f} GFLOP; measured matmul peak {peak / 1e12:.3f} TFLOP/s")
    print("\n| model | images/s | vs keras.io | vs torch | MFU |")
    print("|---|---|---|---|---|")
    rows = [("keras.io-style reference", ref_ips), ("tfgan_zoo DCGAN", ours_ips),
            ("tfgan_zoo DCGAN, jit_compile", xla_ips)]
    if torch_ips:
        rows.append(("PyTorch eager reference", torch_ips))
    for name, ips in rows:
        mfu = ips / b * step_flops / peak
        vs_t = f"{ips / torch_ips:.2f}x" if torch_ips else "n/a"
        print(f"| {name} | {ips:.0f} | {ips / ref_ips:.2f}x | {vs_t} | {100 * mfu:.1f}% |")
    best = max(ours_ips, xla_ips)
    print(f"\ntarget >= {TARGETS['keras']}x keras.io: ours {ours_ips / ref_ips:.2f}x, "
          f"jit {xla_ips / ref_ips:.2f}x -> {verdict(best / ref_ips, TARGETS['keras'])}")
    if torch_ips:
        print(f"target >= {TARGETS['torch']}x PyTorch eager: ours {ours_ips / torch_ips:.2f}x, "
              f"jit {xla_ips / torch_ips:.2f}x -> {verdict(best / torch_ips, TARGETS['torch'])}")

    from tfgan_zoo.train import build_data
    cfg32 = our_config(b, False)
    ds32, _ = build_data(cfg32)
    pipe = pipeline_throughput(ds32, b, 200)
    print(f"input pipeline (make_training_stream, digits 32px): {pipe:.0f} images/s = "
          f"{pipe / best:.1f}x what the fastest training consumes ({best:.0f}/s); target >= "
          f"{TARGETS['pipeline']}x -> {verdict(pipe / best, TARGETS['pipeline'])}")

    served, keras_call, keras_fn = savedmodel_latency(ours, b, 50)
    print(f"generate latency, batch {b}: SavedModel {1e3 * served:.2f} ms, in-process Keras call "
          f"{1e3 * keras_call:.2f} ms (tf.function-wrapped {1e3 * keras_fn:.2f} ms); SavedModel/Keras "
          f"= {served / keras_call:.2f}x, target <= {TARGETS['savedmodel']}x -> "
          f"{'OK' if served / keras_call <= TARGETS['savedmodel'] else 'MISSED'}")

    print("\nbreakdown (ms per call, tf.function, batch "
          f"{b}; D is called on 2B in the D step of both models):")
    for name, (g, d) in (("ours", (ours.generator, ours.discriminator)),
                         ("keras.io", (ref.generator, ref.discriminator))):
        parts = breakdown(g, d, b, 20)
        print(f"  {name:9s} " + ", ".join(f"{k} {v:.2f}" for k, v in parts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
