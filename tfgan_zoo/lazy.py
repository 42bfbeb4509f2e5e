"""PEP 562 lazy attributes for the package `__init__`s.

A package's `__init__` names what it offers (`{"GANModel": "tfgan_zoo.models.base", ...}`)
and imports it on first use, so `import tfgan_zoo.models.base` does not import every family,
and no package `__init__` closes an import loop through its submodules
(tests/test_imports.py). The registries find the modules that register names themselves
(registry_table.py), so nothing needs the packages to import their modules eagerly.
"""
import importlib
import sys


def lazy_attributes(package, exports):
    """The module `__getattr__` of `package` that imports `exports[name]` on first access of
    `name` (an attribute of that module) and keeps it in the package."""
    def __getattr__(name):
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(exports[name]), name)
        setattr(sys.modules[package], name, value)
        return value
    return __getattr__


def lazy_dir(package, exports):
    """The module `__dir__` listing the lazy names too."""
    return lambda: sorted(set(vars(sys.modules[package])) | set(exports))
