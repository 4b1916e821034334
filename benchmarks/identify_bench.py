"""Time `identify()` on a synthetic 100,000-component document built in memory.

Run: `python benchmarks/identify_bench.py [N]`. Prints the time to identify, next to the time
`orjson.loads` takes on the same document serialised as CycloneDX JSON, which is the budget
the identification issue sets (scanning must cost well under parsing). Three documents: no
Kaspersky, ten Kaspersky suppliers, and one in fifty components with non-ASCII text
(accents, Cyrillic, Japanese: the strings that always take the full path).

`python benchmarks/identify_bench.py [N] --baseline DIR [--rounds R]` compares this checkout
with another one (DIR, e.g. a worktree of main): R rounds, each running both in turn in fresh
processes (A B, then B A, ...), each process reporting identify's best of 3; prints every
round's times and the median of the per-round ratios new/old. On a shared, busy machine the
ratios are what to quote.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

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
NON_ASCII = [
    "Bibliothèque de données pour l'analyse",
    "Библиотека для разбора данных",
    "データ処理ライブラリ",
    "Zürich Datenbank-Treiber für Ärzte",
    "“Smart quotes” © 2024 Acme",
]
SCENARIOS = ("clean", "seeded", "non-ascii")


def build(n: int, *, seeded: bool = False, non_ascii: bool = False) -> tuple[Document, bytes]:
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
        if non_ascii and k % 50 == 7:
            desc = f"{NON_ASCII[k % len(NON_ASCII)]} {k}"
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


def _cold_caches() -> None:
    """Empty the process-wide normalisation caches: each run pays what a fresh process does."""
    from sbomcheck.identify import normalize

    for name in dir(normalize):
        clear = getattr(getattr(normalize, name), "cache_clear", None)
        if clear is not None:
            clear()


def _time(n: int, scenario: str) -> tuple[float, float, int, float]:
    """(orjson.loads best of 3, identify best of 3, findings, MB) for one scenario."""
    cat = load_catalogue()
    doc, data = build(n, seeded=scenario == "seeded", non_ascii=scenario == "non-ascii")
    t_parse = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        orjson.loads(data)
        t_parse = min(t_parse, time.perf_counter() - t0)
    best = float("inf")
    found: list[object] = []
    for _ in range(3):
        _cold_caches()
        t0 = time.perf_counter()
        found = list(identify([doc], cat))
        best = min(best, time.perf_counter() - t0)
    return t_parse, best, len(found), len(data) / 1e6


def _run_child(checkout: Path, n: int) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(checkout))
    script = Path(__file__).resolve()
    out = subprocess.run(
        [sys.executable, str(script), str(n), "--json"],
        env=env,
        cwd=checkout,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, float] = json.loads(out)
    return result


def compare(n: int, baseline: Path, rounds: int) -> None:
    here = Path(__file__).resolve().parents[1]
    ratios: dict[str, list[float]] = {s: [] for s in SCENARIOS}
    for r in range(rounds):
        order = [(here, "new"), (baseline, "old")]
        if r % 2:
            order.reverse()
        times = {label: _run_child(path, n) for path, label in order}
        line = []
        for s in SCENARIOS:
            ratios[s].append(times["new"][s] / times["old"][s])
            line.append(f"{s} old {times['old'][s]:.3f} s new {times['new'][s]:.3f} s")
        print(f"round {r + 1}: " + "; ".join(line))
    for s in SCENARIOS:
        values = ratios[s]
        print(
            f"{s}: new/old median {statistics.median(values):.3f} "
            f"(min {min(values):.3f}, max {max(values):.3f}, {len(values)} rounds)"
        )


def main() -> None:
    args = sys.argv[1:]
    n = int(args[0]) if args and args[0].isdigit() else 100_000
    if "--baseline" in args:
        baseline = Path(args[args.index("--baseline") + 1]).resolve()
        rounds = int(args[args.index("--rounds") + 1]) if "--rounds" in args else 5
        compare(n, baseline, rounds)
        return
    results = {s: _time(n, s) for s in SCENARIOS}
    if "--json" in args:
        print(json.dumps({s: r[1] for s, r in results.items()}))
        return
    for scenario, (t_parse, best, found, mb) in results.items():
        print(f"{scenario}: components: {n:,}  json: {mb:.1f} MB  findings: {found}")
        print(
            f"  orjson.loads (best of 3): {t_parse:.3f} s   identify (best of 3): {best:.3f} s"
            f"   ratio {best / t_parse:.2f}"
        )


if __name__ == "__main__":
    main()
