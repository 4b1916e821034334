"""`--format markdown`: for pull-request comments and CI job summaries (`$GITHUB_STEP_SUMMARY`).

GitHub-flavoured Markdown: the verdict, a summary table, each finding with its evidence,
its paths (a tree in a fenced block) and its rules, then unresolved references,
completeness and waivers.

Nothing taken from an SBOM may become markup: identifiers go into code spans (`code()`),
prose goes through `text()`, which backslash-escapes every character Markdown or GFM
could act on (HTML, links, autolinks, emphasis, tables, entities). The only links are the
http(s) source URLs of the catalogue and the rules, never anything from the SBOM.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from sbomcheck.findings import Finding, Report, RuleOutcome, RuleStatus, Verdict
from sbomcheck.report._common import (
    MD_BACKTICKS,
    applicable,
    completeness_sentence,
    confidence_counts,
    effective_date,
    not_applicable_groups,
    path_count,
    percent,
    plural,
    tree_rows,
)
from sbomcheck.report._common import md_code as code
from sbomcheck.report._common import md_text as text
from sbomcheck.report.interface import DEFAULT_RENDER_OPTIONS, Formatter, RenderOptions

__all__ = ["MarkdownFormatter", "code", "text"]

# NOTE: characters that would end or confuse a link destination are percent-encoded.
_URL_SAFE = "/:?#[]@!$&'*+,;=%-._~"

_MAX_TREE_DEPTH = 8
"""Levels a path tree indents before it marks depth as `[level N]`: deep chains stay
readable in a PR comment without scrolling sideways."""

_ALERT = {
    Verdict.FAIL: "CAUTION",
    Verdict.WARN: "WARNING",
    Verdict.INDETERMINATE: "IMPORTANT",
    Verdict.PASS: "NOTE",
}


def link(label: str, url: str) -> str:
    """`[label](url)` for an http(s) URL from our data files, else the label with the URL
    as code. `label` must already be escaped."""
    if not re.match(r"^https?://[^\s]+$", url):
        return f"{label} ({code(url)})" if url else label
    return f"[{label}]({quote(url, safe=_URL_SAFE)})"


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], align: str = "") -> list[str]:
    """A GFM table; `align` holds one of `l`/`r` per column (default left)."""
    marks = [("---:" if a == "r" else "---") for a in align.ljust(len(header), "l")]
    return [_row(header), _row(marks), *(_row(r) for r in rows)]


def _fenced(lines: Sequence[str], info: str = "text") -> list[str]:
    """A fenced code block whose fence no line of `lines` can close."""
    longest = max((len(m) for line in lines for m in MD_BACKTICKS.findall(line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{info}", *lines, fence]


def _rule_cell(outcome: RuleOutcome) -> str:
    return link(text(outcome.id), outcome.source) if outcome.source else text(outcome.id)


def _finding(number: int, finding: Finding) -> list[str]:
    comp = finding.component
    version = f" {code(comp.version)}" if comp.version else ""
    name = code(comp.name or comp.ref)
    out = [f"#### {number}. {name}{version}: {text(finding.canonical)}", ""]
    where = f"Declared in {code(comp.document)}"
    if comp.location:
        where += f" at {code(comp.location)}"
    if comp.line is not None:
        where += f" (line {comp.line})"
    ident = [f"ref {code(comp.ref)}"]
    if comp.purl:
        ident.append(f"purl {code(comp.purl)}")
    if comp.supplier:
        ident.append(f"supplier {code(comp.supplier)}")
    out += [
        f"- Confidence **{finding.confidence.value}**, severity **{finding.severity.value}**"
        + (", **waived**" if finding.waived else "")
        + f"; integration {text(finding.integration)}, product class "
        f"{text(finding.product_class)}",
        f"- {where}",
        f"- {', '.join(ident)}",
    ]
    if finding.introduced_via:
        out.append("- Introduced via " + ", ".join(code(ref) for ref in finding.introduced_via))
    for note in finding.notes:
        out.append(f"- {text(note)}")
    out.append("")
    if finding.evidence:
        out += ["**Evidence**", ""]
        out += _table(
            ("Field", "Value", "Alias", "Kind", "Confidence", "Method", "Source"),
            (
                (
                    code(e.field, table=True),
                    code(e.value, table=True),
                    code(e.alias, table=True),
                    text(e.kind),
                    text(e.confidence),
                    text(e.method),
                    link("source", e.source) if e.source else "-",
                )
                for e in finding.evidence
            ),
        )
        out.append("")
    if finding.paths:
        count = path_count(len(finding.paths), finding.paths_total)
        out += [f"**Paths** ({count})", ""]
        out += _fenced(
            [d + label for d, label in tree_rows(finding.paths, max_depth=_MAX_TREE_DEPTH)]
        )
    else:
        out.append("**Paths**: none (a root, or not reachable from one)")
    out.append("")
    judged = applicable(finding)
    if judged:
        out += ["**Rules**", ""]
        out += _table(
            ("Rule", "Milestone", "Status", "Severity", "Effective", "Waived", "Why"),
            (
                (
                    _rule_cell(r),
                    text(r.milestone),
                    r.status.value,
                    r.severity.value,
                    text(effective_date(r)),
                    _waived_cell(r),
                    text(r.reason) or "-",
                )
                for r in judged
            ),
        )
        out.append("")
    elif not finding.rules:
        out += ["**Rules**: none judged this finding", ""]
    for heading, names in not_applicable_groups(finding):
        out += [f"{heading}: {text(names)}", ""]
    return out


def _rules_cell(finding: Finding) -> str:
    """The rule ids that bind `finding` (in force or upcoming), most severe first; rules
    that do not apply are left out, so a reader does not take them as broken."""
    if not finding.rules:
        return "-"
    best: dict[str, tuple[int, int]] = {}
    for o in applicable(finding):
        key = (-o.severity.rank, 0 if o.status is RuleStatus.IN_FORCE else 1)
        best[o.id] = min(best.get(o.id, key), key)
    if not best:
        return "none for this profile"
    # NOTE: a stable sort keeps the policy's rule order among equally severe rules.
    return ", ".join(text(r) for r in sorted(best, key=lambda r: best[r]))


def _waived_cell(outcome: RuleOutcome) -> str:
    if outcome.waiver is not None:
        return f"waiver {outcome.waiver.index}, until {text(outcome.waiver.expires)}"
    if outcome.waived:
        return "yes"
    return "expired waiver" if outcome.waiver_expired else "no"


class MarkdownFormatter(Formatter):
    """`--format markdown`: verdict, summary table, findings, rules, completeness, waivers."""

    def render(self, report: Report, options: RenderOptions = DEFAULT_RENDER_OPTIONS) -> str:
        """The report as GitHub-flavoured Markdown (`options` are not used)."""
        verdict = report.verdict.value.upper()
        out = [
            f"## sbomcheck: {verdict}",
            "",
            f"> [!{_ALERT[report.verdict]}]",
            f"> **Verdict: {verdict}**, as of {text(report.as_of)}, profile {text(report.profile)}",
        ]
        out += [f"> - {text(reason)}" for reason in report.verdict_reasons]
        out.append("")

        counts = dict(confidence_counts(report.findings))
        out += _table(
            (
                "Documents",
                "Components",
                "Findings",
                "Confirmed",
                "Likely",
                "Possible",
                "Waived",
                "Unresolved references",
            ),
            [
                (
                    str(len(report.documents)),
                    str(sum(d.components for d in report.documents)),
                    str(len(report.findings)),
                    str(counts.get("confirmed", 0)),
                    str(counts.get("likely", 0)),
                    str(counts.get("possible", 0)),
                    str(sum(1 for f in report.findings if f.waived)),
                    str(len(report.unresolved_references)),
                )
            ],
            align="rrrrrrrr",
        )
        out.append("")

        out += ["### Documents", ""]
        out += _table(
            ("Document", "Format", "Components", "Product", "Supplier"),
            (
                (
                    code(d.path, table=True),
                    text(f"{d.format} {d.spec_version}"),
                    str(d.components),
                    code(d.product, table=True),
                    code(d.supplier, table=True),
                )
                for d in report.documents
            ),
            align="llr",
        )
        out.append("")
        warnings = [(d.path, w) for d in report.documents for w in d.warnings]
        for path, warning in warnings:
            out.append(f"- warning in {code(path)}: {text(warning)}")
        if warnings:
            out.append("")

        out += [f"### Findings ({len(report.findings)})", ""]
        if report.findings:
            out += _table(
                ("#", "Component", "Version", "Confidence", "Severity", "Canonical", "Rules"),
                (
                    (
                        str(i),
                        code(f.component.name or f.component.ref, table=True),
                        code(f.component.version, table=True),
                        f.confidence.value,
                        f.severity.value + (" (waived)" if f.waived else ""),
                        text(f.canonical),
                        _rules_cell(f),
                    )
                    for i, f in enumerate(report.findings, 1)
                ),
                align="r",
            )
            out.append("")
            for number, finding in enumerate(report.findings, 1):
                out += _finding(number, finding)
        else:
            out += ["No Kaspersky technology found.", ""]

        if report.unresolved_references:
            out += [f"### Unresolved references ({len(report.unresolved_references)})", ""]
            out += _table(
                ("Document", "Location", "Reference", "Reason"),
                (
                    (
                        code(u.document, table=True),
                        code(u.location, table=True),
                        code(u.reference, table=True),
                        text(u.reason),
                    )
                    for u in report.unresolved_references
                ),
            )
            out.append("")

        if report.completeness is not None:
            c = report.completeness
            out += ["### Completeness", ""]
            out += [
                f"- {plural(c.components, 'component')}: supplier {percent(c.with_supplier)}, "
                f"purl or CPE {percent(c.with_purl_or_cpe)}, hashes {percent(c.with_hashes)}",
                f"- relationships: {'yes' if c.has_relationships else 'no'}; compositions: "
                + (", ".join(text(x) for x in c.compositions) or "none"),
                f"- {plural(c.unresolved_references, 'unresolved reference')}",
                "- " + completeness_sentence(c, len(report.documents), escape=text),
                "",
            ]

        if report.waivers:
            out += [f"### Waivers ({len(report.waivers)})", ""]
            out += _table(
                ("#", "Matches", "Rule", "Expires", "State", "Approver", "Ticket", "Reason"),
                (
                    (
                        str(u.waiver.index),
                        ", ".join(
                            f"{label} {code(value, table=True)}"
                            for label, value in (
                                ("name", u.waiver.name),
                                ("purl", u.waiver.purl),
                                ("ref", u.waiver.ref),
                                ("alias", u.waiver.alias),
                                ("version", u.waiver.version),
                            )
                            if value
                        )
                        or "any",
                        text(u.waiver.rule) or "any",
                        text(u.waiver.expires),
                        "expired"
                        if u.expired
                        else (f"used ({len(u.matched)})" if u.matched else "unused"),
                        text(u.waiver.approver),
                        text(u.waiver.ticket) or "-",
                        text(u.waiver.reason),
                    )
                    for u in report.waivers
                ),
                align="r",
            )
            out.append("")

        data = [
            f"{text(d.name)} {text(d.version)} ({plural(d.rows, 'row')})"
            for d in (report.catalogue, report.rules)
            if d is not None
        ]
        footer = f"sbomcheck {text(report.tool_version)}"
        if data:
            footer += "; data: " + ", ".join(data)
        out.append(f"_{footer}_")
        return "\n".join(out) + "\n"
