"""exports/dragan_digits: the dragan zoo config on the bundled digits."""
ENTRY = {"config": "zoo_configs/dragan/digits.yaml", "set": [], "digits": True}
