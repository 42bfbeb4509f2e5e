"""Typed values from YAML: a mapping checked against a dataclass (keys, types, value checks).

YAML 1.1, which PyYAML reads, takes `2e-4` (no dot) and `1e3` for strings, and `.inf` / `.nan`
for floats. A numeric field therefore accepts a string that reads as a number of its type
("2e-4" for a float, "1e3" for an int), and a float must be finite. Every mistake is one
ConfigError naming the source, the key and what was expected. No TensorFlow here: the CLI
checks the family-independent sections before it imports TensorFlow.
"""
import dataclasses
import inspect
import math
import typing

from tfgan_zoo.errors import ConfigError
from tfgan_zoo.registry import closest_hint


def number(value, kind):
    """`value` as a float / int when it is one or a string that reads as one, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip().replace("_", ""))
        except ValueError:
            return None
    if not isinstance(value, (int, float)):
        return None
    if kind is int:
        if isinstance(value, float):
            if not math.isfinite(value) or not value.is_integer():
                return None
            return int(value)
        return value
    return float(value)


def coerce_value(annotation, value, source, where):
    """`value` converted to `annotation` (int, float, bool, str, list, tuple, dict, Optional)."""
    if annotation is inspect.Parameter.empty or annotation is typing.Any:
        return value
    origin = typing.get_origin(annotation)
    if origin is typing.Union or str(origin) == "<class 'types.UnionType'>":
        args = typing.get_args(annotation)
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return coerce_value(arg, value, source, where)
            except ConfigError as e:
                errors.append(e)
        raise errors[0]
    base = origin or annotation
    ok = True
    if base is bool:
        ok = isinstance(value, bool)
    elif base in (int, float):
        converted = number(value, base)
        if base is float and converted is not None and not math.isfinite(converted):
            raise ConfigError(f"{source}: {where}: {value!r} must be a finite number")
        ok, value = converted is not None, converted if converted is not None else value
    elif base is str:
        ok = isinstance(value, str)
    elif base in (list, tuple):
        ok = isinstance(value, (list, tuple))
        value = base(value) if ok else value
    elif base is dict:
        ok = isinstance(value, dict)
    if not ok:
        expected = getattr(base, "__name__", str(base))
        raise ConfigError(f"{source}: {where}: expected {expected}, got {value!r}")
    return value


def coerce_dataclass(cls, values, source, section):
    """Build dataclass `cls` from a mapping, checking keys, types and value checks
    (field metadata {"check": (predicate, message)}) and the dataclass's own `validate()`."""
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    kwargs = {}
    hints = typing.get_type_hints(cls)
    for key, value in values.items():
        if key not in fields:
            raise ConfigError(f"{source}: {section}.{key}: unknown key{closest_hint(key, fields)}")
        f = fields[key]
        value = coerce_value(hints.get(key, f.type), value, source, f"{section}.{key}")
        check = f.metadata.get("check")
        if check and not check[0](value):
            raise ConfigError(f"{source}: {section}.{key}: {value!r} {check[1]}")
        kwargs[key] = value
    try:
        obj = cls(**kwargs)
    except (TypeError, ValueError) as e:
        raise ConfigError(f"{source}: {section}: {e}") from None
    validate = getattr(obj, "validate", None)
    if validate is not None:
        try:
            validate()
        except (ValueError, ConfigError) as e:
            raise ConfigError(f"{source}: {section}: {e}") from None
    return obj
