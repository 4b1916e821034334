"""Deterministic generator of realistic synthetic SBOMs for the benchmarks.

Every component has a name, version, group, purl, supplier, author, a SHA-256 hash, a licence
and two external references (about 1,700 bytes a component in CycloneDX JSON, like the
figures in shared/reference/performance.md). Components form a DAG rooted at the product:
each depends on up to three later components within a sliding window, which makes the graph
dozens of levels deep; every 100th component nests two children (CycloneDX). Output is
written as a stream, so a 1,000,000-component file never sits in memory.

    python benchmarks/generate.py --format cyclonedx-json --components 100000 -o out.json
    python benchmarks/generate.py --format spdx-tv --components 1000 --kaspersky 3 -o x.spdx

`--kaspersky N` plants N Kaspersky components (an SDK with a Kaspersky supplier) deep in
the graph, so scans have something to find and paths to draw.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape

FORMATS = (
    "cyclonedx-json",
    "cyclonedx-xml",
    "spdx-json",
    "spdx-tv",
    "spdx-yaml",
    "spdx-xml",
    "spdx3-jsonld",
)
_SEED = 20240929
_LICENSES = ("Apache-2.0", "MIT", "BSD-3-Clause", "ISC", "EPL-2.0")
_NESTED_EVERY = 100


@dataclass(frozen=True, slots=True)
class Comp:
    """One synthetic component."""

    index: int
    name: str
    group: str
    version: str
    purl: str
    supplier: str
    author: str
    sha256: str
    sha512: str
    cpe: str
    license: str
    website: str
    vcs: str
    kaspersky: bool = False

    @property
    def ref(self) -> str:
        """bom-ref / SPDXID suffix."""
        return f"c{self.index}"


def _component(i: int, kaspersky_at: frozenset[int]) -> Comp:
    g = f"org.example.g{i % 50}"
    name = f"lib-{i}"
    version = f"1.{i % 10}.{i % 7}"
    if i in kaspersky_at:
        return Comp(
            index=i,
            name="kav-sdk",
            group="com.kaspersky.oem",
            version="8.0.3",
            purl=f"pkg:generic/kav-sdk@8.0.3?x={i}",
            supplier="AO Kaspersky Lab",
            author="Kaspersky Lab",
            sha256=hashlib.sha256(f"k{i}".encode()).hexdigest(),
            sha512=hashlib.sha512(f"k{i}".encode()).hexdigest(),
            cpe="cpe:2.3:a:kaspersky:anti-virus_sdk:8.0.3:*:*:*:*:*:*:*",
            license="LicenseRef-Kaspersky-OEM",
            website="https://www.kaspersky.com/oem",
            vcs="https://support.kaspersky.com/ScanEngine",
            kaspersky=True,
        )
    return Comp(
        index=i,
        name=name,
        group=g,
        version=version,
        purl=f"pkg:maven/{g}/{name}@{version}",
        supplier=f"Example Supplier {i % 200} Ltd",
        author=f"Developer {i % 997} <dev{i % 997}@example.org>",
        sha256=hashlib.sha256(str(i).encode()).hexdigest(),
        sha512=hashlib.sha512(str(i).encode()).hexdigest(),
        cpe=f"cpe:2.3:a:example_g{i % 50}:{name}:{version}:*:*:*:*:*:*:*",
        license=_LICENSES[i % len(_LICENSES)],
        website=f"https://example.org/projects/{g}/{name}",
        vcs=f"https://git.example.org/{g}/{name}.git",
    )


@dataclass(frozen=True, slots=True)
class Plan:
    """The whole synthetic product: components, nesting and dependency edges."""

    n: int
    kaspersky_at: frozenset[int]

    def components(self) -> Iterator[Comp]:
        """All components in index order."""
        for i in range(self.n):
            yield _component(i, self.kaspersky_at)

    def is_nested(self, i: int) -> bool:
        """Nested children are the two components after every 100th one."""
        return i % _NESTED_EVERY in (1, 2) and i >= _NESTED_EVERY

    def parent_of(self, i: int) -> int:
        """Index of the component a nested one sits in."""
        return i - (i % _NESTED_EVERY)

    def dependencies(self, i: int) -> list[int]:
        """Up to three later components within a window: a deep DAG."""
        rng = random.Random(_SEED + i)
        window = 40
        out = sorted({i + 1 + rng.randrange(window) for _ in range(3)})
        return [j for j in out if j < self.n]

    def top_level(self) -> list[int]:
        """What the product depends on directly."""
        return list(range(min(10, self.n)))


def make_plan(n: int, kaspersky: int) -> Plan:
    """A plan of `n` components with `kaspersky` planted Kaspersky SDKs deep in the graph."""
    positions = {int(n * (k + 1) / (kaspersky + 1)) for k in range(kaspersky)}
    # A nested position would hide it from the dependency graph; move it off nesting slots.
    fixed = {p + 3 if p % _NESTED_EVERY in (1, 2) else p for p in positions}
    return Plan(n=n, kaspersky_at=frozenset(p for p in fixed if p < n))


def _product_purl() -> str:
    return "pkg:generic/acme/gateway@5.1.0"


def write_cyclonedx_json(plan: Plan, out: IO[str]) -> None:
    """CycloneDX 1.6 JSON."""
    dump = json.dumps
    out.write('{"bomFormat":"CycloneDX","specVersion":"1.6",')
    out.write('"serialNumber":"urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79","version":1,')
    out.write('"metadata":{"timestamp":"2025-01-01T00:00:00Z","component":{"type":"application",')
    out.write(
        f'"bom-ref":"product","name":"acme-gateway","version":"5.1.0","purl":{dump(_product_purl())},'
    )
    out.write('"supplier":{"name":"Acme Networks"}}},"components":[')
    comps = list(plan.components()) if plan.n <= 200_000 else None
    first = True
    it = comps if comps is not None else list(plan.components())
    i = 0
    while i < plan.n:
        c = it[i]
        if not first:
            out.write(",")
        first = False
        body = _cdx_json_component(c)
        children = [
            j for j in (i + 1, i + 2) if j < plan.n and plan.is_nested(j) and plan.parent_of(j) == i
        ]
        if children:
            nested = ",".join(_cdx_json_component(it[j]) + "}" for j in children)
            out.write(body + ',"components":[' + nested + "]}")
            i += 1 + len(children)
        else:
            out.write(body + "}")
            i += 1
    out.write('],"dependencies":[')
    out.write('{"ref":"product","dependsOn":' + dump([f"c{j}" for j in plan.top_level()]) + "}")
    for c in it:
        out.write(',{"ref":"' + c.ref + '","dependsOn":')
        out.write(dump([f"c{j}" for j in plan.dependencies(c.index)]) + "}")
    out.write("]}\n")


def _cdx_json_component(c: Comp) -> str:
    dump = json.dumps
    return (
        '{"type":"library","bom-ref":"'
        + c.ref
        + '","supplier":{"name":'
        + dump(c.supplier)
        + ',"url":['
        + dump(c.website)
        + ']},"author":'
        + dump(c.author)
        + ',"group":'
        + dump(c.group)
        + ',"name":'
        + dump(c.name)
        + ',"version":'
        + dump(c.version)
        + ',"description":'
        + dump(f"The {c.name} library")
        + ',"hashes":[{"alg":"SHA-256","content":"'
        + c.sha256
        + '"},'
        + '{"alg":"SHA-512","content":"'
        + c.sha512
        + '"}]'
        + ',"licenses":[{"license":{"id":'
        + dump(c.license)
        + "}}]"
        + ',"copyright":'
        + dump(f"Copyright (c) 2019-2024 {c.supplier}")
        + ',"cpe":'
        + dump(c.cpe)
        + ',"purl":'
        + dump(c.purl)
        + ',"properties":[{"name":"build:origin","value":'
        + dump(c.vcs)
        + '},{"name":"scanner:language","value":"java"}]'
        + ',"externalReferences":[{"type":"website","url":'
        + dump(c.website)
        + '},{"type":"vcs","url":'
        + dump(c.vcs)
        + "}]"
    )


def write_cyclonedx_xml(plan: Plan, out: IO[str]) -> None:
    """CycloneDX 1.6 XML."""
    it = list(plan.components())
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write('<bom xmlns="http://cyclonedx.org/schema/bom/1.6" ')
    out.write('serialNumber="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79" version="1">\n')
    out.write("<metadata><timestamp>2025-01-01T00:00:00Z</timestamp>")
    out.write(
        '<component type="application" bom-ref="product"><supplier><name>Acme Networks</name>'
    )
    out.write(
        f"</supplier><name>acme-gateway</name><version>5.1.0</version><purl>{_product_purl()}</purl>"
    )
    out.write("</component></metadata>\n<components>\n")
    i = 0
    while i < plan.n:
        c = it[i]
        children = [
            j for j in (i + 1, i + 2) if j < plan.n and plan.is_nested(j) and plan.parent_of(j) == i
        ]
        out.write(_cdx_xml_component_open(c))
        if children:
            out.write("<components>")
            for j in children:
                out.write(_cdx_xml_component_open(it[j]) + "</component>")
            out.write("</components>")
        out.write("</component>\n")
        i += 1 + len(children)
    out.write("</components>\n<dependencies>\n")
    out.write('<dependency ref="product">')
    out.write("".join(f'<dependency ref="c{j}"/>' for j in plan.top_level()))
    out.write("</dependency>\n")
    for c in it:
        deps = "".join(f'<dependency ref="c{j}"/>' for j in plan.dependencies(c.index))
        out.write(f'<dependency ref="{c.ref}">{deps}</dependency>\n')
    out.write("</dependencies>\n</bom>\n")


def _cdx_xml_component_open(c: Comp) -> str:
    return (
        f'<component type="library" bom-ref="{c.ref}"><supplier><name>{escape(c.supplier)}</name>'
        f"<url>{escape(c.website)}</url></supplier><author>{escape(c.author)}</author>"
        f"<group>{c.group}</group><name>{c.name}</name><version>{c.version}</version>"
        f"<description>The {c.name} library</description>"
        f'<hashes><hash alg="SHA-256">{c.sha256}</hash>'
        f'<hash alg="SHA-512">{c.sha512}</hash></hashes>'
        f"<licenses><license><id>{c.license}</id></license></licenses>"
        f"<copyright>Copyright (c) 2019-2024 {escape(c.supplier)}</copyright>"
        f"<cpe>{escape(c.cpe)}</cpe><purl>{escape(c.purl)}</purl>"
        f'<externalReferences><reference type="website"><url>{escape(c.website)}</url></reference>'
        f'<reference type="vcs"><url>{escape(c.vcs)}</url></reference></externalReferences>'
    )


def _spdx_packages(plan: Plan) -> Iterator[dict[str, object]]:
    for c in plan.components():
        yield {
            "SPDXID": f"SPDXRef-{c.ref}",
            "name": c.name,
            "versionInfo": c.version,
            "supplier": f"Organization: {c.supplier}",
            "originator": f"Person: {c.author}",
            "downloadLocation": c.vcs,
            "homepage": c.website,
            "filesAnalyzed": False,
            "checksums": [
                {"algorithm": "SHA256", "checksumValue": c.sha256},
                {"algorithm": "SHA512", "checksumValue": c.sha512},
            ],
            "licenseConcluded": c.license,
            "licenseDeclared": c.license,
            "copyrightText": f"Copyright {c.supplier}",
            "description": f"The {c.name} library",
            "externalRefs": [
                {
                    "referenceCategory": "PACKAGE-MANAGER",
                    "referenceType": "purl",
                    "referenceLocator": c.purl,
                },
                {
                    "referenceCategory": "SECURITY",
                    "referenceType": "cpe23Type",
                    "referenceLocator": c.cpe,
                },
            ],
        }


def _spdx_relationships(plan: Plan) -> Iterator[tuple[str, str, str]]:
    yield ("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-product")
    for j in plan.top_level():
        yield ("SPDXRef-product", "DEPENDS_ON", f"SPDXRef-c{j}")
    for i in range(plan.n):
        for j in plan.dependencies(i):
            yield (f"SPDXRef-c{i}", "DEPENDS_ON", f"SPDXRef-c{j}")


_PRODUCT_PACKAGE: dict[str, object] = {
    "SPDXID": "SPDXRef-product",
    "name": "acme-gateway",
    "versionInfo": "5.1.0",
    "supplier": "Organization: Acme Networks",
    "downloadLocation": "NOASSERTION",
    "filesAnalyzed": False,
    "licenseConcluded": "NOASSERTION",
    "licenseDeclared": "NOASSERTION",
    "copyrightText": "NOASSERTION",
    "externalRefs": [
        {
            "referenceCategory": "PACKAGE-MANAGER",
            "referenceType": "purl",
            "referenceLocator": _product_purl(),
        }
    ],
}


def _spdx_header() -> dict[str, object]:
    return {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "acme-gateway-5.1.0",
        "documentNamespace": "https://example.org/spdx/acme-gateway-5.1.0",
        "creationInfo": {"created": "2025-01-01T00:00:00Z", "creators": ["Tool: generate.py"]},
    }


def write_spdx_json(plan: Plan, out: IO[str]) -> None:
    """SPDX 2.3 JSON."""
    head = json.dumps(_spdx_header())[:-1]
    out.write(head + ',"packages":[' + json.dumps(_PRODUCT_PACKAGE))
    for p in _spdx_packages(plan):
        out.write("," + json.dumps(p))
    out.write('],"relationships":[')
    first = True
    for a, t, b in _spdx_relationships(plan):
        out.write(
            ("" if first else ",")
            + json.dumps({"spdxElementId": a, "relationshipType": t, "relatedSpdxElement": b})
        )
        first = False
    out.write("]}\n")


def write_spdx_yaml(plan: Plan, out: IO[str]) -> None:
    """SPDX 2.3 YAML (JSON-compatible flow values inside block structure)."""
    for k, v in _spdx_header().items():
        out.write(f"{k}: {json.dumps(v)}\n")
    out.write("packages:\n")
    for p in (_PRODUCT_PACKAGE, *_spdx_packages(plan)):
        out.write(f"- {json.dumps(p)}\n")
    out.write("relationships:\n")
    for a, t, b in _spdx_relationships(plan):
        out.write(
            f'- {{"spdxElementId": "{a}", "relationshipType": "{t}", '
            f'"relatedSpdxElement": "{b}"}}\n'
        )


def write_spdx_xml(plan: Plan, out: IO[str]) -> None:
    """SPDX 2.3 XML (the `<Document>` flavour spdx-tools writes)."""
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<Document>\n')
    for k, v in _spdx_header().items():
        if isinstance(v, dict):
            out.write(f"<{k}><created>{v['created']}</created>")
            out.write("".join(f"<creators>{escape(c)}</creators>" for c in v["creators"]))
            out.write(f"</{k}>\n")
        else:
            out.write(f"<{k}>{escape(str(v))}</{k}>\n")
    for p in (_PRODUCT_PACKAGE, *_spdx_packages(plan)):
        out.write("<packages>")
        for k, v in p.items():
            if isinstance(v, list):
                for item in v:
                    out.write(f"<{k}>")
                    out.write("".join(f"<{ik}>{escape(str(iv))}</{ik}>" for ik, iv in item.items()))
                    out.write(f"</{k}>")
            elif isinstance(v, bool):
                out.write(f"<{k}>{str(v).lower()}</{k}>")
            else:
                out.write(f"<{k}>{escape(str(v))}</{k}>")
        out.write("</packages>\n")
    for a, t, b in _spdx_relationships(plan):
        out.write(
            f"<relationships><spdxElementId>{a}</spdxElementId><relationshipType>{t}"
            f"</relationshipType><relatedSpdxElement>{b}</relatedSpdxElement></relationships>\n"
        )
    out.write("</Document>\n")


def write_spdx_tv(plan: Plan, out: IO[str]) -> None:
    """SPDX 2.3 tag-value."""
    h = _spdx_header()
    out.write(f"SPDXVersion: {h['spdxVersion']}\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\n")
    out.write(f"DocumentName: {h['name']}\nDocumentNamespace: {h['documentNamespace']}\n")
    out.write("Creator: Tool: generate.py\nCreated: 2025-01-01T00:00:00Z\n\n")
    for p in (_PRODUCT_PACKAGE, *_spdx_packages(plan)):
        out.write(f"PackageName: {p['name']}\nSPDXID: {p['SPDXID']}\n")
        out.write(f"PackageVersion: {p['versionInfo']}\nPackageSupplier: {p['supplier']}\n")
        if "originator" in p:
            out.write(f"PackageOriginator: {p['originator']}\n")
        out.write(f"PackageDownloadLocation: {p['downloadLocation']}\nFilesAnalyzed: false\n")
        for cs in p.get("checksums", []):  # type: ignore[attr-defined]
            algorithm = cs["algorithm"]
            out.write(f"PackageChecksum: {algorithm}: {cs['checksumValue']}\n")
        out.write(f"PackageLicenseConcluded: {p['licenseConcluded']}\n")
        out.write(f"PackageLicenseDeclared: {p['licenseDeclared']}\n")
        out.write(f"PackageCopyrightText: <text>{p['copyrightText']}</text>\n")
        for ref in p["externalRefs"]:  # type: ignore[attr-defined]
            cat, typ = ref["referenceCategory"], ref["referenceType"]
            out.write(f"ExternalRef: {cat} {typ} {ref['referenceLocator']}\n")
        out.write("\n")
    for a, t, b in _spdx_relationships(plan):
        out.write(f"Relationship: {a} {t} {b}\n")


def write_spdx3(plan: Plan, out: IO[str]) -> None:
    """SPDX 3.0.1 JSON-LD."""
    graph: list[dict[str, object]] = [
        {
            "type": "CreationInfo",
            "@id": "_:ci",
            "specVersion": "3.0.1",
            "created": "2025-01-01T00:00:00Z",
            "createdBy": ["urn:acme:tool"],
        },
        {"type": "Tool", "spdxId": "urn:acme:tool", "name": "generate.py", "creationInfo": "_:ci"},
        {
            "type": "SpdxDocument",
            "spdxId": "urn:acme:doc",
            "creationInfo": "_:ci",
            "rootElement": ["urn:acme:product"],
            "name": "acme-gateway",
        },
        {
            "type": "software_Package",
            "spdxId": "urn:acme:product",
            "creationInfo": "_:ci",
            "name": "acme-gateway",
            "software_packageVersion": "5.1.0",
            "software_packageUrl": _product_purl(),
        },
    ]
    out.write('{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":[')
    out.write(",".join(json.dumps(g) for g in graph))
    suppliers: dict[str, str] = {}
    for c in plan.components():
        org = suppliers.get(c.supplier)
        if org is None:
            org = suppliers[c.supplier] = f"urn:acme:org{len(suppliers)}"
            out.write(
                ","
                + json.dumps(
                    {
                        "type": "Organization",
                        "spdxId": org,
                        "name": c.supplier,
                        "creationInfo": "_:ci",
                    }
                )
            )
        out.write(
            ","
            + json.dumps(
                {
                    "type": "software_Package",
                    "spdxId": f"urn:acme:{c.ref}",
                    "creationInfo": "_:ci",
                    "name": c.name,
                    "software_packageVersion": c.version,
                    "software_packageUrl": c.purl,
                    "suppliedBy": org,
                    "description": f"The {c.name} library",
                    "verifiedUsing": [
                        {"type": "Hash", "algorithm": "sha256", "hashValue": c.sha256}
                    ],
                }
            )
        )
    for k, (a, _type, b) in enumerate(_spdx_relationships(plan)):
        if a == "SPDXRef-DOCUMENT":
            continue
        out.write(
            ","
            + json.dumps(
                {
                    "type": "Relationship",
                    "spdxId": f"urn:acme:rel{k}",
                    "creationInfo": "_:ci",
                    "from": a.replace("SPDXRef-", "urn:acme:"),
                    "relationshipType": "dependsOn",
                    "to": [b.replace("SPDXRef-", "urn:acme:")],
                }
            )
        )
    out.write("]}\n")


WRITERS = {
    "cyclonedx-json": write_cyclonedx_json,
    "cyclonedx-xml": write_cyclonedx_xml,
    "spdx-json": write_spdx_json,
    "spdx-tv": write_spdx_tv,
    "spdx-yaml": write_spdx_yaml,
    "spdx-xml": write_spdx_xml,
    "spdx3-jsonld": write_spdx3,
}


def generate(fmt: str, n: int, path: Path, *, kaspersky: int = 0) -> Path:
    """Write a synthetic SBOM of `n` components in `fmt` to `path`."""
    plan = make_plan(n, kaspersky)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as fh:
        WRITERS[fmt](plan, fh)
    return path


def main(argv: list[str] | None = None) -> int:
    """Command line of the generator."""
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--format", choices=FORMATS, required=True)
    p.add_argument("--components", type=int, required=True)
    p.add_argument("--kaspersky", type=int, default=0, help="plant N Kaspersky SDK components")
    p.add_argument("-o", "--output", type=Path, required=True)
    args = p.parse_args(argv)
    generate(args.format, args.components, args.output, kaspersky=args.kaspersky)
    print(args.output, args.output.stat().st_size, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
