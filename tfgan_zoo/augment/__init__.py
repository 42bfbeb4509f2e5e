"""Small-data augmentations applied to everything the discriminator sees (reals and fakes):
DiffAugment ("diffaugment") and ADA ("ada"); `build_augmentation({"name": ..., ...})`.
The LeCam regulariser, the third small-data tool, is a Regularizer (losses/lecam.py).
See augment/base.py for the protocol the core calls."""
from tfgan_zoo.augment import ada, diffaugment  # noqa: F401  (register "ada", "diffaugment")
from tfgan_zoo.augment.ada import ADA
from tfgan_zoo.augment.base import AUGMENTATIONS, Augmentation, build_augmentation
from tfgan_zoo.augment.diffaugment import DiffAugment

__all__ = ["ADA", "AUGMENTATIONS", "Augmentation", "DiffAugment", "build_augmentation"]
