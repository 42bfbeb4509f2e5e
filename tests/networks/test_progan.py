"""ProGAN networks: exact fade-in, every level built, reals at a lod, minibatch stddev in D."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.layers.progressive import MinibatchStdDev
from tfgan_zoo.networks.progan import (num_levels, progan_discriminator, progan_generator, progressive_images,
                                       stage_lod)

SIZE = 16
RNG = np.random.default_rng(0)


@pytest.fixture(scope="module")
def generator():
    return progan_generator(6, SIZE, 2, base_filters=4, max_filters=8)


@pytest.fixture(scope="module")
def discriminator():
    return progan_discriminator(SIZE, 2, base_filters=4, max_filters=8)


def _lod(value, batch):
    return tf.fill((batch, 1), float(value))


def _upsample(images, factor):
    return np.repeat(np.repeat(images, factor, axis=1), factor, axis=2)


def test_stage_lod():
    assert num_levels(32) == 4
    assert [stage_lod(s, 1.0, 32) for s in range(4)] == [3.0, 2.0, 1.0, 0.0]
    assert [stage_lod(s, 0.0, 32) for s in range(1, 4)] == [3.0, 2.0, 1.0]  # alpha 0 = the previous stage
    assert stage_lod(2, 0.25, 32) == 1.75
    with pytest.raises(ConfigError):
        stage_lod(4, 0.0, 32)


@pytest.mark.parametrize("stage", [1, 2])
def test_fade_in_with_alpha_zero_is_exactly_the_upsampled_lower_resolution_output(generator, stage):
    z = RNG.normal(size=(3, 6)).astype("float32")
    r = 4 * 2 ** stage                       # the resolution this stage fades in
    lower = "to_rgb_4" if r == 8 else f"fade_{r // 2}"
    parts = keras.Model(generator.input, [generator.output, generator.get_layer(lower).output,
                                          generator.get_layer(f"to_rgb_{r}").output])
    image, low, fine = (t.numpy() for t in parts({"z": tf.constant(z), "lod": _lod(stage_lod(stage, 0.0, SIZE), 3)}))
    assert low.shape[1] == r // 2
    np.testing.assert_array_equal(image, _upsample(low, SIZE // (r // 2)))
    # alpha 1: the new level alone; alpha 0.5: halfway (the same lower output, the level lod is the same)
    image1, _, fine1 = (t.numpy() for t in parts({"z": tf.constant(z), "lod": _lod(stage_lod(stage, 1.0, SIZE), 3)}))
    np.testing.assert_allclose(image1, _upsample(fine1, SIZE // r), rtol=1e-6, atol=1e-6)
    half, _, _ = (t.numpy() for t in parts({"z": tf.constant(z), "lod": _lod(stage_lod(stage, 0.5, SIZE), 3)}))
    np.testing.assert_allclose(half, 0.5 * image + 0.5 * image1, rtol=1e-5, atol=1e-5)


def test_every_level_is_built_and_unused_levels_get_no_gradient(generator):
    names = {w.path for w in generator.weights}
    for r in (4, 8, 16):
        assert f"to_rgb_{r}/kernel" in names
    z = tf.constant(RNG.normal(size=(2, 6)).astype("float32"))
    with tf.GradientTape() as tape:
        out = generator({"z": z, "lod": _lod(stage_lod(1, 1.0, SIZE), 2)})   # the 8 x 8 stage
        loss = tf.reduce_sum(tf.square(out))
    grads = dict(zip([w.path for w in generator.trainable_weights],
                     tape.gradient(loss, generator.trainable_weights)))
    assert float(tf.reduce_sum(tf.abs(grads["conv1_16/kernel"]))) == 0.0
    assert float(tf.reduce_sum(tf.abs(grads["to_rgb_4/kernel"]))) == 0.0   # faded out after alpha 1
    assert float(tf.reduce_sum(tf.abs(grads["conv1_8/kernel"]))) > 0.0


def test_discriminator_at_a_lod_sees_only_the_pooled_image(discriminator):
    """At integer lod k, detail that averages out over 2^k x 2^k blocks must not change D."""
    x = RNG.normal(size=(4, SIZE, SIZE, 2)).astype("float32")
    checker = np.indices((SIZE, SIZE)).sum(axis=0) % 2 * 2.0 - 1.0            # zero mean on every 2 x 2 block
    detailed = x + checker[None, :, :, None].astype("float32")
    for lod, changes in ((1.0, False), (2.0, False), (0.0, True)):
        a = discriminator({"image": tf.constant(x), "lod": _lod(lod, 4)}).numpy()
        b = discriminator({"image": tf.constant(detailed), "lod": _lod(lod, 4)}).numpy()
        assert (np.abs(a - b).max() > 1e-4) == changes, lod


def test_discriminator_has_minibatch_stddev_and_handles_a_batch_of_six(discriminator):
    assert isinstance(discriminator.get_layer("mbstd"), MinibatchStdDev)
    out = discriminator({"image": tf.constant(RNG.normal(size=(6, SIZE, SIZE, 2)).astype("float32")),
                         "lod": _lod(0.0, 6)})
    assert out.shape == (6, 1) and np.isfinite(out.numpy()).all()
    no_mbstd = progan_discriminator(SIZE, 2, base_filters=4, max_filters=8, mbstd_group_size=0)
    assert "mbstd" not in [layer.name for layer in no_mbstd.layers]


def test_progressive_images_match_numpy():
    x = RNG.normal(size=(2, 8, 8, 1)).astype("float32")

    def pooled(k):
        f = 2 ** k
        blocks = x.reshape(2, 8 // f, f, 8 // f, f, 1).mean(axis=(2, 4))
        return _upsample(blocks, f)
    for lod in (0.0, 1.0, 2.0):
        np.testing.assert_allclose(progressive_images(x, lod, 3).numpy(), pooled(int(lod)), rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(progressive_images(x, 0.0, 3).numpy(), x)
    np.testing.assert_allclose(progressive_images(x, 1.25, 3).numpy(), 0.75 * pooled(1) + 0.25 * pooled(2),
                               rtol=1e-5, atol=1e-6)
    per_sample = progressive_images(x, np.array([0.0, 2.0], "float32"), 3).numpy()
    np.testing.assert_allclose(per_sample[1], pooled(2)[1], rtol=1e-6, atol=1e-6)


def test_filters_follow_the_reference_schedule():
    g = progan_generator(512, 1024, 3)   # base 16, max 512: the paper's networks (not called)
    assert g.get_layer("conv1_1024").filters == 16 and g.get_layer("conv1_64").filters == 256
    assert g.get_layer("conv1_32").filters == 512 and g.get_layer("conv_4").filters == 512
    assert g.count_params() == pytest.approx(23.1e6, rel=0.01)


def test_bad_arguments_are_config_errors():
    with pytest.raises(ConfigError, match="image_size"):
        progan_generator(4, 12, 1)
    with pytest.raises(ConfigError, match="mbstd_group_size"):
        progan_discriminator(8, 1, mbstd_group_size=-1)
    with pytest.raises(ConfigError, match="mbstd_features"):
        progan_discriminator(8, 1, base_filters=3, max_filters=3, mbstd_features=2)


def test_mixed_precision_outputs_float32():
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        g = progan_generator(4, 8, 1, base_filters=4, max_filters=4)
        d = progan_discriminator(8, 1, base_filters=4, max_filters=4)
        image = g({"z": tf.constant(RNG.normal(size=(4, 4)).astype("float32")), "lod": _lod(0.5, 4)})
        logits = d({"image": image, "lod": _lod(0.5, 4)})
    finally:
        keras.mixed_precision.set_global_policy("float32")
    assert image.dtype == tf.float32 and logits.dtype == tf.float32
    assert np.isfinite(logits.numpy()).all()
