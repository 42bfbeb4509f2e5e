"""The LeCam regulariser (Tseng et al. 2021, "Regularizing Generative Adversarial Networks under
Limited Data"; google/lecam-gan, biggan_cifar/losses.py and third_party/train_fns.py).

    R = E_x[relu(D(x) - a_fake)^2] + E_z[relu(a_real - D(G(z)))^2]

a_real / a_fake are exponential moving averages of the mean D output on reals / fakes, updated
from each D update's outputs before the term is taken (as the reference does). With the
reference's iteration count itr = step + 1: decay 0 (the anchors follow the current batch) while
itr < start, `decay` after; the term joins the D loss with `weight` once itr > start (the reference: weight 0.3, decay 0.9, start 1,000 for BigGAN on
CIFAR-10; it starts the anchors at 1,000, which decay 0 overwrites at once). The anchors are
checkpointed model state (built by `build(model)`) and means over the global batch, so replicas
and a resumed run continue them exactly.
"""
import keras
import tensorflow as tf

from tfgan_zoo.distribute import global_mean
from tfgan_zoo.losses.adversarial import check_range
from tfgan_zoo.losses.penalties import adversarial_output
from tfgan_zoo.losses.regularizer import Regularizer
from tfgan_zoo.registry import REGULARIZERS

ANCHOR_INIT = 1000.0  # the reference's initial EMA value


def lecam_term(d_real, d_fake, anchor_real, anchor_fake):
    """mean(relu(d_real - anchor_fake)^2) + mean(relu(anchor_real - d_fake)^2)."""
    d_real, d_fake = tf.cast(d_real, tf.float32), tf.cast(d_fake, tf.float32)
    return (tf.reduce_mean(tf.square(tf.nn.relu(d_real - anchor_fake)))
            + tf.reduce_mean(tf.square(tf.nn.relu(anchor_real - d_fake))))


@REGULARIZERS.register("lecam")
class LeCam(Regularizer):
    name = "lecam"
    needs = ("critic",)

    def __init__(self, weight: float = 0.3, decay: float = 0.9, start: int = 1000):
        self.weight = check_range("LeCam", "weight", weight)
        self.decay = check_range("LeCam", "decay", decay, 0.0, 1.0)
        if isinstance(start, bool) or not isinstance(start, int) or start < 0:
            from tfgan_zoo.errors import ConfigError
            raise ConfigError(f"LeCam: start must be an integer >= 0, got {start!r}")
        self.start = start
        self.anchor_real = self.anchor_fake = None

    def build(self, model):
        init = keras.initializers.Constant(ANCHOR_INIT)
        # "mean" of values every replica computes alike from global-batch means
        self.anchor_real = model.add_state("lecam_anchor_real", (), "float32", aggregation="mean", initializer=init)
        self.anchor_fake = model.add_state("lecam_anchor_fake", (), "float32", aggregation="mean", initializer=init)

    def discriminator_term(self, model, batch, fake, outputs):
        if self.anchor_real is None:
            raise RuntimeError("lecam: build(model) must run before training")
        outputs = outputs or {}
        if outputs.get("real") is None or outputs.get("fake") is None:
            raise ValueError("lecam needs the D phase's outputs on reals and fakes")
        d_real = tf.cast(adversarial_output(outputs["real"]), tf.float32)
        d_fake = tf.cast(adversarial_output(outputs["fake"]), tf.float32)
        step = tf.convert_to_tensor(model.step)
        # the reference counts itr = step + 1: anchors follow the batch while itr < start, the
        # term applies once itr > start
        decay = tf.where(step + 1 < self.start, 0.0, self.decay)
        real = decay * tf.convert_to_tensor(self.anchor_real) + (1.0 - decay) * tf.stop_gradient(global_mean(d_real))
        fake = decay * tf.convert_to_tensor(self.anchor_fake) + (1.0 - decay) * tf.stop_gradient(global_mean(d_fake))
        self.anchor_real.assign(real)
        self.anchor_fake.assign(fake)
        on = tf.cast(step >= self.start, tf.float32)  # the reference: from `start` on
        return on * self.weight * lecam_term(d_real, d_fake, real, fake)
