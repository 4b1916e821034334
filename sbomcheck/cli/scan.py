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
    keep_for_process_lifetime,
    print_note,
    write_output,
)
from sbomcheck.errors import UsageError
from sbomcheck.positions import Position, locate_findings, source_reader
from sbomcheck.report import STDIN_NAME, OutputFormat, RenderOptions, get_formatter
from sbomcheck.report.text import summary_line
from sbomcheck.safe_text import visible


def positive_int(value: str) -> int:
    """argparse type for counts of at least 1."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value!r}")
    return number


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
        "--stdin-name",
        default=STDIN_NAME,
        metavar="PATH",
        help="the file name SARIF gives an SBOM read from standard input (-), relative to "
        f"the repository root, e.g. the path it was generated from (default: {STDIN_NAME})",
    )
    p.add_argument(
        "--sarif-category",
        default="",
        metavar="NAME",
        help="SARIF analysis category: automationDetails.id becomes "
        "sbomcheck/PROFILE/NAME/, so uploads of several scans of one commit to GitHub code "
        "scanning do not replace each other's results (default: sbomcheck/PROFILE/)",
    )
    p.set_defaults(func=run)


def _checked_name(value: str, option: str, *, empty: bool = False) -> str:
    """A name given on the command line, refused (exit 2) when empty (unless allowed) or
    holding control or invisible characters."""
    if not value.strip() and not empty:
        raise UsageError(f"{option} must not be empty")
    if visible(value) != value:
        raise UsageError(f"{option} holds control or invisible characters: {visible(value)}")
    return value.strip()


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
    from sbomcheck.policy import exit_code
    from sbomcheck.scan import scan_documents

    stdin_name = _checked_name(args.stdin_name, "--stdin-name")
    category = _checked_name(args.sarif_category, "--sarif-category", empty=True)
    options = build_scan_options(args, as_of_or_today(args.as_of))
    fmt = OutputFormat(args.format)
    formatter = get_formatter(fmt)
    bundle = load_inputs(args.sboms)
    keep_for_process_lifetime()
    for note in bundle.notes:
        print_note(note.render())
    documents = bundle.documents
    # NOTE: the sources (with standard input's bytes) are kept only for a formatter that
    # points into the SBOM files; the others drop them before the scan.
    sources = bundle.sources if formatter.uses_positions else ()
    del bundle
    report = scan_documents(documents, options)
    positions: dict[str, Position] = {}
    if formatter.uses_positions and report.findings:
        positions = locate_findings(report.findings, documents, source_reader(sources))
    rendered = formatter.render(
        report,
        RenderOptions(
            color=use_color(args.output),
            positions=positions,
            stdin_name=stdin_name,
            category=category,
        ),
    )
    write_output(args.output, rendered)
    print(f"sbomcheck: {summary_line(report)}", file=sys.stderr)
    return int(exit_code(report.verdict, args.fail_on)) or ExitCode.OK
