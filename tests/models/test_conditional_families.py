"""cGAN, ACGAN, InfoGAN, TripleGAN and BiGAN: each family's terms against NumPy on fixed batches,
the wiring of labels / codes / latents, and the one-line errors of unsuitable data."""
import dataclasses
import math

import numpy as np
import pytest
import tensorflow as tf
from scipy.special import log_softmax, softmax

from tests.testing import build, tiny_config
from tfgan_zoo.data import DataInfo
from tfgan_zoo.errors import ConfigError
from tfgan_zoo.registry import FAMILIES

RNG = np.random.default_rng(0)


def softplus(x):
    return np.logaddexp(0.0, x)


def ce(logits, labels):
    return -log_softmax(np.asarray(logits, np.float64), axis=1)[np.arange(len(labels)), labels].mean()


def images(n, size=8):
    return tf.constant(RNG.uniform(-1, 1, (n, size, size, 1)).astype("float32"))


def test_class_conditional_sampling_and_label_checks():
    cfg = tiny_config("cgan")
    _, _, model = build(cfg)
    inputs = model.sample_inputs(20, 3)
    np.testing.assert_array_equal(inputs["labels"].numpy(), np.arange(20) % 10)  # balanced
    fake = model.generate({"real": images(16)}, training=False)
    labels = fake["label"].numpy()
    assert labels.dtype == np.int32 and labels.min() >= 0 and labels.max() < 10
    # fakes are judged with their own labels, reals with the batch's
    assert model.fake_condition({"real": images(16), "label": tf.zeros(16, tf.int32)}, fake)["label"] is fake["label"]
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"labels must be < 10 \(the class count\)"):
        model.generate_images({"latents": tf.zeros((1, 8)), "labels": tf.constant([10])})


def test_conditional_families_refuse_unlabelled_data():
    unlabelled = DataInfo(name="folder:faces", kind="images", shape=(8, 8, 1))
    for family in ("cgan", "acgan", "triplegan"):
        cls = FAMILIES.get(family)
        with pytest.raises(ConfigError, match=f"{family} is class-conditional: dataset 'folder:faces' has no "):
            cls.network_args(cls.Params(), dataclasses.replace(unlabelled, streams=("labelled", "unlabelled")))
    with pytest.raises(ConfigError, match="set the conditioning with model.conditioning"):
        build(tiny_config("cgan", {"model": {"conditioning": "concat"},
                                   "discriminator": {"conditioning": "projection"}}))
    with pytest.raises(ConfigError, match="triplegan needs a labelled and an unlabelled stream"):
        build(tiny_config("triplegan", {"data": {"options": {"labelled_subset": 0}}}))


@pytest.mark.parametrize("on_fakes", [False, True])
def test_acgan_class_terms(on_fakes):
    _, _, model = build(tiny_config("acgan", {"model": {"d_class_on_fakes": on_fakes, "class_weight": 0.5}}))
    batch = {"real": images(6), "label": tf.constant([0, 1, 2, 3, 4, 5])}
    fake = {"images": images(6), "label": tf.constant([9, 8, 7, 6, 5, 4])}
    terms, outputs = model.discriminator_terms(batch, fake)
    real_logits = model.discriminator(batch["real"], training=True)["class_logits"].numpy()
    fake_logits = model.discriminator(fake["images"], training=True)["class_logits"].numpy()
    expected = ce(real_logits, batch["label"].numpy()) + (ce(fake_logits, fake["label"].numpy()) if on_fakes else 0)
    np.testing.assert_allclose(float(terms["d_class"]), 0.5 * expected, rtol=1e-4)
    g_terms, _ = model.generator_terms(batch, fake)
    np.testing.assert_allclose(float(g_terms["g_class"]), 0.5 * ce(fake_logits, fake["label"].numpy()), rtol=1e-4)


def test_infogan_information_terms_and_generator_input():
    _, _, model = build(tiny_config("infogan", {"model": {"continuous_weight": 0.5}}))
    k, j = 4, 2
    fake = {"images": images(5), "category": tf.constant([0, 1, 2, 3, 1]),
            "continuous": tf.constant(RNG.uniform(-1, 1, (5, j)).astype("float32"))}
    terms, _ = model.generator_terms({"real": images(5)}, fake)
    q = {name: v.numpy() for name, v in model.discriminator(fake["images"], training=True).items()}
    mi_cat = math.log(k) - ce(q["category_logits"], fake["category"].numpy())
    std = np.exp(q["continuous_log_std"])
    ll = (-0.5 * np.log(2 * np.pi) - np.log(std) - 0.5 * ((fake["continuous"].numpy() - q["continuous_mean"]) / std) ** 2)
    mi_cont = j * math.log(2.0) + ll.sum(axis=1).mean()  # H(U(-1, 1)^J) = J ln 2
    np.testing.assert_allclose(float(terms["g_info"]), -(mi_cat + 0.5 * mi_cont), rtol=1e-4)
    inputs = {"latents": tf.zeros((2, 8)), "category": tf.constant([3, 0]), "continuous": tf.constant([[0.5, -0.5]] * 2)}
    seen = []
    model.call_generator(lambda v, training: seen.append(v.numpy()), inputs, False)
    vector = seen[0]
    np.testing.assert_array_equal(vector[:, 8:], [[0, 0, 0, 1, 0.5, -0.5], [1, 0, 0, 0, 0.5, -0.5]])
    assert model.generator.inputs[0].shape[-1] == 8 + k + j


def test_infogan_noise_prior():
    """model.noise_prior uniform: z drawn on [-1, 1] in training and in `sample` (the reference's MNIST run);
    the default stays standard normal; an unknown prior is refused."""
    _, _, model = build(tiny_config("infogan", {"model": {"noise_prior": "uniform"}}))
    spec = model.generator_input_spec()
    assert spec["latents"].prior == "uniform" and (spec["latents"].low, spec["latents"].high) == (-1.0, 1.0)
    z = model.sample_inputs(200, 3)["latents"].numpy()
    assert z.min() >= -1 and z.max() <= 1 and z.std() == pytest.approx(1 / math.sqrt(3), rel=0.1)
    _, _, normal = build(tiny_config("infogan"))
    assert normal.generator_input_spec()["latents"].prior == "normal"
    with pytest.raises(ValueError, match="noise_prior"):
        type(model).Params(noise_prior="gaussian").validate()


@pytest.mark.parametrize("pairs", ["all", "argmax"])
def test_triplegan_terms_match_numpy(pairs):
    # no spectral norm here: each training call of an SN layer runs a power iteration (sigma moves between calls)
    _, _, model = build(tiny_config("triplegan", {"model": {"classifier_pairs": pairs, "alpha": 0.3},
                                                  "discriminator": {"spectral_norm": False}}))
    batch = {"real": images(4), "label": tf.constant([1, 2, 3, 4]), "unlabelled": images(3)}
    fake = {"images": images(4), "label": tf.constant([5, 6, 7, 8])}

    def d(x, y):
        return model.discriminator([x, tf.constant(y, tf.int32)], training=True).numpy().reshape(-1)

    terms, _ = model.discriminator_terms(batch, fake)
    probs = softmax(model.classifier(batch["unlabelled"], training=False).numpy().astype(np.float64), axis=1)
    real, generated = d(batch["real"], [1, 2, 3, 4]), d(fake["images"], [5, 6, 7, 8])
    if pairs == "all":  # every (x_i, y) pair weighted by p_c(y | x_i)
        classified = np.stack([d(batch["unlabelled"], [y] * 3) for y in range(10)], axis=1)
        term_c = (probs * softplus(classified)).sum(axis=1).mean()
    else:
        classified = d(batch["unlabelled"], probs.argmax(axis=1))
        term_c = softplus(classified).mean()
    expected = softplus(-real).mean() + 0.7 * softplus(generated).mean() + 0.3 * term_c
    np.testing.assert_allclose(float(terms["d_adv"]), expected, rtol=1e-4)
    g_terms, _ = model.generator_terms(batch, fake)
    np.testing.assert_allclose(float(g_terms["g_adv"]), 0.7 * softplus(-generated).mean(), rtol=1e-4)
    model.learn_from_fakes = True
    c_terms, _ = model.classifier_terms(batch, fake)
    assert set(c_terms) == {"c_sup", "c_adv", "c_entropy", "c_pseudo"}
    assert all(np.isfinite(float(v)) for v in c_terms.values())


@pytest.mark.parametrize("stochastic", [False, True])
def test_bigan_pairs_and_swapped_generator_loss(stochastic):
    _, _, model = build(tiny_config("bigan", {"model": {"stochastic_encoder": stochastic}}))
    assert set(map(id, model.generator_variables())) == set(
        map(id, model.generator.trainable_variables + model.encoder.trainable_variables))
    batch = {"real": images(5)}
    z = tf.constant(RNG.normal(0, 1, (5, 8)).astype("float32"))
    fake = {"images": model.generator(z, training=True), "latents": z}
    terms, outputs = model.discriminator_terms(batch, fake)
    d_real, d_fake = outputs["real"].numpy().reshape(-1), outputs["fake"].numpy().reshape(-1)
    np.testing.assert_allclose(float(terms["d_adv"]), softplus(-d_real).mean() + softplus(d_fake).mean(), rtol=1e-4)
    g_terms, g_outputs = model.generator_terms(batch, fake)
    g_real, g_fake = g_outputs["real"].numpy().reshape(-1), g_outputs["fake"].numpy().reshape(-1)
    np.testing.assert_allclose(float(g_terms["g_adv"]), softplus(-g_fake).mean() + softplus(g_real).mean(), rtol=1e-4)
    if not stochastic:  # deterministic E: the real pairs are (x, E(x)) exactly
        np.testing.assert_allclose(g_real, d_real, rtol=1e-5)
        e = model.encoder(batch["real"], training=True)
        expected = model.discriminator([batch["real"], e], training=True).numpy().reshape(-1)
        np.testing.assert_allclose(d_real, expected, rtol=1e-5)
    with tf.GradientTape() as tape:
        loss = model.generator_terms(batch, fake)[0]["g_adv"]
    grads = tape.gradient(loss, model.encoder.trainable_variables)
    assert any(float(tf.reduce_sum(tf.abs(g))) > 0 for g in grads if g is not None)  # E learns from G's loss
