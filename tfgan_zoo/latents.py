"""Latent-space helpers: the BigGAN truncation trick.

Brock et al. (2019), section 3.1: sample z from a truncated normal, "values which fall outside
a range are resampled to fall inside that range". `truncate` keeps every entry with |z| <= psi
and replaces every other entry by a draw from N(0, 1) truncated to [-psi, psi], so the result
is distributed as the truncated normal when z ~ N(0, 1). The draws are stateless
(tf.random.stateless_parameterized_truncated_normal), so the same latents and seed give the
same result on every call, replica and exported SavedModel. psi = inf (or any psi above every
|z|) leaves z unchanged.
"""
import tensorflow as tf

#: the draws' bounds are capped here: N(0, 1) mass beyond it is < 2e-15, and large bounds make
#: the truncated sampler's rejection step slow for nothing
_MAX_BOUND = 8.0


def _check_psi(psi):
    psi = tf.convert_to_tensor(psi, tf.float32)
    return tf.debugging.assert_positive(psi, message="truncation psi must be > 0"), psi


def truncate(latents, psi, seed):
    """latents [N, ...] float; psi a scalar > 0; seed an int tensor [2] (one draw for the
    tensor) or [N, 2] (one per row, so a row's result does not depend on the rest of its
    batch). Returns latents with |entry| > psi resampled inside [-psi, psi]."""
    check, psi = _check_psi(psi)
    with tf.control_dependencies([check]):
        latents = tf.convert_to_tensor(latents)
        z = tf.cast(latents, tf.float32)
        seed = tf.cast(tf.convert_to_tensor(seed), tf.int32)
        bound = tf.minimum(psi, _MAX_BOUND)

    def draw(shape, row_seed):
        return tf.random.stateless_parameterized_truncated_normal(
            shape, row_seed, means=0.0, stddevs=1.0, minvals=-bound, maxvals=bound)

    if seed.shape.rank == 1:
        fresh = draw(tf.shape(z), seed)
    else:
        fresh = tf.map_fn(lambda args: draw(tf.shape(args[0]), args[1]), (z, seed),
                          fn_output_signature=tf.float32)
    return tf.cast(tf.where(tf.abs(z) <= psi, z, fresh), latents.dtype)


def row_seeds(latents, salt=0):
    """[N, 2] int32 stateless seeds, one per row, from the fingerprint of the row's contents
    (tf.fingerprint) and `salt`: a function of each row alone, so an exported `generate` is
    deterministic and batch-independent without a seed input."""
    rows = tf.reshape(tf.cast(latents, tf.float32), [tf.shape(latents)[0], -1])
    bytes_ = tf.reshape(tf.fingerprint(rows), [-1, 2, 4])          # farmhash64 per row, [N, 8] uint8
    return tf.bitwise.bitwise_xor(tf.bitcast(bytes_, tf.int32), tf.constant(salt, tf.int32))


def truncate_rows(latents, psi, salt=0):
    """`truncate` with per-row seeds from `row_seeds`: the export's `generate(latents, ...,
    truncation)` is a pure function of each latent row and psi."""
    return truncate(latents, psi, row_seeds(latents, salt))
