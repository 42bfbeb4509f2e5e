"""exports/sngan_digits: the sngan zoo config on the bundled digits."""
ENTRY = {"config": "zoo_configs/sngan/digits.yaml", "set": [], "digits": True}
