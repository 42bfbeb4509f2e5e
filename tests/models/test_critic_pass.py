"""One critic pass on reals and fakes together: the same losses and gradients as two passes
where D has no batch-dependent layer, refused (or not used) where it has one."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from tests.testing import build, state_of, assert_same_state, tiny_config
from tfgan_zoo.errors import ConfigError
from tfgan_zoo.layers.minibatch_discrimination import MinibatchDiscrimination
from tfgan_zoo.layers.replica_dropout import ReplicaDropout
from tfgan_zoo.layers.spectral_norm import SpectralNorm
from tfgan_zoo.layers.virtual_batch_norm import VirtualBatchNormalization
from tfgan_zoo.models import critic_pass
from tfgan_zoo.train import train


def _model(family="dcgan", **over):
    _, _, model = build(tiny_config(family, over))
    return model


def _batch(model, n=8, seed=0):
    shape = model.discriminator.inputs[0].shape[1:]
    rng = np.random.default_rng(seed)
    return {"real": tf.constant(rng.uniform(-1, 1, (n, *shape)), tf.float32),
            "label": tf.constant(rng.integers(0, 10, n), tf.int32)}


def _loss_and_grads(model, phase, batch, fake, joint):
    model.joint_critic = joint
    variables = model.phase_variables(next(p for p in model.phases if p.name == phase))
    with tf.GradientTape() as tape:
        if phase == "generator":
            fake = model.generate(batch, True)
        terms, outputs = getattr(model, f"{phase}_terms")(batch, fake)
        loss = tf.add_n(list(terms.values()))
    return float(loss), [tf.convert_to_tensor(g).numpy() for g in tape.gradient(loss, variables)], outputs


@pytest.mark.parametrize("norm,loss", [("none", "nonsaturating"), ("layer", "ragan"),
                                       ("instance", "hinge")])
def test_joint_pass_gives_the_losses_and_gradients_of_two_passes(norm, loss):
    model = _model(model={"loss": loss}, discriminator={"norm": norm})
    assert model.joint_critic  # "auto" on a critic without batch norm
    batch = _batch(model)
    for phase in ("discriminator", "generator"):
        if phase == "generator" and not model.adversarial_loss.generator_needs_real:
            continue
        fake = tf.stop_gradient(model.generate(batch, True))
        results = []
        for joint in (True, False):
            model._rng.seed = tf.constant([7, 0], tf.int64)  # the same generator noise both times
            model._rng.calls = 0
            results.append(_loss_and_grads(model, phase, batch, fake, joint))
        (l1, g1, o1), (l2, g2, o2) = results
        np.testing.assert_allclose(l1, l2, rtol=1e-5, err_msg=phase)
        for a, b in zip(g1, g2):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6, err_msg=phase)
        for key in o1:
            assert o1[key].shape == o2[key].shape
            np.testing.assert_allclose(o1[key].numpy(), o2[key].numpy(), rtol=1e-5, atol=1e-6)


def _plain_conditional_discriminator(image_size: int, channels: int, num_classes: int,
                                     width: int = 16):
    x = keras.Input((image_size, image_size, channels))
    y = keras.Input((), dtype="int32")
    h = keras.layers.Concatenate()([keras.layers.Flatten()(x),
                                    keras.layers.Embedding(num_classes, 4)(y)])
    h = keras.layers.LeakyReLU(0.2)(keras.layers.Dense(width)(h))
    return keras.Model([x, y], keras.layers.Dense(1)(h))


def test_joint_pass_joins_the_conditions_of_a_structured_fake():
    """Reals judged with their labels, fakes with theirs, in one pass (toy_triple's cGAN-style
    discriminate reads cond["label"])."""
    from tfgan_zoo.registry import FAMILIES
    base = _model("toy_triple")
    nets = {role: getattr(base, role) for role in base.network_roles}
    nets["discriminator"] = _plain_conditional_discriminator(8, 1, 10)
    model = FAMILIES.get("toy_triple")(nets, params=base.params, data_info=base.data_info)
    assert model.joint_critic and not base.joint_critic  # toy_triple's own D has batch norm
    batch = _batch(model)
    fake = tf.nest.map_structure(tf.stop_gradient, model.generate(batch, True))
    assert not np.array_equal(fake["label"].numpy(), batch["label"].numpy())
    cond = critic_pass.joint_condition(batch, model.fake_condition(batch, fake))
    np.testing.assert_array_equal(cond["label"].numpy(),
                                  np.concatenate([batch["label"], fake["label"]]))
    (l1, g1, _), (l2, g2, _) = [_loss_and_grads(model, "discriminator", batch, fake, joint)
                                for joint in (True, False)]
    np.testing.assert_allclose(l1, l2, rtol=1e-5)
    for a, b in zip(g1, g2):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


def test_joint_and_separate_training_reach_the_same_weights(tmp_path):
    over = {"discriminator": {"norm": "layer"}, "model": {"loss": "ragan"},
            "train": {"steps_per_epoch": 3}}
    joint = train(tiny_config("dcgan", over), str(tmp_path / "joint"))
    assert joint.model.joint_critic
    over["model"]["critic_pass"] = "separate"
    separate = train(tiny_config("dcgan", over), str(tmp_path / "separate"))
    assert not separate.model.joint_critic
    # float rounding differs (other batch shapes in the convolutions) and Adam magnifies it in
    # near-zero gradients (the logit bias): atol is a tenth of one Adam step (lr 2e-4)
    assert_same_state(state_of(joint.model), state_of(separate.model), "joint vs separate",
                      rtol=1e-4, atol=2e-5)


def test_batch_norm_critic_keeps_two_passes_and_refuses_joint():
    # the DCGAN discriminator has batch norm after its first block (16 px: two blocks)
    sixteen = {"data": {"image_size": 16}}
    assert not _model(**sixteen).joint_critic  # auto -> two passes
    with pytest.raises(ConfigError, match="critic_pass 'joint' refused.*BatchNormalization") as e:
        _model(model={"critic_pass": "joint"}, **sixteen)
    assert "\n" not in str(e.value)
    assert _model(model={"critic_pass": "joint"}, discriminator={"norm": "layer"}).joint_critic
    assert not _model(model={"critic_pass": "separate"},
                      discriminator={"norm": "layer"}).joint_critic


def test_critic_pass_is_checked_in_the_config():
    with pytest.raises(ConfigError, match="critic_pass"):
        tiny_config("dcgan", {"model": {"critic_pass": "both"}})


class _Undeclared(keras.layers.Layer):
    def call(self, x):
        return x


class _Declared(_Undeclared):
    batch_independent = True


@pytest.mark.parametrize("layer,dependent", [
    (keras.layers.BatchNormalization(), True),
    (keras.layers.Dropout(0.5), True),
    (ReplicaDropout(0.5), True),
    (MinibatchDiscrimination(4, 2), True),
    (_Undeclared(), True),
    (_Declared(), False),
    (VirtualBatchNormalization(), False),
    (keras.layers.LayerNormalization(), False),
    (keras.layers.GroupNormalization(groups=-1), False),
    (SpectralNorm(keras.layers.Dense(4)), False),
    (keras.layers.Dense(4), False),
], ids=lambda v: type(v).__name__ if not isinstance(v, bool) else str(v))
def test_batch_dependent_layers(layer, dependent):
    x = keras.Input((6,))
    h = keras.layers.Dense(6)(x)
    inner = keras.Model(x, layer(h))  # nested, as a sub-model
    net = keras.Sequential([keras.Input((6,)), inner, keras.layers.Dense(1)])
    assert bool(critic_pass.batch_dependent_layers(net)) is dependent


def test_joint_condition_and_split():
    a = {"real": tf.zeros([2, 3]), "label": tf.constant([1, 2]), "flag": 1}
    b = {"real": tf.ones([2, 3]), "label": tf.constant([3, 4]), "flag": 1}
    joined = critic_pass.joint_condition(a, b)
    assert joined["real"].shape == (4, 3) and joined["flag"] == 1
    np.testing.assert_array_equal(joined["label"].numpy(), [1, 2, 3, 4])
    assert critic_pass.joint_condition(a, {**b, "latents": tf.zeros([2, 4])}) is None
    assert critic_pass.joint_condition(a, {**b, "flag": 2}) is None
    assert critic_pass.joint_condition({"s": tf.constant(1.0)}, {"s": tf.constant(2.0)}) is None
    first, second = critic_pass.split_outputs({"adv": tf.range(4), "c": tf.zeros([4, 2])}, 2)
    np.testing.assert_array_equal(second["adv"].numpy(), [2, 3])
    with pytest.raises(ValueError, match="per-example"):
        critic_pass.split_outputs(tf.constant(1.0), 1)
