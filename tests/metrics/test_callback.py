import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo.metrics.callback import MetricsCallback
from tfgan_zoo.metrics.sources import CallableSource

from .conftest import IMAGE_SHAPE, LATENT_DIM, tiny_generator_fn


class TinyGan(keras.Model):
    """Just enough of a model with a .generator for fit() to run."""

    def __init__(self):
        super().__init__()
        self.generator = keras.Sequential([
            keras.Input((LATENT_DIM,)), keras.layers.Dense(int(np.prod(IMAGE_SHAPE)), activation="tanh"),
            keras.layers.Reshape(IMAGE_SHAPE)])

    def call(self, z):
        return self.generator(z)


def test_metrics_callback_logs_and_writes_tensorboard(tmp_path):
    keras.utils.set_random_seed(0)
    model = TinyGan()
    model.compile(optimizer="sgd", loss="mse")
    real = CallableSource(tiny_generator_fn(), LATENT_DIM, seed=4)
    callback = MetricsCallback(real, metrics=("fid", "kid"), every_n_epochs=2, num_samples=40,
                               batch_size=20, log_dir=tmp_path / "tb", verbose=0)
    z = np.random.default_rng(0).normal(size=(16, LATENT_DIM)).astype(np.float32)
    target = tiny_generator_fn()(z).astype(np.float32)
    history = model.fit(z, target, epochs=4, batch_size=8, verbose=0, callbacks=[callback])
    fids = history.history["fid"]
    assert len(fids) == 2 and all(np.isfinite(fids)) and "kid_std" in history.history
    assert callback.last_results["fid"]["num_real"] == 40
    events = list((tmp_path / "tb").glob("events.out.tfevents.*"))
    assert events
    written = {(v.tag, e.step): float(tf.make_ndarray(v.tensor))
               for e in tf.compat.v1.train.summary_iterator(str(events[0])) for v in e.summary.value}
    assert written[("metrics/fid", 1)] == np.float32(fids[0])   # epochs are 0-based steps
    assert written[("metrics/fid", 3)] == np.float32(fids[1])
    assert ("metrics/kid", 3) in written
