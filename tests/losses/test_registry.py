"""Registered names, constructor signatures (filled from YAML) and one-line ConfigErrors."""
import inspect

import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.losses import AdversarialLoss, Regularizer
from tfgan_zoo.registry import LOSSES, REGULARIZERS

LOSS_NAMES = ["minimax", "nonsaturating", "least_squares", "wasserstein", "hinge", "rsgan",
              "ragan", "rslsgan", "ralsgan", "rshinge", "rahinge", "fgan", "ebgan"]
REG_DEFAULTS = {
    "gradient_penalty": {"weight": 10.0, "target": 1.0},
    "lipschitz_penalty": {"weight": 10.0, "target": 1.0},
    "dragan": {"weight": 10.0, "scale": 0.5},
    "r1": {"gamma": 10.0, "every": 1}, "r2": {"gamma": 10.0, "every": 1},
    "weight_clipping": {"clip": 0.01},
    "orthogonal": {"beta": 1e-4},
    "consistency": {"weight": 10.0, "max_shift": 4},
    "historical_averaging": {"weight": 1.0, "decay": 0.0, "generator": False},
    "drift": {"epsilon": 0.001},
}


def _params(cls):
    return inspect.signature(cls).parameters


def test_all_names_registered():
    assert set(LOSS_NAMES) <= set(LOSSES.names())
    assert set(REG_DEFAULTS) <= set(REGULARIZERS.names())


@pytest.mark.parametrize("name", LOSS_NAMES)
def test_losses_build_with_defaults_and_give_scalars(name):
    cls = LOSSES.get(name)
    for p in _params(cls).values():
        assert p.annotation is not inspect.Parameter.empty and p.default is not p.empty, p
    loss = cls()
    assert isinstance(loss, AdversarialLoss)
    r = tf.constant(np.linspace(0.1, 0.9, 8).reshape(2, 2, 2, 1), tf.float32)

    @tf.function
    def both(r, f):
        return loss.discriminator(r, f), loss.generator(f, d_real=r if loss.generator_needs_real else None)
    for value in both(r, -r):
        assert value.shape == () and value.dtype == tf.float32 and np.isfinite(value.numpy())


@pytest.mark.parametrize("name", sorted(REG_DEFAULTS))
def test_regularizer_defaults(name):
    cls = REGULARIZERS.get(name)
    params = _params(cls)
    for p in params.values():
        assert p.annotation is not inspect.Parameter.empty
    assert {k: p.default for k, p in params.items()} == REG_DEFAULTS[name]
    reg = cls()
    assert isinstance(reg, Regularizer) and reg.name


@pytest.mark.parametrize("name, kwargs, match", [
    ("nonsaturating", {"label_smoothing": -0.1}, "label_smoothing"),
    ("minimax", {"label_smoothing": 1.0}, "label_smoothing"),
    ("least_squares", {"label_flip": 2.0}, "label_flip"),
    ("ragan", {"label_smoothing": "0.1"}, "label_smoothing"),
    ("fgan", {"divergence": "wasserstein"}, "divergence"),
    ("ebgan", {"margin": -1.0}, "margin"),
])
def test_bad_loss_options(name, kwargs, match):
    with pytest.raises(ConfigError, match=match) as err:
        LOSSES.get(name)(**kwargs)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("name, kwargs, match", [
    ("gradient_penalty", {"weight": -1.0}, "weight"),
    ("gradient_penalty", {"target": 0.0}, "target"),
    ("r1", {"gamma": -0.5}, "gamma"),
    ("weight_clipping", {"clip": 0.0}, "clip"),
    ("orthogonal", {"beta": -1e-4}, "beta"),
    ("consistency", {"max_shift": -1}, "max_shift"),
    ("consistency", {"max_shift": 1.5}, "max_shift"),
    ("historical_averaging", {"decay": 1.0}, "decay"),
    ("historical_averaging", {"generator": "yes"}, "generator"),
    ("dragan", {"weight": True}, "weight"),
])
def test_bad_regularizer_options(name, kwargs, match):
    with pytest.raises(ConfigError, match=match) as err:
        REGULARIZERS.get(name)(**kwargs)
    assert "\n" not in str(err.value)
