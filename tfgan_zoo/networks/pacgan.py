"""The networks of PacGAN's 2-D experiments (Lin et al. 2018; fjxmlzn/PacGAN,
synthetic_data_experiments/, `create_model_brick` of the ring / grid / ALI tasks).

G: z -> num_layers x [Dense 400 (no bias) -> BatchNorm -> ReLU] -> Dense (bias) to the point.
D: num_layers x maxout (200 units x 5 pieces) -> Dense 1 logit.
ALI: the same G; encoder x -> 2 x [Dense 400 (no bias) -> BN -> ReLU] -> Gaussian (mean,
log std); joint D on [x, z] with D's maxout stack.
Weights N(0, 0.02), biases 0 (the reference's IsotropicGaussian(0.02) / Constant(0)); the
reference keeps BN population statistics as 0.05 * batch + 0.95 * running (Keras momentum
0.95). Keras has no maxout layer, hence `Maxout` (Goodfellow et al. 2013: the max over
`pieces` linear pieces per unit, the reference's LinearMaxout).
"""
import keras
from keras import layers

from tfgan_zoo.networks.common import check_int, float32_output
from tfgan_zoo.registry import NETWORKS

BN_MOMENTUM = 0.95


def _init(std):
    return keras.initializers.RandomNormal(stddev=std)


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class Maxout(keras.layers.Layer):
    """A linear map to units x pieces, then the max over each unit's pieces."""

    batch_independent = True  # per example (models/critic_pass.py)

    def __init__(self, units, pieces, init_std=0.02, **kwargs):
        super().__init__(**kwargs)
        self.units, self.pieces, self.init_std = int(units), int(pieces), float(init_std)
        self.linear = layers.Dense(self.units * self.pieces, kernel_initializer=_init(self.init_std),
                                   name="linear")

    def build(self, input_shape):
        self.linear.build(input_shape)

    def call(self, x):
        y = self.linear(x)
        y = keras.ops.reshape(y, (-1, self.units, self.pieces))
        return keras.ops.max(y, axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "pieces": self.pieces, "init_std": self.init_std}


def _bn_relu_stack(x, units, num_layers, init_std, prefix):
    for index in range(num_layers):
        x = layers.Dense(units, use_bias=False, kernel_initializer=_init(init_std), name=f"{prefix}{index}")(x)
        x = layers.BatchNormalization(momentum=BN_MOMENTUM, synchronized=True, name=f"{prefix}{index}_bn")(x)
        x = layers.ReLU(name=f"{prefix}{index}_relu")(x)
    return x


def _maxout_stack(x, units, pieces, num_layers, init_std):
    for index in range(num_layers):
        x = Maxout(units, pieces, init_std, name=f"maxout{index}")(x)
    return layers.Dense(1, kernel_initializer=_init(init_std), name="logit")(x)


def _checked(what, **values):
    minimum = {"num_layers": 0}
    return {k: check_int(v, f"{what}: {k}", minimum=minimum.get(k, 1)) for k, v in values.items()}


@NETWORKS.register("pacgan_generator")
def pacgan_generator(latent_dim: int, output_dim: int = 2, hidden_units: int = 400, num_layers: int = 4,
                     init_std: float = 0.02) -> keras.Model:
    """z -> num_layers x [Dense (no bias) -> BatchNorm -> ReLU] -> Dense to output_dim (linear).

    latent_dim: size of z (2 in PacGAN's 2-D experiments).
    output_dim: size of one generated point.
    hidden_units: units of every hidden layer.
    num_layers: number of hidden layers.
    init_std: standard deviation of the N(0, s) weight initialiser (biases start at 0).
    """
    c = _checked("pacgan_generator", latent_dim=latent_dim, output_dim=output_dim, hidden_units=hidden_units,
                 num_layers=num_layers)
    z = keras.Input((c["latent_dim"],), name="z")
    x = _bn_relu_stack(z, c["hidden_units"], c["num_layers"], init_std, "hidden")
    x = layers.Dense(c["output_dim"], kernel_initializer=_init(init_std), name="to_point")(x)
    return keras.Model(z, float32_output(x, "linear", "point"), name="pacgan_generator")


@NETWORKS.register("pacgan_discriminator")
def pacgan_discriminator(input_dim: int = 2, hidden_units: int = 200, pieces: int = 5, num_layers: int = 3,
                         init_std: float = 0.02) -> keras.Model:
    """x -> num_layers x maxout (hidden_units x pieces) -> Dense logit (no sigmoid).

    input_dim: size of one input (m * 2 when packed: models/packing.py builds it so).
    hidden_units: maxout units of every hidden layer.
    pieces: linear pieces per maxout unit.
    num_layers: number of maxout layers.
    init_std: standard deviation of the N(0, s) weight initialiser (biases start at 0).
    """
    c = _checked("pacgan_discriminator", input_dim=input_dim, hidden_units=hidden_units, pieces=pieces,
                 num_layers=num_layers)
    point = keras.Input((c["input_dim"],), name="point")
    logit = _maxout_stack(point, c["hidden_units"], c["pieces"], c["num_layers"], init_std)
    return keras.Model(point, float32_output(logit, "linear", "logits"), name="pacgan_discriminator")


@NETWORKS.register("pacgan_encoder")
def pacgan_encoder(latent_dim: int, input_dim: int = 2, hidden_units: int = 400, num_layers: int = 2,
                   stochastic: bool = True, init_std: float = 0.02) -> keras.Model:
    """x -> num_layers x [Dense (no bias) -> BatchNorm -> ReLU] -> {"mean", "log_std"} (ALI's
    Gaussian encoder) or z when not stochastic.

    latent_dim: size of z.
    input_dim: size of one input point.
    hidden_units: units of every hidden layer.
    num_layers: number of hidden layers.
    stochastic: a Gaussian's mean and log standard deviation (ALI) instead of z.
    init_std: standard deviation of the N(0, s) weight initialiser (biases start at 0).
    """
    c = _checked("pacgan_encoder", latent_dim=latent_dim, input_dim=input_dim, hidden_units=hidden_units,
                 num_layers=num_layers)
    point = keras.Input((c["input_dim"],), name="point")
    x = _bn_relu_stack(point, c["hidden_units"], c["num_layers"], init_std, "hidden")
    if not stochastic:
        z = layers.Dense(c["latent_dim"], kernel_initializer=_init(init_std), name="latent_dense")(x)
        return keras.Model(point, float32_output(z, "linear", "latent"), name="pacgan_encoder")
    mean = layers.Dense(c["latent_dim"], kernel_initializer=_init(init_std), name="mean_dense")(x)
    log_std = layers.Dense(c["latent_dim"], kernel_initializer=_init(init_std), name="log_std_dense")(x)
    return keras.Model(point, {"mean": float32_output(mean, "linear", "mean"),
                               "log_std": float32_output(log_std, "linear", "log_std")}, name="pacgan_encoder")


@NETWORKS.register("pacgan_joint_discriminator")
def pacgan_joint_discriminator(latent_dim: int, input_dim: int = 2, hidden_units: int = 200, pieces: int = 5,
                               num_layers: int = 3, init_std: float = 0.02) -> keras.Model:
    """[x, z] -> concatenated -> num_layers x maxout -> Dense logit (ALI's joint critic).

    latent_dim: size of z.
    input_dim: size of one input point.
    hidden_units: maxout units of every hidden layer.
    pieces: linear pieces per maxout unit.
    num_layers: number of maxout layers.
    init_std: standard deviation of the N(0, s) weight initialiser (biases start at 0).
    """
    c = _checked("pacgan_joint_discriminator", latent_dim=latent_dim, input_dim=input_dim,
                 hidden_units=hidden_units, pieces=pieces, num_layers=num_layers)
    point, z = keras.Input((c["input_dim"],), name="point"), keras.Input((c["latent_dim"],), name="z")
    joint = layers.Concatenate(name="joint")([point, z])
    logit = _maxout_stack(joint, c["hidden_units"], c["pieces"], c["num_layers"], init_std)
    return keras.Model([point, z], float32_output(logit, "linear", "logits"), name="pacgan_joint_discriminator")
