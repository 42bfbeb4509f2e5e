import json

import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo.errors import UserError
from tfgan_zoo.metrics import evaluator
from tfgan_zoo.metrics.evaluator import METRICS, evaluate, parse_metrics, scalar_summary
from tfgan_zoo.metrics.sources import CallableSource, DatasetSource, ExportSource, FolderSource

from .conftest import (IMAGE_SHAPE, LATENT_DIM, save_conditional_export, save_export,
                       tiny_generator_fn, write_png_folder)


def test_export_source_streams_deterministic_batches(export_dir):
    source = ExportSource(export_dir, seed=3)
    assert source.latent_dim == LATENT_DIM and source.image_shape == IMAGE_SHAPE
    first = list(source.batches(3, 7))
    assert [len(b) for b in first] == [3, 3, 1]
    assert all(b.dtype == np.float32 and np.abs(b).max() <= 1 for b in first)
    np.testing.assert_array_equal(np.concatenate(first), np.concatenate(list(source.batches(3, 7))))
    np.testing.assert_allclose(np.concatenate(first), np.concatenate(list(source.batches(7, 7))),
                               atol=1e-6)
    # the export computes what the in-process callable computes for the same latents
    same = CallableSource(tiny_generator_fn(), LATENT_DIM, seed=3)
    np.testing.assert_allclose(np.concatenate(list(same.batches(4, 7))), np.concatenate(first),
                               atol=1e-5)


def test_export_latent_dim_from_signature_and_serving_versions(tmp_path):
    save_export(tmp_path / "serving" / "1", card=False)
    save_export(tmp_path / "serving" / "12", card=False)
    source = ExportSource(tmp_path / "serving")
    assert source.export_dir.name == "12" and source.latent_dim == LATENT_DIM
    with pytest.raises(UserError, match="not a SavedModel export"):
        ExportSource(tmp_path)


def test_conditional_export_gets_uniform_labels(tmp_path):
    source = ExportSource(save_conditional_export(tmp_path / "cond", num_classes=4), seed=1)
    images = np.concatenate(list(source.batches(50, 200)))
    labels = np.round(np.arctanh(images[:, 0, 0, 0]) * 10).astype(int)  # the export's label code
    assert set(labels) == {0, 1, 2, 3} and np.bincount(labels).min() > 30
    again = np.concatenate(list(source.batches(50, 200)))
    np.testing.assert_array_equal(images, again)


class RecordingSource(CallableSource):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sizes = []

    def _generate(self, latents):
        self.sizes.append(len(latents))
        return super()._generate(latents)


def test_evaluate_streams_in_batches():
    fake, real = (RecordingSource(tiny_generator_fn(), LATENT_DIM, s) for s in (1, 2))
    evaluate(fake, real, metrics="fid,kid", num_samples=70, batch_size=32)
    assert fake.sizes == [32, 32, 6] and real.sizes == [32, 32, 6]


def test_folder_and_dataset_sources(tmp_path):
    images = np.random.default_rng(0).uniform(-1, 1, (5, *IMAGE_SHAPE)).astype(np.float32)
    folder = FolderSource(write_png_folder(tmp_path / "imgs", images))
    got = np.concatenate(list(folder.batches(2)))
    assert got.shape == (5, *IMAGE_SHAPE) and folder.image_shape == IMAGE_SHAPE
    np.testing.assert_allclose(got, images, atol=1 / 127.5)
    unbatched = tf.data.Dataset.from_tensor_slices({"real": images, "label": np.arange(5)})
    for ds in (unbatched, unbatched.batch(2)):
        source = DatasetSource(ds)
        assert [len(b) for b in source.batches(3, 4)] == [3, 1]
        np.testing.assert_array_equal(np.concatenate(list(source.batches(3))), images)
        assert source.image_shape == IMAGE_SHAPE


def test_evaluate_export_against_a_folder_with_cache(export_dir, tmp_path, monkeypatch):
    real_images = np.concatenate(list(CallableSource(tiny_generator_fn(), LATENT_DIM, 9).batches(50, 60)))
    folder = FolderSource(write_png_folder(tmp_path / "real", real_images))
    source = ExportSource(export_dir)
    metrics = [m for m in METRICS if m != "stacked_modes"]
    kwargs = dict(metrics=metrics, num_samples=40, extractor="digits", batch_size=16,
                  cache_dir=tmp_path / "cache", real_key="toy/real")
    results = evaluate(source, folder, **kwargs)
    assert set(results) == set(metrics)
    for r in results.values():
        assert r["extractor"] == "digits" and r["num_fake"] == 40 and r["num_real"] == 40
        assert r["fake_image_size"] == r["real_image_size"] == list(IMAGE_SHAPE)
    cached = list((tmp_path / "cache").glob("*.npz"))
    assert len(cached) == 1 and cached[0].name.startswith("toy_real__digits-")
    assert cached[0].name.endswith("__8x8x1__n40.npz")
    # same generator, different latents: close but not identical
    assert 0 < results["fid"]["value"] < 50 and results["precision_recall"]["precision"] > 0.5
    assert json.loads(json.dumps(results)) == results

    calls = []
    real_collect = evaluator.collect
    monkeypatch.setattr(evaluator, "collect", lambda src, *a, **k: calls.append(src) or real_collect(src, *a, **k))
    again = evaluate(source, folder, **kwargs)
    assert calls == [source]  # real statistics came from the cache
    assert again["fid"]["value"] == pytest.approx(results["fid"]["value"], rel=1e-9)
    assert again["swd"]["value"] == pytest.approx(results["swd"]["value"], rel=1e-9)


def test_a_generator_against_itself_scores_perfectly():
    fn = tiny_generator_fn()
    results = evaluate(CallableSource(fn, LATENT_DIM, 1), CallableSource(fn, LATENT_DIM, 1),
                       metrics="fid,pr,dc,swd,memorization", num_samples=120, batch_size=50)
    assert results["fid"]["value"] == pytest.approx(0.0, abs=1e-4)
    assert results["swd"]["value"] == pytest.approx(0.0, abs=1e-9)
    assert results["precision_recall"]["precision"] == results["precision_recall"]["recall"] == 1
    assert results["density_coverage"]["coverage"] == 1
    assert results["memorization"]["max"] == pytest.approx(0.0, abs=1e-3)
    scalars = scalar_summary(results)
    assert set(scalars) >= {"fid", "precision", "recall", "density", "coverage", "swd"}


def test_evaluate_errors():
    with pytest.raises(UserError, match="did you mean 'fid'"):
        parse_metrics("fdi")
    assert parse_metrics("FID, inception_score,pr") == ["fid", "is", "precision_recall"]
    fn = tiny_generator_fn()
    big = CallableSource(lambda z: np.kron(fn(z), np.ones((1, 2, 2, 1))), LATENT_DIM)
    with pytest.raises(UserError, match="SWD compares pixels"):
        evaluate(CallableSource(fn, LATENT_DIM), big, metrics="swd", num_samples=4)
    with pytest.raises(UserError, match="need a real set"):
        evaluate(CallableSource(fn, LATENT_DIM), None, metrics="fid", num_samples=4)
    # IS needs no real set
    assert evaluate(CallableSource(fn, LATENT_DIM), None, metrics="is", num_samples=20)["is"]["mean"] >= 1
