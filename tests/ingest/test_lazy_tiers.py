"""The two tiers of the JSON fast paths: columns and raw text read, few components built.

`test_cdx_json_typed.py` and `test_spdx_json_typed.py` show the Documents equal the general
reader's (the comparison builds every component). Here: that the columns the rest of
sbomcheck reads instead agree with the built components, that loading builds only what must
be built, that the lazy sequences behave as the tuples they stand for, and that the gate over
raw text passes every component the gate over built components passes (a hidden spelling
cannot slip past it).
"""

from __future__ import annotations

import copy
import pickle
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sbomcheck.errors import IngestError
from sbomcheck.findings import Report
from sbomcheck.identify import load_catalogue, matcher
from sbomcheck.identify.gate import candidates, lazy_candidates
from sbomcheck.ingest import load_bytes
from sbomcheck.model import (
    Document,
    LazyComponents,
    LazyRelationships,
    columns_of,
    component_columns,
    relationship_column,
)
from sbomcheck.policy import load_rules
from sbomcheck.scan import ScanOptions, scan_documents
from tests.ingest.test_cdx_json_typed import _FILES as _CDX_FILES
from tests.ingest.test_spdx_json_typed import _FILES as _SPDX_FILES

_FILES = [*_CDX_FILES, *_SPDX_FILES]
"""Every CycloneDX and SPDX 2 JSON file at hand."""


def _doc(n: int = 6) -> dict[str, Any]:
    components: list[dict[str, Any]] = [
        {
            "bom-ref": f"c{i}",
            "name": f"lib{i}",
            "version": "1.0",
            "purl": f"pkg:npm/lib{i}@1.0",
            "hashes": [{"alg": "SHA-256", "content": "ab" * 32}],
            "supplier": {"name": "ACME"},
            "externalReferences": [{"type": "website", "url": f"https://acme.example/{i}"}],
        }
        for i in range(n)
    ]
    components[2]["components"] = [{"bom-ref": "c2.1", "name": "inner", "purl": "pkg:npm/x@1"}]
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {"component": {"bom-ref": "root", "name": "product", "type": "application"}},
        "components": components,
        "dependencies": [
            {"ref": "root", "dependsOn": [f"c{i}" for i in range(n)]},
            {"ref": "c0", "dependsOn": ["c1"]},
        ],
    }


def _load(doc: dict[str, Any]) -> Document:
    return load_bytes(orjson.dumps(doc), key="doc.cdx.json")


def test_loading_builds_only_the_metadata_component() -> None:
    doc = _load(_doc())
    assert isinstance(doc.components, LazyComponents)
    assert isinstance(doc.relationships, LazyRelationships)
    assert doc.components.built() == 1  # metadata.component: the reader needs it whole
    assert doc.component_count == 7
    assert doc.relationship_count == 7
    assert doc.components.built() == 1


def test_a_component_is_built_when_read_and_stays_built() -> None:
    doc = _load(_doc())
    assert isinstance(doc.components, LazyComponents)
    inner = doc.components[4]  # c2.1, nested in c2: both are built from c2's text
    assert (inner.ref, inner.parent, inner.location) == (
        "c2.1",
        "c2",
        "components[2].components[0]",
    )
    assert doc.components.built() == 3
    assert doc.components[4] is inner
    assert doc.components[-1].ref == "c5"
    assert [c.ref for c in doc.components[1:3]] == ["c0", "c1"]


def test_the_lazy_sequences_equal_and_pickle_as_tuples() -> None:
    doc = _load(_doc())
    components, relationships = tuple(doc.components), tuple(doc.relationships)
    assert doc.components == components and components == doc.components
    assert hash(doc.components) == hash(components)
    assert doc.relationships == relationships
    assert relationships[-1].location == "dependencies[1].dependsOn[0]"
    assert doc.relationships[-2:] == relationships[-2:]
    again = pickle.loads(pickle.dumps(doc))
    assert again == doc and isinstance(again.components, tuple)
    assert repr(doc.components) == "LazyComponents(8 components, 8 built)"


def test_dependencies_with_provides_are_read_whole() -> None:
    raw = _doc()
    raw["dependencies"][1]["provides"] = ["c3"]
    doc = _load(raw)
    assert isinstance(doc.relationships, tuple)
    assert doc.relationships[-1].location == "dependencies[1].provides[0]"
    assert doc.relationship_count == 7  # dependsOn entries as written; provides apart


def test_irregular_components_are_built_while_reading_with_their_warnings() -> None:
    raw = _doc()
    raw["components"][1].pop("name")  # a warning, raised in document order
    raw["components"][3]["bom-ref"] = ""
    doc = _load(raw)
    assert isinstance(doc.components, LazyComponents)
    assert doc.components.built() == 3
    assert [(w.code, w.location) for w in doc.warnings] == [
        ("missing-field", "components[1]"),
        ("lenient-value", "components[3]"),
        ("dangling-ref", "dependencies[0].dependsOn[3]"),  # c3 lost its ref
    ]


def _read(path: Path) -> Document:
    try:
        return load_bytes(path.read_bytes(), key=path.name)
    except IngestError:
        pytest.skip("not a readable SBOM (a test of errors)")


@pytest.mark.parametrize("path", _FILES, ids=[p.name for p in _FILES])
def test_columns_agree_with_the_built_components(path: Path) -> None:
    doc = _read(path)
    built = tuple(doc.components)
    expected = columns_of(built)
    for columns in (component_columns(doc.components), component_columns(built)):
        for name in ("refs", "synthetic", "parents", "metadata", "flags", "linked"):
            assert getattr(columns, name) == getattr(expected, name), name
    for field in ("source", "type", "target"):
        column = relationship_column(doc.relationships, field)
        assert column == [getattr(r, field) for r in tuple(doc.relationships)]


@pytest.mark.parametrize("path", _FILES, ids=[p.name for p in _FILES])
def test_the_raw_text_gate_passes_all_the_built_gate_passes(path: Path) -> None:
    doc = _read(path)
    if not isinstance(doc.components, LazyComponents):
        pytest.skip("no component of this file is kept unbuilt")
    m = matcher._Matcher(load_catalogue())
    exact = candidates(list(doc.components), m.gate, m.gate_literals, m.gate_finder)
    superset = lazy_candidates(doc.components.identity, len(doc.components), m.gate_finder)
    assert set(exact) <= set(superset)


_HIDDEN = {
    "plain": "Kaspersky Anti-Virus SDK",
    "escaped": "\\u004baspersky Anti-Virus SDK",
    "escaped slash": "Kaspersky\\/Anti-Virus SDK",
    "look-alike": "\u041aaspersky Anti-Virus SDK",  # a Cyrillic capital Ka
}


def _report(data: bytes) -> Report:
    options = ScanOptions(as_of=date(2026, 1, 15), catalogue=load_catalogue(), rules=load_rules())
    return scan_documents([load_bytes(data, key="doc.cdx.json")], options)


@pytest.mark.parametrize("spelling", sorted(_HIDDEN))
def test_a_kaspersky_component_is_found_however_its_name_is_written(
    spelling: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sbomcheck.ingest import detect
    from tests.ingest._fast_paths import both_paths

    raw = _doc()
    raw["components"][4]["name"] = "@@NAME@@"
    raw["components"][2]["components"][0]["purl"] = "pkg:generic/%4Baspersky-engine@8"
    data = orjson.dumps(raw).replace(b"@@NAME@@", _HIDDEN[spelling].encode())
    fast_path = detect.FAST_PATHS[0]
    fast, general, taken = both_paths(data, monkeypatch, fast_path, "doc.cdx.json")
    assert taken and fast == general
    report = _report(data)
    found = {f.component.ref for f in report.findings}
    assert {"c4", "c2.1"} <= found
    with monkeypatch.context() as m:
        m.setattr(detect, "FAST_PATHS", ())
        assert _report(data) == report


def test_a_kaspersky_engine_in_a_nested_component_is_found() -> None:
    raw = copy.deepcopy(_doc())
    raw["components"][2]["components"][0]["supplier"] = {"name": "AO Kaspersky Lab"}
    report = _report(orjson.dumps(raw))
    assert [f.component.ref for f in report.findings] == ["c2.1"]


def test_without_re2_every_unbuilt_component_goes_to_the_exact_gate() -> None:
    doc = _load(_doc())
    assert isinstance(doc.components, LazyComponents)
    assert lazy_candidates(doc.components.identity, 7, None) == list(range(7))


def _spdx(n: int = 4) -> dict[str, Any]:
    packages: list[dict[str, Any]] = [
        {
            "SPDXID": f"SPDXRef-p{i}",
            "name": f"lib{i}",
            "versionInfo": "1.0",
            "supplier": "Organization: ACME",
            "downloadLocation": "NOASSERTION",
            "checksums": [{"algorithm": "SHA256", "checksumValue": "ab" * 32}],
            "externalRefs": [
                {
                    "referenceCategory": "PACKAGE-MANAGER",
                    "referenceType": "purl",
                    "referenceLocator": f"pkg:npm/lib{i}@1.0",
                }
            ],
        }
        for i in range(n)
    ]
    return {
        "spdxVersion": "SPDX-2.3",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "product",
        "dataLicense": "CC0-1.0",
        "documentNamespace": "https://example.org/product",
        "creationInfo": {"created": "2024-05-01T10:00:00Z", "creators": ["Tool: x"]},
        "packages": packages,
        "files": [{"SPDXID": "SPDXRef-f0", "fileName": "./bin/avp.exe"}],
        "relationships": [
            {
                "spdxElementId": "SPDXRef-DOCUMENT",
                "relationshipType": "DESCRIBES",
                "relatedSpdxElement": "SPDXRef-p0",
            },
            *(
                {
                    "spdxElementId": "SPDXRef-p0",
                    "relationshipType": "DEPENDS_ON",
                    "relatedSpdxElement": f"SPDXRef-p{i}",
                }
                for i in range(1, n)
            ),
        ],
    }


def test_spdx_packages_stay_unbuilt_until_read() -> None:
    doc = load_bytes(orjson.dumps(_spdx()), key="doc.spdx.json")
    assert isinstance(doc.components, LazyComponents)
    assert isinstance(doc.relationships, LazyRelationships)
    assert doc.components.built() == 0
    assert doc.root_refs == ("SPDXRef-p0",)
    assert doc.components[2].purl == "pkg:npm/lib2@1.0"
    assert doc.components.built() == 1
    assert doc.relationships[1].location == "relationships[1]"


def test_an_spdx_package_is_gated_whole_when_it_contains_a_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sbomcheck.ingest import detect
    from tests.ingest._fast_paths import both_paths

    raw = _spdx()
    raw["relationships"].append(
        {
            "spdxElementId": "SPDXRef-p3",
            "relationshipType": "CONTAINS",
            "relatedSpdxElement": "SPDXRef-f0",
        }
    )
    data = orjson.dumps(raw)
    fast, general, taken = both_paths(data, monkeypatch, detect.FAST_PATHS[1], "doc.spdx.json")
    assert taken and fast == general
    assert isinstance(fast, Document) and fast.components[3].files[0].name == "./bin/avp.exe"
    report = _report(data)
    # The package holding the file is found by the file's name: its own text does not hold it.
    assert {f.component.ref for f in report.findings} == {"SPDXRef-p3", "SPDXRef-f0"}
    with monkeypatch.context() as m:
        m.setattr(detect, "FAST_PATHS", ())
        assert _report(data) == report


def test_lazy_components_can_be_read_from_several_threads() -> None:
    from concurrent.futures import ThreadPoolExecutor

    raw = _doc(200)
    doc = _load(raw)
    expected = tuple(_load(raw).components)
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(doc.components.__getitem__, reversed(range(len(expected)))))
    assert tuple(reversed(got)) == expected


# Spellings of gate words as JSON text may hold them: plain, in another case, with a JSON
# escape for a letter or the slash, percent-encoded (purls are gated decoded), with a
# look-alike letter, or inside a longer word (which the exact gate rules out).
_SPELLINGS = [
    "Kaspersky",
    "KASPERSKY",
    "\\u004baspersky",
    "Kasper\\u0073ky",
    "%4Baspersky",
    "kasp%65rsky",
    "\\u041aaspersky",
    "Kaspersky\\/Lab",
    "kavsdk",
    "pipeline",
    "plain-lib",
]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["name", "description", "purl", "group", "copyright", "publisher"]),
            st.sampled_from(_SPELLINGS),
            st.integers(min_value=0, max_value=5),
        ),
        max_size=6,
    )
)
def test_the_raw_text_gate_passes_every_component_the_exact_gate_passes(
    placed: list[tuple[str, str, int]],
) -> None:
    exact, superset = _placed(placed)
    assert set(exact) <= set(superset)


_FIELDS = ["name", "description", "purl", "group", "copyright", "publisher"]


def _placed(placed: list[tuple[str, str, int]]) -> tuple[list[int], list[int]]:
    """(what the exact gate passes, what the raw-text gate passes) for `_doc()` with each
    (field, spelling, component) written into it."""
    raw = _doc()
    marks: dict[str, str] = {}
    for n, (field, spelling, index) in enumerate(placed):
        mark = f"@@{n}@@"
        marks[mark] = spelling
        prefix = "pkg:generic/" if field == "purl" else "x "
        raw["components"][index][field] = f"{prefix}{mark}"
    data = orjson.dumps(raw)
    for mark, spelling in marks.items():
        data = data.replace(mark.encode(), spelling.encode())
    doc = load_bytes(data, key="doc.cdx.json")
    assert isinstance(doc.components, LazyComponents)
    m = matcher._Matcher(load_catalogue())
    exact = candidates(list(doc.components), m.gate, m.gate_literals, m.gate_finder)
    return exact, lazy_candidates(doc.components.identity, len(doc.components), m.gate_finder)


@pytest.mark.parametrize("field", _FIELDS)
@pytest.mark.parametrize("spelling", [*_SPELLINGS, "\u041aaspersky"])
def test_each_spelling_in_each_field_passes_the_raw_text_gate(field: str, spelling: str) -> None:
    exact, superset = _placed([(field, spelling, 3)])
    assert set(exact) <= set(superset)
    if spelling.lower() not in ("plain-lib", "pipeline"):
        assert 5 in superset  # components[3] is element 5 (metadata, c0, c1, c2, c2.1, c3)
