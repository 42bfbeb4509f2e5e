"""Streaming evaluation of a generator against a real image set.

`evaluate` pulls batches from an ImageSource (see sources.py), runs the feature extractor
on each batch and keeps only what the chosen metrics need ("parts"): float64 running
moments for FID, float32 pool features for KID / precision-recall / density-coverage /
memorisation, logits for IS, 1-D pixel projections for SWD, stacked-digit mode ids. Images
themselves are never accumulated. Real-set parts can be cached on disk as .npz, keyed by
(real_key, extractor, image size, num_samples).
"""
import dataclasses
import os
import re
import tempfile
from pathlib import Path

import numpy as np

from tfgan_zoo.errors import UserError
from tfgan_zoo.metrics.density_coverage import density_coverage
from tfgan_zoo.metrics.features import DigitsExtractor, get_extractor
from tfgan_zoo.metrics.fid import StreamingMoments, fid_from_moments
from tfgan_zoo.metrics.inception_score import inception_score
from tfgan_zoo.metrics.kid import kernel_inception_distance
from tfgan_zoo.metrics.memorization import nearest_training_distances, summarize_distances
from tfgan_zoo.metrics.modes import stacked_mode_ids, stacked_mode_stats
from tfgan_zoo.metrics.precision_recall import precision_recall
from tfgan_zoo.metrics.sources import (CallableSource, DatasetSource, ExportSource,  # noqa: F401
                                       FolderSource, ImageSource)
from tfgan_zoo.metrics.swd import SlicedProjector, swd_from_projections
from tfgan_zoo.registry import closest_hint

# metric -> parts needed from the generated set, and from the real set
FAKE_PARTS = {"fid": {"moments"}, "kid": {"features"}, "is": {"logits"},
              "precision_recall": {"features"}, "density_coverage": {"features"},
              "swd": {"swd"}, "memorization": {"features"}, "stacked_modes": {"mode_ids"}}
REAL_PARTS = {"fid": {"moments"}, "kid": {"features"}, "is": set(),
              "precision_recall": {"features"}, "density_coverage": {"features"},
              "swd": {"swd"}, "memorization": {"features"}, "stacked_modes": set()}
METRICS = tuple(FAKE_PARTS)
ALIASES = {"inception_score": "is", "pr": "precision_recall", "dc": "density_coverage",
           "modes": "stacked_modes"}


@dataclasses.dataclass
class MetricOptions:
    kid_subsets: int = 100
    kid_subset_size: int = 1000
    is_splits: int = 10
    pr_k: int = 3
    dc_k: int = 5
    swd_projections: int = 128
    seed: int = 0
    memorization_threshold: float = None


def parse_metrics(metrics):
    """"fid,kid" or ["fid", "kid"] -> canonical names; UserError on an unknown one."""
    names = metrics.split(",") if isinstance(metrics, str) else list(metrics)
    out = []
    for name in (n.strip().lower() for n in names if n.strip()):
        name = ALIASES.get(name, name)
        if name not in FAKE_PARTS:
            raise UserError(f"unknown metric {name!r}{closest_hint(name, METRICS + tuple(ALIASES))}")
        if name not in out:
            out.append(name)
    if not out:
        raise UserError("no metrics requested")
    return out


class Collected:
    """What was kept from one streamed source: count, image shape and the requested parts."""

    def __init__(self, parts, feature_dim=None, options=None):
        self.parts = set(parts)
        self.options = options or MetricOptions()
        self.count = 0
        self.image_shape = None
        self.moments = StreamingMoments(feature_dim) if "moments" in self.parts else None
        self._features, self._logits, self._mode_ids = [], [], []
        self.projector = None

    def update(self, images, extractor=None, digits=None):
        images = np.asarray(images, np.float32)
        shape = tuple(int(s) for s in images.shape[1:])
        if self.image_shape is not None and shape != self.image_shape:
            raise UserError(f"image shape changed from {self.image_shape} to {shape} mid-stream")
        self.image_shape = shape
        if self.parts & {"moments", "features", "logits"}:
            out = extractor(images)
            if self.moments is not None:
                self.moments.update(out["pool"])
            if "features" in self.parts:
                self._features.append(out["pool"])
            if "logits" in self.parts:
                if out["logits"] is None:
                    raise UserError(f"extractor {extractor.name} gives no logits for IS")
                self._logits.append(out["logits"])
        if "swd" in self.parts:
            if self.projector is None:
                self.projector = SlicedProjector(int(np.prod(shape)), self.options.swd_projections,
                                                 self.options.seed)
            self.projector.update(images)
        if "mode_ids" in self.parts:
            self._mode_ids.append(stacked_mode_ids(images, digits))
        self.count += len(images)

    @staticmethod
    def _joined(chunks):
        if len(chunks) > 1:  # join once, in place, so repeated access does not copy again
            chunks[:] = [np.concatenate(chunks)]
        return chunks[0] if chunks else None

    @property
    def features(self):
        return self._joined(self._features)

    @property
    def logits(self):
        return self._joined(self._logits)

    @property
    def mode_ids(self):
        ids = self._joined(self._mode_ids)
        return np.zeros(0, np.int64) if ids is None else ids

    def to_arrays(self):
        arrays = {"parts": np.array(sorted(self.parts)), "count": np.int64(self.count),
                  "image_shape": np.array(self.image_shape, np.int64)}
        if self.moments is not None:
            arrays.update(self.moments.to_arrays("moments_"))
        if "features" in self.parts:
            arrays["features"] = self.features
        if "swd" in self.parts:
            arrays.update(swd_projections=self.projector.projections,
                          swd_seed=np.int64(self.projector.seed))
        return arrays

    @classmethod
    def from_arrays(cls, arrays, options=None):
        parts = set(str(p) for p in arrays["parts"])
        if parts & {"logits", "mode_ids"}:
            raise ValueError("only real-set parts are cached")
        got = cls(set(), options=options)
        got.parts = parts
        got.count = int(arrays["count"])
        got.image_shape = tuple(int(s) for s in arrays["image_shape"])
        if "moments" in parts:
            got.moments = StreamingMoments.from_arrays(arrays, "moments_")
        if "features" in parts:
            got._features = [np.asarray(arrays["features"], np.float32)]
        if "swd" in parts:
            proj = np.asarray(arrays["swd_projections"])
            got.projector = SlicedProjector(int(np.prod(got.image_shape)), proj.shape[1],
                                            int(arrays["swd_seed"]))
            got.projector._chunks = [proj]
        return got


def collect(source, parts, num_samples, extractor, batch_size=64, options=None, digits=None,
            progress=None):
    """Stream `num_samples` images from `source` and keep `parts` of them. `progress`: a
    label to show a progress bar (keras.utils.Progbar) under, or None."""
    got = Collected(parts, extractor.feature_dim, options)
    bar = None
    if progress:
        import keras
        print(progress)
        bar = keras.utils.Progbar(num_samples, unit_name="image")
    for images in source.batches(batch_size, num_samples):
        got.update(images, extractor, digits)
        if bar is not None:
            bar.add(len(images))
    if got.count == 0:
        raise UserError(f"source {getattr(source, 'name', source)} produced no images")
    return got


def cache_path(cache_dir, real_key, extractor_tag, image_shape, num_samples):
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", str(real_key)).strip("_") or "real"
    size = "x".join(str(s) for s in image_shape)
    return Path(cache_dir) / f"{safe}__{extractor_tag}__{size}__n{num_samples}.npz"


def _load_cached(path, parts, options):
    if not path.is_file():
        return None, set()
    with np.load(path) as data:
        arrays = {k: data[k] for k in data.files}
    cached = Collected.from_arrays(arrays, options)
    swd_ok = "swd" not in cached.parts or (
        cached.projector.seed == options.seed
        and cached.projector.num_projections == options.swd_projections)
    if parts <= cached.parts and swd_ok:
        return cached, cached.parts
    return None, cached.parts - ({"swd"} if not swd_ok else set())


def _save(path, collected):
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".npz", dir=path.parent)
    with os.fdopen(fd, "wb") as f:
        np.savez(f, **collected.to_arrays())
    os.replace(tmp, path)


def compute_real_stats(real_source, metrics, num_samples, extractor="digits", batch_size=64,
                       cache_dir=None, real_key=None, options=None, progress=False):
    """Collect (or load from cache) what `metrics` need from the real set -> Collected."""
    options = options or MetricOptions()
    extractor = get_extractor(extractor)
    parts = set().union(*(REAL_PARTS[m] for m in parse_metrics(metrics)))
    tag = extractor.cache_tag
    path = None
    if cache_dir and real_key and tag:
        path = cache_path(cache_dir, real_key, tag, real_source.image_shape, num_samples)
        cached, cached_parts = _load_cached(path, parts, options)
        if cached is not None:
            return cached
        parts |= cached_parts
    stats = collect(real_source, parts, num_samples, extractor, batch_size, options,
                    progress=f"real images ({real_key or real_source.name})" if progress else None)
    if path is not None:
        _save(path, stats)
    return stats


def _metric(name, fake, real, extractor, options):
    if name == "fid":
        return {"value": fid_from_moments(real.moments, fake.moments)}
    if name == "kid":
        return kernel_inception_distance(real.features, fake.features, options.kid_subsets,
                                         options.kid_subset_size, options.seed)
    if name == "is":
        return {**inception_score(logits=fake.logits, splits=min(options.is_splits, fake.count)),
                "logits_kind": extractor.logits_kind}
    if name == "precision_recall":
        return precision_recall(real.features, fake.features, options.pr_k)
    if name == "density_coverage":
        return density_coverage(real.features, fake.features, options.dc_k)
    if name == "swd":
        if fake.image_shape != real.image_shape:
            raise UserError(f"SWD compares pixels: generated images are {fake.image_shape}, "
                            f"real ones {real.image_shape}")
        return {"value": swd_from_projections(real.projector.projections,
                                              fake.projector.projections),
                "num_projections": options.swd_projections, "space": "pixels"}
    if name == "memorization":
        distances, _ = nearest_training_distances(fake.features, real.features)
        return {**summarize_distances(distances, options.memorization_threshold),
                "space": f"{extractor.name} features"}
    if name == "stacked_modes":
        return {**stacked_mode_stats(fake.mode_ids), "classifier": "digits"}
    raise AssertionError(name)


def evaluate(source, real_source=None, metrics=("fid",), num_samples=10000, extractor="digits",
             batch_size=64, cache_dir=None, real_key=None, num_real_samples=None, options=None,
             progress=False):
    """Compute `metrics` for generated `source` against `real_source` -> {metric: result dict}.

    real_source is an ImageSource or a `Collected` from compute_real_stats (reused across
    calls, e.g. by MetricsCallback). Each result records the extractor, sample counts and
    image sizes. Metrics: fid, kid, is, precision_recall, density_coverage, swd,
    memorization, stacked_modes.
    """
    options = options or MetricOptions()
    metrics = parse_metrics(metrics)
    if num_samples is None or int(num_samples) < 2:
        raise UserError(f"num_samples must be at least 2, got {num_samples}")
    extractor = get_extractor(extractor)
    needs_real = any(REAL_PARTS[m] for m in metrics)
    real = None
    if needs_real:
        if real_source is None:
            raise UserError(f"metrics {', '.join(m for m in metrics if REAL_PARTS[m])} need a real set")
        real = real_source if isinstance(real_source, Collected) else compute_real_stats(
            real_source, metrics, num_real_samples or num_samples, extractor, batch_size,
            cache_dir, real_key, options, progress)
    digits = None
    if "stacked_modes" in metrics:
        digits = extractor if isinstance(extractor, DigitsExtractor) else DigitsExtractor()
    fake_parts = set().union(*(FAKE_PARTS[m] for m in metrics))
    fake = collect(source, fake_parts, num_samples, extractor, batch_size, options, digits,
                   progress="generated images" if progress else None)
    # the extractor's compute dtype: bf16 and float32 features give slightly different figures
    common = {"extractor": extractor.name, "extractor_precision": extractor.precision,
              "num_fake": fake.count, "fake_image_size": list(fake.image_shape)}
    if real is not None:
        common.update(num_real=real.count, real_image_size=list(real.image_shape))
    return {m: {**_metric(m, fake, real, extractor, options), **common} for m in metrics}


def scalar_summary(results):
    """Flatten evaluate()'s results to {name: float} for logs, tables and TensorBoard."""
    keys = {"fid": {"value": "fid"}, "kid": {"mean": "kid", "std": "kid_std"},
            "is": {"mean": "is", "std": "is_std"},
            "precision_recall": {"precision": "precision", "recall": "recall"},
            "density_coverage": {"density": "density", "coverage": "coverage"},
            "swd": {"value": "swd"},
            "memorization": {"median": "memorization_median", "min": "memorization_min"},
            "stacked_modes": {"modes_covered": "modes_covered", "kl": "modes_kl"}}
    out = {}
    for metric, result in results.items():
        for field, key in keys[metric].items():
            out[key] = float(result[field])
    return out
