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

from tfgan_zoo.export import check_labels
from tfgan_zoo.losses.conditional import PRIORS, infogan_terms
from tfgan_zoo.models.base import GANModel, GANParams
from tfgan_zoo.models.declarations import Endpoint
from tfgan_zoo.registry import FAMILIES


@dataclass
class InfoGANParams(GANParams):
    #: size of the noise z (the codes come on top of it)
    latent_dim: int = 62
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
    def draw_continuous(self, n, seed=None):
        """[n, J] codes from the prior: per-example model draws, or stateless with `seed`."""
        shape = [n, self.params.num_continuous]
        normal = self.params.continuous_prior == "normal"
        if seed is None:
            return self.random_normal(shape) if normal else 2.0 * self.random_uniform(shape) - 1.0
        if normal:
            return tf.random.stateless_normal(tf.stack(shape), seed=seed)
        return tf.random.stateless_uniform(tf.stack(shape), seed=seed, minval=-1.0, maxval=1.0)

    def generator_inputs(self, batch):
        n = self.batch_size(batch)
        k = self.params.num_categories
        category = tf.minimum(tf.cast(self.random_uniform([n]) * k, tf.int32), k - 1)
        return {"latents": self.random_normal([n, self.latent_dim]), "category": category,
                "continuous": self.draw_continuous(n)}

    def _generator_vector(self, inputs):
        parts = [tf.cast(inputs["latents"], tf.float32),
                 tf.one_hot(inputs["category"], self.params.num_categories, dtype=tf.float32)]
        if self.params.num_continuous:
            parts.append(tf.cast(inputs["continuous"], tf.float32))
        return tf.concat(parts, axis=-1)

    def generate(self, batch, training):
        inputs = self.generator_inputs(batch)
        images = self.generator(self._generator_vector(inputs), training=training)
        return {"images": images, "category": inputs["category"], "continuous": inputs["continuous"]}

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
    def sample_inputs(self, num, seed):
        inputs = super().sample_inputs(num, seed)
        inputs["category"] = tf.range(tf.cast(num, tf.int32)) % self.params.num_categories  # balanced
        if self.params.num_continuous:
            inputs["continuous"] = self.draw_continuous(tf.cast(num, tf.int32),
                                                        seed=tf.stack([tf.cast(seed, tf.int64), 1]))
        return inputs

    def generate_specs(self):
        specs = {**super().generate_specs(), "category": tf.TensorSpec([None], tf.int32, name="category")}
        if self.params.num_continuous:
            specs["continuous"] = tf.TensorSpec([None, self.params.num_continuous], tf.float32, name="continuous")
        return specs

    def generate_images(self, inputs, generator=None, training=False):
        generator = generator or self.export_generator()
        inputs = dict(inputs, category=check_labels(tf.cast(inputs["category"], tf.int32),
                                                    self.params.num_categories, "category"))
        return generator(self._generator_vector(inputs), training=training)

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
