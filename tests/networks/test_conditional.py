"""Conditional, auxiliary-head and BiGAN networks: structure, conditioning and config errors."""
import keras
import numpy as np
import pytest

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.layers import ConditionalBatchNormalization
from tfgan_zoo.networks import (acgan_discriminator, conditional_discriminator, conditional_generator, conv_classifier,
                                conv_encoder, infogan_discriminator, joint_discriminator, mlp_encoder,
                                mlp_joint_discriminator)

RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(-1, 1, (4, 8, 8, 1)).astype("float32")
Z = RNG.normal(0, 1, (4, 6)).astype("float32")
SAME, OTHER = np.zeros(4, np.int32), np.array([1, 2, 1, 2], np.int32)


def differs(model, a, b):
    # N(0, 0.02) weights make small outputs: compare them at float32 resolution
    return not np.allclose(model(a, training=False).numpy(), model(b, training=False).numpy(), rtol=1e-5, atol=0)


@pytest.mark.parametrize("conditioning", ["concat", "batch_norm"])
def test_conditional_generator_depends_on_the_label(conditioning):
    g = conditional_generator(6, 8, 1, 3, conditioning=conditioning, base_filters=4)
    cbn = [layer for layer in g.layers if isinstance(layer, ConditionalBatchNormalization)]
    assert len(cbn) == (1 if conditioning == "batch_norm" else 0)  # project_norm: 4 px -> to_image at 8 px
    for layer in cbn:  # zero-initialised gain and bias ignore the label until trained
        assert not differs(g, [Z, SAME], [Z, OTHER])
        layer.gamma.kernel.assign(RNG.normal(0, 0.5, layer.gamma.kernel.shape))
    assert differs(g, [Z, SAME], [Z, OTHER])
    out = g([Z, OTHER], training=False).numpy()
    assert out.shape == (4, 8, 8, 1) and np.abs(out).max() <= 1.0


def test_concat_discriminator_sees_one_channel_per_class():
    d = conditional_discriminator(8, 1, 3, base_filters=4)
    trunk = d.get_layer("trunk")
    assert trunk.input_shape == (None, 8, 8, 4)
    assert differs(d, [IMAGES, SAME], [IMAGES, OTHER])


@pytest.mark.parametrize("pooling", ["flatten", "average"])
def test_projection_discriminator_is_linear_head_plus_inner_product(pooling):
    d = conditional_discriminator(8, 1, 3, conditioning="projection", base_filters=4, pooling=pooling)
    features = d.get_layer("trunk")(IMAGES, training=False).numpy()
    head = d.get_layer("projection")
    w, b = head.linear.kernel.numpy(), head.linear.bias.numpy()
    table = head.embedding.embeddings.numpy()
    want = features @ w + b + (table[OTHER] * features).sum(-1, keepdims=True)
    np.testing.assert_allclose(d([IMAGES, OTHER], training=False).numpy(), want, rtol=1e-4, atol=1e-5)
    assert features.shape[1] == (4 if pooling == "average" else 4 * 4 * 4)  # one 8 -> 4 block of 4 filters


def test_auxiliary_heads_share_the_trunk():
    d = acgan_discriminator(8, 1, 5, base_filters=4)
    out = d(IMAGES, training=False)
    assert set(out) == {"adv", "class_logits"} and out["class_logits"].shape == (4, 5)
    assert d.get_layer("class_logits_dense").input is d.get_layer("flatten").output
    q = infogan_discriminator(8, 1, num_categories=4, num_continuous=3, learn_std=True, base_filters=4, q_units=8)
    out = q(IMAGES, training=False)
    shapes = {name: tuple(t.shape) for name, t in out.items()}
    assert shapes == {"adv": (4, 1), "category_logits": (4, 4), "continuous_mean": (4, 3),
                      "continuous_log_std": (4, 3)}
    assert set(infogan_discriminator(8, 1, num_continuous=0, base_filters=4)(IMAGES)) == {"adv", "category_logits"}
    assert set(infogan_discriminator(8, 1, base_filters=4)(IMAGES)) == {"adv", "category_logits", "continuous_mean"}


def test_classifier_and_encoders():
    assert conv_classifier(8, 1, 10, base_filters=4)(IMAGES).shape == (4, 10)
    enc = conv_encoder(8, 1, 6, output_activation="tanh", base_filters=4)
    z = enc(IMAGES * 50.0, training=False).numpy()
    assert z.shape == (4, 6) and np.abs(z).max() <= 1.0
    out = conv_encoder(8, 1, 6, stochastic=True, base_filters=4)(IMAGES)
    assert set(out) == {"mean", "log_std"} and out["log_std"].shape == (4, 6)
    assert set(mlp_encoder(2, stochastic=True, hidden_units=8)(Z[:, :2])) == {"mean", "log_std"}
    assert mlp_encoder(3, hidden_units=8)(Z[:, :2]).shape == (4, 3)


def test_joint_discriminators_depend_on_both_inputs():
    d = joint_discriminator(8, 1, 6, base_filters=4, z_units=8, joint_units=8)
    assert d([IMAGES, Z]).shape == (4, 1)
    assert differs(d, [IMAGES, Z], [IMAGES, -Z]) and differs(d, [IMAGES, Z], [-IMAGES, Z])
    d2 = mlp_joint_discriminator(6, hidden_units=8, spectral_norm=True)
    points = Z[:, :2]
    assert differs(d2, [points, Z], [points, -Z]) and differs(d2, [points, Z], [-points, Z])


@pytest.mark.parametrize("build, match", [
    (lambda: conditional_generator(4, 8, 1, 3, conditioning="batch_norm", norm="layer"), "needs norm 'batch'"),
    (lambda: conditional_generator(4, 8, 1, 3, conditioning="film"), "conditioning"),
    (lambda: conditional_discriminator(8, 1, 3, conditioning="batch_norm"), "conditioning"),
    (lambda: conditional_discriminator(8, 1, 3, pooling="max"), "pooling"),
    (lambda: conditional_discriminator(8, 1, 0), "num_classes"),
    (lambda: infogan_discriminator(8, 1, num_categories=1), "num_categories"),
    (lambda: conv_classifier(8, 1, 10, dropout=1.0), "dropout"),
    (lambda: conv_encoder(8, 1, 4, output_activation="sigmoid"), "output_activation"),
    (lambda: joint_discriminator(8, 1, 4, z_layers=-1), "z_layers"),
])
def test_bad_arguments_are_config_errors(build, match):
    with pytest.raises(ConfigError, match=match):
        build()


def test_conditional_models_save_and_load(tmp_path):
    g = conditional_generator(6, 8, 1, 3, conditioning="batch_norm", base_filters=4)
    for layer in g.layers:
        if isinstance(layer, ConditionalBatchNormalization):
            layer.beta.kernel.assign(RNG.normal(0, 0.5, layer.beta.kernel.shape))
    path = str(tmp_path / "g.keras")
    g.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded([Z, OTHER], training=False), g([Z, OTHER], training=False), atol=1e-6)
