"""The CycloneDX JSON reader: every field mapped, structure kept, bad input refused exactly."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from sbomcheck.cli import main
from sbomcheck.errors import IngestError
from sbomcheck.ingest import load, load_bytes
from sbomcheck.model import (
    Component,
    Composition,
    ExternalDocumentRef,
    ExternalReference,
    FileEntry,
    Format,
    Hash,
    Party,
    Pedigree,
    Property,
    Relationship,
)

ASSETS = Path(__file__).resolve().parent.parent / "assets" / "cyclonedx"
RICH = ASSETS / "rich-1.6.json"


def test_rich_document_identity() -> None:
    doc = load(RICH)
    assert doc.format is Format.CYCLONEDX_JSON
    assert doc.spec_version == "1.6"
    assert doc.serial_number == "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"
    assert doc.version == 7
    # Fractional seconds and an offset are valid: kept as written, no warning.
    assert doc.created == "2024-05-01T10:20:30.123456+02:00"
    assert doc.creators == (
        "Person: Alice Example (alice@example.com)",
        "Person: Bob NoMail",
        "Organization: BOM Makers Ltd",
    )
    assert doc.tools == ("acme sbom-gen 2.0", "Scan Corp scan-service 5")
    assert doc.root_refs == ("app",)
    assert doc.warnings == ()
    assert doc.path == str(RICH) and doc.key == str(RICH)
    assert len(doc.sha256) == 64 and len(doc.sha1) == 40 and not doc.gzip


def test_rich_counts_follow_the_manifest_rules() -> None:
    doc = load(RICH)
    # Nested components count, metadata.component (and what it nests) does not.
    assert doc.component_count == 5
    # dependsOn entries as written: the duplicate "lib-c" counts, `provides` does not.
    assert doc.relationship_count == 5
    assert doc.relationships_as_written == 5


def test_every_component_field_is_mapped() -> None:
    doc = load(RICH)
    key = str(RICH)
    lib_a = doc.components[2]
    assert lib_a == Component(
        ref="lib-a",
        document=key,
        location="components[0]",
        name="antivirus-sdk",
        version="21.3",
        group="com.kaspersky",
        type="library",
        purl="pkg:maven/com.kaspersky/antivirus-sdk@21.3",
        cpes=("cpe:2.3:a:kaspersky:antivirus_sdk:21.3:*:*:*:*:*:*:*",),
        swid_tag_id="swid-kl-sdk-21.3",
        hashes=(
            Hash(
                algorithm="SHA-256",
                value="f498a8ff2dd007e29c2074f5e4b01a9a01775c3ff3aeaf6906ea503bc5791b7b",
            ),
            Hash(algorithm="SHA-1", value="e6b1000b94e835ffd37f4c6dcbdad43f4b48a02a"),
        ),
        supplier=Party(
            name="Kaspersky Lab",
            kind="organization",
            emails=("support@kaspersky.com",),
            urls=("https://www.kaspersky.com", "https://support.kaspersky.com"),
        ),
        manufacturer=Party(name="KL Manufacturing", kind="organization"),
        publisher="Kaspersky",
        authors=(
            Party(name="Eugene Author", kind="person", emails=("eugene@example.com",)),
            Party(
                name="Legacy Author",
                emails=("legacy@example.com",),
                raw="Legacy Author <legacy@example.com>",
            ),
        ),
        copyright="Copyright AO Kaspersky Lab",
        licenses=("Apache-2.0", "Kaspersky EULA"),
        description="Antivirus SDK",
        external_references=(
            ExternalReference(type="website", url="https://www.kaspersky.com/sdk"),
            ExternalReference(
                type="bom",
                url="https://sbom.kaspersky.example/sdk-21.3.cdx.json",
                comment="The SDK's own SBOM",
                hashes=(
                    Hash(algorithm="SHA-1", value="25ed8e31b995bb927966616df2a42b979a2717f0"),
                    Hash(
                        algorithm="SHA-256",
                        value="a74f733635a19aefb1f73e5947cef59cd7440c6952ef0f03d09d974274cbd6df",
                    ),
                ),
            ),
        ),
        properties=(
            Property(name="origin", value="vendor drop"),
            Property(name="empty", value=""),
        ),
        pedigree=Pedigree(
            ancestors=(
                Component(
                    ref="upstream-sdk",
                    document=key,
                    location="components[0].pedigree.ancestors[0]",
                    name="sdk-upstream",
                    version="21.0",
                    type="library",
                    purl="pkg:generic/sdk-upstream@21.0",
                ),
            ),
            descendants=(
                Component(
                    ref="components[0].pedigree.descendants[0]",
                    document=key,
                    location="components[0].pedigree.descendants[0]",
                    name="sdk-fork",
                    version="21.3-1",
                    type="library",
                    ref_synthetic=True,
                ),
            ),
            variants=(
                Component(
                    ref="sdk-variant",
                    document=key,
                    location="components[0].pedigree.variants[0]",
                    name="sdk-variant",
                    version="21.3",
                    type="library",
                ),
            ),
            notes="Patched for CVE-2024-0001",
        ),
        files=(
            FileEntry(name="/opt/kl/libsdk.so", ref="occ-1"),
            FileEntry(name="C:\\Program Files\\KL\\sdk.dll"),
        ),
        scope="required",
    )


def test_components_in_document_order_with_parents() -> None:
    doc = load(RICH)
    assert [(c.ref, c.parent, c.is_metadata) for c in doc.components] == [
        ("app", None, True),
        ("app-plugin", "app", True),
        ("lib-a", None, False),
        ("lib-a-core", "lib-a", False),
        ("lib-a-core-util", "lib-a-core", False),
        ("components[1]", None, False),
        ("lib-c", None, False),
    ]
    no_ref = doc.components[5]
    assert no_ref.ref_synthetic and no_ref.location == "components[1]"
    assert no_ref.licenses == ("MIT OR Apache-2.0",)
    # Pedigree entries are identities of their own, never components of the product.
    assert "upstream-sdk" not in {c.ref for c in doc.components}


def test_metadata_supplier_fills_the_product() -> None:
    app = load(RICH).components[0]
    assert app.supplier == Party(
        name="Acme Corp", kind="organization", urls=("https://acme.example",)
    )
    legacy = load(ASSETS / "edge-tools-list-1.4.json")
    product = legacy.components[0]
    assert product.supplier == Party(name="Acme Supply", kind="organization")
    assert product.manufacturer == Party(name="Acme Manufacturing", kind="organization")
    assert legacy.tools == ("Awesome Vendor Awesome Tool 9.1.2", "bare-tool")


def test_services_with_provider_endpoints_and_nesting() -> None:
    doc = load(RICH)
    svc, nested = doc.services
    assert (svc.ref, svc.type, svc.group, svc.name, svc.version) == (
        "svc-1",
        "service",
        "cloud",
        "api",
        "v2",
    )
    assert svc.supplier == Party(
        name="Cloud Inc", kind="organization", urls=("https://cloud.example",)
    )
    assert svc.external_references == (
        ExternalReference(type="endpoint", url="https://api.cloud.example/v2"),
        ExternalReference(type="documentation", url="https://docs.cloud.example"),
    )
    assert svc.licenses == ("MIT",) and svc.properties == (Property(name="tier", value="gold"),)
    assert (nested.ref, nested.parent, nested.location) == (
        "svc-1a",
        "svc-1",
        "services[0].services[0]",
    )
    assert doc.component_count == 5  # services are not components


def test_relationships_explicit_and_implicit() -> None:
    doc = load(RICH)
    key = str(RICH)
    implicit = {(r.source, r.type, r.target) for r in doc.relationships if not r.explicit}
    assert implicit == {
        ("app", "contains", "app-plugin"),
        ("lib-a", "contains", "lib-a-core"),
        ("lib-a-core", "contains", "lib-a-core-util"),
        ("svc-1", "contains", "svc-1a"),
    }
    explicit = [r for r in doc.relationships if r.explicit]
    assert explicit[1] == Relationship(
        source="app",
        type="depends-on",
        target="lib-c",
        document=key,
        location="dependencies[0].dependsOn[1]",
    )
    # Duplicates are kept as written.
    assert [r.target for r in explicit if r.source == "app"] == ["lib-a", "lib-c", "lib-c", "svc-1"]
    assert (
        explicit[-1].type == "provides" and explicit[-1].location == "dependencies[2].provides[0]"
    )
    assert doc.compositions == (
        Composition(aggregate="complete", assemblies=("app",), dependencies=("app",)),
    )


def test_external_documents() -> None:
    doc = load(RICH)
    assert doc.external_refs == (
        ExternalDocumentRef(
            id="https://sbom.kaspersky.example/sdk-21.3.cdx.json",
            uri="https://sbom.kaspersky.example/sdk-21.3.cdx.json",
            kind="cyclonedx-bom-reference",
            checksum=Hash(
                algorithm="SHA-256",
                value="a74f733635a19aefb1f73e5947cef59cd7440c6952ef0f03d09d974274cbd6df",
            ),
            location="components[0].externalReferences[1]",
            from_ref="lib-a",
        ),
        ExternalDocumentRef(
            id="https://example.com/platform.cdx.json",
            uri="https://example.com/platform.cdx.json",
            kind="cyclonedx-bom-reference",
            location="externalReferences[0]",
        ),
        ExternalDocumentRef(
            id="urn:cdx:6e6a0fd3-5f5b-4b5e-9a52-7a5c7e3b0c11/2#ext-comp",
            uri="urn:cdx:6e6a0fd3-5f5b-4b5e-9a52-7a5c7e3b0c11/2",
            kind="cyclonedx-bom-link",
            location="dependencies[1].dependsOn[0]",
        ),
    )


def test_bom_links_anywhere_once_each() -> None:
    doc = load(ASSETS / "edge-bom-link-refs.json")
    link = "urn:cdx:f08a6ccd-4dce-4759-bd84-c626675d60a7/1"
    assert [(r.id, r.uri, r.kind, r.location) for r in doc.external_refs] == [
        (f"{link}#b", link, "cyclonedx-bom-link", "dependencies[0].ref"),
        (f"{link}#c", link, "cyclonedx-bom-link", "dependencies[1].dependsOn[0]"),
        (link, link, "cyclonedx-bom-link", "compositions[0].assemblies[0]"),
    ]
    # BOM-Links point outside the document: not dangling, and both duplicate edges kept.
    assert doc.warnings == ()
    assert doc.relationship_count == 3


def test_pedigree_entries_keep_their_nested_components() -> None:
    doc = load(ASSETS / "edge-pedigree-nested-components.json")
    ancestors = doc.components[0].pedigree.ancestors  # type: ignore[union-attr]
    assert [(c.name, c.parent, c.location) for c in ancestors] == [
        ("a-upstream", None, "components[0].pedigree.ancestors[0]"),
        (
            "x",
            "components[0].pedigree.ancestors[0]",
            "components[0].pedigree.ancestors[0].components[0]",
        ),
    ]
    assert doc.component_count == 1 and doc.warnings == ()


def test_structure_problems_are_kept_and_warned() -> None:
    doc = load(ASSETS / "edge-structure.json")
    assert doc.component_count == 3  # the duplicate "a" is kept
    assert doc.relationship_count == 4  # dangling and self-loop edges are kept
    assert [(w.code, w.location, w.message) for w in doc.warnings] == [
        (
            "duplicate-ref",
            "components[2]",
            "ref 'a' is declared again (first at components[0]); both are kept",
        ),
        ("self-loop", "dependencies[1].dependsOn[1]", "'b' depends-on itself"),
        (
            "dangling-ref",
            "dependencies[0].dependsOn[1]",
            "reference to 'ghost', which no element of this document declares (kept)",
        ),
        ("cycle", "", "relationship cycle among 2 elements: 'a', 'b' (kept)"),
    ]


@pytest.mark.parametrize(
    ("asset", "code", "location", "message"),
    [
        (
            "lenient-missing-name.json",
            "missing-field",
            "components[0]",
            "component has no name; read with name ''",
        ),
        (
            "lenient-empty-bom-ref.json",
            "lenient-value",
            "components[0]",
            "empty bom-ref; the location is used as its ref",
        ),
        (
            "lenient-bad-timestamp.json",
            "lenient-value",
            "metadata.timestamp",
            "timestamp '2024-13-45T10:00:00Z' is not an ISO 8601 date-time; kept as written",
        ),
        (
            "lenient-unknown-spec-version.json",
            "lenient-value",
            "specVersion",
            "specVersion '2.0' is not one of 1.2-1.7; read as the nearest known version",
        ),
        (
            "lenient-metadata-supplier-without-component.json",
            "missing-field",
            "metadata.supplier",
            "metadata.supplier names the supplier of the product, but there is no "
            "metadata.component to attach it to; not used",
        ),
        (
            "lenient-hash-without-content.json",
            "missing-field",
            "components[0].hashes[0]",
            "hash without alg or content; not used",
        ),
    ],
)
def test_lenient_readings_warn(asset: str, code: str, location: str, message: str) -> None:
    doc = load(ASSETS / asset)
    assert [(w.code, w.location, w.message) for w in doc.warnings] == [(code, location, message)]


def test_lenient_values_are_kept() -> None:
    assert load(ASSETS / "lenient-missing-name.json").components[0].name == ""
    empty_ref = load(ASSETS / "lenient-empty-bom-ref.json").components[0]
    assert (empty_ref.ref, empty_ref.ref_synthetic) == ("components[0]", True)
    assert load(ASSETS / "lenient-bad-timestamp.json").created == "2024-13-45T10:00:00Z"
    hashes = load(ASSETS / "lenient-hash-without-content.json").components[0].hashes
    assert hashes == (Hash(algorithm="SHA-1", value="ab"),)


@pytest.mark.parametrize(
    ("asset", "location", "message"),
    [
        ("bad-components-not-array.json", "components", "expected an array, got an object"),
        ("bad-component-not-object.json", "components[0]", "expected an object, got a string"),
        ("bad-name-type.json", "components[1].name", "expected a string, got a number"),
        (
            "bad-nested-supplier-type.json",
            "components[1].components[0].supplier",
            "expected an object, got an array",
        ),
        (
            "bad-hash-content-type.json",
            "components[0].hashes[0].content",
            "expected a string, got a number",
        ),
        ("bad-dependson-type.json", "dependencies[0].dependsOn", "expected an array, got a string"),
        ("bad-version-type.json", "version", "expected an integer, got a string"),
        (
            "bad-spec-version-missing.json",
            "specVersion",
            "required member is missing (every CycloneDX BOM states its spec version)",
        ),
        ("bad-truncated.json", "line 1 column 77", "invalid JSON: unexpected end of data"),
    ],
)
def test_malformed_input_fails_closed(asset: str, location: str, message: str) -> None:
    path = ASSETS / asset
    with pytest.raises(IngestError) as info:
        load(path)
    assert (info.value.source, info.value.location, info.value.message) == (
        str(path),
        location,
        message,
    )


def test_cli_reports_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    path = ASSETS / "bad-nested-supplier-type.json"
    assert main(["inspect", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"sbomcheck: error: {path}: components[1].components[0].supplier: "
        "expected an object, got an array\n"
    )


def test_gzip_input_reads_the_same(tmp_path: Path) -> None:
    raw = RICH.read_bytes()
    packed = tmp_path / "rich.cdx.json.gz"
    packed.write_bytes(gzip.compress(raw, mtime=0))
    plain = load_bytes(raw, key="rich")
    zipped = load(packed, key="rich")
    assert zipped.gzip and not plain.gzip
    assert zipped.sha256 != plain.sha256  # of the bytes as given
    assert zipped.components == plain.components
    assert zipped.relationships == plain.relationships
    assert zipped.external_refs == plain.external_refs


def test_reader_leaves_the_gc_as_it_found_it() -> None:
    import gc

    assert gc.isenabled()
    load(RICH)
    assert gc.isenabled()
    gc.disable()
    try:
        load(RICH)
        assert not gc.isenabled()
    finally:
        gc.enable()
