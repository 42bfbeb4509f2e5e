"""GAN families: keras.Model subclasses sharing one train_step (models/base.py)."""
from tfgan_zoo.models.base import GANModel, GANParams  # noqa: F401
from tfgan_zoo.models.began import BEGAN  # noqa: F401
from tfgan_zoo.models.bigan import BiGAN  # noqa: F401
from tfgan_zoo.models.conditional import ACGAN, CGAN  # noqa: F401
from tfgan_zoo.models.cyclegan import CycleGAN  # noqa: F401
from tfgan_zoo.models.dcgan import DCGAN  # noqa: F401
from tfgan_zoo.models import divergence  # noqa: F401  (gan, nsgan, lsgan, wgan, wgan_gp, dragan, fgan, rsgan, ragan, sngan)
from tfgan_zoo.models.ebgan import EBGAN  # noqa: F401
from tfgan_zoo.models.infogan import InfoGAN  # noqa: F401
from tfgan_zoo.models.triplegan import TripleGAN  # noqa: F401
from tfgan_zoo.models.lapgan import LapGAN  # noqa: F401
from tfgan_zoo.models.pix2pix import Pix2Pix  # noqa: F401
from tfgan_zoo.models.biggan import BigGAN  # noqa: F401
from tfgan_zoo.models.sagan import SAGAN  # noqa: F401
from tfgan_zoo.models.stackgan import StackGAN  # noqa: F401
from tfgan_zoo.models.progan import ProGAN  # noqa: F401
from tfgan_zoo.models.stylegan import StyleGAN  # noqa: F401
from tfgan_zoo.models.stargan import StarGAN  # noqa: F401
