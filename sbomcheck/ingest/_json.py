"""JSON text to dicts and lists: the decoder choice and the checks the decoders do not make.

**Decoder.** msgspec decodes straight into Python objects; orjson, the reference, builds its
own tree first and needs more memory. msgspec is used unless the text may hold an integer of
19 or more digits (`may_hold_long_integer`), where the two differ, or msgspec refuses the text;
then orjson decodes it, so results and error messages are orjson's (`loads_json`).

**Nesting depth.** orjson refuses more than 1,024 levels, msgspec follows the interpreter's
recursion limit (about 990 levels on Python 3.11, several thousand on 3.12 and 3.13), and the
readers themselves recurse through nested components. So sbomcheck has one limit of its own,
`MAX_JSON_DEPTH`, checked on the bytes before any decoder sees them: the same on every Python.
The check keeps only quotes and brackets (`bytes.translate`), drops every string that holds no
bracket by deleting adjacent quote pairs (`bytes.replace`), cuts out the few strings that
remain, and measures the depth of the brackets left, chunk by chunk so memory stays bounded.
All of it runs in C; 0.13-0.2 s for 116-142 MB.

**Repeated keys.** A JSON object that names a member twice is read by orjson and msgspec as
its last value, silently; another reader keeps the first. So a document with a repeated key
could show two readers two different inventories, and a finding could hide in the value that
loses: it is refused (`refuse_duplicate_keys`). No fast decoder reports a repeat, so the
decoded value is checked against the text instead: every key is followed by one colon, and
the colons inside strings survive decoding unchanged, so the number of colons in the text
equals the number in the decoded value written out again (`colons_as_read`, msgspec's encoder,
in C) exactly when no key was dropped. An escaped colon (`\\u003a`) would make the two counts
differ for another reason: then, as on any difference, the exact check with the standard
library's decoder decides, and names the repeated key and the path to it.
"""

from __future__ import annotations

from array import array
from itertools import accumulate
from typing import Any

import msgspec

from sbomcheck.errors import IngestError, LimitError
from sbomcheck.ingest._bytes import decode_text
from sbomcheck.ingest._context import ReadContext

__all__ = [
    "MAX_JSON_DEPTH",
    "check_json_depth",
    "DECODE_ERRORS",
    "colons_as_read",
    "colons_as_written",
    "colons_of_struct",
    "loads_json",
    "may_hold_long_integer",
    "parse_json",
    "refuse_duplicate_keys",
]


def parse_json(data: bytes, text: str | None, ctx: ReadContext, *, depth_checked: bool) -> Any:
    """The JSON document in `data` (or in `text`, when the bytes were decoded for their
    byte-order mark) as dicts and lists, refused with `IngestError` (or `LimitError`) when it
    is not JSON, nests deeper than `MAX_JSON_DEPTH` or repeats a key in an object.
    `depth_checked`: the bytes were measured already (before a fast path declined them)."""
    raw = data if text is None else text.encode("utf-8")
    if not depth_checked:
        check_json_depth(raw, ctx)
    import orjson  # NOTE: the general path only; the typed paths never load it

    try:
        obj = loads_json(text if text is not None else data)
    except orjson.JSONDecodeError as e:
        if text is None and "UTF-8" in e.msg:
            # NOTE: orjson places invalid UTF-8 at the start of the document; the
            # decoder names the byte and where it is.
            decode_text(data, ctx)
        raise IngestError(
            f"invalid JSON: {e.msg}",
            source=ctx.key,
            location=f"line {e.lineno} column {e.colno}",
        ) from None
    # NOTE: the decoders keep the last value of a repeated key; the count of colons
    # tells whether any key was dropped.
    written = colons_as_written(raw)
    del raw
    if written is None or colons_as_read(obj) != written:
        refuse_duplicate_keys(text if text is not None else data, ctx)
    return obj


# -- decoder choice --------------------------------------------------------------------------

_msgspec_decode = msgspec.json.Decoder().decode

# Bytes -> b"0" for digits, b"." for everything else: runs of digits become runs of b"0",
# which bytes.find locates at memchr speed (a regex over 116 MB took 1.7 s).
_DIGITS_TO_ZERO = bytes(48 if 48 <= b <= 57 else 46 for b in range(256))
_LONG_RUN = b"0" * 19
_CHUNK = 1 << 20


def may_hold_long_integer(raw: bytes) -> bool:
    """True if `raw` may hold a JSON number with an integer part of 19 or more digits.

    Those are the one valid input on which msgspec and orjson differ (orjson reads integers
    beyond 64 bits as floats, msgspec as ints). Digits inside strings (hex digests) are told
    apart by the character before the run; a false alarm only costs the slower parser.
    """
    n = len(raw)
    start = 0
    while start < n:
        # Chunks overlap by the run length, so no run is cut in two unseen.
        lo = max(0, start - len(_LONG_RUN))
        chunk = raw[lo : start + _CHUNK].translate(_DIGITS_TO_ZERO)
        at = chunk.find(_LONG_RUN)
        while at >= 0:
            begin = lo + at
            while begin > 0 and 48 <= raw[begin - 1] <= 57:
                begin -= 1
            before = raw[max(0, begin - 64) : begin].rstrip(b" \t\r\n-").rstrip(b" \t\r\n")
            if not before or before[-1:] in (b":", b",", b"["):
                return True
            end = at + len(_LONG_RUN)
            while end < len(chunk) and chunk[end] == 48:
                end += 1
            at = chunk.find(_LONG_RUN, end)
        start += _CHUNK
    return False


def loads_json(data: bytes | str) -> Any:
    """Decode JSON to dicts and lists exactly as `orjson.loads` would, with less memory.

    orjson builds its own document tree before the Python objects, which doubles the peak
    memory of a large file (887 MB vs 647 MB for a 116 MB SBOM, same time); msgspec decodes
    straight into Python objects. orjson stays the reference: any input msgspec rejects, or
    on which the two could differ, is decoded again by orjson, so results and error
    messages are orjson's.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if not may_hold_long_integer(raw):
        try:
            return _msgspec_decode(data)
        except DECODE_ERRORS:
            # NOTE: msgspec raises UnicodeDecodeError itself on invalid UTF-8 in a string;
            # orjson's message names the place.
            pass
    import orjson

    return orjson.loads(data)


# -- nesting depth ---------------------------------------------------------------------------

MAX_JSON_DEPTH = 256
"""Deepest nesting of JSON arrays and objects sbomcheck reads (`[]` is one level). The same as
libxml2's limit for XML; real SBOMs stay below 12."""

_QUOTE, _BACKSLASH = 0x22, 0x5C
_OPENERS, _CLOSERS = frozenset(b"[{"), frozenset(b"]}")
_KEEP_BRACKETS = bytes(b for b in range(256) if b not in b'"[]{}')
_SQUARE = bytes.maketrans(b"{}", b"[]")
_STEPS = bytes.maketrans(b"[]", b"\x01\xff")
_DEPTH_CHUNK = 1 << 20
# Pair-removal passes tried before measuring a chunk exactly (real SBOMs nest < 12 levels).
_PASSES = 12


def check_json_depth(raw: bytes, ctx: ReadContext, limit: int = MAX_JSON_DEPTH) -> None:
    """Raise `LimitError` naming the line and column where `raw` first nests deeper than
    `limit`. `raw` is UTF-8 JSON text, not yet known to be valid: on invalid text the answer
    only has to be bounded, the decoder reports the syntax error."""
    at = _first_too_deep(raw, limit)
    if at is None:
        return
    line = raw.count(b"\n", 0, at) + 1
    line_start = raw.rfind(b"\n", 0, at) + 1
    column = len(raw[line_start:at].decode("utf-8", "replace")) + 1
    raise LimitError(
        f"JSON nests deeper than {limit:,} levels, beyond what sbomcheck reads",
        source=ctx.key,
        location=f"line {line} column {column}",
    )


def _first_too_deep(raw: bytes, limit: int) -> int | None:
    """Offset of the first bracket that opens level `limit + 1`, or None."""
    depth = 0
    in_string = False
    start, n = 0, len(raw)
    while start < n:
        end = min(n, start + _DEPTH_CHUNK)
        # NOTE: never cut a run of backslashes or the byte it escapes, so every chunk starts
        # outside an escape sequence.
        while end < n and raw[end - 1] == _BACKSLASH:
            end += 1
        chunk = raw[start:end]
        brackets, in_string_after = _brackets_outside_strings(chunk, in_string)
        top, after = _deepest(brackets, depth, limit)
        if top > limit:
            return _locate(raw, start, end, depth, in_string, limit)
        depth, in_string = after, in_string_after
        start = end
    return None


def _brackets_outside_strings(chunk: bytes, in_string: bool) -> tuple[bytes, bool]:
    """The brackets of `chunk` that stand outside strings, as `[` and `]`, and whether the
    chunk ends inside a string."""
    if b"\\" in chunk:
        # An escaped backslash, then an escaped quote: neither delimits a string.
        chunk = chunk.replace(b"\\\\", b"").replace(b'\\"', b"")
    kept = chunk.translate(None, _KEEP_BRACKETS)
    if in_string:
        kept = b'"' + kept
    # NOTE: two quotes with nothing between them left enclose no bracket, whichever string
    # they close or open; deleting them changes neither which brackets are inside strings
    # nor the quote parity. What remains is the strings that hold a bracket.
    kept = kept.replace(b'""', b"")
    if b'"' in kept:
        parts = kept.split(b'"')
        return b"".join(parts[::2]).translate(_SQUARE), len(parts) % 2 == 0
    return kept.translate(_SQUARE), False


def _deepest(brackets: bytes, depth: int, limit: int) -> tuple[int, int]:
    """(deepest level reached, level after) for `brackets` entered at level `depth`; the
    first is exact when above `limit`, and may be an upper bound below it."""
    rest = brackets
    passes = 0
    while passes < _PASSES and b"[]" in rest:
        # Each pass removes the innermost pairs: one level off every subtree.
        rest = rest.replace(b"[]", b"")
        passes += 1
    if b"[]" not in rest:
        # `rest` is now `]]..][[..[`: levels fall to depth - closers, then climb. Every pair
        # removed sat on a level this walk passes through and rose at most `passes` above it.
        closers = len(rest) - len(rest.lstrip(b"]"))
        after = depth - closers + (len(rest) - closers)
        bound = max(depth, after) + passes
        if bound <= limit:
            return bound, after
    # NOTE: exact, in C: the running sum of +1/-1 over the brackets.
    top = max(accumulate(array("b", brackets.translate(_STEPS)), initial=depth))
    return top, depth + brackets.count(b"[") - brackets.count(b"]")


def _locate(raw: bytes, start: int, end: int, depth: int, in_string: bool, limit: int) -> int:
    """The exact offset in `raw[start:end]` where nesting passes `limit` (error path only)."""
    escaped = False
    for i in range(start, end):
        b = raw[i]
        if in_string:
            if escaped:
                escaped = False
            elif b == _BACKSLASH:
                escaped = True
            elif b == _QUOTE:
                in_string = False
        elif b == _QUOTE:
            in_string = True
        elif b in _OPENERS:
            depth += 1
            if depth > limit:
                return i
        elif b in _CLOSERS:
            depth -= 1
    return start  # pragma: no cover - _deepest said this chunk goes past the limit


# -- repeated keys ---------------------------------------------------------------------------

_encode_into = msgspec.json.Encoder().encode_into
_LIST_SLICE = 2048


DECODE_ERRORS = (msgspec.DecodeError, RecursionError, UnicodeDecodeError)
"""What msgspec raises on text it does not take (invalid JSON or UTF-8, a value of the wrong
type, nesting beyond the interpreter's recursion limit)."""

_encode = msgspec.json.Encoder().encode


def colons_of_struct(value: msgspec.Struct) -> int:
    """Colons in a Struct of the fast paths written out as compact JSON (members at their
    default omitted): `colons_as_read` for one element, in one C call."""
    return _encode(value).count(b":")


def colons_as_written(raw: bytes) -> int | None:
    """Colons in the JSON text; None where an escaped colon may make the count differ from
    the decoded value's for a reason other than a dropped key."""
    if b"\\" in raw and (b"\\u003a" in raw or b"\\u003A" in raw):
        return None
    return raw.count(b":")


def colons_as_read(value: Any) -> int | None:
    """Colons in `value` written out as compact JSON (a Struct without its members at their
    default), or None if it cannot be written. Top-level arrays are written a slice at a
    time, so the extra memory is small."""
    buf = bytearray()
    try:
        if isinstance(value, msgspec.Struct):
            members = [
                (name, member)
                for field, name in zip(
                    value.__struct_fields__, value.__struct_encode_fields__, strict=True
                )
                if (member := getattr(value, field)) is not None and member is not msgspec.UNSET
            ]
        elif isinstance(value, dict):
            members = list(value.items())
        else:
            return _colons(value, buf)
        return sum(name.count(":") + 1 + _colons(member, buf) for name, member in members)
    except (msgspec.EncodeError, OverflowError, TypeError, ValueError, UnicodeError):
        return None


def _colons(value: Any, buf: bytearray) -> int:
    if value.__class__ is list and len(value) > _LIST_SLICE:
        total = 0
        for i in range(0, len(value), _LIST_SLICE):
            _encode_into(value[i : i + _LIST_SLICE], buf)
            total += buf.count(b":")
        return total
    _encode_into(value, buf)
    return buf.count(b":")


class _Repeat:
    """Bottom-up trace of the first repeated key: the path to it, innermost last."""

    __slots__ = ("path",)

    def __init__(self, path: list[str | int]) -> None:
        self.path = path


def _trace(value: Any) -> list[str | int] | None:
    if value.__class__ is _Repeat:
        path: list[str | int] = value.path
        return path
    if value.__class__ is list:
        for i, item in enumerate(value):
            if item is not None and (inner := _trace(item)) is not None:
                return [i, *inner]
    return None


def _pairs_hook(pairs: list[tuple[str, Any]]) -> _Repeat | None:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            return _Repeat([key])
        seen.add(key)
    for key, value in pairs:
        if value is not None and (inner := _trace(value)) is not None:
            return _Repeat([key, *inner])
    # NOTE: nothing of an object without a repeat is kept: memory stays small.
    return None


def refuse_duplicate_keys(text: bytes | str, ctx: ReadContext) -> None:
    """Raise `IngestError` naming the first repeated key in `text` (valid JSON, nested no
    deeper than `MAX_JSON_DEPTH`) and the path to it; return if no object repeats a key."""
    import json  # NOTE: loaded only when the colons say a key may repeat

    try:
        found = _trace(json.loads(text, object_pairs_hook=_pairs_hook))
    except ValueError as e:
        raise IngestError(f"invalid JSON: {e}", source=ctx.key) from None
    if found is None:
        return
    *parents, key = found
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parents).lstrip(".")
    raise IngestError(
        f"key {key!r} appears twice in one object; JSON readers disagree on which value "
        "counts, so sbomcheck refuses the document rather than guess",
        source=ctx.key,
        location=f"{where}.{key}" if where else str(key),
    )
