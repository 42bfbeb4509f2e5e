"""Triple-GAN (Li et al. 2017): a generator G, a classifier C and a discriminator D of (x, y) pairs.

D tells data pairs (x, y) from G's pairs (G(z, y), y) and C's pairs (x, C(x)) on unlabelled x:

    D: -E_p log D - (1 - alpha) E_pg log(1 - D) - alpha E_pc log(1 - D)      (alpha = 1/2)
    G: (1 - alpha) E_pg -log D                                                 (non-saturating)
    C: alpha E_pc -log D  +  CE on the labelled set  +  entropy_weight H(C(x_u))
       + pseudo_weight CE(C(G(z, y)), y) from step pseudo_start (stage "joint")

(losses.conditional; the reference code's weights: alpha 1/2, entropy 0.3, pseudo 0.1 after a
warm-up). C's pairs are every class weighted by p_c(y|x) (`classifier_pairs: all`, the exact
expectation: D judges B x K pairs) or the argmax class alone (`argmax`, the reference's
approximation, C's term weighted by its confidence). Outside its own update C labels with
training=False, and D judges C's pairs with training=False during C's update, so neither moves
the other's batch statistics.

Data: two streams (digits with data.options.labelled_subset: k labels per class, the rest
unlabelled); C is exported as classify(images) -> {"logits", "labels"}.
"""
from dataclasses import dataclass

import tensorflow as tf

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.losses.conditional import (mean_entropy, triplegan_classifier_adversarial_loss,
                                          triplegan_discriminator_loss, triplegan_generator_loss)
from tfgan_zoo.losses.reconstruction import sparse_classification_loss
from tfgan_zoo.models.base import GANParams
from tfgan_zoo.models.conditional import ClassConditional
from tfgan_zoo.models.declarations import Endpoint, Phase, Stage
from tfgan_zoo.registry import FAMILIES

STREAMS = ("labelled", "unlabelled")


@dataclass
class TripleGANParams(GANParams):
    #: weight of C's pairs in D's loss (G's get 1 - alpha) and of C's adversarial term
    alpha: float = 0.5
    #: C's pairs for D: "all" classes weighted by p_c(y|x), or the "argmax" class
    classifier_pairs: str = "all"
    #: weight of C's cross-entropy on G's samples (the pseudo-discriminative term R_P)
    pseudo_weight: float = 0.1
    #: step from which C learns from G's samples (the stage "joint")
    pseudo_start: int = 1000
    #: weight of the entropy of C's predictions on unlabelled images (minimised)
    entropy_weight: float = 0.3

    def validate(self):
        super().validate()
        if self.loss != "nonsaturating":
            raise ValueError(f"triplegan: the three-way game is its own loss; model.loss must stay "
                             f"'nonsaturating', got {self.loss!r}")
        if not 0.0 <= self.alpha <= 1.0:
            raise ValueError(f"alpha {self.alpha} must be in [0, 1]")
        if self.classifier_pairs not in ("all", "argmax"):
            raise ValueError(f"classifier_pairs must be 'all' or 'argmax', got {self.classifier_pairs!r}")
        if self.pseudo_weight < 0 or self.entropy_weight < 0 or self.pseudo_start < 0:
            raise ValueError("pseudo_weight, entropy_weight and pseudo_start must be >= 0")


@FAMILIES.register("triplegan")
class TripleGAN(ClassConditional):
    Params = TripleGANParams
    roles = {"generator": "conditional_generator", "discriminator": "conditional_discriminator",
             "classifier": "conv_classifier"}
    network_defaults = {"discriminator": {"norm": "none", "spectral_norm": True}}
    phases = (Phase("discriminator", "d", repeat="n_critic", fresh_data=True, total="d_loss"),
              Phase("generator", "g", fake="attached", total="g_loss"),
              Phase("classifier", "c", fake="detached", total="c_loss"))
    term_names = {"discriminator": ("d_adv",), "generator": ("g_adv",),
                  "classifier": ("c_sup", "c_adv", "c_entropy", "c_pseudo")}
    tiny_config = {"data": {"options": {"labelled_subset": 2}}, "model": {"pseudo_start": 2}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.learn_from_fakes = False

    @classmethod
    def network_args(cls, params, info):
        if tuple(info.streams) != STREAMS:
            raise ConfigError(f"triplegan needs a labelled and an unlabelled stream, got {info.streams or 'one'}: "
                              "set data.options.labelled_subset (labels per class) on digits")
        return super().network_args(params, info)

    @classmethod
    def stages(cls, params, train):
        joint = Stage("joint", params.pseudo_start, options={"pseudo": True})
        if params.pseudo_start == 0:
            return (Stage(joint.name, 0, options=joint.options),)
        return (Stage("warmup", 0), joint)

    def enter_stage(self, index, fresh):
        self.learn_from_fakes = bool(self.stage_plan[index].options.get("pseudo"))
        super().enter_stage(index, fresh)

    def unpack_batch(self, data):
        return {"real": data["labelled"]["real"], "label": data["labelled"]["label"],
                "unlabelled": data["unlabelled"]["real"]}

    def discriminate(self, images, cond, training):
        return self.discriminator([images, cond["label"]], training=training)

    # ------------------------------------------------------------------ C's pairs
    def classifier_pairs(self, images, probs, training):
        """D's logits on C's pairs and their weights: ([B, K], p) for "all", ([B], None) for "argmax"."""
        if self.params.classifier_pairs == "argmax":
            labels = tf.argmax(probs, -1, output_type=tf.int32)
            return tf.reshape(self.discriminate(images, {"label": labels}, training), [-1]), None
        k, n = self.num_classes, tf.shape(images)[0]
        repeated = tf.repeat(images, k, axis=0)                 # x_0 K times, x_1 K times, ...
        labels = tf.tile(tf.range(k, dtype=tf.int32), [n])     # 0..K-1 for each
        logits = self.discriminate(repeated, {"label": labels}, training)
        return tf.reshape(logits, [n, k]), probs

    def discriminator_terms(self, batch, fake):
        real = self.discriminate(batch["real"], batch, True)
        generated = self.discriminate(fake["images"], self.fake_condition(batch, fake), True)
        probs = tf.stop_gradient(tf.nn.softmax(tf.cast(self.classifier(batch["unlabelled"], training=False),
                                                       tf.float32)))
        classified, weights = self.classifier_pairs(batch["unlabelled"], probs, True)
        loss, _ = triplegan_discriminator_loss(tf.reshape(real, [-1]), tf.reshape(generated, [-1]), classified,
                                               weights, self.params.alpha)
        return {"d_adv": loss}, {"real": real, "fake": generated}

    def generator_terms(self, batch, fake):
        generated = self.discriminate(fake["images"], self.fake_condition(batch, fake), True)
        return {"g_adv": triplegan_generator_loss(tf.reshape(generated, [-1]), self.params.alpha)}, \
            {"fake": generated}

    def classifier_terms(self, batch, fake):
        p = self.params
        terms = {"c_sup": sparse_classification_loss(batch["label"], self.classifier(batch["real"], training=True))}
        logits = tf.cast(self.classifier(batch["unlabelled"], training=True), tf.float32)
        probs = tf.nn.softmax(logits)
        classified, _ = self.classifier_pairs(batch["unlabelled"], tf.stop_gradient(probs), False)
        classified = tf.stop_gradient(classified)  # D is a fixed judge of C's labels here
        weights = probs if p.classifier_pairs == "all" else tf.reduce_max(probs, axis=-1)
        terms["c_adv"] = triplegan_classifier_adversarial_loss(classified, weights, p.alpha)
        terms["c_entropy"] = p.entropy_weight * mean_entropy(logits)
        if self.learn_from_fakes:
            terms["c_pseudo"] = p.pseudo_weight * sparse_classification_loss(
                fake["label"], self.classifier(fake["images"], training=True))
        return terms, {}

    # ------------------------------------------------------------------ export
    def export_modules(self):
        return super().export_modules() + [self.classifier]

    def export_endpoints(self):
        shape = [None, *self.classifier.inputs[0].shape[1:]]

        def classify(images):
            logits = tf.cast(self.classifier(images, training=False), tf.float32)
            return {"logits": logits, "labels": tf.argmax(logits, -1, output_type=tf.int32)}

        return super().export_endpoints() + [
            Endpoint("classify", classify, {"images": tf.TensorSpec(shape, tf.float32, name="images")})]
