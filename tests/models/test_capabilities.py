"""What a family can do is declared and checked when its model is built (models/capabilities.py):
configs the CLI used to accept and then crash on, ignore or half-use are refused with one line
naming the family and the reason; families override only the hooks declared in HOOKS; the core
names no family."""
import inspect
import os
import re

import pytest

from tests.testing import build, tiny_config
from tfgan_zoo.errors import ConfigError
from tfgan_zoo.losses.regularizer import Regularizer
from tfgan_zoo.models.base import GANModel
from tfgan_zoo.models.declarations import HOOKS
from tfgan_zoo.registry import FAMILIES, REGULARIZERS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

WRONG = [
    # CycleGAN + a gradient penalty: was an AttributeError at trace time
    ("cyclegan", {"model": {"regularizers": [{"name": "gradient_penalty"}]}},
     "cyclegan: gradient_penalty needs one critic; this family has d_a and d_b"),
    # LapGAN + R1: was a Keras shape error (R1 ran on the level-0 D with full-size reals)
    ("lapgan", {"model": {"regularizers": [{"name": "r1"}]}},
     "lapgan: r1 needs one critic; this family has discriminator, discriminator_1 and discriminator_2"),
    # StackGAN + EMA: the EMA copy was made and never used
    ("stackgan", {"model": {"ema_decay": 0.5}}, "stackgan: ema_decay needs one generator to average"),
    # CycleGAN + n_critic: silently ignored
    ("cyclegan", {"model": {"n_critic": 5}}, "cyclegan: model.n_critic has no effect"),
    # and ones like them
    ("lapgan", {"model": {"ema_decay": 0.9}}, "lapgan: ema_decay needs one generator to average"),
    ("pix2pix", {"model": {"latent_dim": 8}}, "pix2pix: model.latent_dim has no effect"),
    ("dcgan", {"model": {"ema_start": 100}}, "dcgan: model.ema_start has no effect without model.ema_decay"),
    ("cyclegan", {"model": {"critic_pass": "separate"}}, "cyclegan: model.critic_pass has no effect"),
    ("cgan", {"model": {"regularizers": [{"name": "feature_matching"}]}},
     "cgan: feature_matching reads the layers of one critic network fed images alone"),
    ("lapgan", {"model": {"regularizers": [{"name": "drift"}]}}, "lapgan: drift needs one critic"),
]


@pytest.mark.parametrize("family,overrides,message", WRONG, ids=[f"{w[0]}-{i}" for i, w in enumerate(WRONG)])
def test_a_config_the_family_cannot_honour_is_refused_at_build(family, overrides, message):
    with pytest.raises(ConfigError) as e:
        build(tiny_config(family, overrides))
    text = str(e.value)
    assert message in text and "\n" not in text


def test_the_cli_refuses_it_in_one_line_with_exit_2(tmp_path, capsys):
    from tfgan_zoo.cli import main
    config = os.path.join(ROOT, "zoo_configs", "cyclegan", "digits.yaml")
    code = main(["train", config, "--run-dir", str(tmp_path / "run"), "--set", "model.n_critic=5",
                 "--set", "train.epochs=1", "--set", "train.steps_per_epoch=1"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and "cyclegan: model.n_critic has no effect" in err[0]


def test_what_a_family_can_do_still_builds():
    """The checks refuse only what cannot work: a penalty on a single critic, EMA on one G."""
    build(tiny_config("stackgan", {"model": {"regularizers": [{"name": "r1"}]}}))
    build(tiny_config("dcgan", {"model": {"ema_decay": 0.9, "ema_start": 1,
                                          "regularizers": [{"name": "feature_matching"}]}}))


def _phase_hook(name, phases):
    return any(name == f"{p.name}_{kind}" for p in phases for kind in ("terms", "variables"))


@pytest.mark.parametrize("family", FAMILIES.names())
def test_families_override_only_declared_hooks(family):
    cls = FAMILIES.get(family)
    core = {name for klass in GANModel.__mro__ for name in vars(klass)}
    for klass in cls.__mro__:
        if klass in GANModel.__mro__ or not klass.__module__.startswith(("tfgan_zoo", "tests")):
            continue
        for name, value in vars(klass).items():
            if name.startswith("_") or name not in core:
                continue
            if not (inspect.isfunction(value) or isinstance(value, (classmethod, staticmethod))):
                continue  # declarations (roles, phases, Params, ...) and properties
            assert name in HOOKS or _phase_hook(name, cls.phases), \
                f"{klass.__name__}.{name} overrides a core method that models/declarations.py HOOKS does not declare"


def test_every_declared_hook_exists_on_the_core():
    for name in HOOKS:
        if not name.startswith("<"):
            assert callable(getattr(GANModel, name, None)), name


@pytest.mark.parametrize("name", REGULARIZERS.names())
def test_a_regularizer_declares_the_phases_its_hooks_act_on(name):
    reg = REGULARIZERS.get(name)()
    acts = set()
    for attr in dir(type(reg)):
        m = re.fullmatch(r"(?:after_)?(\w+?)_(?:term|update)", attr)
        if m and getattr(type(reg), attr) is not getattr(Regularizer, attr, None):
            acts.add(m.group(1))
    # every declared phase has a hook; a hook beyond them is one the options turn off
    # (historical_averaging's generator average without generator=true)
    assert reg.acts_on and set(reg.acts_on) <= acts, (name, acts, reg.acts_on)
    if name != "historical_averaging":
        assert acts == set(reg.acts_on), (name, acts, reg.acts_on)


CORE = ("tfgan_zoo/models/base.py", "tfgan_zoo/train.py", "tfgan_zoo/export.py", "tfgan_zoo/cli.py")


@pytest.mark.parametrize("path", CORE)
def test_the_core_names_no_family_and_no_family_flag(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as fh:
        code = [line for line in fh if not line.lstrip().startswith("#")]
    text = "".join(code)
    for family in FAMILIES.names():
        assert not re.search(rf"[\"']{family}[\"']", text), f"{path} names family {family!r}"
    assert "export_kind ==" not in text and ".export_kind" not in text, path


def test_hooks_are_documented_with_a_signature():
    for name, doc in HOOKS.items():
        assert doc.startswith("(") and "->" in doc or "):" in doc, name
    assert inspect.signature(GANModel.call_generator).parameters.keys() >= {"generator", "inputs", "training"}


#: the families whose signatures once drew randomness inside (StyleGAN's noise, BigGAN's truncation)
#: and one of each kind stay fast; the rest are large
FAST_PURE = ("stylegan", "biggan", "dcgan", "stargan")


@pytest.mark.parametrize("family", [pytest.param(f, marks=[] if f in FAST_PURE else [pytest.mark.large])
                                    for f in FAMILIES.names()])
def test_every_signature_but_sample_is_a_pure_function_of_its_inputs(family):
    """No random op inside an export signature (noise maps, truncation resampling are inputs or
    part of `sample`'s seeded draw), so every format is a function of its inputs."""
    import tensorflow as tf
    _, _, model = build(tiny_config(family))
    for endpoint in model.export_endpoints():
        if endpoint.name == "sample":
            continue
        graph = tf.function(endpoint.fn).get_concrete_function(**endpoint.inputs).graph
        ops = {op.type for op in graph.get_operations()}
        for f in graph._functions.values():  # noqa: SLF001 - nested functions of the trace
            ops |= {node.op for node in f.definition.node_def}
        assert not [op for op in ops if "Random" in op], (family, endpoint.name)
