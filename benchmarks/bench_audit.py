"""SBOMs per second for a batch audit: one process versus all cores.

The batch is `--count` realistic SBOMs of `--components` components each (300 by default),
the four formats in turn (CycloneDX JSON and XML, SPDX JSON and tag-value). Each is the
synthetic generator's document with its own product name and serial number, so every SBOM
is a product of its own (no two are grouped or linked). Every run is a fresh process that
calls `sbomcheck.audit.runner.run_audit` with `AuditOptions(jobs=1)` (in-process) or
`AuditOptions(jobs=None)` (a worker per core), in turn, round after round; the median of
`--repeat` runs is reported. Timing covers run_audit only (listing, reading, grouping,
scanning), not the imports and catalogue loading before it.

`--ledger` adds a third run, `1+ledger`: in-process again, recording every product in a new
audit ledger (a fresh SQLite file in a temporary directory, opened before the clock starts),
as `sbomcheck audit --db` does. What the ledger adds per SBOM is the difference between the
CPU seconds of `1+ledger` and `1` of the same round, divided by `--count`; the median of the
rounds is reported.

`--stages` adds a run that takes the in-process batch apart, SBOM by SBOM: the CPU
milliseconds of reading (`load_source`), scanning it alone (`scan_documents`), encoding its
inventory for the ledger (`StoredDocument.of`) and recording it (`Ledger.record`), per format,
the collector off as `run_audit` has it (means over the batch; medians of the rounds).

`--checkout DIR` (repeatable) runs every variant against the code of another checkout
(`PYTHONPATH=DIR`), each checkout in turn round after round, so two versions are compared
on the same machine at the same moment (before/after figures).

Two clocks: wall seconds, and the CPU seconds (user + system, `getrusage`) of the process
that calls run_audit. With `jobs=1` everything runs in that process, so its CPU seconds are
the whole cost and `SBOMs per CPU second` the figure a shared or busy machine disturbs least;
with all cores the work is done by pool workers, whose CPU that process does not see, so
only wall seconds are shown.

    python benchmarks/bench_audit.py --count 400 --repeat 3
    python benchmarks/bench_audit.py --count 400 --repeat 5 --jobs 1
    python benchmarks/bench_audit.py --count 400 --repeat 7 --jobs 1 --ledger
    python benchmarks/bench_audit.py --count 400 --repeat 5 --jobs 1 --stages
    python benchmarks/bench_audit.py --count 400 --repeat 7 --jobs 1 --ledger \
        --checkout ../main --checkout .
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

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
import sbomcheck
from sbomcheck.audit.ledger import Ledger
from sbomcheck.audit.runner import AuditOptions, run_audit
from sbomcheck.identify import load_catalogue
from sbomcheck.policy import load_rules
from sbomcheck.scan import ScanOptions
folder, jobs, db = sys.argv[1], sys.argv[2], sys.argv[3]
scan = ScanOptions(as_of=datetime.date(2026, 1, 15), catalogue=load_catalogue(), rules=load_rules())
options = AuditOptions(scan=scan, jobs=None if jobs == "all" else int(jobs))
ledger = Ledger(db) if db else None
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
t, c = time.perf_counter(), cpu()
result = run_audit([folder], options, ledger=ledger, recorded_at="2026-01-15T00:00:00Z")
elapsed, cpu_seconds = time.perf_counter() - t, cpu() - c
if ledger is not None:
    ledger.close()
assert not result.failures, result.failures
assert len(result.products) == len(os.listdir(folder)), len(result.products)
sys.stdout.write(
    json.dumps({"seconds": elapsed, "cpu": cpu_seconds, "products": len(result.products),
                "package": sbomcheck.__file__}) + "\n"
)
sys.stdout.flush()
os._exit(0)
"""

_STAGES_CHILD = r"""
import collections, datetime, gc, json, os, sys, time
import sbomcheck
from sbomcheck.audit.ledger import Ledger, StoredDocument
from sbomcheck.ingest.sources import list_sources, load_source
from sbomcheck.identify import load_catalogue
from sbomcheck.policy import load_rules
from sbomcheck.scan import ScanOptions, scan_documents
folder, db = sys.argv[1], sys.argv[3]
scan = ScanOptions(as_of=datetime.date(2026, 1, 15), catalogue=load_catalogue(), rules=load_rules())
sources, failures = list_sources([folder])
assert not failures, failures
ledger = Ledger(db)
run = ledger.start_run("audit", {}, "bench", "2026-01-15T00:00:00Z")
totals = collections.defaultdict(lambda: collections.Counter())
cpu = time.process_time
gc.disable()
for i, source in enumerate(sources):
    t0 = cpu()
    doc = load_source(source)
    t1 = cpu()
    report = scan_documents([doc], scan)
    t2 = cpu()
    stored = StoredDocument.of(doc)
    t3 = cpu()
    ledger.record(run, product_key=str(i), report=report, documents=[stored],
                  recorded_at="2026-01-15T00:00:00Z", jurisdictions=(), model_year=None)
    t4 = cpu()
    total = totals[doc.format.value]
    total.update(read=t1 - t0, scan=t2 - t1, inventory=t3 - t2, record=t4 - t3, sboms=1)
ledger.close()
sys.stdout.write(json.dumps({"stages": totals, "package": sbomcheck.__file__}) + "\n")
sys.stdout.flush()
os._exit(0)
"""
STAGES = "stages"
"""The variant that takes the batch apart (`_STAGES_CHILD`)."""
_STEPS = ("read", "scan", "inventory", "record")


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


LEDGER = "1+ledger"
"""The variant that runs in-process with a ledger."""


def run_child(folder: Path, jobs: str, checkout: Path | None) -> dict[str, Any]:
    """One fresh process auditing `folder` (`jobs` 1, all, or `1+ledger`), with the code of
    `checkout` (None: whichever this interpreter imports): wall and CPU seconds, products."""
    env = dict(os.environ)
    if checkout is not None:
        env["PYTHONPATH"] = str(checkout.resolve())
    child = _STAGES_CHILD if jobs == STAGES else _CHILD
    with tempfile.TemporaryDirectory(prefix="bench-audit-") as tmp:
        db = str(Path(tmp) / "ledger.db") if jobs in (LEDGER, STAGES) else ""
        done = subprocess.run(
            [sys.executable, "-c", child, str(folder.resolve()), jobs.split("+")[0], db],
            check=False,
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp,  # NOTE: not a checkout: `python -c` puts its directory first on sys.path
        )
    if done.returncode != 0:
        raise SystemExit(f"the audit ({checkout or 'this'}, jobs {jobs}) failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if checkout is not None and not Path(result["package"]).is_relative_to(checkout.resolve()):
        raise SystemExit(f"{checkout}: the audit imported {result['package']} instead")
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
    p.add_argument(
        "--ledger", action="store_true", help="also run in-process with a ledger (1+ledger)"
    )
    p.add_argument(
        "--stages", action="store_true", help="also take the batch apart, stage by stage"
    )
    p.add_argument(
        "--checkout",
        type=Path,
        action="append",
        help="a checkout whose code to run (repeat to compare; default: this interpreter's)",
    )
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
    if args.ledger:
        if "1" not in jobs_list:
            jobs_list.insert(0, "1")
        jobs_list.insert(jobs_list.index("1") + 1, LEDGER)
    variants = [*jobs_list, STAGES] if args.stages else jobs_list
    checkouts: list[Path | None] = list(args.checkout or [None])
    runs: dict[tuple[Path | None, str], list[dict[str, Any]]] = {
        (c, j): [] for c in checkouts for j in variants
    }
    for _ in range(args.repeat):
        for checkout in checkouts:
            for jobs in variants:
                runs[checkout, jobs].append(run_child(folder, jobs, checkout))
    print("| code | jobs | wall s | SBOMs per wall s | CPU s | SBOMs per CPU s | products |")
    print("|---|---|---|---|---|---|---|")
    for checkout in checkouts:
        code = str(checkout) if checkout is not None else "this"
        for jobs in jobs_list:
            print(f"| {code} | {_row(runs[checkout, jobs], jobs, args.count)} |", flush=True)
    if args.ledger:
        print()
        print("| code | ledger adds, CPU ms per SBOM (median of the rounds' differences) |")
        print("|---|---|")
        for checkout in checkouts:
            code = str(checkout) if checkout is not None else "this"
            added = [
                (with_ledger["cpu"] - without["cpu"]) * 1000 / args.count
                for with_ledger, without in zip(
                    runs[checkout, LEDGER], runs[checkout, "1"], strict=True
                )
            ]
            print(f"| {code} | {statistics.median(added):.2f} |", flush=True)
    if args.stages:
        print()
        _print_stages(runs, checkouts)
    return 0


def _print_stages(
    runs: dict[tuple[Path | None, str], list[dict[str, Any]]], checkouts: list[Path | None]
) -> None:
    """CPU ms per SBOM of each stage, per format and for the whole batch (medians of the
    rounds' means)."""
    print("| code | format | SBOMs | " + " | ".join(f"{s} ms" for s in _STEPS) + " | sum ms |")
    print("|---|---|---|" + "---|" * (len(_STEPS) + 1))
    for checkout in checkouts:
        code = str(checkout) if checkout is not None else "this"
        rounds = [r["stages"] for r in runs[checkout, STAGES]]
        formats = sorted(rounds[0])
        for fmt in [*formats, "all"]:
            names = formats if fmt == "all" else [fmt]
            sboms = sum(rounds[0][f]["sboms"] for f in names)
            means = {
                step: statistics.median(
                    sum(r[f].get(step, 0.0) for f in names) * 1000 / sboms for r in rounds
                )
                for step in _STEPS
            }
            cells = " | ".join(f"{means[s]:.2f}" for s in _STEPS)
            print(f"| {code} | {fmt} | {sboms} | {cells} | {sum(means.values()):.2f} |")


def _row(runs: list[dict[str, Any]], jobs: str, count: int) -> str:
    """One table row (without the code column): wall, CPU where it is the whole cost."""
    wall = statistics.median(r["seconds"] for r in runs)
    products = int(runs[-1]["products"])
    if jobs in ("1", LEDGER):
        cpu = statistics.median(r["cpu"] for r in runs)
        label = "1 (in-process)" if jobs == "1" else "1 (in-process) with a ledger"
        cpu_cells = f"{cpu:.2f} | {count / cpu:.1f}"
    else:
        label, cpu_cells = f"{jobs} ({os.cpu_count()} cores)", "- | -"
    return f"{label} | {wall:.2f} | {count / wall:.1f} | {cpu_cells} | {products}"


if __name__ == "__main__":
    sys.exit(main())
