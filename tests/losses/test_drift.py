"""ProGAN's drift penalty against NumPy, as a registered regularizer."""
import inspect

import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.losses import Regularizer
from tfgan_zoo.losses.drift import DriftPenalty, drift_penalty
from tfgan_zoo.registry import REGULARIZERS


def test_matches_numpy():
    scores = np.random.default_rng(0).normal(2.0, 3.0, (7, 1))
    assert float(drift_penalty(tf.constant(scores, tf.float32))) == pytest.approx(0.001 * np.mean(scores ** 2), rel=1e-5)
    assert float(drift_penalty(tf.constant(scores, tf.float32), 0.5)) == pytest.approx(0.5 * np.mean(scores ** 2),
                                                                                      rel=1e-5)


class _Model:
    """Counts discriminator calls; D(x) = 2x."""

    def __init__(self):
        self.calls = 0

    def real_images(self, batch):
        return batch["real"]

    def critic(self, images, cond, training=True):
        self.calls += 1
        return 2.0 * images


def test_regularizer_uses_the_phase_real_scores_and_only_reals():
    reg = REGULARIZERS.get("drift")()
    assert isinstance(reg, Regularizer) and reg.epsilon == 0.001 and reg.name == "drift"
    assert inspect.signature(DriftPenalty).parameters["epsilon"].default == 0.001
    model = _Model()
    real = tf.constant([[1.0], [3.0]])
    outputs = {"real": tf.constant([[2.0], [-4.0]]), "fake": tf.constant([[100.0], [100.0]])}
    assert float(reg.discriminator_term(model, {"real": real}, None, outputs)) == pytest.approx(0.001 * 10.0)
    assert model.calls == 0
    # no real scores from the phase: D is called on the reals
    assert float(reg.discriminator_term(model, {"real": real}, None, {})) == pytest.approx(0.001 * (4 + 36) / 2)
    assert model.calls == 1
    assert reg.generator_term(model, {"real": real}, None, outputs) is None


def test_bad_epsilon_is_a_config_error():
    with pytest.raises(ConfigError, match="epsilon"):
        DriftPenalty(-1.0)
