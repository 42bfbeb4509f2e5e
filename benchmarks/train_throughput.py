"""Train-step throughput of tfgan_zoo's DCGAN against the keras.io idiom, with MFU against the
machine's own matmul peak of the same precision, all measured in the same interleaved rounds.

Not a test. Contenders (each built once, traced and warmed up, then timed once per round in
an order rotated every round; benchmarks/timing.py):
  keras.io fp32      benchmarks/reference/keras_io_dcgan.py, the idiom users write by hand
  keras.io bf16      the same under the mixed_bfloat16 policy
  ours fp32 / ours bf16     tfgan_zoo's DCGAN (`train.precision` float32 / mixed_bfloat16)
  ours bf16 xla      (--xla) the same with `train.jit_compile: true`
  torch fp32         (when torch is installed) benchmarks/reference/torch_dcgan.py
  matmul fp32 / bf16 a 2048 x 2048 matmul: the peak each precision's MFU is computed against

Our config is matched to the reference: dcgan_generator / dcgan_discriminator with
latent_dim=64, image_size=32, channels=1, base_filters=64, min_size=4, kernel_size=4,
norm=batch (same layers, filters, biases and parameter counts); Adam(1e-4, beta_1=0.9).
Remaining differences: our BatchNorm is synchronized=True (momentum 0.9 / eps 1e-5), N(0, 0.02)
initialisers, D is called on real and fake separately (it has batch norm; the reference
concatenates them), and our noise is drawn by the stateless per-step scheme.

images/s = real images per training step x steps / s. FLOPs per step (multiply-add = 2;
backward = 2 x forward): D step = G fwd (B) + 3 x D fwd (2B); G step = 3 x (G fwd + D fwd) (B);
i.e. B x (4 G_f + 9 D_f). MFU = FLOPs/s / best matmul GFLOP/s of the same precision.

    python -m benchmarks.train_throughput --rounds 5 --steps 20 --batch-size 64 [--extras]
"""
import argparse
import sys
import tempfile
import time

import keras
import numpy as np
import tensorflow as tf

from benchmarks import timing
from benchmarks.reference import keras_io_dcgan
from tfgan_zoo.config import from_dict

TARGET = 1.5  # ours bf16 vs the keras.io idiom in fp32, best of interleaved rounds


def our_config(batch, precision="float32", jit=False):
    return from_dict({"family": "dcgan",
                      "data": {"name": "digits", "image_size": 32, "channels": 1, "batch_size": batch},
                      "model": {"latent_dim": 64},
                      "generator": {"base_filters": 64, "min_size": 4, "kernel_size": 4},
                      "discriminator": {"base_filters": 64, "min_size": 4, "kernel_size": 4},
                      "train": {"g_learning_rate": 1e-4, "d_learning_rate": 1e-4, "beta_1": 0.9,
                                "strategy": "default", "jit_compile": jit, "verbose": 0,
                                "precision": precision}},
                     source="<benchmark>")


def with_policy(policy, fn):
    """fn() with the global Keras dtype policy set to `policy` (layers keep the policy they
    were built under), then float32 again."""
    keras.mixed_precision.set_global_policy(policy)
    try:
        return fn()
    finally:
        keras.mixed_precision.set_global_policy("float32")


def build_ours(batch, precision="float32", jit=False):
    from tfgan_zoo.train import build_data, build_model
    cfg = our_config(batch, precision, jit)
    _, info = build_data(cfg)
    return with_policy(precision, lambda: build_model(cfg, info, tf.distribute.get_strategy()))


def fit_rate(model, batch, steps, image_size=32, warmup=3):
    """A callable timing `steps` steps of model.fit on one constant batch -> images/s (the
    model is traced and warmed up here, once)."""
    x = tf.random.uniform((batch, image_size, image_size, 1), -1.0, 1.0, seed=0)
    data = tf.data.Dataset.from_tensors(x).repeat()
    model.fit(data, epochs=1, steps_per_epoch=warmup, verbose=0)

    def run():
        start = time.perf_counter()
        history = model.fit(data, epochs=1, steps_per_epoch=steps, verbose=0)
        elapsed = time.perf_counter() - start
        assert all(np.isfinite(v).all() for v in history.history.values()), history.history
        return steps * batch / elapsed
    return run


def layer_flops(net):
    total = 0
    for layer in net.layers:
        if isinstance(layer, keras.layers.Conv2DTranspose):
            _, h, w, cin = layer.input.shape
            total += 2 * h * w * cin * layer.filters * np.prod(layer.kernel_size)
        elif isinstance(layer, keras.layers.Conv2D):
            _, h, w, _ = layer.output.shape
            total += 2 * h * w * layer.input.shape[-1] * layer.filters * np.prod(layer.kernel_size)
        elif isinstance(layer, keras.layers.Dense):
            total += 2 * layer.input.shape[-1] * layer.units
    return int(total)


def count_params(nets):
    return [sum(int(np.prod(v.shape)) for v in net.trainable_variables) for net in nets]


def contenders(b, steps, xla):
    out = {}
    ref = keras_io_dcgan.build()
    out["keras.io fp32"] = fit_rate(ref, b, steps)
    ref16 = with_policy("mixed_bfloat16", keras_io_dcgan.build)
    out["keras.io bf16"] = fit_rate(ref16, b, steps)
    ours = build_ours(b)
    out["ours fp32"] = fit_rate(ours, b, steps)
    out["ours bf16"] = fit_rate(build_ours(b, "mixed_bfloat16"), b, steps)
    if xla:
        out["ours bf16 xla"] = fit_rate(build_ours(b, "mixed_bfloat16", jit=True), b, steps)
    try:
        from benchmarks.reference import torch_dcgan
        torch_model = torch_dcgan.build()
        torch_dcgan.train_steps(2, b, model=torch_model)
        out["torch fp32"] = lambda: torch_dcgan.train_steps(steps, b, model=torch_model, warmup=0)
    except ImportError as e:
        print(f"torch reference skipped: {e}")
    out["matmul fp32"] = timing.matmul_rate(dtype="float32")
    out["matmul bf16"] = timing.matmul_rate(dtype="bfloat16")
    print(f"trainable params G/D: ours {count_params((ours.generator, ours.discriminator))}, "
          f"keras.io {count_params((ref.generator, ref.discriminator))}")
    return out, ours


def report(rates, b, step_flops):
    peaks = {p: timing.best(rates[f"matmul {p}"]) for p in ("fp32", "bf16")}
    print(f"\nmatmul {timing.MATMUL_N}: fp32 best {peaks['fp32']:.0f} GFLOP/s (median "
          f"{timing.median(rates['matmul fp32']):.0f}), bf16 best {peaks['bf16']:.0f} GFLOP/s "
          f"(median {timing.median(rates['matmul bf16']):.0f}); train step "
          f"{step_flops / 1e9:.2f} GFLOP")
    print("\n| contender | best images/s | median | best / keras.io fp32 best | paired ratio "
          "median | MFU (best, own precision's peak) |")
    print("|---|---|---|---|---|---|")
    ref_best = timing.best(rates["keras.io fp32"])
    for name, values in rates.items():
        if name.startswith("matmul"):
            continue
        peak = peaks["bf16" if "bf16" in name else "fp32"]
        mfu = timing.best(values) / b * step_flops / 1e9 / peak
        paired = timing.median(timing.paired_ratios(rates, name, "keras.io fp32"))
        print(f"| {name} | {timing.best(values):.0f} | {timing.median(values):.0f} | "
              f"{timing.best(values) / ref_best:.2f}x | {paired:.2f}x | {100 * mfu:.0f}% "
              f"(of {peak:.0f} GFLOP/s) |")
    ratio = timing.best(rates["ours bf16"]) / ref_best
    print(f"\ntarget: ours bf16 >= {TARGET}x keras.io fp32 (best of interleaved rounds): "
          f"{ratio:.2f}x -> {'OK' if ratio >= TARGET else 'MISSED'}")


def extras(ours, b):
    """Input pipeline throughput and SavedModel generate latency (not interleaved)."""
    from tfgan_zoo.data import make_training_stream
    from tfgan_zoo.export import export_model
    from tfgan_zoo.train import build_data
    ds, _ = build_data(our_config(b))
    it = iter(make_training_stream(ds, b, seed=0))
    next(it)
    start = time.perf_counter()
    for _ in range(200):
        next(it)
    print(f"input pipeline (make_training_stream, digits 32px): "
          f"{200 * b / (time.perf_counter() - start):.0f} images/s")

    def timeit(fn, reps=30):
        fn()
        start = time.perf_counter()
        for _ in range(reps):
            out = fn()
        np.asarray(out)
        return (time.perf_counter() - start) / reps

    gen, z = ours.export_generator(), tf.random.normal((b, 64))
    with tempfile.TemporaryDirectory() as tmp:
        loaded = tf.saved_model.load(export_model(ours, tmp, card={"benchmark": True}))
        served = timeit(lambda: loaded.generate(z)["images"])
    call = timeit(lambda: gen(z, training=False))
    print(f"generate latency, batch {b}: SavedModel {1e3 * served:.1f} ms, in-process Keras "
          f"call {1e3 * call:.1f} ms ({served / call:.2f}x)")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--steps", type=int, default=20, help="timed steps per contender per round")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--xla", action="store_true", help="also time ours bf16 with jit_compile")
    ap.add_argument("--extras", action="store_true",
                    help="also input-pipeline throughput and SavedModel latency")
    a = ap.parse_args(argv)
    b = a.batch_size
    print(timing.describe_machine())
    print(f"batch {b}, 32x32x1, {a.steps} timed steps per contender per round, {a.rounds} "
          f"interleaved rounds; load average at start {timing.load_average():.2f}")
    runs, ours = contenders(b, a.steps, a.xla)
    step_flops = b * (4 * layer_flops(ours.generator) + 9 * layer_flops(ours.discriminator))
    rates = timing.interleave(runs, a.rounds)
    report(rates, b, step_flops)
    print(f"load average at end {timing.load_average():.2f}")
    if a.extras:
        extras(ours, b)
    return 0


if __name__ == "__main__":
    sys.exit(main())
