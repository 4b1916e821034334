"""The JSON form of frozen dataclasses: one walker for every value sbomcheck writes as JSON.

`json_form(value)` turns a dataclass into plain data that `json`/`orjson` write as they are:
an object per dataclass with its keys in field order, enums as their value, tuples as lists,
nested dataclasses the same way, and `None` as `null`. With `omit_defaults=True` a field that
holds its default is left out (the audit ledger's inventory, `sbomcheck.audit.inventory`).

What the walker cannot guess is declared on the field, once, in its metadata:

    rules: DataVersion | None = field(default=None, metadata=json_key("rules_data"))
    with_hashes: float = field(metadata=json_key(convert=_four_places))
    canonical: str = field(metadata=json_key(("match", "canonical")))  # {"match": {...}}
    effective_date: dt.date = field(metadata=NOT_IN_JSON)

and a property that belongs in the JSON form is named in the class's `json_properties`
(written after the fields). The JSON report's key order is therefore its classes' field
order, which `sbomcheck/schema/report.schema.json` documents (tests/model/test_json_form.py).
"""

from __future__ import annotations

import collections.abc
import dataclasses
import enum
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, Final

__all__ = ["NOT_IN_JSON", "JsonKey", "json_form", "json_key"]

_METADATA: Final = "json"
"""The field metadata key that holds a field's `JsonKey`."""


@dataclasses.dataclass(frozen=True, slots=True)
class JsonKey:
    """How one field is written: under which key, and converted how."""

    name: str | tuple[str, str] | None = None
    """The key (None: the field's name); a pair puts it in a nested object, `(object, key)`;
    see `NOT_IN_JSON` for a field that is not written."""
    convert: Callable[[Any], Any] | None = None
    """Applied to the field's value instead of the walker (its result is written as is)."""
    written: bool = True


def json_key(
    name: str | tuple[str, str] | None = None, *, convert: Callable[[Any], Any] | None = None
) -> Mapping[str, JsonKey]:
    """Field metadata: write this field under `name` (a pair nests it), through `convert`."""
    return types.MappingProxyType({_METADATA: JsonKey(name, convert)})


NOT_IN_JSON: Final[Mapping[str, JsonKey]] = types.MappingProxyType(
    {_METADATA: JsonKey(written=False)}
)
"""Field metadata: the field has no place in the JSON form (it is derived from another)."""


def json_form(value: Any, *, omit_defaults: bool = False) -> Any:
    """`value` as plain JSON data (dict, list, str, int, float, bool, None).

    Dataclasses become objects in field order (`json_key` metadata applied, then the
    properties named in `json_properties`), enums their value, tuples and lists lists,
    dict values are walked. `omit_defaults` leaves out fields equal to their default.
    Anything else raises TypeError.
    """
    return _any(value, omit_defaults)


_Convert = Callable[[Any, bool], Any]
"""A converter: (value, omit_defaults) -> plain data."""

_PLAIN: Final = frozenset({str, int, float, bool, type(None)})
_NO_DEFAULT: Final = object()


@dataclasses.dataclass(frozen=True, slots=True)
class _Converter:
    """How the values of one field become plain data."""

    convert: _Convert
    kind: str = "call"
    """How `_compile` writes it: `enum`, `object` (the dataclass `of`), `tuple` and
    `optional` (of `item`) inline, `call` as a call of `convert`."""
    of: type | None = None
    item: _Converter | None = None
    """The converter of a tuple's items or an optional's value (None: they are plain)."""


@dataclasses.dataclass(frozen=True, slots=True)
class _Slot:
    attr: str
    key: str
    group: str | None
    """The nested object the key sits in (`match` for Finding.canonical), else None."""
    converter: _Converter | None
    """None when the value is plain data already (by its type)."""
    default: Any


@dataclasses.dataclass(frozen=True, slots=True)
class _Plan:
    slots: tuple[_Slot, ...]
    properties: tuple[str, ...]
    encode: Callable[[Any, bool], dict[str, Any]]
    """The whole object at once (`_compile`); used unless defaults are left out."""


def _any(value: Any, omit: bool) -> Any:
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is tuple or kind is list:
        return [_any(v, omit) for v in value]
    if isinstance(value, enum.Enum):
        return value._value_
    if kind is dict:
        return {k: _any(v, omit) for k, v in value.items()}
    return _object(value, _PLANS.get(kind) or _plan(kind), omit)


def _object(value: Any, plan: _Plan, omit: bool) -> dict[str, Any]:
    if not omit:
        return plan.encode(value, omit)
    out: dict[str, Any] = {}
    for slot in plan.slots:
        v = getattr(value, slot.attr)
        if slot.default is not _NO_DEFAULT and v == slot.default:
            continue
        if slot.converter is not None:
            v = slot.converter.convert(v, omit)
        if slot.group is None:
            out[slot.key] = v
        else:
            out.setdefault(slot.group, {})[slot.key] = v
    for name in plan.properties:
        out[name] = _any(getattr(value, name), omit)
    return out


_PLANS: dict[type, _Plan] = {}
_BUILDING: set[type] = set()
"""Classes whose plan is being made (a class that holds itself, Component in Pedigree)."""


def _plan(cls: type) -> _Plan:
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"no JSON form for {cls.__name__} values")
    _BUILDING.add(cls)
    try:
        hints = _hints(cls)
        slots = []
        for f in dataclasses.fields(cls):
            key: JsonKey = f.metadata.get(_METADATA, JsonKey())
            if not key.written:
                continue
            name = key.name or f.name
            group, name = name if isinstance(name, tuple) else (None, name)
            default = f.default if f.default is not dataclasses.MISSING else _NO_DEFAULT
            converter = (
                _Converter(_user(key.convert))
                if key.convert
                else _converter(hints.get(f.name, Any))
            )
            slots.append(_Slot(f.name, name, group, converter, default))
        properties = tuple(getattr(cls, "json_properties", ()))
        plan = _Plan(tuple(slots), properties, _compile(cls, tuple(slots), properties))
    finally:
        _BUILDING.discard(cls)
    _PLANS[cls] = plan
    return plan


# NOTE: like the `__init__` that `dataclasses` writes for each class, the encoder of a class
# is generated once: one dict display, the fields read as attributes, lists, enum values and
# nested objects written inline (`_expression`), a call only for the rest. A loop over the
# fields took twice as long as the hand-written `to_dict` methods it replaced on a report's
# findings; this is as fast as they were. Only identifiers (field and property names) and
# repr() of keys reach the source.
def _compile(
    cls: type, slots: tuple[_Slot, ...], properties: tuple[str, ...]
) -> Callable[[Any, bool], dict[str, Any]]:
    names: dict[str, Any] = {"_any": _any}
    entries: dict[str, str] = {}
    """repr(key) -> the expression of its value, in the order written."""
    groups: dict[str, list[str]] = {}
    for slot in slots:
        expr = _expression(f"value.{slot.attr}", slot.converter, names)
        if slot.group is None:
            entries[repr(slot.key)] = expr
        else:
            groups.setdefault(slot.group, []).append(f"{slot.key!r}: {expr}")
            entries.setdefault(repr(slot.group), "")  # NOTE: the first member's place
    for group, members in groups.items():
        entries[repr(group)] = "{" + ", ".join(members) + "}"
    for name in properties:
        if not name.isidentifier():
            raise TypeError(f"{cls.__name__}.json_properties: {name!r} is not a name")
        entries[repr(name)] = f"_any(value.{name}, omit)"
    body = ", ".join(f"{key}: {expr}" for key, expr in entries.items())
    exec(f"def encode(value, omit):\n    return {{{body}}}\n", names)
    encode: Callable[[Any, bool], dict[str, Any]] = names["encode"]
    return encode


def _expression(value: str, converter: _Converter | None, names: dict[str, Any]) -> str:
    """Source of the plain form of `value` (an expression) for `_compile`; the functions and
    classes it calls are added to `names`."""
    if converter is None:
        return value
    if converter.kind == "enum":
        return f"{value}._value_"
    if converter.kind == "optional" and converter.item is not None:
        return f"(None if {value} is None else {_expression(value, converter.item, names)})"
    if converter.kind == "tuple":
        if converter.item is None:
            return f"list({value})"
        item = f"x{len(names)}"
        return f"[{_expression(item, converter.item, names)} for {item} in {value}]"
    nested = _nested_plan(converter.of) if converter.kind == "object" and converter.of else None
    if nested is not None:
        enc, of = f"encode{len(names)}", f"class{len(names)}"
        names[enc], names[of] = nested.encode, converter.of
        return f"({enc}({value}, omit) if type({value}) is {of} else _any({value}, omit))"
    call = f"convert{len(names)}"
    names[call] = converter.convert
    return f"{call}({value}, omit)"


def _nested_plan(cls: type) -> _Plan | None:
    """The plan of a nested class; None while it is being made (it holds itself)."""
    if cls in _BUILDING:
        return None
    return _PLANS.get(cls) or _plan(cls)


def _hints(cls: type) -> dict[str, Any]:
    try:
        return typing.get_type_hints(cls)
    except (NameError, TypeError):  # NOTE: a name only imported for type checking
        return {}


def _user(convert: Callable[[Any], Any]) -> _Convert:
    return lambda v, _omit: convert(v)


_ANY: Final = _Converter(_any)


# NOTE: the converters are chosen once per field from its annotation, so that the common
# values (strings, numbers, booleans, None) need no call at all.
def _converter(hint: Any) -> _Converter | None:
    """The converter for values annotated `hint`; None when they are plain already."""
    if hint in _PLAIN:
        return None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        if all(a in _PLAIN for a in args):
            return None
        return _optional(args)
    if (origin is tuple and len(args) == 2 and args[1] is Ellipsis) or (
        origin is collections.abc.Sequence
    ):
        item = _converter(args[0])
        if item is None:
            return _Converter(_list, "tuple")
        convert = item.convert
        return _Converter(lambda v, omit: [convert(x, omit) for x in v], "tuple", item=item)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _Converter(_enum, "enum")
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _Converter(_dataclass(hint), "object", hint)
    return _ANY


def _optional(args: tuple[Any, ...]) -> _Converter:
    """`X | None` with one non-plain X: None stays None."""
    others = [a for a in args if a is not type(None)]
    inner = _converter(others[0]) if len(others) == 1 and len(args) == 2 else None
    if inner is None:
        return _ANY
    convert = inner.convert
    return _Converter(
        lambda v, omit: None if v is None else convert(v, omit), "optional", item=inner
    )


def _list(value: Any, _omit: bool) -> list[Any]:
    return list(value)


def _enum(value: Any, _omit: bool) -> Any:
    return value._value_  # NOTE: .value is a descriptor written in Python, 5x slower


def _dataclass(cls: type) -> _Convert:
    def convert(value: Any, omit: bool) -> Any:
        if type(value) is not cls:
            return _any(value, omit)
        return _object(value, _PLANS.get(cls) or _plan(cls), omit)

    return convert
