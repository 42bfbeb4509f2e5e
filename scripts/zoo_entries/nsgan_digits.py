"""exports/nsgan_digits: the nsgan zoo config on the bundled digits."""
ENTRY = {"config": "zoo_configs/nsgan/digits.yaml", "set": [], "digits": True}
