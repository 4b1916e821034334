"""`sbomcheck rules`: every rule and where each milestone stands on a date for a profile."""

from __future__ import annotations

import argparse
import datetime as dt
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sbomcheck.cli._common import (
    ExitCode,
    add_output_option,
    add_rule_selection_options,
    as_of_or_today,
    jurisdictions_of,
    write_output,
)
from sbomcheck.findings import RuleStatus, Severity
from sbomcheck.json_form import json_form
from sbomcheck.policy import (
    Rule,
    RuleSet,
    check_policy_options,
    is_subnational,
    load_rules,
    milestone_status,
)
from sbomcheck.policy.rules import Milestone
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
        "see `sbomcheck help policy`.",
    )
    add_rule_selection_options(p)
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.add_argument(
        "--rules", metavar="FILE", type=Path, help="TOML file of rules to add or override"
    )
    add_output_option(p)
    p.set_defaults(func=run)


@dataclass(frozen=True, slots=True, kw_only=True)
class Selection:
    """Which rules bind and when: what `sbomcheck rules` evaluates the milestones for."""

    profile: str
    as_of: dt.date
    jurisdictions: tuple[str, ...] = ()
    model_year: int | None = None

    def status(self, rule: Rule, ms: Milestone) -> tuple[RuleStatus, Severity, str]:
        """`milestone_status` of one milestone for this selection."""
        return milestone_status(
            rule,
            ms,
            profile=self.profile,
            as_of=self.as_of,
            jurisdictions=self.jurisdictions,
            model_year=self.model_year,
        )


def run(args: argparse.Namespace) -> int:
    """Print the rules; a bad rules file, jurisdiction or model year is an input or usage
    error (exit 2)."""
    ruleset = load_rules(args.rules)
    sel = Selection(
        profile=args.profile,
        as_of=as_of_or_today(args.as_of),
        jurisdictions=jurisdictions_of(args),
        model_year=args.model_year,
    )
    check_policy_options(
        ruleset,
        profile=sel.profile,
        jurisdictions=sel.jurisdictions,
        model_year=sel.model_year,
    )
    render = render_json if args.format == "json" else render_text
    text = render(ruleset, sel)
    write_output(args.output, text)
    return ExitCode.OK


def rules_info(ruleset: RuleSet, sel: Selection) -> dict[str, Any]:
    """The JSON object `sbomcheck rules --format json` prints."""
    rules = []
    for rule in ruleset:
        entry = json_form(rule)
        for ms, out in zip(rule.milestones, entry["milestones"], strict=True):
            status, severity, reason = sel.status(rule, ms)
            out.update(
                {"status": status.value, "status_severity": severity.value, "reason": reason}
            )
        rules.append(entry)
    return {
        "as_of": sel.as_of.isoformat(),
        "profile": sel.profile,
        "jurisdictions": list(sel.jurisdictions),
        "model_year": sel.model_year,
        "rules_data": json_form(ruleset.data_version),
        "rules": rules,
    }


def render_json(ruleset: RuleSet, sel: Selection) -> str:
    """Deterministic JSON (sorted keys, rules in file order)."""
    from sbomcheck.report.json import dumps

    return dumps(rules_info(ruleset, sel))


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(
        text,
        width=_WIDTH,
        initial_indent=indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _rule_block(rule: Rule, sel: Selection) -> list[str]:
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
    if rule.products:
        scope += f"; products: {'; '.join(rule.products)}"
    lines += _wrap(scope, "  ")
    lines.append(f"  {rule.url}")
    if rule.sources:
        lines.append("  further sources:")
        lines += [f"    {url}" for url in rule.sources]
    for ms in rule.milestones:
        status, severity, reason = sel.status(rule, ms)
        sev = severity.value if severity.rank else "-"
        lines.append(f"  {ms.effective_date.isoformat()}  {status.value:<15} {sev:<8} {ms.id}")
        detail = f"{ms.title} [{ms.confidence}]"
        if ms.prohibits:
            detail += f"; prohibits: {', '.join(ms.prohibits)}"
        lines += _wrap(detail, _INDENT)
        if reason.startswith("not this profile"):
            # The rule's `binds` line is printed above; the profiles are what differ here.
            lines += _wrap(f"not this profile (binds: {', '.join(ms.profiles)})", _INDENT)
        elif reason.startswith("not this jurisdiction"):
            lines += _wrap(
                f"not this jurisdiction (select it with --jurisdiction {rule.jurisdiction})",
                _INDENT,
            )
        elif ms.model_year is not None:
            lines += _wrap(reason, _INDENT)
        elif status is not RuleStatus.NOT_APPLICABLE and len(ms.effective) > 10:
            lines += _wrap(f"takes effect {ms.effective}", _INDENT)
    return lines


def render_text(ruleset: RuleSet, sel: Selection) -> str:
    """Readable in 80 columns (long URLs excepted): one block per rule."""
    dv = ruleset.data_version
    counts = dict.fromkeys(RuleStatus, 0)
    for rule in ruleset:
        for ms in rule.milestones:
            counts[sel.status(rule, ms)[0]] += 1
    states = [j for j in ruleset.jurisdictions if is_subnational(j)]
    chosen = ", ".join(sel.jurisdictions) or f"none (state rules: {', '.join(states) or '-'})"
    year = str(sel.model_year) if sel.model_year is not None else "not given"
    lines = [
        f"Rules as of {sel.as_of.isoformat()} for profile {sel.profile}",
        f"jurisdictions: {chosen}; model year: {year}",
        f"data: {dv.name} {dv.version} (sha256 {dv.sha256[:12]}), {dv.rows} rules",
        f"milestones: {counts[RuleStatus.IN_FORCE]} in force, "
        f"{counts[RuleStatus.UPCOMING]} upcoming, "
        f"{counts[RuleStatus.NOT_APPLICABLE]} not applicable to this selection",
        "",
        "  effective   status          severity milestone",
        "",
    ]
    for rule in ruleset:
        lines += _rule_block(rule, sel)
        lines.append("")
    lines += _wrap(
        "A milestone warns before its date and applies its severity from that day on. "
        "Whether a rule reaches a finding also depends on its scope and product class "
        "(sbomcheck help policy).",
        "",
    )
    # NOTE: a --rules file is input too; its text is shown, never sent to the terminal.
    return "\n".join(visible(line) for line in lines) + "\n"
