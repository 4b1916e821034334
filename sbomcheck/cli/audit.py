"""`sbomcheck audit PATH...`: audit many vendor SBOMs at once, optionally into a ledger."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from sbomcheck.cli._common import (
    add_fail_on_option,
    add_policy_options,
    add_sarif_options,
    as_of_or_today,
    build_scan_options,
    exit_code,
    now_utc,
    sarif_names,
    stderr_width,
    text_width,
    write_output,
)
from sbomcheck.cli._outputs import add_outputs_option, format_on_command_line, resolve_outputs
from sbomcheck.report._common import plural
from sbomcheck.report.interface import RenderOptions
from sbomcheck.report.text import fit_line

if TYPE_CHECKING:
    from sbomcheck.audit.runner import AuditResult


AUDIT_FORMATS = ("text", "json", "html", "markdown", "sarif", "junit", "csv")
"""The formats of `audit --format` and `--output FORMAT=PATH` (`sbomcheck.audit.render`)."""


def register(subparsers: Any) -> None:
    """Add the `audit` command."""
    p = subparsers.add_parser(
        "audit",
        help="audit many SBOMs (directories, zips, files) in parallel, with an audit ledger",
        description="Audit every SBOM under PATH (a directory, recursively; a zip; or files). "
        "A product SBOM and the SBOMs it links are audited as one product. Files that fail to "
        "parse are reported and do not stop the batch. Exit: 0 when no product fails, 1 when "
        "any fails (or reaches --fail-on; with --resume, any product of the whole run), 2 when "
        "a PATH does not exist or holds no SBOM, nothing could be read, the ledger cannot be "
        "used, or a worker was lost (then --resume finishes the run).",
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--db", metavar="FILE", help="SQLite audit ledger to record every audit in")
    p.add_argument(
        "--resume",
        action="store_true",
        help="continue the last unfinished run with the same inputs and options (needs --db); "
        "the report and exit code are those of the whole run",
    )
    p.add_argument(
        "--format",
        choices=AUDIT_FORMATS,
        default="text",
        help="output format (default: text); sarif, junit and csv cover every product",
    )
    add_outputs_option(p, AUDIT_FORMATS)
    p.add_argument("--jobs", type=int, metavar="N", help="worker processes (default: all cores)")
    p.add_argument(
        "--executor",
        choices=("process", "dask"),
        default="process",
        help="run workers locally (default) or on a Dask cluster (extra sbomcheck[dask])",
    )
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://host:8786")
    add_fail_on_option(p)
    p.add_argument("--max-paths", type=int, default=20, metavar="N", help="paths per finding")
    add_policy_options(p)
    add_sarif_options(p, command="audit")
    p.set_defaults(func=run)


def _progress(phase: str, done: int, total: int) -> None:
    sys.stderr.write(f"\r\x1b[Ksbomcheck audit: {phase} {done}/{total}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    """Run the batch, record it, print the report."""
    from sbomcheck.audit.render import render
    from sbomcheck.audit.runner import AuditOptions, check_inputs, run_audit
    from sbomcheck.errors import UsageError

    if args.resume and not args.db:
        raise UsageError("--resume needs --db FILE")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    outputs = resolve_outputs(args.output, args.format, format_given=format_on_command_line(args))
    stdin_name, category = sarif_names(args)
    # NOTE: before the ledger is opened: a misspelt PATH leaves nothing behind.
    check_inputs(args.paths)
    as_of = as_of_or_today(args.as_of)
    options = AuditOptions(
        scan=build_scan_options(args, as_of),
        jobs=args.jobs,
        executor=args.executor,
        scheduler=args.scheduler,
    )
    progress = _progress if sys.stderr.isatty() else None
    if args.db:
        from sbomcheck.audit.ledger import Ledger

        with Ledger(args.db) as ledger:
            result = run_audit(
                args.paths,
                options,
                ledger=ledger,
                recorded_at=now_utc(),
                resume=args.resume,
                progress=progress,
            )
            assert result.run_id is not None
            ledger.finish_run(result.run_id, now_utc())
    else:
        result = run_audit(args.paths, options, progress=progress)
    positions = {}
    if any(o.format == "sarif" for o in outputs):
        from sbomcheck.audit.exports import audit_positions

        positions = audit_positions(result)
    # NOTE: every output rendered before the first is written, as for scan.
    rendered = [
        (
            o,
            render(
                result,
                o.format,
                as_of=as_of.isoformat(),
                profile=args.profile,
                options=RenderOptions(
                    width=text_width(o.path),
                    positions=positions,
                    stdin_name=stdin_name,
                    category=category,
                ),
            ),
        )
        for o in outputs
    ]
    for output, text in rendered:
        write_output(output.path, text)
    print(fit_line(f"sbomcheck: {audit_summary_line(result)}", stderr_width()), file=sys.stderr)
    return audit_exit_code(result, args.fail_on)


def audit_summary_line(result: AuditResult) -> str:
    """`audited 3 products (1 pass, 2 fail); 1 unreadable`: the line on standard error."""
    summary = result.summary()
    counts = ", ".join(f"{v} {k}" for k, v in summary["verdicts"].items() if v)
    return (
        f"audited {plural(summary['products'], 'product')} ({counts or 'none'}); "
        f"{summary['unreadable']} unreadable"
    )


def audit_exit_code(result: AuditResult, fail_on: str | None = None) -> int:
    """2 when nothing could be read, 1 when any product of the run fails (or reaches
    --fail-on), else 0. A resumed run counts the products its earlier attempts recorded."""
    if not result.products:
        return 2
    return max(exit_code(p.verdict, fail_on) for p in result.products)
