"""Time `identify()` on a synthetic 100,000-component document built in memory.

Run: `python benchmarks/identify_bench.py [N]`. Prints the time to identify, next to the time
`orjson.loads` takes on the same document serialised as CycloneDX JSON, which is the budget
the identification issue sets (scanning must cost well under parsing).
"""

from __future__ import annotations

import sys
import time

import orjson

from sbomcheck.identify import identify, load_catalogue
from sbomcheck.model import (
    Component,
    Document,
    ExternalReference,
    Format,
    Hash,
    Party,
    Property,
)

SUPPLIERS = [f"Vendor {k} Inc." for k in range(300)] + ["Apache Software Foundation", "Google LLC"]
LICENSES = ["MIT", "Apache-2.0", "BSD-3-Clause", "GPL-2.0-only", "ISC"]
ECOSYSTEMS = ["npm", "maven", "pypi", "golang", "cargo", "nuget"]


def build(n: int, *, seeded: bool = False) -> tuple[Document, bytes]:
    comps: list[Component] = []
    raw: list[dict[str, object]] = []
    for k in range(n):
        eco = ECOSYSTEMS[k % len(ECOSYSTEMS)]
        name = f"lib-{k % 9973}-{eco}-utils{k}"
        ns = f"org.example{k % 97}" if eco == "maven" else ""
        purl = f"pkg:{eco}/{ns + '/' if ns else ''}{name}@{k % 13}.{k % 7}.{k % 5}"
        supplier = SUPPLIERS[k % len(SUPPLIERS)]
        if seeded and k % 10_000 == 5_000:
            supplier = "AO Kaspersky Lab"  # ten real findings among 100,000
        sha = f"{k:064x}"
        desc = f"Utility library number {k} for parsing and formatting data" if k % 3 == 0 else None
        c = Component(
            ref=f"ref-{k}",
            document="bench",
            location=f"components[{k}]",
            name=name,
            version=f"{k % 13}.{k % 7}.{k % 5}",
            group=ns or None,
            type="library",
            purl=purl,
            hashes=(Hash(algorithm="SHA-256", value=sha),),
            supplier=Party(name=supplier, kind="organization"),
            licenses=(LICENSES[k % len(LICENSES)],),
            description=desc,
            external_references=(
                ExternalReference(type="website", url=f"https://example{k % 50}.org/{name}"),
            ),
            properties=(Property(name="build:stage", value="release"),),
        )
        comps.append(c)
        raw.append(
            {
                "type": "library",
                "bom-ref": c.ref,
                "name": name,
                "version": c.version,
                "group": ns or None,
                "purl": purl,
                "hashes": [{"alg": "SHA-256", "content": sha}],
                "supplier": {"name": supplier},
                "licenses": [{"license": {"id": c.licenses[0]}}],
                "description": desc,
                "externalReferences": [{"type": "website", "url": c.external_references[0].url}],
                "properties": [{"name": "build:stage", "value": "release"}],
            }
        )
    doc = Document(
        key="bench",
        path="bench",
        sha256="",
        format=Format.CYCLONEDX_JSON,
        spec_version="1.6",
        components=tuple(comps),
    )
    data = orjson.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": raw})
    return doc, data


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    cat = load_catalogue()
    for seeded in (False, True):
        doc, data = build(n, seeded=seeded)
        t_parse = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            orjson.loads(data)
            t_parse = min(t_parse, time.perf_counter() - t0)
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            found = identify([doc], cat)
            best = min(best, time.perf_counter() - t0)
        print(f"components: {n:,}  json: {len(data) / 1e6:.1f} MB  findings: {len(found)}")
        print(
            f"  orjson.loads (best of 3): {t_parse:.3f} s   identify (best of 3): {best:.3f} s"
            f"   ratio {best / t_parse:.2f}"
        )


if __name__ == "__main__":
    main()
