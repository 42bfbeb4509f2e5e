"""StackGAN's conditioning augmentation (Zhang et al. 2017, section 3.1).

A condition embedding e (a text embedding in the paper, a class embedding here) is mapped to
the mean and log-variance of a diagonal Gaussian, and the generator is fed a reparameterised
sample of it:

    [mu, log_var] = LeakyReLU_0.2(e W + b)       split in halves of `units` each
    c = mu + exp(log_var / 2) * eps,   eps ~ N(0, I) an input of the layer

and the generator's loss gets weight * KL(N(mu, diag(exp(log_var))) || N(0, I)), see
`kl_to_standard_normal`. The LeakyReLU(0.2) on the projection is that of the authors' TF code
(their PyTorch port uses a ReLU, which forces log_var >= 0). eps is an input, not drawn inside
the layer: a layer's own SeedGenerator draws the same numbers on every replica, and an input
lets an exported generator be a pure function of its latents.
"""
import keras
from keras import layers, ops


def kl_to_standard_normal(mu, log_var):
    """KL(N(mu, diag(exp(log_var))) || N(0, I)) per example: [B, D] -> [B], in nats,
    0.5 * sum_d (mu_d^2 + exp(log_var_d) - 1 - log_var_d)."""
    mu = ops.cast(mu, "float32")
    log_var = ops.cast(log_var, "float32")
    return 0.5 * ops.sum(ops.square(mu) + ops.exp(log_var) - 1.0 - log_var, axis=-1)


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class ConditioningAugmentation(layers.Layer):
    """call([embedding [B, E], eps [B, units]]) -> [c, mu, log_var], each [B, units].

    units: size of the augmented condition c (the paper's 128).
    negative_slope: of the LeakyReLU on the projection.
    kernel_initializer: of the projection.
    """

    def __init__(self, units, negative_slope=0.2, kernel_initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        if isinstance(units, bool) or not isinstance(units, int) or units < 1:
            raise ValueError(f"ConditioningAugmentation: units must be an integer >= 1, got {units!r}")
        self.units = units
        self.negative_slope = float(negative_slope)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.projection = layers.Dense(2 * units, kernel_initializer=self.kernel_initializer,
                                       dtype=self.dtype_policy, name="projection")

    def build(self, input_shape):
        embedding_shape, noise_shape = input_shape
        if noise_shape[-1] is not None and noise_shape[-1] != self.units:
            raise ValueError(f"ConditioningAugmentation: eps must have {self.units} features, got {noise_shape[-1]}")
        self.projection.build(embedding_shape)

    def call(self, inputs):
        embedding, eps = inputs
        stats = ops.leaky_relu(self.projection(embedding), self.negative_slope)
        mu, log_var = stats[:, :self.units], stats[:, self.units:]
        c = mu + ops.exp(0.5 * log_var) * ops.cast(eps, mu.dtype)
        return [c, mu, log_var]

    def compute_output_shape(self, input_shape):
        shape = (input_shape[0][0], self.units)
        return [shape, shape, shape]

    def get_config(self):
        return {**super().get_config(), "units": self.units, "negative_slope": self.negative_slope,
                "kernel_initializer": keras.initializers.serialize(self.kernel_initializer)}
