"""Name -> object registries for families, networks, losses, regularizers and datasets.

Everything the trainer builds is found by name. A module registers what it defines with a
decorator (`@FAMILIES.register("dcgan")`), and the registry knows, without importing anything,
which module registers which name: the table in `registry_table.py` for the package's own
parts, and Python entry points for other packages (group `tfgan_zoo.families`,
`tfgan_zoo.networks`, `tfgan_zoo.losses`, `tfgan_zoo.regularizers`, `tfgan_zoo.datasets`), e.g.
in a user's setup.py

    entry_points={"tfgan_zoo.families": ["mygan = mypkg.mygan"]}

(`mypkg.mygan` registers "mygan" on import; `mygan = mypkg.mygan:MyGAN` also registers the
object named there if the module does not). A lookup imports the one module that holds the
name (`importlib.import_module`), so the registry imports nothing of the package above it and
the config can check names before TensorFlow is imported. A module that raises on import is
raised as itself; a module that imports but does not register its name is a RegistrationError.
"""
import difflib
import importlib
import sys

from tfgan_zoo.errors import ConfigError, UserError
from tfgan_zoo.registry_table import TABLE


class RegistrationError(UserError):
    """The table or an entry point names a module for a name, and that module does not
    register it (or two sources claim one name)."""


class Registry:
    def __init__(self, kind, group=None, table=None):
        self.kind = kind
        #: the entry-point group other packages declare their names in (None: no entry points)
        self.group = group
        self._table = {}
        for module, names in (table or {}).items():
            for name in names:
                if name in self._table:
                    raise ValueError(f"registry_table.py lists {kind} {name!r} under "
                                     f"{self._table[name]} and {module}")
                self._table[name] = module
        self._items = {}
        self._origin = {}
        self._entry_points = None

    # ------------------------------------------------------------------ registering

    def register(self, name, obj=None):
        """Register `obj` under `name`; usable as a decorator when `obj` is omitted."""
        if obj is None:
            def decorator(o):
                return self._add(name, o, _caller_module())
            return decorator
        return self._add(name, obj, _caller_module())

    def unregister(self, name):
        """Forget what is registered under `name` (a notebook redefining its family); the
        table and entry points still know where it comes from."""
        self._items.pop(name, None)
        self._origin.pop(name, None)

    def _add(self, name, obj, origin):
        if name in self._items and self._items[name] is not obj:
            raise ValueError(f"{self.kind} {name!r} is registered twice "
                             f"(by {self._origin[name]} and {origin})")
        self._items[name] = obj
        self._origin[name] = origin
        return obj

    # ------------------------------------------------------------------ looking up

    def get(self, name):
        self._check_one_claim(name)
        if name not in self._items:
            sources = self.sources()
            if name not in sources:
                raise ConfigError(f"unknown {self.kind} {name!r}{closest_hint(name, self.names())}")
            self._load(name, sources[name])
        return self._items[name]

    def names(self):
        """Every name this registry can give: registered, in the table or an entry point.
        Imports nothing."""
        return sorted(set(self._items) | set(self.sources()))

    def __contains__(self, name):
        # the table first: reading the entry points imports importlib.metadata (~0.1 s)
        return name in self._items or name in self._table or name in self.sources()

    def origin(self, name):
        """The module whose code registered `name` (None when not registered yet)."""
        return self._origin.get(name)

    def sources(self):
        """{name: (module, entry point or None)}: where each name not registered yet comes from."""
        out = {name: (module, None) for name, module in self._table.items()}
        for ep in self._plugin_entry_points():
            if ep.name not in out:
                out[ep.name] = (ep.module, ep)
        return out

    def refresh(self):
        """Read the installed entry points again (after installing a plugin in-process)."""
        self._entry_points = None

    def _plugin_entry_points(self):
        if self._entry_points is None:
            from importlib import metadata  # here: ~0.1 s to import, and only plugins need it
            self._entry_points = tuple(metadata.entry_points(group=self.group)) if self.group else ()
        return self._entry_points

    def _check_one_claim(self, name):
        """RegistrationError when the table and entry points (or two entry points) name
        different modules for `name`."""
        if not self._plugin_entry_points():
            return
        claims = {self._table[name]} if name in self._table else set()
        claims |= {ep.module for ep in self._plugin_entry_points() if ep.name == name}
        if len(claims) > 1:
            raise RegistrationError(f"{self.kind} {name!r} is declared by several modules "
                                    f"({', '.join(sorted(claims))}: registry_table.py and entry "
                                    f"points of group {self.group}); rename one")

    def _load(self, name, source):
        module, ep = source
        where = f"entry point {ep.name} = {ep.value} ({self.group})" if ep else "registry_table.py"
        importlib.import_module(module)  # an import error is raised as it is
        if name not in self._items and ep is not None and ep.attr:
            self._add(name, ep.load(), module)
        if name not in self._items:
            raise RegistrationError(
                f"{self.kind} {name!r}: module {module} ({where}) was imported but registers no "
                f"{self.kind} {name!r}; decorate it with @{_VARIABLE[self.kind]}.register({name!r})")


def _caller_module():
    """The module whose code called register (two frames up: register or its decorator)."""
    return sys._getframe(2).f_globals.get("__name__")  # noqa: SLF001 - who registers what


def closest_hint(name, candidates):
    match = difflib.get_close_matches(str(name), list(candidates), n=1, cutoff=0.5)
    if match:
        return f" (did you mean {match[0]!r}?)"
    return f" (valid: {', '.join(sorted(map(str, candidates)))})"


FAMILIES = Registry("family", "tfgan_zoo.families", TABLE["family"])
NETWORKS = Registry("network", "tfgan_zoo.networks", TABLE["network"])
LOSSES = Registry("loss", "tfgan_zoo.losses", TABLE["loss"])
REGULARIZERS = Registry("regularizer", "tfgan_zoo.regularizers", TABLE["regularizer"])
DATASETS = Registry("dataset", "tfgan_zoo.datasets", TABLE["dataset"])
REGISTRIES = (FAMILIES, NETWORKS, LOSSES, REGULARIZERS, DATASETS)
_VARIABLE = {"family": "FAMILIES", "network": "NETWORKS", "loss": "LOSSES",
             "regularizer": "REGULARIZERS", "dataset": "DATASETS"}
