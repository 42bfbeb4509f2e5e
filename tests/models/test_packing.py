"""Packing (`discriminator.pack: m`, models/packing.py): the packed critic is the inner network
on hand-concatenated packs, the joint critic pass splits at B/m, refusals name the family, and
packed dcgan / gan runs pass the family harness."""
import numpy as np
import pytest
import tensorflow as tf

from tests.models.pointsets import build_points, points_config
from tests.testing import build, run_family_test, tiny_config
from tfgan_zoo.errors import ConfigError
from tfgan_zoo.models.packing import Pack, critic_pack


def test_pack_layer_concatenates_consecutive_samples_on_the_last_axis():
    x = np.arange(4 * 3 * 2 * 5, dtype=np.float32).reshape(4, 3, 2, 5)
    packed = Pack(2)(tf.constant(x)).numpy()
    assert packed.shape == (2, 3, 2, 10)
    np.testing.assert_array_equal(packed[1], np.concatenate([x[2], x[3]], axis=-1))
    points = np.arange(12, dtype=np.float32).reshape(6, 2)
    np.testing.assert_array_equal(Pack(3)(tf.constant(points)).numpy(),
                                  [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]])
    with pytest.raises(ValueError, match="multiple of 3"):
        Pack(3)(tf.constant(x))


@pytest.mark.parametrize("family,pack", [("dcgan", 2), ("gan", 4)])
def test_packed_critic_is_the_inner_network_on_concatenated_packs(family, pack):
    _, _, model = build(tiny_config(family, {"discriminator": {"pack": pack}}))
    d = model.discriminator
    assert critic_pack(model) == pack and d.inputs[0].shape[1:] == (8, 8, 1)
    inner = d.get_layer(name=[layer.name for layer in d.layers if layer.name.startswith("dcgan")][0])
    assert inner.inputs[0].shape[1:] == (8, 8, pack)
    x = np.random.default_rng(0).uniform(-1, 1, (4 * pack, 8, 8, 1)).astype(np.float32)
    by_hand = np.stack([np.concatenate(list(x[i * pack:(i + 1) * pack]), axis=-1) for i in range(4)])
    np.testing.assert_allclose(d(x, training=False).numpy(), inner(by_hand, training=False).numpy(),
                               rtol=1e-5, atol=1e-6)
    assert d(x, training=False).shape[0] == 4


def test_joint_critic_pass_splits_packed_outputs_at_batch_over_pack():
    cfg = points_config("gan", {"discriminator": {"pack": 2}, "model": {"critic_pass": "joint"}})
    _, _, model = build_points(cfg)
    assert model.joint_critic and critic_pack(model) == 2
    rng = np.random.default_rng(1)
    batch = {"real": tf.constant(rng.normal(size=(16, 2)), tf.float32)}
    fake = tf.constant(rng.normal(size=(16, 2)), tf.float32)
    terms = {}
    for joint in (True, False):
        model.joint_critic = joint
        loss, outputs = model.discriminator_terms(batch, fake)
        assert outputs["real"].shape == outputs["fake"].shape == (8, 1)
        terms[joint] = (float(loss["d_adv"]), outputs["real"].numpy(), outputs["fake"].numpy())
    np.testing.assert_allclose(terms[True][0], terms[False][0], rtol=1e-6)
    np.testing.assert_allclose(terms[True][1], terms[False][1], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(terms[True][2], terms[False][2], rtol=1e-5, atol=1e-6)


def test_gradient_penalty_runs_on_packed_interpolates():
    cfg = points_config("wgan_gp", {"discriminator": {"pack": 2}})
    _, _, model = build_points(cfg)
    batch = {"real": tf.random.normal((16, 2))}
    fake = tf.random.normal((16, 2))
    reg = model.regularizers[0]
    value = float(reg.discriminator_term(model, batch, fake, {}))
    assert np.isfinite(value) and value > 0


@pytest.mark.parametrize("over,message", [
    ({"data": {"batch_size": 15}, "discriminator": {"pack": 2}}, "dcgan: discriminator.pack 2 needs a batch size"),
    ({"generator": {"pack": 2}}, "generator.pack: dcgan packs only its critic"),
    ({"discriminator": {"pack": 0}}, "discriminator.pack: must be an integer >= 1"),
])
def test_packing_refusals_are_one_line(over, message):
    with pytest.raises(ConfigError, match=message) as e:
        build(tiny_config("dcgan", over))
    assert "\n" not in str(e.value)


def test_packing_refused_for_families_without_one_critic_or_with_a_conditional_critic():
    with pytest.raises(ConfigError, match="cyclegan has no single critic") as e:
        tiny_config("cyclegan", {"d_a": {"pack": 2}})
    assert "\n" not in str(e.value)
    with pytest.raises(ConfigError, match="cgan: discriminator.pack 2 refused: its critic takes 2 inputs"):
        build(tiny_config("cgan", {"discriminator": {"pack": 2}}))


@pytest.mark.parametrize("family", ["dcgan", "gan"])
def test_packed_family_passes_the_harness(family, tmp_path):
    run_family_test(family, tmp_path, overrides={"discriminator": {"pack": 2}})


def test_packing_refuses_a_per_replica_batch_not_divisible_by_the_pack():
    from tests.testing import two_cpu_strategy
    with pytest.raises(ConfigError, match="divisible by 4 on each of 2 replicas"):
        build(tiny_config("dcgan", {"data": {"batch_size": 12}, "discriminator": {"pack": 4}}), two_cpu_strategy())


def test_a_regularizer_reading_the_critics_layers_is_refused_with_packing():
    with pytest.raises(ConfigError, match="dcgan: feature_matching reads the layers of the critic, which a packed"):
        build(tiny_config("dcgan", {"discriminator": {"pack": 2},
                                    "model": {"regularizers": [{"name": "feature_matching"}]}}))
