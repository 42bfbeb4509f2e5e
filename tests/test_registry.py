"""The registry: a table of name -> module read without importing, lazy lookups, entry points
for other packages, and one-line errors when a module does not register what it should."""
import importlib
import subprocess
import sys
import textwrap
import types

import pytest

from tests.test_imports import package_modules
from tfgan_zoo import registry
from tfgan_zoo.errors import ConfigError
from tfgan_zoo.registry import FAMILIES, REGISTRIES, RegistrationError, Registry
from tfgan_zoo.registry_table import TABLE


def test_the_table_and_the_registrations_agree():
    """Import every module of the package: each name registered by the package's code is in
    the table under the module that registers it, and each module registers exactly the
    names the table gives it."""
    for module in package_modules():
        importlib.import_module(module)
    for reg in REGISTRIES:
        registered = {}
        for name in reg._items:  # noqa: SLF001 - what the imports registered
            origin = reg.origin(name)
            if origin.startswith("tfgan_zoo"):
                registered.setdefault(origin, set()).add(name)
        listed = {module: set(names) for module, names in TABLE[reg.kind].items()}
        assert registered == listed, reg.kind
        for name in reg.names():
            assert reg.get(name) is not None


def test_lookups_and_names_import_only_what_they_need():
    """Names and membership come from the table (no TensorFlow); a lookup imports the module
    of the name, not every family."""
    code = textwrap.dedent("""
        import sys
        from tfgan_zoo.config import load_config, precheck
        from tfgan_zoo.registry import FAMILIES, NETWORKS
        assert "wgan_gp" in FAMILIES and "stylegan" in FAMILIES.names() and "unet" in NETWORKS
        precheck({"family": "wgan_gp", "train": {"epochs": 1}}, "<t>")
        try:
            load_config(text="family: wgan_gpp")
        except Exception as e:
            print(e)
        assert "tensorflow" not in sys.modules, "tensorflow imported before a lookup"
        FAMILIES.get("dcgan")
        loaded = {m for m in sys.modules if m.startswith("tfgan_zoo.models.")}
        assert "tfgan_zoo.models.dcgan" in loaded
        assert not loaded & {"tfgan_zoo.models.divergence", "tfgan_zoo.models.cyclegan",
                             "tfgan_zoo.models.stylegan"}, loaded
        print("ok")
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.split("\n")
    assert "unknown family 'wgan_gpp' (did you mean 'wgan_gp'?)" in lines[0] and lines[1] == "ok"


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """A folder on sys.path for throwaway modules; what they import is forgotten afterwards."""
    monkeypatch.syspath_prepend(str(tmp_path))
    before = set(sys.modules)
    yield tmp_path
    for name in set(sys.modules) - before:
        if name.startswith("scratch_"):
            del sys.modules[name]


def _module(folder, name, text):
    (folder / f"{name}.py").write_text(textwrap.dedent(text))
    importlib.invalidate_caches()


def test_a_module_that_registers_nothing_is_a_clear_error(scratch):
    _module(scratch, "scratch_empty", "VALUE = 1\n")
    reg = Registry("network", "tfgan_zoo.test_networks", {"scratch_empty": ("ghost",)})
    with pytest.raises(RegistrationError, match=r"network 'ghost': module scratch_empty "
                                                r"\(registry_table.py\) was imported but registers "
                                                r"no network 'ghost'; decorate it with "
                                                r"@NETWORKS.register\('ghost'\)"):
        reg.get("ghost")
    with pytest.raises(ConfigError, match=r"unknown network 'ghots' \(did you mean 'ghost'\?\)"):
        reg.get("ghots")
    with pytest.raises(ValueError, match="lists network 'a' under m1 and m2"):
        Registry("network", "g", {"m1": ("a",), "m2": ("a",)})


def test_an_import_error_is_raised_as_itself_and_retried(scratch):
    _module(scratch, "scratch_broken", "raise ImportError(\"No module named 'skimage' (simulated)\")\n")
    reg = Registry("dataset", "tfgan_zoo.test_datasets", {"scratch_broken": ("thing",)})
    with pytest.raises(ImportError, match="skimage"):
        reg.get("thing")
    sys.modules["scratch_target"] = types.SimpleNamespace(registry=reg)
    _module(scratch, "scratch_broken", """
        import scratch_target
        scratch_target.registry.register("thing", 42)
    """)
    assert reg.get("thing") == 42 and reg.origin("thing") == "scratch_broken"
    assert "thing" in reg and reg.names() == ["thing"]


def test_register_records_who_registered_and_refuses_a_second_object():
    reg = Registry("loss", "tfgan_zoo.test_losses", {})

    @reg.register("a")
    def a():
        pass

    reg.register("b", len)
    assert reg.origin("a") == reg.origin("b") == __name__
    assert reg.get("a") is a and reg.names() == ["a", "b"]
    reg.register("a", a)  # the same object again is fine (a module imported twice)
    with pytest.raises(ValueError, match="loss 'a' is registered twice"):
        reg.register("a", len)
    reg.unregister("a")
    assert "a" not in reg


def _distribution(folder, entry_points):
    info = folder / "scratch_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: scratch-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(textwrap.dedent(entry_points))
    importlib.invalidate_caches()


@pytest.fixture
def plugin(scratch):
    """A distribution on sys.path declaring families through entry points."""
    _module(scratch, "scratch_gans", """
        from tfgan_zoo.models.dcgan import DCGAN
        from tfgan_zoo.registry import FAMILIES


        @FAMILIES.register("plugan")
        class PluGAN(DCGAN):
            pass


        class Unregistered(DCGAN):
            pass
    """)
    _module(scratch, "scratch_nothing", "X = 0\n")
    _distribution(scratch, """
        [tfgan_zoo.families]
        plugan = scratch_gans
        other = scratch_gans:Unregistered
        silent = scratch_nothing
        dcgan = scratch_nothing
    """)
    FAMILIES.refresh()
    yield scratch
    for name in ("plugan", "other"):
        FAMILIES.unregister(name)
    FAMILIES.refresh()


def test_another_package_adds_a_family_through_an_entry_point(plugin):
    from tfgan_zoo.config import from_dict, load_config
    assert {"plugan", "other", "silent"} <= set(FAMILIES.names())
    cfg = load_config(text="family: plugan\ntrain: {epochs: 1}\n")  # precheck knows it too
    assert cfg.family == "plugan" and FAMILIES.get("plugan").__name__ == "PluGAN"
    assert FAMILIES.origin("plugan") == "scratch_gans"
    assert FAMILIES.get("other").__name__ == "Unregistered"  # registered from module:attr
    assert from_dict({"family": "other"}).networks["generator"]["name"] == "dcgan_generator"
    with pytest.raises(RegistrationError, match=r"family 'silent': module scratch_nothing \(entry "
                                                r"point silent = scratch_nothing"):
        FAMILIES.get("silent")
    with pytest.raises(RegistrationError, match=r"family 'dcgan' is declared by several modules "
                                                r"\(scratch_nothing, tfgan_zoo.models.dcgan"):
        FAMILIES.get("dcgan")


def test_the_registry_imports_nothing_above_it():
    from tests.test_imports import import_graph
    graph = import_graph()
    assert graph["tfgan_zoo.registry"] == {"tfgan_zoo.errors", "tfgan_zoo.registry_table"}
    assert graph["tfgan_zoo.registry_table"] == graph["tfgan_zoo.errors"] == set()
    assert registry.FAMILIES.group == "tfgan_zoo.families"
