"""`sbomcheck rules`: every rule and where each milestone stands on a date for a profile."""

from __future__ import annotations

import argparse
import datetime as dt
import textwrap
from pathlib import Path
from typing import Any

from sbomcheck.cli._common import (
    PROFILES,
    ExitCode,
    add_output_option,
    as_of_or_today,
    parse_date,
    write_output,
)
from sbomcheck.findings import RuleStatus
from sbomcheck.policy import Rule, RuleSet, load_rules, milestone_status
from sbomcheck.report.json import dumps
from sbomcheck.safe_text import visible

_WIDTH = 79
_INDENT = " " * 14


def register(subparsers: Any) -> None:
    """Add the `rules` command."""
    p = subparsers.add_parser(
        "rules",
        help="list the rules and the status of each milestone on a date for a profile",
        description="Print every rule sbomcheck applies (citation, source, scope, product "
        "classes) and, for each dated milestone, whether it is in force, upcoming or not "
        "applicable to the profile on the as-of date, with the severity a finding would get. "
        "Whether a rule reaches a given finding also depends on its scope and product class; "
        "see docs/policy.md.",
    )
    p.add_argument(
        "--as-of",
        type=parse_date,
        metavar="DATE",
        help="evaluate the rules as on DATE (YYYY-MM-DD; default: today)",
    )
    p.add_argument(
        "--profile",
        choices=PROFILES,
        default="vendor",
        help="who is asking (default: vendor: you ship, sell, resell, license or integrate "
        "software for US persons)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.add_argument(
        "--rules", metavar="FILE", type=Path, help="TOML file of rules to add or override"
    )
    add_output_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the rules; a bad rules file is an input error (exit 2)."""
    ruleset = load_rules(args.rules)
    as_of = as_of_or_today(args.as_of)
    if args.format == "json":
        text = render_json(ruleset, profile=args.profile, as_of=as_of)
    else:
        text = render_text(ruleset, profile=args.profile, as_of=as_of)
    write_output(args.output, text)
    return ExitCode.OK


def rules_info(ruleset: RuleSet, *, profile: str, as_of: dt.date) -> dict[str, Any]:
    """The JSON object `sbomcheck rules --format json` prints."""
    rules = []
    for rule in ruleset:
        entry = rule.to_dict()
        for ms, out in zip(rule.milestones, entry["milestones"], strict=True):
            status, severity, reason = milestone_status(rule, ms, profile=profile, as_of=as_of)
            out.update(
                {"status": status.value, "status_severity": severity.value, "reason": reason}
            )
        rules.append(entry)
    return {
        "as_of": as_of.isoformat(),
        "profile": profile,
        "rules_data": ruleset.data_version.to_dict(),
        "rules": rules,
    }


def render_json(ruleset: RuleSet, *, profile: str, as_of: dt.date) -> str:
    """Deterministic JSON (sorted keys, rules in file order)."""
    return dumps(rules_info(ruleset, profile=profile, as_of=as_of))


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(
        text,
        width=_WIDTH,
        initial_indent=indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _rule_block(rule: Rule, *, profile: str, as_of: dt.date) -> list[str]:
    head = f"{rule.id}  [{rule.kind}, {rule.jurisdiction}, {rule.confidence}, scope {rule.scope}]"
    lines = [head]
    lines += _wrap(rule.title, "  ")
    lines += _wrap(rule.citation, "  ")
    lines += _wrap(f"binds: {rule.binds}", "  ")
    classes = ", ".join(rule.product_classes) or "all"
    scope = f"classes: {classes}"
    if rule.exclude_classes:
        scope += f"; excluded: {', '.join(rule.exclude_classes)}"
    if rule.entities:
        scope += f"; entities: {'; '.join(rule.entities)}"
    lines += _wrap(scope, "  ")
    lines.append(f"  {rule.url}")
    for ms in rule.milestones:
        status, severity, _ = milestone_status(rule, ms, profile=profile, as_of=as_of)
        sev = severity.value if severity.rank else "-"
        lines.append(f"  {ms.effective_date.isoformat()}  {status.value:<15} {sev:<8} {ms.id}")
        detail = f"{ms.title} [{ms.confidence}]"
        if ms.prohibits:
            detail += f"; prohibits: {', '.join(ms.prohibits)}"
        lines += _wrap(detail, _INDENT)
        if status is RuleStatus.NOT_APPLICABLE:
            # The rule's `binds` line is printed above; the profiles are what differ here.
            lines += _wrap(f"not this profile (binds: {', '.join(ms.profiles)})", _INDENT)
        elif len(ms.effective) > 10:
            lines += _wrap(f"takes effect {ms.effective}", _INDENT)
    return lines


def render_text(ruleset: RuleSet, *, profile: str, as_of: dt.date) -> str:
    """Readable in 80 columns (long URLs excepted): one block per rule."""
    dv = ruleset.data_version
    counts = dict.fromkeys(RuleStatus, 0)
    for rule in ruleset:
        for ms in rule.milestones:
            counts[milestone_status(rule, ms, profile=profile, as_of=as_of)[0]] += 1
    lines = [
        f"Rules as of {as_of.isoformat()} for profile {profile}",
        f"data: {dv.name} {dv.version} (sha256 {dv.sha256[:12]}), {dv.rows} rules",
        f"milestones: {counts[RuleStatus.IN_FORCE]} in force, "
        f"{counts[RuleStatus.UPCOMING]} upcoming, "
        f"{counts[RuleStatus.NOT_APPLICABLE]} not applicable to this profile",
        "",
        "  effective   status          severity milestone",
        "",
    ]
    for rule in ruleset:
        lines += _rule_block(rule, profile=profile, as_of=as_of)
        lines.append("")
    lines += _wrap(
        "A milestone warns before its date and applies its severity from that day on. "
        "Whether a rule reaches a finding also depends on its scope and product class "
        "(docs/policy.md).",
        "",
    )
    # NOTE: a --rules file is input too; its text is shown, never sent to the terminal.
    return "\n".join(visible(line) for line in lines) + "\n"
