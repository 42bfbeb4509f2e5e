"""stacked_mnist and its mode metric: an oracle classifier (the true labels) on real triples gives
~1,000 modes and the multinomial KL floor; the KL against scipy; collapse and classifier errors."""
import numpy as np
import pytest
import scipy.stats

from tfgan_zoo.data import build_dataset
from tfgan_zoo.data.mnist_arrays import mnist_arrays
from tfgan_zoo.metrics.modes import stacked_mnist_modes


def everything(ds):
    return next(ds.batch(100_000).as_numpy_iterator())


def to_uint8(x):
    return np.round((x + 1.0) * 127.5).astype(np.uint8)


class Oracle:
    """A digit 'classifier' that looks each 32 px digit up among the real ones: one-hot of its
    true label (the upper bound of any MNIST classifier)."""

    def __init__(self, split="train"):
        images, labels = mnist_arrays(split)
        padded = np.pad(images, [(0, 0), (2, 2), (2, 2)])
        self.label_of = {bytes(x): int(k) for x, k in zip(padded, labels)}
        self.calls = 0

    def __call__(self, images):
        self.calls += 1
        labels = [self.label_of[bytes(x)] for x in to_uint8(images[..., 0])]
        return np.eye(10, dtype=np.float32)[labels]


def test_channels_are_training_digits_matching_the_mode_label():
    ds, info = build_dataset("stacked_mnist", num_examples=50, seed=3, source="bundled")
    x = everything(ds)
    assert (info.shape, info.num_classes, info.num_examples) == ((32, 32, 3), 1000, 50)
    assert info.extra["source"] == "bundled" and info.extra["source_examples"] == 4000
    oracle = Oracle("train")
    digits = [oracle(x["real"][..., c:c + 1]).argmax(1) for c in range(3)]  # KeyError if not a training digit
    np.testing.assert_array_equal(x["label"], 100 * digits[0] + 10 * digits[1] + digits[2])


def test_test_triples_stack_held_out_digits_only_and_differ_from_train():
    test = everything(build_dataset("stacked_mnist", split="test", num_examples=40, source="bundled")[0])
    train = everything(build_dataset("stacked_mnist", num_examples=40, source="bundled")[0])
    held_out = Oracle("test")
    for c in range(3):
        held_out(test["real"][..., c:c + 1])  # every channel is a held-out digit
    with pytest.raises(KeyError):
        held_out(train["real"][..., :1])
    again = everything(build_dataset("stacked_mnist", num_examples=40, source="bundled")[0])
    np.testing.assert_array_equal(train["real"], again["real"])


@pytest.fixture(scope="module")
def real_triples():
    ds, _ = build_dataset("stacked_mnist", num_examples=26000, seed=0, source="bundled")
    return everything(ds)


def test_oracle_on_real_triples_gives_all_modes_and_the_multinomial_floor(real_triples):
    oracle = Oracle("train")
    stats = stacked_mnist_modes(real_triples["real"], oracle)
    counts = np.bincount(real_triples["label"], minlength=1000)
    assert stats["num_samples"] == 26000 and stats["num_modes"] == 1000
    assert stats["modes_1"] == int((counts >= 1).sum()) >= 995
    assert stats["modes_10"] == int((counts >= 10).sum()) >= 990
    # scipy's KL(q || uniform) of the true labels' histogram, independently of the metric
    expected = scipy.stats.entropy(counts / counts.sum(), np.full(1000, 1e-3))
    assert stats["reverse_kl"] == pytest.approx(expected, rel=1e-9)
    floor = 999 / (2 * 26000)  # E[KL] of N uniform draws over K modes, (K - 1) / 2N = 0.0192
    assert stats["kl_floor"] == pytest.approx(floor)
    assert 0.8 * floor < stats["reverse_kl"] < 1.25 * floor
    assert oracle.calls == 3 * 26  # batches of 1,000, one call per channel


def test_sampler_input_collapse_and_an_erring_classifier(real_triples):
    images = real_triples["real"]
    oracle = Oracle("train")
    one_mode = stacked_mnist_modes(lambda n: np.repeat(images[:1], n, axis=0), oracle, num_samples=2500,
                                   batch_size=700)
    assert (one_mode["modes_1"], one_mode["modes_10"]) == (1, 1)
    assert one_mode["reverse_kl"] == pytest.approx(np.log(1000))
    rng = np.random.default_rng(0)

    def noisy(x):  # a classifier wrong on 30 % of digits: spreads samples over wrong modes
        p = oracle(x)
        wrong = rng.random(len(p)) < 0.3
        p[wrong] = np.eye(10)[rng.integers(0, 10, wrong.sum())]
        return p

    same = images[np.isin(real_triples["label"], 111 * np.arange(10))]  # modes (k, k, k): 10 modes
    few = np.concatenate([same] * 3)
    exact = stacked_mnist_modes(few, oracle, num_samples=len(few))
    erring = stacked_mnist_modes(few, noisy, num_samples=len(few))
    assert (exact["modes_1"], exact["modes_10"]) == (10, 10)
    assert erring["modes_1"] > 100  # >= 1 counts inflate with the classifier's errors
    assert erring["modes_10"] == 10  # >= 10 counts keep only the real mass


def test_bad_inputs():
    with pytest.raises(ValueError, match="only 3 images"):
        stacked_mnist_modes(np.zeros((3, 8, 8, 3)), lambda x: np.zeros((len(x), 10)), num_samples=10)
    with pytest.raises(ValueError, match=r"\[N, H, W, 3\]"):
        stacked_mnist_modes(np.zeros((3, 8, 8, 1)), lambda x: np.zeros((len(x), 10)), num_samples=3)
    with pytest.raises(ValueError, match=r"\[N, 10\] probabilities"):
        stacked_mnist_modes(np.zeros((3, 8, 8, 3)), lambda x: np.zeros((len(x), 3)), num_samples=3)


def test_tfds_source_when_prepared():
    import tensorflow_datasets as tfds

    with tfds.testing.mock_data(num_examples=9):
        ds, info = build_dataset("stacked_mnist", num_examples=5, image_size=16)
        x = everything(ds)
    assert info.extra["source"] == "tfds" and info.extra["source_examples"] == 9
    assert x["real"].shape == (5, 16, 16, 3) and x["label"].max() < 1000
