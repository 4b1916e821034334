"""The text formatter: layout in 80 columns, trees, colour, summary line, hostile names."""

from __future__ import annotations

import dataclasses
import re

import pytest

from sbomcheck.findings import PATH_COUNT_CAP, Finding, Report, RuleStatus
from sbomcheck.report import OutputFormat, RenderOptions, get_formatter
from sbomcheck.report._common import tree_rows
from sbomcheck.report.text import TextFormatter, summary_line
from tests.report.fixtures import (
    ALL_REPORTS,
    ENGINE_FINDING,
    FAIL_REPORT,
    HOSTILE_REPORT,
    HOSTILE_TEXT,
    ICTS_INTEGRATION,
    INDETERMINATE_REPORT,
    PASS_REPORT,
    WARN_REPORT,
)
from tests.report.golden import assert_golden

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def render(report: Report, **options: object) -> str:
    return TextFormatter().render(report, RenderOptions(**options))  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(ALL_REPORTS))
def test_golden(name: str) -> None:
    assert_golden(render(ALL_REPORTS[name]), f"{name}.txt")


def test_golden_colour() -> None:
    assert_golden(render(FAIL_REPORT, color=True), "fail.color.txt")


def test_registered_under_text() -> None:
    assert isinstance(get_formatter(OutputFormat.TEXT), TextFormatter)


@pytest.mark.parametrize("width", [80, 60, 100])
@pytest.mark.parametrize("name", sorted(ALL_REPORTS))
def test_fits_width(name: str, width: int) -> None:
    out = render(ALL_REPORTS[name], width=width)
    for line in out.splitlines():
        # NOTE: only a single unbreakable token (a long URL) may overflow, so it stays
        # copyable; everything else wraps or is truncated with an ellipsis.
        assert len(line) <= width or len(line.split()) == 1, line


def test_plain_has_no_escape_codes_and_colour_only_adds_them() -> None:
    for report in ALL_REPORTS.values():
        plain = render(report)
        coloured = render(report, color=True)
        assert "\x1b" not in plain
        assert ANSI.search(coloured)
        assert ANSI.sub("", coloured) == plain


def test_verdict_line_and_table() -> None:
    lines = render(FAIL_REPORT).splitlines()
    assert lines[0] == "sbomcheck 0.0.0-test: FAIL"
    assert lines[1] == "as of 2026-01-15, profile vendor"
    header = next(i for i, line in enumerate(lines) if line.lstrip().startswith("#  Component"))
    assert lines[header].split() == [
        "#",
        "Component",
        "Version",
        "Confidence",
        "Severity",
        "Canonical",
    ]
    assert lines[header + 1].split()[:5] == ["1", "kav-sdk", "8.0", "confirmed", "error"]


def test_paths_are_drawn_as_a_tree_sharing_the_root() -> None:
    out = render(FAIL_REPORT)
    tree = [
        "    acme-gateway",
        "    ├── av-module",
        "    │   └── kav-sdk",
        "    └── mail-filter",
        "        └── av-module",
        "            └── kav-sdk",
    ]
    lines = out.splitlines()
    start = lines.index("  Paths (2)")
    assert lines[start + 1 : start + 7] == tree


def test_evidence_and_rules_per_finding() -> None:
    out = render(FAIL_REPORT)
    assert "    supplier.name = AO Kaspersky Lab ~ AO Kaspersky Lab (entity, confirmed)\n" in out
    assert "    name = kav-sdk ~ KAV SDK (engine, confirmed)\n" in out
    assert "    US-ICTS-2021-002 integration-updates-resale  error  in-force 2024-09-29\n" in out
    assert "    US-EL-2024 listing  error  in-force 2024-06-24\n" in out
    assert "  Introduced via: av-module, mail-filter\n" in out


def test_waived_outcome_names_its_waiver() -> None:
    out = render(WARN_REPORT)
    assert "warning (waived)" in out
    assert "waived by waiver 0: replacement scheduled (approved by ciso@example.org," in out
    assert "Waivers (1)" in out


def test_unresolved_and_completeness() -> None:
    out = render(INDETERMINATE_REPORT)
    assert "Unresolved references (1)" in out
    assert "urn:cdx:4f1c0a4e-0000-4000-8000-000000000001/1" in out
    assert "NOT sufficient to show absence: 90% of components lack a supplier" in out
    assert "No Kaspersky technology found." in out


@pytest.mark.parametrize(
    ("total", "label"), [(57, "  Paths (2 of 57)"), (-1, "  Paths (2 shown, total not counted)")]
)
def test_bounded_paths_say_how_many_exist(total: int, label: str) -> None:
    finding = dataclasses.replace(ENGINE_FINDING, paths_total=total)
    out = render(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    assert label in out.splitlines()


def test_long_names_are_truncated_in_table_and_tree() -> None:
    long = "x" * 200
    finding = dataclasses.replace(
        ENGINE_FINDING,
        component=dataclasses.replace(ENGINE_FINDING.component, name=long),
        paths=(("root " * 30, long),),
    )
    out = render(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    assert "…" in out
    for line in out.splitlines():
        assert len(line) <= 80 or len(line.split()) == 1


@pytest.mark.parametrize(
    ("report", "expected"),
    [
        (
            FAIL_REPORT,
            "FAIL: 1 finding (1 confirmed) in 1 document; as of 2026-01-15, profile vendor",
        ),
        (
            WARN_REPORT,
            "WARN: 1 finding (1 confirmed; 1 waived) in 1 document; "
            "as of 2026-01-15, profile vendor",
        ),
        (PASS_REPORT, "PASS: no findings in 1 document; as of 2026-01-15, profile vendor"),
        (
            INDETERMINATE_REPORT,
            "INDETERMINATE: no findings in 1 document, 1 unresolved reference; "
            "as of 2026-01-15, profile vendor",
        ),
        (
            HOSTILE_REPORT,
            "FAIL: 1 finding (1 likely) in 1 document; as of 2026-01-15, profile vendor",
        ),
    ],
)
def test_summary_line(report: Report, expected: str) -> None:
    assert summary_line(report) == expected


def test_hostile_names_are_shown_not_interpreted() -> None:
    out = render(HOSTILE_REPORT)
    # The newline inside the name is shown as the two characters `\n`, never a line break.
    assert HOSTILE_TEXT.replace("\n", "\\n")[:60] in out
    assert "\\n*bold*" in out


def test_terminal_control_characters_are_escaped() -> None:
    evil = "kav\x1b[2J\x1b]8;;http://x\x07\u202egnp.exe\x00\x9b"
    finding = dataclasses.replace(
        ENGINE_FINDING,
        component=dataclasses.replace(ENGINE_FINDING.component, name=evil, ref=evil),
        paths=((evil, evil),),
        introduced_via=(evil,),
    )
    report = dataclasses.replace(FAIL_REPORT, findings=(finding,))
    for out in (render(report), ANSI.sub("", render(report, color=True))):
        assert not any(ch in out for ch in "\x1b\x07\x00\x9b\u202e")
        assert "kav\\x1b[2J\\x1b]8;;http://x\\x07\\u202egnp.exe\\x00\\x9b" in out


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
    out = render(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    assert "  Not for this profile: US-BOD-17-01 issued\n" in out
    assert "binds federal agencies" not in out
    assert "US-EL-2024 listing  error  in-force 2024-06-24" in out


def _chain_finding(depth: int) -> Finding:
    """ENGINE_FINDING at the end of a single dependency chain `depth` refs long."""
    path = tuple(f"chain-component-{n:04d}" for n in range(depth))
    return dataclasses.replace(ENGINE_FINDING, paths=(path,), paths_total=1)


@pytest.mark.parametrize("width", [80, 60, 120])
def test_deep_chain_renders_within_width(width: int) -> None:
    # A 2,000-deep chain once overflowed the recursion limit (RecursionError in the tree
    # walk) and, at 300 levels, drew 1,215-column lines; now the indent stops after a few
    # levels and each row says its depth.
    report = dataclasses.replace(FAIL_REPORT, findings=(_chain_finding(2000),))
    out = render(report, width=width)
    for line in out.splitlines():
        assert len(line) <= width or len(line.split()) == 1, line
    assert "[level 1999] chain-co" in out
    assert "chain-component-0000" in out


def test_tree_marks_depth_beyond_the_indent_cap() -> None:
    rows = tree_rows([("a", "b", "c", "d", "e")], max_depth=2)
    assert rows == [
        ("", "a"),
        ("└── ", "b"),
        ("    └── ", "c"),
        ("    └── ", "[level 3] d"),
        ("    └── ", "[level 4] e"),
    ]
    # uncapped, the drawing grows 4 columns per level as before
    assert tree_rows([("a", "b", "c")]) == [("", "a"), ("└── ", "b"), ("    └── ", "c")]


def test_not_applicable_rules_grouped_by_reason() -> None:
    na = RuleStatus.NOT_APPLICABLE
    outcomes = (
        dataclasses.replace(
            ICTS_INTEGRATION, id="R-PROFILE", status=na, reason="not this profile: binds x"
        ),
        dataclasses.replace(
            ICTS_INTEGRATION, id="R-SCOPE", status=na, reason="out of scope: names none"
        ),
        dataclasses.replace(
            ICTS_INTEGRATION, id="R-CLASS", status=na, reason="excluded product class: training"
        ),
        dataclasses.replace(ICTS_INTEGRATION, id="R-SCOPE2", status=na, reason="out of scope: y"),
    )
    finding = dataclasses.replace(ENGINE_FINDING, rules=(ICTS_INTEGRATION, *outcomes))
    out = render(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    assert "Not applicable to this profile" not in out
    assert "  Not for this profile: R-PROFILE integration-updates-resale\n" in out
    flat = " ".join(out.split())
    assert (
        "Out of scope: R-SCOPE integration-updates-resale, R-SCOPE2 integration-updates-resale "
        "Excluded" in flat
    )
    assert "  Excluded product class: R-CLASS integration-updates-resale\n" in out


def test_saturated_path_count_says_at_least() -> None:
    finding = dataclasses.replace(ENGINE_FINDING, paths_total=PATH_COUNT_CAP)
    out = render(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    assert "  Paths (2 of at least 1,000,000,000)\n" in out
    finding = dataclasses.replace(ENGINE_FINDING, paths_total=57)
    assert "  Paths (2 of 57)\n" in render(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
