"""Name -> object registries for families, networks, losses, regularizers and datasets.

Everything the trainer builds is found by name, so adding a family touches only its own
module (which registers itself) and its config.
"""
import difflib
import glob
import os
import re

from tfgan_zoo.errors import ConfigError


class Registry:
    def __init__(self, kind):
        self.kind = kind
        self._items = {}

    def register(self, name, obj=None):
        """Register `obj` under `name`; usable as a decorator when `obj` is omitted."""
        if obj is None:
            return lambda o: self.register(name, o)
        if name in self._items and self._items[name] is not obj:
            raise ValueError(f"{self.kind} {name!r} is registered twice")
        self._items[name] = obj
        return obj

    def get(self, name):
        _import_all()
        if name not in self._items:
            raise ConfigError(f"unknown {self.kind} {name!r}{closest_hint(name, self._items)}")
        return self._items[name]

    def names(self):
        _import_all()
        return sorted(self._items)

    def __contains__(self, name):
        _import_all()
        return name in self._items


def closest_hint(name, candidates):
    match = difflib.get_close_matches(str(name), list(candidates), n=1, cutoff=0.5)
    if match:
        return f" (did you mean {match[0]!r}?)"
    return f" (valid: {', '.join(sorted(map(str, candidates)))})"


FAMILIES = Registry("family")
NETWORKS = Registry("network")
LOSSES = Registry("loss")
REGULARIZERS = Registry("regularizer")
DATASETS = Registry("dataset")

#: `register("name"` / `_register("name"` with a literal name, in the families' source
_DECLARED = re.compile(r"""register\(\s*["']([A-Za-z0-9_.\-]+)["']""")


def family_names_without_import():
    """Family names known without importing the family modules (which import TensorFlow): the
    ones registered so far and the literal names registered in tfgan_zoo/models/*.py, read as
    text. The config checks a family name with them before TensorFlow is imported;
    tests/test_cli_errors.py checks that they cover every registered family."""
    names = set(FAMILIES._items)  # noqa: SLF001 - what is registered, without importing more
    models = os.path.join(os.path.dirname(os.path.abspath(__file__)), "models")
    for path in glob.glob(os.path.join(models, "**", "*.py"), recursive=True):
        with open(path, encoding="utf-8") as fh:
            names.update(_DECLARED.findall(fh.read()))
    return sorted(names)


_state = {"imported": False, "importing": False}


def _import_all():
    """Import the modules that register things, once, on first lookup. A failed import is
    raised as it is (not hidden behind an "unknown family" later) and retried on the next
    lookup; a lookup made while those modules import sees what is registered so far."""
    if _state["imported"] or _state["importing"]:
        return
    _state["importing"] = True
    try:
        import tfgan_zoo.data  # noqa: F401
        import tfgan_zoo.losses  # noqa: F401
        import tfgan_zoo.models  # noqa: F401
        import tfgan_zoo.networks  # noqa: F401
    finally:
        _state["importing"] = False
    _state["imported"] = True
