"""The public API (tfgan_zoo/__init__.py): light to import, every name resolves, and the README's
ten-line notebook example runs as written (with a shorter run and temporary paths)."""
import os
import re
import subprocess
import sys

import numpy as np

import tfgan_zoo

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_importing_the_package_does_not_import_tensorflow():
    code = "import sys, tfgan_zoo; assert 'tensorflow' not in sys.modules, 'tensorflow imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_every_public_name_resolves():
    for name in tfgan_zoo.__all__:
        assert getattr(tfgan_zoo, name) is not None, name
    assert "dcgan" in tfgan_zoo.FAMILIES.names()
    try:
        tfgan_zoo.no_such_thing
    except AttributeError as e:
        assert "no_such_thing" in str(e)


def test_the_readme_example_runs(tmp_path):
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as fh:
        readme = fh.read()
    code = re.search(r"<!-- the api example[^>]*-->\n```python\n(.*?)```", readme, re.S).group(1)
    assert len(code.strip().splitlines()) <= 11
    code = code.replace("train.steps_per_epoch=300", "train.steps_per_epoch=2")
    code = code.replace('"runs/', f'"{tmp_path}/runs/')
    env = {}
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        exec(compile(code, "README.md", "exec"), env)
    finally:
        os.chdir(cwd)
    assert env["images"].shape == (16, 16, 16, 1) and np.abs(env["images"]).max() <= 1.0
    assert env["shipped"].shape[0] == 16
    assert os.path.isfile(os.path.join(tmp_path, "runs", "notebook_exports", "dcgan", "1", "saved_model.pb"))


def test_a_zoo_name_that_does_not_exist_is_one_line():
    import pytest
    from tfgan_zoo.errors import RunDirError
    with pytest.raises(RunDirError, match="no export 'dcgan_digit'.*did you mean 'dcgan_digits'"):
        tfgan_zoo.load_export("dcgan_digit")


def test_train_and_export_are_the_api_functions_and_still_their_modules():
    import tfgan_zoo.export  # noqa: F401  (importing the submodules must not shadow the functions)
    import tfgan_zoo.train as train_module
    from tfgan_zoo.api import export_path
    assert callable(tfgan_zoo.train) and callable(tfgan_zoo.export)
    assert train_module.build_data is tfgan_zoo.train.build_data
    assert tfgan_zoo.export.read_card(export_path("dcgan_digits"))["family"] == "dcgan"
