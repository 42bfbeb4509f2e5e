"""The use side of a GANModel: sampling, sample grids and export endpoints.

Every consumer (sample grids, `tfgan-zoo sample` on a run, metrics on a run, the export's
`sample` signature) goes through the same two hooks, so a family with extra generator inputs
(labels, codes, truncation) is sampled the same way everywhere:

    sample_inputs(num, seed) -> {name: tensor}   seeded generator inputs, TF stateless ops (so
                                                  the SavedModel's `sample` gives the same images)
    generate_images(inputs, generator, training=False) -> images

`model.sample(num, seed)` is their composition with the export generator (the EMA copy when
there is one, with standing BatchNorm statistics recomputed first). `export_endpoints()` lists
the SavedModel signatures; the defaults are `generate(<generate_specs>)` and `sample(num, seed)`
for noise -> image families, `translate(images)` for image -> image families.
"""
import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo.errors import ConfigError, UserError
from tfgan_zoo.models.declarations import Endpoint

STANDING_BATCHES = 8
STANDING_BATCH_SIZE = 64
STANDING_SEED = 2**31 - 7


def batch_norm_layers(network):
    return [layer for layer in network._flatten_layers(include_self=False)
            if isinstance(layer, keras.layers.BatchNormalization)]


class SamplingMixin:
    #: "generate" (latents -> images) or "translate" (images -> images): the default endpoints
    export_kind = "generate"

    # ------------------------------------------------------------------ generator inputs
    def sample_inputs(self, num, seed):
        """Seeded generator inputs for `num` samples: {"latents": N(0, 1) [num, latent_dim]}."""
        seed = tf.cast(seed, tf.int64)
        shape = tf.stack([tf.cast(num, tf.int32), self.latent_dim])
        return {"latents": tf.random.stateless_normal(shape, seed=tf.stack([seed, 0]))}

    def generate_specs(self):
        """Inputs of the `generate` signature: {name: TensorSpec} (what sample_inputs returns)."""
        return {"latents": tf.TensorSpec([None, self.latent_dim], tf.float32, name="latents")}

    def generate_images(self, inputs, generator=None, training=False):
        """Images from a dict of generator inputs (sample_inputs' structure)."""
        generator = generator or self.export_generator()
        return generator(inputs["latents"], training=training)

    def export_generator(self):
        """The generator to sample from and export: the EMA copy when there is one."""
        return self.ema_generator if self.ema_generator is not None else self.generator

    # ------------------------------------------------------------------ EMA + BatchNorm
    def check_ema_support(self):
        """EMA weights meet BatchNorm statistics only through standing statistics, which need
        sampled generator inputs; refuse EMA with batch norm where there are none."""
        if batch_norm_layers(self.generator) and self.export_kind != "generate":
            raise ConfigError(f"{type(self).__name__}: ema_decay with a batch-norm generator needs "
                              "standing statistics from sampled inputs, which an image-to-image "
                              "family does not have; set model.ema_decay 0 or another norm")

    def prepare_for_sampling(self):
        """Standing statistics (BigGAN): the EMA generator's BatchNorm moving statistics are
        recomputed as the average over STANDING_BATCHES batches of its own training-mode
        statistics, since the raw generator's statistics do not belong to the averaged weights.
        Done once per trained step count."""
        gen = self.ema_generator
        if gen is None or self.export_kind != "generate":
            return
        layers = batch_norm_layers(gen)
        step = int(self.step.numpy())
        if not layers or getattr(self, "_standing_step", None) == step:
            return
        momenta = [layer.momentum for layer in layers]
        try:
            for i in range(STANDING_BATCHES):
                for layer in layers:  # moving = mean of the first i + 1 batch statistics
                    layer.momentum = i / (i + 1.0)
                self.generate_images(self.sample_inputs(STANDING_BATCH_SIZE, STANDING_SEED + i),
                                     gen, training=True)
        finally:
            for layer, momentum in zip(layers, momenta):
                layer.momentum = momentum
        object.__setattr__(self, "_standing_step", step)

    # ------------------------------------------------------------------ sampling
    def sample(self, num, seed=0):
        """`num` images (NumPy, [-1, 1]) from `sample_inputs(num, seed)`: the same images the
        export's `sample` signature gives for (num, seed)."""
        if self.export_kind != "generate":
            raise UserError(f"{type(self).__name__} translates images; sample from it with "
                            "images (preview / the translate signature)")
        self.prepare_for_sampling()
        return np.asarray(self.generate_images(self.sample_inputs(num, seed)))

    def preview_inputs(self, num, seed, reference):
        """Fixed inputs for sample grids (reference: a dict of real examples)."""
        return self.sample_inputs(num, seed)

    def preview(self, inputs):
        """Images (or points) to show for `preview_inputs`, as a NumPy array."""
        self.prepare_for_sampling()
        return np.asarray(self.generate_images(inputs))

    # ------------------------------------------------------------------ export
    def export_modules(self):
        """The networks an export tracks (their variables are saved)."""
        return [self.export_generator()]

    def card_fields(self):
        """Facts the export's card adds about this model (StarGAN's domains, ...); {} by default."""
        return {}

    def translate_specs(self):
        gen = self.export_generator()
        height, width, channels = (int(d) for d in gen.inputs[0].shape[1:])
        return {"images": tf.TensorSpec([None, height, width, channels], tf.float32,
                                        name="images")}

    def export_endpoints(self):
        """The SavedModel signatures; the first is also `serving_default`."""
        from tfgan_zoo.export import image_outputs
        gen = self.export_generator()
        if self.export_kind == "translate":
            return [Endpoint("translate", lambda images: image_outputs(gen(images, training=False)),
                             self.translate_specs())]

        def generate(**inputs):
            return image_outputs(self.generate_images(inputs, gen))

        def sample(num, seed):
            return generate(**self.sample_inputs(num, seed))

        return [Endpoint("generate", generate, self.generate_specs()),
                Endpoint("sample", sample, {"num": tf.TensorSpec([], tf.int32, name="num"),
                                            "seed": tf.TensorSpec([], tf.int64, name="seed")})]
