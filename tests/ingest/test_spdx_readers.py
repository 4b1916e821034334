"""SPDX readers on hand-written inputs: every field mapped, all serialisations agree, exact errors."""

from __future__ import annotations

import gc
import gzip
from pathlib import Path

import pytest

from sbomcheck.errors import IngestError
from sbomcheck.ingest import load, load_bytes
from sbomcheck.ingest._spdx_common import _Component
from sbomcheck.ingest._spdx_values import hash_algorithm, parse_party, relationship_type
from sbomcheck.model import (
    Component,
    Document,
    ExternalDocumentRef,
    ExternalReference,
    FileEntry,
    Format,
    Hash,
    Party,
)

ASSETS = Path(__file__).resolve().parent.parent / "assets" / "spdx"
SERIALISATIONS = {
    "full.spdx.json": Format.SPDX_JSON,
    "full.spdx.yaml": Format.SPDX_YAML,
    "full.spdx": Format.SPDX_TV,
    "full.spdx.xml": Format.SPDX_XML,
    "full.spdx.rdf.xml": Format.SPDX_RDF,
}
_POSITION_FIELDS = ("document", "location", "line")


def _identity(c: Component) -> tuple[object, ...]:
    """Everything but where it was read (locations differ by serialisation)."""
    return tuple(getattr(c, f) for f in c.__dataclass_fields__ if f not in _POSITION_FIELDS)


def _load(name: str) -> Document:
    return load(ASSETS / name)


def test_json_maps_every_field() -> None:
    doc = _load("full.spdx.json")
    assert (doc.format, doc.spec_version, doc.name, doc.namespace, doc.spdx_id) == (
        Format.SPDX_JSON,
        "2.3",
        "acme-app-1.0",
        "https://example.org/spdx/acme-app-1.0",
        "SPDXRef-DOCUMENT",
    )
    assert doc.created == "2024-05-01T10:00:00Z"
    assert doc.creators == ("Tool: acme-sbom-2.1", "Organization: ACME Corp (sbom@acme.example)")
    assert doc.tools == ("acme-sbom-2.1",)
    assert doc.root_refs == ("SPDXRef-app",)
    assert doc.external_refs == (
        ExternalDocumentRef(
            id="DocumentRef-base",
            uri="https://example.org/spdx/base-os-7",
            kind="spdx-external-document-ref",
            checksum=Hash(algorithm="SHA-1", value="d6a770ba38583ed4bb4525bd96e50461655d2759"),
            location="externalDocumentRefs[0]",
        ),
    )
    assert doc.warnings == ()
    app, sdk = doc.components
    assert type(app) is Component
    assert app == Component(
        ref="SPDXRef-app",
        document=doc.key,
        location="packages[0]",
        name="acme-app",
        version="1.0",
        type="application",
        purl="pkg:npm/acme-app@1.0",
        cpes=("cpe:2.3:a:acme:acme-app:1.0:*:*:*:*:*:*:*",),
        hashes=(Hash(algorithm="SHA-256", value="ab12cd"),),
        supplier=Party(
            name="ACME Corp",
            kind="organization",
            emails=("sbom@acme.example",),
            raw="Organization: ACME Corp (sbom@acme.example)",
        ),
        originator=Party(
            name="Jane Doe",
            kind="person",
            emails=("jane@acme.example",),
            raw="Person: Jane Doe (jane@acme.example)",
        ),
        copyright="Copyright 2024 ACME Corp",
        licenses=("Apache-2.0", "(Apache-2.0 OR MIT)", "MIT"),
        description="ACME application",
        external_references=(
            ExternalReference(type="PACKAGE-MANAGER/purl", url="pkg:npm/acme-app@1.0"),
            ExternalReference(
                type="SECURITY/cpe23Type",
                url="cpe:2.3:a:acme:acme-app:1.0:*:*:*:*:*:*:*",
                comment="NVD name",
            ),
            ExternalReference(type="download", url="https://acme.example/dl/acme-app-1.0.tgz"),
            ExternalReference(type="homepage", url="https://acme.example"),
        ),
        files=(
            FileEntry(
                name="./bin/acme",
                ref="SPDXRef-main",
                checksums=(
                    Hash(algorithm="SHA-1", value="85ed0817af83a24ad8da68c2b5094de69833983c"),
                ),
            ),
        ),
        release_date="2024-04-01T00:00:00Z",
        built_date="2024-03-31T00:00:00Z",
        valid_until_date="2026-04-01T00:00:00Z",
    )
    # NOASSERTION is never a party, licence, copyright or download location
    assert (sdk.supplier, sdk.licenses, sdk.copyright, sdk.description) == (
        None,
        (),
        None,
        "Scanning engine",
    )
    assert sdk.external_references == (
        ExternalReference(type="PACKAGE-MANAGER/purl", url="pkg:generic/avsdk@8.2"),
    )
    (main,) = doc.files
    assert (main.ref, main.name, main.type, main.licenses, main.copyright) == (
        "SPDXRef-main",
        "./bin/acme",
        "file",
        ("Apache-2.0",),
        "Copyright 2024 ACME Corp",
    )
    edges = [(r.source, r.type, r.target, r.explicit, r.comment) for r in doc.relationships]
    assert edges == [
        ("SPDXRef-app", "depends-on", "SPDXRef-avsdk", True, "bundled"),
        ("SPDXRef-app", "descendant-of", "DocumentRef-base:SPDXRef-os", True, None),
        ("SPDXRef-DOCUMENT", "describes", "SPDXRef-app", False, None),
        ("SPDXRef-app", "contains", "SPDXRef-main", False, None),
    ]
    assert doc.relationship_count == 2


@pytest.mark.parametrize("name", sorted(SERIALISATIONS))
def test_every_serialisation_gives_the_same_model(name: str) -> None:
    reference = _load("full.spdx.json")
    doc = _load(name)
    assert doc.format is SERIALISATIONS[name]
    assert [_identity(c) for c in doc.components] == [_identity(c) for c in reference.components]
    assert [_identity(c) for c in doc.files] == [_identity(c) for c in reference.files]
    edges = {(r.source, r.type, r.target, r.comment) for r in doc.relationships}
    assert edges == {(r.source, r.type, r.target, r.comment) for r in reference.relationships}
    assert (doc.name, doc.namespace, doc.created, doc.tools, doc.root_refs) == (
        reference.name,
        reference.namespace,
        reference.created,
        reference.tools,
        reference.root_refs,
    )
    assert sorted(doc.creators) == sorted(reference.creators)
    assert [(e.id, e.uri, e.checksum) for e in doc.external_refs] == [
        (e.id, e.uri, e.checksum) for e in reference.external_refs
    ]
    assert doc.warnings == ()


def test_tag_value_and_rdf_write_describes_explicitly() -> None:
    # The corpus README: explicit entries differ by serialisation; only those are counted.
    counts = {name: _load(name).relationship_count for name in SERIALISATIONS}
    assert counts == {
        "full.spdx.json": 2,
        "full.spdx.yaml": 2,
        "full.spdx": 3,
        "full.spdx.xml": 2,
        "full.spdx.rdf.xml": 3,
    }


def test_locations_name_the_place_in_each_serialisation() -> None:
    tv = _load("full.spdx")
    assert [(c.location, c.line) for c in tv.components] == [("line 13", 13), ("line 46", 46)]
    assert [r.location for r in tv.relationships if r.explicit] == ["line 11", "line 35", "line 37"]
    xml = _load("full.spdx.xml")
    assert [(c.location, c.line) for c in xml.components] == [
        ("/Document/packages[1]", 22),
        ("/Document/packages[2]", 58),
    ]
    assert xml.external_refs[0].location == "/Document/externalDocumentRefs[1]"
    rdf = _load("full.spdx.rdf.xml")
    assert [c.location for c in rdf.components] == ["line 35", "line 83"]


def test_tag_value_multi_line_text_and_file_ownership() -> None:
    text = (
        "SPDXVersion: SPDX-2.2\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: d\n"
        "FileName: ./loose.c\nSPDXID: SPDXRef-loose\n"
        "PackageName: p\nSPDXID: SPDXRef-p\n"
        "PackageDescription: <text>first line\n  second: line\n</text>\n"
        "FileName: ./owned.c\nSPDXID: SPDXRef-owned\n"
        "FileCopyrightText: <text>Copyright\nACME</text>\n"
    )
    doc = load_bytes(text.encode(), key="inline.spdx")
    (package,) = doc.components
    assert package.description == "first line\n  second: line\n"
    assert [f.ref for f in package.files] == ["SPDXRef-owned"]  # not the file before it
    assert [f.copyright for f in doc.files] == [None, "Copyright\nACME"]
    assert [(r.source, r.type, r.target, r.explicit) for r in doc.relationships] == [
        ("SPDXRef-p", "contains", "SPDXRef-owned", False)
    ]


def test_tag_value_warnings_come_in_the_general_builders_order() -> None:
    # NOTE: packages are built as their sections end, before the document's own members
    # are read; what building them says must still come after what those members say.
    text = (
        "SPDXVersion: 2.3\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: d\nCreator: somebody\n"
        "Created: yesterday\nnot a tag\n"
        "PackageName: a\nPackageSupplier: Acme\nExternalRef: PACKAGE-MANAGER purl npm/a@1\n"
        "ReleaseDate: 2020\n"
        "PackageName: b\nSPDXID: SPDXRef-b\nPackageSupplier: Acme\n"
        "FileName: f\nSPDXID: SPDXRef-f\n"
        "Relationship: SPDXRef-b ODD_TYPE SPDXRef-f\n"
    )
    doc = load_bytes(text.encode(), key="w.spdx")
    assert [(w.code, w.location) for w in doc.warnings] == [
        ("lenient-value", "line 6"),
        ("lenient-value", "line 1"),
        ("missing-field", "line 7"),
        ("unknown-relationship", "line 16"),
        ("lenient-value", "line 5"),
        ("lenient-value", "line 4"),
        ("lenient-value", "line 7 supplier"),
        ("lenient-value", "line 7 externalRefs[0]"),
        ("lenient-value", "line 7 releaseDate"),
    ]
    (package_b,) = [c for c in doc.components if c.ref == "SPDXRef-b"]
    assert [f.ref for f in package_b.files] == ["SPDXRef-f"]


def test_tag_value_reading_leaves_no_reference_cycle() -> None:
    # NOTE: the collector is paused while a document is read; a cycle through the reader
    # (its tables of handlers once held bound methods) kept the whole model alive after the
    # Document was dropped, until the next collection walked it all.
    data = (ASSETS / "full.spdx").read_bytes()
    load_bytes(data, key="warm-up.spdx")
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        doc = load_bytes(data, key="full.spdx")
        assert doc.components and doc.relationships
        del doc
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()


def test_gzip_input_is_read() -> None:
    data = gzip.compress((ASSETS / "full.spdx.json").read_bytes())
    doc = load_bytes(data, key="full.spdx.json.gz")
    assert doc.gzip and doc.component_count == 2


def test_spdx3_maps_every_field() -> None:
    doc = _load("full.spdx3.json")
    assert (doc.format, doc.spec_version, doc.name, doc.namespace, doc.created) == (
        Format.SPDX3_JSONLD,
        "3.0.1",
        "acme-app-1.0",
        "urn:acme:doc",
        "2024-05-01T10:00:00Z",
    )
    assert doc.creators == ("Organization: ACME Corp", "Tool: acme-sbom-2.1")
    assert doc.tools == ("acme-sbom-2.1",)
    assert doc.root_refs == ("urn:acme:app",)  # through the software_Sbom to its root
    assert doc.external_refs == (
        ExternalDocumentRef(
            id="urn:base:os",
            uri="https://example.org/base.spdx3.json",
            kind="spdx3-external-map",
            checksum=Hash(algorithm="SHA-256", value="ab12"),
            location="@graph[3].import[0]",
        ),
    )
    app, model = doc.components
    acme = Party(
        name="ACME Corp", kind="organization", emails=("sbom@acme.example",), raw="ACME Corp"
    )
    assert (app.name, app.version, app.purl, app.cpes, app.type) == (
        "acme-app",
        "1.0",
        "pkg:npm/acme-app@1.0",
        ("cpe:2.3:a:acme:acme-app:1.0:*:*:*:*:*:*:*",),
        "application",
    )
    assert (app.supplier, app.originator, app.licenses, app.copyright) == (
        acme,
        acme,
        ("Apache-2.0",),
        "Copyright 2024 ACME Corp",
    )
    assert (app.release_date, app.built_date, app.valid_until_date) == (
        "2024-04-01T00:00:00Z",
        "2024-03-31T00:00:00Z",
        "2026-04-01T00:00:00Z",
    )
    assert app.hashes == (Hash(algorithm="SHA-256", value="ab12cd"),)
    assert app.description == "ACME application"  # summary, as no description is given
    assert [f.ref for f in app.files] == ["urn:acme:file"]
    assert (model.ref, model.description) == ("urn:acme:model", "a model")  # ai_AIPackage
    # 3 relationship elements, 4 edges (one per `to`)
    assert (doc.relationship_count, len(doc.relationships)) == (3, 4)
    assert {r.type for r in doc.relationships} == {
        "contains",
        "depends-on",
        "has-concluded-license",
    }
    assert doc.warnings == ()


# ---- errors (fail closed) and warnings (lenient), pinned as exact strings


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad-supplier-type.spdx.json", "packages[1].supplier: expected a string, got number"),
        ("packages-not-array.spdx.json", "packages: expected an array, got object"),
        (
            "relationship-without-type.spdx.json",
            "relationships[0]: relationship without relationshipType",
        ),
        ("unterminated-text.spdx", "line 11: <text> is never closed by </text>"),
        (
            "bad-relationship-line.spdx",
            "line 11: Relationship must be 'SPDXRef-A TYPE SPDXRef-B', got 'SPDXRef-a DEPENDS_ON'",
        ),
        (
            "bad-checksum.spdx",
            "line 11: checksum must be 'ALGORITHM: value', got "
            "'SHA1 85ed0817af83a24ad8da68c2b5094de69833983c'",
        ),
        (
            "bad-external-ref.spdx",
            "line 11: ExternalRef must be 'CATEGORY TYPE LOCATOR', got 'PACKAGE-MANAGER purl'",
        ),
        ("rdf-without-document.spdx.rdf.xml", "/rdf:RDF: RDF/XML has no spdx:SpdxDocument"),
        ("spdx3-name-not-string.spdx3.json", "@graph[5].name: expected a string, got number"),
        # A repeated single-valued tag or element: which value counts is not for us to guess.
        (
            "repeated-tag.spdx",
            "line 12: PackageVersion appears twice in one package; it may appear once, so "
            "sbomcheck refuses the document rather than guess which value counts",
        ),
        (
            "repeated-element.spdx.xml",
            "/Document/packages[1]/name[2]: element <name> appears twice in one parent "
            "(line 9); it may appear once, so sbomcheck refuses the document rather than "
            "guess which counts",
        ),
    ],
)
def test_malformed_input_is_refused(name: str, message: str) -> None:
    path = ASSETS / name
    with pytest.raises(IngestError) as info:
        load(path)
    assert str(info.value) == f"{path}: {message}"


@pytest.mark.parametrize(
    ("name", "warnings"),
    [
        (
            "duplicate-spdxid.spdx.json",
            [
                (
                    "duplicate-ref",
                    "packages[1]",
                    "ref 'SPDXRef-a' is declared again (first at packages[0]); both are kept",
                ),
                (
                    "dangling-ref",
                    "relationships[0]",
                    "reference to 'SPDXRef-b', which no element of this document declares (kept)",
                ),
            ],
        ),
        (
            "dangling-relationship.spdx.json",
            [
                (
                    "dangling-ref",
                    "relationships[1]",
                    "reference to 'SPDXRef-missing', which no element of this document "
                    "declares (kept)",
                )
            ],
        ),
        (
            "cycle.spdx.json",
            [
                (
                    "cycle",
                    "",
                    "relationship cycle among 2 elements: 'SPDXRef-a', 'SPDXRef-b' (kept)",
                )
            ],
        ),
        (
            "self-loop.spdx.json",
            [("self-loop", "relationships[1]", "'SPDXRef-b' depends-on itself")],
        ),
        (
            "fractional-created.spdx.json",
            [
                (
                    "lenient-value",
                    "creationInfo.created",
                    "created '2024-05-01T10:00:00.123456Z' is not in the SPDX form "
                    "YYYY-MM-DDThh:mm:ssZ; read as written",
                )
            ],
        ),
        (
            "supplier-without-prefix.spdx.json",
            [
                (
                    "lenient-value",
                    "packages[0].supplier",
                    "supplier 'ACME Corp' has no 'Organization:' or 'Person:' prefix; read as a name",
                )
            ],
        ),
        (
            "unknown-relationship-type.spdx.json",
            [
                (
                    "unknown-relationship",
                    "relationships[0]",
                    "relationship type 'DESCRIBE' is not an SPDX 2.3 type; kept as 'describe'",
                )
            ],
        ),
        (
            "package-without-spdxid.spdx.json",
            [
                (
                    "missing-field",
                    "packages[1]",
                    "package without SPDXID; referred to by its location",
                ),
                (
                    "dangling-ref",
                    "relationships[0]",
                    "reference to 'SPDXRef-b', which no element of this document declares (kept)",
                ),
            ],
        ),
        (
            "unquoted-version.spdx.yaml",
            [
                (
                    "lenient-value",
                    "creationInfo.created and 1 more",
                    "unquoted YAML scalar read as a string (quote it to keep it exact)",
                )
            ],
        ),
        (
            "spdx3-duplicate-spdxid.spdx3.json",
            [
                (
                    "duplicate-ref",
                    "@graph[12]",
                    "ref 'urn:acme:app' is declared again (first at @graph[5]); both are kept",
                )
            ],
        ),
    ],
)
def test_irregular_input_is_read_with_warnings(
    name: str, warnings: list[tuple[str, str, str]]
) -> None:
    doc = _load(name)
    assert [(w.code, w.location, w.message) for w in doc.warnings] == warnings


def test_lenient_reads_keep_everything() -> None:
    dup = _load("duplicate-spdxid.spdx.json")
    assert [c.name for c in dup.components] == ["a", "b"]
    synthetic = _load("package-without-spdxid.spdx.json").components[1]
    assert (synthetic.ref, synthetic.ref_synthetic, synthetic.name) == ("packages[1]", True, "b")
    assert _load("unquoted-version.spdx.yaml").components[0].version == "1.1"
    # Two different packages under one spdxId: both are read, as in every other format.
    dup3 = _load("spdx3-duplicate-spdxid.spdx3.json")
    assert [c.ref for c in dup3.components].count("urn:acme:app") == 2
    assert dup3.components[0].name == "acme-app"


# ---- helpers


@pytest.mark.parametrize(
    ("raw", "party"),
    [
        ("NOASSERTION", None),
        ("NONE", None),
        (
            "Organization: ACME (a@b.example)",
            Party(
                name="ACME",
                kind="organization",
                emails=("a@b.example",),
                raw="Organization: ACME (a@b.example)",
            ),
        ),
        ("Person: Jane Doe ()", Party(name="Jane Doe", kind="person", raw="Person: Jane Doe ()")),
        ("Tool: scanner (v2)", Party(name="scanner (v2)", kind="tool", raw="Tool: scanner (v2)")),
        ("Kaspersky Lab", Party(name="Kaspersky Lab", raw="Kaspersky Lab")),
        ("Organization: NOASSERTION", Party(kind="organization", raw="Organization: NOASSERTION")),
    ],
)
def test_parse_party(raw: str, party: Party | None) -> None:
    assert parse_party(raw) == party


@pytest.mark.parametrize(
    ("raw", "norm"),
    [
        ("SHA1", "SHA-1"),
        ("sha256", "SHA-256"),
        ("BLAKE2b-384", "BLAKE2B-384"),
        ("SHA3-512", "SHA3-512"),
        ("MD5", "MD5"),
        ("http://spdx.org/rdf/terms#checksumAlgorithm_sha512", "SHA-512"),
    ],
)
def test_hash_algorithm(raw: str, norm: str) -> None:
    assert hash_algorithm(raw) == norm


@pytest.mark.parametrize(
    ("raw", "norm"),
    [
        ("DEPENDS_ON", "depends-on"),
        ("dependsOn", "depends-on"),
        ("HAS_CONCLUDED_LICENSE", "has-concluded-license"),
        ("contains", "contains"),
        ("OTHER", "other"),
    ],
)
def test_relationship_type(raw: str, norm: str) -> None:
    assert relationship_type(raw) == norm


def test_keyword_builder_makes_real_frozen_components() -> None:
    twin = _Component(ref="r", document="d", location="l", name="n")
    assert type(twin) is Component
    assert twin == Component(ref="r", document="d", location="l", name="n")
    assert hash(twin) == hash(Component(ref="r", document="d", location="l", name="n"))
    with pytest.raises(AttributeError):
        twin.name = "other"  # type: ignore[misc]
