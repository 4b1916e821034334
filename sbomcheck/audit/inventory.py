"""Turn a `Document` into plain JSON data and back, losslessly.

The audit ledger stores this "inventory" so `sbomcheck recheck` can re-evaluate an SBOM with
a newer alias catalogue or on a later date without the original file. The encoding follows
the dataclass fields of `sbomcheck.model`, so a field added there is carried automatically;
`INVENTORY_VERSION` changes only when the encoding itself changes.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import cache
from typing import Any

from sbomcheck import model
from sbomcheck.errors import LedgerError

INVENTORY_VERSION = 1

_CLASSES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        model.Hash,
        model.Party,
        model.ExternalReference,
        model.Property,
        model.FileEntry,
        model.Pedigree,
        model.Component,
        model.Relationship,
        model.ExternalDocumentRef,
        model.Composition,
        model.IngestWarning,
        model.Document,
    )
}


def document_to_dict(doc: model.Document) -> dict[str, Any]:
    """Plain JSON-ready data for `doc` (defaults omitted to keep inventories small)."""
    data = _encode(doc)
    assert isinstance(data, dict)
    data["inventory_version"] = INVENTORY_VERSION
    return data


def document_from_dict(data: dict[str, Any]) -> model.Document:
    """The `Document` that `document_to_dict` encoded; LedgerError on foreign data."""
    version = data.get("inventory_version")
    if version != INVENTORY_VERSION:
        raise LedgerError(
            f"inventory version {version!r} is not supported (expected {INVENTORY_VERSION}); "
            "re-run the audit with the original files"
        )
    payload = {k: v for k, v in data.items() if k != "inventory_version"}
    result = _decode(model.Document, payload)
    assert isinstance(result, model.Document)
    return result


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in _fields(type(value)):
            v = getattr(value, f.name)
            if _is_default(f, v):
                continue
            out[f.name] = _encode(v)
        return out
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if isinstance(value, model.Format):
        return value.value
    return value


def _is_default(f: dataclasses.Field[Any], v: Any) -> bool:
    if f.default is not dataclasses.MISSING:
        return bool(v == f.default)
    return False


@cache
def _fields(cls: type[Any]) -> tuple[dataclasses.Field[Any], ...]:
    return dataclasses.fields(cls)


@cache
def _hints(cls: type[Any]) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(model))


def _decode(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _decode(args[0], value)
    if origin is tuple:
        (item_type, _ellipsis) = typing.get_args(tp)
        return tuple(_decode(item_type, v) for v in value)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise LedgerError(f"inventory: expected an object for {tp.__name__}")
        hints = _hints(tp)
        kwargs = {k: _decode(hints[k], v) for k, v in value.items() if k in hints}
        return tp(**kwargs)
    if tp is model.Format:
        return model.Format(value)
    return value
