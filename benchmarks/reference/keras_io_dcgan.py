"""Reference DCGAN written the way the keras.io example "DCGAN to generate face images" is.

Used only by the speed benchmark (no test runs it): it is what a user would
write by hand, to compare tfgan_zoo's own DCGAN against.  Style of the example:
a ``keras.Model`` subclass holding ``generator`` and ``discriminator``,
``compile(d_optimizer, g_optimizer, loss_fn)``, a ``train_step`` with two
``tf.GradientTape``s (D on a concatenated fake+real batch with noisy labels,
fake=1/real=0 as in the example; then G with "misleading" labels 0), a fresh
random latent each step from ``keras.random.normal`` with a ``SeedGenerator``,
``keras.losses.BinaryCrossentropy`` and two ``keras.metrics.Mean`` trackers,
trained with ``model.fit``.

The network (``image_size`` a power of two >= 8; ``n = log2(image_size / 4)``
up/down-sampling blocks; ``F = base_filters``; shown for the defaults
image_size=32, channels=1, latent_dim=64, base_filters=64, so n = 3)::

    G: z (latent_dim)
       Dense(4*4*F*2^(n-1)=4096, use_bias=False) -> Reshape(4, 4, 256)
       -> BatchNorm -> ReLU
       -> Conv2DTranspose(128, 4, strides=2, "same", use_bias=False) -> BatchNorm -> ReLU  # 8x8
       -> Conv2DTranspose(64,  4, strides=2, "same", use_bias=False) -> BatchNorm -> ReLU  # 16x16
       -> Conv2DTranspose(channels, 4, strides=2, "same") -> tanh                           # 32x32
       (filters halve each block: F*2^(n-2), ..., F; the last block maps to `channels`)
    D: x (image_size, image_size, channels), NHWC
       Conv2D(64,  4, strides=2, "same")                  -> LeakyReLU(0.2)  # 16x16, no BN
       Conv2D(128, 4, strides=2, "same", use_bias=False) -> BatchNorm -> LeakyReLU(0.2)  # 8x8
       Conv2D(256, 4, strides=2, "same", use_bias=False) -> BatchNorm -> LeakyReLU(0.2)  # 4x4
       Flatten -> Dense(1)   (logits)
       (filters double each block: F, 2F, ..., F*2^(n-1); BatchNorm on every block but the first)

Parameters at the defaults: G 920,321 (919,425 trainable), D 662,081 (661,313
trainable; BatchNorm moving statistics are the non-trainable ones).  Keras defaults
otherwise: glorot_uniform kernels, BatchNorm momentum 0.99 / epsilon 1e-3.
Optimizers: Adam(learning_rate=1e-4) for both, as in the example.  Loss:
``BinaryCrossentropy(from_logits=True)`` (the example puts a sigmoid on D and
uses probabilities; logits are the numerically sound equivalent).  Labels of
the D step get ``+ 0.05 * uniform`` noise, as in the example.  Unlike the
example, the nets are called with ``training=True`` (the example omits it, so
its BatchNorm layers run in inference mode inside ``fit``).

``train_steps(n, batch_size)`` times ``n`` steps of ``model.fit`` on one
constant synthetic batch in [-1, 1] (no input pipeline cost), after a short
warm-up fit that traces the step, and returns images/s = n * batch_size / s
(real images per second; each step also generates 2 * batch_size fakes).

CLI: ``python -m benchmarks.reference.keras_io_dcgan --steps 20 --batch-size 64``
"""
from __future__ import annotations

import argparse
import math
import sys
import time

import tensorflow as tf
import keras
from keras import layers, ops


def _num_blocks(image_size):
    n = math.log2(image_size / 4)
    if image_size < 8 or n != int(n):
        raise ValueError(f"image_size must be a power of two >= 8, got {image_size}")
    return int(n)


def build_generator(image_size=32, channels=1, latent_dim=64, base_filters=64):
    n = _num_blocks(image_size)
    filters = base_filters * 2 ** (n - 1)
    net = [keras.Input((latent_dim,)),
           layers.Dense(4 * 4 * filters, use_bias=False),
           layers.Reshape((4, 4, filters)),
           layers.BatchNormalization(),
           layers.ReLU()]
    for _ in range(n - 1):
        filters //= 2
        net += [layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False),
                layers.BatchNormalization(),
                layers.ReLU()]
    net += [layers.Conv2DTranspose(channels, 4, strides=2, padding="same",
                                   activation="tanh")]
    return keras.Sequential(net, name="generator")


def build_discriminator(image_size=32, channels=1, base_filters=64):
    n = _num_blocks(image_size)
    net = [keras.Input((image_size, image_size, channels))]
    for i in range(n):
        filters = base_filters * 2 ** i
        if i == 0:
            net += [layers.Conv2D(filters, 4, strides=2, padding="same")]
        else:
            net += [layers.Conv2D(filters, 4, strides=2, padding="same", use_bias=False),
                    layers.BatchNormalization()]
        net += [layers.LeakyReLU(negative_slope=0.2)]
    net += [layers.Flatten(), layers.Dense(1)]
    return keras.Sequential(net, name="discriminator")


class GAN(keras.Model):
    def __init__(self, discriminator, generator, latent_dim):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim
        self.seed_generator = keras.random.SeedGenerator(1337)

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn
        self.d_loss_metric = keras.metrics.Mean(name="d_loss")
        self.g_loss_metric = keras.metrics.Mean(name="g_loss")

    @property
    def metrics(self):
        return [self.d_loss_metric, self.g_loss_metric]

    def train_step(self, real_images):
        batch_size = ops.shape(real_images)[0]
        # Sample random points in the latent space and decode them to fake images.
        random_latent_vectors = keras.random.normal(
            shape=(batch_size, self.latent_dim), seed=self.seed_generator)
        generated_images = self.generator(random_latent_vectors, training=True)
        combined_images = ops.concatenate([generated_images, real_images], axis=0)
        # Fake = 1, real = 0, plus a little label noise (as in the example).
        labels = ops.concatenate(
            [ops.ones((batch_size, 1)), ops.zeros((batch_size, 1))], axis=0)
        labels += 0.05 * keras.random.uniform(ops.shape(labels), seed=self.seed_generator)

        with tf.GradientTape() as tape:
            predictions = self.discriminator(combined_images, training=True)
            d_loss = self.loss_fn(labels, predictions)
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))

        random_latent_vectors = keras.random.normal(
            shape=(batch_size, self.latent_dim), seed=self.seed_generator)
        misleading_labels = ops.zeros((batch_size, 1))  # "all real"
        with tf.GradientTape() as tape:
            predictions = self.discriminator(
                self.generator(random_latent_vectors, training=True), training=True)
            g_loss = self.loss_fn(misleading_labels, predictions)
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))

        self.d_loss_metric.update_state(d_loss)
        self.g_loss_metric.update_state(g_loss)
        return {"d_loss": self.d_loss_metric.result(), "g_loss": self.g_loss_metric.result()}


def build(image_size=32, channels=1, latent_dim=64, base_filters=64):
    """The compiled reference GAN (see the module docstring for the network)."""
    gan = GAN(discriminator=build_discriminator(image_size, channels, base_filters),
              generator=build_generator(image_size, channels, latent_dim, base_filters),
              latent_dim=latent_dim)
    gan.compile(d_optimizer=keras.optimizers.Adam(learning_rate=1e-4),
                g_optimizer=keras.optimizers.Adam(learning_rate=1e-4),
                loss_fn=keras.losses.BinaryCrossentropy(from_logits=True))
    gan.image_size, gan.channels = image_size, channels
    return gan


def train_steps(n, batch_size, model=None, warmup=3, **build_kwargs):
    """Time ``n`` training steps of ``model.fit``; return images/s (real images)."""
    model = model if model is not None else build(**build_kwargs)
    shape = (batch_size, model.image_size, model.image_size, model.channels)
    batch = tf.random.uniform(shape, -1.0, 1.0, seed=0)
    dataset = tf.data.Dataset.from_tensors(batch).repeat()
    model.fit(dataset, epochs=1, steps_per_epoch=max(1, warmup), verbose=0)  # trace
    start = time.perf_counter()
    history = model.fit(dataset, epochs=1, steps_per_epoch=n, verbose=0)
    elapsed = time.perf_counter() - start  # fit returns after the last step has run
    for key, values in history.history.items():
        if not all(math.isfinite(v) for v in values):
            raise FloatingPointError(f"{key} is not finite: {values}")
    return n * batch_size / elapsed


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--image-size", type=int, default=32)
    ap.add_argument("--channels", type=int, default=1)
    ap.add_argument("--latent-dim", type=int, default=64)
    ap.add_argument("--base-filters", type=int, default=64)
    a = ap.parse_args(argv)
    model = build(a.image_size, a.channels, a.latent_dim, a.base_filters)
    ips = train_steps(a.steps, a.batch_size, model=model)
    devices = [d.name for d in tf.config.list_logical_devices() if d.device_type != "CPU"]
    print(f"keras_io_dcgan: {ips:.1f} images/s ({a.steps} steps, batch {a.batch_size}, "
          f"{a.image_size}x{a.image_size}x{a.channels}, keras {keras.__version__}, "
          f"devices {devices or ['CPU']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
