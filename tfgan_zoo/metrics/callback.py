"""Keras callback that evaluates sample-quality metrics every N epochs during fit."""
import keras
import tensorflow as tf
from tensorflow.core.framework import summary_pb2

from tfgan_zoo.errors import UserError
from tfgan_zoo.metrics.evaluator import (Collected, MetricOptions, compute_real_stats, evaluate,
                                         parse_metrics, scalar_summary)
from tfgan_zoo.metrics.features import get_extractor
from tfgan_zoo.metrics.sources import CallableSource, SampleSource


def write_scalar(tag, value, step):
    """A TensorBoard scalar via tf.summary.write, so the tensorboard package is not needed
    (tf.summary.scalar lives in it); the metadata is what tensorboard's scalar summary writes."""
    metadata = summary_pb2.SummaryMetadata(
        plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="scalars"),
        data_class=summary_pb2.DATA_CLASS_SCALAR)
    return tf.summary.write(tag, tf.constant(float(value), tf.float32), step=step, metadata=metadata)


class MetricsCallback(keras.callbacks.Callback):
    """Every `every_n_epochs` epochs, sample `num_samples` images and compute `metrics`.

    The generator is `generator` (any callable latents -> images) or `self.model.generator`;
    latents come from a fixed seed, so successive evaluations see the same latents. Real-set
    statistics are computed once (or read from `cache_dir`) and reused. Scalars (fid, kid,
    kid_std, precision, ...) are added to the epoch logs - so History and later callbacks see
    them - and written as TensorBoard scalars "metrics/<name>" under `log_dir` if given.
    The full result dicts of the last evaluation are in `self.last_results`.
    """

    def __init__(self, real_source, metrics=("fid",), every_n_epochs=1, num_samples=1000,
                 extractor="digits", generator=None, latent_dim=None, batch_size=64,
                 log_dir=None, seed=0, num_real_samples=None, cache_dir=None, real_key=None,
                 options=None, verbose=1):
        super().__init__()
        if int(every_n_epochs) < 1:
            raise UserError(f"every_n_epochs must be >= 1, got {every_n_epochs}")
        self.real_source = real_source
        self.metrics = parse_metrics(metrics)
        self.every_n_epochs = int(every_n_epochs)
        self.num_samples = int(num_samples)
        self.num_real_samples = int(num_real_samples or num_samples)
        self.extractor = extractor
        self.generator = generator
        self.latent_dim = latent_dim
        self.batch_size = int(batch_size)
        self.log_dir = log_dir
        self.seed = int(seed)
        self.cache_dir, self.real_key = cache_dir, real_key
        self.options = options or MetricOptions(seed=self.seed)
        self.verbose = verbose
        self.last_results = None
        self._real = real_source if isinstance(real_source, Collected) else None
        self._writer = None

    def _source(self):
        if self.generator is None and callable(getattr(self.model, "sample", None)):
            return SampleSource(self.model.sample, self.seed, name="training generator")
        fn = self.generator if self.generator is not None else getattr(self.model, "generator", None)
        if fn is None:
            raise UserError("MetricsCallback needs generator= or a model with a .generator")
        latent_dim = self.latent_dim
        if latent_dim is None and getattr(fn, "input_shape", None) is not None:
            latent_dim = fn.input_shape[-1]
        if latent_dim is None:
            raise UserError("MetricsCallback cannot infer the latent size; pass latent_dim=")
        call = (lambda z: fn(z, training=False)) if isinstance(fn, keras.layers.Layer) else fn
        return CallableSource(call, latent_dim, self.seed, name="training generator")

    def evaluate_now(self):
        """Run the metrics once on the current generator; returns the scalar summary."""
        self.extractor = get_extractor(self.extractor)
        if self._real is None:
            self._real = compute_real_stats(self.real_source, self.metrics, self.num_real_samples,
                                            self.extractor, self.batch_size, self.cache_dir,
                                            self.real_key, self.options)
        self.last_results = evaluate(self._source(), self._real, self.metrics, self.num_samples,
                                     self.extractor, self.batch_size, options=self.options)
        return scalar_summary(self.last_results)

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every_n_epochs:
            return
        scalars = self.evaluate_now()
        if logs is not None:
            logs.update(scalars)
        if self.log_dir:
            if self._writer is None:
                self._writer = tf.summary.create_file_writer(str(self.log_dir))
            with self._writer.as_default():
                for name, value in scalars.items():
                    write_scalar(f"metrics/{name}", value, epoch)
            self._writer.flush()
        if self.verbose:
            text = ", ".join(f"{k}={v:.4g}" for k, v in scalars.items())
            print(f"epoch {epoch + 1} metrics: {text}")

    def on_train_end(self, logs=None):
        if self._writer is not None:
            self._writer.close()
            self._writer = None
