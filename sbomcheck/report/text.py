"""`--format text`: the report for a terminal, readable in 80 columns.

The verdict, a table of findings, then per finding its evidence, its paths drawn as a tree,
and the rules with their status and dates; then unresolved references, completeness and
waivers. ANSI colour only when `RenderOptions.color`; every string from the SBOM passes
through `visible()` first, so it cannot carry terminal escapes.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from sbomcheck.findings import Finding, Report, RuleOutcome, Severity, Verdict
from sbomcheck.report._common import (
    applicable,
    confidence_counts,
    display_name,
    effective_date,
    evidence_line,
    not_applicable_groups,
    path_count,
    percent,
    plural,
    tree_rows,
    visible,
    waiver_text,
)
from sbomcheck.report.interface import DEFAULT_RENDER_OPTIONS, Formatter, RenderOptions

__all__ = ["TextFormatter", "summary_line"]

_MIN_WIDTH = 40
_MAX_TREE_DEPTH = 8
"""Levels a path tree indents before it marks depth as `[level N]` instead."""
_TREE_LABEL_ROOM = 24
"""Columns a tree label keeps at the deepest indent, so the cap shrinks on narrow widths."""
_ELLIPSIS = "…"

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_VERDICT_COLOR = {
    Verdict.FAIL: "\x1b[1;31m",
    Verdict.WARN: "\x1b[1;33m",
    Verdict.PASS: "\x1b[1;32m",
    Verdict.INDETERMINATE: "\x1b[1;35m",
}
_SEVERITY_COLOR = {
    Severity.ERROR: "\x1b[31m",
    Severity.WARNING: "\x1b[33m",
    Severity.NOTE: "\x1b[36m",
    Severity.NONE: "\x1b[2m",
}


def summary_line(report: Report) -> str:
    """One line for stderr: `FAIL: 1 finding (1 confirmed) in 1 document; as of 2026-01-15,
    profile vendor`."""
    findings = report.findings
    if findings:
        parts = [f"{n} {name}" for name, n in confidence_counts(findings)]
        waived = sum(1 for f in findings if f.waived)
        detail = ", ".join(parts)
        if waived:
            detail += f"; {waived} waived"
        found = f"{plural(len(findings), 'finding')} ({detail})"
    else:
        found = "no findings"
    unresolved = (
        f", {plural(len(report.unresolved_references), 'unresolved reference')}"
        if report.unresolved_references
        else ""
    )
    return (
        f"{report.verdict.value.upper()}: {found} in "
        f"{plural(len(report.documents), 'document')}{unresolved}; "
        f"as of {report.as_of}, profile {report.profile}"
    )


def _truncate(text: str, width: int) -> str:
    """`text` cut to `width` characters, ending in an ellipsis when cut."""
    if len(text) <= width:
        return text
    if width <= 1:
        return _ELLIPSIS[:width]
    return text[: width - 1] + _ELLIPSIS


class _Writer:
    """Collects lines, wrapping prose and truncating layout to the width."""

    def __init__(self, options: RenderOptions) -> None:
        self.width = max(options.width, _MIN_WIDTH)
        self.color = options.color
        self.lines: list[str] = []

    def paint(self, text: str, code: str) -> str:
        """`text` in colour `code` when colour is on (applied after layout)."""
        return f"{code}{text}{_RESET}" if self.color and text else text

    def blank(self) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def heading(self, title: str) -> None:
        self.blank()
        self.lines.append(self.paint(title, _BOLD))

    def wrap(self, text: str, indent: int, hang: int = 2) -> None:
        """Prose, wrapped to the width with a hanging indent for continuation lines."""
        self.lines.extend(
            textwrap.wrap(
                text,
                width=self.width,
                initial_indent=" " * indent,
                subsequent_indent=" " * (indent + hang),
                break_on_hyphens=False,
                # NOTE: a URL or ref longer than a line stays whole (copyable) and overflows.
                break_long_words=False,
            )
            or [""]
        )

    def raw(self, line: str) -> None:
        self.lines.append(line)


def _table(out: _Writer, findings: Sequence[Finding]) -> None:
    """The findings table; component and canonical shrink (with an ellipsis) to fit."""
    header = ("#", "Component", "Version", "Confidence", "Severity", "Canonical")
    rows = [
        (
            str(i),
            visible(f.component.name) or visible(f.component.ref),
            visible(f.component.version) or "-",
            f.confidence.value,
            f.severity.value + (" (waived)" if f.waived else ""),
            visible(f.canonical),
        )
        for i, f in enumerate(findings, 1)
    ]
    natural = [max(len(r[c]) for r in (header, *rows)) for c in range(len(header))]
    widths = list(natural)
    widths[2] = min(natural[2], 12)
    indent, gap = 2, 2
    fixed = indent + gap * (len(header) - 1) + widths[0] + widths[2] + widths[3] + widths[4]
    room = max(out.width - fixed, 2 * len(_ELLIPSIS) + 8)
    if natural[1] + natural[5] > room:
        # NOTE: the component name gets at most 45% of the room, the canonical name the
        # rest; whichever needs less gives its slack to the other.
        comp = min(natural[1], max(len(header[1]), room * 45 // 100))
        canon = min(natural[5], room - comp)
        comp = min(natural[1], room - canon)
        widths[1], widths[5] = comp, canon

    def line(cells: Sequence[str], severity: Severity | None) -> str:
        parts = []
        for c, cell in enumerate(cells):
            text = _truncate(cell, widths[c])
            # NOTE: the last column is not padded, so lines carry no trailing blanks.
            if c < len(cells) - 1:
                text = text.ljust(widths[c])
            if c == 4 and severity is not None:
                text = out.paint(text, _SEVERITY_COLOR[severity])
            parts.append(text)
        return (" " * indent + (" " * gap).join(parts)).rstrip()

    out.raw(line(header, None))
    for finding, row in zip(findings, rows, strict=True):
        out.raw(line(row, finding.severity))


def _tree(out: _Writer, paths: Sequence[Sequence[str]], indent: int) -> None:
    """Paths drawn as a tree; labels truncated (with an ellipsis) to fit the width.

    Indentation stops growing after a few levels (deeper rows say `[level N]`), so a
    dependency chain thousands deep still gives lines that fit the width."""
    depth = max(1, min(_MAX_TREE_DEPTH, (out.width - indent - _TREE_LABEL_ROOM) // 4))
    for drawing, label in tree_rows(paths, max_depth=depth):
        room = out.width - indent - len(drawing)
        out.raw(" " * indent + drawing + _truncate(label, max(room, 8)))


def _rule(out: _Writer, outcome: RuleOutcome) -> None:
    head = f"{visible(outcome.id)} {visible(outcome.milestone)}"
    tail = f"{outcome.status.value} {effective_date(outcome)}"
    start = len(out.lines)
    out.wrap(f"{head}  {outcome.severity.value}  {tail}", 4, hang=4)
    if out.color:
        # NOTE: colour goes in after wrapping, so escape codes never count as width.
        sev = f"  {outcome.severity.value}  "
        out.lines[start] = out.lines[start].replace(
            sev, "  " + out.paint(sev.strip(), _SEVERITY_COLOR[outcome.severity]) + "  ", 1
        )
    if outcome.title:
        out.wrap(visible(outcome.title), 6)
    if outcome.reason:
        out.wrap(visible(outcome.reason), 6)
    if outcome.waiver is not None or outcome.waived:
        w = outcome.waiver
        if w is None:
            out.wrap("waived", 6)
        else:
            ticket = f", ticket {visible(w.ticket)}" if w.ticket else ""
            out.wrap(
                f"waived by waiver {w.index}: {visible(w.reason)} (approved by "
                f"{visible(w.approver)}{ticket}, expires {visible(w.expires)})",
                6,
            )
    if outcome.waiver_expired:
        out.wrap("a waiver matched but has expired", 6)
    if outcome.source:
        out.wrap(f"source {visible(outcome.source)}", 6)


def _finding(out: _Writer, number: int, finding: Finding) -> None:
    comp = finding.component
    out.blank()
    out.wrap(f"[{number}] {display_name(finding)}: {visible(finding.canonical)}", 0, hang=4)
    out.wrap(
        f"{finding.confidence.value}, {visible(finding.integration)}, "
        f"{visible(finding.product_class)}; severity {finding.severity.value}"
        + ("; waived" if finding.waived else ""),
        4,
    )
    where = " ".join(p for p in (visible(comp.document), visible(comp.location)) if p)
    if comp.line is not None:
        where += f" (line {comp.line})"
    out.wrap(f"in {where}", 4)
    ident = [f"ref {visible(comp.ref)}"]
    if comp.purl:
        ident.append(f"purl {visible(comp.purl)}")
    if comp.supplier:
        ident.append(f"supplier {visible(comp.supplier)}")
    out.wrap("; ".join(ident), 4)
    if finding.evidence:
        out.raw("  Evidence")
        for i in range(len(finding.evidence)):
            out.wrap(evidence_line(finding, i), 4, hang=4)
    if finding.paths:
        out.raw(f"  Paths ({path_count(len(finding.paths), finding.paths_total)})")
        _tree(out, finding.paths, 4)
    else:
        out.raw("  Paths: none (a root, or not reachable from one)")
    if finding.introduced_via:
        out.wrap(
            "Introduced via: " + ", ".join(visible(r) for r in finding.introduced_via), 2, hang=4
        )
    judged = applicable(finding)
    if judged:
        out.raw("  Rules")
        for outcome in judged:
            _rule(out, outcome)
    elif not finding.rules:
        out.raw("  Rules: none judged this finding")
    # NOTE: rules that do not reach this finding are named, one line per kind of reason
    # (their full reasons are in the JSON report); listing each in full buries the ones
    # that matter, and lumping "out of scope" with "not this profile" misleads.
    for heading, names in not_applicable_groups(finding):
        out.wrap(f"{heading}: {names}", 2, hang=4)
    if finding.notes:
        out.raw("  Notes")
        for note in finding.notes:
            out.wrap(visible(note), 4)


class TextFormatter(Formatter):
    """`--format text`: verdict, findings table, per-finding detail, completeness, waivers."""

    def render(self, report: Report, options: RenderOptions = DEFAULT_RENDER_OPTIONS) -> str:
        """The report as plain text (ANSI colour when `options.color`)."""
        out = _Writer(options)
        verdict = report.verdict.value.upper()
        out.raw(
            f"sbomcheck {visible(report.tool_version)}: "
            + out.paint(verdict, _VERDICT_COLOR[report.verdict])
        )
        out.wrap(f"as of {report.as_of}, profile {visible(report.profile)}", 0)
        for reason in report.verdict_reasons:
            out.wrap(f"- {visible(reason)}", 2)

        out.heading("Documents")
        for doc in report.documents:
            out.wrap(
                f"{visible(doc.path)} ({visible(doc.format)} {visible(doc.spec_version)}): "
                f"{plural(doc.components, 'component')}, "
                + (f"{plural(doc.files, 'file')}, " if doc.files else "")
                + plural(doc.relationships, "relationship"),
                2,
                hang=4,
            )
            about = [
                f"{label} {visible(value)}"
                for label, value in (("product", doc.product), ("supplier", doc.supplier))
                if value
            ]
            if about:
                out.wrap("; ".join(about), 4)
            for warning in doc.warnings:
                out.wrap(f"warning: {visible(warning)}", 4)

        out.heading(f"Findings ({len(report.findings)})")
        if report.findings:
            _table(out, report.findings)
            for number, finding in enumerate(report.findings, 1):
                _finding(out, number, finding)
        else:
            out.raw("  No Kaspersky technology found.")

        if report.unresolved_references:
            out.heading(f"Unresolved references ({len(report.unresolved_references)})")
            for ref in report.unresolved_references:
                where = " ".join(p for p in (visible(ref.document), visible(ref.location)) if p)
                out.wrap(f"{where}: {visible(ref.reference)}", 2, hang=4)
                out.wrap(visible(ref.reason), 4)

        if report.skipped_inputs:
            out.heading(f"Skipped inputs ({len(report.skipped_inputs)})")
            for item in report.skipped_inputs:
                flag = "; may hold an SBOM, not read" if item.may_hold_sbom else ""
                out.wrap(f"{visible(item.path)}: {visible(item.reason)}{flag}", 2, hang=4)

        if report.completeness is not None:
            c = report.completeness
            out.heading("Completeness")
            out.wrap(
                f"{plural(c.components, 'component')}: supplier {percent(c.with_supplier)}, "
                f"purl or CPE {percent(c.with_purl_or_cpe)}, hashes {percent(c.with_hashes)}; "
                f"relationships {'yes' if c.has_relationships else 'no'}; compositions "
                f"{', '.join(visible(x) for x in c.compositions) or 'none'}; "
                f"{plural(c.unresolved_references, 'unresolved reference')}",
                2,
            )
            out.wrap(
                "sufficient to show absence"
                if c.sufficient
                else "NOT sufficient to show absence: " + "; ".join(visible(r) for r in c.reasons),
                2,
            )

        if report.waivers:
            out.heading(f"Waivers ({len(report.waivers)})")
            for text in waiver_text(report):
                out.wrap(text, 2, hang=4)

        data = [
            f"{visible(d.name)} {visible(d.version)} ({plural(d.rows, 'row')})"
            for d in (report.catalogue, report.rules)
            if d is not None
        ]
        if data:
            out.blank()
            out.wrap("Data: " + ", ".join(data), 0)
        return "\n".join(line.rstrip() for line in out.lines) + "\n"
