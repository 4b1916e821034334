"""No reader drops a component or a finding silently (the fail-closed oracle).

Small documents are generated in every format sbomcheck reads, one of their components
sometimes Kaspersky technology, and then mutated the way an SBOM's author who wants a pass
might: a key or a single-valued element written twice (the second copy empty or different),
a component moved into another CycloneDX namespace or into a foreign one, an SPDX 3 package
given a type SPDX does not define. Whatever the mutation, one of these holds:

- the document is refused (`IngestError`: exit 2, one line naming the place), or
- every component is still read, and a finding of the original is still found, or
- what was not read is reported (`Document.unread`), so the verdict cannot be a pass.

Never: fewer components without an error or a warning, or a finding gone with a pass.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from hypothesis import given, settings
from hypothesis import strategies as st

from sbomcheck.errors import IngestError
from sbomcheck.ingest import load_bytes
from sbomcheck.model import Document
from sbomcheck.scan import ScanOptions, scan_documents

NS = "https://example.org/spdx/gen"
CDX_NS = "http://cyclonedx.org/schema/bom/1.6"


@dataclass(frozen=True)
class Comp:
    ref: str
    name: str
    version: str
    supplier: str

    @property
    def purl(self) -> str:
        return f"pkg:generic/{self.name.replace(' ', '-').lower()}@{self.version}"


KASPERSKY = ("Kaspersky Anti-Virus SDK", "8.0", "Kaspersky Lab")
OTHERS = [
    ("zlib", "1.3", "Zlib Project"),
    ("openssl", "3.0.1", "OpenSSL"),
    ("acme-ui", "2", "ACME"),
]


@cache
def _options() -> ScanOptions:
    from sbomcheck.identify import load_catalogue
    from sbomcheck.policy import load_rules

    return ScanOptions(as_of=dt.date(2026, 1, 15), catalogue=load_catalogue(), rules=load_rules())


@dataclass(frozen=True)
class Mutation:
    """What to do to the generated document (one at a time)."""

    kind: str
    """`none`, `dup` (a key or single-valued element twice), `namespace` (a CycloneDX XML
    component in another namespace), `retype` (an SPDX 3 package of an unknown type)."""
    target: int = 0
    """Which place: an index into the format's list of places (taken modulo its length)."""
    variant: int = 0
    """Which second value, or which namespace."""


# -- JSON-shaped documents, written with an optional repeated key --------------------------

_SECOND_VALUES: list[object] = [[], "x", {}, None, "same"]


def _json_with_repeat(doc: object, target: int, variant: int, dup: bool) -> str:
    """JSON text of `doc`; with `dup`, the `target`-th member (document order) is written
    twice, before or after the original, the other copy holding another value."""
    counter = [0]

    def write(value: object) -> str:
        if isinstance(value, dict):
            parts = []
            for k, v in value.items():
                here = counter[0]
                counter[0] += 1
                member = f"{json.dumps(k)}: {write(v)}"
                if dup and here == target:
                    other = _SECOND_VALUES[variant % len(_SECOND_VALUES)]
                    other = v if other == "same" else other
                    second = f"{json.dumps(k)}: {json.dumps(other)}"
                    parts += [second, member] if variant % 2 else [member, second]
                else:
                    parts.append(member)
            return "{" + ", ".join(parts) + "}"
        if isinstance(value, list):
            return "[" + ", ".join(write(v) for v in value) + "]"
        return json.dumps(value)

    return write(doc)


def _members(doc: object) -> int:
    if isinstance(doc, dict):
        return len(doc) + sum(_members(v) for v in doc.values())
    if isinstance(doc, list):
        return sum(_members(v) for v in doc)
    return 0


def cdx_json(comps: list[Comp], m: Mutation) -> bytes:
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {
            "timestamp": "2024-01-01T00:00:00Z",
            "component": {"bom-ref": "root", "type": "application", "name": "product"},
        },
        "components": [
            {
                "bom-ref": c.ref,
                "type": "library",
                "name": c.name,
                "version": c.version,
                "purl": c.purl,
                "supplier": {"name": c.supplier},
            }
            for c in comps
        ],
        "dependencies": [{"ref": "root", "dependsOn": [c.ref for c in comps]}],
    }
    return _json_with_repeat(doc, m.target % _members(doc), m.variant, m.kind == "dup").encode()


def _spdx2_dict(comps: list[Comp]) -> dict[str, Any]:
    return {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "product",
        "documentNamespace": NS,
        "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Tool: gen"]},
        "documentDescribes": ["SPDXRef-root"],
        "packages": [
            {"SPDXID": "SPDXRef-root", "name": "product", "downloadLocation": "NOASSERTION"},
            *(
                {
                    "SPDXID": f"SPDXRef-{c.ref}",
                    "name": c.name,
                    "versionInfo": c.version,
                    "supplier": f"Organization: {c.supplier}",
                    "downloadLocation": "NOASSERTION",
                    "externalRefs": [
                        {
                            "referenceCategory": "PACKAGE-MANAGER",
                            "referenceType": "purl",
                            "referenceLocator": c.purl,
                        }
                    ],
                }
                for c in comps
            ),
        ],
        "relationships": [
            {
                "spdxElementId": "SPDXRef-root",
                "relationshipType": "DEPENDS_ON",
                "relatedSpdxElement": f"SPDXRef-{c.ref}",
            }
            for c in comps
        ],
    }


def spdx_json(comps: list[Comp], m: Mutation) -> bytes:
    doc = _spdx2_dict(comps)
    return _json_with_repeat(doc, m.target % _members(doc), m.variant, m.kind == "dup").encode()


def spdx_yaml(comps: list[Comp], m: Mutation) -> bytes:
    # Block mapping at the top, JSON flow style inside (valid YAML), so a key can repeat
    # at the top or at any depth below.
    doc = _spdx2_dict(comps)
    keys = list(doc)
    place = m.target % _members(doc) if m.kind == "dup" else -1
    inner = place - len(keys)
    lines = []
    for i, k in enumerate(keys):
        size = _members(doc[k])
        lines.append(f"{k}: {_json_with_repeat(doc[k], inner, m.variant, 0 <= inner < size)}")
        inner -= size
        if i == place:
            lines.append(f"{k}: {json.dumps(_SECOND_VALUES[m.variant % 4])}")
    return ("\n".join(lines) + "\n").encode()


def spdx3(comps: list[Comp], m: Mutation) -> bytes:
    graph: list[dict[str, Any]] = [
        {
            "type": "CreationInfo",
            "@id": "_:ci",
            "specVersion": "3.0.1",
            "created": "2024-01-01T00:00:00Z",
            "createdBy": ["urn:gen:org"],
        },
        {"type": "Organization", "spdxId": "urn:gen:org", "name": "Gen", "creationInfo": "_:ci"},
        {
            "type": "SpdxDocument",
            "spdxId": "urn:gen:doc",
            "creationInfo": "_:ci",
            "rootElement": ["urn:gen:root"],
        },
        {"type": "software_Package", "spdxId": "urn:gen:root", "name": "product"},
    ]
    for i, c in enumerate(comps):
        retyped = m.kind == "retype" and i == m.target % len(comps)
        graph += [
            {
                "type": "software_PackageX" if retyped else "software_Package",
                "spdxId": f"urn:gen:{c.ref}",
                "name": c.name,
                "software_packageVersion": c.version,
                "software_packageUrl": c.purl,
                "suppliedBy": f"urn:gen:supplier-{c.ref}",
                "creationInfo": "_:ci",
            },
            {
                "type": "Organization",
                "spdxId": f"urn:gen:supplier-{c.ref}",
                "name": c.supplier,
                "creationInfo": "_:ci",
            },
            {
                "type": "Relationship",
                "spdxId": f"urn:gen:rel-{c.ref}",
                "from": "urn:gen:root",
                "relationshipType": "dependsOn",
                "to": [f"urn:gen:{c.ref}"],
                "creationInfo": "_:ci",
            },
        ]
    doc = {"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": graph}
    return _json_with_repeat(doc, m.target % _members(doc), m.variant, m.kind == "dup").encode()


# -- element-shaped documents, written with an optional repeated element ------------------


def _x(text: str) -> str:
    return escape(text)


def cdx_xml(comps: list[Comp], m: Mutation) -> bytes:
    """CycloneDX 1.6 XML. Places to repeat: <metadata>, <components>, <dependencies>, and
    a component's <name>, <version>, <purl>, <supplier>."""
    places = ["metadata", "components", "dependencies", "name", "version", "purl", "supplier"]
    dup = places[m.target % len(places)] if m.kind == "dup" else None
    moved = m.target % len(comps) if m.kind == "namespace" else -1
    other_ns = ["http://cyclonedx.org/schema/bom/1.4", "urn:evil"][m.variant % 2]
    empty_second = m.variant % 3 == 0

    def component(i: int, c: Comp) -> str:
        xmlns = f" xmlns={quoteattr(other_ns)}" if i == moved else ""
        fields = {
            "supplier": f"<supplier><name>{_x(c.supplier)}</name></supplier>",
            "name": f"<name>{_x(c.name)}</name>",
            "version": f"<version>{_x(c.version)}</version>",
            "purl": f"<purl>{_x(c.purl)}</purl>",
        }
        body = []
        for key, element in fields.items():
            body.append(element)
            if dup == key and i == 0:
                body.append(f"<{key}/>" if empty_second else element.replace(c.name, "x"))
        return f'<component type="library" bom-ref={quoteattr(c.ref)}{xmlns}>{"".join(body)}</component>'

    sections = {
        "metadata": (
            "<metadata><timestamp>2024-01-01T00:00:00Z</timestamp>"
            '<component type="application" bom-ref="root"><name>product</name></component>'
            "</metadata>"
        ),
        "components": "<components>"
        + "".join(component(i, c) for i, c in enumerate(comps))
        + "</components>",
        "dependencies": '<dependencies><dependency ref="root">'
        + "".join(f"<dependency ref={quoteattr(c.ref)}/>" for c in comps)
        + "</dependency></dependencies>",
    }
    body = []
    for key, element in sections.items():
        body.append(element)
        if dup == key:
            body.append(f"<{key}/>")
    return (
        f'<?xml version="1.0"?>\n<bom xmlns="{CDX_NS}" version="1">{"".join(body)}</bom>\n'
    ).encode()


def spdx_xml(comps: list[Comp], m: Mutation) -> bytes:
    """The SPDX 2 XML flavour; places to repeat: a package's name, versionInfo, supplier."""
    places = ["name", "versionInfo", "supplier"]
    dup = places[m.target % len(places)] if m.kind == "dup" else None

    def element(name: str, value: object) -> str:
        if isinstance(value, dict):
            return f"<{name}>{''.join(element(k, v) for k, v in value.items())}</{name}>"
        if isinstance(value, list):
            return "".join(element(name, v) for v in value)
        return f"<{name}>{_x(str(value))}</{name}>"

    doc = _spdx2_dict(comps)
    for p in doc["packages"][1:2]:
        if dup is not None:
            # A second copy of the member: the XML flavour writes it as a second element.
            p[dup] = [p[dup], "x" if m.variant % 2 else ""]
    text = "".join(element(k, v) for k, v in doc.items())
    return f'<?xml version="1.0"?>\n<Document>{text}</Document>\n'.encode()


def spdx_tv(comps: list[Comp], m: Mutation) -> bytes:
    """Tag-value; places to repeat: a package's SPDXID, PackageVersion, PackageSupplier."""
    places = ["SPDXID", "PackageVersion", "PackageSupplier"]
    dup = places[m.target % len(places)] if m.kind == "dup" else None
    lines = [
        "SPDXVersion: SPDX-2.3",
        "DataLicense: CC0-1.0",
        "SPDXID: SPDXRef-DOCUMENT",
        "DocumentName: product",
        f"DocumentNamespace: {NS}",
        "Creator: Tool: gen",
        "Created: 2024-01-01T00:00:00Z",
        "",
        "PackageName: product",
        "SPDXID: SPDXRef-root",
        "PackageDownloadLocation: NOASSERTION",
    ]
    for i, c in enumerate(comps):
        block = {
            "SPDXID": f"SPDXRef-{c.ref}",
            "PackageVersion": c.version,
            "PackageSupplier": f"Organization: {c.supplier}",
        }
        lines += ["", f"PackageName: {c.name}"]
        for tag, value in block.items():
            lines.append(f"{tag}: {value}")
            if tag == dup and i == 0:
                lines.append(f"{tag}: {'Organization: x' if tag == 'PackageSupplier' else 'x'}")
        lines += [
            "PackageDownloadLocation: NOASSERTION",
            f"ExternalRef: PACKAGE-MANAGER purl {c.purl}",
        ]
    lines += ["", "Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-root"]
    lines += [f"Relationship: SPDXRef-root DEPENDS_ON SPDXRef-{c.ref}" for c in comps]
    return ("\n".join(lines) + "\n").encode()


def spdx_rdf(comps: list[Comp], m: Mutation) -> bytes:
    """RDF/XML; a repeat gives a package's spdx:name or spdx:supplier a second value (or
    the same value again, which is the same triple and fine)."""
    places = ["name", "supplier"]
    dup = places[m.target % len(places)] if m.kind == "dup" else None
    same = m.variant % 3 == 0

    def package(i: int, c: Comp) -> str:
        props = {
            "name": c.name,
            "versionInfo": c.version,
            "supplier": f"Organization: {c.supplier}",
        }
        body = []
        for key, value in props.items():
            body.append(f"<spdx:{key}>{_x(value)}</spdx:{key}>")
            if key == dup and i == 0:
                again = value if same else "Organization: x" if key == "supplier" else "x"
                body.append(f"<spdx:{key}>{_x(again)}</spdx:{key}>")
        return (
            f'<spdx:Package rdf:about="{NS}#SPDXRef-{c.ref}">{"".join(body)}'
            "<spdx:downloadLocation>NOASSERTION</spdx:downloadLocation></spdx:Package>"
        )

    rels = "".join(
        "<spdx:relationship><spdx:Relationship><spdx:relationshipType "
        'rdf:resource="http://spdx.org/rdf/terms#relationshipType_dependsOn"/>'
        f'<spdx:relatedSpdxElement rdf:resource="{NS}#SPDXRef-{c.ref}"/>'
        "</spdx:Relationship></spdx:relationship>"
        for c in comps
    )
    return (
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns:spdx="http://spdx.org/rdf/terms#">'
        f'<spdx:SpdxDocument rdf:about="{NS}#SPDXRef-DOCUMENT">'
        "<spdx:specVersion>SPDX-2.3</spdx:specVersion><spdx:name>product</spdx:name>"
        "<spdx:creationInfo><spdx:CreationInfo><spdx:created>2024-01-01T00:00:00Z"
        "</spdx:created><spdx:creator>Tool: gen</spdx:creator></spdx:CreationInfo>"
        f'</spdx:creationInfo><spdx:describesPackage rdf:resource="{NS}#SPDXRef-root"/>'
        "</spdx:SpdxDocument>"
        f'<spdx:Package rdf:about="{NS}#SPDXRef-root"><spdx:name>product</spdx:name>'
        f"{rels}</spdx:Package>"
        + "".join(package(i, c) for i, c in enumerate(comps))
        + "</rdf:RDF>\n"
    ).encode()


Render = Callable[[list[Comp], Mutation], bytes]
FORMATS: dict[str, tuple[Render, tuple[str, ...]]] = {
    "cyclonedx-json": (cdx_json, ("dup",)),
    "cyclonedx-xml": (cdx_xml, ("dup", "namespace")),
    "spdx-json": (spdx_json, ("dup",)),
    "spdx-yaml": (spdx_yaml, ("dup",)),
    "spdx-xml": (spdx_xml, ("dup",)),
    "spdx-tv": (spdx_tv, ("dup",)),
    "spdx-rdf": (spdx_rdf, ("dup",)),
    "spdx3-jsonld": (spdx3, ("dup", "retype")),
}


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, list[Comp], Mutation]:
    fmt = draw(st.sampled_from(sorted(FORMATS)))
    others = draw(st.lists(st.sampled_from(OTHERS), min_size=0, max_size=3, unique=True))
    picked = list(others)
    if draw(st.booleans()) or not picked:
        picked.insert(draw(st.integers(0, len(picked))), KASPERSKY)
    comps = [Comp(f"c{i}", *fields) for i, fields in enumerate(picked)]
    kind = draw(st.sampled_from(FORMATS[fmt][1]))
    mutation = Mutation(kind, draw(st.integers(0, 200)), draw(st.integers(0, 5)))
    return fmt, comps, mutation


def _read(data: bytes, name: str) -> Document | IngestError:
    try:
        return load_bytes(data, key=name)
    except IngestError as e:
        return e


def test_the_generated_documents_read_whole_in_every_format() -> None:
    # Guards the property below: unmutated, each format gives every component and the finding.
    comps = [Comp("c0", *OTHERS[0]), Comp("c1", *KASPERSKY)]
    for fmt, (render, _) in FORMATS.items():
        doc = load_bytes(render(comps, Mutation("none")), key=f"gen.{fmt}")
        assert doc.format == fmt
        assert doc.component_count == len(comps) + (0 if fmt.startswith("cyclonedx") else 1)
        assert doc.unread == ()
        report = scan_documents([doc], _options())
        assert report.findings, fmt
        assert report.verdict.value != "pass"


@settings(max_examples=160, deadline=None)
@given(case=cases())
def test_no_component_or_finding_disappears_silently(
    case: tuple[str, list[Comp], Mutation],
) -> None:
    fmt, comps, mutation = case
    render = FORMATS[fmt][0]
    original = load_bytes(render(comps, Mutation("none")), key=f"gen.{fmt}")
    before = scan_documents([original], _options())
    mutated = _read(render(comps, mutation), f"gen.{fmt}")
    if isinstance(mutated, IngestError):
        # Refused: exit 2 with one line naming the file and the place.
        assert mutated.location, str(mutated)
        assert "\n" not in str(mutated)
        return
    if mutated.component_count < original.component_count:
        assert mutated.unread, (fmt, mutation)
    after = scan_documents([mutated], _options())
    if len(after.findings) < len(before.findings):
        assert mutated.unread, (fmt, mutation)
        assert after.verdict.value != "pass", (fmt, mutation)
    if mutation.kind == "dup":
        # A repeated key or element is refused, except the same RDF triple written twice.
        assert fmt == "spdx-rdf", (fmt, mutation)
