"""exports/gan_digits: the gan zoo config on the bundled digits."""
ENTRY = {"config": "zoo_configs/gan/digits.yaml", "set": [], "digits": True}
