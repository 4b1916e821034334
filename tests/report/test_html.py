"""The scan HTML report: golden files, escaping, links, self-containment, the finding card, the
path picture, the timeline and the appendix. The headless-browser checks (overflow, print,
pixels) are in test_html_render.py."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import lxml.html
import pytest

from sbomcheck.findings import (
    Evidence,
    PathNode,
    Report,
    RuleOutcome,
    RuleStatus,
    Severity,
    TimelineEntry,
    WaiverUse,
)
from sbomcheck.identify import load_catalogue
from sbomcheck.policy import load_rules
from sbomcheck.report import OutputFormat, get_formatter
from sbomcheck.report._common import visible
from sbomcheck.report._html import CSS, breakable, source_links
from sbomcheck.report._svg import MAX_PATHS, escape, label_lines, layout
from sbomcheck.report.html import CSP, HtmlFormatter
from sbomcheck.scan import ScanOptions, scan
from tests.conftest import AS_OF
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

PASS_SENTENCE = (
    "No Kaspersky technology was found, and the SBOMs are complete enough to show its absence."
)
"""The reason the policy gives a clean PASS (sbomcheck.policy)."""

ICTS_TIMELINE = TimelineEntry(
    id="US-ICTS-2021-002",
    title="Commerce ICTS Final Determination",
    milestone="integration-updates-resale",
    effective="2024-09-29T00:00:00-04:00",
    status=RuleStatus.IN_FORCE,
    severity=Severity.ERROR,
    reason="in force since 2024-09-29",
    source="https://example.org/icts",
)
UPCOMING_TIMELINE = dataclasses.replace(
    ICTS_TIMELINE,
    id="US-BIS-CV-2025",
    milestone="software-model-year-2027",
    effective="2026-03-17",
    status=RuleStatus.UPCOMING,
)
CLEAN_PASS = dataclasses.replace(
    PASS_REPORT, verdict_reasons=(PASS_SENTENCE,), timeline=(ICTS_TIMELINE, UPCOMING_TIMELINE)
)
"""A clean PASS as `scan` makes it: the policy's sentence and the profile's timeline."""


def render(report: Report) -> str:
    return HtmlFormatter().render(report)


def parse(report: Report) -> lxml.html.HtmlElement:
    return parse_html(render(report))


def parse_html(text: str) -> lxml.html.HtmlElement:
    """The page as lxml reads it. NOTE: lxml-stubs types `document_fromstring` as a plain
    `_Element` (no `text_content`, an `xpath` result of every XPath type) and leaves
    `HtmlElement` undeclared, so the tree is as untyped as lxml's own API."""
    return lxml.html.document_fromstring(text)


def norm(text: str) -> str:
    return " ".join(text.split())


def _not_applicable(**changes: object) -> RuleOutcome:
    return dataclasses.replace(
        ENTITY_LIST,
        status=RuleStatus.NOT_APPLICABLE,
        severity=Severity.NONE,
        reason="not this profile",
        **changes,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("name", sorted(ALL_REPORTS))
def test_golden(name: str) -> None:
    out = render(ALL_REPORTS[name])
    lxml.html.document_fromstring(out)  # parses before it is recorded
    assert_golden(out, f"{name}.html")


def test_golden_clean_pass_with_timeline() -> None:
    assert_golden(render(CLEAN_PASS), "pass-timeline.html")


def test_get_formatter_gives_html() -> None:
    assert isinstance(get_formatter(OutputFormat.HTML), HtmlFormatter)


# --- escaping -------------------------------------------------------------------------------


def test_hostile_names_are_text_not_markup() -> None:
    out = render(HOSTILE_REPORT)
    doc = parse_html(out)
    assert "<script" not in out.lower()
    assert doc.xpath("//script") == []
    assert doc.xpath("//b") == []  # the version `1.0<b>` stays text
    for el in doc.iter():
        if isinstance(el.tag, str):
            assert not [a for a in el.attrib if a.lower().startswith("on")], el.tag
    shown = visible(HOSTILE_TEXT)
    product_cell = doc.xpath('//section[@id="products"]//tbody/tr/td[1]/strong')[0]
    assert product_cell.text_content() == shown
    evidence_value = doc.xpath(
        '//article[@id="finding-1"]//h4[.="Evidence"]/following::table[1]//tbody/tr/td[2]'
    )[0]
    assert evidence_value.text_content() == shown
    assert "samples/<evil>.json" in doc.text_content()
    assert "1.0<b>" in doc.text_content()
    # The SVG tooltip names the component and its ref, escaped.
    svg_titles = [t.text_content() for t in doc.xpath("//svg//g/title")]
    assert svg_titles == [f"{shown} 1.0<b> (ref {shown})"]


def test_hostile_markdown_link_is_not_a_link() -> None:
    doc = parse(HOSTILE_REPORT)
    hrefs = [a.get("href") for a in doc.xpath("//a[@href]")]
    assert not [h for h in hrefs if "javascript" in h.lower()]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('<a href="x">', "&lt;a href=&quot;x&quot;&gt;"),
        ("it's", "it&#x27;s"),
        ("a\u202eb", "a\\u202eb"),  # a bidi override cannot reorder what the reader sees
        ("x\x1b[31my", "x\\x1b[31my"),
        ("\ud800", "\\ud800"),  # a lone surrogate would make the page unencodable
    ],
)
def test_escape(raw: str, expected: str) -> None:
    assert escape(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("short/path", "short/path"),
        (
            "samples/linked-cross-format/appliance.cdx.json",
            "samples/<wbr>linked-<wbr>cross-<wbr>format/<wbr>appliance.<wbr>cdx.<wbr>json",
        ),
        ("pkg:npm/%40kaspersky/x@1", "pkg:<wbr>npm/<wbr>%40kaspersky/<wbr>x@<wbr>1"),
        ("<evil>/\u202e<b>.json", "&lt;evil&gt;/<wbr>\\u202e&lt;b&gt;.<wbr>json"),
        ("a" * 64, "a" * 64),  # a hash wraps anywhere (CSS), not at separators
    ],
)
def test_breakable_escapes_then_offers_breaks_at_separators(raw: str, expected: str) -> None:
    assert breakable(raw) == expected


def test_control_characters_keep_the_page_encodable() -> None:
    nasty = "a\ud800\x00\u202eb"
    comp = dataclasses.replace(ENGINE_FINDING.component, name=nasty)
    report = dataclasses.replace(
        FAIL_REPORT, findings=(dataclasses.replace(ENGINE_FINDING, component=comp),)
    )
    out = render(report)
    out.encode("utf-8")  # raises on a lone surrogate
    assert "\x00" not in out and "\u202e" not in out
    assert "a\\ud800\\x00\\u202eb" in out


# --- links, sources and self-containment ---------------------------------------------------


def test_links_only_to_catalogue_and_rules_sources() -> None:
    evil_evidence = dataclasses.replace(
        ENGINE_FINDING.evidence[0], source="javascript:alert(1)", value="https://evil.example/x"
    )
    comp = dataclasses.replace(
        ENGINE_FINDING.component, purl="https://evil.example/purl", ref="http://evil.example/r"
    )
    finding = dataclasses.replace(
        ENGINE_FINDING, component=comp, evidence=(evil_evidence, ENGINE_FINDING.evidence[1])
    )
    report = dataclasses.replace(FAIL_REPORT, findings=(finding,))
    doc = parse_html(render(report))
    external = sorted({a.get("href") for a in doc.xpath("//a[@href]")} - {None})
    external = [h for h in external if not h.startswith("#")]
    allowed = {ENGINE_FINDING.evidence[1].source, *(o.source for o in ENGINE_FINDING.rules)}
    assert set(external) == allowed
    # The refused source is still shown, as text.
    assert "javascript:alert(1)" in doc.text_content()
    assert "https://evil.example/purl" in doc.text_content()


def test_sources_show_as_labels_linked_to_the_address() -> None:
    doc = parse(FAIL_REPORT)
    card = doc.xpath('//article[@id="finding-1"]')[0]
    links = {norm(a.text_content()): a.get("href") for a in card.xpath(".//a[@title]")}
    assert links["Justia, 2024-06-24"] == ICTS_INTEGRATION.source
    assert links["GovInfo, 2024-06-24"] == ENTITY_LIST.source
    assert links["Kaspersky"] == "https://support.kaspersky.com/ScanEngine/1.0/en-US/all-in-one.htm"
    # No raw address is shown in the card; the appendix lists each in full.
    assert "https://" not in norm(card.text_content())
    appendix = doc.xpath('//section[@id="appendix"]//details')[0]
    assert ICTS_INTEGRATION.source in appendix.text_content()


def test_catalogue_sources_with_several_addresses_get_one_link_each() -> None:
    html = source_links("http://support.kaspersky.co.uk/9717 ; https://www.govinfo.gov/x")
    links = lxml.html.fragment_fromstring(html, create_parent="div").xpath("//a")
    assert [(a.text_content(), a.get("href")) for a in links] == [
        ("Kaspersky", "http://support.kaspersky.co.uk/9717"),
        ("GovInfo", "https://www.govinfo.gov/x"),
    ]


def test_internal_anchors_resolve() -> None:
    for report in (FAIL_REPORT, WARN_REPORT, CLEAN_PASS):
        doc = parse(report)
        ids = list(doc.xpath("//@id"))
        assert len(ids) == len(set(ids)), "duplicate ids"
        anchors = [h[1:] for h in doc.xpath("//a/@href") if h.startswith("#")]
        assert anchors and set(anchors) <= set(ids)
    markers = list(parse(FAIL_REPORT).xpath("//@marker-end"))
    assert markers and all(m[5:-1] in set(parse(FAIL_REPORT).xpath("//@id")) for m in markers)


@pytest.mark.parametrize("name", sorted(ALL_REPORTS))
def test_self_contained_with_strict_csp(name: str) -> None:
    out = render(ALL_REPORTS[name])
    doc = parse_html(out)
    csp = doc.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
    assert csp == [CSP]
    assert CSP == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    assert doc.xpath("//script | //link | //iframe | //object | //embed | //img | //form") == []
    fetching = {"src", "srcset", "xlink:href", "background", "poster", "data", "action"}
    for el in doc.iter():
        if isinstance(el.tag, str):
            assert not fetching & {a.lower() for a in el.attrib}, el.tag
    style = "".join(s.text_content() for s in doc.xpath("//style"))
    assert "@import" not in style and "url(" not in style and "@font-face" not in style
    assert out.endswith("</html>\n")


def test_print_css_keeps_cards_whole_tables_on_the_page_and_black_on_white() -> None:
    style = parse(FAIL_REPORT).xpath("//style")[0].text_content()
    assert style == CSS
    printing = style[style.index("@media print") :]
    assert ".finding { break-inside: avoid;" in printing
    assert "color: #000;" in printing and "background: #fff;" in printing
    assert "table { border-collapse: collapse; width: 100%; table-layout: fixed;" in style
    # Every table of the report has column widths that add up to the page.
    for table in parse(FAIL_REPORT).xpath("//table"):
        widths = [int(c.get("style")[6:-1]) for c in table.xpath("./colgroup/col")]
        assert sum(widths) == 100, widths


# --- banner ----------------------------------------------------------------------------------


def test_verdict_and_reasons_come_first() -> None:
    doc = parse(FAIL_REPORT)
    first = doc.xpath("//main/section")[0]
    assert first.get("id") == "verdict"
    assert "verdict-fail" in first.get("class")
    assert norm(first.xpath(".//div")[0].text_content()) == "FAIL"
    assert [norm(li.text_content()) for li in first.xpath(".//li")] == list(
        FAIL_REPORT.verdict_reasons
    )


def test_reasons_keep_the_case_they_were_given() -> None:
    report = dataclasses.replace(FAIL_REPORT, verdict_reasons=("kav-sdk@8.0 is in the product",))
    assert "kav-sdk@8.0 is in the product" in parse(report).text_content()


def test_a_clean_pass_says_so_once() -> None:
    text = norm(parse(CLEAN_PASS).text_content())
    assert text.count("No Kaspersky technology was found") == 1
    assert text.count("No Kaspersky technology") == 1
    # Without the policy's reason the banner says what PASS means, once.
    bare = norm(parse(dataclasses.replace(CLEAN_PASS, verdict_reasons=())).text_content())
    assert bare.count("No Kaspersky technology") == 1


# --- content ---------------------------------------------------------------------------------


def test_products_list_vendor() -> None:
    cells = parse(FAIL_REPORT).xpath('//section[@id="products"]//tbody/tr/td')
    assert [norm(c.text_content()) for c in cells] == [
        "acme-gateway@5.1 document acme-gateway",
        "Acme Networks",
        "samples/appliance.cdx.json cyclonedx-json 1.6",
        "4 4 relationships",
        "a" * 64,
    ]


def test_evidence_table_columns() -> None:
    table = parse(FAIL_REPORT).xpath(
        '//article[@id="finding-1"]//h4[.="Evidence"]/following::table[1]'
    )[0]
    headers = [norm(th.text_content()) for th in table.xpath(".//th")]
    assert headers == [
        "Field",
        "Value found",
        "Catalogue alias (kind, match, confidence)",
        "Source",
    ]
    rows = [[norm(td.text_content()) for td in tr.xpath("td")] for tr in table.xpath(".//tbody/tr")]
    assert rows[1] == [
        "name",
        "kav-sdk",
        "KAV SDK engine, normalized match, confirmed",
        "Kaspersky",
    ]


def test_rules_that_decide_are_a_table_and_advisories_a_list() -> None:
    finding = dataclasses.replace(ENGINE_FINDING, rules=(*ENGINE_FINDING.rules, BSI_ADVISORY))
    doc = parse(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    card = doc.xpath('//article[@id="finding-1"]')[0]
    rows = card.xpath('.//table[@class="rules"]//tbody/tr')
    assert [norm(r.xpath("td")[0].text_content()).split()[0] for r in rows] == [
        "US-EL-2024",
        "US-ICTS-2021-002",
    ]
    assert [norm(td.text_content()) for td in rows[1].xpath("td")][1:4] == [
        "integration-updates-resale prohibits integration, resale, licensing, updates",
        "2024-09-29 00:00 (UTC-04:00)",
        "in force error in force since 2024-09-29",
    ]
    advisories = [norm(li.text_content()) for li in card.xpath('.//ul[@class="rules-compact"]/li')]
    assert advisories == [
        "DE-BSI-2022 German BSI warning against Kaspersky anti-virus: warning; warning "
        "(since 2022-03-15). "
        "Source: BSI"
    ]


def test_a_rule_is_named_plainly_with_its_formal_title_under_it() -> None:
    cell = parse(FAIL_REPORT).xpath('//table[@class="rules"]//tbody/tr[2]/td[1]')[0]
    assert norm(cell.text_content()) == (
        "US-ICTS-2021-002 US Commerce ban on Kaspersky software "
        "Commerce ICTS Final Determination: Kaspersky Lab, Inc."
    )


def test_milestones_of_one_rule_share_its_name_and_source() -> None:
    later = dataclasses.replace(
        ICTS_INTEGRATION, milestone="new-agreements", effective="2024-07-20"
    )
    finding = dataclasses.replace(ENGINE_FINDING, rules=(ICTS_INTEGRATION, later))
    doc = parse(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    rows = doc.xpath('//table[@class="rules"]//tbody/tr')
    assert [len(r.xpath("td")) for r in rows] == [5, 3]
    assert rows[0].xpath("td")[0].get("rowspan") == "2"
    assert "new-agreements" in rows[0].text_content()  # the earlier milestone first


def test_rule_outcome_waiver_shows_in_the_status() -> None:
    doc = parse(WARN_REPORT)
    rows = doc.xpath('//article[@id="finding-1"]//table[@class="rules"]//tbody/tr')
    status = norm(rows[0].xpath("td")[3].text_content())
    assert status == "in force warning waived in force since 2024-09-29; waived until 2026-03-01"


def test_path_picture_shows_names_and_versions_refs_on_hover() -> None:
    doc = parse(FAIL_REPORT)
    svgs = doc.xpath('//article[@id="finding-1"]//svg')
    assert len(svgs) == 1
    svg = svgs[0]
    boxes = {g.xpath("title")[0].text_content(): g for g in svg.xpath(".//g")}
    assert set(boxes) == {
        "Acme Gateway 5.1 (ref acme-gateway)",
        "acme/av-module 2.3.0 (ref av-module)",
        "kav-sdk 8.0 (ref kav-sdk)",
        "mail-filter (ref mail-filter)",
    }
    shown = {t: [s.text_content() for s in g.xpath(".//tspan")] for t, g in boxes.items()}
    assert shown["Acme Gateway 5.1 (ref acme-gateway)"] == ["Acme Gateway", "5.1"]
    assert shown["mail-filter (ref mail-filter)"] == ["mail-filter"]
    assert boxes["Acme Gateway 5.1 (ref acme-gateway)"].get("class") == "root"
    assert boxes["kav-sdk 8.0 (ref kav-sdk)"].get("class") == "target"
    # 4 distinct edges across the 2 paths (av-module -> kav-sdk is shared).
    assert len(svg.xpath('.//path[@class="edge"]')) == 4

    def top(title: str) -> int:
        return int(boxes[title].xpath("rect")[0].get("y"))

    assert top("Acme Gateway 5.1 (ref acme-gateway)") < top("mail-filter (ref mail-filter)")
    assert top("mail-filter (ref mail-filter)") < top("acme/av-module 2.3.0 (ref av-module)")
    assert top("acme/av-module 2.3.0 (ref av-module)") < top("kav-sdk 8.0 (ref kav-sdk)")
    # Introduced via names them too; the refs are in the appendix.
    assert "Introduced via acme/av-module 2.3.0, mail-filter: a fix starts there." in norm(
        doc.text_content()
    )
    items = [norm(li.text_content()) for li in doc.xpath('//details//ol[@class="paths-text"]/li')]
    assert items == [
        "acme-gateway\u2192av-module\u2192kav-sdk",
        "acme-gateway\u2192mail-filter\u2192av-module\u2192kav-sdk",
    ]


def test_a_picture_without_names_shows_refs_but_names_the_flagged_component() -> None:
    # A report recorded before path_nodes existed: the boxes show refs; the flagged
    # component's own name comes from the finding.
    finding = dataclasses.replace(ENGINE_FINDING, path_nodes=())
    doc = parse(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    assert sorted(t.text_content() for t in doc.xpath("//svg//g/title")) == [
        "ref acme-gateway",
        "ref av-module",
        "ref kav-sdk",
        "ref mail-filter",
    ]
    comp = dataclasses.replace(ENGINE_FINDING.component, ref="kav-sdk")
    named = dataclasses.replace(finding, component=comp)
    doc = parse(dataclasses.replace(FAIL_REPORT, findings=(named,)))
    assert "kav-sdk 8.0 (ref kav-sdk)" in [t.text_content() for t in doc.xpath("//svg//g/title")]


def test_layout_terminates_on_a_cycle_and_keeps_every_node() -> None:
    plan = layout([("a", "b", "c"), ("a", "c", "b")])
    assert set(plan.positions) == {"a", "b", "c"}
    assert plan.positions["a"][1] < plan.positions["b"][1]
    assert len(plan.edges) == 4


def test_picture_is_capped_but_every_path_is_listed() -> None:
    paths = tuple(("root", f"mid-{i:02d}", "kav") for i in range(MAX_PATHS + 5))
    finding = dataclasses.replace(ENGINE_FINDING, paths=paths, paths_total=len(paths))
    doc = parse(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    assert len(doc.xpath("//svg//g")) == MAX_PATHS + 2
    assert len(doc.xpath('//details//ol[@class="paths-text"]/li')) == MAX_PATHS + 5
    assert f"the first {MAX_PATHS} drawn" in doc.text_content()


def test_label_lines_cut_long_refs() -> None:
    assert label_lines("short") == ["short"]
    long = "pkg:maven/com.example.deeply.nested/artifact-name-that-goes-on@1.2.3-SNAPSHOT"
    lines = label_lines(long)
    assert len(lines) == 2 and all(len(line) <= 28 for line in lines)
    assert lines[1].endswith("\u2026")


def test_no_paths_says_why() -> None:
    finding = dataclasses.replace(ENGINE_FINDING, paths=(), paths_total=0, introduced_via=())
    doc = parse(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    assert doc.xpath("//svg") == []
    assert "No path recorded" in doc.text_content()
    assert doc.xpath('//article[@id="finding-1"]//dl[@class="facts"]')  # facts still shown


def test_timeline_in_date_order_with_as_of() -> None:
    doc = parse(FAIL_REPORT)
    items = [norm(li.text_content()) for li in doc.xpath('//ol[@class="timeline"]/li')]
    assert items[0].startswith("2024-06-24 in force US-EL-2024 listing")
    assert items[1].startswith("2024-09-29 00:00 (UTC-04:00) in force US-ICTS-2021-002")
    assert items[2].startswith("2026-01-15 as of")


def test_timeline_places_upcoming_milestones_after_as_of() -> None:
    upcoming = dataclasses.replace(
        ENTITY_LIST,
        milestone="later",
        effective="2027-01-01",
        status=RuleStatus.UPCOMING,
        severity=Severity.WARNING,
    )
    finding = dataclasses.replace(ENGINE_FINDING, rules=(upcoming, BSI_ADVISORY))
    doc = parse(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    classes = [li.get("class") for li in doc.xpath('//ol[@class="timeline"]/li')]
    assert classes == ["hit hit-warning", "as-of", "hit hit-warning"]


def test_a_clean_timeline_is_grey_context_not_alarms() -> None:
    doc = parse(CLEAN_PASS)
    items = doc.xpath('//ol[@class="timeline"]/li')
    assert [li.get("class") for li in items] == ["context", "as-of", "context"]
    assert [norm(li.text_content()) for li in items][0] == (
        "2024-09-29 00:00 (UTC-04:00) in force US-ICTS-2021-002 integration-updates-resale: "
        "Commerce ICTS Final Determination (no finding)"
    )
    # Nothing on the page is styled as an alarm.
    alarm = "sev-error", "sev-warning", "verdict-fail", "verdict-warn", "hit", "bad"
    for el in doc.iter():
        if isinstance(el.tag, str):
            assert not set((el.get("class") or "").split()) & set(alarm), el.get("class")


def test_a_met_milestone_is_marked_by_its_weight() -> None:
    report = dataclasses.replace(FAIL_REPORT, timeline=(ICTS_TIMELINE, UPCOMING_TIMELINE))
    items = parse(report).xpath('//ol[@class="timeline"]/li')
    assert [li.get("class") for li in items] == ["hit hit-error", "as-of", "context"]


def test_completeness_bars() -> None:
    doc = parse(INDETERMINATE_REPORT)
    section = doc.xpath('//section[@id="completeness"]')[0]
    widths = [s.get("style") for s in section.xpath('.//span[@class="bar"]/span')]
    assert widths == ["width:10.0%", "width:20.0%", "width:0.0%"]
    text = norm(section.text_content())
    assert "Not complete enough to show absence" in text
    assert "90% of components lack a supplier" in text
    # 10% of 4 components is no whole count: no "(0 of 4)" beside it.
    assert "10% of 4" in text and "10% (0 of 4)" not in text and "0% (0 of 4)" in text
    assert "100% (4 of 4)" in norm(parse(FAIL_REPORT).text_content())
    assert "The SBOM lists enough identity data to rely on." in norm(
        parse(FAIL_REPORT).text_content()
    )


def test_waivers_show_approver_expiry_and_state() -> None:
    section = parse(WARN_REPORT).xpath('//section[@id="waivers"]')[0]
    row = [norm(td.text_content()) for td in section.xpath(".//tbody/tr[1]/td")]
    assert row == [
        "waivers.toml #0",
        "name = kav-sdk",
        "replacement scheduled",
        "ciso@example.org",
        "SEC-1234",
        "2026-03-01",
        "applied to 1 finding",
    ]
    expired = dataclasses.replace(WARN_REPORT, waivers=(WaiverUse(waiver=WAIVER, expired=True),))
    unused = dataclasses.replace(WARN_REPORT, waivers=(WaiverUse(waiver=WAIVER),))
    assert "expired on 2026-03-01" in parse(expired).text_content()
    assert "unused: matches no finding" in parse(unused).text_content()


def test_unresolved_references_and_data_versions() -> None:
    doc = parse(INDETERMINATE_REPORT)
    unresolved = norm(doc.xpath('//section[@id="unresolved"]')[0].text_content())
    assert "urn:cdx:4f1c0a4e-0000-4000-8000-000000000001/1" in unresolved
    data = norm(doc.xpath('//section[@id="data"]')[0].text_content())
    assert "0" * 64 in data and "1" * 64 in data
    assert "sbomcheck 0.0.0-test" in data


def test_pass_report_has_no_finding_cards_and_no_appendix() -> None:
    doc = parse(PASS_REPORT)
    assert doc.xpath("//article") == []
    assert norm(doc.xpath('//section[@id="findings"]')[0].text_content()) == "Findings (0) None."
    assert doc.xpath('//section[@id="appendix"]') == []
    assert 'href="#appendix"' not in render(PASS_REPORT)


# --- the appendix ----------------------------------------------------------------------------


def test_rules_that_do_not_apply_go_to_the_appendix() -> None:
    finding = dataclasses.replace(
        ENGINE_FINDING,
        rules=(_not_applicable(id="US-BOD-17-01", milestone="issued"), *ENGINE_FINDING.rules),
    )
    doc = parse(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    card = doc.xpath('//article[@id="finding-1"]')[0]
    assert "US-BOD-17-01" not in card.text_content()
    assert "In the appendix: 1 rule milestone that do not apply here" in norm(card.text_content())
    assert card.xpath('.//a[@href="#appendix-1"]')
    appendix = doc.xpath('//section[@id="appendix"]')[0]
    screen, printed = (
        appendix.xpath("./details"),
        appendix.xpath('./div[@class="appendix-body print-only"]'),
    )
    assert len(screen) == 1 and "open" not in screen[0].attrib and len(printed) == 1
    for copy in (screen[0], printed[0]):
        rows = copy.xpath('.//table[@class="compact"]//tbody/tr')
        assert [norm(r.xpath("td")[0].text_content()).split()[0] for r in rows] == ["US-BOD-17-01"]
    # Only the screen copy carries the anchor, so ids stay unique.
    assert screen[0].xpath('.//*[@id="appendix-1"]') and not printed[0].xpath(".//*[@id]")
    timeline = norm(doc.xpath('//section[@id="timeline"]')[0].text_content())
    assert "US-BOD-17-01" not in timeline
    assert "1 more milestone of the rules data does not apply" in timeline


def test_weak_and_oem_evidence_marked() -> None:
    weak = Evidence(
        field="name",
        value="klav",
        alias="KLAV",
        kind="engine",
        confidence="reported",
        source="",
        weak=True,
        vendor="OEM Vendor",
    )
    finding = dataclasses.replace(ENGINE_FINDING, evidence=(weak,), rules=(_not_applicable(),))
    text = norm(parse(dataclasses.replace(FAIL_REPORT, findings=(finding,))).text_content())
    assert "KLAV (weak alias)" in text
    assert "engine, exact match, reported, vendor OEM Vendor" in text


def test_path_nodes_name_the_boxes_of_a_real_scan() -> None:
    sample = Path(__file__).resolve().parents[2] / "samples" / "sdk-three-levels.spdx.json"
    options = ScanOptions(as_of=AS_OF, catalogue=load_catalogue(), rules=load_rules())
    report = scan([sample], options)
    (finding,) = report.findings
    assert [n.name for n in finding.path_nodes] == [
        "Acme SecureMail Gateway",
        "acme-content-filter",
        "mailscan-av-plugin",
        "kav-sdk",
    ]
    assert finding.path_nodes[-1] == PathNode(
        ref="SPDXRef-kavsdk", name="kav-sdk", version="8.9.3.126"
    )
