"""InfoGAN (Chen et al. 2016): codes the generator must make recoverable from its images.

G's input is [z, one_hot(c), s]: noise z, one categorical code c (num_categories values, uniform)
and num_continuous continuous codes s (uniform on [-1, 1], or standard normal). Q shares D's
trunk (network `infogan_discriminator`: D's logit and Q's category logits and continuous
means, optionally log-stds). Both players maximise the mutual-information lower bound

    L_I = H(c) + E log Q(c | G(z, c, s))   (+ continuous_weight x the same for s)   nats

(losses.conditional.infogan_terms): D's update trains the trunk and Q on detached fakes, G's
update trains G through Q, as in the reference code (discriminator and generator losses both
minus lambda L_I). L_I of the category is logged as `mi_categorical` next to its ceiling
H(c) = ln K, that of the continuous codes as `mi_continuous`.

Export: generate(latents, category, continuous), sample(num, seed) (balanced categories,
seeded continuous codes) and infer(images) -> {"category_logits", "category", "continuous"}.
"""
from dataclasses import dataclass

import tensorflow as tf

from tfgan_zoo.losses.conditional import PRIORS, infogan_terms
from tfgan_zoo.models.base import GANModel, GANParams
from tfgan_zoo.models.declarations import Endpoint
from tfgan_zoo.models.inputs import Categorical, Normal, Uniform
from tfgan_zoo.registry import FAMILIES


@dataclass
class InfoGANParams(GANParams):
    #: size of the noise z (the codes come on top of it)
    latent_dim: int = 62
    #: prior of the noise z: normal, or uniform on [-1, 1] (the reference code's MNIST run)
    noise_prior: str = "normal"
    #: values of the categorical code c
    num_categories: int = 10
    #: continuous codes s
    num_continuous: int = 2
    #: prior of the continuous codes: uniform (on [-1, 1]) or normal
    continuous_prior: str = "uniform"
    #: lambda of the categorical code's information term
    info_weight: float = 1.0
    #: lambda of the continuous codes' information term
    continuous_weight: float = 1.0

    def validate(self):
        super().validate()
        if self.num_categories < 2:
            raise ValueError(f"num_categories {self.num_categories} must be >= 2")
        if self.num_continuous < 0:
            raise ValueError(f"num_continuous {self.num_continuous} must be >= 0")
        if self.noise_prior not in PRIORS:
            raise ValueError(f"noise_prior must be one of {list(PRIORS)}, got {self.noise_prior!r}")
        if self.continuous_prior not in PRIORS:
            raise ValueError(f"continuous_prior must be one of {list(PRIORS)}, got {self.continuous_prior!r}")
        if self.info_weight < 0 or self.continuous_weight < 0:
            raise ValueError("info_weight and continuous_weight must be >= 0")


@FAMILIES.register("infogan")
class InfoGAN(GANModel):
    Params = InfoGANParams
    roles = {"generator": "dcgan_generator", "discriminator": "infogan_discriminator"}
    term_names = {"discriminator": ("d_adv", "d_info"), "generator": ("g_adv", "g_info")}
    extra_metric_names = ("mi_categorical", "mi_continuous")
    tiny_config = {"model": {"num_categories": 4}, "discriminator": {"q_units": 8, "learn_std": True}}

    @classmethod
    def network_args(cls, params, info):
        args = super().network_args(params, info)
        args["generator"]["latent_dim"] = params.latent_dim + params.num_categories + params.num_continuous
        args["discriminator"].update(num_categories=params.num_categories, num_continuous=params.num_continuous)
        return args

    # ------------------------------------------------------------------ codes
    def generator_input_spec(self):
        """z (standard normal or uniform on [-1, 1]), the category (uniform in training, balanced
        in `sample`) and the continuous codes (uniform on [-1, 1] or standard normal); the fake
        carries both codes."""
        p = self.params
        spec = {"latents": (Uniform if p.noise_prior == "uniform" else Normal)(self.latent_dim),
                "category": Categorical(p.num_categories, carry="category")}
        if p.num_continuous:
            prior = Normal if p.continuous_prior == "normal" else Uniform
            spec["continuous"] = prior(p.num_continuous, carry="continuous")
        return spec

    def call_generator(self, generator, inputs, training, **options):
        """G([z, one_hot(c), s]) as one vector."""
        parts = [tf.cast(inputs["latents"], tf.float32),
                 tf.one_hot(inputs["category"], self.params.num_categories, dtype=tf.float32)]
        if self.params.num_continuous:
            parts.append(tf.cast(inputs["continuous"], tf.float32))
        return generator(tf.concat(parts, axis=-1), training=training)

    def discriminate(self, images, cond, training):
        return self.discriminator(images, training=training)  # {"adv", "category_logits", ...}

    # ------------------------------------------------------------------ terms
    def information(self, fake, q):
        """infogan_terms of the fake's codes under Q's outputs q."""
        p = self.params
        continuous = p.num_continuous > 0
        return infogan_terms(fake["category"], q["category_logits"],
                             fake["continuous"] if continuous else None,
                             q["continuous_mean"] if continuous else None,
                             q.get("continuous_log_std"), p.continuous_prior,
                             continuous_weight=p.continuous_weight, category_weight=p.info_weight)

    def discriminator_terms(self, batch, fake):
        terms, outputs = super().discriminator_terms(batch, fake)
        terms["d_info"] = self.information(fake, outputs["fake"])["info_loss"]
        return terms, outputs

    def generator_terms(self, batch, fake):
        terms, outputs = super().generator_terms(batch, fake)
        info = self.information(fake, outputs["fake"])
        terms["g_info"] = info["info_loss"]
        outputs["logs"] = {"mi_categorical": tf.stop_gradient(info["mi_categorical"]),
                           "mi_continuous": tf.stop_gradient(info.get("mi_continuous", tf.constant(0.0)))}
        return terms, outputs

    # ------------------------------------------------------------------ sampling / export
    def export_modules(self):
        return super().export_modules() + [self.discriminator]

    def export_endpoints(self):
        shape = [None, *self.discriminator.inputs[0].shape[1:]]

        def infer(images):
            q = self.discriminator(images, training=False)
            out = {"category_logits": q["category_logits"],
                   "category": tf.argmax(q["category_logits"], -1, output_type=tf.int32)}
            if self.params.num_continuous:
                out["continuous"] = q["continuous_mean"]
            return out

        return super().export_endpoints() + [
            Endpoint("infer", infer, {"images": tf.TensorSpec(shape, tf.float32, name="images")})]
