"""CycleGAN (Zhu et al. 2017): unpaired translation between domains A and B.

Roles: g_ab (G: A -> B) and g_ba (F: B -> A), ResNet-block generators; d_a and d_b, PatchGANs
with instance norm. Data: two streams "a" and "b" (`unpaired:<dirA>,<dirB>`, `digits_unpaired`).
One step, as the official code: the generators' update, then the discriminators'.

    generator:     g_adv_ab + g_adv_ba       least squares, D(fake) -> 1
                 + g_cycle_a + g_cycle_b     λ_cyc |F(G(a)) - a|_1 + λ_cyc |G(F(b)) - b|_1
                 + g_identity_a / _b         λ_cyc λ_id |F(a) - a|_1 + λ_cyc λ_id |G(b) - b|_1
    discriminator: d_adv_a + d_adv_b         ½ (D(real) - 1)² + ½ D(pooled fake)²

with λ_cyc = 10 and λ_id = 0.5 (identity weight 5: λ_id multiplies λ_cyc, the official
convention; losses/translation.py). The zoo's least-squares G loss is ½ (D - 1)² and the
official code's is (D - 1)², so `adversarial_weight` 2 reproduces its balance of adversarial
and cycle terms; D's loss is the official one as is.

Image pool: each discriminator sees fakes drawn from a pool of the last `pool_size` (50) fakes
(models/image_pool.py), held as model state (checkpointed). Under tf.distribute the pool is
updated once, on the global batch of fakes (all_gather), with draws shared by the replicas,
and each replica takes its rows back, so N replicas keep the one pool one device keeps.

Optimizers g (both generators) and d (both discriminators): Adam 2e-4, β1 0.5, constant for
the first half of the run and linearly decayed to 0 over the second. Endpoints:
translate_ab(images) and translate_ba(images), concrete H, W, C in the signatures.
"""
from dataclasses import dataclass

import numpy as np
import tensorflow as tf

from tfgan_zoo import distribute
from tfgan_zoo.errors import ConfigError
from tfgan_zoo.losses.translation import CYCLE_WEIGHT, IDENTITY_FACTOR, cycle_terms, identity_terms
from tfgan_zoo.models.base import GANModel, GANParams
from tfgan_zoo.models.declarations import Endpoint, Phase
from tfgan_zoo.models.inputs import Given
from tfgan_zoo.models.image_pool import pool_query
from tfgan_zoo.registry import FAMILIES

STREAMS = ("a", "b")
LINEAR_DECAY = {"schedule": "linear_decay", "decay_start": 0.5}


@dataclass
class CycleGANParams(GANParams):
    loss: str = "least_squares"
    #: λ_cyc, the weight of each direction's cycle term
    cycle_weight: float = CYCLE_WEIGHT
    #: λ_id, a factor on λ_cyc (identity weight λ_cyc λ_id = 5); 0 drops the identity terms
    identity_factor: float = IDENTITY_FACTOR
    #: weight of each generator's adversarial term (2: the official (D - 1)² with the zoo's ½ (D - 1)²)
    adversarial_weight: float = 2.0
    #: fakes kept per discriminator's image pool (0: no pool, D sees the newest fakes)
    pool_size: int = 50

    def validate(self):
        super().validate()
        for name in ("cycle_weight", "identity_factor", "adversarial_weight", "pool_size"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} {getattr(self, name)} must be >= 0")


@FAMILIES.register("cyclegan")
class CycleGAN(GANModel):
    Params = CycleGANParams
    roles = {"g_ab": "resnet_generator", "g_ba": "resnet_generator", "d_a": "patchgan", "d_b": "patchgan"}
    network_defaults = {role: {"norm": "instance"} for role in ("d_a", "d_b")}
    train_defaults = {"g_learning_rate": 2e-4, "d_learning_rate": 2e-4, "beta_1": 0.5}
    optimizer_defaults = {"g": LINEAR_DECAY, "d": LINEAR_DECAY}
    phases = (Phase("generator", "g", fake="attached", total="g_loss"),
              Phase("discriminator", "d", fake="detached", total="d_loss"))
    term_names = {"generator": ("g_adv_ab", "g_adv_ba", "g_cycle_a", "g_cycle_b", "g_identity_a", "g_identity_b"),
                  "discriminator": ("d_adv_a", "d_adv_b")}
    ema_roles = ()     # two generators, each the other's inverse: no EMA copy
    critic_roles = ()  # one critic per domain
    tiny_config = {
        "data": {"name": "digits_unpaired", "image_size": 8, "batch_size": 4},
        "model": {"pool_size": 6, "latent_dim": 64},  # the default latent_dim: unused here
        **{role: {"base_filters": 4, "num_downsample": 1, "num_blocks": 1} for role in ("g_ab", "g_ba")},
        **{role: {"base_filters": 4, "n_layers": 1} for role in ("d_a", "d_b")},
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.params.pool_size:
            shape = (self.params.pool_size, *self.g_ab.outputs[0].shape[1:])
            for name in STREAMS:
                self.add_state(f"pool_{name}", shape, "float32", aggregation="only_first_replica")
                self.add_state(f"pool_{name}_count", (), "int32", aggregation="only_first_replica")

    @classmethod
    def network_args(cls, params, info):
        if tuple(info.streams) != STREAMS:
            raise ConfigError(f"cyclegan needs two unpaired streams 'a' and 'b' (unpaired:<dirA>,<dirB> or "
                              f"digits_unpaired); dataset {info.name!r} has {list(info.streams) or 'one'}")
        size, channels = info.shape[0], info.shape[-1]
        g = {"image_size": size, "in_channels": channels, "out_channels": channels}
        d = {"image_size": size, "in_channels": channels}
        return {"g_ab": g, "g_ba": dict(g), "d_a": d, "d_b": dict(d)}

    # ------------------------------------------------------------------ data and fakes
    def unpack_batch(self, data):
        return {"a": data["a"]["real"], "b": data["b"]["real"], "real": data["a"]["real"]}

    def generator_input_spec(self):
        """A domain-A image, given (the translate_ab / translate_ba endpoints are declared below)."""
        return {"images": Given(*self.g_ab.inputs[0].shape[1:], key="a")}

    def generate(self, batch, training):
        return {"images_ab": self.g_ab(batch["a"], training=training),
                "images_ba": self.g_ba(batch["b"], training=training)}

    def fake_images(self, fake):
        return fake["images_ab"]

    def generator_variables(self):
        return self.g_ab.trainable_variables + self.g_ba.trainable_variables

    def discriminator_variables(self):
        return self.d_a.trainable_variables + self.d_b.trainable_variables

    # ------------------------------------------------------------------ terms
    def generator_terms(self, batch, fake):
        a, b, p = batch["a"], batch["b"], self.params
        fake_b, fake_a = fake["images_ab"], fake["images_ba"]
        terms = cycle_terms(a, self.g_ba(fake_b, training=True), b, self.g_ab(fake_a, training=True),
                            p.cycle_weight)
        if p.identity_factor:
            terms.update(identity_terms(a, self.g_ba(a, training=True), b, self.g_ab(b, training=True),
                                        p.cycle_weight, p.identity_factor))
        outputs = {"fake_b": self.d_b(fake_b, training=True), "fake_a": self.d_a(fake_a, training=True)}
        loss = self.adversarial_loss
        real_b = self.d_b(b, training=True) if loss.generator_needs_real else None
        real_a = self.d_a(a, training=True) if loss.generator_needs_real else None
        terms["g_adv_ab"] = p.adversarial_weight * loss.generator(outputs["fake_b"], d_real=real_b)
        terms["g_adv_ba"] = p.adversarial_weight * loss.generator(outputs["fake_a"], d_real=real_a)
        return terms, outputs

    def discriminator_terms(self, batch, fake):
        fake_b = self.pooled("b", fake["images_ab"])
        fake_a = self.pooled("a", fake["images_ba"])
        outputs = {"real_b": self.d_b(batch["b"], training=True), "fake_b": self.d_b(fake_b, training=True),
                   "real_a": self.d_a(batch["a"], training=True), "fake_a": self.d_a(fake_a, training=True)}
        loss = self.adversarial_loss
        terms = {"d_adv_b": loss.discriminator(outputs["real_b"], outputs["fake_b"], self.random_uniform),
                 "d_adv_a": loss.discriminator(outputs["real_a"], outputs["fake_a"], self.random_uniform)}
        return terms, outputs

    def pooled(self, name, images):
        """The fakes domain `name`'s discriminator sees: a query of its pool (module docstring)."""
        size = self.params.pool_size
        if not size:
            return images
        everyone = self.all_gather(images)
        n = tf.shape(everyone)[0]
        swap = self.random_uniform([n], shared=True)
        slots = tf.minimum(tf.cast(self.random_uniform([n], shared=True) * size, tf.int32), size - 1)
        pool, count = getattr(self, f"pool_{name}"), getattr(self, f"pool_{name}_count")
        returned, new_pool, new_count = pool_query(pool.value, count.value, everyone, swap, slots)
        pool.assign(new_pool)
        count.assign(new_count)
        return tf.cast(distribute.replica_rows(returned), images.dtype)

    # ------------------------------------------------------------------ use and export
    def export_generator(self):
        return self.g_ab

    def export_modules(self):
        return [self.g_ab, self.g_ba]

    def translate_ab(self, images):
        return np.asarray(self.g_ab(images, training=False))

    def translate_ba(self, images):
        return np.asarray(self.g_ba(images, training=False))

    def export_endpoints(self):
        from tfgan_zoo.export import image_outputs

        def spec(generator):
            return {"images": tf.TensorSpec([None, *generator.inputs[0].shape[1:]], tf.float32, name="images")}

        return [Endpoint("translate_ab", lambda images: image_outputs(self.g_ab(images, training=False)),
                         spec(self.g_ab)),
                Endpoint("translate_ba", lambda images: image_outputs(self.g_ba(images, training=False)),
                         spec(self.g_ba))]

    def preview_inputs(self, num, seed, reference):
        return {"a": reference["real"][:max(1, num // 4)]}  # rows of three images: a square-ish grid

    def preview(self, inputs):
        """Rows a | G(a) | F(G(a))."""
        fake = self.translate_ab(inputs["a"])
        return np.concatenate([np.asarray(inputs["a"]), fake, self.translate_ba(fake)], axis=2)

    def card_fields(self):
        domains = (self.data_info.extra or {}).get("domains") if self.data_info is not None else None
        return {"domains": list(domains)} if domains else {}
