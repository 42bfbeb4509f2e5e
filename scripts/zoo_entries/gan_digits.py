"""exports/gan_digits: the original minimax GAN (saturating generator loss) on the bundled digits."""
ENTRY = {"config": "zoo_configs/gan/digits.yaml", "set": [], "digits": True, "max_mb": 8,
         "notes": ["Goodfellow et al. 2014 as published: the fully connected MNIST networks (G 1200-1200 ReLU, "
                   "D maxout 240x5 twice with dropout) and the minimax loss, shipped as the baseline it is. "
                   "nsgan_digits trains the same networks, recipe, steps and batch with the paper's "
                   "non-saturating generator loss: the pair shows what that trick does (compare the judge "
                   "records of the two cards)."]}
