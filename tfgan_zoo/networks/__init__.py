"""Network builders found by name in `tfgan_zoo.registry.NETWORKS`; each returns a functional keras.Model.

dcgan_generator, dcgan_discriminator, unet, patchgan, mlp_generator, mlp_discriminator,
resnet_generator, stargan_discriminator.
"""
from tfgan_zoo.networks.autoencoder import autoencoder, mlp_autoencoder  # noqa: F401
from tfgan_zoo.networks.dcgan import dcgan_discriminator, dcgan_generator
from tfgan_zoo.networks.minibatch import dcgan_discriminator_mbd, mlp_discriminator_mbd  # noqa: F401
from tfgan_zoo.networks.mlp import mlp_discriminator, mlp_generator
from tfgan_zoo.networks.pix2pix import patchgan, patchgan_receptive_field, unet
from tfgan_zoo.networks.resnet import resnet_generator
from tfgan_zoo.networks.stargan import stargan_discriminator

__all__ = ["dcgan_discriminator", "dcgan_generator", "mlp_discriminator", "mlp_generator", "patchgan",
           "patchgan_receptive_field", "resnet_generator", "stargan_discriminator", "unet"]
