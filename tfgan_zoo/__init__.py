"""tfgan_zoo: the GAN model zoo for TensorFlow 2 and Keras 3.

What a notebook needs, imported lazily (`import tfgan_zoo` itself does not import TensorFlow):

    import tfgan_zoo as tz
    cfg = tz.load_config("zoo_configs/dcgan/digits.yaml", overrides=["train.epochs=2"])
    run = tz.train(cfg, "runs/my_dcgan")
    images = run.model.sample(16, seed=0)
    zoo = tz.load_export("dcgan_digits")

load_config / from_dict     a config from YAML (+ "section.key=value" overrides) or a dict
build / train               the compiled model of a config / a (resumable) training run
export / load_export        a SavedModel with its card / a zoo entry or export path, loaded
load_export_layer           an export's endpoint as a fine-tunable Keras layer
load_run                    (config, data info, model) of a trained run directory
FAMILIES, NETWORKS, LOSSES, REGULARIZERS, DATASETS     the registries (names -> objects)
GANModel, Phase, Stage, Endpoint, Input                 what a family declares (your own family)
layers, losses, metrics, networks, data                 the library's parts, as modules
"""
import importlib as _importlib
import os as _os
import sys as _sys
import types as _types

_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

__version__ = "0.1.0"

_ATTRIBUTES = {
    "load_config": "tfgan_zoo.config", "from_dict": "tfgan_zoo.config",
    "build": "tfgan_zoo.api", "load_export": "tfgan_zoo.api", "load_export_layer": "tfgan_zoo.api",
    "load_run": "tfgan_zoo.train",
    "FAMILIES": "tfgan_zoo.registry", "NETWORKS": "tfgan_zoo.registry", "LOSSES": "tfgan_zoo.registry",
    "REGULARIZERS": "tfgan_zoo.registry", "DATASETS": "tfgan_zoo.registry",
    "GANModel": "tfgan_zoo.models.base", "Phase": "tfgan_zoo.models.declarations",
    "Stage": "tfgan_zoo.models.declarations", "Endpoint": "tfgan_zoo.models.declarations",
    "Input": "tfgan_zoo.models.inputs",
}
_MODULES = ("layers", "losses", "metrics", "networks", "data")

class _ModuleAndFunction:
    """`tz.train(...)` / `tz.export(...)` are API functions, but tfgan_zoo.train and
    tfgan_zoo.export are also modules, and importing a submodule sets the package attribute of
    its name. This object is both: calling it calls the function, any other attribute is the
    module's (so `import tfgan_zoo.train as t; t.build_data` and patching keep working)."""

    def __init__(self, module, function_module, name):
        object.__setattr__(self, "_where", (module, function_module, name))

    def __call__(self, *args, **kwargs):
        _, function_module, name = self._where
        return getattr(_importlib.import_module(function_module), name)(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(_importlib.import_module(self._where[0]), name)

    def __setattr__(self, name, value):
        setattr(_importlib.import_module(self._where[0]), name, value)

    def __repr__(self):
        return f"<tfgan_zoo.{self._where[2]}: function {self._where[1]}.{self._where[2]} and module {self._where[0]}>"


_BOTH = {"train": _ModuleAndFunction("tfgan_zoo.train", "tfgan_zoo.train", "train"),
         "export": _ModuleAndFunction("tfgan_zoo.export", "tfgan_zoo.api", "export")}


class _Package(_types.ModuleType):
    def __setattr__(self, name, value):
        if name in _BOTH and isinstance(value, _types.ModuleType):
            return  # the submodule stays reachable through _BOTH[name] and sys.modules
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package
train = _BOTH["train"]
export = _BOTH["export"]

__all__ = sorted([*_ATTRIBUTES, *_MODULES, *_BOTH, "__version__"])


def __getattr__(name):
    if name in _ATTRIBUTES:
        return getattr(_importlib.import_module(_ATTRIBUTES[name]), name)
    if name in _MODULES:
        return _importlib.import_module(f"tfgan_zoo.{name}")
    raise AttributeError(f"module 'tfgan_zoo' has no attribute {name!r}")


def __dir__():
    return __all__
