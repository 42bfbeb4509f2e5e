"""DCGAN (Radford et al. 2016): noise -> image, non-saturating BCE, all convolutional."""
from dataclasses import dataclass

from tfgan_zoo.models.base import GANModel, GANParams
from tfgan_zoo.registry import FAMILIES


@dataclass
class DCGANParams(GANParams):
    loss: str = "nonsaturating"


@FAMILIES.register("dcgan")
class DCGAN(GANModel):
    """The base train_step as is: the DCGAN networks and the non-saturating loss."""
    Params = DCGANParams
    roles = {"generator": "dcgan_generator", "discriminator": "dcgan_discriminator"}
