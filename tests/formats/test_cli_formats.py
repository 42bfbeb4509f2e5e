"""`tfgan-zoo export PATH --format ...` on an export: the file beside the SavedModel, checked;
mistakes are one line and exit 2."""
import os
import shutil

import pytest

from tests.formats.conftest import EXPORTS
from tfgan_zoo.cli import main


@pytest.fixture
def export_copy(tmp_path):
    target = tmp_path / "dcgan_digits"
    shutil.copytree(os.path.join(EXPORTS, "dcgan_digits"), target,
                    ignore=shutil.ignore_patterns("model*", "tfjs"))
    return target


def test_export_format_onnx_writes_and_checks(export_copy, capsys):
    assert main(["export", str(export_copy), "--format", "onnx"]) == 0
    out = capsys.readouterr().out
    assert (export_copy / "1" / "model.onnx").is_file()
    assert "onnx -> " in out and "max abs difference to the SavedModel" in out


def test_export_format_tflite_quantized(export_copy, capsys):
    assert main(["export", str(export_copy / "1"), "--format", "tflite", "--quantize"]) == 0
    out = capsys.readouterr().out
    assert (export_copy / "1" / "model.tflite").is_file()
    assert (export_copy / "1" / "model.dynamic_range.tflite").is_file()
    assert "tflite_dynamic_range -> " in out


def test_quantize_other_format_is_one_line(export_copy, capsys):
    assert main(["export", str(export_copy), "--format", "onnx", "--quantize"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "tfgan-zoo: error: --quantize applies to --format tflite only"


def test_unknown_format_is_refused_by_the_parser(export_copy, capsys):
    with pytest.raises(SystemExit) as e:
        main(["export", str(export_copy), "--format", "coreml"])
    assert e.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
