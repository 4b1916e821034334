"""Write every output of sbomcheck for every sample and corpus file into one directory.

Run it before and after a change that must not change behaviour, then compare:

    python tools/snapshot_outputs.py /tmp/before      # on the old commit
    python tools/snapshot_outputs.py /tmp/after       # on the new one
    diff -r /tmp/before /tmp/after && echo identical

Each input gets one file per command and format (`scan` in every report format, `inspect`
as JSON and text, `graph` in every export format) plus a line in `exit-codes.txt` holding the exit
code and what was written to stderr. The date is fixed, so the outputs are byte-stable.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from pathlib import Path

from sbomcheck.cli import main

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-01-15"
SCAN_FORMATS = ("text", "json", "sarif", "junit", "markdown", "html", "cdxa", "csv")
GRAPH_FORMATS = ("dot", "graphml", "mermaid", "json")


def _inputs(shared: Path) -> list[Path]:
    # NOTE: relative paths, so snapshots taken in two checkouts name the inputs alike.
    samples = sorted(p for p in Path("samples").iterdir() if p.name != "README.md")
    corpus = shared / "corpus"
    found = sorted(p for p in corpus.rglob("*") if p.is_file() and p.name != "MANIFEST.csv")
    return samples + found


def _commands(target: str) -> list[tuple[str, list[str]]]:
    scans = [
        (f"scan.{fmt}", ["scan", target, "--format", fmt, "--as-of", AS_OF]) for fmt in SCAN_FORMATS
    ]
    return [
        *scans,
        ("inspect.json", ["inspect", target, "--format", "json"]),
        ("inspect.txt", ["inspect", target]),
        # `graph` applies no rules, so it takes no date.
        *((f"graph.{fmt}", ["graph", target, "--format", fmt]) for fmt in GRAPH_FORMATS),
    ]


def _run(argv: list[str], out: Path) -> tuple[int, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    out.write_text(stdout.getvalue(), encoding="utf-8")
    return code, " | ".join(stderr.getvalue().splitlines())


def main_(argv: list[str] | None = None) -> int:
    """Write the snapshot; returns 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--shared", type=Path, default=Path("..") / "shared")
    args = parser.parse_args(argv)
    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    os.chdir(ROOT)
    lines: list[str] = []
    for path in _inputs(args.shared):
        name = str(path).replace("../", "").replace("/", "__")
        for suffix, cmd in _commands(str(path)):
            code, err = _run(cmd, args.out / f"{name}.{suffix}")
            lines.append(f"{name}.{suffix}\t{code}\t{err}")
    (args.out / "exit-codes.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} outputs in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main_())
