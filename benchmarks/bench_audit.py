"""SBOMs per second for a batch audit: one process versus all cores.

The batch is `--count` realistic SBOMs of `--components` components each (300 by default),
the four formats in turn (CycloneDX JSON and XML, SPDX JSON and tag-value). Each is the
synthetic generator's document with its own product name and serial number, so every SBOM
is a product of its own (no two are grouped or linked). Every run is a fresh process that
calls `sbomcheck.audit.runner.run_audit` with `AuditOptions(jobs=1)` (in-process) or
`AuditOptions(jobs=None)` (a worker per core), in turn, round after round; the median of
`--repeat` runs is reported. Timing covers run_audit only (listing, reading, grouping,
scanning; no ledger), not the imports and catalogue loading before it.

Two clocks: wall seconds, and the CPU seconds (user + system, `getrusage`) of the process
that calls run_audit. With `jobs=1` everything runs in that process, so its CPU seconds are
the whole cost and `SBOMs per CPU second` the figure a shared or busy machine disturbs least;
with all cores the work is done by pool workers, whose CPU that process does not see, so
only wall seconds are shown.

    python benchmarks/bench_audit.py --count 400 --repeat 3
    python benchmarks/bench_audit.py --count 400 --repeat 5 --jobs 1
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

BATCH_FORMATS = ("cyclonedx-json", "cyclonedx-xml", "spdx-json", "spdx-tv")
# The names a directory walk picks up as SBOMs (sbomcheck.ingest.sources.SBOM_SUFFIXES).
_SUFFIX = {
    "cyclonedx-json": ".cdx.json",
    "cyclonedx-xml": ".cdx.xml",
    "spdx-json": ".spdx.json",
    "spdx-tv": ".spdx",
}
_SERIAL = "3e671687-395b-41f5-a30f-a58921a69b79"
_PRODUCT = "acme-gateway"

_CHILD = r"""
import datetime, json, os, resource, sys, time
from sbomcheck.audit.runner import AuditOptions, run_audit
from sbomcheck.identify import load_catalogue
from sbomcheck.policy import load_rules
from sbomcheck.scan import ScanOptions
folder, jobs = sys.argv[1], sys.argv[2]
scan = ScanOptions(as_of=datetime.date(2026, 1, 15), catalogue=load_catalogue(), rules=load_rules())
options = AuditOptions(scan=scan, jobs=None if jobs == "all" else int(jobs))
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
t, c = time.perf_counter(), cpu()
result = run_audit([folder], options)
elapsed, cpu_seconds = time.perf_counter() - t, cpu() - c
assert not result.failures, result.failures
assert len(result.products) == len(os.listdir(folder)), len(result.products)
sys.stdout.write(
    json.dumps({"seconds": elapsed, "cpu": cpu_seconds, "products": len(result.products)}) + "\n"
)
sys.stdout.flush()
os._exit(0)
"""


def make_batch(folder: Path, count: int, components: int) -> Path:
    """Write `count` distinct SBOMs of `components` components (cached by folder name)."""
    folder.mkdir(parents=True, exist_ok=True)
    templates = {}
    for fmt in BATCH_FORMATS:
        path = folder.parent / f"template-{components}.{fmt}"
        if not path.exists():
            generate(fmt, components, path, kaspersky=1)
        templates[fmt] = path.read_text(encoding="utf-8")
    for i in range(count):
        fmt = BATCH_FORMATS[i % len(BATCH_FORMATS)]
        target = folder / f"sbom-{i:05d}{_SUFFIX[fmt]}"
        if target.exists():
            continue
        # A product and serial of its own: no two SBOMs of the batch are the same product.
        text = templates[fmt].replace(_PRODUCT, f"{_PRODUCT}-{i:05d}")
        text = text.replace(_SERIAL, f"{_SERIAL[:-5]}{i:05d}")
        target.write_text(text, encoding="utf-8")
    return folder


def run_child(folder: Path, jobs: str) -> dict[str, float]:
    """One fresh process auditing `folder`: its wall and CPU seconds and products."""
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(folder), jobs],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    """Build (cached) the batch, audit it single-process and on all cores, print a table."""
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--count", type=int, default=400)
    p.add_argument("--components", type=int, default=300)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--jobs", default="1,all", help="which runs: 1, all, or both (1,all)")
    p.add_argument("--out", type=Path, default=HERE / "out", help="where inputs are cached")
    args = p.parse_args(argv)
    folder = make_batch(
        args.out / f"batch-{args.count}x{args.components}", args.count, args.components
    )
    size = sum(f.stat().st_size for f in folder.iterdir()) / 1e6
    print(
        f"{args.count} SBOMs of {args.components} components, {size:.1f} MB, {os.cpu_count()} cores"
    )
    jobs_list = args.jobs.split(",")
    runs: dict[str, list[dict[str, float]]] = {j: [] for j in jobs_list}
    for _ in range(args.repeat):
        for jobs in jobs_list:
            runs[jobs].append(run_child(folder, jobs))
    print("| jobs | wall s | SBOMs per wall s | CPU s | SBOMs per CPU s | products |")
    print("|---|---|---|---|---|---|")
    for jobs in jobs_list:
        wall = statistics.median(r["seconds"] for r in runs[jobs])
        products = int(runs[jobs][-1]["products"])
        if jobs == "1":
            cpu = statistics.median(r["cpu"] for r in runs[jobs])
            label, cpu_cells = "1 (in-process)", f"{cpu:.2f} | {args.count / cpu:.1f}"
        else:
            label, cpu_cells = f"{jobs} ({os.cpu_count()} cores)", "- | -"
        print(
            f"| {label} | {wall:.2f} | {args.count / wall:.1f} | {cpu_cells} | {products} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
