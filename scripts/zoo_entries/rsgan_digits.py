"""exports/rsgan_digits: the rsgan zoo config on the bundled digits."""
ENTRY = {"config": "zoo_configs/rsgan/digits.yaml", "set": [], "digits": True}
