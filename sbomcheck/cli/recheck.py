"""`sbomcheck recheck --db FILE [--as-of DATE]`: re-evaluate recorded audits."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from sbomcheck.cli._common import (
    add_fail_on_option,
    add_output_option,
    add_policy_options,
    as_of_or_today,
    build_scan_options,
    exit_code,
    write_output,
)
from sbomcheck.safe_text import visible


def register(subparsers: Any) -> None:
    """Add the `recheck` command."""
    p = subparsers.add_parser(
        "recheck",
        help="re-evaluate recorded audits with today's catalogue, rules and date",
        description="Re-scan the stored inventory of every product's latest audit, without the "
        "original files, using the current alias catalogue, rules and date; record the result "
        "and list what changed. Exit: 1 when any product now fails, else 0; 2 on bad input.",
    )
    p.add_argument("--db", required=True, metavar="FILE", help="the audit ledger")
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_fail_on_option(p)
    p.add_argument("--max-paths", type=int, default=20, metavar="N", help="paths per finding")
    add_output_option(p)
    add_policy_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Re-check and print the changes."""
    from sbomcheck.audit.ledger import Ledger
    from sbomcheck.audit.recheck import recheck
    from sbomcheck.errors import UsageError
    from sbomcheck.findings import Verdict
    from sbomcheck.report.json import dumps

    if not Path(args.db).exists():
        raise UsageError(f"{args.db}: no such ledger")
    as_of = as_of_or_today(args.as_of)
    options = build_scan_options(args, as_of)
    recorded_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    with Ledger(args.db) as ledger:
        changes = recheck(ledger, options, recorded_at=recorded_at)
    if args.format == "json":
        text = dumps(
            {
                "as_of": as_of.isoformat(),
                "profile": args.profile,
                "products": [c.to_dict() for c in changes],
                "changed": sum(c.changed for c in changes),
            }
        )
    else:
        lines = [
            f"sbomcheck recheck as of {as_of.isoformat()}, profile {args.profile}: "
            f"{sum(c.changed for c in changes)} of {len(changes)} products changed"
        ]
        for c in changes:
            mark = "CHANGED" if c.changed else "same   "
            lines.append(
                f"{mark} {c.previous_verdict.upper()} -> {c.verdict.upper()}  {c.product}"
                f"  (last audited as of {c.previous_as_of})"
            )
            lines += [f"    + new finding: {f}" for f in c.new_findings]
            lines += [f"    - gone: {f}" for f in c.gone_findings]
            lines += [f"    ~ {s}" for s in c.status_changes]
            if c.changed and c.data_changes:
                lines.append(f"    because: {'; '.join(c.data_changes)}")
        text = "\n".join(visible(line) for line in lines) + "\n"
    write_output(args.output, text)
    return max((exit_code(Verdict(c.verdict), args.fail_on) for c in changes), default=0)
