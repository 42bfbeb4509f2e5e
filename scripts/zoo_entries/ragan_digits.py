"""exports/ragan_digits: the ragan zoo config on the bundled digits."""
ENTRY = {"config": "zoo_configs/ragan/digits.yaml", "set": [], "digits": True}
