"""Time and peak memory of reading and scanning synthetic SBOMs, next to the raw parser floor.

Each measurement runs in a fresh Python process (so peak RSS is that step's alone) and the
median of `--repeat` runs is reported. What is measured inside the child, after imports:

- `floor`: read the file and parse it with the fastest raw parser for its syntax
  (orjson.loads for JSON, lxml for XML, PyYAML's C loader for YAML, splitting lines for
  tag-value): the cost any reader must pay before it looks at a single field.
- `inspect`: `sbomcheck.ingest.load(path)`: everything `sbomcheck inspect` does before printing.
- `scan`: `sbomcheck.scan.scan([path], options)`: read, graph, identify, paths, policy.

Children leave with `os._exit` after measuring, so interpreter teardown (0.5-0.9 s for a
large heap, see shared/reference/performance.md) is not counted for any of them.

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

_CHILD = r"""
import gc, json, os, resource, sys, time
path, step = sys.argv[1], sys.argv[2]
fmt = sys.argv[3]
if step == "floor":
    if fmt.endswith("json") or fmt == "spdx3-jsonld":
        import orjson
        t = time.perf_counter(); data = open(path, "rb").read(); orjson.loads(data)
    elif fmt.endswith("xml"):
        from lxml import etree
        t = time.perf_counter(); data = open(path, "rb").read()
        etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    elif fmt == "spdx-yaml":
        import yaml
        t = time.perf_counter(); text = open(path, encoding="utf-8").read()
        yaml.load(text, Loader=yaml.CSafeLoader)
    else:
        t = time.perf_counter(); text = open(path, encoding="utf-8").read(); text.splitlines()
elif step == "inspect":
    from sbomcheck.ingest import load
    t = time.perf_counter(); load(path)
elif step == "scan":
    import datetime
    from sbomcheck.identify import load_catalogue
    from sbomcheck.policy import load_rules
    from sbomcheck.scan import ScanOptions, scan
    options = ScanOptions(as_of=datetime.date(2026, 1, 15), catalogue=load_catalogue(),
                          rules=load_rules())
    t = time.perf_counter(); report = scan([path], options)
else:
    raise SystemExit(f"unknown step {step}")
elapsed = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
sys.stdout.write(json.dumps({"seconds": elapsed, "peak_mb": rss}) + "\n")
sys.stdout.flush()
os._exit(0)
"""


def measure(path: Path, step: str, fmt: str, repeat: int) -> tuple[float, float]:
    """Median seconds and median peak RSS (MB) of `step` on `path` over `repeat` runs."""
    seconds, peaks = [], []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path), step, fmt],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        result = json.loads(out.strip().splitlines()[-1])
        seconds.append(result["seconds"])
        peaks.append(result["peak_mb"])
    return statistics.median(seconds), statistics.median(peaks)


def main(argv: list[str] | None = None) -> int:
    """Generate (cached) inputs, measure every step, print a Markdown table."""
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--sizes", default="1000,10000,100000")
    p.add_argument("--formats", default="cyclonedx-json,cyclonedx-xml,spdx-json,spdx-tv")
    p.add_argument("--steps", default="floor,inspect,scan")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--out", type=Path, default=HERE / "out", help="where inputs are cached")
    args = p.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    formats = args.formats.split(",")
    steps = args.steps.split(",")
    for fmt in formats:
        if fmt not in FORMATS:
            p.error(f"unknown format {fmt}")
    header = (
        "| format | components | MB | "
        + " | ".join(f"{s} s | {s} peak MB" for s in steps)
        + " | "
        + " | ".join(f"{s}/floor" for s in steps if s != "floor")
        + " |"
    )
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for fmt in formats:
        for n in sizes:
            path = args.out / f"synthetic-{n}.{fmt}"
            if not path.exists():
                generate(fmt, n, path, kaspersky=3)
            results = {s: measure(path, s, fmt, args.repeat) for s in steps}
            cells = [fmt, f"{n:,}", f"{path.stat().st_size / 1e6:.1f}"]
            for s in steps:
                cells += [f"{results[s][0]:.2f}", f"{results[s][1]:.0f}"]
            if "floor" in results:
                cells += [
                    f"{results[s][0] / results['floor'][0]:.2f}x" for s in steps if s != "floor"
                ]
            print("| " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
