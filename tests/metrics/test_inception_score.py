import numpy as np
import pytest

from tfgan_zoo.metrics.inception_score import inception_score


def test_uniform_predictions_score_one():
    result = inception_score(probs=np.full((40, 7), 1 / 7), splits=4)
    assert result["mean"] == pytest.approx(1.0) and result["std"] == pytest.approx(0.0)


def test_confident_balanced_predictions_score_the_class_count():
    probs = np.eye(10)[np.tile(np.arange(10), 6)]  # 60 one-hot, every split balanced
    assert inception_score(probs=probs, splits=6)["mean"] == pytest.approx(10.0)
    logits = 50.0 * (probs - 0.5)  # near one-hot after softmax
    assert inception_score(logits=logits, splits=6)["mean"] == pytest.approx(10.0, rel=1e-6)


def test_hand_worked_two_sample_case():
    probs = np.array([[1.0, 0.0], [0.5, 0.5]])
    # p(y) = [0.75, 0.25]; KL1 = log(4/3); KL2 = 0.5 log(2/3) + 0.5 log 2
    kl = np.log(4 / 3) + 0.5 * np.log(2 / 3) + 0.5 * np.log(2)
    assert inception_score(probs=probs, splits=1)["mean"] == pytest.approx(np.exp(kl / 2))


def test_input_validation():
    with pytest.raises(ValueError):
        inception_score(probs=np.full((4, 2), 0.3))
    with pytest.raises(ValueError):
        inception_score(logits=np.zeros((3, 2)), splits=5)
