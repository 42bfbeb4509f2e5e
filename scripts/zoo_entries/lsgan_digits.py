"""exports/lsgan_digits: the lsgan zoo config on the bundled digits."""
ENTRY = {"config": "zoo_configs/lsgan/digits.yaml", "set": [], "digits": True}
