"""StyleGAN (Karras et al. 2019): mapping network, AdaIN synthesis with noise, style mixing,
the tracked average w and the truncation trick.

The generator role is `stylegan_generator` (networks/stylegan.py): mapping -> StyleMixer ->
synthesis in one Keras model, so the EMA copy and the checkpoint hold all of it, w_avg
included (a non-trainable variable with aggregation "mean", moved in training calls). Each
training fake draws z, a second z for style mixing (with probability style_mixing_prob one
crossover layer per batch, uniform in [1, layers), as the reference code), and the noise of
every synthesis layer; all through the model's replica-safe draws. The discriminator is
ProGAN's with blur. Loss: non-saturating logistic + R1 (gamma 10; `every` k makes it lazy).

Fixed resolution by default; `model.progressive: true` grows through ProGAN's stages (the
same lod schedule, reals and fade-in). The noise maps are an input of the exports, so every
signature is a pure function of its inputs and `generate`, `mapping` + `synthesis` and `sample`
agree (images clipped to [-1, 1]: the toRGB layers are linear):

    generate(latents [N, latent_dim], noise [N, noise_size], truncation [])
                                                       images, truncation psi towards w_avg on
                                                       the generator's truncation_cutoff layers
    sample(num, seed)                                  noise drawn from the seed,
                                                       psi = model.sample_truncation
    mapping(latents)                                   {"w": [N, w_dim], "w_avg": [w_dim]}
    synthesis(ws [N, num_ws, w_dim], noise [N, noise_size])   images from one w per layer
"""
from dataclasses import dataclass, field

import tensorflow as tf

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.models.base import GANModel
from tfgan_zoo.models.declarations import Endpoint
from tfgan_zoo.models.inputs import Normal, Scalar
from tfgan_zoo.models.progan import ProgressiveMixin, ProgressiveParams, clip_images
from tfgan_zoo.networks.stylegan import generator_inputs
from tfgan_zoo.registry import FAMILIES


@dataclass
class StyleGANParams(ProgressiveParams):
    latent_dim: int = 512
    loss: str = "nonsaturating"
    #: R1 on reals, gamma 10 (the reference's D_logistic_simplegp)
    regularizers: list = field(default_factory=lambda: [{"name": "r1", "gamma": 10.0}])
    ema_decay: float = 0.999
    #: probability of style mixing for a training batch (0: none)
    style_mixing_prob: float = 0.9
    #: truncation psi of `sample` (grids, metrics on runs, the export's sample signature)
    sample_truncation: float = 1.0
    #: grow through ProGAN's stages (resolution, stage_steps, fade_steps) instead of training
    #: at the data's resolution from the start
    progressive: bool = False

    def validate(self):
        super().validate()
        if not 0.0 <= self.style_mixing_prob <= 1.0:
            raise ValueError(f"style_mixing_prob {self.style_mixing_prob} must be in [0, 1]")


@FAMILIES.register("stylegan")
class StyleGAN(ProgressiveMixin, GANModel):
    Params = StyleGANParams
    roles = {"generator": "stylegan_generator", "discriminator": "progan_discriminator"}
    network_defaults = {"discriminator": {"blur": True}}
    train_defaults = {"g_learning_rate": 1e-3, "d_learning_rate": 1e-3, "beta_1": 0.0, "beta_2": 0.99}
    term_names = {"discriminator": ("d_adv",), "generator": ("g_adv",)}
    tiny_config = {"model": {"ema_decay": 0.9},
                   "generator": {"w_dim": 8, "mapping_units": 8, "mapping_layers": 2, "base_filters": 4,
                                 "max_filters": 8},
                   "discriminator": {"base_filters": 4, "max_filters": 8}}

    @classmethod
    def progressive_for(cls, params):
        return params.progressive

    @classmethod
    def network_args(cls, params, info):
        cls.check_resolution(params, info)
        return super().network_args(params, info)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.num_ws = self.generator.get_layer("styles").num_ws
        if self.generator.input["z"].shape[-1] != self.latent_dim:
            raise ConfigError("stylegan: the generator's latent size differs from model.latent_dim")

    @property
    def noise_size(self):
        return int(self.generator.input["noise"].shape[-1])

    # ------------------------------------------------------------------ training
    def generate(self, batch, training):
        n = self.batch_size(batch)
        z, z_mix = self.random_normal([n, self.latent_dim]), self.random_normal([n, self.latent_dim])
        lod = self.training_lod()
        # the layers of the levels trained so far (all of them at a fixed resolution)
        layers = self.num_ws - 2 * tf.cast(tf.floor(lod), tf.int32)
        mix = self.random_uniform([], shared=True) < self.params.style_mixing_prob
        cut = 1 + tf.cast(tf.floor(self.random_uniform([], shared=True) * tf.cast(layers - 1, tf.float32)), tf.int32)
        crossover = tf.where(mix & (layers > 1), tf.minimum(cut, layers - 1), self.num_ws)
        noise = self.random_normal([n, self.noise_size])
        return self.generator(generator_inputs(z, noise, lod=lod, z_mix=z_mix, crossover=crossover),
                              training=training)

    # ------------------------------------------------------------------ sampling / export
    def generator_input_spec(self):
        """z, the noise of every synthesis layer (an input, so each export is a pure function of
        its inputs) and the truncation psi towards w_avg (`sample`: model.sample_truncation)."""
        return {"latents": Normal(self.latent_dim), "noise": Normal(self.noise_size),
                "truncation": Scalar(self.params.sample_truncation)}

    def call_generator(self, generator, inputs, training, **options):
        return clip_images(generator(generator_inputs(inputs["latents"], inputs["noise"], lod=self.sampling_lod(),
                                                      psi=inputs["truncation"]), training=training))

    def export_endpoints(self):
        from tfgan_zoo.export import image_outputs
        gen = self.export_generator()
        mapping, synthesis = gen.get_layer("mapping"), gen.get_layer("synthesis")
        w_avg = gen.get_layer("styles").w_avg
        w_dim = int(mapping.output.shape[-1])

        def map_latents(latents):
            return {"w": mapping(latents, training=False), "w_avg": tf.convert_to_tensor(w_avg)}

        def synthesize(ws, noise):
            lod = self.lod_column(self.sampling_lod(), ws)
            return image_outputs(clip_images(synthesis({"ws": ws, "noise": noise, "lod": lod}, training=False)))

        return super().export_endpoints() + [
            Endpoint("mapping", map_latents,
                     {"latents": tf.TensorSpec([None, self.latent_dim], tf.float32, name="latents")}),
            Endpoint("synthesis", synthesize,
                     {"ws": tf.TensorSpec([None, self.num_ws, w_dim], tf.float32, name="ws"),
                      "noise": tf.TensorSpec([None, self.noise_size], tf.float32, name="noise")})]
