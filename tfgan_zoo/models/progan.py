"""ProGAN (Karras et al. 2018): progressive growing 4 -> 8 -> ... -> resolution with fade-in.

The networks (networks/progan.py) hold every level from the start and take a `lod` input, so
growth is only a schedule: one stage per level ("4x4", then "8x8 fade-in" and "8x8", ...).
The stages are a pure function of the config; inside a fade-in alpha = (step - start) /
fade_steps is read off `model.step` in the graph, so a run resumed anywhere (inside a stage or
across a growth boundary) computes what the uninterrupted run computed. Every stage boundary
gives the optimizers fresh state, as `reset_opt_for_new_lod` does in the reference code (which
resets when a fade-in starts and when it ends). Reals are shown to the discriminator at the
same lod (`progressive_images`: pooled to the stage's resolution and blended during fade-in),
also inside the gradient penalty.

Defaults are the paper's: WGAN-GP (lambda 10) + drift (epsilon 0.001), Adam(1e-3, 0, 0.99),
one critic step per G step, EMA of G with decay 0.999, pixel norm, equalized learning rate,
minibatch stddev, linear toRGB. Samples and exports use the lod of the step trained so far
(the full resolution once every stage has run), clipped to [-1, 1].
"""
from dataclasses import dataclass, field

import tensorflow as tf

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.models.base import GANModel, GANParams
from tfgan_zoo.models.declarations import Stage, stage_index
from tfgan_zoo.networks.progan import MIN_SIZE, num_levels, progressive_images
from tfgan_zoo.registry import FAMILIES


@dataclass
class ProgressiveParams(GANParams):
    """The growth schedule (shared by ProGAN and StyleGAN's progressive mode)."""
    #: the final resolution of the growth: must equal data.image_size (the stages depend on it)
    resolution: int = 32
    #: steps of each level's stable stage (the paper: 800k images per level)
    stage_steps: int = 1000
    #: steps of each level's fade-in (the paper: 800k images)
    fade_steps: int = 1000

    def validate(self):
        super().validate()
        if self.resolution < MIN_SIZE or self.resolution & (self.resolution - 1):
            raise ValueError(f"resolution {self.resolution} must be a power of two >= {MIN_SIZE}")
        if self.stage_steps < 1 or self.fade_steps < 1:
            raise ValueError("stage_steps and fade_steps must be >= 1")


@dataclass
class ProGANParams(ProgressiveParams):
    latent_dim: int = 512
    loss: str = "wasserstein"
    #: WGAN-GP lambda 10 and the drift penalty epsilon 0.001 (the paper's appendix A.1)
    regularizers: list = field(default_factory=lambda: [{"name": "gradient_penalty", "weight": 10.0},
                                                        {"name": "drift", "epsilon": 0.001}])
    ema_decay: float = 0.999


def growth_stages(params):
    """(Stage "4x4" at 0, then per level: "<r>x<r> fade-in", "<r>x<r>"), each resetting the
    optimizers; options: level (0 = 4 x 4) and fade (True during a fade-in)."""
    stages = [Stage(f"{MIN_SIZE}x{MIN_SIZE}", 0, options={"level": 0, "fade": False})]
    start = params.stage_steps
    for level in range(1, num_levels(params.resolution)):
        r = MIN_SIZE * 2 ** level
        stages.append(Stage(f"{r}x{r} fade-in", start, reset_optimizers=True,
                            options={"level": level, "fade": True}))
        start += params.fade_steps
        stages.append(Stage(f"{r}x{r}", start, reset_optimizers=True, options={"level": level, "fade": False}))
        start += params.stage_steps
    return tuple(stages)


def growth_steps(params):
    """Steps until the last stage has had its stable steps: every level trained once."""
    return growth_stages(params)[-1].start + params.stage_steps


def clip_images(images):
    """The toRGB layers are linear (the paper's choice: a tanh output hurt ProGAN); the
    discriminator sees their raw output in training, and samples and exports are clipped to
    the [-1, 1] every image consumer expects (the reference code clips when converting)."""
    return tf.clip_by_value(images, -1.0, 1.0)


class ProgressiveMixin:
    """The lod of the step: the stages, the reals at the lod, the networks' lod input."""
    progressive = True

    @classmethod
    def stages(cls, params, train):
        return growth_stages(params) if cls.progressive_for(params) else (Stage("main", 0),)

    @classmethod
    def progressive_for(cls, params):
        return cls.progressive

    @classmethod
    def check_resolution(cls, params, info):
        if cls.progressive_for(params) and tuple(info.shape[:2]) != (params.resolution,) * 2:
            raise ConfigError(f"{cls.__name__}: model.resolution ({params.resolution}) must equal the "
                              f"data's image size ({info.shape[0]}): the growth stages are planned for it")

    def _levels(self):
        return num_levels(self.params.resolution) if self.progressive_for(self.params) else 1

    def lod_at(self, step, index=None):
        """The lod at `step` (a tensor inside the train step; an int for sampling): top - level
        in a stable stage, top - level + 1 - alpha during a fade-in."""
        if not self.progressive_for(self.params):
            return tf.constant(0.0)
        if index is None:
            index = stage_index(self.stage_plan, int(step))
        stage = self.stage_plan[index]
        lod = float(self._levels() - 1 - stage.options["level"])
        if not stage.options["fade"]:
            return tf.constant(lod)
        alpha = tf.cast(tf.convert_to_tensor(step) - stage.start, tf.float32) / float(self.params.fade_steps)
        return lod + 1.0 - tf.clip_by_value(alpha, 0.0, 1.0)

    def training_lod(self):
        index = self.stage_index if self.stage_index is not None else 0
        return self.lod_at(self.step.value, index)

    def sampling_lod(self):
        """The lod of the last step trained: a constant, also when an export is traced (the
        step is read outside the trace), so the SavedModel needs no step variable."""
        with tf.init_scope():
            step = int(self.step.numpy())
        return self.lod_at(max(step - 1, 0))

    @staticmethod
    def lod_column(lod, like):
        return tf.fill(tf.stack([tf.shape(like)[0], 1]), tf.cast(lod, tf.float32))

    def real_images(self, batch):
        real = batch["real"]
        if not self.progressive_for(self.params):
            return real
        return tf.cast(progressive_images(real, self.training_lod(), self._levels()), real.dtype)

    def discriminate(self, images, cond, training):
        return self.discriminator({"image": images, "lod": self.lod_column(self.training_lod(), images)},
                                  training=training)


@FAMILIES.register("progan")
class ProGAN(ProgressiveMixin, GANModel):
    Params = ProGANParams
    roles = {"generator": "progan_generator", "discriminator": "progan_discriminator"}
    train_defaults = {"g_learning_rate": 1e-3, "d_learning_rate": 1e-3, "beta_1": 0.0, "beta_2": 0.99}
    term_names = {"discriminator": ("d_adv",), "generator": ("g_adv",)}
    extra_metric_names = ("lod",)
    # 8 px: stages 4x4 [0], 8x8 fade-in [1, 3), 8x8 [3, ...): the harness's 4 steps cross two
    # growth boundaries and its resume starts inside the fade-in
    tiny_config = {"model": {"resolution": 8, "stage_steps": 1, "fade_steps": 2, "ema_decay": 0.9},
                   "generator": {"base_filters": 4, "max_filters": 8},
                   "discriminator": {"base_filters": 4, "max_filters": 8}}

    @classmethod
    def network_args(cls, params, info):
        cls.check_resolution(params, info)
        return super().network_args(params, info)

    def generate(self, batch, training):
        """Training runs at the training lod (sampling at the lod the step has reached)."""
        z = self.generator_inputs(batch)["latents"]
        return self.generator({"z": z, "lod": self.lod_column(self.training_lod(), z)}, training=training)

    def after_train_step(self, batch, logs):
        return {"lod": self.training_lod()}

    def call_generator(self, generator, inputs, training, **options):
        z = inputs["latents"]
        return clip_images(generator({"z": z, "lod": self.lod_column(self.sampling_lod(), z)}, training=training))
