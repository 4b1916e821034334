"""Documents given together form one graph; what cannot be followed is listed with a reason."""

from __future__ import annotations

from sbomcheck.graph import ComponentGraph, build_graph
from sbomcheck.graph.identities import parse_bom_link
from sbomcheck.graph.links import LinkResolver
from sbomcheck.model import Document, ExternalDocumentRef, Format, Hash
from tests.graph.helpers import comp, doc

SERIAL = "3e671687-395b-41f5-a30f-a58921a69b79"
VENDOR_NS = "https://vendor.example/spdx/appliance-1.0"
VENDOR_SHA1 = "a" * 40


def _vendor_cdx(version: int = 1) -> Document:
    return doc(
        "vendor.cdx.json",
        [],
        [("appliance", "depends-on", "engine")],
        roots=["appliance"],
        fmt=Format.CYCLONEDX_JSON,
        serial=f"urn:uuid:{SERIAL}",
        version=version,
        components=[
            comp("vendor.cdx.json", "appliance", 0, metadata=True),
            comp("vendor.cdx.json", "engine", 1),
        ],
    )


def _path_refs(g: ComponentGraph, ref: str) -> list[tuple[str, ...]]:
    (node,) = [n.position for n in g.nodes if n.ref == ref]
    return [g.refs(p) for p in g.paths_to([node])[node].paths]


def test_parse_bom_link() -> None:
    assert parse_bom_link(f"urn:cdx:{SERIAL.upper()}/2#pkg%3Anpm%2Fx") == (
        SERIAL,
        2,
        "pkg%3Anpm%2Fx",
    )
    assert parse_bom_link(f"urn:cdx:{SERIAL}/1") == (SERIAL, 1, None)
    assert parse_bom_link("urn:cdx:not-a-uuid/1#x") is None
    assert parse_bom_link(f"urn:cdx:{SERIAL}/0#x") is None


def test_bom_link_dependency_crosses_documents() -> None:
    product = doc(
        "product.cdx.json",
        ["product", "gateway"],
        [
            ("product", "depends-on", "gateway"),
            ("gateway", "depends-on", f"urn:cdx:{SERIAL}/1#appliance"),
        ],
        roots=["product"],
        fmt=Format.CYCLONEDX_JSON,
    )
    g = build_graph([product, _vendor_cdx()])
    assert g.unresolved == []
    # The vendor's root is reached from the product, so it is no longer a root itself.
    assert g.refs(g.roots) == ("product",)
    assert _path_refs(g, "engine") == [("product", "gateway", "appliance", "engine")]


def test_bom_link_version_mismatch_is_unresolved() -> None:
    product = doc(
        "product.cdx.json",
        ["product"],
        [("product", "depends-on", f"urn:cdx:{SERIAL}/1#engine")],
        roots=["product"],
        fmt=Format.CYCLONEDX_JSON,
    )
    g = build_graph([product, _vendor_cdx(version=3)])
    (u,) = g.unresolved
    assert u.document == "product.cdx.json"
    assert u.reference == f"urn:cdx:{SERIAL}/1#engine"
    assert u.reason == "version mismatch: link asks for version 1, vendor.cdx.json is version 3"
    assert u.location == "relationships[0]"
    assert _path_refs(g, "engine") == [("appliance", "engine")]


def test_bom_link_to_missing_document_or_element() -> None:
    other = "11111111-2222-3333-4444-555555555555"
    product = doc(
        "p.json",
        ["product"],
        [
            ("product", "depends-on", f"urn:cdx:{other}/1#x"),
            ("product", "depends-on", f"urn:cdx:{SERIAL}/1#nope"),
            ("product", "depends-on", "urn:cdx:garbage"),
        ],
        roots=["product"],
        fmt=Format.CYCLONEDX_JSON,
    )
    g = build_graph([product, _vendor_cdx()])
    assert [(u.reference, u.reason) for u in g.unresolved] == [
        (f"urn:cdx:{other}/1#x", f"no input document has serial number urn:uuid:{other}"),
        (f"urn:cdx:{SERIAL}/1#nope", "no element 'nope' in vendor.cdx.json"),
        ("urn:cdx:garbage", "malformed BOM-Link"),
    ]


def _product_with_bom_ref(url: str, hashes: tuple[Hash, ...] = ()) -> Document:
    return doc(
        "product.cdx.json",
        [],
        [("product", "depends-on", "gateway")],
        roots=["product"],
        fmt=Format.CYCLONEDX_JSON,
        components=[
            comp("product.cdx.json", "product", 0, metadata=True),
            comp("product.cdx.json", "gateway", 1, bom=[url], bom_hashes=hashes),
        ],
    )


def test_bom_external_reference_by_serial_links_to_the_vendor_root() -> None:
    g = build_graph([_product_with_bom_ref(f"urn:uuid:{SERIAL}"), _vendor_cdx()])
    assert g.unresolved == []
    assert _path_refs(g, "engine") == [("product", "gateway", "appliance", "engine")]
    assert any(e.type == "bom-reference" for e in g.edges)


def test_bom_external_reference_by_bom_link_and_by_file_name() -> None:
    for url in (f"urn:cdx:{SERIAL}/1", "https://vendor.example/sboms/vendor.cdx.json"):
        g = build_graph([_product_with_bom_ref(url), _vendor_cdx()])
        assert g.unresolved == [], url
        assert _path_refs(g, "engine") == [("product", "gateway", "appliance", "engine")]


def test_bom_external_reference_hash_is_verified() -> None:
    bad = (Hash(algorithm="SHA-256", value="0" * 64),)
    g = build_graph([_product_with_bom_ref(f"urn:uuid:{SERIAL}", bad), _vendor_cdx()])
    (u,) = g.unresolved
    assert u.reason.startswith("checksum mismatch: expected SHA-256 000")
    assert u.location == "components[1].externalReferences[0]"
    good = (Hash(algorithm="SHA-256", value="F" * 64),)
    g = build_graph([_product_with_bom_ref(f"urn:uuid:{SERIAL}", good), _vendor_cdx()])
    assert g.unresolved == []


def test_bom_external_reference_not_among_inputs_is_listed() -> None:
    g = build_graph([_product_with_bom_ref("https://example.com/sboms/rhel-8.0.json")])
    (u,) = g.unresolved
    assert (u.document, u.reference, u.reason) == (
        "product.cdx.json",
        "https://example.com/sboms/rhel-8.0.json",
        "no input document matches this name or URL",
    )


def _spdx_product(checksum: str, element: str = "SPDXRef-engine") -> Document:
    return doc(
        "product.spdx.json",
        ["SPDXRef-product"],
        [("SPDXRef-product", "DEPENDS_ON", f"DocumentRef-vendor:{element}")],
        roots=["SPDXRef-product"],
        external=[
            ExternalDocumentRef(
                id="DocumentRef-vendor",
                uri=VENDOR_NS,
                kind="spdx-external-document-ref",
                checksum=Hash(algorithm="SHA-1", value=checksum),
                location="externalDocumentRefs[0]",
            )
        ],
    )


def _spdx_vendor() -> Document:
    return doc(
        "vendor.spdx.json",
        ["SPDXRef-appliance", "SPDXRef-engine"],
        [("SPDXRef-engine", "CONTAINED_BY", "SPDXRef-appliance")],
        roots=["SPDXRef-appliance"],
        namespace=VENDOR_NS,
        sha1=VENDOR_SHA1,
    )


def test_spdx_document_ref_with_good_checksum() -> None:
    g = build_graph([_spdx_product(VENDOR_SHA1.upper()), _spdx_vendor()])
    assert g.unresolved == []
    assert _path_refs(g, "SPDXRef-engine") == [
        ("SPDXRef-product", "SPDXRef-engine"),
        ("SPDXRef-appliance", "SPDXRef-engine"),
    ]


def test_spdx_document_ref_with_bad_checksum_is_not_followed() -> None:
    g = build_graph([_spdx_product("b" * 40), _spdx_vendor()])
    (u,) = g.unresolved
    assert u.reference == "DocumentRef-vendor"
    assert u.reason == (
        f"checksum mismatch: expected SHA-1 {'b' * 40}, vendor.spdx.json has {VENDOR_SHA1}"
    )
    assert u.location == "externalDocumentRefs[0]"
    assert _path_refs(g, "SPDXRef-engine") == [("SPDXRef-appliance", "SPDXRef-engine")]


def test_spdx_document_ref_missing_document_is_listed_once() -> None:
    g = build_graph([_spdx_product(VENDOR_SHA1)])
    assert [(u.reference, u.reason) for u in g.unresolved] == [
        ("DocumentRef-vendor", f"no input document has namespace {VENDOR_NS}")
    ]


def test_spdx_document_ref_to_missing_element_and_undeclared_ref() -> None:
    product = _spdx_product(VENDOR_SHA1, element="SPDXRef-nothere")
    g = build_graph([product, _spdx_vendor()])
    assert [(u.reference, u.reason) for u in g.unresolved] == [
        ("DocumentRef-vendor:SPDXRef-nothere", "no element 'SPDXRef-nothere' in vendor.spdx.json")
    ]
    lonely = doc("p", ["A"], [("A", "DEPENDS_ON", "DocumentRef-x:SPDXRef-y")])
    g = build_graph([lonely])
    assert [(u.reference, u.reason) for u in g.unresolved] == [
        ("DocumentRef-x", "DocumentRef-x is not declared in externalDocumentRefs")
    ]


def test_resolver_document_target() -> None:
    vendor = _spdx_vendor()
    product = _spdx_product(VENDOR_SHA1)
    resolver = LinkResolver([product, vendor])
    target = resolver.resolve(product, "DocumentRef-vendor:SPDXRef-DOCUMENT")
    assert target is not None and target.document == "vendor.spdx.json" and target.ref is None
