"""exports/nsgan_digits: the non-saturating GAN of Goodfellow et al. 2014 on the bundled digits."""
ENTRY = {"config": "zoo_configs/nsgan/digits.yaml", "set": [], "digits": True, "max_mb": 8,
         "notes": ["The fully connected networks of Goodfellow et al. 2014 (as gan_digits) with the paper's "
                   "non-saturating generator loss (G maximises log D(G(z))); same recipe, steps and batch as "
                   "gan_digits, so the two cards differ only by the generator loss. dcgan_digits is the "
                   "convolutional model with this loss."]}
