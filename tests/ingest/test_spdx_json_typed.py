"""The typed fast path for SPDX 2 JSON gives exactly what the general reader gives.

The general reader (dicts, `_spdx_common.Spdx2Builder`) is the authority; the fast path
(msgspec Structs, `_spdx_json_typed`) must return an equal Document, warnings included and in
the same order, or raise the same error, or decline and leave the input to the general
reader. Compared on every SPDX JSON file at hand and on generated documents full of
irregular values.
"""

from __future__ import annotations

import copy
import gzip
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings

import sbomcheck.ingest._spdx_json_lazy as typed
from sbomcheck.model import Document, Format
from tests.conftest import require_corpus
from tests.ingest._fast_paths import DELETE, both_paths, dumps, edits

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"


def _content(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def _spdx_json_files() -> list[Path]:
    """Every JSON file at hand that names itself SPDX 2 (corpus, invalid/ included)."""
    roots = [ROOT / "tests", ROOT / "samples", CORPUS]
    found = []
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if not path.is_file() or path.suffix in (".py", ".md", ".csv", ".yaml", ".yml"):
                continue
            data = _content(path)
            if data.lstrip()[:1] == b"{" and b'"spdxVersion"' in data:
                found.append(path)
    return found


_FILES = _spdx_json_files()


def _both(data: bytes, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object, bool]:
    """(fast result, general result, whether the fast path read the input)."""
    return both_paths(data, monkeypatch, typed.FAST_PATH, "doc.spdx.json")


def test_the_corpus_is_at_hand() -> None:
    # Guards the comparisons below against a corpus that went missing (where it is present).
    require_corpus()
    assert len(_FILES) >= 30
    assert any("invalid" in p.parts for p in _FILES)


@pytest.mark.parametrize("path", _FILES, ids=[str(p.relative_to(p.parents[1])) for p in _FILES])
def test_fast_path_equals_general_reader_on_real_files(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, general, _ = _both(path.read_bytes(), monkeypatch)
    assert fast == general


def test_fast_path_takes_the_regular_files(monkeypatch: pytest.MonkeyPatch) -> None:
    # Guards the comparison above against a fast path that declines everything: most files
    # must really be read by it through `load_bytes`, the samples among them.
    taken = [p for p in _FILES if _both(p.read_bytes(), monkeypatch)[2]]
    assert len(taken) >= 0.8 * len(_FILES)
    for name in ("sdk-three-levels.spdx.json", "full.spdx.json", "cycle.spdx.json"):
        assert any(p.name == name for p in taken), name


def test_the_hint_comes_from_the_content(monkeypatch: pytest.MonkeyPatch) -> None:
    # Members sorted by name put spdxVersion last; an SPDXID near the start still lets the
    # fast path try. Neither marker: the general reader alone.
    doc = {**_base(), "comment": "x" * 5000}
    sorted_doc = orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)
    assert sorted_doc.find(b'"spdxVersion"') > 4096
    assert _both(sorted_doc, monkeypatch)[2]
    bare = orjson.dumps({"spdxVersion": "SPDX-2.3", "name": "x"})
    assert _both(bare, monkeypatch)[2]
    hidden = orjson.dumps({"comment": "x" * 5000, "spdxVersion": "SPDX-2.3", "name": "x"})
    fast, general, taken = _both(hidden, monkeypatch)
    assert not taken and fast == general


def _base() -> dict[str, Any]:
    packages: list[dict[str, Any]] = [
        {
            "SPDXID": "SPDXRef-product",
            "name": "product",
            "versionInfo": "2.0",
            "supplier": "Organization: ACME (ops@acme.example)",
            "downloadLocation": "NOASSERTION",
            "filesAnalyzed": True,
            "licenseConcluded": "NOASSERTION",
            "copyrightText": "NOASSERTION",
            "primaryPackagePurpose": "APPLICATION",
            "hasFiles": ["SPDXRef-file-a"],
        },
        {
            "SPDXID": "SPDXRef-lib",
            "name": "lib",
            "versionInfo": "1.0",
            "supplier": "ACME",
            "originator": "Person: Jan (jan@example.org)",
            "downloadLocation": "https://acme.example/lib.tgz",
            "homepage": "https://acme.example",
            "filesAnalyzed": False,
            "checksums": [
                {"algorithm": "SHA256", "checksumValue": " AB" + "cd" * 31 + " "},
                {"algorithm": "BLAKE2b-384", "checksumValue": "00"},
            ],
            "licenseConcluded": "MIT",
            "licenseDeclared": "MIT OR Apache-2.0",
            "licenseInfoFromFiles": ["MIT", "NOASSERTION", "BSD-3-Clause"],
            "copyrightText": "Copyright ACME",
            "summary": "a library",
            "externalRefs": [
                {
                    "referenceCategory": "PACKAGE-MANAGER",
                    "referenceType": "purl",
                    "referenceLocator": "pkg:npm/lib@1.0",
                },
                {
                    "referenceCategory": "SECURITY",
                    "referenceType": "cpe23Type",
                    "referenceLocator": "cpe:2.3:a:acme:lib:1.0:*:*:*:*:*:*:*",
                    "comment": "from NVD",
                },
                {
                    "referenceCategory": "OTHER",
                    "referenceType": "http://spdx.org/rdf/references/swid",
                    "referenceLocator": "swid-1",
                },
            ],
            "releaseDate": "2024-01-01T00:00:00Z",
            "builtDate": "2024-01-02",
            "annotations": [
                {
                    "annotationDate": "2024-01-01T00:00:00Z",
                    "annotationType": "REVIEW",
                    "annotator": "Person: Jan",
                    "comment": "ok",
                }
            ],
            "packageVerificationCode": {"packageVerificationCodeValue": "abc"},
        },
        {"SPDXID": "SPDXRef-other", "name": "other", "supplier": "ACME"},
    ]
    return {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "product-sbom",
        "documentNamespace": "https://acme.example/spdx/product",
        "creationInfo": {
            "created": "2024-05-01T10:00:00Z",
            "creators": ["Tool: gen-1.0", "Organization: ACME"],
        },
        "externalDocumentRefs": [
            {
                "externalDocumentId": "DocumentRef-x",
                "spdxDocument": "https://acme.example/x",
                "checksum": {"algorithm": "SHA1", "checksumValue": "AA"},
            }
        ],
        "documentDescribes": ["SPDXRef-product"],
        "packages": packages,
        "files": [
            {
                "SPDXID": "SPDXRef-file-a",
                "fileName": "./a.c",
                "checksums": [{"algorithm": "SHA1", "checksumValue": "ff"}],
                "licenseConcluded": "MIT",
                "licenseInfoInFiles": ["MIT", "GPL-2.0-only", "NONE"],
                "copyrightText": "NONE",
                "comment": "source",
                "fileTypes": ["SOURCE"],
            },
            {"SPDXID": "SPDXRef-file-b", "fileName": "./b.c"},
        ],
        "snippets": [{"SPDXID": "SPDXRef-snippet", "snippetFromFile": "SPDXRef-file-a"}],
        "relationships": [
            {
                "spdxElementId": "SPDXRef-DOCUMENT",
                "relationshipType": "DESCRIBES",
                "relatedSpdxElement": "SPDXRef-product",
            },
            {
                "spdxElementId": "SPDXRef-product",
                "relationshipType": "DEPENDS_ON",
                "relatedSpdxElement": " SPDXRef-lib ",
                "comment": "runtime",
            },
            {
                "spdxElementId": "SPDXRef-lib",
                "relationshipType": "CONTAINS",
                "relatedSpdxElement": "SPDXRef-file-b",
            },
            {
                "spdxElementId": "SPDXRef-other",
                "relationshipType": "dependsOn",
                "relatedSpdxElement": "SPDXRef-snippet",
            },
        ],
    }


def test_base_document_takes_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    fast, general, taken = _both(orjson.dumps(_base()), monkeypatch)
    assert taken and isinstance(fast, Document) and fast == general
    assert fast.format is Format.SPDX_JSON
    assert [c.ref for c in fast.components] == ["SPDXRef-product", "SPDXRef-lib", "SPDXRef-other"]
    assert [(w.code, w.location) for w in fast.warnings] == [
        ("unknown-relationship", "relationships[3]"),
        ("lenient-value", "packages[1].supplier"),
        ("lenient-value", "packages[1].builtDate"),
    ]
    assert [(c.ref, [f.ref for f in c.files]) for c in fast.components] == [
        ("SPDXRef-product", ["SPDXRef-file-a"]),
        ("SPDXRef-lib", ["SPDXRef-file-b"]),
        ("SPDXRef-other", []),
    ]


# Irregular values, each placed at one member of one element (or removed, or added as a
# member the specification does not have).
_ODD_VALUES: list[object] = [
    None, "", " ", 0, 1.5, True, [], {}, [None], [""], ["x"], [{}], [1], {"x": None},
    2**70, -(2**64), 10**400, "x", "NOASSERTION", "NONE", "pkg:npm/x@1", "Person: Jan",
    "Organization:", "Tool: t", "SHA1", "sha-256", "2024-01-01", "purl", "cpe22Type", "swid",
    "DESCRIBES", "CONTAINS", "described_by", "OTHER_TYPE", "SPDXRef-DOCUMENT", "SPDXRef-lib",
    "SPDXRef-file-a", "DocumentRef-x:SPDXRef-y", "\u00e9", [[[[["deep"]]]]],
]  # fmt: skip
_PACKAGE = [
    "SPDXID", "name", "versionInfo", "supplier", "originator", "copyrightText",
    "licenseConcluded", "licenseDeclared", "licenseInfoFromFiles", "description", "summary",
    "checksums", "externalRefs", "downloadLocation", "homepage", "primaryPackagePurpose",
    "releaseDate", "builtDate", "validUntilDate", "hasFiles", "filesAnalyzed", "comment",
    "licenseComments", "sourceInfo", "packageFileName", "attributionTexts", "annotations",
    "packageVerificationCode", "packageSupplier",
]  # fmt: skip
_MEMBERS = {
    "package": _PACKAGE,
    "package0": _PACKAGE,
    "checksum": ["algorithm", "checksumValue", "extra"],
    "externalRef": [
        "referenceCategory", "referenceType", "referenceLocator", "comment", "extra",
    ],
    "annotation": ["annotationDate", "annotationType", "annotator", "comment", "extra"],
    "file": [
        "SPDXID", "fileName", "copyrightText", "licenseConcluded", "licenseInfoInFiles",
        "checksums", "comment", "fileTypes", "fileContributors", "noticeText", "artifactOfs",
        "extra",
    ],
    "relationship": [
        "spdxElementId", "relationshipType", "relatedSpdxElement", "comment", "extra",
    ],
    "creationInfo": ["created", "creators", "comment", "licenseListVersion"],
    "top": [
        "spdxVersion", "SPDXID", "name", "documentNamespace", "creationInfo",
        "externalDocumentRefs", "documentDescribes", "packages", "files", "snippets",
        "relationships", "dataLicense", "comment", "annotations", "hasExtractedLicensingInfos",
        "bomFormat", "@context", "extra",
    ],
}  # fmt: skip


# Members whose value is not a string (lists, objects, booleans), or that contain the places
# of other edits.
_NOT_STRINGS = frozenset(
    [
        "licenseInfoFromFiles", "checksums", "externalRefs", "hasFiles", "filesAnalyzed",
        "attributionTexts", "annotations", "packageVerificationCode", "licenseInfoInFiles",
        "fileTypes", "fileContributors", "artifactOfs", "creators", "creationInfo",
        "externalDocumentRefs", "documentDescribes", "packages", "files", "snippets",
        "relationships", "hasExtractedLicensingInfos",
    ]
)  # fmt: skip


def _place(doc: dict[str, Any], where: str, member: str, value: object) -> None:
    lib = doc["packages"][1]
    target: dict[str, Any] = {
        "package": lib,
        "package0": doc["packages"][0],
        "checksum": lib["checksums"][0],
        "externalRef": lib["externalRefs"][0],
        "annotation": lib["annotations"][0],
        "file": doc["files"][0],
        "relationship": doc["relationships"][1],
        "creationInfo": doc["creationInfo"],
        "top": doc,
    }[where]
    if value is DELETE:
        target.pop(member, None)
    else:
        target[member] = value


_EDITS = edits(_MEMBERS, [DELETE, *_ODD_VALUES], max_size=4)


@settings(
    max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=_EDITS)
def test_irregular_values_read_the_same_both_ways(
    changes: list[tuple[str, str, object]], monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = copy.deepcopy(_base())
    for where, member, value in changes:
        try:
            _place(doc, where, member, value if value is DELETE else copy.deepcopy(value))
        except (KeyError, IndexError, TypeError, AttributeError):
            return  # an earlier edit removed or replaced the place of this one
    fast, general, _ = _both(dumps(doc), monkeypatch)
    assert fast == general


# Values of the right JSON type that are still irregular: most of these documents are read by
# the fast path itself, so its own warnings and errors are compared, not only its declining.
_STRINGS: list[object] = [
    DELETE, None, "", " ", "x", " x ", "NOASSERTION", "NONE", "pkg:npm/x@1", "npm/x",
    "Person: Jan (jan@example.org)", "Organization:", "ACME", "Tool: t", "SHA1", "sha-256",
    "2024-01-01", "2024-01-01T00:00:00Z", "purl", "cpe22Type", "swid", "DESCRIBES",
    "DESCRIBED_BY", "CONTAINS", "contains", "OTHER_TYPE", "SPDXRef-DOCUMENT", "SPDXRef-lib",
    "SPDXRef-product", "SPDXRef-file-a", "SPDXRef-snippet", "DocumentRef-x:SPDXRef-y",
    "SECURITY", "PACKAGE_MANAGER", "LIBRARY", "MIT", "\u00e9",
]  # fmt: skip
_STRING_MEMBERS = {
    where: [m for m in members if m not in _NOT_STRINGS] for where, members in _MEMBERS.items()
}
_STRING_EDITS = edits(_STRING_MEMBERS, _STRINGS, max_size=6)


@pytest.mark.slow
@settings(
    max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=_STRING_EDITS)
def test_irregular_strings_read_the_same_both_ways(
    changes: list[tuple[str, str, object]], monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = copy.deepcopy(_base())
    for where, member, value in changes:
        _place(doc, where, member, value)
    fast, general, _ = _both(dumps(doc), monkeypatch)
    assert fast == general


@pytest.mark.slow
def test_every_single_edit_reads_the_same_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every value at every place, one at a time (about 8,000 documents, a few seconds): the
    # property tests above combine edits but sample them; this leaves no single one out.
    values = list({repr(v): v for v in [*_ODD_VALUES, *_STRINGS]}.values())
    differ = []
    taken = 0
    for where, members in _MEMBERS.items():
        for member in members:
            for value in values:
                doc = _base()
                _place(doc, where, member, value if value is DELETE else copy.deepcopy(value))
                fast, general, took = _both(dumps(doc), monkeypatch)
                taken += took
                if fast != general:
                    differ.append((where, member, value))
    assert differ == []
    assert taken >= 3000


def test_the_generated_documents_mostly_take_the_fast_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Guards the property test above: a value that is only irregular, not of a wrong type,
    # is read by the fast path itself.
    for where, member, value in [
        ("package", "SPDXID", ""),
        ("package", "name", DELETE),
        ("package", "supplier", "ACME"),
        ("package0", "supplier", "Organization:"),
        ("externalRef", "referenceLocator", "npm/x"),
        ("externalRef", "referenceType", DELETE),
        ("package", "releaseDate", "2024-01-01"),
        ("file", "SPDXID", DELETE),
        ("file", "fileName", DELETE),
        ("file", "licenseInfoInFiles", [None, "NOASSERTION"]),
        ("relationship", "relationshipType", "OTHER_TYPE"),
        ("relationship", "relatedSpdxElement", "SPDXRef-lib"),
        ("relationship", "relationshipType", ""),
        ("top", "snippets", 5),
        ("creationInfo", "created", "yesterday"),
    ]:
        doc = _base()
        _place(doc, where, member, value)
        fast, general, taken = _both(dumps(doc), monkeypatch)
        assert taken, (where, member, value)
        assert fast == general


def test_an_explicit_null_member_goes_to_the_general_reader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A Struct cannot tell `"name": null` from no name, so the count of keys that rules out
    # a repeated key (ingest/_json.py) does not add up: the general reader decides.
    for where, member in [("package", "name"), ("file", "fileName"), ("top", "spdxVersion")]:
        doc = _base()
        _place(doc, where, member, None)
        fast, general, taken = _both(dumps(doc), monkeypatch)
        assert not taken, (where, member)
        assert fast == general


_HEAD = b'{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", '


@pytest.mark.parametrize(
    "text",
    [
        # Duplicate members: the last one counts, as with dicts.
        _HEAD + b'"packages": [{"SPDXID": "a", "name": "x", "name": "y"}], "packages": []}',
        _HEAD + b'"packages": [{"SPDXID": "a", "name": 5, "name": "y"}]}',
        # Integers beyond 64 bits: orjson (the general reader's parser when the text may
        # hold long integers) reads them as floats, or rejects them beyond a double.
        _HEAD + b'"comment": 18446744073709551616}',
        _HEAD + b'"comment": 18446744073709551615}',
        _HEAD + b'"creationInfo": {"x": [' + b"9" * 400 + b"]}}",
        _HEAD + b'"packages": [{"SPDXID": "a", "packageFileName": ' + b"9" * 400 + b"}]}",
        _HEAD + b'"extra": ' + b"9" * 400 + b"}",
        # Numbers beyond a double, and invalid UTF-8, where the fast path would not read.
        _HEAD + b'"extra": 1e999}',
        _HEAD + b'"packages": [{"SPDXID": "a", "extra": 1e999}]}',
        _HEAD + b'"packages": [{"SPDXID": "a", "extra": "\xff"}]}',
        _HEAD + b'"packages": [{"SPDXID": "a", "\xff": 1}]}',
        _HEAD + b'"annotations": ["\xed\xa0\x80"]}',
        _HEAD + b'"packages": [{"SPDXID": "\\ud800"}]}',
        # Deep nesting where the fast path keeps plain values.
        _HEAD + b'"comment": ' + b"[" * 600 + b"]" * 600 + b"}",
        _HEAD + b'"comment": ' + b"[" * 1100 + b"]" * 1100 + b"}",
        _HEAD + b'"comment": ' + b"[" * 600 + b"1" * 20 + b"]" * 600 + b"}",
        # Not SPDX 2 after all, or not of the regular shape.
        b'{"SPDXID": "SPDXRef-DOCUMENT", "name": "x"}',
        b'{"spdxVersion": "SPDX-2.3", "bomFormat": "CycloneDX", "specVersion": "1.5"}',
        b'{"spdxVersion": null, "packages": []}',
        b'{"spdxVersion": 2.3}',
        b'["spdxVersion", "SPDXID"]',
        _HEAD + b'"packages": [null]}',
        _HEAD + b'"packages": {}}',
        _HEAD + b'"packages": [{"checksums": {}}, {"checksums": ""}, {"externalRefs": 0}]}',
        _HEAD + b'"packages": [{"checksums": [{"algorithm": "", "checksumValue": ""}]}]}',
        _HEAD + b'"packages": [{"checksums": [{"algorithm": "SHA1"}]}]}',
        _HEAD + b'"packages": [{"externalRefs": [{"referenceType": "purl"}]}]}',
        _HEAD + b'"packages": [{"description": "d", "summary": 5}]}',
        _HEAD + b'"packages": [{"hasFiles": [null]}], "files": [{"licenseInfoInFiles": ""}]}',
        _HEAD + b'"relationships": [{"spdxElementId": "a", "relatedSpdxElement": ""}]}',
        _HEAD + b'"relationships": [{"relationshipType": "DESCRIBES"}, 5]}',
        _HEAD + b'"snippets": [5], "relationships": [{"relationshipType": "DESCRIBES"}]}',
        _HEAD + b'"packages": [{"SPDXID": "a"}]',
        _HEAD + b'"packages": [{"SPDXID": "a"}]} x',
    ],
)
def test_edge_cases_read_the_same_both_ways(text: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, general, _ = _both(text, monkeypatch)
    assert fast == general


def test_deep_nesting_reads_the_same_with_a_raised_recursion_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With a raised limit msgspec reads nesting that orjson refuses (beyond 1,024 levels);
    # the general reader uses orjson when the text may hold long integers.
    deep = b"[" * 1100 + b"12345678901234567890" + b"]" * 1100
    text = _HEAD + b'"comment": ' + deep + b"}"
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(20_000)
    try:
        fast, general, taken = _both(text, monkeypatch)
    finally:
        sys.setrecursionlimit(limit)
    assert not taken
    assert fast == general
    assert isinstance(general, tuple) and general[0] == "LimitError"


@pytest.mark.parametrize("depth", [253, 254, 255, 256, 400, 1000, 1023, 1024, 1025, 1100])
@pytest.mark.parametrize(
    ("before", "after"),
    [
        (b'"comment": ', b""),
        (b'"creationInfo": {"x": ', b"}"),
        (b'"extra": ', b""),
        (b'"packages": [{"SPDXID": "a", "annotations": ', b"}]"),
        (b'"packages": [{"SPDXID": "a", "extra": ', b"}]"),
    ],
)
def test_nesting_limit_is_the_same_both_ways(
    depth: int, before: bytes, after: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _HEAD + before + b"[" * depth + b"]" * depth + after + b"}"
    fast, general, _ = _both(text, monkeypatch)
    assert fast == general
