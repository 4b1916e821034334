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
from typing import TypeVar
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
from sbomcheck.report.interface import (
    DEFAULT_RENDER_OPTIONS,
    MIN_MAX_BYTES,
    Formatter,
    RenderOptions,
)

__all__ = ["MarkdownFormatter", "code", "text"]

T = TypeVar("T")

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


_LIMITS = (1000, 300, 100, 30, 10, 3, 1, 0)
"""Items listed per list, tried in turn until the report fits `max_bytes`."""

_FULL_REPORT = "the full report has them all (`sbomcheck scan --format json`, `html` or `sarif`)"


def _shown(items: Sequence[T], limit: int | None) -> Sequence[T]:
    return items if limit is None else items[:limit]


def _cut_note(shown: int, total: int, what: str) -> list[str]:
    """The line after a list cut short, or nothing when all of it was shown."""
    if shown >= total:
        return []
    noun = what if total == 1 else what + "s"
    head = (
        f"The first {shown:,} of {total:,} {noun} are"
        if shown
        else f"None of the {total:,} {noun} is"
    )
    return [f"_{head} listed here, to keep it short: {_FULL_REPORT}._", ""]


def _minimal(report: Report) -> str:
    """The verdict and the counts alone: what is left when nothing else fits."""
    verdict = report.verdict.value.upper()
    return (
        f"## sbomcheck: {verdict}\n\n"
        f"{plural(len(report.findings), 'finding')} in "
        f"{plural(len(report.documents), 'document')}; the details did not fit here: "
        f"{_FULL_REPORT}.\n"
    )


def _verdict(report: Report, _limit: int | None) -> list[str]:
    """The verdict as an alert, with its reasons."""
    verdict = report.verdict.value.upper()
    out: list[str] = [
        f"## sbomcheck: {verdict}",
        "",
        f"> [!{_ALERT[report.verdict]}]",
        f"> **Verdict: {verdict}**, as of {text(report.as_of)}, profile {text(report.profile)}",
    ]
    out += [f"> - {text(reason)}" for reason in report.verdict_reasons]
    out.append("")
    return out


def _counts(report: Report, _limit: int | None) -> list[str]:
    """The counts in one table."""
    out: list[str] = []
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
    return out


def _documents(report: Report, limit: int | None) -> list[str]:
    """The documents read, and their warnings."""
    out: list[str] = []
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
            for d in _shown(report.documents, limit)
        ),
        align="llr",
    )
    out.append("")
    out += _cut_note(len(_shown(report.documents, limit)), len(report.documents), "document")
    warnings = [(d.path, w) for d in report.documents for w in d.warnings]
    for path, warning in _shown(warnings, limit):
        out.append(f"- warning in {code(path)}: {text(warning)}")
    if warnings:
        out.append("")
    out += _cut_note(len(_shown(warnings, limit)), len(warnings), "warning")
    return out


def _findings(report: Report, limit: int | None) -> list[str]:
    """The findings: a table, then each finding in full."""
    out: list[str] = []
    out += [f"### Findings ({len(report.findings)})", ""]
    findings = _shown(report.findings, limit)
    if findings:
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
                for i, f in enumerate(findings, 1)
            ),
            align="r",
        )
        out.append("")
        for number, finding in enumerate(findings, 1):
            out += _finding(number, finding)
    elif not report.findings:
        out += ["No Kaspersky technology found.", ""]
    out += _cut_note(len(findings), len(report.findings), "finding")
    return out


def _unresolved(report: Report, limit: int | None) -> list[str]:
    """References that name nothing the inputs hold."""
    if not report.unresolved_references:
        return []
    out: list[str] = []
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
            for u in _shown(report.unresolved_references, limit)
        ),
    )
    out.append("")
    out += _cut_note(
        len(_shown(report.unresolved_references, limit)),
        len(report.unresolved_references),
        "unresolved reference",
    )
    return out


def _skipped(report: Report, limit: int | None) -> list[str]:
    """Inputs that were not read."""
    if not report.skipped_inputs:
        return []
    out: list[str] = []
    # NOTE: those that may hold an SBOM first: when the list is cut, they stay.
    skipped = sorted(report.skipped_inputs, key=lambda item: not item.may_hold_sbom)
    out += [f"### Skipped inputs ({len(skipped)})", ""]
    out += _table(
        ("Input", "Why skipped", "May hold an SBOM"),
        (
            (
                code(item.path, table=True),
                text(item.reason),
                "**yes**: not read" if item.may_hold_sbom else "no",
            )
            for item in _shown(skipped, limit)
        ),
    )
    out.append("")
    out += _cut_note(len(_shown(skipped, limit)), len(skipped), "skipped input")
    return out


def _completeness(report: Report, _limit: int | None) -> list[str]:
    """Whether the SBOMs can show absence."""
    if report.completeness is None:
        return []
    out: list[str] = []
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
    return out


def _waivers(report: Report, limit: int | None) -> list[str]:
    """The waivers given, and how each was used."""
    if not report.waivers:
        return []
    out: list[str] = []
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
                "expired" if u.expired else (f"used ({len(u.matched)})" if u.matched else "unused"),
                text(u.waiver.approver),
                text(u.waiver.ticket) or "-",
                text(u.waiver.reason),
            )
            for u in _shown(report.waivers, limit)
        ),
        align="r",
    )
    out.append("")
    out += _cut_note(len(_shown(report.waivers, limit)), len(report.waivers), "waiver")
    return out


def _footer(report: Report, _limit: int | None) -> list[str]:
    """The tool version and the data it ran with."""
    data = [
        f"{text(d.name)} {text(d.version)} ({plural(d.rows, 'row')})"
        for d in (report.catalogue, report.rules)
        if d is not None
    ]
    footer = f"sbomcheck {text(report.tool_version)}"
    if data:
        footer += "; data: " + ", ".join(data)
    return [f"_{footer}_"]


_SECTIONS = (
    _verdict,
    _counts,
    _documents,
    _findings,
    _unresolved,
    _skipped,
    _completeness,
    _waivers,
    _footer,
)
"""The parts of the report, in order; each takes the report and the per-list limit."""


class MarkdownFormatter(Formatter):
    """`--format markdown`: verdict, summary table, findings, rules, completeness, waivers."""

    def render(self, report: Report, options: RenderOptions = DEFAULT_RENDER_OPTIONS) -> str:
        """The report as GitHub-flavoured Markdown.

        With `options.max_bytes` (for `$GITHUB_STEP_SUMMARY`, which GitHub drops whole past
        1 MiB), the UTF-8 text stays within that many bytes: the lists of documents,
        findings, unresolved references, skipped inputs and waivers are cut to their first
        few entries, each cut saying how many it left out; the verdict, the counts and the
        completeness always stay. `max_bytes` must be at least `MIN_MAX_BYTES`.
        """
        budget = options.max_bytes
        if budget is not None and budget < MIN_MAX_BYTES:
            raise ValueError(f"max_bytes must be at least {MIN_MAX_BYTES}: {budget}")
        full = self._render(report, None)
        if budget is None or len(full.encode("utf-8")) <= budget:
            return full
        for limit in _LIMITS:
            out = self._render(report, limit)
            if len(out.encode("utf-8")) <= budget:
                return out
        return _minimal(report)

    def _render(self, report: Report, limit: int | None) -> str:
        """The report with at most `limit` entries per list (all when None)."""
        out: list[str] = []
        for section in _SECTIONS:
            out += section(report, limit)
        return "\n".join(out) + "\n"
