"""The use side of a GANModel: sampling, sample grids and export endpoints.

Everything derives from the family's declared generator inputs (`generator_input_spec()`,
models/inputs.py), so a family with extra generator inputs (labels, codes, noise maps,
truncation) is sampled the same way everywhere:

    sample_inputs(num, seed) -> {name: tensor}   seeded inputs, TF stateless ops (so the
                                                  SavedModel's `sample` gives the same images)
    generate_images(inputs, generator=None, training=False) -> images   checked inputs through
                                                  the one call hook, `call_generator`

`model.sample(num, seed)` is their composition with the export generator (the EMA copy when
there is one, with standing BatchNorm statistics recomputed first). `export_endpoints()` lists
the SavedModel signatures: `generate(<declared inputs>)` and `sample(num, seed)` when every
input has a prior, `translate(<declared inputs>)` when the caller gives the source images.
"""
import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo.errors import ConfigError, UserError
from tfgan_zoo.models.declarations import Endpoint
from tfgan_zoo.models.inputs import Normal, checked_inputs, input_specs, seeded_inputs

STANDING_BATCHES = 8
STANDING_BATCH_SIZE = 64
STANDING_SEED = 2**31 - 7


def batch_norm_layers(network):
    return [layer for layer in network._flatten_layers(include_self=False)
            if isinstance(layer, keras.layers.BatchNormalization)]


class SamplingMixin:
    # ------------------------------------------------------------------ generator inputs
    def generator_input_spec(self):
        """{name: Input} (models/inputs.py): the generator's inputs, declared once; training
        draws, `sample` inputs, the export signature and the input checks derive from it."""
        return {"latents": Normal(self.latent_dim)}

    @property
    def samples(self):
        """True when every generator input has a prior (a noise -> image family); false when the
        caller gives an input (the source image of an image-to-image family)."""
        return all(inp.prior is not None for inp in self.generator_input_spec().values())

    def call_generator(self, generator, inputs, training, **options):
        """Images from checked generator inputs (the one call used by training and sampling):
        the declared inputs that are not scalar controls, in declaration order (one input: the
        tensor itself)."""
        spec = self.generator_input_spec()
        args = [inputs[name] for name, inp in spec.items() if inp.prior != "scalar"]
        return generator(args[0] if len(args) == 1 else args, training=training)

    def sample_inputs(self, num, seed):
        """Seeded generator inputs for `num` samples (TF stateless ops, models/inputs.py)."""
        return seeded_inputs(self.generator_input_spec(), num, seed)

    def generate_specs(self):
        """Inputs of the `generate` signature: {name: TensorSpec}, from the declared inputs."""
        return input_specs(self.generator_input_spec())

    def generate_images(self, inputs, generator=None, training=False, **options):
        """Images from a dict of generator inputs (sample_inputs' structure), checked against
        the declared inputs (categorical values in [0, K))."""
        generator = generator or self.export_generator()
        inputs = checked_inputs(self.generator_input_spec(), inputs)
        return self.call_generator(generator, inputs, training, **options)

    def export_generator(self):
        """The generator to sample from and export: the EMA copy when there is one."""
        return self.ema_generator if self.ema_generator is not None else self.generator

    # ------------------------------------------------------------------ EMA + BatchNorm
    def check_ema_support(self):
        """EMA weights meet BatchNorm statistics only through standing statistics, which need
        sampled generator inputs; refuse EMA with batch norm where there are none."""
        if batch_norm_layers(self.generator) and not self.samples:
            raise ConfigError(f"{self.family_name}: ema_decay with a batch-norm generator needs "
                              "standing statistics from sampled inputs, which this family's "
                              "generator (fed given images) does not have; set model.ema_decay 0 "
                              "or another norm")

    def prepare_for_sampling(self):
        """Standing statistics (BigGAN): the EMA generator's BatchNorm moving statistics are
        recomputed as the average over STANDING_BATCHES batches of its own training-mode
        statistics, since the raw generator's statistics do not belong to the averaged weights.
        Done once per trained step count."""
        gen = self.ema_generator
        if gen is None or not self.samples:
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
        if not self.samples:
            raise UserError(f"{self.family_name} translates images; sample from it with "
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

    def export_endpoints(self):
        """The SavedModel signatures; the first is also `serving_default`: `generate(<declared
        inputs>)` and `sample(num, seed)` when every input has a prior, else `translate(<declared
        inputs>)` (the caller gives the images)."""
        from tfgan_zoo.export import image_outputs
        gen = self.export_generator()

        def generate(**inputs):
            return image_outputs(self.generate_images(inputs, gen))

        if not self.samples:
            return [Endpoint("translate", generate, self.generate_specs())]

        def sample(num, seed):
            return generate(**self.sample_inputs(num, seed))

        return [Endpoint("generate", generate, self.generate_specs()),
                Endpoint("sample", sample, {"num": tf.TensorSpec([], tf.int32, name="num"),
                                            "seed": tf.TensorSpec([], tf.int64, name="seed")})]
