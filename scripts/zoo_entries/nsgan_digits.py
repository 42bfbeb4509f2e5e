"""exports/nsgan_digits: the nsgan zoo config on the bundled digits."""
ENTRY = {"config": "zoo_configs/nsgan/digits.yaml", "set": [], "digits": True,
         "notes": ["NS-GAN is DCGAN's loss (non-saturating BCE); with the same networks, recipe and "
                   "seed this entry trains to the same weights as dcgan_digits."]}
