"""The fully connected MNIST networks of the original GAN (Goodfellow et al. 2014;
goodfeli/adversarial, mnist.yaml).

G: z -> Dense 1200 ReLU -> Dense 1200 ReLU -> Dense H*W*C -> image. The reference ends in a
sigmoid onto [0, 1]; here the last layer is tanh, i.e. 2 * sigmoid(2a) - 1, the same map
affinely moved onto the zoo's [-1, 1] image range. The reference draws z uniform in [-1, 1]^100;
the zoo's families draw their own latent (the network only fixes latent_dim).
D: image flattened -> dropout -> maxout (240 units x 5 pieces) -> dropout -> maxout (240 x 5)
-> dropout -> Dense 1 logit. The reference's include probabilities 0.8 (input) and 0.5
(hidden) are keep rates; Keras' Dropout takes the drop rates 0.2 / 0.5.
Initial weights as the reference: G uniform in +-0.05, D uniform in +-0.005; biases 0.
"""
import keras
from keras import layers

from tfgan_zoo.networks.common import check_int, float32_output
from tfgan_zoo.networks.pacgan import Maxout
from tfgan_zoo.registry import NETWORKS


def _checked(what, **values):
    return {k: check_int(v, f"{what}: {k}") for k, v in values.items()}


def _rate(value, what):
    from tfgan_zoo.errors import ConfigError
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value < 1.0:
        raise ConfigError(f"{what} must be a number in [0, 1), got {value!r}")
    return float(value)


@NETWORKS.register("goodfellow_generator")
def goodfellow_generator(latent_dim: int, image_size: int, channels: int, hidden_units: int = 1200,
                         num_layers: int = 2, init_range: float = 0.05) -> keras.Model:
    """z -> num_layers x (Dense + ReLU) -> Dense to image_size^2 * channels -> tanh -> image.

    latent_dim: size of z (100 in the reference).
    image_size: height and width of the generated image.
    channels: channels of the generated image.
    hidden_units: units of every hidden layer (1200 in the reference).
    num_layers: number of hidden layers.
    init_range: weights start uniform in [-init_range, init_range] (biases at 0).
    """
    what = "goodfellow_generator"
    c = _checked(what, latent_dim=latent_dim, image_size=image_size, channels=channels,
                 hidden_units=hidden_units)
    num_layers = check_int(num_layers, f"{what}: num_layers", minimum=0)
    init = keras.initializers.RandomUniform(-init_range, init_range)
    z = keras.Input((c["latent_dim"],), name="z")
    x = z
    for index in range(num_layers):
        x = layers.Dense(c["hidden_units"], activation="relu", kernel_initializer=init, name=f"hidden{index}")(x)
    size = c["image_size"]
    x = layers.Dense(size * size * c["channels"], kernel_initializer=init, name="to_pixels")(x)
    x = layers.Reshape((size, size, c["channels"]), name="to_image")(x)
    return keras.Model(z, float32_output(x, "tanh", "image"), name=what)


@NETWORKS.register("goodfellow_discriminator")
def goodfellow_discriminator(image_size: int, channels: int, hidden_units: int = 240, pieces: int = 5,
                             num_layers: int = 2, input_dropout: float = 0.2, hidden_dropout: float = 0.5,
                             init_range: float = 0.005) -> keras.Model:
    """image -> flatten -> dropout -> num_layers x (maxout -> dropout) -> Dense logit (no sigmoid).

    image_size: height and width of the input image.
    channels: channels of the input image.
    hidden_units: maxout units of every hidden layer (240 in the reference).
    pieces: linear pieces per maxout unit (5 in the reference).
    num_layers: number of maxout layers.
    input_dropout: drop rate on the flattened image (the reference keeps 0.8).
    hidden_dropout: drop rate on every maxout layer's output (the reference keeps 0.5).
    init_range: weights start uniform in [-init_range, init_range] (biases at 0).
    """
    what = "goodfellow_discriminator"
    c = _checked(what, image_size=image_size, channels=channels, hidden_units=hidden_units, pieces=pieces)
    num_layers = check_int(num_layers, f"{what}: num_layers", minimum=0)
    input_dropout = _rate(input_dropout, f"{what}: input_dropout")
    hidden_dropout = _rate(hidden_dropout, f"{what}: hidden_dropout")
    init = keras.initializers.RandomUniform(-init_range, init_range)
    image = keras.Input((c["image_size"], c["image_size"], c["channels"]), name="image")
    x = layers.Flatten(name="flatten")(image)
    x = layers.Dropout(input_dropout, name="input_dropout")(x)
    for index in range(num_layers):
        maxout = Maxout(c["hidden_units"], c["pieces"], name=f"maxout{index}")
        maxout.linear.kernel_initializer = init
        x = maxout(x)
        x = layers.Dropout(hidden_dropout, name=f"maxout{index}_dropout")(x)
    x = layers.Dense(1, kernel_initializer=init, name="logit")(x)
    return keras.Model(image, float32_output(x, "linear", "logits"), name=what)
