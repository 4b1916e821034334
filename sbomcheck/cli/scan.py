"""`sbomcheck scan SBOM...`: find Kaspersky technology, its paths, and what the rules say."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from sbomcheck.cli._common import (
    ExitCode,
    add_fail_on_option,
    add_policy_options,
    add_sarif_options,
    as_of_or_today,
    build_scan_options,
    exit_code,
    positive_int,
    print_skipped,
    sarif_names,
    stderr_width,
    text_width,
    to_stdout,
    write_output,
)
from sbomcheck.cli._outputs import (
    Output,
    add_outputs_option,
    format_on_command_line,
    resolve_outputs,
)
from sbomcheck.errors import UsageError
from sbomcheck.report import OutputFormat, RenderOptions, get_formatter
from sbomcheck.report.interface import MIN_MAX_BYTES
from sbomcheck.report.text import fit_line, summary_line

if TYPE_CHECKING:
    from sbomcheck.ingest.positions import Position


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
    add_outputs_option(p, [f.value for f in OutputFormat])
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
        help="markdown outputs only: keep the report within BYTES (UTF-8) by listing only the "
        "first documents, findings, unresolved references and waivers, each list saying how "
        f"many it left out; at least {MIN_MAX_BYTES} (GitHub drops a job summary over 1 MiB whole; "
        "the Action uses 900000)",
    )
    p.add_argument(
        "--details",
        action="store_true",
        help="text: after the short view, print the details: evidence, paths, every rule "
        "with its sources, rules that do not apply (also -v)",
    )
    p.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print only the one-line summary (other formats and files are still written)",
    )
    p.add_argument(
        "--color",
        choices=COLOR_CHOICES,
        default="auto",
        help="colour the verdict, severities and confidence in text: auto (default: on a "
        "terminal, unless NO_COLOR is set or TERM=dumb; FORCE_COLOR forces it), always, never",
    )
    add_sarif_options(p, command="scan")
    p.set_defaults(func=run)


COLOR_CHOICES = ("auto", "always", "never")


def use_color(
    choice: str,
    output: str | None,
    environ: Mapping[str, str] | None = None,
    isatty: Callable[[], bool] | None = None,
) -> bool:
    """Whether the text report is coloured, first rule that speaks wins: `--color always` or
    `never`; a file (`-o FILE`) is plain; `NO_COLOR` set and not empty (no-color.org);
    `FORCE_COLOR` set and not empty, whatever its value (force-color.org); `TERM=dumb`;
    finally, whether standard output is a terminal."""
    env = os.environ if environ is None else environ
    if choice != "auto":
        return choice == "always"
    if not to_stdout(output):
        return False
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    if env.get("TERM") == "dumb":
        return False
    return (isatty or sys.stdout.isatty)()


def run(args: argparse.Namespace) -> int:
    """Scan once, render each output, write them; the exit code follows the verdict (and
    --fail-on)."""
    # NOTE: the ingest package loads every reader: imported when a scan runs, not when
    # the CLI starts (tests/cli/test_startup_imports.py).
    from sbomcheck.ingest.positions import locate_findings, source_reader
    from sbomcheck.ingest.sources import load_inputs
    from sbomcheck.scan import scan_documents

    stdin_name, category = sarif_names(args)
    options = build_scan_options(args, as_of_or_today(args.as_of))
    outputs = resolve_outputs(args.output, args.format, format_given=format_on_command_line(args))
    formats = {OutputFormat(o.format) for o in outputs}
    if args.max_bytes is not None:
        if OutputFormat.MARKDOWN not in formats:
            raise UsageError(
                "--max-bytes applies to markdown output only (--format markdown or --output "
                f"markdown=PATH), not {', '.join(sorted(f.value for f in formats))}"
            )
        if args.max_bytes < MIN_MAX_BYTES:
            raise UsageError(f"--max-bytes must be at least {MIN_MAX_BYTES}: {args.max_bytes}")
    formatters = {fmt: get_formatter(fmt) for fmt in formats}
    wants_positions = any(f.uses_positions for f in formatters.values())
    bundle = load_inputs(args.sboms)
    if not args.quiet:
        print_skipped(bundle.notes)
    documents, skipped = bundle.documents, bundle.notes
    # NOTE: the sources (standard input's bytes among them) are kept only for an output
    # that points into the SBOM files; the others let them go before the scan.
    sources = bundle.sources if wants_positions else ()
    del bundle
    report = scan_documents(documents, options, skipped=skipped)
    positions: dict[str, Position] = {}
    if wants_positions and report.findings:
        positions = locate_findings(report.findings, documents, source_reader(sources))
    summary = f"sbomcheck: {summary_line(report)}"
    rendered: list[tuple[Output, str]] = []
    summary_shown = False
    for output in outputs:
        fmt = OutputFormat(output.format)
        if args.quiet and fmt is OutputFormat.TEXT and output.to_stdout:
            # NOTE: -q: the summary replaces the text report, once, on standard output.
            rendered.append((output, fit_line(summary, text_width(output.path)) + "\n"))
            summary_shown = True
            continue
        render = RenderOptions(
            color=use_color(args.color, output.path),
            width=text_width(output.path),
            details=args.details or args.verbose >= 1,
            max_bytes=args.max_bytes if fmt is OutputFormat.MARKDOWN else None,
            positions=positions,
            stdin_name=stdin_name,
            category=category,
        )
        rendered.append((output, formatters[fmt].render(report, render)))
    # NOTE: every output rendered before the first is written: a run that fails to render
    # one leaves no output behind.
    for output, text in rendered:
        write_output(output.path, text)
    if not summary_shown:
        print(fit_line(summary, stderr_width()), file=sys.stderr)
    return int(exit_code(report.verdict, args.fail_on)) or ExitCode.OK
