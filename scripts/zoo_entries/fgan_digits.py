"""exports/fgan_digits: the fgan zoo config on the bundled digits."""
ENTRY = {"config": "zoo_configs/fgan/digits.yaml", "set": [], "digits": True}
