"""Class-label conditioning shared by every class-conditional family (cGAN, ACGAN, TripleGAN
through models/conditional.py's ClassConditional; SAGAN's conditional variant, BigGAN, LapGAN's
conditional option, StackGAN): fakes carry the labels they were drawn with,
`generate` takes labels, `sample` draws balanced labels (0, 1, ..., K-1, 0, ...)."""
import tensorflow as tf

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.export import check_labels


class LabelConditioned:
    """Mixin for a GANModel whose generator takes labels when `self.conditional` is true."""

    @property
    def conditional(self):
        return bool(getattr(self.params, "conditional", True))

    @property
    def num_classes(self):
        classes = getattr(self.data_info, "num_classes", None) or getattr(self, "_num_classes", None)
        return int(classes) if classes else None

    @classmethod
    def required_classes(cls, params, info):
        """The class count the networks are built for (0 when unconditional); a one-line error
        when the data has no labels."""
        if not getattr(params, "conditional", True):
            return 0
        if not info.num_classes:
            raise ConfigError(f"{cls.__name__} is class-conditional: dataset {info.name!r} has no labels "
                              "(num_classes); use a labelled set such as digits")
        return int(info.num_classes)

    @classmethod
    def network_args(cls, params, info):
        """Every role's builder gets the class count (0 when unconditional)."""
        args = super().network_args(params, info)
        classes = cls.required_classes(params, info)
        for role in args:
            args[role]["num_classes"] = classes
        return args

    def fake_labels(self, n):
        """Labels for a batch of fakes, uniform over the classes (per example, replica-safe)."""
        u = self.random_uniform([n])
        return tf.minimum(tf.cast(tf.floor(u * self.num_classes), tf.int32), self.num_classes - 1)

    def real_labels(self, batch):
        return tf.cast(tf.reshape(batch["label"], [-1]), tf.int32)

    def label_specs(self):
        return {"labels": tf.TensorSpec([None], tf.int32, name="labels")} if self.conditional else {}

    def balanced_labels(self, num):
        return tf.range(tf.cast(num, tf.int32)) % self.num_classes

    def checked_labels(self, inputs):
        return check_labels(tf.cast(tf.convert_to_tensor(inputs["labels"]), tf.int32), self.num_classes)
