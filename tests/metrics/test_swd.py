import numpy as np
import pytest

from tfgan_zoo.metrics.swd import SlicedProjector, sliced_wasserstein_distance, swd_from_projections


def test_identical_sets_have_zero_swd():
    x = np.random.default_rng(0).normal(size=(100, 4, 4, 1))
    assert sliced_wasserstein_distance(x, x) == pytest.approx(0.0, abs=1e-12)


def test_swd_grows_monotonically_with_a_shift():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(400, 16)), rng.normal(size=(400, 16))
    values = [sliced_wasserstein_distance(a, b + t, seed=3) for t in (0.0, 0.5, 1.0, 2.0, 4.0)]
    assert all(v0 < v1 for v0, v1 in zip(values, values[1:]))
    assert values[-1] > 0


def test_one_dimensional_case_is_the_exact_w2():
    a, b = np.array([[0.0], [1.0], [2.0]]), np.array([[1.0], [2.0], [3.0]])
    assert sliced_wasserstein_distance(a, b, num_projections=5) == pytest.approx(1.0)
    # unequal sizes: {0, 2} vs the uniform quantiles {0, 1, 2} at grid 1/6, 1/2, 5/6
    c = np.array([[0.0], [2.0]])
    assert sliced_wasserstein_distance(c, a, num_projections=1) == pytest.approx(0.0)


def test_streamed_projections_equal_one_shot():
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(50, 3, 3, 1)), rng.normal(0.2, 1.0, size=(50, 3, 3, 1))
    pa, pb = SlicedProjector(9, 32, seed=7), SlicedProjector(9, 32, seed=7)
    for i in range(0, 50, 16):
        pa.update(a[i:i + 16])
        pb.update(b[i:i + 16])
    expected = sliced_wasserstein_distance(a, b, num_projections=32, seed=7)
    assert swd_from_projections(pa.projections, pb.projections) == pytest.approx(expected)
