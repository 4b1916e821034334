"""`sbomcheck scan SBOM...`: find Kaspersky technology, its paths, and what the rules say."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from sbomcheck.cli._common import (
    ExitCode,
    add_fail_on_option,
    add_output_option,
    add_policy_options,
    as_of_or_today,
    build_scan_options,
    exit_code,
    positive_int,
    print_skipped,
    write_output,
)
from sbomcheck.errors import UsageError
from sbomcheck.report import OutputFormat, RenderOptions, get_formatter
from sbomcheck.report.interface import MIN_MAX_BYTES
from sbomcheck.report.text import summary_line


def register(subparsers: Any) -> None:
    """Add the `scan` command."""
    p = subparsers.add_parser(
        "scan",
        help="find Kaspersky technology in SBOMs and decide by the rules in force",
        description="Read the SBOMs (files, directories walked recursively, zip archives, or "
        "- for standard input; all given together form one linked product), find every "
        "component that is or carries Kaspersky technology with each path from the product "
        "down to it, and apply the rules for the profile on the as-of date. "
        "Exit codes: 0 pass, warn or indeterminate; 1 fail (or the --fail-on level); "
        "2 bad input or usage.",
    )
    p.add_argument(
        "sboms",
        nargs="+",
        metavar="SBOM",
        help="SBOM file, directory, zip archive, or - for standard input",
    )
    p.add_argument(
        "--format",
        choices=[f.value for f in OutputFormat],
        default=OutputFormat.TEXT.value,
        help="output format (default: text)",
    )
    add_output_option(p)
    add_policy_options(p)
    add_fail_on_option(p)
    p.add_argument(
        "--max-paths",
        type=positive_int,
        default=20,
        metavar="N",
        help="paths listed per finding, shortest first (default: 20; all are counted)",
    )
    p.add_argument(
        "--max-bytes",
        type=positive_int,
        metavar="BYTES",
        help="markdown only: keep the report within BYTES (UTF-8) by listing only the first "
        "documents, findings, unresolved references and waivers, each list saying how many it "
        f"left out; at least {MIN_MAX_BYTES} (GitHub drops a job summary over 1 MiB whole; "
        "the Action uses 900000)",
    )
    p.set_defaults(func=run)


def use_color(output: str | None) -> bool:
    """Colour only for a terminal on stdout, and never when NO_COLOR is set."""
    if output not in (None, "-"):
        return False
    if os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def run(args: argparse.Namespace) -> int:
    """Scan, render, write; the exit code follows the verdict (and --fail-on)."""
    from sbomcheck.bundle import load_inputs
    from sbomcheck.scan import scan_documents

    options = build_scan_options(args, as_of_or_today(args.as_of))
    fmt = OutputFormat(args.format)
    if args.max_bytes is not None:
        if fmt is not OutputFormat.MARKDOWN:
            raise UsageError(f"--max-bytes applies to --format markdown only, not {fmt.value}")
        if args.max_bytes < MIN_MAX_BYTES:
            raise UsageError(f"--max-bytes must be at least {MIN_MAX_BYTES}: {args.max_bytes}")
    formatter = get_formatter(fmt)
    bundle = load_inputs(args.sboms)
    print_skipped(bundle.notes)
    report = scan_documents(bundle.documents, options, skipped=bundle.notes)
    rendered = formatter.render(
        report, RenderOptions(color=use_color(args.output), max_bytes=args.max_bytes)
    )
    write_output(args.output, rendered)
    print(f"sbomcheck: {summary_line(report)}", file=sys.stderr)
    return int(exit_code(report.verdict, args.fail_on)) or ExitCode.OK
