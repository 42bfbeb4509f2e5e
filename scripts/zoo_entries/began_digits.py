"""exports/began_digits: the began zoo config on the bundled digits."""
ENTRY = {"config": "zoo_configs/began/digits.yaml", "set": [], "digits": True}
