"""exports/ebgan_digits: the ebgan zoo config on the bundled digits."""
ENTRY = {"config": "zoo_configs/ebgan/digits.yaml", "set": [], "digits": True}
