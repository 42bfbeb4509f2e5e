"""Evaluation: feature extractors, sample-quality metrics, streaming evaluator, callback, CLI.

Images are float32 NHWC in [-1, 1]; metric maths runs in float64 NumPy.
"""
from tfgan_zoo.metrics.cli_evaluate import add_evaluate_parser, run_evaluate
from tfgan_zoo.metrics.density_coverage import density_coverage
from tfgan_zoo.metrics.evaluator import (METRICS, MetricOptions, compute_real_stats, evaluate,
                                         scalar_summary)
from tfgan_zoo.metrics.features import (EXTRACTORS, DigitsExtractor, FeatureExtractor,
                                        InceptionExtractor, get_extractor)
from tfgan_zoo.metrics.fid import (StreamingMoments, fid_from_features, fid_from_moments,
                                   frechet_distance)
from tfgan_zoo.metrics.inception_score import inception_score
from tfgan_zoo.metrics.kid import kernel_inception_distance, mmd2_unbiased
from tfgan_zoo.metrics.memorization import memorization_summary, nearest_training_distances
from tfgan_zoo.metrics.modes import (grid_centres, mixture_mode_stats, ring_centres,
                                     stacked_mode_ids, stacked_mode_stats)
from tfgan_zoo.metrics.precision_recall import precision_recall
from tfgan_zoo.metrics.sources import (CallableSource, DatasetSource, ExportSource, FolderSource,
                                       ImageSource, SampleSource)
from tfgan_zoo.metrics.swd import sliced_wasserstein_distance


def __getattr__(name):
    if name == "MetricsCallback":  # imported lazily: it pulls in keras
        from tfgan_zoo.metrics.callback import MetricsCallback
        return MetricsCallback
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CallableSource", "DatasetSource", "SampleSource", "DigitsExtractor", "EXTRACTORS", "ExportSource",
    "FeatureExtractor", "FolderSource", "ImageSource", "InceptionExtractor", "METRICS",
    "MetricOptions", "MetricsCallback", "StreamingMoments", "add_evaluate_parser",
    "compute_real_stats", "density_coverage", "evaluate", "fid_from_features",
    "fid_from_moments", "frechet_distance", "get_extractor", "grid_centres", "inception_score",
    "kernel_inception_distance", "memorization_summary", "mixture_mode_stats", "mmd2_unbiased",
    "nearest_training_distances", "precision_recall", "ring_centres", "run_evaluate",
    "scalar_summary", "sliced_wasserstein_distance", "stacked_mode_ids", "stacked_mode_stats",
]
