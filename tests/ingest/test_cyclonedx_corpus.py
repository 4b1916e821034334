"""CycloneDX readers against the shared corpus: counts equal MANIFEST.csv, identities and
dependency edges equal cyclonedx-python-lib's, and a decision for every invalid file."""

from __future__ import annotations

import json
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from sbomcheck.errors import IngestError
from sbomcheck.ingest import load
from sbomcheck.model import Document
from tests.conftest import corpus_rows, require_corpus

pytestmark = pytest.mark.corpus

_CDX_FORMATS = {"cyclonedx-json", "cyclonedx-xml"}
_ROWS = [r for r in corpus_rows() if r["format"] in _CDX_FORMATS]
_VALID = [r for r in _ROWS if not r["path"].startswith("invalid/")]

# NOTE: cyclonedx-python-lib is the oracle but it is slow (23 s for 10,000 components, and
# about 8 s for the 2.8 MB bom-issue2519 on our machines). Files up to 1 MB run always; the
# bigger ones are marked slow: left out of the default run, run by `pytest -m slow`.
_MAX_REFERENCE_BYTES = 1_000_000
_REFERENCE = [r for r in _VALID if r["reference_parse"] == "ok"]


def _ids(rows: list[dict[str, str]]) -> list[str]:
    return [r["path"] for r in rows]


def _reference_params() -> list[Any]:
    return [
        pytest.param(
            r,
            id=r["path"],
            marks=[pytest.mark.slow] if int(r["size_bytes"]) > _MAX_REFERENCE_BYTES else [],
        )
        for r in _REFERENCE
    ]


@pytest.mark.parametrize("row", _VALID, ids=_ids(_VALID))
def test_counts_match_manifest(row: dict[str, str]) -> None:
    doc = load(require_corpus() / row["path"])
    assert doc.format.value == row["format"]
    assert doc.spec_version == row["spec_version"]
    assert (doc.component_count, len(doc.files), doc.relationship_count) == (
        int(row["components"]),
        int(row["files"]),
        int(row["relationships"]),
    )
    assert all(c.document == doc.key and c.location for c in doc.all_elements())
    # Every nested component points at a parent that the document declares.
    refs = {c.ref for c in doc.components}
    assert all(c.parent in refs for c in doc.components if c.parent is not None)


# ---- differential: cyclonedx-python-lib as the oracle


def _walk(components: Any) -> Any:
    for comp in components:
        yield comp
        yield from _walk(comp.components)


def _reference_bom(path: Path, fmt: str) -> Any:
    from cyclonedx.model import bom

    # NOTE: py_serializable adds from_json/from_xml at runtime; mypy cannot see them.
    Bom: Any = bom.Bom
    # NOTE: the library warns about every deprecated field it meets (`author`, tools as a
    # list); those are the documents' business, not this test's.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if fmt == "cyclonedx-json":
            return Bom.from_json(json.loads(path.read_text(encoding="utf-8")))
        with path.open(encoding="utf-8") as fh:
            return Bom.from_xml(fh)


def _canonical_purl(purl: str | None) -> str | None:
    # NOTE: the library re-serialises every purl through packageurl-python (qualifiers sorted,
    # `+` percent-encoded, GitHub namespaces lower-cased); we keep purls as written, which is
    # what a vendor search must see. Compare both in the library's canonical form.
    from packageurl import PackageURL

    if purl is None:
        return None
    try:
        return str(PackageURL.from_string(purl))
    except ValueError:
        return purl


def _identities(doc: Document) -> set[tuple[str | None, str, str | None, str | None]]:
    return {
        (None if c.ref_synthetic else c.ref, c.name, c.version, _canonical_purl(c.purl))
        for c in doc.components
        if not c.is_metadata
    }


@pytest.mark.parametrize("row", _reference_params())
def test_identities_and_edges_equal_cyclonedx_python_lib(row: dict[str, str]) -> None:
    path = require_corpus() / row["path"]
    bom = _reference_bom(path, row["format"])
    doc = load(path)
    reference = {
        (c.bom_ref.value, c.name, c.version, str(c.purl) if c.purl else None)
        for c in _walk(bom.components)
    }
    assert _identities(doc) == reference
    # Without purls, the identities agree as written too.
    assert {i[:3] for i in _identities(doc)} == {i[:3] for i in reference}
    ours = [(r.source, r.target) for r in doc.relationships if r.type == "depends-on"]
    theirs = [(d.ref.value, dd.ref.value) for d in bom.dependencies for dd in d.dependencies]
    assert set(ours) == set(theirs)
    # Counts agree except where a ref has several <dependency> entries: the library merges
    # them, we keep them as written (MANIFEST.csv counts them as written too).
    if len(ours) != len(theirs):
        assert row["path"] == "cyclonedx/dependency-track/bom-issue2519.cdx-1.5.xml"
        assert (len(ours), len(theirs)) == (4117, 4108)


def test_differential_covers_both_serialisations_by_default() -> None:
    require_corpus()
    fast = [r for r in _REFERENCE if int(r["size_bytes"]) <= _MAX_REFERENCE_BYTES]
    assert {r["format"] for r in fast} == _CDX_FORMATS
    assert len(fast) >= 60


def test_bom_issue2519_keeps_repeated_dependency_entries() -> None:
    # The corpus README's known difference, checked without the (slow) library: 4,117
    # dependsOn entries as written, 4,103 distinct edges. Every repeated edge comes from a
    # ref listed in more than one top-level <dependency>.
    doc = load(require_corpus() / "cyclonedx/dependency-track/bom-issue2519.cdx-1.5.xml")
    edges = [r for r in doc.relationships if r.type == "depends-on"]
    assert (len(edges), len({(r.source, r.target) for r in edges})) == (4117, 4103)
    entries_of: dict[str, set[str]] = {}
    for r in edges:
        top = r.location.split("/")[3]  # "dependency[N]" under /bom/dependencies
        entries_of.setdefault(r.source, set()).add(top)
    repeated = Counter((r.source, r.target) for r in edges)
    assert {s for (s, _), n in repeated.items() if n > 1} <= {
        s for s, tops in entries_of.items() if len(tops) > 1
    }
    assert [w.code for w in doc.warnings].count("duplicate-ref") == 12


# ---- cycles and other structure named in the corpus README


def test_trustify_circular_is_kept_and_warned() -> None:
    doc = load(require_corpus() / "cyclonedx/trustify/cyclonedx-circular.json")
    assert [w.code for w in doc.warnings] == ["duplicate-ref", "cycle", "cycle"]
    assert doc.warnings[1].message.startswith("relationship cycle among 10 elements: ")
    assert doc.warnings[1].message.endswith(" and 5 more (kept)")
    assert doc.warnings[2].message.startswith(
        "relationship cycle among 8 elements: 'pkg:maven/org.junit.jupiter/junit-jupiter-api@5.7.2'"
    )
    # The product is listed again among the components: both are kept.
    product = doc.root_refs[0]
    assert [c.is_metadata for c in doc.components if c.ref == product] == [True, False]


def test_trivy_infinite_loop_is_kept_and_warned() -> None:
    doc = load(require_corpus() / "cyclonedx/trivy/infinite-loop-bom.cdx.json")
    (warning,) = doc.warnings
    libc = "pkg:deb/ubuntu/libc6@2.35-0ubuntu3.1?distro=ubuntu-22.04"
    crypt = "pkg:deb/ubuntu/libcrypt1@4.4.27-1?epoch=1&distro=ubuntu-22.04"
    assert (warning.code, warning.message) == (
        "cycle",
        f"relationship cycle among 2 elements: {libc!r}, {crypt!r} (kept)",
    )


def test_nested_juice_shop_has_parents_in_both_serialisations() -> None:
    corpus = require_corpus()
    for name in ("juice-shop-via-npm-bare.bom.1.4.json", "juice-shop-via-npm-bare.bom.1.2.xml"):
        doc = load(corpus / "cyclonedx/bom-examples" / name)
        nested = [c for c in doc.components if c.parent is not None and not c.is_metadata]
        contains = [r for r in doc.relationships if r.type == "contains"]
        assert nested and len(contains) == len(nested) + sum(
            1 for c in doc.components if c.is_metadata and c.parent
        )


def test_metadata_component_children_are_not_counted() -> None:
    doc = load(require_corpus() / "cyclonedx/dependency-track/bom-metadata-components.json")
    assert sum(1 for c in doc.components if c.is_metadata) == 35  # the product and its 34
    assert doc.component_count == 151


def test_external_bom_references_in_the_corpus() -> None:
    corpus = require_corpus()
    obom = load(corpus / "cyclonedx/bom-examples/obom-example-1-decoupled.obom.json")
    assert [(r.kind, r.uri, r.from_ref) for r in obom.external_refs] == [
        (
            "cyclonedx-bom-reference",
            "urn:cdx:411dafd2-c29f-491a-97d7-e97de5bc2289/1",
            "metadata.component",  # the product has no bom-ref: its synthetic one
        ),
        ("cyclonedx-bom-reference", "https://example.com/sboms/rhel-8.0.json", "rhel-8.0"),
    ]
    xml = load(corpus / "cyclonedx/cdx-spec-tests/1.6/valid-external-reference-1.6.xml")
    assert [(r.uri, r.checksum is not None, r.from_ref) for r in xml.external_refs] == [
        (
            "https://example.org/support/sbom/portal-server/1.0.0",
            True,
            "/bom/components/component[1]",
        ),
        ("http://example.com/extref/bom", False, "/bom/components/component[2]"),
    ]


# ---- invalid/: what we do with each file, and why (docs/readers-cyclonedx.md)

_INVALID = "invalid/cyclonedx/"


@pytest.mark.parametrize(
    ("name", "location", "fragment"),
    [
        ("cdx-spec-tests__invalid-bomformat-1.6.json", "bomFormat", "AnotherFormat"),
        ("cdx-spec-tests__invalid-namespace-1.6.xml", "/*[1]", "schema/bom/12"),
        ("dependency-track__bom-invalid.json", "line 2 column 28", "invalid JSON"),
    ],
)
def test_invalid_files_refused(name: str, location: str, fragment: str) -> None:
    with pytest.raises(IngestError) as info:
        load(require_corpus() / _INVALID / name)
    assert info.value.location == location and fragment in info.value.message


def test_invalid_json_that_is_not_an_sbom_is_refused() -> None:
    with pytest.raises(IngestError) as info:
        load(require_corpus() / "invalid/sbom-scorecard__invalid.json")
    assert info.value.location == "line 3 column 2"


def test_invalid_duplicate_and_empty_bom_ref_read_with_warnings() -> None:
    doc = load(require_corpus() / _INVALID / "cdx-spec-tests__invalid-component-ref-1.5.xml")
    assert doc.component_count == 3
    assert [(w.code, w.location) for w in doc.warnings] == [
        ("lenient-value", "/bom/components/component[1]/components/component[2]"),
        ("duplicate-ref", "/bom/components/component[1]/components/component[1]"),
        ("self-loop", "/bom/components/component[1]/components/component[1]"),
    ]


def test_invalid_dependency_without_ref_read_with_warnings() -> None:
    doc = load(require_corpus() / _INVALID / "cdx-spec-tests__invalid-dependency-1.6.json")
    assert doc.relationship_count == 2  # as MANIFEST.csv counts it
    assert [(w.code, w.location) for w in doc.warnings] == [
        ("missing-field", "dependencies[0]"),
        ("lenient-value", "dependencies[1].ref"),
        ("dangling-ref", "dependencies[1].dependsOn[0]"),
    ]


def test_invalid_serial_number_read_with_warning() -> None:
    doc = load(require_corpus() / _INVALID / "cdx-spec-tests__invalid-serialnumber-1.4.json")
    assert doc.serial_number == "urn:uuid:3e671687-395b-41f5-a30f"
    assert [(w.code, w.location) for w in doc.warnings] == [("lenient-value", "serialNumber")]


@pytest.mark.parametrize(
    ("name", "serial_at", "timestamp_at"),
    [
        ("syft__TestCycloneDxImageEncoder-redacted.cdx.json", "serialNumber", "metadata.timestamp"),
        (
            "syft__TestCycloneDxImageEncoder-redacted.cdx.xml",
            "/bom/@serialNumber",
            "/bom/metadata/timestamp",
        ),
    ],
)
def test_invalid_redacted_values_read_with_warnings(
    name: str, serial_at: str, timestamp_at: str
) -> None:
    # The identities are intact; refusing the file would hide its components from a scan.
    doc = load(require_corpus() / _INVALID / name)
    assert doc.component_count == 3
    assert [(w.code, w.location) for w in doc.warnings] == [
        ("lenient-value", serial_at),
        ("lenient-value", timestamp_at),
    ]
    assert doc.components[1].purl == "a-purl-1"  # kept as written; not a valid purl


def test_invalid_schema_values_outside_identity_are_read() -> None:
    # sbomqs' file breaks the schema in vulnerability analysis ("justification": "null"),
    # which sbomcheck does not read: no warning, counts as MANIFEST.csv has them.
    doc = load(require_corpus() / _INVALID / "sbomqs__cdx-1-6-invalid-sbom.cdx.json")
    assert (doc.component_count, doc.relationship_count, doc.warnings) == (21, 25, ())


def test_every_invalid_cyclonedx_file_has_a_decision() -> None:
    files = sorted(p.name for p in (require_corpus() / _INVALID).iterdir())
    assert files == [
        "cdx-spec-tests__invalid-bomformat-1.6.json",
        "cdx-spec-tests__invalid-component-ref-1.5.xml",
        "cdx-spec-tests__invalid-dependency-1.6.json",
        "cdx-spec-tests__invalid-namespace-1.6.xml",
        "cdx-spec-tests__invalid-serialnumber-1.4.json",
        "dependency-track__bom-invalid.json",
        "sbomqs__cdx-1-6-invalid-sbom.cdx.json",
        "syft__TestCycloneDxImageEncoder-redacted.cdx.json",
        "syft__TestCycloneDxImageEncoder-redacted.cdx.xml",
    ]


@pytest.mark.parametrize("name", ["valid-bom-1.4.json", "valid-bom-1.4.xml"])
def test_legacy_tools_and_metadata_manufacture(name: str) -> None:
    # 1.4: tools as a list, the product's supplier and manufacture in metadata.
    doc = load(require_corpus() / "cyclonedx/cdx-spec-tests/1.4" / name)
    assert doc.tools == ("Awesome Vendor Awesome Tool 9.1.2",)
    assert doc.creators == ("Person: Samantha Wright (samantha.wright@example.com)",)
    product = doc.components[0]
    assert product.is_metadata and doc.root_refs == (product.ref,)
    assert product.supplier is not None and product.manufacturer is not None
    assert (product.supplier.name, product.supplier.emails) == (
        "Acme, Inc.",
        ("distribution@example.com",),
    )
    assert product.manufacturer.emails == ("professional.services@example.com",)


def test_tools_as_components_in_both_serialisations() -> None:
    corpus = require_corpus() / "cyclonedx/cyclonedx-node-npm"
    expected = (
        "npm 11.4.1",
        "Jan Kowalleck cyclonedx-library 8.4.0",
        "Jan Kowalleck cyclonedx-npm 3.1.0",
    )
    assert load(corpus / "juice-shop-flat.bom.1.5.xml").tools == expected
    assert load(corpus / "juice-shop-bare.bom.1.6.json").tools == expected
