"""The text formatter: the short view and the details, widths, rule titles, colour, hostile
names (goldens at 80 and 120 columns in tests/golden)."""

from __future__ import annotations

import dataclasses
import re

import pytest

from sbomcheck.findings import (
    PATH_COUNT_CAP,
    Confidence,
    Finding,
    Report,
    RuleOutcome,
    RuleStatus,
    Severity,
    SkippedInput,
    Verdict,
    WaiverUse,
)
from sbomcheck.report import OutputFormat, RenderOptions, get_formatter
from sbomcheck.report._common import CONFIDENCE_MEANING, tree_rows, url_label
from sbomcheck.report.text import (
    TextFormatter,
    _balanced,
    _fill,
    _finish,
    _mark,
    summary_line,
)
from tests.report.fixtures import (
    ALL_REPORTS,
    BSI_ADVISORY,
    ENGINE_FINDING,
    ENTITY_LIST,
    FAIL_REPORT,
    HOSTILE_REPORT,
    HOSTILE_TEXT,
    ICTS_INTEGRATION,
    INDETERMINATE_REPORT,
    PASS_REPORT,
    WAIVER,
    WARN_REPORT,
)
from tests.report.golden import assert_golden

ANSI = re.compile(r"\x1b\[[0-9;]*m")
COLOURED = re.compile(r"\x1b\[[0-9;]*m([^\x1b]*)\x1b\[0m")
WIDTHS = (40, 60, 80, 100, 120)


def render(report: Report, **options: object) -> str:
    return TextFormatter().render(report, RenderOptions(**options))  # type: ignore[arg-type]


def assert_fits(out: str, width: int) -> None:
    for line in out.splitlines():
        assert len(ANSI.sub("", line)) <= width, (width, line)


def not_applicable(rule_id: str, milestone: str, reason: str) -> RuleOutcome:
    return dataclasses.replace(
        ICTS_INTEGRATION,
        id=rule_id,
        milestone=milestone,
        short_title=f"{rule_id} plain title",
        status=RuleStatus.NOT_APPLICABLE,
        severity=Severity.NONE,
        reason=reason,
    )


# --- goldens ------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("details", [False, True], ids=["short", "details"])
@pytest.mark.parametrize("name", sorted(ALL_REPORTS))
def test_golden(name: str, details: bool, width: int) -> None:
    out = render(ALL_REPORTS[name], width=width, details=details)
    assert_fits(out, width)
    view = ".details" if details else ""
    size = "" if width == 80 else f".w{width}"
    assert_golden(out, f"{name}{view}{size}.txt")


def test_golden_colour() -> None:
    assert_golden(render(FAIL_REPORT, color=True, details=True), "fail.color.txt")


def test_registered_under_text() -> None:
    assert isinstance(get_formatter(OutputFormat.TEXT), TextFormatter)


# --- the short view -----------------------------------------------------------------------


def test_short_view_is_verdict_why_findings_and_a_hint() -> None:
    lines = render(FAIL_REPORT).splitlines()
    assert lines[0] == "sbomcheck 0.0.0-test: FAIL"
    assert lines[1] == "as of 2026-01-15, profile vendor; read 1 SBOM with 4 components"
    assert lines[3] == "Why"
    assert lines[4] == "  US-ICTS-2021-002: US Commerce ban on Kaspersky software"
    assert lines[5] == (
        "    broken by 1 finding: in force since 2024-09-29 (regulations.justia.com)"
    )
    header = lines.index("Findings (1)") + 1
    assert lines[header].split() == [
        "#",
        "Component",
        "Version",
        "Confidence",
        "Rule",
        "Enters",
        "via",
    ]
    assert lines[header + 1].split() == [
        "1",
        "kav-sdk",
        "8.0",
        "confirmed",
        "US-ICTS-2021-002",
        "av-module,",
        "mail-filter",
    ]
    assert lines[-1] == "Run with --details (or -v) for evidence, paths and rule sources."
    assert len(lines) < 20


def test_short_view_leaves_the_details_out() -> None:
    finding = dataclasses.replace(
        ENGINE_FINDING,
        rules=(
            *ENGINE_FINDING.rules,
            not_applicable("US-BOD-17-01", "issued", "not this profile: binds agencies"),
        ),
    )
    out = render(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    for absent in ("Evidence", "Paths", "US-BOD-17-01", "https://", "Completeness", "Data:"):
        assert absent not in out, absent


def test_findings_that_only_warn_are_counted_when_a_rule_fails() -> None:
    warned = dataclasses.replace(ENGINE_FINDING, rules=(ICTS_INTEGRATION, BSI_ADVISORY))
    out = render(dataclasses.replace(FAIL_REPORT, findings=(warned,)))
    assert "DE-BSI-2022" not in out
    assert "  1 more rule or advisory warns about this finding; --details lists them.\n" in out
    details = render(dataclasses.replace(FAIL_REPORT, findings=(warned,)), details=True)
    assert "  DE-BSI-2022: German BSI warning against Kaspersky anti-virus\n" in details


def test_a_rule_a_row_names_is_always_introduced() -> None:
    # The second finding only warns (BSI): its row names the rule, so the why names it too.
    second = dataclasses.replace(
        ENGINE_FINDING, id="1" * 64, rules=(BSI_ADVISORY,), severity=Severity.WARNING
    )
    out = render(dataclasses.replace(FAIL_REPORT, findings=(ENGINE_FINDING, second)))
    assert "  DE-BSI-2022: German BSI warning against Kaspersky anti-virus\n" in out
    assert "    warns about 1 finding: advisory since 2022-03-15 (bsi.bund.de)\n" in out


def test_waived_and_upcoming_rules_say_so() -> None:
    out = render(WARN_REPORT)
    assert "    waived for 1 finding: in force since 2024-09-29; waived until 2026-03-01\n" in out
    upcoming = dataclasses.replace(
        ICTS_INTEGRATION,
        status=RuleStatus.UPCOMING,
        severity=Severity.WARNING,
        reason="comes into force on 2027-01-01",
    )
    finding = dataclasses.replace(ENGINE_FINDING, rules=(upcoming,), severity=Severity.WARNING)
    report = dataclasses.replace(FAIL_REPORT, verdict=Verdict.WARN, findings=(finding,))
    assert "    applies to 1 finding: comes into force on 2027-01-01" in render(report)


def test_findings_no_rule_reaches_and_unused_waivers_are_named() -> None:
    bare = dataclasses.replace(ENGINE_FINDING, rules=(), severity=Severity.NONE)
    report = dataclasses.replace(
        FAIL_REPORT,
        verdict=Verdict.WARN,
        findings=(bare,),
        waivers=(WaiverUse(waiver=WAIVER),),
    )
    flat = " ".join(render(report).split())
    assert "1 finding is Kaspersky technology that no rule reaches for the vendor profile" in flat
    assert "1 waiver matched no finding (waiver 0)." in flat
    assert "1 kav-sdk 8.0 confirmed - direct" not in flat  # enters via its paths
    assert "confirmed - av-module, mail-filter" in flat


@pytest.mark.parametrize(
    ("paths", "via", "expected"),
    [
        ((("app", "kav-sdk"),), ("kav-sdk",), "direct"),
        ((), (), "-"),
        ((("app", "a", "kav-sdk"), ("app", "b", "kav-sdk")), ("a", "b"), "a, b"),
    ],
)
def test_enters_via(
    paths: tuple[tuple[str, ...], ...], via: tuple[str, ...], expected: str
) -> None:
    component = dataclasses.replace(ENGINE_FINDING.component, ref="kav-sdk")
    finding = dataclasses.replace(
        ENGINE_FINDING, component=component, paths=paths, introduced_via=via
    )
    out = render(dataclasses.replace(FAIL_REPORT, findings=(finding,)), width=120)
    row = next(line for line in out.splitlines() if line.startswith("  1  "))
    assert row.endswith(f"US-ICTS-2021-002  {expected}")


def test_skipped_inputs_are_counted_in_the_why_and_listed_in_the_details() -> None:
    skipped = (
        SkippedInput(path="dir/README.md", reason="not an SBOM file name"),
        SkippedInput(
            path="b.zip!inner.zip", reason="nested archive not followed", may_hold_sbom=True
        ),
    )
    report = dataclasses.replace(FAIL_REPORT, skipped_inputs=skipped)
    flat = " ".join(render(report).split())
    assert "1 input that may hold an SBOM was not read; --details lists them." in flat
    details = render(report, details=True)
    assert (
        "Skipped inputs (2)\n"
        "  dir/README.md: not an SBOM file name\n"
        "  b.zip!inner.zip: nested archive not followed; may hold an SBOM, not read\n"
    ) in details


def test_without_findings_the_verdict_reasons_are_the_why() -> None:
    out = render(INDETERMINATE_REPORT)
    assert "Why\n  nothing found, but 90% of components lack a supplier\n" in out
    assert "Findings" not in out
    assert out.endswith("Run with --details (or -v) for the documents read.\n")


@pytest.mark.parametrize("width", [57, 58, 59])
def test_a_narrow_table_drops_the_number_column_first(width: int) -> None:
    out = render(FAIL_REPORT, width=width)
    header = next(line for line in out.splitlines() if "Component" in line)
    assert header.split()[0] == ("#" if width == 59 else "Component")


def test_too_narrow_for_a_table_lists_one_finding_a_line() -> None:
    out = render(FAIL_REPORT, width=40)
    assert "Component" not in out
    flat = " ".join(out.split())
    assert "1. kav-sdk 8.0: confirmed, US-ICTS-2021-002; enters via av-module, mail-filter" in flat


# --- rule titles and confidence words -----------------------------------------------------

RULE_ID = re.compile(r"\b(?:US|DE|R)-[A-Z0-9.-]*[A-Z0-9]\b")


@pytest.mark.parametrize("details", [False, True])
@pytest.mark.parametrize("name", sorted(ALL_REPORTS))
def test_every_rule_id_comes_first_with_its_plain_title(name: str, details: bool) -> None:
    out = render(ALL_REPORTS[name], details=details, width=200)
    titles = {
        o.id: o.short_title for r in ALL_REPORTS.values() for f in r.findings for o in f.rules
    }
    seen: set[str] = set()
    for line in out.splitlines():
        for match in RULE_ID.finditer(line):
            rule_id = match.group()
            if rule_id in titles and rule_id not in seen:
                seen.add(rule_id)
                assert line[match.end() :].startswith(f": {titles[rule_id]}"), line


def test_not_applicable_rules_are_introduced_grouped_and_counted_in_the_details() -> None:
    finding = dataclasses.replace(
        ENGINE_FINDING,
        rules=(
            *ENGINE_FINDING.rules,
            not_applicable("R-PROFILE", "a", "not this profile: binds x"),
            not_applicable("R-PROFILE", "b", "not this profile: binds x"),
            not_applicable("R-SCOPE", "c", "out of scope: names none"),
            not_applicable("R-CLASS", "d", "excluded product class: training"),
            not_applicable("R-OTHER", "e", "something else"),
        ),
    )
    out = render(dataclasses.replace(FAIL_REPORT, findings=(finding,)), details=True)
    assert "R-PROFILE" not in render(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    section = out[out.index("Rules that do not apply") :]
    assert section.startswith("Rules that do not apply (5 milestones of 4 rules)\n")
    assert (
        "  Not for this profile (2)\n"
        "    R-PROFILE: R-PROFILE plain title\n"
        "      a, b\n"
        "  Out of scope (1)\n"
        "    R-SCOPE: R-SCOPE plain title\n"
        "      c\n"
        "  Excluded product class (1)\n"
        "    R-CLASS: R-CLASS plain title\n"
        "      d\n"
        "  Not applicable (1)\n"
        "    R-OTHER: R-OTHER plain title\n"
        "      e\n"
    ) in section
    # The reasons themselves are in the JSON report; the text names and counts.
    assert "binds x" not in out


def test_a_milestone_that_does_not_apply_to_some_findings_names_them() -> None:
    na = not_applicable("US-EL-2024", "listing", "out of scope: names none")
    first = dataclasses.replace(ENGINE_FINDING, rules=(ICTS_INTEGRATION, na))
    second = dataclasses.replace(ENGINE_FINDING, id="1" * 64, rules=(ICTS_INTEGRATION, ENTITY_LIST))
    out = render(dataclasses.replace(FAIL_REPORT, findings=(first, second)), details=True)
    # Applicable to finding 2, so already introduced in the why: named by id alone.
    assert "    US-EL-2024: listing (finding 1)\n" in out


def test_confidence_words_are_explained_once() -> None:
    likely = dataclasses.replace(ENGINE_FINDING, id="1" * 64, confidence=Confidence.LIKELY)
    report = dataclasses.replace(FAIL_REPORT, findings=(ENGINE_FINDING, likely, likely))
    for details in (False, True):
        out = render(report, details=details, width=200)
        assert out.count(f"likely: {CONFIDENCE_MEANING['likely']}\n") == 1
        assert out.count(f"confirmed: {CONFIDENCE_MEANING['confirmed']}\n") == 1
        assert "possible:" not in out


# --- the details --------------------------------------------------------------------------


def test_details_follow_the_short_view() -> None:
    short = render(FAIL_REPORT)
    details = render(FAIL_REPORT, details=True)
    hint = "Run with --details (or -v) for evidence, paths and rule sources.\n"
    assert details.startswith(short.removesuffix("\n" + hint))
    for heading in ("The verdict's reasons", "Documents", "Rules and sources", "Completeness"):
        assert f"\n{heading}\n" in details


def test_paths_are_drawn_as_a_tree_sharing_the_root() -> None:
    lines = render(FAIL_REPORT, details=True).splitlines()
    start = lines.index("  Paths (2)")
    assert lines[start + 1 : start + 7] == [
        "    acme-gateway",
        "    ├── av-module",
        "    │   └── kav-sdk",
        "    └── mail-filter",
        "        └── av-module",
        "            └── kav-sdk",
    ]


def test_evidence_outcomes_and_sources_per_finding() -> None:
    out = render(FAIL_REPORT, details=True)
    assert "    supplier.name = AO Kaspersky Lab ~ AO Kaspersky Lab (entity, confirmed)\n" in out
    assert "    name = kav-sdk ~ KAV SDK (engine, confirmed)\n" in out
    assert "    US-EL-2024 listing: error, in force since 2024-06-24\n" in out
    assert "  Introduced via: av-module, mail-filter\n" in out
    assert (
        "  US-EL-2024\n"
        "    BIS Entity List: AO Kaspersky Lab and others\n"
        "    source of listing:\n"
        "        https://www.govinfo.gov/content/pkg/FR-2024-06-24/html/2024-13695.htm\n"
    ) in out


def test_long_urls_are_shortened_in_the_why_and_whole_in_the_details() -> None:
    warn = render(WARN_REPORT, details=True)
    assert "(bsi.bund.de)" in warn
    source = BSI_ADVISORY.source
    assert source not in render(WARN_REPORT)
    # Broken after a `/` to fit 80 columns, every character kept.
    lines = warn.splitlines()
    i = next(i for i, line in enumerate(lines) if "https://www.bsi.bund.de/" in line)
    joined = lines[i].strip() + lines[i + 1].strip()
    assert joined == source
    assert lines[i].endswith("/")


def test_waived_outcome_names_its_waiver() -> None:
    flat = " ".join(render(WARN_REPORT, details=True).split())
    assert "waived by waiver 0: replacement scheduled (approved by ciso@example.org," in flat
    assert "Waivers (1)" in flat


@pytest.mark.parametrize(
    ("report", "sentence"),
    [
        (FAIL_REPORT, "The SBOM lists enough identity data to rely on."),
        (
            INDETERMINATE_REPORT,
            "The SBOM is not complete enough to show that Kaspersky technology is absent: "
            "90% of components lack a supplier; no relationships.",
        ),
    ],
)
def test_completeness_says_what_it_means(report: Report, sentence: str) -> None:
    out = render(report, details=True)
    assert sentence in " ".join(out.split())
    assert "sufficient to show absence" not in out


def test_unresolved_references_in_the_details() -> None:
    out = render(INDETERMINATE_REPORT, details=True)
    assert "Unresolved references (1)" in out
    assert "urn:cdx:4f1c0a4e-0000-4000-8000-000000000001/1" in out


@pytest.mark.parametrize(
    ("total", "label"),
    [
        (57, "  Paths (2 of 57)"),
        (-1, "  Paths (2 shown, total not counted)"),
        (PATH_COUNT_CAP, "  Paths (2 of at least 1,000,000,000)"),
    ],
)
def test_bounded_paths_say_how_many_exist(total: int, label: str) -> None:
    finding = dataclasses.replace(ENGINE_FINDING, paths_total=total)
    out = render(dataclasses.replace(FAIL_REPORT, findings=(finding,)), details=True)
    assert label in out.splitlines()


# --- width --------------------------------------------------------------------------------


@pytest.mark.parametrize("details", [False, True])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", sorted(ALL_REPORTS))
def test_every_line_fits_the_width(name: str, width: int, details: bool) -> None:
    assert_fits(render(ALL_REPORTS[name], width=width, details=details), width)
    assert_fits(render(ALL_REPORTS[name], width=width, details=details, color=True), width)


def test_narrower_than_40_columns_lays_out_at_40() -> None:
    assert render(FAIL_REPORT, width=10) == render(FAIL_REPORT, width=40)


@pytest.mark.parametrize("width", WIDTHS)
def test_long_names_are_cut_in_the_table_and_whole_in_the_details(width: int) -> None:
    long = "kaspersky-" + "x" * 190
    finding = dataclasses.replace(
        ENGINE_FINDING,
        component=dataclasses.replace(ENGINE_FINDING.component, name=long, ref=long),
        paths=(("root " * 30, long),),
    )
    report = dataclasses.replace(FAIL_REPORT, findings=(finding,))
    short = render(report, width=width)
    assert_fits(short, width)
    assert "…" in short and long not in short
    details = render(report, width=width, details=True)
    assert_fits(details, width)
    # Every character is there, broken over lines: the header line and the tree both.
    flat = "".join(details.split())
    assert f"[1]{long}8.0" in flat
    assert flat.count(long) >= 3  # header, ref, tree label


def test_a_huge_name_is_cut_in_the_details_and_says_how_much() -> None:
    huge = "k" * 100_000
    finding = dataclasses.replace(
        ENGINE_FINDING, component=dataclasses.replace(ENGINE_FINDING.component, name=huge)
    )
    out = render(dataclasses.replace(FAIL_REPORT, findings=(finding,)), details=True)
    assert_fits(out, 80)
    assert len(out) < 20_000
    assert "…" in out and "characters)" in out


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
    out = render(report, width=width, details=True)
    assert_fits(out, width)
    flat = " ".join(out.split())
    assert "[level 1999] chain-component-1999" in flat
    assert "chain-component-0000" in flat


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


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("https://www.federalregister.gov/documents/2024/06/24/x", "federalregister.gov"),
        ("http://ia.acs.org.au/article", "ia.acs.org.au"),
        ("not a url", "not a url"),
        ("https://[::1", "https://[::1"),
    ],
)
def test_url_label(url: str, label: str) -> None:
    assert url_label(url) == label


# --- colour -------------------------------------------------------------------------------

PAINTED = {"FAIL", "WARN", "PASS", "INDETERMINATE", "confirmed", "likely", "possible"}
PAINTED_SEVERITY = re.compile(
    r"(error|warning|note|none|(broken by|waived for|applies to|warns about) \d+ findings?)"
)


@pytest.mark.parametrize("details", [False, True])
def test_colour_marks_only_verdict_severities_and_confidence(details: bool) -> None:
    for report in ALL_REPORTS.values():
        plain = render(report, details=details)
        coloured = render(report, details=details, color=True)
        assert "\x1b" not in plain
        assert ANSI.sub("", coloured) == plain
        spans = COLOURED.findall(coloured)
        assert spans
        for span in spans:
            assert span in PAINTED or PAINTED_SEVERITY.fullmatch(span), span


@pytest.mark.parametrize("width", range(40, 81, 2))
def test_colour_never_runs_past_the_end_of_a_line(width: int) -> None:
    for report in ALL_REPORTS.values():
        for line in render(report, details=True, color=True, width=width).splitlines():
            codes = ANSI.findall(line)
            assert len(codes) % 2 == 0 and (not codes or codes[-1] == "\x1b[0m"), line


def test_a_coloured_phrase_split_by_wrapping_is_closed_and_reopened() -> None:
    phrase = _mark("one two three four five six", "\x1b[31m")
    lines = [_finish(line, True) for line in _balanced(_fill(f"start {phrase} end", 16, 0, 2))]
    assert lines == [
        "start \x1b[31mone two\x1b[0m",
        "\x1b[31m  three four\x1b[0m",
        "\x1b[31m  five six\x1b[0m end",
    ]
    split = _balanced(["a \x0e\x1b[31mone two", "  three\x0f b"])
    assert [_finish(line, True) for line in split] == [
        "a \x1b[31mone two\x1b[0m",
        "\x1b[31m  three\x1b[0m b",
    ]
    assert [_finish(line, False) for line in split] == ["a one two", "  three b"]


def test_verdict_word_is_coloured() -> None:
    assert render(FAIL_REPORT, color=True).startswith("sbomcheck 0.0.0-test: \x1b[1;31mFAIL\x1b[0m")


# --- hostile input ------------------------------------------------------------------------


@pytest.mark.parametrize("details", [False, True])
def test_hostile_names_are_shown_not_interpreted(details: bool) -> None:
    out = render(HOSTILE_REPORT, details=details, width=200)
    # The newline inside the name is shown as the two characters `\n`, never a line break.
    assert HOSTILE_TEXT.replace("\n", "\\n")[:40] in out
    if details:
        assert "\\n*bold*" in out


def test_terminal_control_characters_are_escaped() -> None:
    evil = "kav\x1b[2J\x1b]8;;http://x\x07\u202egnp.exe\x00\x9b\x0e\x0f"
    finding = dataclasses.replace(
        ENGINE_FINDING,
        component=dataclasses.replace(ENGINE_FINDING.component, name=evil, ref=evil),
        paths=((evil, evil),),
        introduced_via=(evil,),
    )
    report = dataclasses.replace(FAIL_REPORT, findings=(finding,))
    for color in (False, True):
        out = ANSI.sub("", render(report, details=True, color=color, width=200))
        assert not any(ch in out for ch in "\x1b\x07\x00\x9b\u202e\x0e\x0f")
        assert "kav\\x1b[2J\\x1b]8;;http://x\\x07\\u202egnp.exe\\x00\\x9b\\x0e\\x0f" in out


# --- the summary line ---------------------------------------------------------------------


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
