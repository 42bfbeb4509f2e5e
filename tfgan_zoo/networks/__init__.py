"""Network builders found by name in `tfgan_zoo.registry.NETWORKS`; each returns a functional keras.Model.

dcgan_generator, dcgan_discriminator, unet, patchgan, mlp_generator, mlp_discriminator,
conditional_generator, conditional_discriminator, acgan_discriminator, infogan_discriminator,
conv_classifier, conv_encoder, joint_discriminator, mlp_encoder, mlp_joint_discriminator,
sagan_generator, sagan_discriminator, biggan_generator, biggan_discriminator,
lapgan_coarse_generator, lapgan_residual_generator, lapgan_discriminator,
stackgan_stage1_generator, stackgan_stage2_generator, stackgan_discriminator,
progan_generator, progan_discriminator, stylegan_mapping, stylegan_synthesis, stylegan_generator,
resnet_generator, stargan_discriminator, autoencoder, mlp_autoencoder, dcgan_discriminator_mbd,
mlp_discriminator_mbd, unrolled_generator, unrolled_discriminator, goodfellow_generator,
goodfellow_discriminator, sngan_cnn_generator, sngan_cnn_discriminator, infogan_mnist_generator,
infogan_mnist_discriminator.

The registry imports a builder's module on lookup (registry_table.py); the names below are
imported on first access (tfgan_zoo/lazy.py).
"""
from tfgan_zoo.lazy import lazy_attributes, lazy_dir
from tfgan_zoo.registry_table import TABLE

_EXPORTS = {name: module for module, names in TABLE["network"].items() for name in names}
_EXPORTS["patchgan_receptive_field"] = "tfgan_zoo.networks.pix2pix"
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_attributes(__name__, _EXPORTS)
__dir__ = lazy_dir(__name__, _EXPORTS)
