"""Class-conditional families: cGAN (concat or projection discriminator) and ACGAN.

Both generate with G([z, y]): in training y is drawn uniformly over the classes (not the real
batch's labels: every class gets fakes at the same rate), and the fake carries its labels
({"images", "label"}), so D judges each fake with the label it was made for. `sample(num,
seed)` draws balanced labels 0, 1, ..., K-1, 0, ... and the export's `generate(latents,
labels)` refuses labels outside [0, K) with a message naming K.

cGAN (Mirza & Osindero 2014): D([x, y]) with y as one-hot channels ("concat") or through the
projection head (Miyato & Koyama 2018: "projection"; their config adds the hinge loss,
spectral norm and a conditional-batch-norm generator: zoo_configs/cgan/digits_projection.yaml).

ACGAN (Odena et al. 2017): D(x) -> (real / fake logit, class logits); both players add the
class cross-entropy: D on real images (and on fakes when `d_class_on_fakes`), G on its fakes
with the labels it was asked for. The default trains D's classifier on real images only (the
Keras reference example's choice, weight 0 on fakes): G is then rewarded for fakes that a
classifier of REAL digits recognises, whereas a classifier also fitted to the fakes lets G
and D agree on whatever makes fakes easy to classify, ACGAN's known bias towards easily
classified, low-diversity samples. The paper's variant is `d_class_on_fakes: true`.
"""
from dataclasses import dataclass

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.losses.reconstruction import sparse_classification_loss
from tfgan_zoo.models.base import GANModel, GANParams
from tfgan_zoo.models.labels import LabelConditioned
from tfgan_zoo.registry import FAMILIES

CONDITIONINGS = ("concat", "projection")


class ClassConditional(LabelConditioned, GANModel):
    """G([z, y]) with structured fakes {"images", "label"}, balanced sampling and labelled
    endpoints: the declared inputs latents + labels (LabelConditioned), nothing else."""


@dataclass
class CGANParams(GANParams):
    #: how D is told the class: "concat" (one-hot channels) or "projection" (Miyato & Koyama);
    #: passed to the discriminator network (set it here, not in the discriminator section)
    conditioning: str = "concat"

    def validate(self):
        super().validate()
        if self.conditioning not in CONDITIONINGS:
            raise ValueError(f"conditioning must be one of {list(CONDITIONINGS)}, got {self.conditioning!r}")


@FAMILIES.register("cgan")
class CGAN(ClassConditional):
    Params = CGANParams
    roles = {"generator": "conditional_generator", "discriminator": "conditional_discriminator"}
    tiny_config = {"model": {"conditioning": "projection"}, "discriminator": {"spectral_norm": True}}

    @classmethod
    def network_args(cls, params, info):
        args = super().network_args(params, info)
        args["discriminator"]["conditioning"] = params.conditioning
        return args

    @classmethod
    def from_run_config(cls, cfg, info):
        given = cfg.networks.get("discriminator", {}).get("conditioning")
        if given is not None and given != cfg.model.conditioning:
            raise ConfigError(f"cgan: set the conditioning with model.conditioning ({cfg.model.conditioning!r}), "
                              f"not discriminator.conditioning ({given!r})")
        return super().from_run_config(cfg, info)

    def discriminate(self, images, cond, training):
        return self.discriminator([images, cond["label"]], training=training)


@dataclass
class ACGANParams(GANParams):
    #: weight of the class cross-entropy in both players' losses
    class_weight: float = 1.0
    #: D's classifier also learns the fakes' labels (the paper); false: real images only
    d_class_on_fakes: bool = False

    def validate(self):
        super().validate()
        if self.class_weight < 0:
            raise ValueError(f"class_weight {self.class_weight} must be >= 0")


@FAMILIES.register("acgan")
class ACGAN(ClassConditional):
    Params = ACGANParams
    roles = {"generator": "conditional_generator", "discriminator": "acgan_discriminator"}
    term_names = {"discriminator": ("d_adv", "d_class"), "generator": ("g_adv", "g_class")}

    def discriminate(self, images, cond, training):
        return self.discriminator(images, training=training)  # {"adv", "class_logits"}

    def discriminator_terms(self, batch, fake):
        terms, outputs = super().discriminator_terms(batch, fake)
        loss = sparse_classification_loss(batch["label"], outputs["real"]["class_logits"])
        if self.params.d_class_on_fakes:
            loss += sparse_classification_loss(fake["label"], outputs["fake"]["class_logits"])
        terms["d_class"] = self.params.class_weight * loss
        return terms, outputs

    def generator_terms(self, batch, fake):
        terms, outputs = super().generator_terms(batch, fake)
        terms["g_class"] = self.params.class_weight * sparse_classification_loss(
            fake["label"], outputs["fake"]["class_logits"])
        return terms, outputs
