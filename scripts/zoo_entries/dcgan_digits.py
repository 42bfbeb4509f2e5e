"""exports/dcgan_digits: the DCGAN zoo config on the bundled digits."""
ENTRY = {"config": "zoo_configs/dcgan/digits.yaml", "set": [], "digits": True}
