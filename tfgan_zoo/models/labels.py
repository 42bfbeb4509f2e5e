"""Class-label conditioning shared by every class-conditional family (cGAN, ACGAN, TripleGAN
through models/conditional.py's ClassConditional; SAGAN's conditional variant, BigGAN, LapGAN's
conditional option, StackGAN): the generator's `labels` input is declared categorical over the
data's classes (models/inputs.py), so training fakes carry uniform labels (`fake["label"]`),
`sample` draws balanced labels (0, 1, ..., K-1, 0, ...) and the export refuses labels outside
[0, K)."""
import tensorflow as tf

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.models.inputs import Categorical


class LabelConditioned:
    """Mixin for a GANModel whose generator takes labels when `self.conditional` is true (a
    family whose Params have no `conditional` field is always conditional)."""

    @property
    def conditional(self):
        return bool(getattr(self.params, "conditional", True))

    @property
    def num_classes(self):
        classes = getattr(self.data_info, "num_classes", None)
        return int(classes) if classes else None

    @classmethod
    def required_classes(cls, params, info):
        """The class count the networks are built for (0 when unconditional); a one-line error
        when the data has no labels."""
        if not getattr(params, "conditional", True):
            return 0
        if not info.num_classes:
            raise ConfigError(f"{cls.family_name()} is class-conditional: dataset {info.name!r} has no "
                              "labels (num_classes); use a labelled set such as digits")
        return int(info.num_classes)

    @classmethod
    def network_args(cls, params, info):
        """Every role's builder gets the class count (0 when unconditional)."""
        args = super().network_args(params, info)
        classes = cls.required_classes(params, info)
        for role in args:
            args[role]["num_classes"] = classes
        return args

    def label_input(self):
        """{"labels": categorical over the classes, carried by fakes as "label"} (or {})."""
        return {"labels": Categorical(self.num_classes, carry="label")} if self.conditional else {}

    def generator_input_spec(self):
        return {**super().generator_input_spec(), **self.label_input()}

    def fake_labels(self, n):
        """Labels for a batch of fakes, uniform over the classes (per example, replica-safe)."""
        u = self.random_uniform([n])
        return tf.minimum(tf.cast(tf.floor(u * self.num_classes), tf.int32), self.num_classes - 1)

    def real_labels(self, batch):
        return tf.cast(tf.reshape(batch["label"], [-1]), tf.int32)
