"""`train.precision: auto`: the recommended precision from the hardware (tfgan_zoo/precision.py)."""
import keras
import pytest

from tests.testing import tiny_config
from tfgan_zoo import precision
from tfgan_zoo.errors import ConfigError
from tfgan_zoo.train import train

X86 = "processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu sse2 avx2 avx512f {extra}\n\n"
ARM = "processor\t: 0\nFeatures\t: fp asimd {extra}\nCPU implementer\t: 0x41\n"


@pytest.mark.parametrize("text,extra,expected", [
    (X86, "avx512_bf16 avx512_vnni", "mixed_bfloat16"),
    (X86, "amx_bf16 amx_tile", "mixed_bfloat16"),
    (X86, "avx512_vnni", "float32"),
    (ARM, "sve bf16 i8mm", "mixed_bfloat16"),
    (ARM, "sve", "float32"),
])
def test_cpu_recommendation_from_cpuinfo(tmp_path, text, extra, expected):
    path = tmp_path / "cpuinfo"
    path.write_text(text.format(extra=extra))
    flags = precision.cpu_flags(str(path))
    assert "avx512_bf16" not in flags or "avx512_bf16" in extra
    assert precision.recommend(tpu=False, gpu_capabilities=[], flags=flags) == expected


def test_accelerator_recommendations():
    assert precision.recommend(tpu=True) == "mixed_bfloat16"
    assert precision.recommend(tpu=False, gpu_capabilities=[(8, 0)]) == "mixed_bfloat16"
    assert precision.recommend(tpu=False, gpu_capabilities=[(9, 0), (7, 5)]) == "mixed_float16"
    assert precision.cpu_flags("/nonexistent/cpuinfo") == frozenset()


def test_auto_trains_with_the_recommended_policy(tmp_path):
    try:
        result = train(tiny_config("dcgan", {"train": {"precision": "auto"}}), str(tmp_path))
        expected = precision.recommend()
        assert keras.mixed_precision.global_policy().name == expected
        layer = result.model.generator.layers[1]
        assert layer.compute_dtype == {"float32": "float32", "mixed_float16": "float16",
                                       "mixed_bfloat16": "bfloat16"}[expected]
        assert layer.variable_dtype == "float32"
        loss_scaled = isinstance(result.model.g_optimizer, keras.optimizers.LossScaleOptimizer)
        assert loss_scaled == (expected == "mixed_float16")
    finally:
        keras.mixed_precision.set_global_policy("float32")
    with pytest.raises(ConfigError, match="auto"):
        tiny_config("dcgan", {"train": {"precision": "bf16"}})
    with pytest.raises(ValueError):
        precision.resolve("bf16")
