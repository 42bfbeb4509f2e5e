"""Properties every registered network builder must have."""
from tests.testing import two_cpu_strategy
import inspect

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from tfgan_zoo.networks import dcgan_discriminator
from tfgan_zoo.registry import NETWORKS
from tests.networks.test_architecture_networks import DERIVED as ARCH_DERIVED, SMALL as ARCH_SMALL

# parameters filled in from the data (no defaults), per builder
DERIVED = {
    "dcgan_generator": {"latent_dim", "image_size", "channels"},
    "dcgan_discriminator": {"image_size", "channels"},
    "unet": {"image_size", "in_channels", "out_channels"},
    "patchgan": {"image_size", "in_channels"},
    "mlp_generator": {"latent_dim"},
    "mlp_discriminator": set(),
    "progan_generator": {"latent_dim", "image_size", "channels"},
    "progan_discriminator": {"image_size", "channels"},
    "stylegan_mapping": {"latent_dim"},
    "stylegan_synthesis": {"image_size", "channels"},
    "stylegan_generator": {"latent_dim", "image_size", "channels"},
    "conditional_generator": {"latent_dim", "image_size", "channels", "num_classes"},
    "conditional_discriminator": {"image_size", "channels", "num_classes"},
    "acgan_discriminator": {"image_size", "channels", "num_classes"},
    "infogan_discriminator": {"image_size", "channels"},
    "conv_classifier": {"image_size", "channels", "num_classes"},
    "conv_encoder": {"image_size", "channels", "latent_dim"},
    "joint_discriminator": {"image_size", "channels", "latent_dim"},
    "mlp_encoder": {"latent_dim"},
    "mlp_joint_discriminator": {"latent_dim"},
    "resnet_generator": {"image_size", "in_channels", "out_channels"},
    "stargan_discriminator": {"image_size", "in_channels", "num_domains"},
    "autoencoder": {"image_size", "channels"},
    "mlp_autoencoder": set(),
    "dcgan_discriminator_mbd": {"image_size", "channels"},
    "mlp_discriminator_mbd": set(),
    "pacgan_generator": {"latent_dim"},
    "pacgan_discriminator": set(),
    "pacgan_encoder": {"latent_dim"},
    "pacgan_joint_discriminator": {"latent_dim"},
    "unrolled_generator": {"latent_dim", "channels"},
    "unrolled_discriminator": {"image_size", "channels"},
    "goodfellow_generator": {"latent_dim", "image_size", "channels"},
    "goodfellow_discriminator": {"image_size", "channels"},
    "sngan_cnn_generator": {"latent_dim", "image_size", "channels"},
    "sngan_cnn_discriminator": {"image_size", "channels"},
    "infogan_mnist_generator": {"latent_dim", "image_size", "channels"},
    "infogan_mnist_discriminator": {"image_size", "channels"},
}
SMALL = {
    "dcgan_generator": dict(latent_dim=4, image_size=8, channels=3, base_filters=4),
    "dcgan_discriminator": dict(image_size=8, channels=3, base_filters=4, spectral_norm=True),
    "unet": dict(image_size=8, in_channels=1, out_channels=3, base_filters=4),
    "patchgan": dict(image_size=16, in_channels=4, base_filters=4, n_layers=1),
    "mlp_generator": dict(latent_dim=4, hidden_units=8),
    "mlp_discriminator": dict(hidden_units=8),
    "progan_generator": dict(latent_dim=4, image_size=8, channels=3, base_filters=4, max_filters=8),
    "progan_discriminator": dict(image_size=8, channels=3, base_filters=4, max_filters=8, blur=True),
    "stylegan_mapping": dict(latent_dim=4, w_dim=3, hidden_units=5, num_layers=2),
    "stylegan_synthesis": dict(image_size=8, channels=1, w_dim=3, base_filters=4, max_filters=8),
    "stylegan_generator": dict(latent_dim=4, image_size=8, channels=1, w_dim=3, mapping_units=5,
                               mapping_layers=2, base_filters=4, max_filters=8),
    "conditional_generator": dict(latent_dim=4, image_size=8, channels=1, num_classes=3, base_filters=4,
                                  conditioning="batch_norm"),
    "conditional_discriminator": dict(image_size=8, channels=1, num_classes=3, base_filters=4,
                                      conditioning="projection", spectral_norm=True),
    "acgan_discriminator": dict(image_size=8, channels=1, num_classes=3, base_filters=4),
    "infogan_discriminator": dict(image_size=8, channels=1, base_filters=4, learn_std=True, q_units=8),
    "conv_classifier": dict(image_size=8, channels=1, num_classes=3, base_filters=4, dropout=0.3),
    "conv_encoder": dict(image_size=8, channels=1, latent_dim=5, base_filters=4, stochastic=True),
    "joint_discriminator": dict(image_size=8, channels=1, latent_dim=5, base_filters=4, z_units=8, joint_units=8,
                                dropout=0.2),
    "mlp_encoder": dict(latent_dim=2, hidden_units=8),
    "mlp_joint_discriminator": dict(latent_dim=2, hidden_units=8),
    "resnet_generator": dict(image_size=8, in_channels=1, out_channels=3, base_filters=4, num_blocks=1),
    "stargan_discriminator": dict(image_size=8, in_channels=3, num_domains=3, base_filters=4, n_layers=2),
    "autoencoder": dict(image_size=8, channels=1, base_filters=4, code_dim=3, norm="batch"),
    "mlp_autoencoder": dict(input_dim=2, hidden_units=8, code_dim=3),
    "dcgan_discriminator_mbd": dict(image_size=8, channels=1, base_filters=4, num_kernels=3, kernel_dim=2),
    "mlp_discriminator_mbd": dict(hidden_units=8, num_kernels=3, kernel_dim=2),
    "pacgan_generator": dict(latent_dim=2, hidden_units=8, num_layers=2),
    "pacgan_discriminator": dict(hidden_units=8, pieces=2, num_layers=2),
    "pacgan_encoder": dict(latent_dim=2, hidden_units=8, num_layers=1),
    "pacgan_joint_discriminator": dict(latent_dim=2, hidden_units=8, pieces=2, num_layers=2),
    "unrolled_generator": dict(latent_dim=4, channels=3, base_filters=8),
    "unrolled_discriminator": dict(image_size=28, channels=3, base_filters=2),
    "goodfellow_generator": dict(latent_dim=4, image_size=4, channels=1, hidden_units=8),
    "goodfellow_discriminator": dict(image_size=4, channels=1, hidden_units=8, pieces=2),
    "sngan_cnn_generator": dict(latent_dim=4, image_size=8, channels=1, base_filters=2),
    "sngan_cnn_discriminator": dict(image_size=8, channels=1, base_filters=2),
    "infogan_mnist_generator": dict(latent_dim=4, image_size=12, channels=1, hidden_units=8, base_filters=2),
    "infogan_mnist_discriminator": dict(image_size=12, channels=1, num_categories=3, learn_std=True,
                                        hidden_units=8, q_units=4, base_filters=2),
}

# the architecture families' builders, whose own file checks what is particular to them
DERIVED.update(ARCH_DERIVED)
SMALL.update(ARCH_SMALL)

def example_inputs(model, rng, batch=2):
    """Random inputs of the model's structure (a tensor, or a dict / list of them)."""
    def make(spec):
        shape = (batch,) + tuple(spec.shape[1:])
        if "int" in str(spec.dtype):  # class labels: every builder here has at least 2 classes
            return rng.integers(0, 2, shape).astype(spec.dtype)
        return rng.uniform(-1, 1, shape).astype(np.float32)
    return keras.tree.map_structure(make, model.input)


def documented(doc):
    """The parameter names a docstring documents: each line `name: ...`, or `a, b, c: ...` for
    parameters described together (dcgan_discriminator_mbd's "as in dcgan_discriminator")."""
    names = set()
    for line in doc.splitlines():
        head, sep, _ = line.partition(": ")
        parts = head.split(", ")
        if sep and all(p.isidentifier() for p in parts):
            names.update(parts)
    return names


def test_registered():
    """Every builder the package registers is held to the contract below (none is left out of
    it); tests/toy_family.py's test networks are not the package's."""
    ours = {n for n in NETWORKS.names() if NETWORKS.get(n).__module__.startswith("tfgan_zoo.")}
    assert len(ours) == 48 and set(DERIVED) == ours
    assert set(SMALL) == set(DERIVED)


@pytest.mark.parametrize("name", sorted(DERIVED))
def test_signature_annotated_defaulted_and_documented(name):
    builder = NETWORKS.get(name)
    doc = inspect.getdoc(builder)
    for param in inspect.signature(builder).parameters.values():
        assert param.annotation is not inspect.Parameter.empty, f"{name}.{param.name} has no annotation"
        has_default = param.default is not inspect.Parameter.empty
        assert has_default == (param.name not in DERIVED[name]), f"{name}.{param.name} default"
        assert param.name in documented(doc), f"{name}.{param.name} undocumented"


@pytest.mark.parametrize("name", sorted(DERIVED))
def test_models_are_functional_and_round_trip_through_get_config(name):
    model = NETWORKS.get(name)(**SMALL[name])
    assert isinstance(model, keras.Model) and model.name == name
    clone = keras.Model.from_config(model.get_config())
    clone.set_weights(model.get_weights())
    x = example_inputs(model, np.random.default_rng(0))
    out, cloned = model(x, training=False), clone(x, training=False)
    keras.tree.map_structure(lambda a, b: np.testing.assert_allclose(a, b, atol=1e-6), cloned, out)
    assert all(t.dtype == tf.float32 for t in keras.tree.flatten(out))


def test_all_batch_norms_are_synchronized():
    for name, kwargs in SMALL.items():
        kwargs = dict(kwargs, norm="batch") if name in ("dcgan_generator", "dcgan_discriminator", "unet", "patchgan",
                                                        "acgan_discriminator", "conv_encoder") else kwargs
        # every layer, nested models and the batch norm inside conditional batch norm included
        for layer in NETWORKS.get(name)(**kwargs)._flatten_layers(include_self=False, recursive=True):
            if isinstance(layer, layers.BatchNormalization):
                assert layer.synchronized, f"{name}/{layer.name}"


def test_two_replicas_compute_what_one_device_computes():
    devices = [d.name for d in tf.config.list_logical_devices("CPU")][:2]
    if len(devices) < 2:
        pytest.skip("needs the two logical CPUs that tests/conftest.py sets up")
    strategy = two_cpu_strategy()  # one shared MirroredStrategy per test process
    with strategy.scope():
        model = dcgan_discriminator(16, 1, base_filters=2, norm="batch")
    assert any(isinstance(layer, layers.BatchNormalization) for layer in model.layers)
    # the two halves have very different statistics, so per-replica BN would differ
    x = np.concatenate([np.full((2, 16, 16, 1), -0.8), np.random.default_rng(0).uniform(0, 1, (2, 16, 16, 1))])
    x = x.astype(np.float32)
    single = model(x, training=True).numpy()

    dist = strategy.experimental_distribute_dataset(tf.data.Dataset.from_tensors(x))
    per_replica = strategy.run(tf.function(lambda b: model(b, training=True)), args=(next(iter(dist)),))
    both = np.concatenate([t.numpy() for t in strategy.experimental_local_results(per_replica)])
    np.testing.assert_allclose(both, single, rtol=1e-4, atol=1e-5)
