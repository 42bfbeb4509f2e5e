"""The zoo's export entries: one module per export (see scripts/build_zoo_exports.py)."""
