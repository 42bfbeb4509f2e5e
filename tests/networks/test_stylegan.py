"""StyleGAN networks: truncation, style mixing, w_avg, the noise inputs, the parts an export serves."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo.layers.equalized import EqualizedDense
from tfgan_zoo.layers.style import NoiseInjection
from tfgan_zoo.networks.stylegan import (generator_inputs, layer_resolutions, noise_size, num_ws, stylegan_generator,
                                         stylegan_mapping)

SIZE, LATENT, W_DIM = 8, 6, 5
RNG = np.random.default_rng(0)


@pytest.fixture(scope="module")
def generator():
    g = stylegan_generator(LATENT, SIZE, 1, w_dim=W_DIM, mapping_units=7, mapping_layers=3, base_filters=4,
                           max_filters=8, truncation_cutoff=2)
    # non-trivial noise weights and w_avg, so the tests below can fail
    for layer in g.get_layer("synthesis").layers:
        if isinstance(layer, NoiseInjection):
            layer.weight.assign(RNG.normal(0.0, 0.5, layer.weight.shape).astype("float32"))
    g.get_layer("styles").w_avg.assign(RNG.normal(size=W_DIM).astype("float32"))
    return g


def _latents(n):
    return RNG.normal(size=(n, LATENT)).astype("float32")


def _fixed_noise(n):
    return np.repeat(RNG.normal(size=(1, noise_size(SIZE))), n, axis=0).astype("float32")


def _ws(generator):
    return keras.Model(generator.input, generator.get_layer("styles").output)


def test_layer_bookkeeping():
    assert num_ws(8) == 4 and layer_resolutions(8) == [4, 4, 8, 8]
    assert noise_size(8) == 2 * 16 + 2 * 64
    assert num_ws(1024) == 18


def test_psi_zero_gives_the_same_image_for_every_latent(generator):
    g = stylegan_generator(LATENT, SIZE, 1, w_dim=W_DIM, mapping_units=7, mapping_layers=3, base_filters=4,
                           max_filters=8)                                      # cutoff 8 >= num_ws: all layers
    g.set_weights(generator.get_weights())
    images = g(generator_inputs(_latents(5), _fixed_noise(5), psi=0.0)).numpy()
    assert images.std(axis=0).max() < 1e-4
    assert g(generator_inputs(_latents(5), _fixed_noise(5), psi=1.0)).numpy().std(axis=0).max() > 1e-3


def test_truncation_applies_to_the_first_cutoff_layers(generator):
    z = _latents(3)
    ws1 = _ws(generator)(generator_inputs(z, _fixed_noise(3), psi=1.0)).numpy()
    ws_half = _ws(generator)(generator_inputs(z, _fixed_noise(3), psi=0.5)).numpy()
    avg = generator.get_layer("styles").w_avg.numpy()
    np.testing.assert_allclose(ws_half[:, :2], avg + 0.5 * (ws1[:, :2] - avg), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(ws_half[:, 2:], ws1[:, 2:])
    w = generator.get_layer("mapping")(z).numpy()
    np.testing.assert_allclose(ws1, np.broadcast_to(w[:, None], ws1.shape), rtol=1e-5, atol=1e-6)


def test_mixing_with_the_same_latent_twice_equals_no_mixing(generator):
    z, noise = _latents(4), _fixed_noise(4)
    plain = generator(generator_inputs(z, noise)).numpy()
    for crossover in (0, 1, 3):
        mixed = generator(generator_inputs(z, noise, z_mix=z, crossover=crossover)).numpy()
        np.testing.assert_array_equal(mixed, plain)


def test_mixing_takes_coarse_styles_from_z_and_fine_from_z_mix(generator):
    z, z2, noise = _latents(2), _latents(2), _fixed_noise(2)
    ws = _ws(generator)(generator_inputs(z, noise, z_mix=z2, crossover=np.array([1, 3]))).numpy()
    mapping = generator.get_layer("mapping")
    w1, w2 = mapping(z).numpy(), mapping(z2).numpy()
    np.testing.assert_allclose(ws[0, :1], w1[:1], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ws[0, 1:], np.broadcast_to(w2[0], (3, W_DIM)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ws[1, 3:], w2[1:], rtol=1e-5, atol=1e-6)
    images = generator(generator_inputs(z, noise, z_mix=z2, crossover=1)).numpy()
    assert not np.allclose(images, generator(generator_inputs(z, noise)).numpy())


def test_the_export_parts_compose_to_the_generator(generator):
    """mapping(latents) -> w, broadcast to one w per layer, synthesis(ws) == generate."""
    z, noise = _latents(3), _fixed_noise(3)
    w = generator.get_layer("mapping")(z)
    ws = tf.tile(w[:, None], [1, num_ws(SIZE), 1])
    images = generator.get_layer("synthesis")({"ws": ws, "noise": tf.constant(noise), "lod": tf.zeros((3, 1))})
    # atol 1e-5: float32 round-off of two graphs against one (oneDNN picks kernels by load)
    np.testing.assert_allclose(images.numpy(), generator(generator_inputs(z, noise)).numpy(), rtol=1e-5, atol=1e-5)


def test_noise_is_an_input_and_reaches_each_layer(generator):
    z = _latents(2)
    noise = _fixed_noise(2)
    base = generator(generator_inputs(z, noise)).numpy()
    np.testing.assert_array_equal(base, generator(generator_inputs(z, noise)).numpy())   # deterministic
    start = 0
    for r in layer_resolutions(SIZE):                       # perturbing any layer's slice changes the image
        changed = noise.copy()
        changed[:, start:start + r * r] += RNG.normal(size=(2, r * r))  # not a constant: IN removes that
        assert np.abs(generator(generator_inputs(z, changed)).numpy() - base).max() > 1e-5
        start += r * r
    assert base.shape == (2, SIZE, SIZE, 1)


def test_w_avg_tracks_training_calls_only(generator):
    g = keras.models.clone_model(generator)
    g.set_weights(generator.get_weights())
    styles = g.get_layer("styles")
    before = styles.w_avg.numpy().copy()
    z = _latents(4)
    g(generator_inputs(z, _fixed_noise(4)), training=False)
    np.testing.assert_array_equal(styles.w_avg.numpy(), before)
    g(generator_inputs(z, _fixed_noise(4)), training=True)
    w = g.get_layer("mapping")(z).numpy().astype(np.float64)
    np.testing.assert_allclose(styles.w_avg.numpy(), 0.995 * before + 0.005 * w.mean(axis=0), rtol=1e-5, atol=1e-7)


def test_mapping_network_is_eight_layers_at_lr_multiplier_001():
    m = stylegan_mapping(16, w_dim=8, hidden_units=8)
    dense = [layer for layer in m.layers if isinstance(layer, EqualizedDense)]
    assert len(dense) == 8 and {layer.lr_multiplier for layer in dense} == {0.01}
    assert m.output.shape == (None, 8)


def test_progressive_lod_fades_like_progan(generator):
    z, noise = _latents(2), _fixed_noise(2)
    coarse = generator(generator_inputs(z, noise, lod=1.0)).numpy()
    np.testing.assert_array_equal(coarse, np.repeat(np.repeat(coarse[:, ::2, ::2], 2, 1), 2, 2))


def test_mixed_precision_runs_and_outputs_float32():
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        g = stylegan_generator(LATENT, SIZE, 1, w_dim=W_DIM, mapping_units=7, mapping_layers=2, base_filters=4,
                               max_filters=8)
        images = g(generator_inputs(_latents(3), _fixed_noise(3)), training=True)
        w = g.get_layer("mapping")(_latents(3))
    finally:
        keras.mixed_precision.set_global_policy("float32")
    assert images.dtype == tf.float32 and w.dtype == tf.float32 and np.isfinite(images.numpy()).all()
    assert g.get_layer("styles").w_avg.dtype == "float32"
