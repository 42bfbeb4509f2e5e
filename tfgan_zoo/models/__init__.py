"""GAN families: keras.Model subclasses sharing one train_step (models/base.py).

Each family module registers itself in `tfgan_zoo.registry.FAMILIES`, which imports it on
lookup (registry_table.py); the names below are imported on first access (tfgan_zoo/lazy.py).
"""
from tfgan_zoo.lazy import lazy_attributes, lazy_dir

_EXPORTS = {
    "GANModel": "tfgan_zoo.models.base", "GANParams": "tfgan_zoo.models.base",
    "BEGAN": "tfgan_zoo.models.began", "BiGAN": "tfgan_zoo.models.bigan",
    "ACGAN": "tfgan_zoo.models.conditional", "CGAN": "tfgan_zoo.models.conditional",
    "CycleGAN": "tfgan_zoo.models.cyclegan", "DCGAN": "tfgan_zoo.models.dcgan",
    "EBGAN": "tfgan_zoo.models.ebgan", "InfoGAN": "tfgan_zoo.models.infogan",
    "TripleGAN": "tfgan_zoo.models.triplegan", "LapGAN": "tfgan_zoo.models.lapgan",
    "Pix2Pix": "tfgan_zoo.models.pix2pix", "BigGAN": "tfgan_zoo.models.biggan",
    "SAGAN": "tfgan_zoo.models.sagan", "StackGAN": "tfgan_zoo.models.stackgan",
    "ProGAN": "tfgan_zoo.models.progan", "StyleGAN": "tfgan_zoo.models.stylegan",
    "StarGAN": "tfgan_zoo.models.stargan",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_attributes(__name__, _EXPORTS)
__dir__ = lazy_dir(__name__, _EXPORTS)
