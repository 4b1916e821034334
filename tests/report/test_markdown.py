"""The Markdown formatter: golden files, structure, and nothing from the SBOM as markup."""

from __future__ import annotations

import dataclasses
import re

import pytest

from sbomcheck.findings import Report
from sbomcheck.report import OutputFormat, RenderOptions, get_formatter
from sbomcheck.report._common import visible
from sbomcheck.report.interface import MIN_MAX_BYTES
from sbomcheck.report.markdown import MarkdownFormatter, code, text
from tests.report.fixtures import (
    ALL_REPORTS,
    ENGINE_FINDING,
    FAIL_REPORT,
    HOSTILE_REPORT,
    HOSTILE_TEXT,
    INDETERMINATE_REPORT,
    WARN_REPORT,
)
from tests.report.golden import assert_golden

ASCII_PUNCT = re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def render(report: Report) -> str:
    return MarkdownFormatter().render(report)


# --- a small model of how CommonMark/GFM reads inline text, enough to check escaping ---


def split_row(line: str) -> list[str]:
    """Cells of a GFM table row, as the GFM table extension splits them: a backslash pairs
    with the next character, any other pipe separates; then `\\|` becomes `|`."""
    body = line.strip()
    assert body.startswith("|") and body.endswith("|"), line
    cells, cell, i = [], "", 1
    while i < len(body) - 1:
        ch = body[i]
        if ch == "\\" and i + 1 < len(body) - 1:
            cell += body[i : i + 2]
            i += 2
            continue
        if ch == "|":
            cells.append(cell)
            cell = ""
        else:
            cell += ch
        i += 1
    cells.append(cell)
    return [c.strip().replace("\\|", "|") for c in cells]


def inline(source: str) -> tuple[list[str], str]:
    """(code span contents, the rest with backslash escapes resolved to `\\0` + char).

    Escaped characters are marked so a check can tell a literal `<` from markup."""
    spans: list[str] = []
    rest, i = "", 0
    while i < len(source):
        ch = source[i]
        if ch == "\\" and i + 1 < len(source) and re.match(f"[{ASCII_PUNCT}]", source[i + 1]):
            rest += "\0" + source[i + 1]
            i += 2
            continue
        if ch == "`":
            run = re.match(r"`+", source[i:])
            assert run is not None
            n = len(run.group())
            closer = re.compile(f"(?<!`)`{{{n}}}(?!`)")
            end = closer.search(source, i + n)
            if end is None:
                rest += run.group()
                i += n
                continue
            content = source[i + n : end.start()]
            if content.startswith(" ") and content.endswith(" ") and content.strip():
                content = content[1:-1]
            spans.append(content)
            i = end.end()
            continue
        rest += ch
        i += 1
    return spans, rest


def blocks(md: str) -> tuple[list[str], list[str], list[list[str]]]:
    """(inline text lines, fenced block lines, table rows as cells)."""
    lines, fenced, rows = [], [], []
    fence: str | None = None
    for line in md.splitlines():
        if fence is not None:
            if line == fence:
                fence = None
            else:
                fenced.append(line)
            continue
        opening = re.match(r"(`{3,})\w*$", line)
        if opening:
            fence = opening.group(1)
            continue
        if line.startswith("|"):
            rows.append(split_row(line))
        else:
            lines.append(line)
    assert fence is None, "unclosed fenced block"
    return lines, fenced, rows


def assert_inert(md: str) -> list[str]:
    """Assert no markup comes from outside our own constructs; return all code spans."""
    lines, _fenced, rows = blocks(md)
    spans: list[str] = []
    for source in [*lines, *(c for r in rows for c in r)]:
        found, rest = inline(source)
        spans += found
        # Links only as our own `[label](https://...)`; no raw HTML or autolink brackets.
        for target in re.findall(r"\]\(([^)]*)\)", rest):
            assert re.match(r"https?://", target), target
        assert "<" not in rest.replace("\0<", ""), source
        assert not re.search(r"(?<!\0)\*bold(?<!\0)\*", rest), source
    return spans


# --- tests ---


@pytest.mark.parametrize("name", sorted(ALL_REPORTS))
def test_golden(name: str) -> None:
    out = render(ALL_REPORTS[name])
    assert_inert(out)
    assert_golden(out, f"{name}.md")


def test_registered_under_markdown() -> None:
    assert isinstance(get_formatter(OutputFormat.MARKDOWN), MarkdownFormatter)


@pytest.mark.parametrize("name", sorted(ALL_REPORTS))
def test_tables_are_rectangular(name: str) -> None:
    md = render(ALL_REPORTS[name])
    table: list[list[str]] = []
    for line in [*md.splitlines(), ""]:
        if line.startswith("|"):
            table.append(split_row(line))
            continue
        if table:
            assert {len(r) for r in table} == {len(table[0])}, table
            assert all(re.fullmatch(r"-{3}:?", c) for c in table[1])
        table = []


def test_verdict_summary_findings_rules() -> None:
    md = render(FAIL_REPORT)
    assert md.startswith("## sbomcheck: FAIL\n\n> [!CAUTION]\n> **Verdict: FAIL**")
    lines, fenced, rows = blocks(md)
    assert ["1", "4", "1", "1", "0", "0", "0", "0"] in rows
    assert [
        "1",
        "`kav-sdk`",
        "`8.0`",
        "confirmed",
        "error",
        "Kaspersky Anti-Virus SDK \\(KAV SDK\\)",
        "US-ICTS-2021-002, US-EL-2024",
    ] in rows
    assert fenced == [
        "acme-gateway",
        "├── av-module",
        "│   └── kav-sdk",
        "└── mail-filter",
        "    └── av-module",
        "        └── kav-sdk",
    ]
    rule_rows = [r for r in rows if r[0].startswith("[US-")]
    assert [r[0].split("]")[0] for r in rule_rows] == ["[US-ICTS-2021-002", "[US-EL-2024"]
    assert rule_rows[0][1:6] == [
        "integration-updates-resale",
        "in-force",
        "error",
        "2024-09-29",
        "no",
    ]
    assert "(https://regulations.justia.com/regulations/fedreg/2024/06/24/2024-13532.html)" in md
    evidence = [r for r in rows if r[0] == "`supplier.name`"]
    assert evidence[0][1:5] == ["`AO Kaspersky Lab`", "`AO Kaspersky Lab`", "entity", "confirmed"]


def test_waivers_and_unresolved_and_completeness() -> None:
    warn = render(WARN_REPORT)
    assert "> [!WARNING]" in warn
    assert "waiver 0, until 2026-03-01" in warn
    assert "### Waivers (1)" in warn
    indeterminate = render(INDETERMINATE_REPORT)
    assert "> [!IMPORTANT]" in indeterminate
    assert "### Unresolved references (1)" in indeterminate
    assert (
        "The SBOM is not complete enough to show that Kaspersky technology is absent: 90% of "
        "components lack a supplier" in indeterminate
    )
    assert "sufficient to show absence" not in indeterminate


def test_hostile_names_render_as_text() -> None:
    md = render(HOSTILE_REPORT)
    spans = assert_inert(md)
    shown = visible(HOSTILE_TEXT)
    # Every place the name appears, it is a whole code span holding exactly the text.
    assert spans.count(shown) >= 6
    _lines, fenced, _rows = blocks(md)
    assert fenced == [shown, f"└── {shown}"]
    assert "<script>" not in re.sub(r"`+[^`]*`+", "", md.replace(f"``{shown}``", ""))


@pytest.mark.parametrize(
    "value",
    [
        "a|b",
        "a\\|b",
        "a\\\\|b",
        "`tick` and ``double``",
        "`",
        "ends with \\",
        " spaced ",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1)) ![i](http://x/i.png) <http://x> www.example.com a@b.co",
        "line\nbreak\r\x1b[31m\u202e",
    ],
)
def test_code_and_text_round_trip_through_a_table_cell(value: str) -> None:
    row = f"| {code(value, table=True)} | {text(value)} |"
    cells = split_row(row)
    assert len(cells) == 2
    spans, rest = inline(cells[0])
    assert len(spans) == 1 and not rest.strip()
    expected = visible(value)
    # An odd run of backslashes before a pipe shows one extra backslash (see markdown.py).
    shown = re.sub(r"(\\*)\|", lambda m: m.group(1) + "\\" * (len(m.group(1)) % 2) + "|", expected)
    assert spans[0] == shown
    spans, rest = inline(cells[1])
    assert spans == []
    # GFM trims cells; every markup character left in the prose is escaped.
    assert rest.replace("\0", "") == expected.strip()
    assert not re.search(r"(?<!\0)[<>\[\]`*_&]", rest)


def test_non_http_sources_are_not_links() -> None:
    evidence = dataclasses.replace(ENGINE_FINDING.evidence[0], source="javascript:alert(1)")
    finding = dataclasses.replace(ENGINE_FINDING, evidence=(evidence,))
    md = render(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    assert "](javascript" not in md
    assert "`javascript:alert(1)`" in md
    assert_inert(md)


def test_rules_that_do_not_bind_the_profile_are_named_on_one_line() -> None:
    from sbomcheck.findings import RuleStatus, Severity
    from tests.report.fixtures import BSI_ADVISORY

    other = dataclasses.replace(
        BSI_ADVISORY,
        id="US-BOD-17-01",
        milestone="issued",
        status=RuleStatus.NOT_APPLICABLE,
        severity=Severity.NONE,
        reason="not this profile: binds federal agencies",
    )
    finding = dataclasses.replace(ENGINE_FINDING, rules=(*ENGINE_FINDING.rules, other))
    md = render(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    assert "Not for this profile: US-BOD-17-01 issued\n" in md
    _lines, _fenced, rows = blocks(md)
    assert not any(r[0].startswith("[US-BOD-17-01]") for r in rows)


def _findings_row(md: str) -> list[str]:
    _lines, _fenced, rows = blocks(md)
    header = next(r for r in rows if r[:2] == ["#", "Component"])
    return rows[rows.index(header) + 2]


def test_findings_table_lists_only_rules_that_bind() -> None:
    from sbomcheck.findings import RuleStatus, Severity
    from tests.report.fixtures import BSI_ADVISORY, ICTS_INTEGRATION

    na = dataclasses.replace(
        BSI_ADVISORY,
        id="US-BOD-17-01",
        status=RuleStatus.NOT_APPLICABLE,
        severity=Severity.NONE,
        reason="not this profile: binds federal agencies",
    )
    scope = dataclasses.replace(na, id="US-EL-2024", reason="out of scope: names none")
    upcoming = dataclasses.replace(
        BSI_ADVISORY, id="EU-FUTURE", status=RuleStatus.UPCOMING, severity=Severity.WARNING
    )
    note = dataclasses.replace(BSI_ADVISORY, severity=Severity.NOTE)
    rules = (na, note, upcoming, scope, ICTS_INTEGRATION)
    finding = dataclasses.replace(ENGINE_FINDING, rules=rules)
    row = _findings_row(render(dataclasses.replace(FAIL_REPORT, findings=(finding,))))
    assert row[-1] == "US-ICTS-2021-002, EU-FUTURE, DE-BSI-2022"

    finding = dataclasses.replace(ENGINE_FINDING, rules=(na, scope))
    row = _findings_row(render(dataclasses.replace(FAIL_REPORT, findings=(finding,))))
    assert row[-1] == "none for this profile"


def test_deep_chain_and_saturated_count() -> None:
    from sbomcheck.findings import PATH_COUNT_CAP

    path = tuple(f"c{n}" for n in range(2000))
    finding = dataclasses.replace(ENGINE_FINDING, paths=(path,), paths_total=PATH_COUNT_CAP)
    md = render(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    assert "**Paths** (1 of at least 1,000,000,000)" in md
    _lines, fenced, _rows = blocks(md)
    assert max(len(line) for line in fenced) < 60
    assert "                            └── [level 1999] c1999" in fenced


# --- max_bytes: a job summary GitHub does not drop ------------------------------------

STEP_SUMMARY_LIMIT = 1024 * 1024
"""GitHub drops a step summary over 1 MiB whole (actions/runner FileCommandManager.cs)."""


def _many_findings(count: int) -> Report:
    findings = tuple(
        dataclasses.replace(
            ENGINE_FINDING,
            id=f"{i:064x}",
            component=dataclasses.replace(
                ENGINE_FINDING.component, name=f"kav-sdk-{i}", ref=f"pkg:generic/kav-sdk-{i}@8.0"
            ),
        )
        for i in range(count)
    )
    return dataclasses.replace(FAIL_REPORT, findings=findings)


def test_max_bytes_keeps_a_thousand_findings_under_the_summary_limit() -> None:
    report = _many_findings(1000)
    assert len(render(report).encode()) > STEP_SUMMARY_LIMIT  # what the Action used to write
    out = MarkdownFormatter().render(report, RenderOptions(max_bytes=900_000))
    assert len(out.encode()) <= 900_000
    assert out.startswith("## sbomcheck: FAIL\n")
    assert "| 1 | 4 | 1000 | 1000 | 0 | 0 | 0 | 0 |" in out  # the counts stay whole
    listed = re.findall(r"^#### (\d+)\. ", out, re.M)
    assert listed and listed == [str(i) for i in range(1, len(listed) + 1)]
    assert (
        f"_The first {len(listed):,} of 1,000 findings are listed here, to keep it short: "
        "the full report has them all (`sbomcheck scan --format json`, `html` or `sarif`)._"
    ) in out
    assert "### Completeness" in out


@pytest.mark.parametrize("name", sorted(ALL_REPORTS))
def test_max_bytes_changes_nothing_that_fits(name: str) -> None:
    full = render(ALL_REPORTS[name])
    size = max(len(full.encode()), MIN_MAX_BYTES)
    assert MarkdownFormatter().render(ALL_REPORTS[name], RenderOptions(max_bytes=size)) == full
    if size > MIN_MAX_BYTES:
        cut = MarkdownFormatter().render(ALL_REPORTS[name], RenderOptions(max_bytes=size - 1))
        assert cut != full and len(cut.encode()) <= size - 1


def test_max_bytes_falls_back_to_the_verdict_and_counts() -> None:
    report = _many_findings(3)
    out = MarkdownFormatter().render(report, RenderOptions(max_bytes=1024))
    assert len(out.encode()) <= 1024
    assert out.startswith("## sbomcheck: FAIL\n")
    assert "3 findings" in out and "the full report has them all" in out


def test_max_bytes_below_the_minimum_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1024"):
        MarkdownFormatter().render(_many_findings(3), RenderOptions(max_bytes=100))
