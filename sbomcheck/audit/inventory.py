"""Turn a `Document` into the bytes the audit ledger stores, and back, losslessly.

The audit ledger stores this "inventory" so `sbomcheck recheck` can re-evaluate an SBOM with
a newer alias catalogue or on a later date without the original file. A field added to the
model is carried automatically by either encoding below; `INVENTORY_VERSION` changes only
when the encoding itself changes, and the ledger records the version of every inventory
beside it (`inventories.inventory_version`, `sbomcheck.audit.ledger`).

- Version 3 (written since 2026-12-08 for a document read in two tiers, whose components
  are a `model.LazyComponents` holding its text): a one-line JSON header (key, path,
  sha256, sha1, gzip) and the document's own text (after gzip), zlib level 1. Decoding reads
  the text again with the reader that read it (the fast paths are deterministic: equal
  Document), then restores the digests and gzip flag of the bytes as given. Writing the
  model would build every component the scan did not need (9-10 ms for a 300-component
  SBOM, against about 1 ms to compress the text).
- Version 2 (written since ledger schema version 3): msgspec's JSON of the whole `Document`
  (every field, in field order, enums as their value), zlib level 1. 3.2 ms for a
  300-component SBOM, against 15 ms for version 1 (docs/performance.md, "The ledger").
- Version 1 (written before; still read): the JSON form of `sbomcheck.json_form` with fields
  that hold their default left out, plus `"inventory_version": 1`, zlib level 6. Still
  written for a document whose text msgspec cannot write as UTF-8 (a lone surrogate, which
  no reader of sbomcheck produces, but a Document built by hand can hold): Python's `json`
  escapes it.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import json
import types
import typing
import zlib
from functools import cache
from typing import Any

import msgspec

from sbomcheck import model
from sbomcheck._io import SBOM_MAX_BYTES
from sbomcheck.errors import LedgerError
from sbomcheck.json_form import json_form

INVENTORY_VERSION = 2
"""The encoding `encode_inventory` writes (1 only for text msgspec cannot write)."""

SOURCE_VERSION = 3
"""The encoding of a document read in two tiers: its own text (see the module docstring)."""

READABLE_VERSIONS = (1, 2, 3)

_LEVEL = 1
"""zlib level of version 2: 80 KB for a 300-component SBOM in 2.1 ms; level 6 makes it 67 KB
in 4.6 ms (docs/performance.md, "The ledger")."""


def _as_tuple(value: object) -> object:
    # NOTE: a lazy document's components are stored whole, as the tuple they equal.
    if isinstance(value, model.LazyComponents | model.LazyRelationships):
        return tuple(value)
    raise NotImplementedError(f"cannot store {type(value).__name__}")


_ENCODER = msgspec.json.Encoder(enc_hook=_as_tuple)


@cache
def _decoder() -> msgspec.json.Decoder[model.Document]:
    # NOTE: made on first use: building it walks the model's type hints (a few ms).
    return msgspec.json.Decoder(model.Document)


def encode_inventory(doc: model.Document) -> tuple[int, bytes]:
    """The stored form of `doc`: (inventory version, compressed bytes)."""
    components = doc.components
    if isinstance(components, model.LazyComponents) and components.source is not None:
        return SOURCE_VERSION, _encode_source(doc, components.source)
    try:
        data = _ENCODER.encode(doc)
    except UnicodeEncodeError:
        return 1, zlib.compress(json.dumps(document_to_dict(doc)).encode(), 6)
    return INVENTORY_VERSION, zlib.compress(data, _LEVEL)


def decode_inventory(version: int, blob: bytes) -> model.Document:
    """The `Document` that `encode_inventory` stored as `version`; LedgerError (one line,
    naming neither file nor audit: the ledger adds them) on an unknown version or bytes
    that do not decode to a whole Document."""
    if version not in READABLE_VERSIONS:
        raise LedgerError(
            f"inventory version {version!r} is not supported (this sbomcheck reads "
            f"{', '.join(map(str, READABLE_VERSIONS))}); re-run the audit with the original files"
        )
    data = _inflate(version, blob)
    if version == SOURCE_VERSION:
        return _decode_source(data)
    if version == 1:
        try:
            decoded = json.loads(data)
        except ValueError as e:
            raise LedgerError(f"inventory version 1: not JSON ({e})") from None
        if not isinstance(decoded, dict):
            raise LedgerError("inventory version 1: not a JSON object")
        return document_from_dict(decoded)
    try:
        doc = _decoder().decode(data)
    except msgspec.DecodeError as e:
        raise LedgerError(f"inventory version {version}: not a whole document ({e})") from None
    # NOTE: msgspec decodes a Sequence as a list; the model's built form is a tuple.
    return dataclasses.replace(
        doc, components=tuple(doc.components), relationships=tuple(doc.relationships)
    )


_MAX_INFLATED = 4 * SBOM_MAX_BYTES
"""Largest inventory once decompressed: the model written as JSON is a few times the SBOM's
size at most, and a ledger is read back whole, so a damaged or hostile one is refused."""


def _inflate(version: int, blob: bytes) -> bytes:
    """`blob` decompressed, bounded by `_MAX_INFLATED`."""
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(blob, _MAX_INFLATED)
    except (zlib.error, TypeError) as e:
        raise LedgerError(f"inventory version {version}: not zlib data ({e})") from None
    if inflater.unconsumed_tail:
        raise LedgerError(
            f"inventory version {version}: larger than {_MAX_INFLATED:,} bytes decompressed"
        )
    if not inflater.eof:
        raise LedgerError(f"inventory version {version}: not zlib data (truncated)")
    return data


# -- version 3 --------------------------------------------------------------------------

_SOURCE_FIELDS = ("key", "path", "sha256", "sha1", "gzip")


def _encode_source(doc: model.Document, source: bytes) -> bytes:
    header = json.dumps({name: getattr(doc, name) for name in _SOURCE_FIELDS}).encode()
    return zlib.compress(header + b"\n" + source, _LEVEL)


def _decode_source(data: bytes) -> model.Document:
    """The Document of a version 3 inventory: its text read again, named as stored."""
    from sbomcheck.errors import SbomcheckError
    from sbomcheck.ingest import DEFAULT_LIMITS, load_bytes

    header, _, text = data.partition(b"\n")
    try:
        meta = json.loads(header)
        key, path, sha256, sha1, gzip = (meta[name] for name in _SOURCE_FIELDS)
    except (ValueError, TypeError, KeyError):
        raise LedgerError("inventory version 3: no header naming the document") from None
    # NOTE: the text was read once already; a limit lowered since must not lose it.
    limits = dataclasses.replace(DEFAULT_LIMITS, max_bytes=max(DEFAULT_LIMITS.max_bytes, len(text)))
    try:
        doc = load_bytes(text, key=key, path=path, limits=limits)
    except SbomcheckError as e:
        raise LedgerError(f"inventory version 3: the stored text no longer reads ({e})") from None
    return dataclasses.replace(doc, sha256=sha256, sha1=sha1, gzip=gzip)


# -- version 1 --------------------------------------------------------------------------


def document_to_dict(doc: model.Document) -> dict[str, Any]:
    """The version 1 form of `doc`: plain JSON-ready data, defaults omitted."""
    data: dict[str, Any] = json_form(doc, omit_defaults=True)
    data["inventory_version"] = 1
    return data


def document_from_dict(data: dict[str, Any]) -> model.Document:
    """The `Document` that `document_to_dict` encoded; LedgerError on foreign data."""
    version = data.get("inventory_version")
    if version != 1:
        raise LedgerError(
            f"inventory version {version!r} is not supported in a version 1 inventory; "
            "re-run the audit with the original files"
        )
    payload = {k: v for k, v in data.items() if k != "inventory_version"}
    try:
        result = _decode(model.Document, payload)
    except (TypeError, ValueError, KeyError, AttributeError) as e:
        raise LedgerError(f"inventory version 1: not a whole document ({e})") from None
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
    if origin is tuple or origin is collections.abc.Sequence:
        item_type = typing.get_args(tp)[0]
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
