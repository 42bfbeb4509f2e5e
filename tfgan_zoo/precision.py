"""The training precision: `train.precision: auto` picks the fastest one the hardware runs well.

- TPU: mixed_bfloat16 (bf16 matrix units; float16 is not supported there).
- GPU: mixed_bfloat16 from compute capability 8.0 (Ampere and later: bf16 tensor cores, and no
  loss scaling needed), mixed_float16 before (Volta / Turing have float16 tensor cores only).
- CPU: mixed_bfloat16 when the CPU has bf16 dot-product instructions (x86 flags avx512_bf16
  or amx_bf16 in /proc/cpuinfo; Arm bf16 / "bf16" feature), float32 otherwise (without them
  bf16 is emulated and slower than float32).

Measured on a 2-core AMD EPYC with avx512_bf16 (benchmarks/train_throughput.py, README): a 2048
matmul runs ~1.8x faster in bf16 than in float32, and so does most of a DCGAN step. Under a
mixed policy the variables, the optimizer, losses, penalties and the EMA stay float32; only
the layers compute in bf16 (tfgan_zoo's networks return float32 outputs).

Keras has no such choice built in (`keras.mixed_precision` sets a policy, it does not pick one),
hence this module.
"""
import functools
import os

PRECISIONS = ("float32", "mixed_float16", "mixed_bfloat16")
CHOICES = PRECISIONS + ("auto",)
_CPU_BF16_FLAGS = ("avx512_bf16", "amx_bf16", "bf16")


def cpu_flags(path="/proc/cpuinfo"):
    """The CPU feature flags of the first processor ("flags" on x86, "Features" on Arm); an
    empty set where /proc/cpuinfo does not exist."""
    if not os.path.exists(path):
        return frozenset()
    with open(path) as f:
        for line in f:
            key, _, value = line.partition(":")
            if key.strip() in ("flags", "Features"):
                return frozenset(value.split())
    return frozenset()


def cpu_has_bf16(flags=None):
    flags = cpu_flags() if flags is None else flags
    return any(f in flags for f in _CPU_BF16_FLAGS)


def _gpu_capabilities():
    import tensorflow as tf
    out = []
    for gpu in tf.config.list_physical_devices("GPU"):
        details = tf.config.experimental.get_device_details(gpu)
        out.append(tuple(details.get("compute_capability") or (0, 0)))
    return out


def recommend(tpu=None, gpu_capabilities=None, flags=None):
    """The recommended precision policy name for this machine (arguments override detection,
    for tests): see the module docstring."""
    if tpu is None:
        import tensorflow as tf
        tpu = bool(tf.config.list_logical_devices("TPU"))
    if tpu:
        return "mixed_bfloat16"
    caps = _gpu_capabilities() if gpu_capabilities is None else gpu_capabilities
    if caps:
        return "mixed_bfloat16" if min(caps) >= (8, 0) else "mixed_float16"
    return "mixed_bfloat16" if cpu_has_bf16(flags) else "float32"


@functools.lru_cache(maxsize=1)
def _recommended():
    return recommend()


def resolve(precision):
    """A policy name for `train.precision` ("auto" -> `recommend()`)."""
    if precision not in CHOICES:
        raise ValueError(f"precision must be one of {CHOICES}, got {precision!r}")
    return _recommended() if precision == "auto" else precision
