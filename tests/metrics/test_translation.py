"""Translation figures on the digit domains, checked with translators whose answers are known."""
import numpy as np
import pytest

from tfgan_zoo.data import build_dataset
from tfgan_zoo.data import digit_domains as dd
from tfgan_zoo.metrics import translation as tm


@pytest.fixture(scope="module")
def classifier():
    return tm.DomainClassifier()


@pytest.fixture(scope="module")
def held_out():
    data = next(build_dataset("digits_domains", split="test")[0].batch(10_000).as_numpy_iterator())
    return data["real"].reshape(4, 450, 16, 16, 3), data["label"][:450]


def test_domain_classifier_knows_the_real_domains(classifier, held_out):
    x, _ = held_out
    for k in range(4):
        assert classifier.accuracy(x[k], np.full(450, k)) == 1.0
    with pytest.raises(ValueError, match="expects \\[N, 16, 16, 3\\]"):
        classifier.predict(np.zeros((2, 8, 8, 3)))


def test_restyle_translators_are_the_known_translation(held_out):
    x, _ = held_out
    ab, ba = tm.restyle_translators("inverted")
    np.testing.assert_allclose(ab(x[0]), dd.restyle(x[0], "inverted"))
    np.testing.assert_allclose(ba(ab(x[0])), x[0], atol=1e-6)  # inverting twice is the identity
    assert tm.l1_distance(ab(x[0]), x[0]) == pytest.approx(np.abs(dd.restyle(x[0], "inverted") - x[0]).mean())
