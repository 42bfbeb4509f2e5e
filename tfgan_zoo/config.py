"""Typed run configuration: documented defaults, YAML overrides, `--set section.key=value`.

A config file only overrides what differs from the defaults below (StudioGAN's habit), e.g.

    family: dcgan
    data: {name: digits, image_size: 16}
    train: {epochs: 5}

Sections `data`, `train` and `export` are the dataclasses below. Section `model` is checked
against the family's own `Params` dataclass, and there is one section per network ROLE the family
declares (`generator`, `discriminator`, and e.g. `classifier`, `encoder`, `g_ab`: a network
`name` plus its keyword arguments), checked against the network builder's signature, so a new
family or network brings its own documented defaults without touching this file.

Optimizers are named by the family's phases (`d`, `g`, and e.g. `c`); `train.optimizers:
{name: {optimizer, learning_rate, beta_1, beta_2, schedule, decay_start}}` sets each, and the
flat keys `optimizer`, `g_learning_rate`, `d_learning_rate`, `beta_1`, `beta_2` remain the
shorthands they always were; the family's `optimizer_defaults` sit between the two and never
beat a key the user set (`optimizer_config.py`). Schedules run on the model's step counter:
`constant`, `linear_decay` (constant until decay_start x the run's steps, then linearly to 0 at
its end: CycleGAN, StarGAN) and `cosine` (keras CosineDecay over the run).
Every mistake raises ConfigError naming the file, the key and the closest valid key. The
checks that need no family (YAML, duplicate keys, the family name, `data`, `train`, `export`)
run before any family module, and so TensorFlow, is imported (`precheck`): most typos are
reported in a fraction of a second.

A run may be resumed with another value of the keys in RESUMABLE (learning rates, schedules,
betas, epochs, checkpoint / sample frequency, ...): none changes a variable's shape or the
data order. `resume_changes` tells them from the ones that would make it another run
(`resume_keys.py`).
"""
import dataclasses
import difflib
import inspect
import typing
from dataclasses import dataclass, field

import yaml

from tfgan_zoo.coerce import coerce_dataclass, coerce_value
from tfgan_zoo.errors import ConfigError
from tfgan_zoo.optimizer_config import (OPTIMIZER_KEYS, check_optimizer_value, fold_family_defaults,
                                        optimizer_settings)
from tfgan_zoo.registry import FAMILIES, NETWORKS, closest_hint
from tfgan_zoo.resume_keys import RESUMABLE, RESUMABLE_OPTIMIZER_KEYS, resume_changes

__all__ = ["Config", "ConfigError", "DataConfig", "ExportConfig", "RESUMABLE",
           "RESUMABLE_OPTIMIZER_KEYS", "TrainConfig", "apply_override", "from_dict",
           "load_config", "optimizer_settings", "parse_yaml", "precheck", "resume_changes"]


def _positive(v):
    return v > 0


def _non_negative(v):
    return v >= 0


def _check(fn, message):
    return {"check": (fn, message)}


@dataclass
class DataConfig:
    #: dataset spec: digits, tfds:<name>, folder:<path>, pairs:<path>, edges2photos, ring, grid, ...
    name: str = "digits"
    #: side of the square images the networks see (points sets ignore it)
    image_size: int = field(default=16, metadata=_check(_positive, "must be > 0"))
    #: 1 (grayscale) or 3 (RGB); 0 keeps what the dataset has
    channels: int = field(default=0, metadata=_check(lambda v: v in (0, 1, 3), "must be 0, 1 or 3"))
    #: GLOBAL batch size: split evenly over the replicas of a tf.distribute strategy
    batch_size: int = field(default=64, metadata=_check(_positive, "must be > 0"))
    shuffle_buffer: int = field(default=10000, metadata=_check(_positive, "must be > 0"))
    #: extra keyword options for the dataset builder (data_dir, direction, num_examples, ...)
    options: dict = field(default_factory=dict)


@dataclass
class TrainConfig:
    epochs: int = field(default=10, metadata=_check(_positive, "must be > 0"))
    #: an epoch here is a fixed number of steps: the unit of logging, sampling and checkpoints
    steps_per_epoch: int = field(default=100, metadata=_check(_positive, "must be > 0"))
    optimizer: str = field(default="adam", metadata=_check(
        lambda v: v in ("adam", "rmsprop", "sgd"), "must be adam, rmsprop or sgd"))
    #: two time-scale update rule (TTUR): separate learning rates for G and D
    g_learning_rate: float = field(default=2e-4, metadata=_check(_positive, "must be > 0"))
    d_learning_rate: float = field(default=2e-4, metadata=_check(_positive, "must be > 0"))
    beta_1: float = field(default=0.5, metadata=_check(lambda v: 0 <= v < 1, "must be in [0, 1)"))
    beta_2: float = field(default=0.999, metadata=_check(lambda v: 0 <= v < 1, "must be in [0, 1)"))
    seed: int = 0
    #: also checkpoint every N steps inside an epoch (0: at epoch ends only)
    checkpoint_every: int = field(default=0, metadata=_check(_non_negative, "must be >= 0"))
    keep_checkpoints: int = field(default=2, metadata=_check(_positive, "must be > 0"))
    #: sample grid PNG + TensorBoard image every N epochs (0: never)
    sample_every: int = field(default=1, metadata=_check(_non_negative, "must be >= 0"))
    grid_size: int = field(default=8, metadata=_check(_positive, "must be > 0"))
    #: tf.distribute strategy: auto, default, one_device, mirrored, multi_worker, tpu
    strategy: str = "auto"
    #: float32, mixed_float16, mixed_bfloat16, or auto: the fastest this machine runs well
    #: (mixed_bfloat16 on TPUs, Ampere+ GPUs and CPUs with bf16 instructions; tfgan_zoo/precision.py)
    precision: str = field(default="float32", metadata=_check(
        lambda v: v in ("float32", "mixed_float16", "mixed_bfloat16", "auto"),
        "must be float32, mixed_float16, mixed_bfloat16 or auto"))
    jit_compile: bool = False
    steps_per_execution: int = field(default=1, metadata=_check(_positive, "must be > 0"))
    verbose: int = 1
    #: a model weight larger than this in magnitude (or not finite) means the run diverged:
    #: training stops without saving it, the last good checkpoint is kept (0: finiteness only)
    max_weight: float = field(default=1e6, metadata=_check(_non_negative, "must be >= 0"))
    #: per named optimizer settings {name: {optimizer, learning_rate, beta_1, beta_2, rho (rmsprop),
    #: schedule, decay_start}}; names are the family's (d, g, ...); unset keys follow the flat keys above
    optimizers: dict = field(default_factory=dict)

    def validate(self):
        for name, spec in self.optimizers.items():
            if not isinstance(spec, dict):
                raise ValueError(f"optimizers.{name}: expected a mapping, got {spec!r}")
            for key, value in spec.items():
                if key not in OPTIMIZER_KEYS:
                    raise ValueError(f"optimizers.{name}.{key}: unknown key"
                                     f"{closest_hint(key, OPTIMIZER_KEYS)}")
                spec[key] = check_optimizer_value(f"optimizers.{name}.{key}", key, value)


@dataclass
class ExportConfig:
    #: export name (directory under the export root); empty: <family>_<dataset>
    name: str = ""
    version: int = field(default=1, metadata=_check(_positive, "must be > 0"))
    #: largest batch the serving signatures accept
    max_batch: int = field(default=256, metadata=_check(_positive, "must be > 0"))


@dataclass
class Config:
    family: str = "dcgan"
    data: DataConfig = field(default_factory=DataConfig)
    #: family parameters, checked against FAMILIES[family].Params
    model: typing.Any = None
    #: {role: {"name": network, **builder kwargs}} for every role the family declares; the
    #: name defaults to the family's choice. Written as top-level sections named by role.
    networks: dict = field(default_factory=dict)
    train: TrainConfig = field(default_factory=TrainConfig)
    export: ExportConfig = field(default_factory=ExportConfig)
    #: where the config came from (for messages); not a config key
    source: str = field(default="<defaults>", compare=False)

    @property
    def generator(self):
        return self.networks.get("generator", {})

    @property
    def discriminator(self):
        return self.networks.get("discriminator", {})

    def to_dict(self):
        out = {}
        for f in dataclasses.fields(self):
            if f.name == "source":
                continue
            value = getattr(self, f.name)
            if f.name == "networks":
                out.update({role: dict(section) for role, section in value.items()})
                continue
            out[f.name] = dataclasses.asdict(value) if dataclasses.is_dataclass(value) else value
        return out


SECTIONS = ("family", "data", "model", "train", "export")


# ----------------------------------------------------------------------------------- loading

class _Loader(yaml.SafeLoader):
    """yaml.SafeLoader that refuses a key given twice in one mapping (PyYAML keeps the last:
    `family: dcgan` then `family: wgan` would silently train WGAN)."""

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (first at line {seen[key] + 1})",
                    key_node.start_mark)
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


def parse_yaml(text, source):
    """YAML text -> Python object; ConfigError (one line, with line and column) when malformed
    or when a mapping repeats a key."""
    try:
        return yaml.load(text or "", Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(e, "problem", None) or "invalid YAML"
        raise ConfigError(f"{source}: malformed YAML{where}: {problem}") from None


def load_config(path=None, overrides=(), text=None):
    """Read a YAML config (a path, or `text`), apply `section.key=value` overrides, validate.

    `precheck` runs first, so a mistake outside the family's own sections is reported before
    the family modules (and TensorFlow) are imported."""
    source = str(path) if path is not None else "<text>"
    if text is None and path is not None:
        try:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        except FileNotFoundError:
            raise ConfigError(f"{source}: config file not found") from None
        except (IsADirectoryError, NotADirectoryError, PermissionError, UnicodeDecodeError) as e:
            raise ConfigError(f"{source}: cannot read config ({type(e).__name__})") from None
    raw = parse_yaml(text, source) or {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: the top level must be a mapping of sections, "
                          f"got {type(raw).__name__}")
    for item in overrides:
        apply_override(raw, item, source)
    precheck(raw, source)
    return from_dict(raw, source)


def apply_override(raw, item, source):
    """Apply one `section.key=value` override (value parsed as YAML) to the raw config dict."""
    if "=" not in item:
        raise ConfigError(f"--set {item!r}: expected section.key=value")
    key, _, value = item.partition("=")
    parts = [p for p in key.strip().split(".") if p]
    if not parts:
        raise ConfigError(f"--set {item!r}: empty key")
    try:
        parsed = yaml.safe_load(value) if value.strip() else ""
    except yaml.YAMLError:
        parsed = value
    node = raw
    for p in parts[:-1]:
        if node.get(p) is None:  # absent, or an empty section (`train:` with nothing under it)
            node[p] = {}
        if not isinstance(node[p], dict):
            raise ConfigError(f"--set {item!r}: {p!r} is not a section")
        node = node[p]
    node[parts[-1]] = parsed


def precheck(raw, source):
    """The checks that need no family module (so no TensorFlow): the family name (against the
    registry's table and entry points, which import nothing), top-level keys that misspell a
    base section, and the `data`, `train` and `export` sections in full. The family's own
    sections (`model`, one per network role) are checked by `from_dict`."""
    family = raw.get("family", Config.family)
    if not isinstance(family, str):
        raise ConfigError(f"{source}: family: expected a string, got {family!r}")
    if family not in FAMILIES:
        raise ConfigError(f"{source}: family: unknown family {family!r}"
                          f"{closest_hint(family, FAMILIES.names())}")
    for key in raw:
        near = difflib.get_close_matches(str(key), SECTIONS, n=1, cutoff=0.8)
        if key not in SECTIONS and near:  # no network role is this close to a base section
            raise ConfigError(f"{source}: {key}: unknown section (did you mean {near[0]!r}?)")
    for name, cls in (("data", DataConfig), ("train", TrainConfig), ("export", ExportConfig)):
        coerce_dataclass(cls, dict(_section(raw, name, source)), source, name)


def from_dict(raw, source="<dict>"):
    family_name = raw.get("family", Config.family)
    if not isinstance(family_name, str):
        raise ConfigError(f"{source}: family: expected a string, got {family_name!r}")
    try:
        family = FAMILIES.get(family_name)
    except ConfigError as e:
        raise ConfigError(f"{source}: family: {e}") from None
    sections = SECTIONS + tuple(family.roles)
    for key in raw:
        if key not in sections:
            raise ConfigError(f"{source}: {key}: unknown section{closest_hint(key, sections)}")
    cfg = Config(family=family_name, source=source)

    cfg.data = coerce_dataclass(DataConfig, _section(raw, "data", source), source, "data")
    # a family may change the train defaults (WGAN: RMSprop 5e-5); the user's keys beat them
    user_train = _section(raw, "train", source)
    train = {**getattr(family, "train_defaults", {}), **user_train}
    cfg.train = coerce_dataclass(TrainConfig, train, source, "train")
    unknown = sorted(set(cfg.train.optimizers) - set(family.optimizer_names()))
    if unknown:
        raise ConfigError(f"{source}: train.optimizers.{unknown[0]}: family {family_name} has no "
                          f"optimizer {unknown[0]!r}{closest_hint(unknown[0], family.optimizer_names())}")
    try:
        fold_family_defaults(cfg.train, getattr(family, "optimizer_defaults", {}), user_train)
    except ValueError as e:
        raise ConfigError(f"{source}: family {family_name}: {e}") from None
    cfg.export = coerce_dataclass(ExportConfig, _section(raw, "export", source), source, "export")
    cfg.model = coerce_dataclass(family.Params, _section(raw, "model", source), source, "model")
    for role, default in family.roles.items():
        given = _section(raw, role, source)
        net = {**family.network_defaults.get(role, {}), **given}
        if "name" in given and given["name"] != default:
            net = given  # another network: the family's tweaks do not apply
        cfg.networks[role] = _network_section(family, role, net, source)
    return cfg


def _section(raw, name, source):
    value = raw.get(name) or {}
    if not isinstance(value, dict):
        raise ConfigError(f"{source}: {name}: expected a mapping, got {type(value).__name__}")
    return value


def _network_section(family, role, section, source):
    """Validate {"name": ..., **kwargs} against the builder's signature.

    Parameters without a default (latent_dim, image_size, channels, ...) are derived from the
    data and the family, so they are not settable here.
    """
    section = dict(section)
    name = section.pop("name", family.roles[role])
    try:
        builder = NETWORKS.get(name)
    except ConfigError as e:
        raise ConfigError(f"{source}: {role}.name: {e}") from None
    params = {p.name: p for p in inspect.signature(builder).parameters.values()
              if p.default is not inspect.Parameter.empty}
    out = {"name": name}
    for key, value in section.items():
        if key == "pack":  # PacGAN packing of a critic role (models/packing.py)
            from tfgan_zoo.models.packing import check_pack_value
            out[key] = check_pack_value(family, role, coerce_value(int, value, source, f"{role}.pack"), source)
            continue
        if key not in params:
            raise ConfigError(f"{source}: {role}.{key}: unknown parameter of network {name!r}"
                              f"{closest_hint(key, params)}")
        annotation = params[key].annotation
        out[key] = coerce_value(annotation, value, source, f"{role}.{key}")
    return out
