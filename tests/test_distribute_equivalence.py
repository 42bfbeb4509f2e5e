"""Two logical CPU replicas under MirroredStrategy == one device, for the same global batch.

This pins the replica loss scaling (Keras 3's TF optimizer sums gradients over replicas),
the per-replica noise slicing and synchronized BatchNorm in one place.
"""
import numpy as np
import pytest
import tensorflow as tf

from tests.testing import build, fit_steps, snapshot, tiny_config, two_cpu_strategy
from tfgan_zoo import models  # noqa: F401  (registers the families)
from tfgan_zoo.registry import FAMILIES


@pytest.mark.parametrize("family", sorted(FAMILIES.names()))
def test_two_replicas_equal_one_device(family):
    """Every registered family: regularizers (penalties on interpolates / perturbed reals, clipping),
    n_critic loops, relativistic losses and state (BEGAN's k_t) give the one-device result."""
    cfg = tiny_config(family)
    results, starts = [], []
    for strategy in (tf.distribute.get_strategy(), two_cpu_strategy()):
        ds, info, model = build(cfg, strategy)
        starts.append(snapshot(model.generator.variables))
        fit_steps(model, cfg, ds, 2)
        results.append(snapshot(model.generator.variables) + snapshot(model.discriminator.variables)
                       + snapshot(model.non_trainable_variables))
    one, two = results
    for a, b in zip(one, two):
        np.testing.assert_allclose(a, b, rtol=2e-4, atol=2e-5)
    # same seeded initial weights, and training really moved them
    assert all(np.allclose(a, b) for a, b in zip(*starts))
    assert any(not np.allclose(a, b) for a, b in zip(starts[0], one))
