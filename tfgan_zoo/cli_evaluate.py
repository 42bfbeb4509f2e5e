"""`tfgan-zoo evaluate RUN_OR_EXPORT --metrics fid,kid --real DATASET_SPEC ...`.

The main CLI calls `add_evaluate_parser(subparsers)` and dispatches to `run_evaluate(args)`.
RUN_OR_EXPORT is a SavedModel export (a dir with saved_model.pb, or a TF-Serving parent
with numbered versions - the highest is used) or a training run directory, loaded through
the `source_from_run` hook (tfgan_zoo.train.load_generator).
"""
import json
import os
import tempfile
from pathlib import Path

from tfgan_zoo.errors import UserError, check_output_file
from tfgan_zoo.metrics.evaluator import METRICS, MetricOptions, evaluate, scalar_summary
from tfgan_zoo.metrics.features import EXTRACTORS, get_extractor
from tfgan_zoo.metrics.sources import (CallableSource, DatasetSource, ExportSource, ImageSource,
                                       SampleSource,
                                       find_saved_model_dir)


def default_cache_dir():
    return os.environ.get("TFGAN_ZOO_CACHE",
                          os.path.join(os.path.expanduser("~"), ".cache", "tfgan_zoo", "real_stats"))


def _positive(text):
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


def add_evaluate_parser(subparsers, count=_positive):
    """`count`: the CLI's type for whole numbers >= 1 (it also reads 1e4)."""
    p = subparsers.add_parser(
        "evaluate", help="compute FID/KID/... of an export or run against a real data set",
        description="Stream generated and real images through a feature extractor and "
                    "compute sample-quality metrics; prints a table, optionally writes JSON.")
    p.add_argument("target", metavar="RUN_OR_EXPORT", help="export dir (saved_model.pb) or run dir")
    p.add_argument("--metrics", default="fid,kid",
                   help=f"comma-separated, from: {','.join(METRICS)} (default fid,kid)")
    p.add_argument("--num-samples", type=count, default=10000,
                   help="generated samples (default 10000)")
    p.add_argument("--num-real-samples", type=count, default=None,
                   help="real samples (default: same as --num-samples, or all if fewer)")
    p.add_argument("--extractor", choices=sorted(EXTRACTORS), default="inception",
                   help="feature network: inception (InceptionV3 pool3) or digits (the bundled "
                        "digits classifier; digits FIDs compare only with digits FIDs)")
    p.add_argument("--real", required=True, metavar="DATASET_SPEC", help="real data set spec")
    p.add_argument("--inception-weights", metavar="PATH",
                   help="Keras InceptionV3 weights file, for machines without network access")
    p.add_argument("--extractor-precision", choices=("float32", "bfloat16", "auto"),
                   default="float32", help="Inception's compute dtype: bfloat16 is ~2-3x faster "
                   "on CPUs with bf16 instructions; its FIDs differ slightly (README, Speed)")
    p.add_argument("--batch-size", type=count, default=64,
                   help="images per batch through the generator and the extractor (default 64)")
    p.add_argument("--seed", type=int, default=0, help="latent / subset / projection seed")
    p.add_argument("--cache-dir", default=default_cache_dir(),
                   help="where real-set statistics are cached (env TFGAN_ZOO_CACHE)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    p.add_argument("--out", metavar="results.json", help="write the results as JSON")
    p.set_defaults(func=run_evaluate)
    return p


def as_image_source(obj, seed=0, name="run"):
    """Whatever load_generator returned -> ImageSource: a source, (fn, latent_dim), or a model."""
    if isinstance(obj, ImageSource):
        return obj
    if isinstance(obj, tuple) and len(obj) == 2:
        fn, latent_dim = obj
        return CallableSource(fn, latent_dim, seed, name=name)
    latent_dim = getattr(obj, "latent_dim", None)
    if latent_dim is None and getattr(obj, "input_shape", None) is not None:
        latent_dim = obj.input_shape[-1]
    if not callable(obj) or latent_dim is None:
        raise UserError(f"cannot sample from the generator loaded from {name}")
    import keras

    fn = (lambda z: obj(z, training=False)) if isinstance(obj, keras.layers.Layer) else obj
    return CallableSource(fn, latent_dim, seed, name=name)


def source_from_run(run_dir, seed=0):
    """Hook for training run directories: uses tfgan_zoo.train.load_generator(run_dir)."""
    try:
        from tfgan_zoo.train import load_generator
    except ImportError as exc:
        if getattr(exc, "name", None) != "tfgan_zoo.train":
            raise
        raise UserError(f"{run_dir} is not an export (no saved_model.pb) and run directories "
                        "cannot be loaded by this build; export the run and evaluate the export") from None
    source = as_image_source(load_generator(run_dir), seed, name=str(run_dir))
    if isinstance(source, SampleSource):
        source.seed = int(seed)
    return source


def open_generated_source(target, seed=0):
    path = Path(target)
    if not path.exists():
        raise UserError(f"{target} does not exist")
    try:
        find_saved_model_dir(path)
    except UserError:
        return source_from_run(path, seed)
    return ExportSource.open(path, seed=seed)


def real_source_from_spec(spec, image_shape):
    """Real images from the data registry, at the generated images' size and channels."""
    from tfgan_zoo.data import build_dataset

    height, width, channels = image_shape
    ds, _ = build_dataset(spec, image_size=height if height == width else None, channels=channels)
    return DatasetSource(ds, key="real", name=spec)


def format_table(results):
    scalars = scalar_summary(results)
    width = max(len(k) for k in scalars)
    first = next(iter(results.values()))
    lines = [f"{'metric':<{width}}  value",
             *(f"{k:<{width}}  {v:.6g}" for k, v in scalars.items()),
             f"({first['extractor']} features; {first['num_fake']} generated"
             + (f", {first['num_real']} real" if "num_real" in first else "") + " samples)"]
    return "\n".join(lines)


def check_size(args, feature_dim):
    """The generated images' features the chosen metrics keep must fit in memory (FID keeps
    only moments); the real set's, capped by its size, come on top."""
    from tfgan_zoo import limits
    from tfgan_zoo.metrics.evaluator import FAKE_PARTS, parse_metrics
    metrics = parse_metrics(args.metrics)
    if any("features" in FAKE_PARTS[m] for m in metrics):
        limits.check_memory(args.num_samples * feature_dim * 4,
                            f"keeping the {feature_dim}-d features of {args.num_samples} "
                            f"generated images ({', '.join(metrics)})", "lower --num-samples")


def write_report(path, report):
    """Write the JSON report; if that fails, to a temporary file, and say where (one line)."""
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w") as f:
            json.dump(report, f, indent=2)
        return path
    except OSError as e:
        fd, kept = tempfile.mkstemp(prefix="tfgan_zoo_results_", suffix=".json")
        with os.fdopen(fd, "w") as f:
            json.dump(report, f, indent=2)
        raise UserError(f"cannot write {path} ({e.strerror}); the results are in {kept}") from None


def run_evaluate(args):
    if args.out:  # checked before any work: computed metrics are never lost to a bad path
        check_output_file(args.out, "--out", "results.json")
    extractor_kwargs = {}
    if args.extractor == "inception" and args.inception_weights:
        extractor_kwargs["weights_path"] = args.inception_weights
    if args.extractor == "inception":
        extractor_kwargs["precision"] = args.extractor_precision
    extractor = get_extractor(args.extractor, **extractor_kwargs)
    check_size(args, extractor.feature_dim or 1)
    source = open_generated_source(args.target, args.seed)
    real = real_source_from_spec(args.real, source.image_shape)
    results = evaluate(source, real, metrics=args.metrics, num_samples=args.num_samples,
                       extractor=extractor, batch_size=args.batch_size,
                       cache_dir=None if args.no_cache else args.cache_dir, real_key=args.real,
                       num_real_samples=args.num_real_samples, options=MetricOptions(seed=args.seed),
                       progress=True)
    print(format_table(results))
    if args.out:
        report = {"target": str(args.target), "real": args.real, "extractor": extractor.describe(),
                  "seed": args.seed, "metrics": results}
        print(f"wrote {write_report(args.out, report)}")
    return 0
