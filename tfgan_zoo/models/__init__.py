"""GAN families: keras.Model subclasses sharing one train_step (models/base.py)."""
from tfgan_zoo.models.base import GANModel, GANParams  # noqa: F401
from tfgan_zoo.models.began import BEGAN  # noqa: F401
from tfgan_zoo.models.cyclegan import CycleGAN  # noqa: F401
from tfgan_zoo.models.dcgan import DCGAN  # noqa: F401
from tfgan_zoo.models import divergence  # noqa: F401  (gan, nsgan, lsgan, wgan, wgan_gp, dragan, fgan, rsgan, ragan, sngan)
from tfgan_zoo.models.ebgan import EBGAN  # noqa: F401
from tfgan_zoo.models.pix2pix import Pix2Pix  # noqa: F401
from tfgan_zoo.models.stargan import StarGAN  # noqa: F401
