"""The image pool's update rule against the official sequential rule written in NumPy."""
import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo.models.image_pool import pool_query


def numpy_query(pool, count, images, swap_draws, slot_draws):
    """junyanz ImagePool.query, image by image."""
    pool, out = pool.copy(), []
    for image, u, slot in zip(images, swap_draws, slot_draws):
        if count < len(pool):
            pool[count] = image
            count += 1
            out.append(image)
        elif u > 0.5:
            out.append(pool[slot].copy())
            pool[slot] = image
        else:
            out.append(image)
    return np.stack(out), pool, count


def query(pool, count, images, swap, slots):
    out, new_pool, new_count = pool_query(tf.constant(pool), tf.constant(count, tf.int32), tf.constant(images),
                                          tf.constant(swap, tf.float32), tf.constant(slots, tf.int32))
    return out.numpy(), new_pool.numpy(), int(new_count)


def tagged(n, start, shape=(2, 2, 1)):
    """Images whose every pixel is their tag, so a returned image says which one it is."""
    return np.broadcast_to(np.arange(start, start + n, dtype=np.float32)[:, None, None, None], (n,) + shape).copy()


def test_fills_first_and_returns_the_new_images():
    pool = np.zeros((5, 2, 2, 1), np.float32)
    out, pool, count = query(pool, 0, tagged(3, 1), [0.9] * 3, [0, 0, 0])
    np.testing.assert_array_equal(out[:, 0, 0, 0], [1, 2, 3])
    np.testing.assert_array_equal(pool[:, 0, 0, 0], [1, 2, 3, 0, 0])
    assert count == 3
    # the batch that fills the pool: two fill, the third is past full and swaps slot 1
    out, pool, count = query(pool, 3, tagged(3, 4), [0.9] * 3, [0, 0, 1])
    np.testing.assert_array_equal(out[:, 0, 0, 0], [4, 5, 2])
    np.testing.assert_array_equal(pool[:, 0, 0, 0], [1, 6, 3, 4, 5])
    assert count == 5


@pytest.mark.parametrize("seed", range(6))
def test_matches_the_sequential_rule_with_repeated_slots(seed):
    rng = np.random.default_rng(seed)
    size, batch = 4, 7  # more images than slots: the same slot is hit several times in one batch
    pool = tagged(size, 100)
    count = int(rng.integers(0, size + 1))
    images = tagged(batch, 1)
    swap, slots = rng.uniform(0, 1, batch).astype(np.float32), rng.integers(0, size, batch)
    got, expected = query(pool, count, images, swap, slots), numpy_query(pool, count, images, swap, slots)
    np.testing.assert_array_equal(got[0], expected[0])
    np.testing.assert_array_equal(got[1][:expected[2]], expected[1][:expected[2]])
    assert got[2] == expected[2]


def test_a_full_pool_returns_the_newest_image_half_the_time():
    rng = np.random.default_rng(0)
    pool, newest = tagged(50, 1000, shape=(1, 1, 1)), 0
    for step in range(40):
        images = tagged(25, 1 + 25 * step, shape=(1, 1, 1))
        out, pool, _ = query(pool, 50, images, rng.uniform(0, 1, 25), rng.integers(0, 50, 25))
        newest += int((out == images).sum())
    assert newest / 1000 == pytest.approx(0.5, abs=0.05)  # binomial sd 0.016


def test_no_gradient_into_the_pool_and_it_compiles():
    pool = tf.zeros((3, 2, 2, 1))
    images = tf.Variable(tagged(2, 1))

    @tf.function(jit_compile=False)
    def run(pool, count):
        with tf.GradientTape() as tape:
            out, new_pool, new_count = pool_query(pool, count, images, tf.fill([2], 0.9), tf.zeros([2], tf.int32))
            loss = tf.reduce_sum(out)
        return tape.gradient(loss, images), new_pool, new_count

    grad, new_pool, new_count = run(pool, tf.constant(0))
    assert grad is None and int(new_count) == 2
    np.testing.assert_array_equal(new_pool.numpy()[:, 0, 0, 0], [1, 2, 0])
