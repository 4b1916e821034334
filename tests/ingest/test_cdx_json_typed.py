"""The typed fast path for CycloneDX JSON gives exactly what the general reader gives.

The general reader (dicts, `cyclonedx_json`) is the authority; the fast path (msgspec
Structs, `_cdx_json_typed`) must return an equal Document, warnings included, or decline and
leave the input to the general reader. Compared on every CycloneDX JSON file at hand and on
generated documents full of irregular values.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings

import sbomcheck.ingest._cdx_json_lazy as typed
from sbomcheck.model import Document
from tests.ingest._fast_paths import DELETE, both_paths, dumps, edits

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"


def _cyclonedx_json_files() -> list[Path]:
    roots = [ROOT / "tests", ROOT / "samples", CORPUS]
    return [
        path
        for root in roots
        if root.is_dir()
        for path in sorted(root.rglob("*.json"))
        if b'"bomFormat"' in path.read_bytes()[:4096]
    ]


_FILES = _cyclonedx_json_files()


def _both(data: bytes, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object, bool]:
    """(fast result, general result, whether the fast path read the input)."""
    return both_paths(data, monkeypatch, typed.FAST_PATH)


@pytest.mark.parametrize("path", _FILES, ids=[p.name for p in _FILES])
def test_fast_path_equals_general_reader_on_real_files(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, general, _ = _both(path.read_bytes(), monkeypatch)
    assert fast == general


def test_fast_path_takes_the_regular_files(monkeypatch: pytest.MonkeyPatch) -> None:
    # Guards the comparison above against a fast path that declines everything.
    taken = [p for p in _FILES if _both(p.read_bytes(), monkeypatch)[2]]
    assert len(taken) >= 0.6 * len(_FILES)
    sample = ROOT / "samples" / "direct-dependency.cdx.json"
    if sample.exists():
        assert sample in taken


def _base() -> dict[str, Any]:
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
        "version": 1,
        "metadata": {
            "timestamp": "2024-05-01T10:00:00Z",
            "component": {"bom-ref": "root", "name": "product", "type": "application"},
        },
        "components": [
            {
                "bom-ref": "a",
                "name": "liba",
                "version": "1.0",
                "purl": "pkg:npm/liba@1.0",
                "hashes": [{"alg": "SHA-256", "content": "AB" * 32}],
                "supplier": {"name": "ACME", "url": ["https://acme.example"]},
                "licenses": [{"license": {"id": "MIT"}}, {"expression": "MIT OR Apache-2.0"}],
                "externalReferences": [{"type": "website", "url": "https://acme.example/a"}],
                "properties": [{"name": "p", "value": "v"}],
                "components": [{"bom-ref": "a1", "name": "inner"}],
            },
            {"bom-ref": "b", "name": "libb", "author": "Jan <jan@example.org>"},
        ],
        "dependencies": [
            {"ref": "root", "dependsOn": ["a", "b"]},
            {"ref": "a", "dependsOn": ["b"]},
        ],
    }


def test_base_document_takes_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    fast, general, taken = _both(orjson.dumps(_base()), monkeypatch)
    assert taken and isinstance(fast, Document) and fast == general
    assert [c.ref for c in fast.components] == ["root", "a", "a1", "b"]


# Irregular values: each is placed at one member of one component or dependency.
_ODD_VALUES: list[object] = [None, "", 0, 1.5, True, [], {}, [None], [""], ["x"], [{}], 2**70, "x"]
_MEMBERS = {
    "component": [
        "bom-ref", "name", "version", "group", "type", "purl", "description", "publisher",
        "copyright", "scope", "cpe", "author", "swid", "hashes", "supplier", "manufacturer",
        "authors", "licenses", "externalReferences", "properties", "components", "pedigree",
        "evidence",
    ],
    "hash": ["alg", "content"],
    "supplier": ["name", "url", "contact"],
    "license": ["license", "expression"],
    "license.license": ["id", "name"],
    "externalReference": ["type", "url", "comment", "hashes"],
    "property": ["name", "value"],
    "dependency": ["ref", "dependsOn", "provides"],
    "top": ["version", "specVersion", "metadata", "components", "dependencies", "services"],
}  # fmt: skip


_TARGETS: dict[str, tuple[str | int, ...]] = {
    "component": ("components", 0),
    "hash": ("components", 0, "hashes", 0),
    "supplier": ("components", 0, "supplier"),
    "license": ("components", 0, "licenses", 0),
    "license.license": ("components", 0, "licenses", 0, "license"),
    "externalReference": ("components", 0, "externalReferences", 0),
    "property": ("components", 0, "properties", 0),
    "dependency": ("dependencies", 1),
    "top": (),
}


def _place(doc: dict[str, Any], where: str, member: str, value: object) -> None:
    target: Any = doc
    for step in _TARGETS[where]:
        try:
            target = target[step]
        except (KeyError, IndexError, TypeError):
            return  # an earlier edit removed or replaced the place: nothing to edit
    if not isinstance(target, dict):
        return
    if value is DELETE:
        target.pop(member, None)
    else:
        # NOTE: a copy, so a later edit inside it cannot change _ODD_VALUES.
        target[member] = copy.deepcopy(value)


_EDITS = edits(_MEMBERS, [DELETE, *_ODD_VALUES], max_size=3)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=_EDITS)
def test_irregular_values_read_the_same_both_ways(
    changes: list[tuple[str, str, object]], monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = copy.deepcopy(_base())
    for where, member, value in changes:
        try:
            _place(doc, where, member, value)
        except (KeyError, IndexError, TypeError):
            return  # an earlier edit removed the place of this one
    fast, general, _ = _both(dumps(doc), monkeypatch)
    assert fast == general


@pytest.mark.parametrize(
    "text",
    [
        # Duplicate members: the last one counts, as with dicts.
        b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": '
        b'[{"bom-ref": "x", "name": "a", "name": "b"}], "components": [{"name": "c"}]}',
        # Integers beyond 64 bits: orjson (the reference) reads them as floats.
        b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 18446744073709551616}',
        b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 18446744073709551615}',
        # Not CycloneDX after all, or not of the regular shape.
        b'{"bomFormat": "SPDX", "specVersion": "1.5", "components": []}',
        b'{"bomFormat": "CycloneDX", "components": []}',
        b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [null]}',
        b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "dependencies": [{"ref": "a", '
        b'"dependsOn": ["urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#x"]}, {"dependsOn": []}]}',
        b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{"name": "a", '
        b'"licenses": [{"license": {"id": ""}}, {"license": {"name": "X"}}, {}]}]}',
        b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{"name": "a", '
        b'"licenses": [{"license": {"id": "", "name": ""}}, {"expression": ""}]}]}',
        b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{"name": "\\ud800"}]}',
        # Members the reader does not use are still decoded and checked, never skipped.
        b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "x": 1e999}',
        b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "properties": [1e999]}',
        b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "x": "\xff"}',
        b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "vulnerabilities": ["\xff"]}',
        b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{"name": "\xff"}]}',
        b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{"name": "a", '
        b'"data": [1e999]}]}',
        b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{"name": "a", '
        b'"x-vendor": 1}], "$schema": "http://cyclonedx.org/schema/bom-1.5.schema.json"}',
        b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{"name": "a"}]',
    ],
)
def test_edge_cases_read_the_same_both_ways(text: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, general, _ = _both(text, monkeypatch)
    assert fast == general


@pytest.mark.parametrize("depth", [1000, 1021, 1022, 1023, 1024, 1025, 1100])
@pytest.mark.parametrize(
    ("before", "after"),
    [(b'"x": ', b""), (b'"metadata": {"x": ', b"}"), (b'"components": [{"pedigree": ', b"}]")],
)
def test_nesting_limit_is_the_same_both_ways(
    depth: int, before: bytes, after: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Members the Structs skip are still parsed, with the same depth limit.
    text = (
        b'{"bomFormat": "CycloneDX", "specVersion": "1.5", '
        + before
        + b"[" * depth
        + b"]" * depth
        + after
        + b"}"
    )
    fast, general, _ = _both(text, monkeypatch)
    assert fast == general
