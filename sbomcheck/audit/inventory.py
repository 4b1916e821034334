"""Turn a `Document` into plain JSON data and back, losslessly.

The audit ledger stores this "inventory" so `sbomcheck recheck` can re-evaluate an SBOM with
a newer alias catalogue or on a later date without the original file. The encoding is the
JSON form every value has (`sbomcheck.json_form`), with fields that hold their default left
out; decoding reads the dataclass fields of `sbomcheck.model` back from their annotations.
So a field added to the model is carried automatically; `INVENTORY_VERSION` changes only
when the encoding itself changes.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import cache
from typing import Any

from sbomcheck import model
from sbomcheck.errors import LedgerError
from sbomcheck.json_form import json_form

INVENTORY_VERSION = 1


def document_to_dict(doc: model.Document) -> dict[str, Any]:
    """Plain JSON-ready data for `doc` (defaults omitted to keep inventories small)."""
    data: dict[str, Any] = json_form(doc, omit_defaults=True)
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
