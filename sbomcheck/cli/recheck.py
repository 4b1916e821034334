"""`sbomcheck recheck --db FILE [--as-of DATE]`: re-evaluate recorded audits."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sbomcheck.cli._common import (
    add_fail_on_option,
    add_output_option,
    add_policy_options,
    as_of_or_today,
    build_scan_options,
    exit_code,
    now_utc,
    text_width,
    write_output,
)


def register(subparsers: Any) -> None:
    """Add the `recheck` command."""
    p = subparsers.add_parser(
        "recheck",
        help="re-evaluate recorded audits with today's catalogue, rules and date",
        description="Re-scan the stored inventory of every product's latest audit, without the "
        "original files, using the current alias catalogue, rules and date; record the result "
        "and list what changed. Each audit keeps the profile, jurisdictions and model year it "
        "was recorded with unless --profile, --jurisdiction or --model-year is given. "
        "Exit: 1 when any product now fails, else 0; 2 on bad input or a damaged ledger.",
    )
    p.add_argument("--db", required=True, metavar="FILE", help="the audit ledger")
    p.add_argument(
        "--format",
        choices=("text", "json", "markdown", "html"),
        default="text",
        help="output, as for audit (html: one self-contained page)",
    )
    add_fail_on_option(p)
    p.add_argument("--max-paths", type=int, default=20, metavar="N", help="paths per finding")
    add_output_option(p)
    add_policy_options(p)
    for action in p._actions:
        if action.dest == "profile":
            # NOTE: no default here: without --profile each audit keeps its own.
            action.default = None
            action.help = "re-check every audit for this profile (default: as recorded)"
    p.set_defaults(func=run)


def _given_on_command_line(args: argparse.Namespace) -> set[str]:
    """Which of the options an audit was recorded with the command line replaces.

    Only flags count: a settings file or an SBOMCHECK_* variable gives defaults for new
    audits, and must not silently re-decide recorded ones for another profile.
    """
    from sbomcheck.audit.recheck import RECORDED_OPTIONS
    from sbomcheck.cli._config import Source

    configuration = getattr(args, "configuration", None)
    if configuration is None:
        return {name for name in RECORDED_OPTIONS if getattr(args, name, None)}
    return {
        r.setting.dest
        for r in configuration.settings
        if r.setting.dest in RECORDED_OPTIONS and r.source is Source.FLAG
    }


def run(args: argparse.Namespace) -> int:
    """Re-check and print the changes."""
    from sbomcheck.audit.ledger import Ledger
    from sbomcheck.audit.recheck import recheck
    from sbomcheck.audit.recheck_render import render_recheck
    from sbomcheck.errors import UsageError
    from sbomcheck.findings import Verdict
    from sbomcheck.report.interface import RenderOptions

    if not Path(args.db).exists():
        raise UsageError(f"{args.db}: no such ledger")
    as_of = as_of_or_today(args.as_of)
    given = _given_on_command_line(args)
    base = argparse.Namespace(**{**vars(args), "profile": args.profile or "vendor"})
    options = build_scan_options(base, as_of)
    with Ledger(args.db) as ledger:
        result = recheck(ledger, options, recorded_at=now_utc(), given=given)
        ledger.finish_run(result.run_id, now_utc())
    changes = result.changes
    text = render_recheck(
        result,
        args.format,
        as_of=as_of.isoformat(),
        profile=options.profile if "profile" in given else None,
        options=RenderOptions(width=text_width(args.output)),
    )
    write_output(args.output, text)
    return max((exit_code(Verdict(c.verdict), args.fail_on) for c in changes), default=0)
