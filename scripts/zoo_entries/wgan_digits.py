"""exports/wgan_digits: the wgan zoo config on the bundled digits."""
ENTRY = {"config": "zoo_configs/wgan/digits.yaml", "set": [], "digits": True}
