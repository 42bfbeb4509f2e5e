"""The truncation trick: resample |z| > psi, keep the rest."""
import numpy as np
import pytest
import tensorflow as tf
from scipy import stats

from tfgan_zoo.latents import row_seeds, truncate, truncate_rows


def _normal(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


@pytest.mark.parametrize("psi", [1.0, 0.5, 0.25])
def test_keeps_inside_resamples_outside_with_the_truncated_normal(psi):
    z = _normal((400, 50))
    out = truncate(z, psi, [7, 11]).numpy()
    inside = np.abs(z) <= psi
    np.testing.assert_array_equal(out[inside], z[inside])
    assert np.abs(out).max() <= psi
    replaced = out[~inside]
    assert not np.isin(replaced, z[~inside]).any()
    # the replacements, and hence the whole result, are N(0, 1) truncated to [-psi, psi]: the
    # median KS p-value of five independent draws (TF's stateless draws depend on the thread
    # count, so one fixed draw is one lottery ticket per machine; a biased sampler fails all five)
    law = stats.truncnorm(-psi, psi)
    p_replaced, p_all = [], []
    for k in range(5):
        zk = _normal((400, 50), seed=k)
        outk = truncate(zk, psi, [7, 11 + k]).numpy()
        p_replaced.append(stats.kstest(outk[np.abs(zk) > psi], law.cdf).pvalue)
        p_all.append(stats.kstest(outk.ravel(), law.cdf).pvalue)
    assert np.median(p_replaced) > 0.01 and np.median(p_all) > 0.01, (p_replaced, p_all)


def test_deterministic_seeded_and_batch_independent_per_row():
    z = _normal((6, 20))
    a, b = truncate(z, 0.5, [1, 2]).numpy(), truncate(z, 0.5, [1, 2]).numpy()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, truncate(z, 0.5, [1, 3]).numpy())
    rows = truncate_rows(z, 0.5).numpy()
    np.testing.assert_array_equal(rows[2:3], truncate_rows(z[2:3], 0.5).numpy())   # a row alone = in a batch
    assert row_seeds(z).shape == (6, 2)
    assert len({tuple(s) for s in row_seeds(z).numpy()}) == 6
    assert not np.array_equal(truncate_rows(z, 0.5, salt=1).numpy(), rows)


def test_no_truncation_and_inside_a_graph():
    z = _normal((4, 8)) * 3
    np.testing.assert_array_equal(truncate(z, np.inf, [0, 0]).numpy(), z)
    np.testing.assert_array_equal(truncate(z, 100.0, [0, 0]).numpy(), z)
    fn = tf.function(truncate_rows, input_signature=[tf.TensorSpec([None, 8]), tf.TensorSpec([])])
    np.testing.assert_array_equal(fn(z, 0.7).numpy(), truncate_rows(z, 0.7).numpy())
    with pytest.raises(tf.errors.InvalidArgumentError, match="psi must be > 0"):
        truncate(z, 0.0, [0, 0])
