"""Honest timing on a shared machine: the machine's own limit, measured in the same run, and
contenders interleaved.

A single timing on a shared 2-core machine is meaningless: a run lands on one of two levels
depending on whether another process holds a core. So every benchmark here
  - measures the limit it divides by (a 2048 x 2048 matmul, per dtype, best of several) in the
    same process and rounds as the figures it divides,
  - runs its contenders in interleaved rounds (the order rotating each round), >= 5 rounds,
  - reports best and median per contender, and the per-round (paired) ratios,
  - prints the 1-minute load average before and after.
"""
import os
import statistics
import time

MATMUL_N = 2048


def load_average():
    try:
        return os.getloadavg()[0]
    except OSError:  # not on every platform
        return float("nan")


def matmul_rate(n=MATMUL_N, dtype="float32", reps=5):
    """A callable returning GFLOP/s of `reps` back-to-back n x n matmuls in `dtype` (2 n^3
    FLOPs each, multiply-add = 2), traced and warmed up once here."""
    import tensorflow as tf
    a = tf.cast(tf.random.normal((n, n), seed=1), dtype)
    b = tf.cast(tf.random.normal((n, n), seed=2), dtype)
    mm = tf.function(lambda a, b: tf.matmul(a, b))
    mm(a, b).numpy()

    def run():
        start = time.perf_counter()
        for _ in range(reps):
            out = mm(a, b)
        out.numpy()
        return reps * 2 * n ** 3 / (time.perf_counter() - start) / 1e9
    return run


def interleave(contenders, rounds, log=print):
    """Run each contender (name -> callable returning a rate) once per round, in an order
    rotated every round; {name: [rate per round]}."""
    names = list(contenders)
    rates = {name: [] for name in names}
    for r in range(rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        for name in order:
            rates[name].append(float(contenders[name]()))
        log(f"  round {r + 1}/{rounds} (load {load_average():.2f}): " +
            ", ".join(f"{name} {rates[name][-1]:.1f}" for name in names), flush=True)
    return rates


def best(values):
    return max(values)


def median(values):
    return statistics.median(values)


def paired_ratios(rates, a, b):
    """Per-round ratios rates[a][i] / rates[b][i] (a and b ran in the same round)."""
    return [x / y for x, y in zip(rates[a], rates[b])]


def describe_machine():
    """One line: cores, the CPU's bf16 support, TF / Keras versions, GPUs."""
    import keras
    import tensorflow as tf

    from tfgan_zoo.precision import cpu_has_bf16, recommend
    gpus = tf.config.list_logical_devices("GPU")
    device = gpus[0].name if gpus else f"CPU ({os.cpu_count()} cores)"
    return (f"device {device}; bf16 instructions: {'yes' if cpu_has_bf16() else 'no'}; "
            f"recommended precision {recommend()}; TF {tf.__version__}, Keras {keras.__version__}")
