"""Start-up cost: a small scan and `--version`, as whole processes, next to `python -c pass`.

Each command is a fresh process of this interpreter (`python -m sbomcheck ...`), run in turn
with `python -c pass` (A B A B ...), `--repeat` times after one warm-up run each. The figure
is CPU seconds (user + system of the finished child, from `getrusage`), which other jobs on a
shared machine disturb far less than wall seconds; each ratio is the median of the ratios
taken pair by pair. The scan reads a 500-component CycloneDX JSON SBOM from the benchmark
generator (3 Kaspersky components, text report to /dev/null), so nearly all of its cost is
interpreter start, imports, and loading the rules and the alias catalogue.

Python's own bytecode cache is used as an installed package has it: the package is compiled
first (`compileall`, also when PYTHONDONTWRITEBYTECODE is set, which would otherwise make
every run compile every module from source).

    python benchmarks/startup.py
    python benchmarks/startup.py --repeat 31 --components 500
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

BASELINE = [sys.executable, "-c", "pass"]


def run_once(argv: list[str]) -> tuple[float, float]:
    """CPU seconds (user + system) and wall seconds of one run of `argv`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def paired(argv: list[str], repeat: int) -> dict[str, float]:
    """`argv` and the baseline in turn: medians of each and of the pairwise CPU ratio."""
    run_once(argv)
    run_once(BASELINE)
    cpu, wall, base_cpu, ratios = [], [], [], []
    for _ in range(repeat):
        a_cpu, a_wall = run_once(argv)
        b_cpu, _ = run_once(BASELINE)
        cpu.append(a_cpu)
        wall.append(a_wall)
        base_cpu.append(b_cpu)
        if b_cpu > 0:
            ratios.append(a_cpu / b_cpu)
    return {
        "cpu": statistics.median(cpu),
        "wall": statistics.median(wall),
        "base_cpu": statistics.median(base_cpu),
        "ratio": statistics.median(ratios) if ratios else float("nan"),
    }


def main(argv: list[str] | None = None) -> int:
    """Compile the package, then print a Markdown table of the start-up ratios."""
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--repeat", type=int, default=21)
    p.add_argument("--components", type=int, default=500)
    p.add_argument("--out", type=Path, default=HERE / "out", help="where inputs are cached")
    args = p.parse_args(argv)
    import sbomcheck

    package = Path(sbomcheck.__file__).parent
    compileall.compile_dir(str(package), quiet=1)
    sbom = args.out / f"synthetic-{args.components}.cyclonedx-json"
    if not sbom.exists():
        generate("cyclonedx-json", args.components, sbom, kaspersky=3)
    commands = {
        "sbomcheck --version": [sys.executable, "-m", "sbomcheck", "--version"],
        f"sbomcheck scan ({args.components} components)": [
            sys.executable,
            "-m",
            "sbomcheck",
            "scan",
            str(sbom),
            "-o",
            os.devnull,
            "--as-of",
            "2026-01-15",
        ],
    }
    print(f"{sys.executable} ({sys.version.split()[0]}), {args.repeat} pairs, {package}")
    print("| command | CPU s | wall s | python -c pass CPU s | CPU ratio |")
    print("|---|---|---|---|---|")
    for label, command in commands.items():
        r = paired(command, args.repeat)
        print(
            f"| {label} | {r['cpu']:.3f} | {r['wall']:.3f} | {r['base_cpu']:.3f} | "
            f"{r['ratio']:.1f}x |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
