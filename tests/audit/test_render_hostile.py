"""`audit` output over the report stage's hostile fixture: golden, and nothing raw passes.

The same `HOSTILE_REPORT` as `tests/report/`'s hostile goldens (markup, newlines, ESC/CSI/OSC,
BEL, C1 controls, bidi overrides and isolates), as one product of a batch, plus an unreadable
input whose path and message are hostile too.
"""

from __future__ import annotations

import html.parser
import json

import pytest

from sbomcheck.audit.exports import AUDIT_CSV_COLUMNS
from sbomcheck.audit.render import render
from sbomcheck.audit.runner import AuditResult, ProductAudit
from sbomcheck.ingest.sources import InputFailure
from tests.report.fixtures import HOSTILE_REPORT, HOSTILE_TEXT
from tests.report.golden import assert_golden
from tests.report.test_csv import parse_csv
from tests.report.test_junit import assert_xunit_valid
from tests.report.test_sarif import assert_valid_sarif
from tests.safe_output import RAW_UNSAFE, command_formats, csv_records

RESULT = AuditResult(
    products=(ProductAudit(key="k" * 64, report=HOSTILE_REPORT),),
    failures=(InputFailure(path=f"vendor/{HOSTILE_TEXT}.json", message=HOSTILE_TEXT),),
)
_SUFFIX = {
    "text": "txt",
    "json": "json",
    "markdown": "md",
    "html": "html",
    "sarif": "sarif",
    "junit": "xml",
    "csv": "csv",
}


def assert_valid(fmt: str, out: str) -> None:
    """Valid in its format, where it has a schema (SARIF: the official one; JUnit: the
    Jenkins xunit XSD) or strict rules (CSV: RFC 4180 records, checked cells)."""
    if fmt == "sarif":
        assert_valid_sarif(json.loads(out))
    elif fmt == "junit":
        assert_xunit_valid(out)
    elif fmt == "csv":
        parse_csv(out, AUDIT_CSV_COLUMNS)


@pytest.mark.parametrize("fmt", command_formats("audit"))
def test_golden_and_no_raw_control_or_bidi(fmt: str) -> None:
    out = render(RESULT, fmt, as_of="2026-01-15", profile="vendor")
    assert_valid(fmt, out)
    assert RAW_UNSAFE.findall(csv_records(out) if fmt == "csv" else out) == []
    assert_golden(out, f"audit-hostile.{_SUFFIX[fmt]}")


def test_json_keeps_the_exact_values() -> None:
    data = json.loads(render(RESULT, "json", as_of="2026-01-15", profile="vendor"))
    assert data["sboms"][0]["product"] == HOSTILE_TEXT
    assert data["unreadable"][0]["message"] == HOSTILE_TEXT


def test_html_has_no_markup_from_the_sbom() -> None:
    class Tags(html.parser.HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: set[str] = set()

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.add(tag)

    parser = Tags()
    parser.feed(render(RESULT, "html", as_of="2026-01-15", profile="vendor"))
    assert "script" not in parser.tags


def test_markdown_table_row_is_not_split() -> None:
    out = render(RESULT, "markdown", as_of="2026-01-15", profile="vendor")
    row = next(line for line in out.splitlines() if line.startswith("| **FAIL**"))
    # Five cells: every `|` from the SBOM is escaped (an odd run of backslashes before it).
    unescaped = [
        i
        for i, c in enumerate(row)
        if c == "|" and (len(row[:i]) - len(row[:i].rstrip("\\"))) % 2 == 0
    ]
    assert len(unescaped) == 6
