"""SelfAttention against the SAGAN formula written directly in NumPy; config and save round trips."""
import keras
import numpy as np
import pytest

from tfgan_zoo.layers.attention import SelfAttention
from tfgan_zoo.layers.spectral_norm import SpectralNorm

RNG = np.random.default_rng(0)


def _kernel(proj):
    """The [C_in, C_out] matrix a 1x1 projection computes with (W, or W / sigma when spectrally
    normalised: sigma from the stored singular vectors, as in an inference call)."""
    kernel = proj.normalized_kernel() if isinstance(proj, SpectralNorm) else proj.kernel
    return np.asarray(kernel, np.float64)[0, 0]


def _maxpool2(x):
    b, h, w, c = x.shape
    return x.reshape(b, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))


def numpy_self_attention(x, wf, wg, wh, wo, gamma):
    b, h, w, c = x.shape
    f = (x @ wf).reshape(b, h * w, -1)                           # queries [B, N, C/8]
    g = _maxpool2(x @ wg).reshape(b, h * w // 4, -1)             # keys    [B, N/4, C/8]
    v = _maxpool2(x @ wh).reshape(b, h * w // 4, -1)             # values  [B, N/4, C/2]
    s = np.einsum("bnk,bmk->bnm", f, g)
    beta = np.exp(s - s.max(-1, keepdims=True))
    beta /= beta.sum(-1, keepdims=True)
    o = np.einsum("bnm,bmc->bnc", beta, v).reshape(b, h, w, -1) @ wo
    return x + gamma * o, beta


@pytest.mark.parametrize("spectral_norm", [True, False])
def test_matches_the_numpy_formula(spectral_norm):
    x = np.random.default_rng(0).standard_normal((2, 4, 6, 16)).astype("float32")  # own draw: order-free
    layer = SelfAttention(spectral_norm=spectral_norm)
    np.testing.assert_array_equal(layer(x).numpy(), x)           # gamma = 0: the identity at init
    assert float(layer.gamma.numpy()) == 0.0 and layer.gamma.shape == ()
    layer.gamma.assign(0.7)
    ws = [_kernel(p) for p in (layer.query, layer.key, layer.value, layer.out)]
    assert [w.shape for w in ws] == [(16, 2), (16, 2), (16, 8), (8, 16)]
    want, want_beta = numpy_self_attention(x.astype(np.float64), *ws, 0.7)
    # float32 sums of terms up to |want|.max() (~1e3 with sigma from the initial singular vectors)
    # leave absolute errors ~1e-7 of that scale: the tolerance follows it, not a fixed 1e-5
    np.testing.assert_allclose(layer(x, training=False).numpy(), want, rtol=1e-4,
                               atol=1e-6 * max(1.0, np.abs(want).max()))
    beta, _ = layer.attention(x)
    np.testing.assert_allclose(beta.numpy(), want_beta, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(beta.numpy().sum(-1), 1.0, rtol=1e-6)  # softmax over the key positions
    assert beta.shape == (2, 24, 6)


def test_projections_are_bias_free_and_spectrally_normalised_in_training_calls():
    layer = SelfAttention()
    x = RNG.standard_normal((2, 4, 4, 8)).astype("float32")
    layer(x)
    projections = (layer.query, layer.key, layer.value, layer.out)
    assert all(isinstance(p, SpectralNorm) and not p.layer.use_bias for p in projections)
    before = [np.asarray(p.kernel).copy() for p in projections]
    for _ in range(40):  # one power iteration per training call
        layer(x, training=True)
    for b, p in zip(before, projections):
        np.testing.assert_array_equal(np.asarray(p.kernel), b)  # the stored W is never rewritten
        k = np.asarray(p.normalized_kernel())
        np.testing.assert_allclose(np.linalg.svd(k.reshape(-1, k.shape[-1]), compute_uv=False)[0], 1.0, rtol=1e-3)


def test_gamma_gets_a_gradient_and_the_rest_none_at_init():
    import tensorflow as tf

    layer = SelfAttention(spectral_norm=False)
    x = tf.constant(RNG.standard_normal((2, 4, 4, 8)).astype("float32"))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(x) * tf.constant(RNG.standard_normal((2, 4, 4, 8)).astype("float32")))
    grads = tape.gradient(loss, layer.trainable_weights)
    by_variable = {id(v): g for v, g in zip(layer.trainable_weights, grads)}
    assert abs(float(by_variable.pop(id(layer.gamma)))) > 0
    assert len(by_variable) == 4
    for g in by_variable.values():  # with gamma = 0 the projections do not move the output yet
        np.testing.assert_allclose(g.numpy(), 0.0)


def test_config_and_save_round_trip(tmp_path):
    layer = SelfAttention(spectral_norm=False, kernel_initializer="orthogonal", name="attn")
    clone = SelfAttention.from_config(layer.get_config())
    assert (clone.spectral_norm, clone.name) == (False, "attn")
    assert isinstance(clone.kernel_initializer, keras.initializers.Orthogonal)
    inp = keras.Input((8, 8, 16))
    model = keras.Model(inp, SelfAttention(name="sa")(inp))
    model.get_layer("sa").gamma.assign(0.5)
    x = RNG.standard_normal((2, 8, 8, 16)).astype("float32")
    copy = keras.Model.from_config(model.get_config())
    copy.set_weights(model.get_weights())
    np.testing.assert_allclose(copy(x).numpy(), model(x).numpy(), atol=1e-6)
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded(x).numpy(), model(x).numpy(), atol=1e-6)
    assert float(loaded.get_layer("sa").gamma.numpy()) == 0.5


@pytest.mark.parametrize("shape, match", [((2, 4, 4, 4), "at least 8 channels"), ((2, 3, 4, 8), "even"),
                                          ((2, 4, 8), "NHWC")])
def test_bad_shapes_are_refused(shape, match):
    with pytest.raises(ValueError, match=match):
        SelfAttention()(np.zeros(shape, "float32"))
