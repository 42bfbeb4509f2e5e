"""Evaluation: feature extractors, sample-quality metrics, streaming evaluator, callback.

Images are float32 NHWC in [-1, 1]; metric maths runs in float64 NumPy. The metrics are generic:
they read images, labels and sources, never a family (its card figures are tfgan_zoo/figures/)
or the trainer; the `evaluate` command is tfgan_zoo/cli_evaluate.py. The names below are
imported on first access (tfgan_zoo/lazy.py), so importing one metric does not import them all.
"""
from tfgan_zoo.lazy import lazy_attributes, lazy_dir
# functions named as their modules, imported now: once the module is imported, its name in this
# package is the module unless the function is bound over it first (NumPy / SciPy only)
from tfgan_zoo.metrics.density_coverage import density_coverage
from tfgan_zoo.metrics.inception_score import inception_score
from tfgan_zoo.metrics.precision_recall import precision_recall
from tfgan_zoo.metrics.sharpness import sharpness

_MODULES = {
    "callback": ("MetricsCallback",),
    "conditional": ("balanced_labels", "conditional_accuracy", "evaluate_conditional",
                    "kmeans_pixel_baseline", "linear_probe_accuracy", "matched_accuracy",
                    "per_class_kid"),
    "evaluator": ("METRICS", "MetricOptions", "compute_real_stats", "evaluate", "scalar_summary"),
    "features": ("EXTRACTORS", "DigitsExtractor", "FeatureExtractor", "InceptionExtractor",
                 "JudgeExtractor", "MnistExtractor", "get_extractor"),
    "fid": ("StreamingMoments", "fid_from_features", "fid_from_moments", "frechet_distance"),
    "kid": ("kernel_inception_distance", "mmd2_unbiased"),
    "memorization": ("memorization_summary", "nearest_training_distances"),
    "modes": ("grid_centres", "mixture_mode_stats", "ring_centres", "stacked_mnist_modes",
              "stacked_mode_ids", "stacked_mode_stats"),
    "sources": ("CallableSource", "DatasetSource", "ExportSource", "FolderSource", "ImageSource",
                "SampleSource"),
    "swd": ("sliced_wasserstein_distance",),
}
_EXPORTS = {name: f"{__name__}.{module}" for module, names in _MODULES.items() for name in names}
__all__ = sorted([*_EXPORTS, "density_coverage", "inception_score", "precision_recall", "sharpness"])
__getattr__ = lazy_attributes(__name__, _EXPORTS)
__dir__ = lazy_dir(__name__, _EXPORTS)
