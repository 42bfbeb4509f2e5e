"""StarGAN: its terms against NumPy, domains from streams, target draws, the translate endpoint.

The family harness (tests/test_families.py) trains it like every family (two replicas, resume,
mixed precision, export)."""
import numpy as np
import pytest
import tensorflow as tf

from tests.testing import build, tiny_config
from tfgan_zoo.errors import ConfigError

K = 4


def tiny(overrides=None):
    cfg = tiny_config("stargan", overrides)
    return build(cfg)[2]


@pytest.fixture(scope="module")
def model():
    return tiny({"model": {"identity_weight": 2.0}})  # the optional identity term (not the paper's) on


def batch_of(seed, n=6, size=8):
    rng = np.random.default_rng(seed)
    return {"real": tf.constant(rng.uniform(-1, 1, (n, size, size, 3)), tf.float32),
            "domain": tf.constant(rng.integers(0, K, n), tf.int32)}


def cross_entropy(logits, labels):
    logits = np.asarray(logits, np.float64)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -log_p[np.arange(len(labels)), labels].mean()


def test_terms_against_numpy(model):
    batch = batch_of(0)
    x, c = np.asarray(batch["real"]), np.asarray(batch["domain"])
    target = np.array([1, 2, 3, 0, 0, 2], np.int32)

    def g(images, domains):
        return np.asarray(model.generator([images, np.eye(K, dtype=np.float32)[domains]], training=True))

    fake = {"images": tf.constant(g(x, target)), "domain": tf.constant(target)}
    g_terms, _ = model.generator_terms(batch, fake)
    critic, logits = (np.asarray(t, np.float64) for t in model.discriminator(fake["images"], training=True))
    assert float(g_terms["g_adv"]) == pytest.approx(-critic.mean(), rel=1e-5)
    assert float(g_terms["g_cls"]) == pytest.approx(cross_entropy(logits, target), rel=1e-5)
    assert float(g_terms["g_rec"]) == pytest.approx(10 * np.abs(g(g(x, target), c) - x).mean(), rel=1e-5)
    assert float(g_terms["g_identity"]) == pytest.approx(2 * np.abs(g(x, c) - x).mean(), rel=1e-5)

    d_terms, _ = model.discriminator_terms(batch, fake)
    real_critic, real_logits = (np.asarray(t, np.float64) for t in model.discriminator(x, training=True))
    assert float(d_terms["d_adv"]) == pytest.approx(critic.mean() - real_critic.mean(), rel=1e-5)
    assert float(d_terms["d_cls"]) == pytest.approx(cross_entropy(real_logits, c), rel=1e-5)  # reals only
    assert [r.name for r in model.regularizers] == ["gp"] and model.regularizers[0].weight == 10.0


def test_targets_are_drawn_per_example_over_every_domain(model):
    batch = batch_of(1, n=400)
    model._begin_step()
    first = model.generate(batch, training=False)["domain"].numpy()
    second = model.generate(batch, training=False)["domain"].numpy()
    model._rng.seed = None
    assert first.min() == 0 and first.max() == K - 1
    assert np.all(np.abs(np.bincount(first, minlength=K) / 400 - 1 / K) < 0.07)
    assert (first != second).mean() > 0.5  # each update draws anew


def test_streams_are_domains_interleaved(tmp_path):
    from tests.data.test_folder import save, solid
    for domain, value in (("A", 255), ("B", 0)):
        for i in range(3):
            save(tmp_path / domain / f"{i}.png", solid(8, 8, value))
    model = tiny({"data": {"name": f"unpaired:{tmp_path / 'A'},{tmp_path / 'B'}", "batch_size": 2}})
    assert model.num_domains == 2 and model.card_fields() == {"domains": ["a", "b"], "num_domains": 2}
    a, b = np.ones((2, 8, 8, 3), np.float32), -np.ones((2, 8, 8, 3), np.float32)
    batch = model.unpack_batch({"a": {"real": a}, "b": {"real": b}})
    np.testing.assert_array_equal(batch["domain"], [0, 1, 0, 1])
    np.testing.assert_array_equal(batch["real"][:, 0, 0, 0], [1, -1, 1, -1])
    terms, _ = model.generator_terms(batch, model.generate(batch, training=True))
    assert sorted(terms) == ["g_adv", "g_cls", "g_rec"]  # the paper's terms: no identity term by default


def test_translate_endpoint_checks_the_domain(model):
    (endpoint,) = model.export_endpoints()
    assert endpoint.name == "translate" and list(endpoint.inputs) == ["images", "target_domain"]
    assert endpoint.inputs["images"].shape.as_list() == [None, 8, 8, 3]
    x = batch_of(2, n=2)["real"]
    out = endpoint.fn(images=x, target_domain=tf.constant([3, 0]))["images"]
    np.testing.assert_allclose(out, model.translate(x, np.array([3, 0])), atol=1e-6)
    for bad in ([4, 0], [-1, 0]):
        with pytest.raises(tf.errors.InvalidArgumentError, match="target_domain must be"):
            endpoint.fn(images=x, target_domain=tf.constant(bad))
    assert model.card_fields() == {"domains": ["original", "inverted", "thick_amber_on_navy", "red_on_green"],
                                   "num_domains": 4}
    row = model.preview(model.preview_inputs(10, 0, {"real": x.numpy()}))
    assert row.shape == (2, 8, 8 * (K + 1), 3)


def test_stargan_needs_domains():
    with pytest.raises(ConfigError, match="stargan needs domains.*'digits' has neither") as err:
        tiny({"data": {"name": "digits"}})
    assert "\n" not in str(err.value)
