"""Test-wide set-up: quiet TF logs, two logical CPU devices for distribution tests, and the test
tiers.

Tiers (as in keras-hub's conftest): a test marked `@pytest.mark.large` (the harness's resume /
replica / precision items, full-width config trainings, subprocess-heavy runs) is skipped unless
pytest runs with `--run-large`. `make test-fast` is the suite without them, `make test` (what CI
runs) everything."""
import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import tensorflow as tf  # noqa: E402

_cpus = tf.config.list_physical_devices("CPU")
try:
    tf.config.set_logical_device_configuration(
        _cpus[0], [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()])
except RuntimeError:  # devices already initialised by an earlier import
    pass

import tests.toy_family  # noqa: E402,F401  (registers the all-capabilities test family "toy_triple")


def pytest_addoption(parser):
    parser.addoption("--run-large", action="store_true", default=False,
                     help="also run the tests marked large (what `make test` and CI do)")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "large: slow test (long training or subprocesses); skipped unless --run-large")
    # tests/test_families.py keeps a family's items on one pytest-xdist worker (--dist loadgroup);
    # registered here too so that the suite collects with --strict-markers without xdist
    config.addinivalue_line("markers", "xdist_group(name): run under pytest-xdist on one worker")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-large"):
        return
    skip_large = pytest.mark.skip(reason="large test: run with --run-large")
    for item in items:
        if item.get_closest_marker("large") is not None:
            item.add_marker(skip_large)
