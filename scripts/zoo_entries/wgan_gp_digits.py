"""exports/wgan_gp_digits: the wgan_gp zoo config on the bundled digits."""
ENTRY = {"config": "zoo_configs/wgan_gp/digits.yaml", "set": [], "digits": True}
