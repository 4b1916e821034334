"""Time and peak memory of reading and scanning synthetic SBOMs, next to two raw parser floors.

Each measurement runs in a fresh Python process (so peak RSS is that step's alone). The
steps of one file are run in turn, round after round (floor, floor-nogc, inspect, scan,
floor, ...), so a machine whose speed drifts slows them alike; each figure is the median of
`--repeat` rounds, and each ratio the median of the ratios taken round by round. What is
measured inside the child, after imports:

- `floor`: read the file and parse it with the fastest raw parser for its syntax
  (orjson.loads for JSON, lxml for XML, PyYAML's C loader for YAML, splitting lines for
  tag-value), with Python's garbage collector on, as a plain call has it.
- `floor-nogc`: the same with the collector off (`gc.disable()` before the read). This is
  the honest floor: sbomcheck reads and scans with the collector paused, and the collector's
  passes over a large parsed tree make the plain floor several times slower.
- `inspect`: `sbomcheck.ingest.load(path)`: everything `sbomcheck inspect` does before printing.
- `scan`: `sbomcheck.scan.scan([path], options)`: read, graph, identify, paths, policy.

Peak memory is the child's high-water resident set (`VmHWM`, imports included; `ru_maxrss`
where there is no /proc, which on Linux also counts the parent's memory from before `exec`).
`--clock cpu` (default) measures the child's CPU seconds (user + system, `getrusage`), which
other jobs on a shared machine disturb far less than wall seconds; `--clock wall` measures
elapsed seconds. Children leave with `os._exit` after measuring, so interpreter teardown
(0.5-0.9 s for a large heap, see shared/reference/performance.md) is not counted for any of
them.

    python benchmarks/bench.py --sizes 1000,10000,100000 --formats cyclonedx-json,spdx-json
    python benchmarks/bench.py --sizes 1000000 --formats cyclonedx-json --repeat 1
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import FORMATS, generate  # noqa: E402

STEPS = ("floor", "floor-nogc", "inspect", "scan")
FLOORS = ("floor", "floor-nogc")

_CHILD = r"""
import gc, json, os, resource, sys, time
path, step, fmt, clock = sys.argv[1:5]
def now():
    if clock == "wall":
        return time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
if step in ("floor", "floor-nogc"):
    if step == "floor-nogc":
        gc.disable()
    if fmt.endswith("json") or fmt == "spdx3-jsonld":
        import orjson
        t = now(); data = open(path, "rb").read(); orjson.loads(data)
    elif fmt.endswith("xml"):
        from lxml import etree
        t = now(); data = open(path, "rb").read()
        etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    elif fmt == "spdx-yaml":
        import yaml
        t = now(); text = open(path, encoding="utf-8").read()
        yaml.load(text, Loader=yaml.CSafeLoader)
    else:
        t = now(); text = open(path, encoding="utf-8").read(); text.splitlines()
elif step == "inspect":
    from sbomcheck.ingest import load
    t = now(); load(path)
elif step == "scan":
    import datetime
    from sbomcheck.identify import load_catalogue
    from sbomcheck.policy import load_rules
    from sbomcheck.scan import ScanOptions, scan
    options = ScanOptions(as_of=datetime.date(2026, 1, 15), catalogue=load_catalogue(),
                          rules=load_rules())
    t = now(); report = scan([path], options)
else:
    raise SystemExit(f"unknown step {step}")
elapsed = now() - t
try:
    # NOTE: this process's own high-water mark; ru_maxrss also counts the parent's
    # memory from before exec (Linux keeps it across execve).
    with open("/proc/self/status") as status:
        rss = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:")) / 1024
except (OSError, StopIteration):
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
sys.stdout.write(json.dumps({"seconds": elapsed, "peak_mb": rss}) + "\n")
sys.stdout.flush()
os._exit(0)
"""


def run_child(path: Path, step: str, fmt: str, clock: str) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one run of `step` on `path` in a fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), step, fmt, clock],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return result["seconds"], result["peak_mb"]


def measure(
    path: Path, steps: list[str], fmt: str, repeat: int, clock: str
) -> dict[str, list[tuple[float, float]]]:
    """`repeat` rounds of every step, in turn: {step: [(seconds, peak MB) per round]}."""
    runs: dict[str, list[tuple[float, float]]] = {s: [] for s in steps}
    for _ in range(repeat):
        for step in steps:
            runs[step].append(run_child(path, step, fmt, clock))
    return runs


def ratio(runs: dict[str, list[tuple[float, float]]], step: str, floor: str) -> float:
    """Median over rounds of step seconds / floor seconds of the same round."""
    return statistics.median(
        a[0] / b[0] for a, b in zip(runs[step], runs[floor], strict=True) if b[0] > 0
    )


def main(argv: list[str] | None = None) -> int:
    """Generate (cached) inputs, measure every step, print a Markdown table."""
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--sizes", default="1000,10000,100000")
    p.add_argument("--formats", default="cyclonedx-json,cyclonedx-xml,spdx-json,spdx-tv")
    p.add_argument("--steps", default=",".join(STEPS))
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--clock", choices=("cpu", "wall"), default="cpu")
    p.add_argument("--out", type=Path, default=HERE / "out", help="where inputs are cached")
    args = p.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    formats = args.formats.split(",")
    steps = args.steps.split(",")
    for fmt in formats:
        if fmt not in FORMATS:
            p.error(f"unknown format {fmt}")
    for step in steps:
        if step not in STEPS:
            p.error(f"unknown step {step}")
    floors = [f for f in FLOORS if f in steps]
    measured = [s for s in steps if s not in FLOORS]
    unit = "cpu s" if args.clock == "cpu" else "s"
    header = (
        "| format | components | MB | "
        + " | ".join(f"{s} {unit} | {s} peak MB" for s in steps)
        + "".join(f" | {s}/{f}" for s in measured for f in floors)
        + " |"
    )
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for fmt in formats:
        for n in sizes:
            path = args.out / f"synthetic-{n}.{fmt}"
            if not path.exists():
                generate(fmt, n, path, kaspersky=3)
            runs = measure(path, steps, fmt, args.repeat, args.clock)
            cells = [fmt, f"{n:,}", f"{path.stat().st_size / 1e6:.1f}"]
            for s in steps:
                cells.append(f"{statistics.median(r[0] for r in runs[s]):.2f}")
                cells.append(f"{statistics.median(r[1] for r in runs[s]):.0f}")
            cells += [f"{ratio(runs, s, f):.2f}x" for s in measured for f in floors]
            print("| " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
