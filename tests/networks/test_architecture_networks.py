"""SAGAN, BigGAN, LapGAN and StackGAN networks (their registry contract and round trip are in
test_builders.py, from DERIVED and SMALL here): spectral normalisation against np.linalg.svd, BigGAN's reference parameter counts, hierarchical latents, conditioning."""
import gc

import keras
import numpy as np
import pytest

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.layers.attention import SelfAttention
from tfgan_zoo.layers.conditioning import ConditionalBatchNormalization
from tfgan_zoo.layers.spectral_norm import SpectralNorm
from tfgan_zoo.registry import NETWORKS

RNG = np.random.default_rng(0)
DERIVED = {
    "sagan_generator": {"latent_dim", "image_size", "channels"},
    "sagan_discriminator": {"image_size", "channels"},
    "biggan_generator": {"latent_dim", "image_size", "channels", "num_classes"},
    "biggan_discriminator": {"image_size", "channels", "num_classes"},
    "lapgan_coarse_generator": {"latent_dim", "image_size", "channels"},
    "lapgan_residual_generator": {"image_size", "channels"},
    "lapgan_discriminator": {"image_size", "channels"},
    "stackgan_stage1_generator": {"latent_dim", "image_size", "channels", "num_classes"},
    "stackgan_stage2_generator": {"image_size", "low_size", "channels", "num_classes"},
    "stackgan_discriminator": {"image_size", "channels", "num_classes"},
}
SMALL = {
    "sagan_generator": dict(latent_dim=8, image_size=16, channels=1, num_classes=3, base_filters=8,
                            attention_resolution=8),
    "sagan_discriminator": dict(image_size=16, channels=3, base_filters=8, attention_resolution=8),
    "biggan_generator": dict(latent_dim=9, image_size=16, channels=3, num_classes=4, base_filters=8, shared_dim=4,
                             attention_resolution=16),
    "biggan_discriminator": dict(image_size=16, channels=1, num_classes=4, base_filters=8, attention_resolution=8),
    "lapgan_coarse_generator": dict(latent_dim=6, image_size=8, channels=1, num_classes=10, hidden_units=16),
    "lapgan_residual_generator": dict(image_size=16, channels=1, base_filters=4),
    "lapgan_discriminator": dict(image_size=16, channels=1, num_classes=10, base_filters=4, dropout=0.3),
    "stackgan_stage1_generator": dict(latent_dim=6, image_size=8, channels=1, num_classes=5, embed_dim=4, ca_dim=3,
                                      base_filters=4),
    "stackgan_stage2_generator": dict(image_size=16, low_size=8, channels=1, num_classes=5, embed_dim=4, ca_dim=3,
                                      base_filters=4),
    "stackgan_discriminator": dict(image_size=16, channels=1, num_classes=5, embed_dim=4, base_filters=4),
}


def random_inputs(model, batch=3):
    out = []
    for t in model.inputs:
        if "int" in str(t.dtype):
            out.append(RNG.integers(0, 3, (batch,)).astype("int32"))
        else:
            out.append(RNG.uniform(-1, 1, (batch,) + tuple(t.shape[1:])).astype("float32"))
    return out if len(out) > 1 else out[0]


def as_list(x):
    return [np.asarray(t) for t in x] if isinstance(x, (list, tuple)) else [np.asarray(x)]


def all_layers(model):
    return model._flatten_layers(include_self=False, recursive=True)  # noqa: SLF001 - no public recursive list


def _set_spectrum(kernel, rng):
    """A kernel with a known, well separated top singular value (power iteration converges fast)."""
    shape = kernel.shape
    rows, cols = int(np.prod(shape[:-1])), int(shape[-1])
    k = min(rows, cols)
    u, _ = np.linalg.qr(rng.standard_normal((rows, k)))
    v, _ = np.linalg.qr(rng.standard_normal((cols, k)))
    s = rng.uniform(0.1, 1.0, k)
    s[0] = rng.uniform(2.0, 8.0)
    kernel.assign(((u * s) @ v.T).reshape(shape).astype("float32"))


def _sigma(kernel):
    k = np.asarray(kernel, np.float64)
    return np.linalg.svd(k.reshape(-1, k.shape[-1]), compute_uv=False)[0]


SN_NETWORKS = {
    "sagan_generator": dict(SMALL["sagan_generator"]),
    "sagan_discriminator": dict(SMALL["sagan_discriminator"], num_classes=3),
    "biggan_generator": dict(SMALL["biggan_generator"], attention_resolution=8),
    "biggan_discriminator": SMALL["biggan_discriminator"],
}


@pytest.mark.parametrize("name", sorted(SN_NETWORKS))
def test_every_layer_is_spectrally_normalised_to_unit_sigma(name):
    model = NETWORKS.get(name)(**SN_NETWORKS[name])
    layers_ = list(all_layers(model))
    wrappers = [l for l in layers_ if isinstance(l, SpectralNorm)]
    wrapped = {id(w.layer) for w in wrappers}
    # outside SN, as in the reference code: SAGAN's per-class conditional BN gains (tables started
    # at zero) and BigGAN's shared class embedding (a plain embedding)
    unnormalised = {id(l) for c in layers_ if isinstance(c, ConditionalBatchNormalization) and not c.spectral_norm
                    for l in (c.gamma, c.beta)}
    unnormalised |= {id(l.table) for l in layers_ if l.name == "shared_embedding"}
    bare = [l.name for l in layers_ if isinstance(l, (keras.layers.Conv2D, keras.layers.Dense))
            and id(l) not in wrapped and id(l) not in unnormalised]
    assert not bare, f"{name}: not spectrally normalised: {bare}"
    assert any(isinstance(l, SelfAttention) for l in layers_)
    rng = np.random.default_rng(1)
    for w in wrappers:
        _set_spectrum(w.kernel, rng)
    assert min(_sigma(w.kernel) for w in wrappers) > 1.5
    before = [np.asarray(w.kernel).copy() for w in wrappers]
    for _ in range(6):  # one power iteration per wrapper and training call; u, v persist between calls
        model(random_inputs(model, 4), training=True)
    sigmas = np.array([_sigma(w.normalized_kernel()) for w in wrappers])  # of W / sigma, what the layers use
    np.testing.assert_allclose(sigmas, 1.0, atol=1e-4, err_msg=f"{name}: {len(wrappers)} SN layers")
    model(random_inputs(model, 4), training=False)
    for b, w in zip(before, wrappers):  # the kernels stay W: the reparameterisation never writes them
        np.testing.assert_array_equal(np.asarray(w.kernel), b)


def _trainable(model):
    return sum(int(np.prod(w.shape)) for w in model.trainable_weights)


def test_biggan_128_parameter_counts_match_the_reference():
    # compare_gan's resnet_biggan_test (BigGAN 128 x 128, ch 96, z 120, shared 128, 1000 classes,
    # attention at 64): G 70,433,988 and D 87,982,370 trainable weights. Ours has no bias on the
    # G layers a batch norm follows (the dense to 4 x 4 x 16ch and each block's three convs; see
    # networks/resnet_gan.py). The initialiser does not change counts; glorot is cheaper to draw
    # than orthogonal for matrices this size.
    g = NETWORKS.get("biggan_generator")(120, 128, 3, 1000, base_filters=96, kernel_initializer="glorot_uniform")
    outs = [96 * m for m in (16, 8, 4, 2, 1)]
    assert _trainable(g) == 70_433_988 - 4 * 4 * 16 * 96 - 3 * sum(outs)
    widths = [l.layer.filters for l in all_layers(g) if isinstance(l, SpectralNorm)
              and isinstance(l.layer, keras.layers.Conv2D) and l.layer.name.endswith("conv2")]
    assert widths == outs
    del g
    gc.collect()
    d = NETWORKS.get("biggan_discriminator")(128, 3, 1000, base_filters=96, kernel_initializer="glorot_uniform")
    assert _trainable(d) == 87_982_370
    del d
    gc.collect()


def test_biggan_hierarchical_latents_condition_each_block():
    g = NETWORKS.get("biggan_generator")(12, 16, 1, 5, base_filters=8, shared_dim=3, attention_resolution=0)
    z = RNG.standard_normal((4, 12)).astype("float32")
    y = np.array([0, 4, 2, 2], "int32")
    table = np.asarray(next(l for l in all_layers(g) if l.name == "shared_embedding").embeddings)
    conds = keras.Model(g.inputs, [g.get_layer("cond0").output, g.get_layer("cond1").output])([z, y])
    # 16 px from 4 px: two blocks, z split in three chunks of 4; block k gets [chunk k + 1, shared(y)]
    for k, cond in enumerate(conds):
        np.testing.assert_allclose(np.asarray(cond), np.concatenate([z[:, 4 * (k + 1):4 * (k + 2)], table[y]], 1),
                                   rtol=1e-6)
    for block in ("block0", "block1"):
        for bn in ("bn1", "bn2"):
            layer = g.get_layer(f"{block}_{bn}")
            assert isinstance(layer, ConditionalBatchNormalization) and layer.num_classes is None
            assert layer.spectral_norm and isinstance(layer.kernel_initializer, keras.initializers.Orthogonal)
    # every chunk reaches the image
    base = np.asarray(g([z, y], training=False))
    for k in range(3):
        moved = z.copy()
        moved[:, 4 * k:4 * (k + 1)] += 1.0
        assert np.abs(np.asarray(g([moved, y], training=False)) - base).max() > 1e-4, k
    with pytest.raises(ConfigError, match="multiple of 3"):
        NETWORKS.get("biggan_generator")(10, 16, 1, 5, attention_resolution=0)


def test_attention_sits_at_the_configured_resolution():
    for res in (8, 16):
        g = NETWORKS.get("sagan_generator")(8, 16, 1, base_filters=8, attention_resolution=res)
        d = NETWORKS.get("sagan_discriminator")(16, 1, base_filters=8, attention_resolution=res // 2)
        for model, side in ((g, res), (d, res // 2)):
            found = [l for l in model.layers if isinstance(l, SelfAttention)]
            assert [l.output.shape[1] for l in found] == [side]
    g = NETWORKS.get("sagan_generator")(8, 16, 1, base_filters=8, attention_resolution=0)
    assert not any(isinstance(l, SelfAttention) for l in g.layers)
    with pytest.raises(ConfigError, match="attention_resolution must be 0"):
        NETWORKS.get("sagan_generator")(8, 16, 1, attention_resolution=32)
    with pytest.raises(ConfigError, match="needs >= 8 channels"):
        NETWORKS.get("sagan_discriminator")(16, 1, base_filters=2, attention_resolution=8)


@pytest.mark.parametrize("name", ["sagan_generator", "biggan_generator", "sagan_discriminator",
                                  "biggan_discriminator", "lapgan_coarse_generator", "lapgan_residual_generator",
                                  "lapgan_discriminator", "stackgan_stage1_generator", "stackgan_stage2_generator",
                                  "stackgan_discriminator"])
def test_the_label_conditions_the_output(name):
    kwargs = dict(SMALL[name], num_classes=SMALL[name].get("num_classes") or 3)
    model = NETWORKS.get(name)(**kwargs)
    for w in model.trainable_weights:  # zero-initialised gains and small inits would hide the label at init
        w.assign(np.asarray(w) + RNG.normal(0, 0.3, w.shape).astype("float32"))
    x = random_inputs(model, 2)
    label_index = [i for i, t in enumerate(model.inputs) if "int" in str(t.dtype)]
    assert len(label_index) == 1
    other = list(x)
    other[label_index[0]] = (x[label_index[0]] + 1) % 3
    a, b = as_list(model(x, training=False))[0], as_list(model(other, training=False))[0]
    assert np.abs(a - b).max() > 1e-4


def test_lapgan_residuals_are_unbounded_and_stackgan_returns_the_augmentation():
    g = NETWORKS.get("lapgan_residual_generator")(8, 1, base_filters=4)
    assert g.layers[-1].get_config()["activation"] == "linear"
    assert g.input_shape == [(None, 8, 8, 1), (None, 8, 8, 1)]
    s1 = NETWORKS.get("stackgan_stage1_generator")(**SMALL["stackgan_stage1_generator"])
    image, mu, log_var = s1(random_inputs(s1), training=False)
    assert image.shape == (3, 8, 8, 1) and mu.shape == log_var.shape == (3, 3)
    s2 = NETWORKS.get("stackgan_stage2_generator")(**SMALL["stackgan_stage2_generator"])
    assert [tuple(t.shape) for t in s2.inputs] == [(None, 8, 8, 1), (None, 3), (None,)]
    assert s2.output_shape[0] == (None, 16, 16, 1)
    with pytest.raises(ConfigError, match="low_size < image_size"):
        NETWORKS.get("stackgan_stage2_generator")(16, 16, 1, 5)


def test_lapgan_generators_without_batch_norm_match_numpy():
    coarse = NETWORKS.get("lapgan_coarse_generator")(3, 2, 1, hidden_units=5, num_hidden=2, batch_norm=False)
    assert not any(isinstance(layer, keras.layers.BatchNormalization) for layer in coarse.layers)
    z = np.random.default_rng(1).standard_normal((4, 3)).astype("float32")
    h = z.astype(np.float64)
    for name in ("dense0", "dense1"):
        kernel, bias = (np.asarray(w, np.float64) for w in coarse.get_layer(name).weights)
        h = np.maximum(h @ kernel + bias, 0.0)                   # Dense with bias + ReLU, no BN
    kernel, bias = (np.asarray(w, np.float64) for w in coarse.get_layer("to_image").weights)
    want = np.tanh(h @ kernel + bias).reshape(4, 2, 2, 1)
    np.testing.assert_allclose(np.asarray(coarse(z, training=True)), want, rtol=1e-5, atol=1e-6)
    residual = NETWORKS.get("lapgan_residual_generator")(8, 1, base_filters=4, batch_norm=False)
    assert not any(isinstance(layer, keras.layers.BatchNormalization) for layer in residual.layers)
    assert residual.get_layer("conv0").use_bias
    with pytest.raises(ConfigError, match="batch_norm"):
        NETWORKS.get("lapgan_residual_generator")(8, 1, batch_norm="no")
