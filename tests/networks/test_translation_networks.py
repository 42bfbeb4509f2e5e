"""The ResNet-block generator (CycleGAN / StarGAN) and StarGAN's two-headed discriminator."""
import keras
import numpy as np
import pytest
from keras import layers

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.layers.padding import ReflectionPadding2D
from tfgan_zoo.layers.replica_dropout import ReplicaDropout
from tfgan_zoo.networks import resnet_generator, stargan_discriminator, unet


def conv(cin, cout, k, bias=True):
    return cin * cout * k * k + (cout if bias else 0)


def test_resnet_9blocks_counts_the_reference_parameters():
    # CycleGAN's resnet_9blocks (ngf 64, instance norm without affine, biased convolutions)
    reference = (conv(3, 64, 7) + conv(64, 128, 3) + conv(128, 256, 3) + 18 * conv(256, 256, 3)
                 + conv(256, 128, 3) + conv(128, 64, 3) + conv(64, 3, 7))
    assert reference == 11_378_179  # the repository prints 11.378 M
    # ours: convolutions before a norm drop their bias for the norm's scale and offset (2 per channel)
    normalised = 64 + 128 + 256 + 18 * 256 + 128 + 64
    assert resnet_generator(256, 3, 3).count_params() == reference + normalised


def test_stargan_generator_counts_the_reference_parameters():
    # StarGAN's generator at c_dim 5: bias-free convolutions, affine instance norm; ours adds the output bias
    affine = 2 * (64 + 128 + 256 + 12 * 256 + 128 + 64)
    reference = (conv(8, 64, 7, False) + conv(64, 128, 4, False) + conv(128, 256, 4, False)
                 + 12 * conv(256, 256, 3, False) + conv(256, 128, 4, False) + conv(128, 64, 4, False)
                 + conv(64, 3, 7, False) + affine)
    g = resnet_generator(128, 3, 3, condition_dim=5, num_blocks=6, padding="zero", sample_kernel=4)
    assert g.count_params() == reference + 3


def test_stargan_discriminator_counts_and_shapes():
    trunk = sum(conv(c, 2 * c if c > 3 else 64, 4) for c in (3, 64, 128, 256, 512, 1024))
    d = stargan_discriminator(128, 3, 5)
    assert d.count_params() == trunk + conv(2048, 1, 3, False) + conv(2048, 5, 2, False)
    assert [tuple(o.shape) for o in d.outputs] == [(None, 2, 2, 1), (None, 5)]
    small = stargan_discriminator(16, 3, 4, base_filters=4, n_layers=3)
    critic, domains = small(np.zeros((2, 16, 16, 3), np.float32))
    assert critic.shape == (2, 2, 2, 1) and domains.shape == (2, 4) and domains.dtype == "float32"


@pytest.mark.parametrize("padding", ["reflect", "zero"])
def test_resnet_generator_structure(padding):
    g = resnet_generator(16, 1, 3, base_filters=4, num_blocks=2, padding=padding, dropout=0.5)
    assert g.input_shape == (None, 16, 16, 1) and g.output_shape == (None, 16, 16, 3)
    assert g.get_layer("block1_add").output.shape == (None, 4, 4, 16)
    pads = [l for l in g.layers if isinstance(l, ReflectionPadding2D)]
    assert len(pads) == (6 if padding == "reflect" else 0)  # c7, 2 x 2 in the blocks, to_image
    norms = [l for l in g.layers if isinstance(l, layers.GroupNormalization)]
    assert len(norms) == 1 + 2 + 4 + 2 and all(n.groups == n.input.shape[-1] for n in norms)  # instance norm
    assert sum(isinstance(l, ReplicaDropout) for l in g.layers) == 2
    x = np.random.default_rng(0).uniform(-1, 1, (2, 16, 16, 1)).astype(np.float32) * 50
    out = g(x, training=True).numpy()
    assert np.abs(out).max() <= 1.0 and out.std() > 0


@pytest.mark.parametrize("builder", ["resnet_generator", "unet"])
def test_the_condition_is_tiled_over_the_image(builder):
    g = (resnet_generator(8, 3, 3, condition_dim=4, base_filters=4, num_blocks=1, num_downsample=1)
         if builder == "resnet_generator" else unet(8, 3, 3, condition_dim=4, base_filters=4, dropout=0.0))
    tiled = keras.Model(g.inputs, g.get_layer("image_condition").output)
    image = np.random.default_rng(0).uniform(-1, 1, (2, 8, 8, 3)).astype(np.float32)
    condition = np.array([[0, 0, 1, 0], [1, 0, 0, 0]], np.float32)
    out = tiled([image, condition]).numpy()
    np.testing.assert_array_equal(out[..., :3], image)
    np.testing.assert_array_equal(out[..., 3:], np.broadcast_to(condition[:, None, None], (2, 8, 8, 4)))
    y0 = g([image, condition], training=False).numpy()
    y1 = g([image, condition[::-1]], training=False).numpy()
    assert np.abs(y0 - y1).max() > 0  # the output depends on the condition


def test_round_trips_and_saving(tmp_path):
    g = resnet_generator(8, 3, 3, condition_dim=2, base_filters=4, num_blocks=1, num_downsample=1)
    clone = keras.Model.from_config(g.get_config())
    clone.set_weights(g.get_weights())
    x = [np.random.default_rng(0).uniform(-1, 1, (2, 8, 8, 3)).astype(np.float32), np.eye(2, dtype=np.float32)]
    np.testing.assert_allclose(clone(x), g(x), atol=1e-6)
    g.save(tmp_path / "g.keras")
    np.testing.assert_allclose(keras.models.load_model(tmp_path / "g.keras")(x), g(x), atol=1e-6)
    d = stargan_discriminator(8, 3, 2, base_filters=4, n_layers=2)
    d_clone = keras.Model.from_config(d.get_config())
    d_clone.set_weights(d.get_weights())
    for a, b in zip(d_clone(x[0]), d(x[0])):
        np.testing.assert_allclose(a, b, atol=1e-6)


@pytest.mark.parametrize("builder, kwargs, match", [
    (resnet_generator, dict(image_size=12), "divisible by 2\\*\\*num_downsample = 8"),
    (resnet_generator, dict(image_size=4, num_downsample=2), "bottleneck of at least 2 px"),
    (resnet_generator, dict(padding="mirror"), "padding must be one of"),
    (resnet_generator, dict(condition_dim=-1), "condition_dim"),
    (resnet_generator, dict(norm="group"), "norm must be one of"),
    (stargan_discriminator, dict(image_size=12), "not divisible by 2\\*\\*n_layers = 8"),
    (stargan_discriminator, dict(num_domains=0), "num_domains"),
])
def test_config_errors(builder, kwargs, match):
    base = (dict(image_size=16, in_channels=3, out_channels=3, num_downsample=3) if builder is resnet_generator
            else dict(image_size=16, in_channels=3, num_domains=4, n_layers=3))
    with pytest.raises(ConfigError, match=match) as err:
        builder(**(base | kwargs))
    assert "\n" not in str(err.value)
