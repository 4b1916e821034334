"""The checks sbomcheck makes on JSON text itself: one nesting limit, and no repeated key."""

from __future__ import annotations

import json
import random

import pytest

import sbomcheck.ingest._json_checks as checks
from sbomcheck.errors import IngestError, LimitError
from sbomcheck.ingest import load_bytes
from sbomcheck.ingest._context import ReadContext
from sbomcheck.ingest._json_checks import (
    MAX_JSON_DEPTH,
    check_json_depth,
    colons_as_read,
    colons_as_written,
    refuse_duplicate_keys,
)

CDX_HEAD = b'{"bomFormat": "CycloneDX", "specVersion": "1.6", '
SPDX_HEAD = b'{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", '


def _ctx() -> ReadContext:
    return ReadContext(key="doc.json", path="doc.json", sha256="", gzip=False)


def _naive_first_too_deep(raw: bytes, limit: int) -> int | None:
    depth, in_string, escaped = 0, False, False
    for i, b in enumerate(raw):
        if in_string:
            if escaped:
                escaped = False
            elif b == 0x5C:
                escaped = True
            elif b == 0x22:
                in_string = False
        elif b == 0x22:
            in_string = True
        elif b in b"[{":
            depth += 1
            if depth > limit:
                return i
        elif b in b"]}":
            depth -= 1
    return None


# -- nesting -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "tail"),
    [
        (b"", b""),
        (CDX_HEAD + b'"components": ', b"}"),
        (CDX_HEAD + b'"metadata": {"x": ', b"}}"),
        (SPDX_HEAD + b'"annotations": ', b"}"),
        (b'{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": ', b"}"),
    ],
)
def test_one_nesting_limit_whatever_the_reader(head: bytes, tail: bytes) -> None:
    outer = head.count(b"{") + head.count(b"[")
    inner = MAX_JSON_DEPTH - outer
    at_limit = head + b"[" * inner + b"]" * inner + tail
    try:
        load_bytes(at_limit, key="doc.json")
    except LimitError:  # pragma: no cover - the assertion below says what went wrong
        pytest.fail("a document at the limit is refused")
    except IngestError:
        pass  # not an SBOM, or a wrong type: but not refused for its depth
    beyond = head + b"[" * (inner + 1) + b"]" * (inner + 1) + tail
    with pytest.raises(LimitError) as caught:
        load_bytes(beyond, key="doc.json")
    assert caught.value.message == (
        f"JSON nests deeper than {MAX_JSON_DEPTH} levels, beyond what sbomcheck reads"
    )
    assert caught.value.location == f"line 1 column {len(head) + inner + 1}"


def test_brackets_in_strings_and_escapes_do_not_count() -> None:
    text = json.dumps({"a": ["[[[[", "\\[", '"[', "]]]]" * 300, {"b": "{" * 500}]}).encode()
    check_json_depth(text, _ctx())  # would raise
    with pytest.raises(LimitError, match="line 3 column 4"):
        check_json_depth(b'{"x": "]]]\\"]",\n\n [' + b"[" * 3 + b"]]]]}", _ctx(), limit=3)


def test_depth_check_agrees_with_a_byte_by_byte_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    # Random documents with brackets, quotes and backslashes in strings, cut into chunks of
    # every size (a chunk may end inside a string or an escape).
    pieces = ["[", "]", "{", "}", '"', "\\", "a", ":", '\\"', "\\\\"]
    rng = random.Random(7)

    def value(depth: int) -> object:
        roll = rng.random()
        if depth > 30 or roll < 0.3:
            return "".join(rng.choice(pieces) for _ in range(rng.randint(0, 5)))
        if roll < 0.65:
            return [value(depth + 1) for _ in range(rng.randint(0, 3))]
        return {rng.choice(pieces) * 2: value(depth + 1) for _ in range(rng.randint(0, 3))}

    for _ in range(300):
        doc = value(0)
        for _ in range(rng.randint(0, 40)):
            doc = [doc]
        raw = json.dumps(doc, ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 1]))
        data = raw.encode()
        monkeypatch.setattr(checks, "_DEPTH_CHUNK", rng.choice([1, 2, 3, 7, 64, 1 << 20]))
        for limit in (1, 3, 8, 20, 40):
            assert checks._first_too_deep(data, limit) == _naive_first_too_deep(data, limit)


def test_depth_is_checked_on_utf16_text_too() -> None:
    deep = CDX_HEAD + b'"x": ' + b"[" * 300 + b"]" * 300 + b"}"
    with pytest.raises(LimitError):
        load_bytes("\ufeff".encode("utf-16-le") + deep.decode().encode("utf-16-le"), key="u.json")


# -- repeated keys -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "location"),
    [
        (CDX_HEAD + b'"components": [{"name": "a"}], "components": []}', "components"),
        (
            CDX_HEAD + b'"components": [{"name": "kaspersky", "version": "1", "name": "x"}]}',
            "components[0].name",
        ),
        (
            CDX_HEAD + b'"components": [{"name": "a", "components": [{"name": "b", '
            b'"supplier": {"name": "K", "name": "L"}}]}]}',
            "components[0].components[0].supplier.name",
        ),
        (CDX_HEAD + b'"metadata": {"tools": [{"x": [1, {"a": 1, "a": 1}]}]}}', None),
        (CDX_HEAD + b'"vulnerabilities": [{"id": "1", "id": "2"}]}', "vulnerabilities[0].id"),
        (
            CDX_HEAD + b'"dependencies": [{"ref": "a", "dependsOn": [], "dependsOn": ["b"]}]}',
            "dependencies[0].dependsOn",
        ),
        (SPDX_HEAD + b'"packages": [], "packages": []}', "packages"),
        (
            SPDX_HEAD + b'"packages": [{"SPDXID": "SPDXRef-a", "name": "a", "externalRefs": '
            b'[{"referenceLocator": "x", "referenceLocator": "y"}]}]}',
            "packages[0].externalRefs[0].referenceLocator",
        ),
        (
            b'{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": '
            b'[{"type": "software_Package", "name": "a", "name": "b"}]}',
            "@graph[0].name",
        ),
        # The same key written with an escape is the same key.
        (CDX_HEAD + b'"comp\\u006fnents": [], "components": []}', "components"),
        # An escaped colon makes the quick count inconclusive: the exact check decides.
        (CDX_HEAD + b'"x": "\\u003a", "components": [], "components": []}', "components"),
        # The repeated value is the same: still refused (no exception for "harmless").
        (CDX_HEAD + b'"specVersion": "1.6"}', "specVersion"),
    ],
)
def test_a_repeated_key_is_refused_at_any_depth(text: bytes, location: str | None) -> None:
    with pytest.raises(IngestError) as caught:
        load_bytes(text, key="doc.json")
    error = caught.value
    assert "appears twice in one object" in error.message
    if location is not None:
        assert error.location == location
    assert str(error).startswith("doc.json: ")


def test_no_false_alarm_on_escapes_nulls_and_colons_in_strings() -> None:
    text = (
        CDX_HEAD + b'"serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", '
        b'"components": [{"name": "a\\u003ab", "purl": "pkg:npm/a@1", "description": null, '
        b'"version": "\\"1:2\\""}, {"name": "x:y:z", "cpe": "cpe:2.3:a:x:y:1:*:*:*:*:*:*:*"}]}'
    )
    doc = load_bytes(text, key="doc.json")
    assert [c.name for c in doc.components] == ["a:b", "x:y:z"]


def test_counts_agree_exactly_when_no_key_repeats() -> None:
    value = {"a:b": ["x:", {"c": None, "d": [1.5, True]}], "e": list(range(5000))}
    raw = json.dumps(value).encode()
    assert colons_as_written(raw) == colons_as_read(value) == 6
    assert colons_as_written(b'{"a": "\\u003a"}') is None
    refuse_duplicate_keys(raw, _ctx())  # returns: nothing repeated


def test_the_typed_fast_paths_refuse_a_repeated_key_like_the_general_reader() -> None:
    # The Structs keep the last value of a repeated member: the count sends the document
    # to the general path, whose error is the one given.
    for text in (
        CDX_HEAD + b'"components": [{"bom-ref": "a", "name": "k", "name": "x"}]}',
        SPDX_HEAD + b'"packages": [{"SPDXID": "SPDXRef-a", "name": "k", "name": "x"}]}',
    ):
        with pytest.raises(IngestError, match="key 'name' appears twice"):
            load_bytes(text, key="doc.json")
