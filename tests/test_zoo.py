"""The zoo: every registered family ships a trained export that plain TensorFlow loads, whose
card matches the catalogue, with its picture and the figures a card promises."""
import glob
import os

import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo.export import read_card
from tfgan_zoo.export_catalog import GRID, find_exports
from tfgan_zoo.metrics.features import get_extractor
from tfgan_zoo.metrics.zoo_bar import bar_shortfalls
from tfgan_zoo.registry import FAMILIES

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXPORTS = os.path.join(REPO, "exports")
TEST_ONLY = {"toy_triple"}  # tests/toy_family.py
SHIPPED = {row["name"]: row for row in find_exports(EXPORTS)}
MAX_MB = 5.0  # scripts/build_zoo_exports.py --max-mb; an entry may declare a larger "max_mb"


def _max_bytes(name):
    import ast
    path = os.path.join(REPO, "scripts", "zoo_entries", f"{name}.py")
    entry = {}
    if os.path.isfile(path):  # the ENTRY literal, read without importing the entry's helpers
        with open(path, encoding="utf-8") as fh:
            for node in ast.parse(fh.read()).body:
                if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["ENTRY"]:
                    entry = ast.literal_eval(node.value)
    return max(MAX_MB, entry.get("max_mb", 0)) * 1e6


JUDGES = {"digits": "digits", "mnist": "mnist"}  # the judge of each data set's figures


@pytest.mark.parametrize("family", [f for f in FAMILIES.names() if f not in TEST_ONLY])
def test_every_family_ships_an_export(family):
    rows = [row for row in SHIPPED.values() if row["card"].get("family") == family]
    assert rows, f"no exports/{family}_<data>/1: run python scripts/build_zoo_exports.py"
    for row in rows:
        assert row["name"].startswith(f"{family}_"), row["name"]
        limit = _max_bytes(row["name"])
        assert row["size_bytes"] <= limit, f"{row['name']} is {row['size_bytes'] / 1e6:.1f} MB > {limit / 1e6} MB"


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_export_loads_with_plain_tensorflow_and_keeps_its_promises(name):
    row = SHIPPED[name]
    card = row["card"]
    loaded = tf.saved_model.load(row["path"])
    assert set(loaded.signatures) == set(card["signatures"])
    for key in ("family", "config", "data", "steps", "train_seconds", "command", "signatures",
                "output_shape"):
        assert card.get(key) is not None, f"{name}: card has no {key}"
    assert card["command"] == f"python scripts/build_zoo_exports.py {name}"
    assert os.path.isfile(os.path.join(row["path"], "assets", GRID)), f"{name}: no picture"
    if "sample" in loaded.signatures:
        images = loaded.signatures["sample"](num=tf.constant(4), seed=tf.constant(0, tf.int64))
        images = images["images"].numpy()
        assert list(images.shape[1:]) == card["output_shape"] and np.all(np.isfinite(images))
    if card["data"]["name"] in JUDGES and card["export_kind"] == "generate":
        metrics = card["metrics"]
        assert metrics["fid"]["real_split"] > 0, f"{name}: fid has no real-vs-real baseline"
        # KID is unbiased: two real sets may score just below 0
        assert isinstance(metrics["kid"]["real_split"], float), f"{name}: kid has no real-vs-real baseline"
        assert {"precision", "recall"} <= set(metrics["precision_recall"])
        assert len(metrics["classifier"]["class_histogram"]) == 10
        j = metrics["judge"]  # the calibrated judge on the export's own sample signature
        judge = JUDGES[card["data"]["name"]]
        assert metrics["fid"]["extractor"] == metrics["classifier"]["extractor"] == judge
        assert j["judge"] == get_extractor(judge).cache_tag, f"{name}: judged by an older judge"
        assert j["shortfalls"] == bar_shortfalls(j)
        misses = (j["confidence"] < 0.90 or j["classes"] < 10 or j["largest_share"] > 0.15
                  or not 0.6 <= j["sharpness"] <= 1.5 or j.get("accuracy", 1.0) < 0.95)
        assert misses == bool(j["shortfalls"])
        assert any(n.startswith("Below the zoo's bar" if misses else "Meets the zoo's bar")
                   for n in card.get("notes", [])), f"{name}: the card must say how it stands to the bar"


def test_every_zoo_entry_is_shipped():
    entries = {os.path.splitext(os.path.basename(p))[0]
               for p in glob.glob(os.path.join(REPO, "scripts", "zoo_entries", "*.py"))} - {"__init__"}
    assert entries <= set(SHIPPED), f"built by scripts/build_zoo_exports.py but not shipped: " \
                                    f"{sorted(entries - set(SHIPPED))}"
    assert read_card(os.path.join(EXPORTS, "dcgan_digits"))["family"] == "dcgan"
