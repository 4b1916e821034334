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
order, which `sbomcheck/schema/report.schema.json` documents (tests/test_json_form.py).
"""

from __future__ import annotations

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
class _Slot:
    attr: str
    key: str
    group: str | None
    """The nested object the key sits in (`match` for Finding.canonical), else None."""
    convert: _Convert | None
    """None when the value is plain data already (by its type)."""
    default: Any


@dataclasses.dataclass(frozen=True, slots=True)
class _Plan:
    slots: tuple[_Slot, ...]
    properties: tuple[str, ...]


def _any(value: Any, omit: bool) -> Any:
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is tuple or kind is list:
        return [_any(v, omit) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if kind is dict:
        return {k: _any(v, omit) for k, v in value.items()}
    plan = _PLANS.get(kind) or _plan(kind)
    return _object(value, plan, omit)


def _object(value: Any, plan: _Plan, omit: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for slot in plan.slots:
        v = getattr(value, slot.attr)
        if omit and slot.default is not _NO_DEFAULT and v == slot.default:
            continue
        if slot.convert is not None:
            v = slot.convert(v, omit)
        if slot.group is None:
            out[slot.key] = v
        else:
            out.setdefault(slot.group, {})[slot.key] = v
    for name in plan.properties:
        out[name] = _any(getattr(value, name), omit)
    return out


_PLANS: dict[type, _Plan] = {}


def _plan(cls: type) -> _Plan:
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"no JSON form for {cls.__name__} values")
    hints = _hints(cls)
    slots = []
    for f in dataclasses.fields(cls):
        key: JsonKey = f.metadata.get(_METADATA, JsonKey())
        if not key.written:
            continue
        name = key.name or f.name
        group, name = name if isinstance(name, tuple) else (None, name)
        default = f.default if f.default is not dataclasses.MISSING else _NO_DEFAULT
        convert = _user(key.convert) if key.convert else _converter(hints.get(f.name, Any))
        slots.append(_Slot(f.name, name, group, convert, default))
    plan = _Plan(tuple(slots), tuple(getattr(cls, "json_properties", ())))
    _PLANS[cls] = plan
    return plan


def _hints(cls: type) -> dict[str, Any]:
    try:
        return typing.get_type_hints(cls)
    except (NameError, TypeError):  # NOTE: a name only imported for type checking
        return {}


def _user(convert: Callable[[Any], Any]) -> _Convert:
    return lambda v, _omit: convert(v)


# NOTE: the converters are chosen once per field from its annotation, so that the common
# values (strings, numbers, tuples of strings) cost a dict store and nothing else; the JSON
# report of a 100k-component scan serialises as fast as the hand-written `to_dict` did.
def _converter(hint: Any) -> _Convert | None:
    """The converter for values annotated `hint`; None when they are plain already."""
    if hint in _PLAIN:
        return None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        if all(a in _PLAIN for a in args):
            return None
        return _optional(args) or _any
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _converter(args[0])
        if item is None:
            return _list
        return lambda v, omit: [item(x, omit) for x in v]
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _enum
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass(hint)
    return _any


def _optional(args: tuple[Any, ...]) -> _Convert | None:
    """`X | None` with one non-plain X: None stays None."""
    others = [a for a in args if a is not type(None)]
    if len(others) != 1 or len(args) != 2:
        return None
    inner = _converter(others[0])
    if inner is None:
        return None
    return lambda v, omit: None if v is None else inner(v, omit)


def _list(value: Any, _omit: bool) -> list[Any]:
    return list(value)


def _enum(value: Any, _omit: bool) -> Any:
    return value.value


def _dataclass(cls: type) -> _Convert:
    # NOTE: the plan is looked up when the first value is written, not now: dataclasses
    # nest themselves (Component.pedigree holds Components).
    def convert(value: Any, omit: bool) -> Any:
        if type(value) is not cls:
            return _any(value, omit)
        return _object(value, _PLANS.get(cls) or _plan(cls), omit)

    return convert
