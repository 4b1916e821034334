"""`--format csv`: one row per (finding, rule) for auditors and spreadsheets.

Columns (`COLUMNS`), in this order:

- `sbom`: the SBOM file that declares the component (`-` for standard input);
- `component`, `version`, `purl`: the flagged component as the SBOM names it;
- `confidence`: `confirmed`, `likely` or `possible`;
- `rule`: the rule id; `kaspersky-technology` when no policy rule applies to the finding;
- `status`: `in-force` or `upcoming` (empty under `kaspersky-technology`);
- `severity`: `error`, `warning`, `note` or `none`;
- `path`: the first (shortest) path from the product's root down to the component, its
  refs joined by ` -> `, as text (the JSON report lists every path);
- `milestone`: the rule's milestone the row shows;
- `waived`: `yes` when a waiver covers it, else `no`;
- `finding_id`: the finding's stable id (the JSON report's and SARIF's);
- `verdict`: the report's verdict (`audit`: the product's);
- `note`: the finding's notes, `; `-separated.

A finding gets one row per rule that applies to it (in force or upcoming for the profile on
the as-of date), the rule's milestones folded into the row of the one that weighs most: the
`status`, `severity`, `milestone` and `waived` of that milestone (as SARIF has one result
per finding and rule; rules that do not apply to the profile are left out, as there). A
finding no rule applies to still gets one row, under `kaspersky-technology`, its own
severity, and a note saying so. A report without findings has the header only.

The text is RFC 4180 CSV (`csv` module, `\\r\\n` line ends, quoted where needed), UTF-8
without a byte-order mark. Every cell is untrusted text made safe twice: control, bidi and
invisible characters are shown as backslash escapes (`sbomcheck.safe_text.visible`, so a cell
never spans lines and cannot reorder text), and a cell that starts with `=`, `+`, `-`, `@`,
tab or carriage return gets a leading apostrophe, so a spreadsheet shows it as text rather
than running it as a formula (OWASP, "CSV Injection").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from sbomcheck.findings import Finding, Report, RuleOutcome
from sbomcheck.report._common import TECHNOLOGY_RULE, applicable, path_line, worst
from sbomcheck.report.interface import DEFAULT_RENDER_OPTIONS, Formatter, RenderOptions
from sbomcheck.safe_text import visible

__all__ = ["COLUMNS", "FORMULA_STARTS", "CsvFormatter", "cell", "csv_text", "finding_rows"]

COLUMNS = (
    "sbom",
    "component",
    "version",
    "purl",
    "confidence",
    "rule",
    "status",
    "severity",
    "path",
    "milestone",
    "waived",
    "finding_id",
    "verdict",
    "note",
)
"""The header of `scan --format csv` (and the first columns of `audit --format csv`)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters a spreadsheet may read as the start of a formula (OWASP)."""

NO_RULE_NOTE = "no policy rule judged it"
NOT_APPLICABLE_NOTE = "no policy rule applies to it for this profile"


def cell(value: object) -> str:
    """One CSV cell: `value` as visible text, with a leading `'` where a spreadsheet would
    take it for a formula; None is empty."""
    text = visible("" if value is None else str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """RFC 4180 text: the header, then one line per row, every cell made safe (`cell`)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def _by_rule(finding: Finding) -> dict[str, list[RuleOutcome]]:
    groups: dict[str, list[RuleOutcome]] = {}
    for outcome in applicable(finding):
        groups.setdefault(outcome.id, []).append(outcome)
    return groups


def finding_rows(report: Report, *, verdict: str | None = None) -> Iterator[tuple[str, ...]]:
    """The rows of `report`'s findings, in `COLUMNS` order (raw values: `csv_text` makes
    them safe); `verdict` replaces the report's own in the `verdict` column."""
    shown = report.verdict.value if verdict is None else verdict
    for finding in report.findings:
        comp = finding.component
        head = (
            comp.document,
            comp.name,
            comp.version or "",
            comp.purl or "",
            finding.confidence.value,
        )
        path = path_line(finding.paths[0]) if finding.paths else ""
        notes = "; ".join(finding.notes)
        groups = _by_rule(finding)
        if not groups:
            why = NOT_APPLICABLE_NOTE if finding.rules else NO_RULE_NOTE
            note = "; ".join(n for n in (why, notes) if n)
            yield (
                *head,
                TECHNOLOGY_RULE,
                "",
                finding.severity.value,
                path,
                "",
                "no",
                finding.id,
                shown,
                note,
            )
            continue
        for rule_id in sorted(groups):
            chosen = worst(groups[rule_id])
            assert chosen is not None  # NOTE: every group holds at least one outcome
            yield (
                *head,
                rule_id,
                chosen.status.value,
                chosen.severity.value,
                path,
                chosen.milestone,
                "yes" if chosen.waived else "no",
                finding.id,
                shown,
                notes,
            )


class CsvFormatter(Formatter):
    """`--format csv`: one row per (finding, rule), for spreadsheets and audit trails."""

    def render(self, report: Report, options: RenderOptions = DEFAULT_RENDER_OPTIONS) -> str:
        """The findings as CSV (header first; byte-stable)."""
        return csv_text(COLUMNS, finding_rows(report))
