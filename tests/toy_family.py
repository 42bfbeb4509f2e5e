"""A family that uses every capability of the core at once, registered by the tests only.

"toy_triple" (a miniature Triple-GAN): 3 roles (generator, discriminator, classifier), 3 named
optimizers (d, g, c; c decays linearly), 2 stages (the classifier learns from G's samples only
in the second, which also halves the batch), a structured fake {"images", "label"}, a state
variable, two data streams ("labelled", "unlabelled"), n_critic 2 on fresh sub-batches and two
export endpoints besides `sample` (generate(latents, labels), classify(images)). The test
harness (tests/testing.py) runs it like any registered family.
"""
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo.data.core import DataInfo
from tfgan_zoo.data.digits import load_digit_images
from tfgan_zoo.layers.replica_dropout import ReplicaDropout
from tfgan_zoo.models.base import GANModel, GANParams
from tfgan_zoo.models.declarations import Endpoint, Phase, Stage
from tfgan_zoo.models.inputs import Categorical, Normal
from tfgan_zoo.registry import DATASETS, FAMILIES, NETWORKS

CLASSES = 10


def _register(registry, name, obj):
    if name not in registry:  # the module may be imported under two names by pytest
        registry.register(name, obj)
    return registry.get(name)


def toy_streams(arg, image_size=None, channels=None, split="train", labelled_per_class: int = 3):
    """Digits as two streams: `labelled_per_class` labelled examples per class and the rest."""
    images, labels = load_digit_images(image_size or 8)
    picked = np.concatenate([np.flatnonzero(labels == c)[:labelled_per_class] for c in range(CLASSES)])
    rest = np.setdiff1d(np.arange(len(labels)), picked)
    streams = {"labelled": tf.data.Dataset.from_tensor_slices(
                   {"real": images[picked], "label": labels[picked]}),
               "unlabelled": tf.data.Dataset.from_tensor_slices({"real": images[rest]})}
    info = DataInfo(name="toy_streams", kind="images", shape=images.shape[1:], num_classes=CLASSES,
                    num_examples=len(picked), streams=("labelled", "unlabelled"))
    return streams, info


def toy_cond_generator(latent_dim: int, image_size: int, channels: int, num_classes: int,
                       width: int = 16):
    z = keras.Input((latent_dim,), name="latents")
    y = keras.Input((), dtype="int32", name="labels")
    h = keras.layers.Concatenate()([z, keras.layers.Embedding(num_classes, 4, name="embed")(y)])
    h = keras.layers.Dense(width, activation="relu", name="hidden")(h)
    h = ReplicaDropout(0.3, name="drop")(h)
    h = keras.layers.Dense(image_size * image_size * channels, activation="tanh", name="out")(h)
    return keras.Model([z, y], keras.layers.Reshape((image_size, image_size, channels))(h),
                       name="toy_cond_generator")


def toy_joint_discriminator(image_size: int, channels: int, num_classes: int, width: int = 16):
    x = keras.Input((image_size, image_size, channels), name="images")
    y = keras.Input((), dtype="int32", name="labels")
    h = keras.layers.Concatenate()([keras.layers.Flatten()(x),
                                    keras.layers.Embedding(num_classes, 4, name="embed")(y)])
    h = keras.layers.Dense(width, use_bias=False, name="hidden")(h)  # no bias before BN
    h = keras.layers.BatchNormalization(synchronized=True, name="norm")(h)
    h = keras.layers.LeakyReLU(0.2)(h)
    return keras.Model([x, y], keras.layers.Dense(1, name="logit")(h), name="toy_joint_discriminator")


def toy_classifier(image_size: int, channels: int, num_classes: int, width: int = 16):
    x = keras.Input((image_size, image_size, channels), name="images")
    h = keras.layers.Dense(width, activation="relu", name="hidden")(keras.layers.Flatten()(x))
    return keras.Model(x, keras.layers.Dense(num_classes, name="logits")(h), name="toy_classifier")


@dataclass
class ToyParams(GANParams):
    latent_dim: int = 8
    n_critic: int = 2
    #: step at which the classifier starts learning from generated pairs (stage "joint")
    joint_start: int = 2


def _ce(logits, labels):
    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.cast(labels, tf.int32), logits=tf.cast(logits, tf.float32)))


class ToyTriple(GANModel):
    Params = ToyParams
    roles = {"generator": "toy_cond_generator", "discriminator": "toy_joint_discriminator",
             "classifier": "toy_classifier"}
    phases = (Phase("discriminator", "d", repeat="n_critic", fresh_data=True, total="d_loss"),
              Phase("generator", "g", fake="attached", total="g_loss"),
              Phase("classifier", "c", fake="detached", total="c_loss"))
    optimizer_defaults = {"c": {"learning_rate": 1e-3, "schedule": "linear_decay",
                                "decay_start": 0.25}}
    term_names = {"discriminator": ("d_adv",), "generator": ("g_adv",),
                  "classifier": ("c_sup", "c_fake", "c_unlabelled")}
    extra_metric_names = ("label_mean",)
    tiny_config = {"data": {"name": "toy_streams", "batch_size": 8}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_state("label_mean", (), "float32", aggregation="mean")
        self.learn_from_fakes = False

    @classmethod
    def stages(cls, params, train):
        return (Stage("supervised", 0),
                Stage("joint", params.joint_start, batch_size=4, options={"fakes": True}))

    def enter_stage(self, index, fresh):
        self.learn_from_fakes = bool(self.stage_plan[index].options.get("fakes"))
        super().enter_stage(index, fresh)

    def unpack_batch(self, data):
        return {"real": data["labelled"]["real"], "label": data["labelled"]["label"],
                "unlabelled": data["unlabelled"]["real"]}

    def generator_input_spec(self):
        return {"latents": Normal(self.latent_dim), "labels": Categorical(CLASSES, carry="label")}

    def discriminate(self, images, cond, training):
        return self.discriminator([images, cond["label"]], training=training)

    def classifier_terms(self, batch, fake):
        terms = {"c_sup": _ce(self.classifier(batch["real"], training=True), batch["label"])}
        if self.learn_from_fakes:
            terms["c_fake"] = 0.5 * _ce(self.classifier(fake["images"], training=True), fake["label"])
        probs = tf.nn.softmax(self.classifier(batch["unlabelled"], training=True))
        terms["c_unlabelled"] = 0.1 * -tf.reduce_mean(tf.reduce_sum(probs * tf.math.log(probs + 1e-8), -1))
        return terms, {}

    def after_train_step(self, batch, logs):
        mean = tf.reduce_mean(tf.cast(batch["label"], tf.float32))
        self.label_mean.assign(0.9 * self.label_mean + 0.1 * mean)
        return {"label_mean": self.label_mean.value}

    # ------------------------------------------------------------------ sampling / export
    def export_modules(self):
        return super().export_modules() + [self.classifier]

    def export_endpoints(self):
        shape = [None, *self.classifier.inputs[0].shape[1:]]

        def classify(images):
            logits = self.classifier(images, training=False)
            return {"logits": logits, "labels": tf.argmax(logits, -1, output_type=tf.int32)}

        return super().export_endpoints() + [
            Endpoint("classify", classify, {"images": tf.TensorSpec(shape, tf.float32, name="images")})]


_register(DATASETS, "toy_streams", toy_streams)
_register(NETWORKS, "toy_cond_generator", toy_cond_generator)
_register(NETWORKS, "toy_joint_discriminator", toy_joint_discriminator)
_register(NETWORKS, "toy_classifier", toy_classifier)
_register(FAMILIES, "toy_triple", ToyTriple)
