"""Both translation families train from the CLI on `unpaired:` folders, and export from the run."""
import json
import os

import numpy as np
import pytest
import tensorflow as tf

from tests.data.test_folder import save
from tfgan_zoo.cli import main

SMALL = {
    "cyclegan": ["g_ab.base_filters=4", "g_ba.base_filters=4", "g_ab.num_blocks=1", "g_ba.num_blocks=1",
                 "d_a.base_filters=4", "d_b.base_filters=4", "d_a.n_layers=1", "d_b.n_layers=1"],
    "stargan": ["generator.base_filters=4", "generator.num_blocks=1", "discriminator.base_filters=4",
                "discriminator.n_layers=2", "model.n_critic=2"],
}


@pytest.mark.parametrize("family", ["cyclegan", "stargan"])
def test_trains_on_unpaired_folders_and_exports(family, tmp_path):
    rng = np.random.default_rng(0)
    for domain in ("A", "B"):
        for i in range(5):
            save(tmp_path / "data" / domain / f"{i}.png", rng.integers(0, 256, (12, 12, 3)))
    sets = [f"data.name=unpaired:{tmp_path / 'data' / 'A'},{tmp_path / 'data' / 'B'}", "data.image_size=8",
            "data.batch_size=2", "train.epochs=1", "train.steps_per_epoch=2", "train.verbose=0",
            "train.grid_size=2"] + SMALL[family]
    argv = ["train", f"zoo_configs/{family}/digits.yaml", "--run-dir", str(tmp_path / "run")]
    assert main(argv + [a for s in sets for a in ("--set", s)]) == 0
    assert os.path.exists(tmp_path / "run" / "samples" / "epoch_0001.png")
    assert main(["export", str(tmp_path / "run"), "--name", family, "--out-dir", str(tmp_path / "exports")]) == 0
    path = tmp_path / "exports" / family / "1"
    with open(path / "assets" / "card.json", encoding="utf-8") as fh:
        card = json.load(fh)
    loaded = tf.saved_model.load(str(path))
    images = tf.constant(rng.uniform(-1, 1, (3, 8, 8, 3)), tf.float32)
    if family == "cyclegan":
        assert card["signatures"] == ["translate_ab", "translate_ba", "serving_default"]
        out = loaded.signatures["translate_ba"](images=images)["images"]
    else:
        assert (card["domains"], card["num_domains"]) == (["a", "b"], 2)
        out = loaded.signatures["translate"](images=images, target_domain=tf.constant([0, 1, 1]))["images"]
        with pytest.raises(tf.errors.InvalidArgumentError, match="target_domain must be < 2"):
            loaded.signatures["translate"](images=images, target_domain=tf.constant([0, 2, 1]))
    assert out.shape == (3, 8, 8, 3)
