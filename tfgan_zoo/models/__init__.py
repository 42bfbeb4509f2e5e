"""GAN families: keras.Model subclasses sharing one train_step (models/base.py)."""
from tfgan_zoo.models.base import GANModel, GANParams  # noqa: F401
from tfgan_zoo.models.dcgan import DCGAN  # noqa: F401
from tfgan_zoo.models.pix2pix import Pix2Pix  # noqa: F401
