"""ProGAN's drift penalty (Karras et al. 2018, appendix A.1): epsilon * E[D(x)^2] on real images.

A WGAN critic's loss is invariant to adding a constant to D, so its outputs can drift far from
zero; the small penalty (epsilon 0.001 in the paper and its code, `wgan_epsilon`) keeps them near
zero without affecting the Wasserstein estimate. Added to the discriminator loss only.
"""
import tensorflow as tf

from tfgan_zoo.losses.adversarial import check_range
from tfgan_zoo.losses.penalties import adversarial_output
from tfgan_zoo.losses.regularizer import Regularizer
from tfgan_zoo.registry import REGULARIZERS


def drift_penalty(d_real, epsilon=0.001):
    """epsilon * mean(d_real^2) over every element of the real scores."""
    return epsilon * tf.reduce_mean(tf.square(tf.cast(d_real, tf.float32)))


@REGULARIZERS.register("drift")
class DriftPenalty(Regularizer):
    """epsilon * E[D(x)^2] on reals, from the real scores the D phase has already computed
    (no extra discriminator call); the scores are computed here only if the phase has none."""
    name = "drift"
    needs = ("critic",)

    def __init__(self, epsilon: float = 0.001):
        self.epsilon = check_range("DriftPenalty", "epsilon", epsilon)

    def discriminator_term(self, model, batch, fake, outputs):
        d_real = (outputs or {}).get("real")
        if d_real is None:
            return drift_penalty(model.critic(model.real_images(batch), batch), self.epsilon)
        return drift_penalty(adversarial_output(d_real), self.epsilon)
