"""Network builders found by name in `tfgan_zoo.registry.NETWORKS`; each returns a functional keras.Model.

dcgan_generator, dcgan_discriminator, unet, patchgan, mlp_generator, mlp_discriminator,
conditional_generator, conditional_discriminator, acgan_discriminator, infogan_discriminator,
conv_classifier, conv_encoder, joint_discriminator, mlp_encoder, mlp_joint_discriminator,
sagan_generator, sagan_discriminator, biggan_generator, biggan_discriminator,
lapgan_coarse_generator, lapgan_residual_generator, lapgan_discriminator,
stackgan_stage1_generator, stackgan_stage2_generator, stackgan_discriminator,
progan_generator, progan_discriminator, stylegan_mapping, stylegan_synthesis, stylegan_generator,
resnet_generator, stargan_discriminator.
"""
from tfgan_zoo.networks import biggan, lapgan, sagan, stackgan  # noqa: F401  (register themselves)
from tfgan_zoo.networks.autoencoder import autoencoder, mlp_autoencoder  # noqa: F401
from tfgan_zoo.networks.bigan import (conv_encoder, joint_discriminator, mlp_encoder,  # noqa: F401
                                     mlp_joint_discriminator)
from tfgan_zoo.networks.conditional import (acgan_discriminator, conditional_discriminator,  # noqa: F401
                                           conditional_generator, conv_classifier, infogan_discriminator)
from tfgan_zoo.networks.dcgan import dcgan_discriminator, dcgan_generator
from tfgan_zoo.networks.minibatch import dcgan_discriminator_mbd, mlp_discriminator_mbd  # noqa: F401
from tfgan_zoo.networks.mlp import mlp_discriminator, mlp_generator
from tfgan_zoo.networks.pix2pix import patchgan, patchgan_receptive_field, unet
from tfgan_zoo.networks.progan import progan_discriminator, progan_generator  # noqa: F401
from tfgan_zoo.networks.stylegan import stylegan_generator, stylegan_mapping, stylegan_synthesis  # noqa: F401
from tfgan_zoo.networks.resnet import resnet_generator
from tfgan_zoo.networks.stargan import stargan_discriminator

__all__ = ["dcgan_discriminator", "dcgan_generator", "mlp_discriminator", "mlp_generator", "patchgan",
           "patchgan_receptive_field", "resnet_generator", "stargan_discriminator", "unet"]
