"""One worker of a 2-process MultiWorkerMirroredStrategy GAN run (see tests/_mw_launch.py).

Trains a tiny GAN (keras.Model subclass, custom ``train_step`` with a D update
and a G update, two Adam optimizers kept as attributes, ``self.built = True``,
no ``call()``) with ``model.fit``, then an unbuilt plain ``Sequential``
regression compiled with a loss and a metric (exercises the other branch of
the symbolic-build fix), and writes ``<out>/worker<i>.npz`` holding the final
weights (``gan:<path>``, ``plain:<path>``), the GAN optimizer step counters and
the per-epoch losses (``d_loss``, ``g_loss``, ``plain_loss``).

Data: both workers build the *same* in-memory dataset (seeded NumPy) of
``(x, y)`` pairs; the auto-shard policy is set to ``DATA`` explicitly, so each
global batch is split between the workers (a ``from_tensor_slices`` dataset has
no files, so the default ``AUTO``/``FILE`` policy would fall back to ``DATA``
anyway, with a warning).  ``OFF`` would also work but then every worker reads
the whole dataset, i.e. duplicate samples inside a global batch.

Usage: python tests/_mw_worker.py --out DIR [--steps N] [--epochs E] [--no-compat]
With ``--no-compat`` the compat patch is not applied; the worker then prints
``MW_ERROR: <type>: <message>`` for the failure and exits with code 3.
"""
import argparse
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(2)

import keras  # noqa: E402

keras.config.disable_traceback_filtering()  # full tracebacks in the worker logs

LATENT_DIM = 4
GLOBAL_BATCH = 32


class TinyGAN(keras.Model):
    def __init__(self, latent_dim=LATENT_DIM, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = latent_dim
        self.generator = keras.Sequential(
            [keras.Input((latent_dim,)), keras.layers.Dense(16, activation="relu"),
             keras.layers.Dense(2)], name="generator")
        self.discriminator = keras.Sequential(
            [keras.Input((2,)), keras.layers.Dense(16, activation="relu"),
             keras.layers.Dense(1)], name="discriminator")
        self.d_optimizer = keras.optimizers.Adam(1e-3, beta_1=0.5, name="d_adam")
        self.g_optimizer = keras.optimizers.Adam(1e-3, beta_1=0.5, name="g_adam")
        # Keras builds only `self.optimizer`; build ours here, in the strategy
        # scope, or their variables would be created inside the replicated step.
        self.d_optimizer.build(self.discriminator.trainable_variables)
        self.g_optimizer.build(self.generator.trainable_variables)
        self.built = True

    @staticmethod
    def _bce(labels, logits):
        return tf.reduce_mean(
            tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits))

    def train_step(self, data):
        real, _ = data
        n_rep = tf.distribute.get_strategy().num_replicas_in_sync
        batch = tf.shape(real)[0]
        d_vars = self.discriminator.trainable_variables
        g_vars = self.generator.trainable_variables

        z = tf.random.normal((batch, self.latent_dim))
        with tf.GradientTape() as tape:
            fake = self.generator(z, training=True)
            d_real = self.discriminator(real, training=True)
            d_fake = self.discriminator(fake, training=True)
            d_loss = (self._bce(tf.ones_like(d_real), d_real)
                      + self._bce(tf.zeros_like(d_fake), d_fake))
            d_scaled = d_loss / tf.cast(n_rep, d_loss.dtype)  # grads are all-reduced by SUM
        self.d_optimizer.apply_gradients(zip(tape.gradient(d_scaled, d_vars), d_vars))

        z = tf.random.normal((batch, self.latent_dim))
        with tf.GradientTape() as tape:
            d_fake = self.discriminator(self.generator(z, training=True), training=True)
            g_loss = self._bce(tf.ones_like(d_fake), d_fake)
            g_scaled = g_loss / tf.cast(n_rep, g_loss.dtype)
        self.g_optimizer.apply_gradients(zip(tape.gradient(g_scaled, g_vars), g_vars))
        # Unscaled per-replica means; Keras averages them over replicas.
        return {"d_loss": d_loss, "g_loss": g_loss}


def make_dataset(n=512, seed=0):
    rng = np.random.default_rng(seed)
    centers = np.array([[2.0, 0.0], [-2.0, 0.0]], np.float32)
    x = centers[rng.integers(0, 2, n)] + 0.1 * rng.standard_normal((n, 2)).astype(np.float32)
    y = 0.5 * x[:, :1]  # ignored by the GAN; the plain regression model fits it
    ds = tf.data.Dataset.from_tensor_slices((x, y)).repeat().batch(
        GLOBAL_BATCH, drop_remainder=True)
    opts = tf.data.Options()
    opts.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    return ds.with_options(opts)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--no-compat", action="store_true")
    a = ap.parse_args(argv)

    index = json.loads(os.environ["TF_CONFIG"])["task"]["index"]
    if not a.no_compat:  # as tfgan_zoo.distribute.get_strategy("multi_worker") does
        from tfgan_zoo.compat import keras_multiworker
        assert keras_multiworker.apply()
    # The strategy must exist before any other op runs (collectives set-up).
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    keras.utils.set_random_seed(1234)

    with strategy.scope():
        model = TinyGAN()
        model.compile(optimizer=None)
        plain = keras.Sequential([keras.layers.Dense(8, activation="relu"),
                                  keras.layers.Dense(1)], name="plain")
        plain.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse", metrics=["mae"])
    try:
        hist = model.fit(make_dataset(), epochs=a.epochs, steps_per_epoch=a.steps, verbose=0)
        plain_hist = plain.fit(make_dataset(), epochs=a.epochs, steps_per_epoch=a.steps,
                               verbose=0)
    except Exception as e:  # noqa: BLE001 - reported to the parent test
        import traceback
        traceback.print_exc()
        msg = " ".join(str(e).split())
        msg = msg if len(msg) < 400 else msg[:150] + " ... " + msg[-250:]
        print(f"MW_ERROR: {type(e).__name__}: {msg}", flush=True)
        return 3

    out = {f"gan:{v.path}": np.asarray(v) for v in model.weights}
    out.update({f"plain:{v.path}": np.asarray(v) for v in plain.weights})
    out["d_iterations"] = np.asarray(model.d_optimizer.iterations)
    out["g_iterations"] = np.asarray(model.g_optimizer.iterations)
    out["d_loss"] = np.asarray(hist.history["d_loss"], np.float64)
    out["g_loss"] = np.asarray(hist.history["g_loss"], np.float64)
    out["plain_loss"] = np.asarray(plain_hist.history["loss"], np.float64)
    np.savez(os.path.join(a.out, f"worker{index}.npz"), **out)
    print(f"MW_DONE worker={index} replicas={strategy.num_replicas_in_sync} "
          f"d_loss={out['d_loss'].tolist()} g_loss={out['g_loss'].tolist()} "
          f"plain_loss={out['plain_loss'].tolist()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
