"""The zoo page (docs/zoo/) in real headless Chromium: served by `python -m http.server` from the
repository root as `make page` does, every entry listed, every entry with a TF.js model
generated through its own "generate" control, and the canvas equal to the SavedModel's
images_uint8 for the inputs the page fed (within one grey level: float rounding at a .5)."""
import json
import os
import socket
import subprocess
import sys
import time

import numpy as np
import pytest
import tensorflow as tf

from tests.formats.conftest import EXPORTS, ROOT
from tfgan_zoo.formats import pure
from tfgan_zoo.formats.runtimes import NODE_DIR


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def page_results(formats_report, tmp_path_factory):
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind",
                               "127.0.0.1"], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        out = tmp_path_factory.mktemp("page") / "page.json"
        run = subprocess.run(["node", os.path.join(NODE_DIR, "page_check.mjs"),
                              f"http://127.0.0.1:{port}/docs/zoo/?backend=cpu", str(out)],
                             cwd=NODE_DIR, capture_output=True, text=True, timeout=900)
        assert run.returncode == 0, run.stderr[-3000:]
        with open(out, encoding="utf-8") as fh:
            return json.load(fh)
    finally:
        server.terminate()
        server.wait(10)


@pytest.mark.large
def test_the_page_lists_every_entry_and_runs_in_chromium(page_results):
    assert page_results["browser"].startswith("1"), page_results["browser"]
    assert page_results["listed"] == sorted(os.listdir(EXPORTS)) or \
        sorted(page_results["listed"]) == sorted(d for d in os.listdir(EXPORTS)
                                                 if os.path.isdir(os.path.join(EXPORTS, d)))
    assert not page_results["errors"], page_results["errors"]


@pytest.mark.large
def test_every_tfjs_entry_generates_what_the_saved_model_does(formats_report, page_results):
    runnable = [n for n, e in formats_report.items() if "bytes" in e.get("tfjs", {})]
    assert sorted(page_results["entries"]) == sorted(runnable)
    for name, result in page_results["entries"].items():
        assert "error" not in result, (name, result)
        path = os.path.join(EXPORTS, name, "1")
        card = pure.read_card_of(path)
        sig = tf.saved_model.load(path).signatures[pure.endpoint_name(card)]
        back = {v: k for k, v in pure.RENAMED.items()}
        feed = {back.get(k, k): tf.constant(np.asarray(v["data"], v["dtype"]).reshape(v["shape"]))
                for k, v in result["inputs"].items()}
        want = sig(**feed)["images_uint8"].numpy()[0].astype(int)
        if want.shape[-1] == 1:
            want = np.repeat(want, 3, axis=-1)
        got = np.asarray(result["rgb"]).reshape(result["height"], result["width"], 3)
        assert got.shape == want.shape, (name, got.shape, want.shape)
        assert np.max(np.abs(got - want)) <= 1, (name, np.max(np.abs(got - want)))
        assert got.std() > 1, f"{name}: a blank canvas"
        if "labels" in result["inputs"]:  # the control chose the last class, not the default 0
            assert result["inputs"]["labels"]["data"] == [card["num_classes"] - 1], name
