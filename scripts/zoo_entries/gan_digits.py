"""exports/gan_digits: the original minimax GAN (saturating generator loss) on the bundled digits."""
ENTRY = {"config": "zoo_configs/gan/digits.yaml", "set": [], "digits": True,
         "notes": ["The saturating minimax loss, shipped as the baseline it is: from epoch 33 of 100 the "
                   "discriminator's loss stays under 1e-3 (2e-6 at the end) and the generator's "
                   "gradient vanishes, so the samples stop improving (history.csv of the run). "
                   "nsgan_digits trains the same networks and recipe with the non-saturating loss."]}
