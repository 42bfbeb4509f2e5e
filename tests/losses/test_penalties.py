"""Penalties against closed forms (linear / quadratic critics) and NumPy re-implementations."""
from tests.testing import two_cpu_strategy
import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo.losses import penalties as P

SHAPE = (2, 2, 1)  # tiny images


class FakeModel:
    """The slice of GANModel the regularizers use; `draws` are returned by random_uniform first."""

    def __init__(self, discriminator, generator=None, draws=()):
        self.discriminator, self.generator = discriminator, generator
        self.draws = [np.asarray(d, np.float32) for d in draws]
        self.rng = tf.random.Generator.from_seed(0)

    def discriminate(self, images, cond, training):
        return self.discriminator(images, training=training)

    def critic(self, images, cond, training=True):
        return P.adversarial_output(self.discriminate(images, cond, training))

    def real_images(self, batch):
        return batch["real"]

    def fake_images(self, fake):
        return fake

    def fake_condition(self, batch, fake):
        return batch

    def random_uniform(self, shape, dtype="float32"):
        if self.draws:
            return tf.constant(self.draws.pop(0))
        return self.rng.uniform(shape, dtype=dtype)

    def random_normal(self, shape, dtype="float32"):
        return self.rng.normal(shape, dtype=dtype)


def linear_critic(w, bias=0.3):
    """keras D(x) = w . flatten(x) + bias."""
    inp = keras.Input(SHAPE)
    dense = keras.layers.Dense(1)
    model = keras.Model(inp, dense(keras.layers.Flatten()(inp)))
    dense.kernel.assign(np.reshape(w, (-1, 1)))
    dense.bias.assign([bias])
    return model, dense


def images(seed, n=3):
    return np.random.default_rng(seed).normal(size=(n,) + SHAPE).astype(np.float32)


W_BIG = np.array([1.0, -2.0, 0.5, 2.0], np.float32)      # ||w|| = 3.0414
W_SMALL = np.array([0.3, -0.2, 0.1, 0.4], np.float32)    # ||w|| = 0.5477


def lin_fn(w):
    wt = tf.constant(np.reshape(w, (1,) + SHAPE))
    return lambda x: tf.reduce_sum(x * wt, axis=[1, 2, 3])


# ------------------------------------------------------------------ pure functions
@pytest.mark.parametrize("w", [W_BIG, W_SMALL])
def test_gradient_penalty_of_linear_critic(w):
    eps = np.random.default_rng(1).uniform(size=(3, 1, 1, 1))
    n = np.linalg.norm(w)
    gp = P.gradient_penalty(lin_fn(w), images(0), images(1), eps)
    np.testing.assert_allclose(float(gp), (n - 1) ** 2, rtol=1e-5)
    lp = P.gradient_penalty(lin_fn(w), images(0), images(1), eps, one_sided=True)
    np.testing.assert_allclose(float(lp), max(n - 1, 0.0) ** 2, rtol=1e-5, atol=1e-9)


def test_gradient_penalty_interpolates_per_sample():
    # f(x) = 1/2 sum(a x^2): grad = a * x_hat, x_hat = eps x + (1 - eps) x_fake
    a = np.array([1.0, 2.0, 0.5, 1.5], np.float32).reshape((1,) + SHAPE)
    real, fake = images(2), images(3)
    eps = np.array([0.0, 0.3, 1.0]).reshape(3, 1, 1, 1).astype(np.float32)
    x_hat = eps * real + (1 - eps) * fake
    norms = np.sqrt(((a * x_hat) ** 2).reshape(3, -1).sum(1))
    fn = lambda x: 0.5 * tf.reduce_sum(a * x * x, axis=[1, 2, 3])  # noqa: E731
    np.testing.assert_allclose(float(P.gradient_penalty(fn, real, fake, eps, target=2.0)),
                               np.mean((norms - 2.0) ** 2), rtol=1e-5)
    vec = lambda x: 0.5 * tf.reduce_sum(x * x, axis=1)  # noqa: E731 -- rank-2 inputs, [B, 1] eps
    r2, f2, e2 = real.reshape(3, -1), fake.reshape(3, -1), eps.reshape(3, 1)
    norms2 = np.linalg.norm(e2 * r2 + (1 - e2) * f2, axis=1)
    np.testing.assert_allclose(float(P.gradient_penalty(vec, r2, f2, e2)),
                               np.mean((norms2 - 1) ** 2), rtol=1e-5)


def test_r1_r2_and_dragan_against_closed_forms():
    n2 = float(np.sum(W_BIG ** 2))
    np.testing.assert_allclose(float(P.r1_penalty(lin_fn(W_BIG), images(0), 10.0)), 5.0 * n2,
                               rtol=1e-5)
    np.testing.assert_allclose(float(P.r2_penalty(lin_fn(W_BIG), images(1), 4.0)), 2.0 * n2,
                               rtol=1e-5)
    a = np.array([1.0, 2.0, 0.5, 1.5], np.float32).reshape((1,) + SHAPE)
    fn = lambda x: 0.5 * tf.reduce_sum(a * x * x, axis=[1, 2, 3])  # noqa: E731
    x = images(4)
    np.testing.assert_allclose(float(P.r1_penalty(fn, x, 2.0)),
                               np.mean(((a * x) ** 2).reshape(3, -1).sum(1)), rtol=1e-5)
    u = np.random.default_rng(5).uniform(size=x.shape).astype(np.float32)
    alpha = np.array([0.2, 0.5, 1.0], np.float32).reshape(3, 1, 1, 1)
    xp = x + alpha * 0.5 * np.std(x) * u
    norms = np.sqrt(((a * xp) ** 2).reshape(3, -1).sum(1))
    np.testing.assert_allclose(float(P.dragan_penalty(fn, x, u, 0.5, alpha)),
                               np.mean((norms - 1) ** 2), rtol=1e-5)
    np.testing.assert_allclose(float(P.dragan_penalty(lin_fn(W_BIG), x, u)),
                               (np.linalg.norm(W_BIG) - 1) ** 2, rtol=1e-5)


def test_penalties_are_differentiable_wrt_critic_weights():
    w = tf.Variable(W_BIG.reshape((1,) + SHAPE))
    fn = lambda x: tf.reduce_sum(x * w, axis=[1, 2, 3])  # noqa: E731
    eps = np.full((3, 1, 1, 1), 0.5, np.float32)
    with tf.GradientTape(persistent=True) as tape:
        gp = P.gradient_penalty(fn, images(0), images(1), eps)
        r1 = P.r1_penalty(fn, images(0), 10.0)
    n = np.linalg.norm(W_BIG)
    np.testing.assert_allclose(tape.gradient(gp, w).numpy().ravel(), 2 * (n - 1) * W_BIG / n,
                               rtol=1e-5)
    np.testing.assert_allclose(tape.gradient(r1, w).numpy().ravel(), 10.0 * W_BIG, rtol=1e-5)


def test_clip_weights_clips():
    v = keras.Variable(np.array([-0.5, -0.01, 0.0, 0.005, 0.2], np.float32))
    t = tf.Variable([3.0, -3.0])
    P.clip_weights([v, t], 0.01)
    np.testing.assert_allclose(v.numpy(), [-0.01, -0.01, 0.0, 0.005, 0.01])
    np.testing.assert_allclose(t.numpy(), [0.01, -0.01])


def test_orthogonal_regularization():
    q, _ = np.linalg.qr(np.random.default_rng(0).normal(size=(12, 4)))
    assert float(P.orthogonal_regularization([q.astype(np.float32)], 1.0)) == pytest.approx(
        0.0, abs=1e-9)
    conv = q.reshape(2, 2, 3, 4).astype(np.float32) * 3.0  # scaled orthogonal columns
    assert float(P.orthogonal_regularization([conv], 1.0)) == pytest.approx(0.0, abs=1e-8)
    w = np.array([[1.0, 1.0], [0.0, 1.0]], np.float32)  # W^T W = [[1, 1], [1, 2]]
    assert float(P.orthogonal_regularization([w, conv], 0.5)) == pytest.approx(0.5 * 2.0)


def np_flip_translate(x, flip_u, shift_u, p):
    out = []
    for img, fu, su in zip(x, flip_u, shift_u):
        img = img[:, ::-1] if fu < 0.5 else img
        pad = np.pad(img, ((p, p), (p, p), (0, 0)), mode="reflect")
        dy, dx = (min(int(np.floor(s * (2 * p + 1))), 2 * p) for s in su)
        out.append(pad[dy:dy + img.shape[0], dx:dx + img.shape[1]])
    return np.stack(out)


def test_flip_translate_matches_numpy():
    x = np.arange(2 * 5 * 6 * 2, dtype=np.float32).reshape(2, 5, 6, 2)
    flip_u, shift_u = np.array([0.2, 0.7]), np.array([[0.0, 0.99], [0.45, 0.1]])
    out = P.flip_translate(x, flip_u, shift_u, 2).numpy()
    np.testing.assert_array_equal(out, np_flip_translate(x, flip_u, shift_u, 2))
    same = P.flip_translate(x, [0.9, 0.9], [[0.5, 0.5], [0.5, 0.5]], 2).numpy()
    np.testing.assert_array_equal(same, x)  # offset p = no shift, no flip
    np.testing.assert_array_equal(P.flip_translate(x, [0.0, 0.0], [[0.5] * 2] * 2, 0).numpy(),
                                  x[:, :, ::-1])


def test_consistency_penalty_hand_value():
    assert float(P.consistency_penalty([[1.0], [2.0]], [[0.0], [4.0]])) == pytest.approx(2.5)
    d = np.ones((2, 2, 2, 1))
    assert float(P.consistency_penalty(d, 0 * d)) == pytest.approx(4.0)


# ------------------------------------------------------------------ Regularizer objects
def test_gradient_penalty_regularizers_on_keras_critic():
    d, dense = linear_critic(W_BIG)
    batch, fake = {"real": tf.constant(images(0))}, tf.constant(images(1))
    n = np.linalg.norm(W_BIG)
    with tf.GradientTape() as tape:
        gp = P.GradientPenalty(weight=10.0).discriminator_term(FakeModel(d), batch, fake, {})
    np.testing.assert_allclose(float(gp), 10 * (n - 1) ** 2, rtol=1e-5)
    np.testing.assert_allclose(tape.gradient(gp, dense.kernel).numpy().ravel(),
                               20 * (n - 1) * W_BIG / n, rtol=1e-5)
    np.testing.assert_allclose(
        float(P.DRAGANPenalty().discriminator_term(FakeModel(d), batch, fake, {})),
        10 * (n - 1) ** 2, rtol=1e-5)
    np.testing.assert_allclose(
        float(P.R1Penalty(gamma=2.0).discriminator_term(FakeModel(d), batch, fake, {})), n * n,
        rtol=1e-5)
    np.testing.assert_allclose(
        float(P.R2Penalty(gamma=4.0).discriminator_term(FakeModel(d), batch, fake, {})),
        2 * n * n, rtol=1e-5)
    small, _ = linear_critic(W_SMALL)
    lp = P.LipschitzPenalty().discriminator_term(FakeModel(small), batch, fake, {})
    assert float(lp) == 0.0
    assert float(P.GradientPenalty().discriminator_term(FakeModel(small), batch, fake, {})) == \
        pytest.approx(10 * (np.linalg.norm(W_SMALL) - 1) ** 2, rel=1e-5)


def test_gradient_penalty_traces_with_unknown_batch_size():
    d, _ = linear_critic(W_BIG)
    model, reg = FakeModel(d), P.GradientPenalty(weight=1.0)

    @tf.function(input_signature=[tf.TensorSpec((None,) + SHAPE)] * 2)
    def term(real, fake):
        return reg.discriminator_term(model, {"real": real}, fake, {})
    np.testing.assert_allclose(float(term(images(0), images(1))),
                               (np.linalg.norm(W_BIG) - 1) ** 2, rtol=1e-5)


def test_weight_clipping_regularizer():
    d, dense = linear_critic(W_BIG, bias=-0.7)
    P.WeightClipping().after_discriminator_update(FakeModel(d))
    np.testing.assert_allclose(dense.kernel.numpy().ravel(), [0.01, -0.01, 0.01, 0.01])
    np.testing.assert_allclose(dense.bias.numpy(), [-0.01])


def test_orthogonal_regularizer_skips_embeddings_and_biases():
    inp = keras.Input((1,), dtype="int32")
    dense = keras.layers.Dense(3)
    g = keras.Model(inp, dense(keras.layers.Flatten()(keras.layers.Embedding(5, 3)(inp))))
    dense.kernel.assign(np.eye(3)[[1, 0, 2]])
    dense.bias.assign([5.0, 1.0, 2.0])
    reg = P.OrthogonalRegularization(beta=0.5)
    assert float(reg.generator_term(FakeModel(None, g), {}, None, {})) == pytest.approx(0.0)
    dense.kernel.assign([[1.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    assert float(reg.generator_term(FakeModel(None, g), {}, None, {})) == pytest.approx(1.0)


def test_orthogonal_regularizer_skips_a_shared_class_embedding_by_its_path():
    # BigGAN's shared embedding is a ClassEmbedding: its table variable is named "kernel"
    from tfgan_zoo.layers import ClassEmbedding
    inp = keras.Input((), dtype="int32")
    table = ClassEmbedding(4, 3, name="shared_embedding")
    g = keras.Model(inp, table(inp))
    table.embeddings.assign(np.ones((4, 3), np.float32))  # far from orthogonal columns
    assert table.embeddings.name == "kernel"
    reg = P.OrthogonalRegularization(beta=0.5)
    assert float(reg.generator_term(FakeModel(None, g), {}, None, {})) == pytest.approx(0.0)


def test_consistency_regularizer():
    w = np.array([1.0, -2.0, 0.5, 3.0], np.float32)
    d, _ = linear_critic(w)
    real = images(6, n=2)
    flip_u, shift_u = np.array([0.1, 0.8]), np.array([[0.0, 0.9], [0.6, 0.2]])
    aug = np_flip_translate(real, flip_u, shift_u, 1)
    diff = (real - aug).reshape(2, -1) @ w
    reg = P.ConsistencyRegularization(weight=10.0, max_shift=1)
    term = reg.discriminator_term(FakeModel(d, draws=[flip_u, shift_u]), {"real": real}, None, {})
    np.testing.assert_allclose(float(term), 10 * np.mean(diff ** 2), rtol=1e-4)
    d_real = d(real)
    term = reg.discriminator_term(FakeModel(d, draws=[flip_u, shift_u]), {"real": real}, None,
                                  {"real": d_real})
    np.testing.assert_allclose(float(term), 10 * np.mean(diff ** 2), rtol=1e-4)


def test_historical_averaging():
    d, dense = linear_critic(W_BIG)
    g, gdense = linear_critic(W_SMALL)
    model = FakeModel(d, g)
    reg = P.HistoricalAveraging(weight=2.0, generator=True)
    with pytest.raises(RuntimeError, match="build"):
        reg.discriminator_term(model, {}, None, {})
    reg.build(model)
    assert len(reg.variables) == 2 * 3  # kernel, bias, counter per role
    assert float(reg.discriminator_term(model, {}, None, {})) == 0.0
    dense.kernel.assign(dense.kernel + 1.0)                 # 4 kernel entries move by 1
    assert float(reg.discriminator_term(model, {}, None, {})) == pytest.approx(2.0 * 4)
    reg.after_discriminator_update(model)                   # average of 2 snapshots: gap 0.5
    assert float(reg.discriminator_term(model, {}, None, {})) == pytest.approx(2.0 * 4 * 0.25)
    dense.kernel.assign(dense.kernel + 1.0)                 # avg of (w, w+1, w+2) = w+1
    reg.after_discriminator_update(model)
    assert float(reg.discriminator_term(model, {}, None, {})) == pytest.approx(2.0 * 4 * 1.0)
    gdense.bias.assign([1.3])                               # G bias moved by 1
    assert float(reg.generator_term(model, {}, None, {})) == pytest.approx(2.0)
    ema = P.HistoricalAveraging(weight=1.0, decay=0.9)
    ema.build(model)
    dense.kernel.assign(dense.kernel + 1.0)
    ema.after_discriminator_update(model)                   # avg = 0.9 old + 0.1 new: gap 0.9
    assert float(ema.discriminator_term(model, {}, None, {})) == pytest.approx(4 * 0.81)
    assert ema.generator_term(model, {}, None, {}) is None


def test_after_update_hooks_under_mirrored_strategy():
    strategy = two_cpu_strategy()  # one shared MirroredStrategy per test process
    with strategy.scope():
        d, dense = linear_critic(W_BIG)
        model = FakeModel(d)
        hist = P.HistoricalAveraging(weight=1.0)
        hist.build(model)
    clip = P.WeightClipping(clip=0.5)
    dense.kernel.assign(dense.kernel + 1.0)

    @tf.function
    def step():
        def replica_fn():
            hist.after_discriminator_update(model)
            clip.after_discriminator_update(model)
            return hist.discriminator_term(model, {}, None, {})
        return strategy.run(replica_fn)

    terms = strategy.experimental_local_results(step())
    # avg = w + 0.5, then the kernel is clipped to +-0.5: gap = w + 0.5 - clip(w + 1)
    gap = W_BIG + 0.5 - np.clip(W_BIG + 1.0, -0.5, 0.5)
    for t in terms:  # the bias (0.3) never moved and is inside the clip range: no gap
        np.testing.assert_allclose(float(t), np.sum(gap ** 2), rtol=1e-5)
    np.testing.assert_allclose(dense.kernel.numpy().ravel(), np.clip(W_BIG + 1.0, -0.5, 0.5))


def _small_critic(policy):
    keras.mixed_precision.set_global_policy(policy)
    try:
        keras.utils.set_random_seed(3)
        x = keras.Input((8, 8, 1))
        h = keras.layers.Conv2D(8, 3, strides=2, padding="same")(x)
        h = keras.layers.LeakyReLU(0.2)(keras.layers.LayerNormalization()(h))
        h = keras.layers.Conv2D(16, 3, strides=2, padding="same")(h)
        h = keras.layers.Flatten()(keras.layers.LeakyReLU(0.2)(h))
        return keras.Model(x, keras.layers.Dense(1, dtype="float32")(h))
    finally:
        keras.mixed_precision.set_global_policy("float32")


def test_penalties_under_mixed_bfloat16_match_float32():
    """Under mixed_bfloat16 (the layers compute in bf16) the input gradients, the penalties
    and their gradients w.r.t. the critic are float32 and within bf16 rounding of float32."""
    d32, d16 = _small_critic("float32"), _small_critic("mixed_bfloat16")
    d16.set_weights(d32.get_weights())
    assert d16.layers[1].compute_dtype == "bfloat16" and d16.layers[1].kernel.dtype == "float32"
    rng = np.random.default_rng(0)
    real, fake = (tf.constant(rng.uniform(-1, 1, (6, 8, 8, 1)), tf.float32) for _ in range(2))
    eps = tf.constant(rng.uniform(size=(6, 1, 1, 1)), tf.float32)
    noise = tf.constant(rng.uniform(size=(6, 8, 8, 1)), tf.float32)
    penalties = {
        "gp": lambda fn: P.gradient_penalty(fn, real, fake, eps),
        "r1": lambda fn: P.r1_penalty(fn, real),
        "dragan": lambda fn: P.dragan_penalty(fn, real, noise, 0.5, eps)}
    for name, penalty in penalties.items():
        got = {}
        for key, d in (("32", d32), ("16", d16)):
            with tf.GradientTape() as tape:
                value = penalty(lambda x, d=d: d(x, training=True))
            grads = [tf.zeros(v.shape) if g is None else g  # the last bias: no input gradient
                     for v, g in zip(d.trainable_variables,
                                     tape.gradient(value, d.trainable_variables))]
            assert value.dtype == tf.float32 and all(g.dtype == tf.float32 for g in grads), name
            got[key] = float(value), np.concatenate([g.numpy().ravel() for g in grads])
        (v32, g32), (v16, g16) = got["32"], got["16"]
        assert np.isfinite(v16) and np.all(np.isfinite(g16)), name
        np.testing.assert_allclose(v16, v32, rtol=0.03, err_msg=name)
        cosine = g16 @ g32 / (np.linalg.norm(g16) * np.linalg.norm(g32))
        assert cosine > 0.99, (name, cosine)
        assert abs(np.linalg.norm(g16) / np.linalg.norm(g32) - 1) < 0.05, name
    sq = P.input_gradient_sqnorm(lambda x: d16(x, training=True), real)
    assert sq.dtype == tf.float32 and sq.shape == (6,)
