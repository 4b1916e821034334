"""Links across formats: CycloneDX to SPDX, SPDX to CycloneDX, SPDX 3 imports, misspelt
BOM-Links; and the batch audit groups exactly what the graph links (docs/graph.md)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from sbomcheck.audit.runner import AuditOptions, group_documents, identity_of, run_audit
from sbomcheck.graph import ComponentGraph, build_graph
from sbomcheck.graph.identities import (
    document_identities,
    reference_identities,
    repair_bom_link,
)
from sbomcheck.identify import load_catalogue
from sbomcheck.ingest import load_bytes
from sbomcheck.model import Document, ExternalDocumentRef, Format, Hash
from sbomcheck.policy import load_rules
from sbomcheck.scan import ScanOptions, scan, scan_documents
from tests.audit.helpers import decided
from tests.conftest import AS_OF, SAMPLES
from tests.graph.helpers import comp, doc

SERIAL = "3e671687-395b-41f5-a30f-a58921a69b79"
VENDOR_NS = "https://vendor.example/spdx/appliance-1.0"
VENDOR_SHA1 = "a" * 40
CDX_SHA1 = "c" * 40


@pytest.fixture(scope="module")
def options() -> ScanOptions:
    return ScanOptions(as_of=AS_OF, catalogue=load_catalogue(), rules=load_rules())


def _paths(g: ComponentGraph, ref: str) -> list[tuple[str, ...]]:
    (node,) = [n.position for n in g.nodes if n.ref == ref]
    return [g.refs(p) for p in g.paths_to([node])[node].paths]


def _unresolved(g: ComponentGraph) -> list[tuple[str, str]]:
    return [(u.reference, u.reason) for u in g.unresolved]


def _audited_together(documents: Sequence[Document], g: ComponentGraph) -> None:
    """Every pair of documents the graph links is one product of the batch audit."""
    groups = group_documents([identity_of(d) for d in documents])
    group_of = {d.key: i for i, group in enumerate(groups) for d in group}
    crossing = {
        (g.nodes[e.source].document, g.nodes[e.target].document)
        for e in g.edges
        if g.nodes[e.source].document != g.nodes[e.target].document
    }
    assert crossing
    for a, b in crossing:
        assert group_of[a] == group_of[b], (a, b)


def _spdx_vendor(*, namespace: str = VENDOR_NS) -> Document:
    return doc(
        "vendor.spdx.json",
        ["SPDXRef-appliance", "SPDXRef-engine"],
        [("SPDXRef-engine", "CONTAINED_BY", "SPDXRef-appliance")],
        roots=["SPDXRef-appliance"],
        namespace=namespace,
        sha1=VENDOR_SHA1,
    )


def _cdx_vendor(*, version: int = 1, extra: Sequence[str] = ()) -> Document:
    key = "vendor.cdx.json"
    refs = ["appliance", "engine", *extra]
    return doc(
        key,
        [],
        [("appliance", "depends-on", r) for r in refs[1:]],
        roots=["appliance"],
        fmt=Format.CYCLONEDX_JSON,
        serial=f"urn:uuid:{SERIAL}",
        version=version,
        sha1=CDX_SHA1,
        components=[comp(key, r, i, metadata=i == 0) for i, r in enumerate(refs)],
    )


def _cdx_product(url: str, hashes: Sequence[Hash] = (), *, on_metadata: bool = False) -> Document:
    key = "product.cdx.json"
    return doc(
        key,
        [],
        [("product", "depends-on", "gateway")],
        roots=["product"],
        fmt=Format.CYCLONEDX_JSON,
        components=[
            comp(key, "product", 0, metadata=True, bom=[url] if on_metadata else []),
            comp(key, "gateway", 1, bom=[] if on_metadata else [url], bom_hashes=hashes),
        ],
    )


# ----- CycloneDX -> SPDX ------------------------------------------------------------------


def test_cyclonedx_bom_reference_to_an_spdx_namespace_reaches_its_described_roots() -> None:
    sha1 = (Hash(algorithm="SHA-1", value=VENDOR_SHA1),)
    product, vendor = _cdx_product(VENDOR_NS, sha1), _spdx_vendor()
    g = build_graph([product, vendor])
    assert g.unresolved == []
    assert _paths(g, "SPDXRef-engine") == [
        ("product", "gateway", "SPDXRef-appliance", "SPDXRef-engine")
    ]
    assert g.refs(g.roots) == ("product",)
    _audited_together([product, vendor], g)
    # The same from metadata.component.
    g = build_graph([_cdx_product(VENDOR_NS, on_metadata=True), vendor])
    assert _paths(g, "SPDXRef-engine") == [("product", "SPDXRef-appliance", "SPDXRef-engine")]


def test_cyclonedx_bom_reference_naming_an_spdx_element() -> None:
    vendor = _spdx_vendor()
    g = build_graph([_cdx_product(f"{VENDOR_NS}#SPDXRef-engine"), vendor])
    assert g.unresolved == []
    assert ("product", "gateway", "SPDXRef-engine") in _paths(g, "SPDXRef-engine")
    g = build_graph([_cdx_product(f"{VENDOR_NS}#SPDXRef-DOCUMENT"), vendor])
    assert _paths(g, "SPDXRef-engine") == [
        ("product", "gateway", "SPDXRef-appliance", "SPDXRef-engine")
    ]
    g = build_graph([_cdx_product(f"{VENDOR_NS}#SPDXRef-nothere"), vendor])
    assert _unresolved(g) == [
        (f"{VENDOR_NS}#SPDXRef-nothere", "no element 'SPDXRef-nothere' in vendor.spdx.json")
    ]


def test_cyclonedx_bom_reference_to_spdx_with_a_wrong_hash_is_not_followed() -> None:
    bad = (Hash(algorithm="SHA-1", value="b" * 40),)
    g = build_graph([_cdx_product(VENDOR_NS, bad), _spdx_vendor()])
    assert _unresolved(g) == [
        (
            VENDOR_NS,
            f"checksum mismatch: expected SHA-1 {'b' * 40}, vendor.spdx.json has {VENDOR_SHA1}",
        )
    ]
    assert _paths(g, "SPDXRef-engine") == [("SPDXRef-appliance", "SPDXRef-engine")]


def test_cyclonedx_bom_reference_to_a_missing_spdx_document_is_listed() -> None:
    g = build_graph([_cdx_product(VENDOR_NS)])
    assert _unresolved(g) == [(VENDOR_NS, "no input document matches this name or URL")]


# ----- SPDX 2 -> CycloneDX ----------------------------------------------------------------


def _spdx_product(
    uri: str, element: str, checksum: str | None = CDX_SHA1, key: str = "product.spdx.json"
) -> Document:
    return doc(
        key,
        ["SPDXRef-product"],
        [("SPDXRef-product", "DEPENDS_ON", f"DocumentRef-vendor:{element}")],
        roots=["SPDXRef-product"],
        namespace="https://acme.example/spdx/product",
        external=[
            ExternalDocumentRef(
                id="DocumentRef-vendor",
                uri=uri,
                kind="spdx-external-document-ref",
                checksum=Hash(algorithm="SHA-1", value=checksum) if checksum else None,
                location="externalDocumentRefs[0]",
            )
        ],
    )


@pytest.mark.parametrize(
    ("element", "path"),
    [
        ("SPDXRef-DOCUMENT", ("SPDXRef-product", "appliance", "engine")),
        # An SPDX element id names the bom-ref written after `SPDXRef-`, or as written.
        ("SPDXRef-engine", ("SPDXRef-product", "engine")),
        ("engine", ("SPDXRef-product", "engine")),
        ("pkg:npm/x@1", ("SPDXRef-product", "pkg:npm/x@1")),
        ("pkg%3Anpm%2Fx%401", ("SPDXRef-product", "pkg:npm/x@1")),
    ],
)
def test_spdx_document_ref_by_urn_uuid_names_a_cyclonedx_bom(
    element: str, path: tuple[str, ...]
) -> None:
    product = _spdx_product(f"urn:uuid:{SERIAL}", element)
    vendor = _cdx_vendor(extra=["pkg:npm/x@1"])
    g = build_graph([product, vendor])
    assert g.unresolved == []
    assert path in _paths(g, path[-1])
    _audited_together([product, vendor], g)


def test_spdx_document_ref_by_bom_link_with_and_without_version() -> None:
    for uri in (f"urn:cdx:{SERIAL}", f"urn:cdx:{SERIAL}/1"):
        g = build_graph([_spdx_product(uri, "SPDXRef-engine"), _cdx_vendor()])
        assert g.unresolved == [], uri
        assert ("SPDXRef-product", "engine") in _paths(g, "engine")
    g = build_graph([_spdx_product(f"urn:cdx:{SERIAL}/2", "SPDXRef-engine"), _cdx_vendor()])
    assert _unresolved(g) == [
        (
            "DocumentRef-vendor",
            "version mismatch: link asks for version 2, vendor.cdx.json is version 1",
        )
    ]


def test_spdx_document_ref_to_cyclonedx_checksum_and_failures() -> None:
    # The checksum is the SHA-1 of the CycloneDX file, as for an SPDX document: a mismatch
    # is unresolved and not followed.
    g = build_graph([_spdx_product(f"urn:uuid:{SERIAL}", "engine", "d" * 40), _cdx_vendor()])
    assert _unresolved(g) == [
        (
            "DocumentRef-vendor",
            f"checksum mismatch: expected SHA-1 {'d' * 40}, vendor.cdx.json has {CDX_SHA1}",
        )
    ]
    assert _paths(g, "engine") == [("appliance", "engine")]
    g = build_graph([_spdx_product(f"urn:uuid:{SERIAL}", "SPDXRef-nothere"), _cdx_vendor()])
    assert _unresolved(g) == [
        ("DocumentRef-vendor:SPDXRef-nothere", "no element 'SPDXRef-nothere' in vendor.cdx.json")
    ]
    g = build_graph([_spdx_product(f"urn:uuid:{SERIAL}", "engine")])
    assert _unresolved(g) == [
        (
            "DocumentRef-vendor",
            f"no input document has namespace or serial number urn:uuid:{SERIAL}",
        )
    ]


def test_spdx_urn_uuid_namespace_is_still_an_spdx_namespace_first() -> None:
    spdx_vendor = _spdx_vendor(namespace=f"urn:uuid:{SERIAL}")
    product = _spdx_product(f"urn:uuid:{SERIAL}", "SPDXRef-engine", VENDOR_SHA1)
    g = build_graph([product, _cdx_vendor(), spdx_vendor])
    assert g.unresolved == []
    assert ("SPDXRef-product", "SPDXRef-engine") in _paths(g, "SPDXRef-engine")


# ----- SPDX 3 imports ---------------------------------------------------------------------


def _spdx3_product(
    imports: Sequence[tuple[str, str, Hash | None]], uses: Sequence[str]
) -> Document:
    """An SPDX 3 product importing (externalSpdxId, locationHint, hash) entries."""
    key = "product.spdx3.json"
    root = "https://acme.example/spdx3/product"
    return doc(
        key,
        [root],
        [(root, "contains", used) for used in uses],
        roots=[root],
        fmt=Format.SPDX3_JSONLD,
        namespace="https://acme.example/spdx3/document",
        external=[
            ExternalDocumentRef(
                id=ext_id,
                uri=hint or ext_id,
                kind="spdx3-external-map",
                checksum=checksum,
                location=f"@graph[0].import[{i}]",
            )
            for i, (ext_id, hint, checksum) in enumerate(imports)
        ],
    )


def _spdx3_vendor() -> Document:
    engine = "https://vendor.example/spdx3/engine"
    return doc(
        "vendor.spdx3.json",
        ["https://vendor.example/spdx3/appliance", engine],
        [("https://vendor.example/spdx3/appliance", "contains", engine)],
        roots=["https://vendor.example/spdx3/appliance"],
        fmt=Format.SPDX3_JSONLD,
        namespace="https://vendor.example/spdx3/document",
    )


ROOT3 = "https://acme.example/spdx3/product"


@pytest.mark.parametrize(
    ("ext_id", "hint", "vendor", "path"),
    [
        # SPDX 3 element: found by its spdxId in whichever input declares it.
        (
            "https://vendor.example/spdx3/engine",
            "",
            _spdx3_vendor,
            (ROOT3, "https://vendor.example/spdx3/engine"),
        ),
        # SPDX 2 element: <documentNamespace>#<SPDXID>.
        (f"{VENDOR_NS}#SPDXRef-engine", "", _spdx_vendor, (ROOT3, "SPDXRef-engine")),
        (
            f"{VENDOR_NS}#SPDXRef-DOCUMENT",
            VENDOR_NS,
            _spdx_vendor,
            (ROOT3, "SPDXRef-appliance", "SPDXRef-engine"),
        ),
        # CycloneDX element: its BOM-Link, or any id whose `#fragment` is the bom-ref,
        # in the document the locationHint names.
        (f"urn:cdx:{SERIAL}/1#engine", "", _cdx_vendor, (ROOT3, "engine")),
        (f"urn:uuid:{SERIAL}", "", _cdx_vendor, (ROOT3, "appliance", "engine")),
        (
            "https://vendor.example/cdx#engine",
            "https://downloads.vendor.example/sbom/vendor.cdx.json",
            _cdx_vendor,
            (ROOT3, "engine"),
        ),
    ],
)
def test_spdx3_import_resolves_into_any_format(
    ext_id: str, hint: str, vendor: Callable[[], Document], path: tuple[str, ...]
) -> None:
    other = vendor()
    product = _spdx3_product([(ext_id, hint, None)], [ext_id])
    g = build_graph([product, other])
    assert g.unresolved == []
    assert path in _paths(g, path[-1])
    _audited_together([product, other], g)


def test_spdx3_import_verified_using_a_hash() -> None:
    ext_id = f"{VENDOR_NS}#SPDXRef-engine"
    good = Hash(algorithm="SHA-1", value=VENDOR_SHA1)
    g = build_graph([_spdx3_product([(ext_id, VENDOR_NS, good)], [ext_id]), _spdx_vendor()])
    assert g.unresolved == []
    bad = Hash(algorithm="SHA-256", value="0" * 64)
    g = build_graph([_spdx3_product([(ext_id, VENDOR_NS, bad)], [ext_id]), _spdx_vendor()])
    assert _unresolved(g) == [
        (
            VENDOR_NS,
            f"checksum mismatch: expected SHA-256 {'0' * 64}, vendor.spdx.json has {'f' * 64}",
        )
    ]
    assert _paths(g, "SPDXRef-engine") == [("SPDXRef-appliance", "SPDXRef-engine")]


def test_spdx3_import_hash_picks_among_inputs_declaring_the_same_element() -> None:
    # A second input declaring the same spdxId (a copy, or a document written to be taken
    # for the vendor's) is passed over when its bytes do not match verifiedUsing.
    impostor = _spdx3_vendor()
    genuine = doc(
        "genuine.spdx3.json",
        list(impostor.root_refs) + ["https://vendor.example/spdx3/engine"],
        roots=impostor.root_refs,
        fmt=Format.SPDX3_JSONLD,
        sha1="e" * 40,
    )
    ext_id = "https://vendor.example/spdx3/engine"
    checksum = Hash(algorithm="SHA-1", value="e" * 40)
    product = _spdx3_product([(ext_id, "", checksum)], [ext_id])
    g = build_graph([product, impostor, genuine])
    assert g.unresolved == []
    parents = {g.nodes[e.source].document for e in g.edges if g.nodes[e.target].ref == ext_id}
    linked = {g.nodes[e.target].document for e in g.edges if g.nodes[e.source].ref == ROOT3}
    assert linked == {"genuine.spdx3.json"} and "product.spdx3.json" in parents


def test_spdx3_imports_not_in_the_scan_are_unresolved_and_counted(options: ScanOptions) -> None:
    hint = "https://vendor.example/sboms/vendor.spdx.json"
    product = _spdx3_product(
        [
            (f"{VENDOR_NS}#SPDXRef-engine", hint, None),
            (f"{VENDOR_NS}#SPDXRef-appliance", hint, None),  # same document: listed once
            ("https://other.example/spdx3/unused", "", None),  # checked though unused
        ],
        [f"{VENDOR_NS}#SPDXRef-engine"],
    )
    g = build_graph([product])
    assert _unresolved(g) == [
        (
            hint,
            f"no input document declares {VENDOR_NS}#SPDXRef-engine; "
            "locationHint: no input document matches this name or URL",
        ),
        (
            "https://other.example/spdx3/unused",
            "no input document declares https://other.example/spdx3/unused",
        ),
    ]
    assert [u.location for u in g.unresolved] == ["@graph[0].import[0]", "@graph[0].import[2]"]
    report = scan_documents([product], options)
    assert report.verdict.value == "indeterminate"
    assert report.completeness is not None
    assert report.completeness.unresolved_references == 2
    # Found, but the element is not in it.
    missing = f"{VENDOR_NS}#SPDXRef-nothere"
    g = build_graph([_spdx3_product([(missing, "", None)], [missing]), _spdx_vendor()])
    assert _unresolved(g) == [(missing, f"no element {missing!r} in vendor.spdx.json")]


def test_spdx3_reader_takes_hash_and_location_from_the_defining_artifact() -> None:
    artifact = "https://acme.example/spdx3/vendor-sbom"
    ext_id = f"urn:cdx:{SERIAL}/1#engine"
    graph = [
        {
            "type": "CreationInfo",
            "@id": "_:ci",
            "specVersion": "3.0.1",
            "created": "2025-01-01T00:00:00Z",
        },
        {
            "type": "SpdxDocument",
            "spdxId": "https://acme.example/spdx3/document",
            "creationInfo": "_:ci",
            "rootElement": ["https://acme.example/spdx3/product"],
            "import": [
                {"type": "ExternalMap", "externalSpdxId": ext_id, "definingArtifact": artifact}
            ],
        },
        {
            "type": "software_Package",
            "spdxId": "https://acme.example/spdx3/product",
            "creationInfo": "_:ci",
            "name": "product",
        },
        {
            "type": "software_File",
            "spdxId": artifact,
            "creationInfo": "_:ci",
            "name": "vendor.cdx.json",
            "software_downloadLocation": "https://vendor.example/sbom/vendor.cdx.json",
            "verifiedUsing": [{"type": "Hash", "algorithm": "sha256", "hashValue": "AB12"}],
        },
        {
            "type": "Relationship",
            "spdxId": "https://acme.example/spdx3/rel-1",
            "creationInfo": "_:ci",
            "from": "https://acme.example/spdx3/product",
            "relationshipType": "contains",
            "to": [ext_id],
        },
    ]
    data = json.dumps(
        {"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": graph}
    )
    product = load_bytes(data.encode(), key="product.spdx3.json")
    assert product.warnings == ()
    assert product.external_refs == (
        ExternalDocumentRef(
            id=ext_id,
            uri="https://vendor.example/sbom/vendor.cdx.json",
            kind="spdx3-external-map",
            checksum=Hash(algorithm="SHA-256", value="ab12"),
            location="@graph[1].import[0]",
        ),
    )
    g = build_graph([product, _cdx_vendor()])
    assert _unresolved(g) == [
        (
            "https://vendor.example/sbom/vendor.cdx.json",
            f"checksum mismatch: expected SHA-256 ab12, vendor.cdx.json has {'f' * 64}",
        )
    ]


# ----- misspelt BOM-Links -----------------------------------------------------------------


def test_repair_bom_link() -> None:
    assert repair_bom_link(f"urn:uuid:{SERIAL}/1#engine") == f"urn:cdx:{SERIAL}/1#engine"
    assert repair_bom_link(f"urn:uuid:{SERIAL}/3") == f"urn:cdx:{SERIAL}/3"
    assert repair_bom_link(f"urn:uuid:{SERIAL}") is None  # a serial number, not a BOM-Link
    assert repair_bom_link(f"urn:uuid:{SERIAL}/0#x") is None
    assert repair_bom_link("urn:uuid:not-a-uuid/1#x") is None


def _misspelt_product(link: str, *, declare: bool = False) -> Document:
    key = "product.cdx.json"
    refs = ["product", link] if declare else ["product"]
    return doc(
        key,
        [],
        [("product", "depends-on", link)],
        roots=["product"],
        fmt=Format.CYCLONEDX_JSON,
        components=[comp(key, r, i, metadata=i == 0) for i, r in enumerate(refs)],
    )


def test_misspelt_bom_link_in_dependencies_resolves_with_a_warning(options: ScanOptions) -> None:
    link = f"urn:uuid:{SERIAL}/1#engine"
    product, vendor = _misspelt_product(link), _cdx_vendor()
    g = build_graph([product, vendor])
    assert g.unresolved == []
    assert ("product", "engine") in _paths(g, "engine")
    (warning,) = g.link_warnings["product.cdx.json"]
    assert warning.render() == (
        f"relationships[0]: BOM-Link {link!r} starts with urn:uuid:; read as "
        f"'urn:cdx:{SERIAL}/1#engine' [malformed-bom-link]"
    )
    _audited_together([product, vendor], g)
    report = scan_documents([product, vendor], options)
    assert report.documents[0].warnings == (warning.render(),)
    assert report.documents[1].warnings == ()


def test_misspelt_bom_link_as_a_bom_reference_and_when_unresolved() -> None:
    url = f"urn:uuid:{SERIAL}/1"
    g = build_graph([_cdx_product(url), _cdx_vendor()])
    assert g.unresolved == []
    assert ("product", "gateway", "appliance", "engine") in _paths(g, "engine")
    assert [w.code for w in g.link_warnings["product.cdx.json"]] == ["malformed-bom-link"]
    # Without the vendor: unresolved under the reference as written, and still the warning.
    link = f"urn:uuid:{SERIAL}/1#engine"
    g = build_graph([_misspelt_product(link)])
    assert _unresolved(g) == [(link, f"no input document has serial number urn:uuid:{SERIAL}")]
    assert len(g.link_warnings["product.cdx.json"]) == 1


def test_a_bom_ref_that_looks_like_a_misspelt_bom_link_stays_local() -> None:
    link = f"urn:uuid:{SERIAL}/1#engine"
    g = build_graph([_misspelt_product(link, declare=True), _cdx_vendor()])
    assert g.unresolved == [] and g.link_warnings == {}
    assert _paths(g, link) == [("product", link)]


# ----- one home for identities --------------------------------------------------------------


def test_identities_are_the_keys_the_resolver_matches() -> None:
    spdx3 = _spdx3_vendor()
    assert document_identities(spdx3) == (
        "namespace:https://vendor.example/spdx3/document",
        "file:vendor.spdx3.json",
        "element:https://vendor.example/spdx3/appliance",
        "element:https://vendor.example/spdx3/engine",
    )
    assert document_identities(_cdx_vendor()) == (f"serial:{SERIAL}", "file:vendor.cdx.json")
    spdx_ref = ExternalDocumentRef(
        id="DocumentRef-x", uri=f"urn:uuid:{SERIAL.upper()}", kind="spdx-external-document-ref"
    )
    assert reference_identities(spdx_ref) == (
        f"namespace:urn:uuid:{SERIAL.upper()}",
        f"serial:{SERIAL}",
    )
    bom = ExternalDocumentRef(
        id="x", uri=f"{VENDOR_NS}#SPDXRef-engine", kind="cyclonedx-bom-reference"
    )
    assert reference_identities(bom) == (
        f"namespace:{VENDOR_NS}#SPDXRef-engine",
        f"element:{VENDOR_NS}#SPDXRef-engine",
        f"namespace:{VENDOR_NS}",
        "file:appliance-1.0",
    )


def test_a_bom_reference_by_url_file_name_is_audited_with_that_file() -> None:
    # The graph has always linked `https://.../vendor.cdx.json` by file name; the audit
    # grouped by the whole URL and so split the product from its vendor.
    product = _cdx_product("https://vendor.example/sboms/vendor.cdx.json")
    vendor = _cdx_vendor()
    g = build_graph([product, vendor])
    assert g.unresolved == []
    _audited_together([product, vendor], g)


# ----- the sample directory, end to end -----------------------------------------------------

CROSS = SAMPLES / "linked-cross-format"
EXPECTED_PATHS = {
    "SPDXRef-kav-engine": (
        "acme-mail-appliance",
        "fabrikam-scanpack",
        "SPDXRef-scanpack",
        "SPDXRef-kav-engine",
    ),
    "kas-sdk": ("SPDXRef-groupware", "mail-filter", "kas-sdk"),
    "SPDXRef-kav-sdk": (
        "https://sbom.acme.example/spdx3/collab-platform-3.2.0/collab-platform",
        "SPDXRef-gateway",
        "SPDXRef-pkg-c-icap",
        "SPDXRef-kav-sdk",
    ),
}


def test_sample_directory_scan_and_audit_give_the_same_cross_format_paths(
    options: ScanOptions,
) -> None:
    report = scan([CROSS], options)
    assert report.unresolved_references == ()
    assert all(d.warnings == () for d in report.documents)
    assert {f.component.ref: f.paths for f in report.findings} == {
        ref: (path,) for ref, path in EXPECTED_PATHS.items()
    }
    result = run_audit([CROSS], AuditOptions(scan=options, jobs=1))
    products = {
        Path(p.report.documents[0].path).name: [Path(d.path).name for d in p.report.documents]
        for p in decided(result)
    }
    assert products == {
        "appliance.cdx.json": ["appliance.cdx.json", "fabrikam-scanpack.spdx.json"],
        "groupware.spdx.json": ["groupware.spdx.json", "contoso-mail-filter.cdx.json"],
        "platform.spdx3.json": [
            "platform.spdx3.json",
            "northwind-gateway.spdx.json",
            "tailspin-ocr.cdx.json",
        ],
    }
    audited = {f.component.ref: f.paths for p in decided(result) for f in p.report.findings}
    assert audited == {f.component.ref: f.paths for f in report.findings}
    assert all(not p.report.unresolved_references for p in decided(result))


def test_sample_checksums_are_those_of_the_referenced_files() -> None:
    def raw(name: str) -> bytes:
        return (CROSS / name).read_bytes()

    appliance = json.loads(raw("appliance.cdx.json"))
    (bom,) = [r for c in appliance["components"] for r in c.get("externalReferences", [])]
    assert (
        bom["hashes"][0]["content"] == hashlib.sha1(raw("fabrikam-scanpack.spdx.json")).hexdigest()
    )
    groupware = json.loads(raw("groupware.spdx.json"))
    (ref,) = groupware["externalDocumentRefs"]
    assert (
        ref["checksum"]["checksumValue"]
        == hashlib.sha1(raw("contoso-mail-filter.cdx.json")).hexdigest()
    )
    platform = json.loads(raw("platform.spdx3.json"))["@graph"]
    digests = [h["hashValue"] for e in platform for h in e.get("verifiedUsing", [])] + [
        h["hashValue"]
        for e in platform
        for m in e.get("import", [])
        for h in m.get("verifiedUsing", [])
    ]
    assert hashlib.sha256(raw("northwind-gateway.spdx.json")).hexdigest() in digests
    assert hashlib.sha256(raw("tailspin-ocr.cdx.json")).hexdigest() in digests


def test_sample_product_alone_is_indeterminate_not_pass(options: ScanOptions) -> None:
    report = scan([CROSS / "platform.spdx3.json"], options)
    assert report.findings == ()
    assert [u.location for u in report.unresolved_references] == [
        "@graph[2].import[0]",
        "@graph[2].import[1]",
    ]
    assert report.verdict.value == "indeterminate"


def test_sample_directory_through_the_command_line(tmp_path: Path) -> None:
    from sbomcheck.cli import main

    common = ["--as-of", "2026-01-15", "--format", "json", "-o"]
    assert main(["scan", str(CROSS), *common, str(tmp_path / "scan.json")]) == 1
    assert main(["audit", str(CROSS), "--jobs", "1", *common, str(tmp_path / "audit.json")]) == 1
    scanned = json.loads((tmp_path / "scan.json").read_text(encoding="utf-8"))
    audited = json.loads((tmp_path / "audit.json").read_text(encoding="utf-8"))
    paths = {f["component"]["ref"]: f["paths"] for f in scanned["findings"]}
    assert paths == {ref: [list(path)] for ref, path in EXPECTED_PATHS.items()}
    assert {f["component"]["ref"]: f["paths"] for s in audited["sboms"] for f in s["findings"]} == (
        paths
    )
    assert sorted(len(s["linked_documents"]) for s in audited["sboms"]) == [1, 1, 2]
