"""StarGAN (Choi et al. 2018): one generator translating between K domains.

Roles: generator G(x, c), a ResNet-block generator taking the target domain c as a one-hot
tiled over the image (zero padding, 4x4 down / up convolutions, as the paper); discriminator
D(x) -> (critic map, K domain logits). Data: elements with a "domain" (`digits_domains`), or
named streams, one domain each (`unpaired:<dirA>,<dirB>`: domain 0 = A, 1 = B; a step then
reads a batch of every stream, interleaved example by example so that replicas split it as
one device does).

    discriminator (x n_critic = 5, fresh reals each):
        d_adv = E D(G(x, c')) - E D(x)     + gp = 10 E(||grad D(x^)|| - 1)²    (WGAN-GP)
        d_cls = λ_cls CE(D_cls(x), c)      on real images only
    generator:
        g_adv = -E D(G(x, c'))
        g_cls = λ_cls CE(D_cls(G(x, c')), c')
        g_rec = λ_rec |G(G(x, c'), c) - x|_1

λ_cls = 1, λ_rec = 10 (losses/translation.py). `identity_weight` > 0 adds g_identity =
λ_id |G(x, c) - x|_1 (not in the paper, whose default 0 is kept). Target domains c' are drawn uniformly from the
K domains for every example at every update (the official code shuffles the batch's own
labels, which for balanced domains draws from the same distribution). Optimizers g and d:
Adam 1e-4, β (0.5, 0.999), linear decay to 0 over the second half of the run.
Endpoint: translate(images, target_domain int32 [N]), a domain outside [0, K) is refused.
"""
from dataclasses import dataclass, field

import numpy as np
import tensorflow as tf

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.losses.reconstruction import identity_loss
from tfgan_zoo.losses.translation import (CLASSIFICATION_WEIGHT, RECONSTRUCTION_WEIGHT, domain_classification_term,
                                          one_hot_domains, reconstruction_term)
from tfgan_zoo.models.base import GANModel, GANParams
from tfgan_zoo.models.cyclegan import LINEAR_DECAY
from tfgan_zoo.models.inputs import Categorical, Given
from tfgan_zoo.registry import FAMILIES


@dataclass
class StarGANParams(GANParams):
    loss: str = "wasserstein"
    #: WGAN-GP's gradient penalty, λ_gp = 10
    regularizers: list = field(default_factory=lambda: [{"name": "gradient_penalty", "weight": 10.0}])
    n_critic: int = 5
    #: λ_cls, the weight of the domain classification terms (D on reals, G on its translations)
    classification_weight: float = CLASSIFICATION_WEIGHT
    #: λ_rec, the weight of the reconstruction term |G(G(x, c'), c) - x|_1
    reconstruction_weight: float = RECONSTRUCTION_WEIGHT
    #: λ_id of an identity term |G(x, c) - x|_1 (x in its own domain c); not in the paper (0)
    identity_weight: float = 0.0

    def validate(self):
        super().validate()
        for name in ("classification_weight", "reconstruction_weight", "identity_weight"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} {getattr(self, name)} must be >= 0")


def domain_names(info):
    """The domain names of a dataset: its streams, or DataInfo.extra["domains"]."""
    if info.streams:
        return list(info.streams)
    names = (info.extra or {}).get("domains")
    if not names:
        raise ConfigError(f"stargan needs domains: a dataset whose elements carry a 'domain' (digits_domains) "
                          f"or one stream per domain (unpaired:<dirA>,<dirB>); {info.name!r} has neither")
    return list(names)


@FAMILIES.register("stargan")
class StarGAN(GANModel):
    Params = StarGANParams
    roles = {"generator": "resnet_generator", "discriminator": "stargan_discriminator"}
    network_defaults = {"generator": {"padding": "zero", "sample_kernel": 4, "num_blocks": 6}}
    train_defaults = {"g_learning_rate": 1e-4, "d_learning_rate": 1e-4, "beta_1": 0.5, "beta_2": 0.999}
    optimizer_defaults = {"g": LINEAR_DECAY, "d": LINEAR_DECAY}
    term_names = {"discriminator": ("d_adv", "d_cls"), "generator": ("g_adv", "g_cls", "g_rec", "g_identity")}
    tiny_config = {
        "data": {"name": "digits_domains", "image_size": 8, "batch_size": 4},
        "model": {"n_critic": 2, "latent_dim": 64},  # the default latent_dim: unused here
        "generator": {"base_filters": 4, "num_downsample": 1, "num_blocks": 1},
        "discriminator": {"base_filters": 4, "n_layers": 2},
    }

    @property
    def num_domains(self):
        return int(self.generator.inputs[1].shape[-1])

    @classmethod
    def network_args(cls, params, info):
        k, size, channels = len(domain_names(info)), info.shape[0], info.shape[-1]
        return {"generator": {"image_size": size, "in_channels": channels, "out_channels": channels,
                              "condition_dim": k},
                "discriminator": {"image_size": size, "in_channels": channels, "num_domains": k}}

    # ------------------------------------------------------------------ data and fakes
    def unpack_batch(self, data):
        streams = tuple(self.data_info.streams) if self.data_info is not None else ()
        if not streams:
            return dict(data)
        # [B] of each stream -> [K B], interleaved (a0, b0, a1, b1, ...): a replica's rows of the
        # one-device batch are then exactly the rows it interleaves from its own share
        real = tf.stack([data[name]["real"] for name in streams], axis=1)
        n = tf.shape(real)[0]
        domain = tf.tile(tf.range(len(streams), dtype=tf.int32), [n])
        return {"real": tf.reshape(real, tf.concat([[-1], tf.shape(real)[2:]], 0)), "domain": domain}

    def translate(self, images, domains, generator=None, training=False):
        generator = generator or self.export_generator()
        images = tf.convert_to_tensor(images)
        condition = one_hot_domains(domains, self.num_domains, images.dtype)
        return generator([images, condition], training=training)

    def generator_input_spec(self):
        """The image (given: the batch's reals in training) and its target domain (uniform in
        training, carried by the fake as "domain")."""
        return {"images": Given(*self.generator.inputs[0].shape[1:], key="real"),
                "target_domain": Categorical(self.num_domains, carry="domain")}

    def call_generator(self, generator, inputs, training, **options):
        return self.translate(inputs["images"], inputs["target_domain"], generator, training)

    # ------------------------------------------------------------------ terms
    def discriminator_terms(self, batch, fake):
        terms, outputs = super().discriminator_terms(batch, fake)
        terms["d_cls"] = domain_classification_term(batch["domain"], outputs["real"][1],
                                                    self.params.classification_weight)
        return terms, outputs

    def generator_terms(self, batch, fake):
        terms, outputs = super().generator_terms(batch, fake)
        p = self.params
        terms["g_cls"] = domain_classification_term(fake["domain"], outputs["fake"][1], p.classification_weight)
        back = self.translate(fake["images"], batch["domain"], self.generator, True)
        terms["g_rec"] = reconstruction_term(batch["real"], back, p.reconstruction_weight)
        if p.identity_weight:
            same = self.translate(batch["real"], batch["domain"], self.generator, True)
            terms["g_identity"] = p.identity_weight * identity_loss(batch["real"], same)
        return terms, outputs

    # ------------------------------------------------------------------ use and export
    def sample_inputs(self, num, seed):
        """Seeded target domains, uniform over the K domains (what the export's plain call uses
        for its second input: `loaded(images)` translates each image to a random domain)."""
        seed = tf.stack([tf.cast(seed, tf.int64), 0])
        return {"target_domain": tf.random.stateless_uniform(tf.reshape(tf.cast(num, tf.int32), [1]), seed,
                                                             0, self.num_domains, dtype=tf.int32)}

    def preview_inputs(self, num, seed, reference):
        return {"real": reference["real"][:max(1, num // (self.num_domains + 1))]}

    def preview(self, inputs):
        """Rows x | G(x, 0) | ... | G(x, K-1)."""
        x = np.asarray(inputs["real"])
        rows = [x] + [np.asarray(self.translate(x, np.full(len(x), k, np.int32))) for k in range(self.num_domains)]
        return np.concatenate(rows, axis=2)

    def card_fields(self):
        names = domain_names(self.data_info) if self.data_info is not None else None
        return {"domains": names, "num_domains": self.num_domains}
