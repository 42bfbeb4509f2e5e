"""SpectralNorm (Miyato et al.'s W / sigma(W)) against np.linalg.svd and the closed-form gradient;
u, v state (training calls only, checkpoints, replicas), mixed precision, config and export."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from tests.layers.roundtrip import assert_round_trip
from tests.testing import two_cpu_strategy
from tfgan_zoo.layers.spectral_norm import SpectralNorm

RNG = np.random.default_rng(0)

CASES = {  # inner layer, input shape, the kernel as PyTorch's [out, rest] matrix
    "dense": (lambda: keras.layers.Dense(5), (3, 7), lambda k: k.T),
    "conv": (lambda: keras.layers.Conv2D(4, 3, strides=2, padding="same"), (2, 6, 6, 3),
             lambda k: k.reshape(-1, k.shape[-1]).T),
    # [kh, kw, out, in]: the output channels (PyTorch's dim=1 of [in, out, kh, kw]) are the rows
    "conv_transpose": (lambda: keras.layers.Conv2DTranspose(4, 4, strides=2, padding="same"), (2, 3, 3, 6),
                       lambda k: np.moveaxis(k, -2, 0).reshape(k.shape[-2], -1)),
}


def make(case, **kwargs):
    inner, shape, as_matrix = CASES[case]
    layer = SpectralNorm(inner(), **kwargs)
    x = RNG.standard_normal(shape).astype("float32")
    layer(x)  # build
    return layer, x, as_matrix


def top_singular_value(matrix):
    return np.linalg.svd(np.asarray(matrix, np.float64), compute_uv=False)[0]


@pytest.mark.parametrize("case", sorted(CASES))
def test_sigma_converges_to_the_largest_singular_value(case):
    layer, x, as_matrix = make(case)
    layer.kernel.assign(RNG.normal(0, 1, layer.kernel.shape).astype("float32"))
    for _ in range(200):  # one power iteration per training call
        layer(x, training=True)
    w = as_matrix(layer.kernel.numpy())
    np.testing.assert_allclose(float(layer.sigma()), top_singular_value(w), rtol=1e-4)
    np.testing.assert_allclose(top_singular_value(as_matrix(layer.normalized_kernel().numpy())), 1.0, rtol=1e-4)


@pytest.mark.parametrize("case", sorted(CASES))
def test_output_is_the_wrapped_op_with_w_over_sigma(case):
    layer, x, _ = make(case)
    layer.layer.bias.assign(RNG.normal(0, 1, layer.layer.bias.shape).astype("float32"))
    got = layer(x, training=True).numpy()
    plain = CASES[case][0]()
    plain(x)
    plain.kernel.assign(layer.normalized_kernel())  # the sigma of that call: the stored u, v
    plain.bias.assign(layer.layer.bias)
    np.testing.assert_allclose(got, plain(x).numpy(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("training", [True, False])
def test_gradient_flows_through_sigma(case, training):
    layer, x, as_matrix = make(case)
    for _ in range(3):
        layer(x, training=True)
    out_grad = RNG.standard_normal(layer(x).shape).astype("float32")
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(x, training=training) * out_grad)
    grad = tape.gradient(loss, layer.kernel).numpy()
    u, v = layer.vector_u.numpy().astype(np.float64), layer.vector_v.numpy().astype(np.float64)
    w = layer.kernel.numpy().astype(np.float64)
    # u, v held fixed: sigma = u^T W v on the [out, rest] matrix; G the gradient w.r.t. W_sn
    sigma = u @ as_matrix(w) @ v
    plain = CASES[case][0]()  # the bare layer with kernel W / sigma: G = dL/dW_sn
    plain(x)
    plain.kernel.assign((w / sigma).astype("float32"))
    plain.bias.assign(layer.layer.bias)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(plain(x) * out_grad)
    g_sn = tape.gradient(loss, plain.kernel).numpy().astype(np.float64)
    g_m, w_m = as_matrix(g_sn), as_matrix(w)
    want = g_m / sigma - (np.sum(g_m * w_m) / sigma ** 2) * np.outer(u, v)
    np.testing.assert_allclose(as_matrix(grad), want, rtol=1e-4, atol=1e-5)
    # and not the gradient a projection (no gradient through sigma) would give
    assert np.abs(as_matrix(grad) - g_m / sigma).max() > 1e-3


def test_u_and_v_update_only_in_training_calls_and_the_kernel_never():
    layer, x, _ = make("conv")
    kernel = layer.kernel.numpy().copy()
    state = [layer.vector_u.numpy().copy(), layer.vector_v.numpy().copy()]
    layer(x)
    layer(x, training=False)
    np.testing.assert_array_equal(layer.vector_u.numpy(), state[0])
    np.testing.assert_array_equal(layer.vector_v.numpy(), state[1])
    layer(x, training=True)
    assert not np.allclose(layer.vector_u.numpy(), state[0])
    np.testing.assert_allclose(np.linalg.norm(layer.vector_u.numpy()), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(layer.kernel.numpy(), kernel)
    assert [w.name for w in layer.trainable_weights] == ["kernel", "bias"]
    assert [w.name for w in layer.non_trainable_weights] == ["vector_u", "vector_v"]


def test_u_survives_a_checkpoint_round_trip(tmp_path):
    layer, x, _ = make("dense")
    for _ in range(3):
        layer(x, training=True)
    saved = [layer.vector_u.numpy().copy(), layer.vector_v.numpy().copy()]
    want = layer(x).numpy()
    path = tf.train.Checkpoint(layer=layer).save(str(tmp_path / "ckpt"))
    layer(x, training=True)
    assert not np.allclose(layer.vector_u.numpy(), saved[0])
    other, _, _ = make("dense")
    tf.train.Checkpoint(layer=other).restore(path).assert_consumed()
    np.testing.assert_array_equal(other.vector_u.numpy(), saved[0])
    np.testing.assert_array_equal(other.vector_v.numpy(), saved[1])
    np.testing.assert_allclose(other(x).numpy(), want, rtol=1e-6)


def test_config_save_load_and_saved_model_export(tmp_path):
    layer, x, _ = make("conv", power_iterations=2, name="sn")
    layer(x, training=True)
    assert layer.get_config()["power_iterations"] == 2
    loaded = assert_round_trip(layer, x, tmp_path)
    assert isinstance(loaded.layers[-1], SpectralNorm)
    model = keras.Sequential([keras.Input(x.shape[1:]), layer])
    model.export(str(tmp_path / "saved"), verbose=False)
    reloaded = tf.saved_model.load(str(tmp_path / "saved"))
    np.testing.assert_allclose(reloaded.serve(x).numpy(), model(x).numpy(), rtol=1e-5, atol=1e-6)


def test_refuses_other_layers():
    with pytest.raises(ValueError, match="Dense, Conv2D or Conv2DTranspose"):
        SpectralNorm(keras.layers.Embedding(4, 3))
    with pytest.raises(ValueError, match="power_iterations"):
        SpectralNorm(keras.layers.Dense(3), power_iterations=0)


def _net():
    return keras.Sequential([keras.Input((6, 6, 2)),
                             SpectralNorm(keras.layers.Conv2D(4, 3, strides=2, padding="same")),
                             keras.layers.LeakyReLU(0.1), keras.layers.Flatten(), SpectralNorm(keras.layers.Dense(1))])


def test_two_replicas_compute_what_one_device_computes():
    strategy = two_cpu_strategy()
    with strategy.scope():
        model = _net()
    sns = [l for l in model.layers if isinstance(l, SpectralNorm)]
    start = [(l.vector_u.numpy().copy(), l.vector_v.numpy().copy()) for l in sns]
    x = RNG.standard_normal((4, 6, 6, 2)).astype("float32")

    def step(batch):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(model(batch, training=True))
        return model(batch, training=True), tape.gradient(loss, model.trainable_variables)

    single_out, single_grads = step(x)
    single_u = [l.vector_u.numpy().copy() for l in sns]
    for layer, (u, v) in zip(sns, start):
        layer.vector_u.assign(u)
        layer.vector_v.assign(v)
    dist = strategy.experimental_distribute_dataset(tf.data.Dataset.from_tensors(x))
    outs, grads = strategy.run(tf.function(step), args=(next(iter(dist)),))
    both = np.concatenate([t.numpy() for t in strategy.experimental_local_results(outs)])
    np.testing.assert_allclose(both, single_out.numpy(), rtol=1e-5, atol=1e-6)
    for g_single, g_replicas in zip(single_grads, grads):  # per-replica sums add up to the one-device sum
        total = sum(t.numpy() for t in strategy.experimental_local_results(g_replicas))
        np.testing.assert_allclose(total, g_single.numpy(), rtol=1e-4, atol=1e-5)
    for layer, u in zip(sns, single_u):
        for replica_value in strategy.experimental_local_results(layer.vector_u.value):
            np.testing.assert_allclose(replica_value.numpy(), u, rtol=1e-5, atol=1e-6)


def test_mixed_bfloat16():
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy("mixed_bfloat16")
    try:
        layer, x, as_matrix = make("conv")
        for _ in range(30):
            with tf.GradientTape() as tape:
                y = layer(x, training=True)
                loss = tf.reduce_sum(tf.cast(y, "float32"))
        grad = tape.gradient(loss, layer.kernel)
    finally:
        keras.config.set_dtype_policy(previous)
    assert y.dtype == tf.bfloat16 and layer.kernel.dtype == "float32"
    assert layer.vector_u.dtype == "float32" and layer.vector_v.dtype == "float32"
    assert grad.dtype == tf.float32 and np.all(np.isfinite(grad.numpy()))
    np.testing.assert_allclose(float(layer.sigma()), top_singular_value(as_matrix(layer.kernel.numpy())), rtol=1e-3)
