"""Minibatch discrimination (Salimans et al. 2016, "Improved Techniques for Training GANs").

For features f(x_i) in R^A and a learned tensor T in R^{A x B x C}:
    M_i = f(x_i) T                      in R^{B x C}
    c_b(x_i, x_j) = exp(-||M_{i,b} - M_{j,b}||_1)
    o(x_i)_b = sum_j c_b(x_i, x_j)      (j runs over the whole batch, i included, as in the
                                         paper's reference code: o >= 1)
and the layer outputs concat(f(x_i), o(x_i)) in R^{A + B}, so the discriminator sees how close
each sample is to the rest of its batch (a collapsed generator's batch is all "close").
Under a tf.distribute strategy the batch is the replica's share.
"""
import keras
from keras import ops


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class MinibatchDiscrimination(keras.layers.Layer):
    """[N, A] -> [N, A + num_kernels]. num_kernels: B; kernel_dim: C (the paper's 100 / 5)."""

    #: mixes the examples of its batch (models/critic_pass.py)
    batch_independent = False

    def __init__(self, num_kernels=50, kernel_dim=5, **kwargs):
        super().__init__(**kwargs)
        if int(num_kernels) < 1 or int(kernel_dim) < 1:
            raise ValueError(f"num_kernels ({num_kernels}) and kernel_dim ({kernel_dim}) must be >= 1")
        self.num_kernels = int(num_kernels)
        self.kernel_dim = int(kernel_dim)

    def build(self, input_shape):
        if len(input_shape) != 2:
            raise ValueError(f"MinibatchDiscrimination expects [batch, features], got {input_shape}")
        self.kernel = self.add_weight(
            shape=(input_shape[-1], self.num_kernels * self.kernel_dim), name="kernel",
            initializer=keras.initializers.RandomNormal(stddev=0.05))

    def call(self, inputs):
        m = ops.reshape(ops.matmul(inputs, ops.cast(self.kernel, inputs.dtype)),
                        (-1, self.num_kernels, self.kernel_dim))               # [N, B, C]
        l1 = ops.sum(ops.abs(m[:, None] - m[None, :]), axis=-1)                # [N, N, B]
        o = ops.sum(ops.exp(-l1), axis=1)                                      # [N, B]
        return ops.concatenate([inputs, o], axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[-1] + self.num_kernels)

    def get_config(self):
        return {**super().get_config(), "num_kernels": self.num_kernels, "kernel_dim": self.kernel_dim}
