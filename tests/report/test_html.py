"""The HTML formatter: golden files, escaping, links, self-containment, the path picture,
and a headless Chromium rendering that must not be blank."""

from __future__ import annotations

import dataclasses
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import lxml.html
import pytest

from sbomcheck.findings import (
    Evidence,
    Report,
    RuleOutcome,
    RuleStatus,
    Severity,
    WaiverUse,
)
from sbomcheck.report import OutputFormat, get_formatter
from sbomcheck.report._common import visible
from sbomcheck.report._svg import MAX_PATHS, escape, label_lines, layout
from sbomcheck.report.html import CSP, HtmlFormatter
from tests.report.fixtures import (
    ALL_REPORTS,
    BSI_ADVISORY,
    ENGINE_FINDING,
    ENTITY_LIST,
    FAIL_REPORT,
    HOSTILE_REPORT,
    HOSTILE_TEXT,
    INDETERMINATE_REPORT,
    PASS_REPORT,
    WAIVER,
    WARN_REPORT,
)
from tests.report.golden import assert_golden

CHROMIUM = "/usr/bin/chromium"


def render(report: Report) -> str:
    return HtmlFormatter().render(report)


def parse(report: Report) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(render(report))


def norm(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", sorted(ALL_REPORTS))
def test_golden(name: str) -> None:
    out = render(ALL_REPORTS[name])
    lxml.html.document_fromstring(out)  # parses before it is recorded
    assert_golden(out, f"{name}.html")


def test_get_formatter_gives_html() -> None:
    assert isinstance(get_formatter(OutputFormat.HTML), HtmlFormatter)


# --- escaping -------------------------------------------------------------------------------


def test_hostile_names_are_text_not_markup() -> None:
    out = render(HOSTILE_REPORT)
    doc = lxml.html.document_fromstring(out)
    assert "<script" not in out.lower()
    assert doc.xpath("//script") == []
    assert doc.xpath("//b") == []  # the version `1.0<b>` stays text
    for el in doc.iter():
        if isinstance(el.tag, str):
            assert not [a for a in el.attrib if a.lower().startswith("on")], el.tag
    shown = visible(HOSTILE_TEXT)
    product_cell = doc.xpath('//section[@id="products"]//tbody/tr/td[1]')[0]
    assert product_cell.text_content() == shown
    evidence_value = doc.xpath(
        '//article[@id="finding-1"]//h4[.="Evidence"]/following::table[1]//tbody/tr/td[2]'
    )[0]
    assert evidence_value.text_content() == shown
    assert "samples/<evil>.json" in doc.text_content()
    assert "1.0<b>" in doc.text_content()
    # The SVG label text and its tooltip are escaped too.
    svg_titles = [t.text_content() for t in doc.xpath("//svg//g/title")]
    assert svg_titles == [shown]


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


# --- links and self-containment -------------------------------------------------------------


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
    doc = lxml.html.document_fromstring(render(report))
    external = sorted({a.get("href") for a in doc.xpath("//a[@href]")} - {None})
    external = [h for h in external if not h.startswith("#")]
    allowed = {ENGINE_FINDING.evidence[1].source, *(o.source for o in ENGINE_FINDING.rules)}
    assert set(external) == allowed
    # The refused source is still shown, as text.
    assert "javascript:alert(1)" in doc.text_content()
    assert "https://evil.example/purl" in doc.text_content()


def test_internal_anchors_resolve() -> None:
    doc = parse(FAIL_REPORT)
    ids = set(doc.xpath("//@id"))
    anchors = [h[1:] for h in doc.xpath("//a/@href") if h.startswith("#")]
    assert anchors and set(anchors) <= ids
    markers = list(doc.xpath("//@marker-end"))
    assert markers and all(m[5:-1] in ids for m in markers)  # url(#...)


@pytest.mark.parametrize("name", sorted(ALL_REPORTS))
def test_self_contained_with_strict_csp(name: str) -> None:
    out = render(ALL_REPORTS[name])
    doc = lxml.html.document_fromstring(out)
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


def test_print_css_breaks_pages_between_findings_and_prints_black_on_white() -> None:
    style = parse(FAIL_REPORT).xpath("//style")[0].text_content()
    printing = style[style.index("@media print") :]
    assert ".finding { break-before: page;" in printing
    assert "color: #000; background: #fff;" in printing


# --- content ---------------------------------------------------------------------------------


def test_verdict_and_reasons_come_first() -> None:
    doc = parse(FAIL_REPORT)
    first = doc.xpath("//main/section")[0]
    assert first.get("id") == "verdict"
    assert "verdict-fail" in first.get("class")
    assert norm(first.xpath(".//div")[0].text_content()) == "FAIL"
    assert [norm(li.text_content()) for li in first.xpath(".//li")] == list(
        FAIL_REPORT.verdict_reasons
    )


def test_products_list_vendor() -> None:
    cells = parse(FAIL_REPORT).xpath('//section[@id="products"]//tbody/tr/td')
    assert [norm(c.text_content()) for c in cells[:4]] == [
        "acme-gateway@5.1",
        "Acme Networks",
        "acme-gateway",
        "samples/appliance.cdx.json",
    ]


def test_evidence_table_columns() -> None:
    table = parse(FAIL_REPORT).xpath(
        '//article[@id="finding-1"]//h4[.="Evidence"]/following::table[1]'
    )[0]
    headers = [norm(th.text_content()) for th in table.xpath(".//th")]
    assert headers == ["Field", "Value found", "Alias", "Kind", "Match", "Confidence", "Source"]
    rows = [[norm(td.text_content()) for td in tr.xpath("td")] for tr in table.xpath(".//tbody/tr")]
    assert rows[1] == [
        "name",
        "kav-sdk",
        "KAV SDK",
        "engine",
        "normalized",
        "confirmed",
        "https://support.kaspersky.com/ScanEngine/1.0/en-US/all-in-one.htm",
    ]


def test_path_picture_merges_paths_into_one_dag() -> None:
    doc = parse(FAIL_REPORT)
    svgs = doc.xpath('//article[@id="finding-1"]//svg')
    assert len(svgs) == 1
    svg = svgs[0]
    nodes = {norm(g.xpath("title")[0].text_content()): g for g in svg.xpath(".//g")}
    assert set(nodes) == {"acme-gateway", "mail-filter", "av-module", "kav-sdk"}
    assert nodes["acme-gateway"].get("class") == "root"
    assert nodes["kav-sdk"].get("class") == "target"
    # 4 distinct edges across the 2 paths (av-module -> kav-sdk is shared).
    assert len(svg.xpath('.//path[@class="edge"]')) == 4

    def top(name: str) -> int:
        return int(nodes[name].xpath("rect")[0].get("y"))

    assert top("acme-gateway") < top("mail-filter") < top("av-module") < top("kav-sdk")
    items = [norm(li.text_content()) for li in doc.xpath('//ol[@class="paths-text"]/li')]
    assert items == [
        "acme-gateway\u2192av-module\u2192kav-sdk",
        "acme-gateway\u2192mail-filter\u2192av-module\u2192kav-sdk",
    ]
    assert "Introduced via: av-module, mail-filter" in norm(doc.text_content())


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
    assert len(doc.xpath('//ol[@class="paths-text"]/li')) == MAX_PATHS + 5


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


def test_timeline_in_date_order_with_as_of() -> None:
    doc = parse(FAIL_REPORT)
    items = [norm(li.text_content()) for li in doc.xpath('//ol[@class="timeline"]/li')]
    assert items[0].startswith("2024-06-24 in-force US-EL-2024 listing")
    assert items[1].startswith("2024-09-29 00:00 (UTC-04:00) in-force US-ICTS-2021-002")
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
    assert classes == ["st-in-force", "as-of", "st-upcoming"]


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


def test_pass_report_has_no_findings_section_content() -> None:
    doc = parse(PASS_REPORT)
    assert doc.xpath("//article") == []
    assert "No component was identified" in doc.text_content()


def test_rule_outcome_waiver_cell() -> None:
    doc = parse(WARN_REPORT)
    rows = doc.xpath('//article[@id="finding-1"]//h4[.="Rules"]/following::table[1]//tbody/tr')
    cells = [[norm(td.text_content()) for td in row.xpath("td")] for row in rows]
    # Same severity (warning), both in force: the older milestone first.
    assert [c[0].split()[0] for c in cells] == ["DE-BSI-2022", "US-ICTS-2021-002"]
    assert cells[1][6] == "waiver 0 (applied), ciso@example.org, until 2026-03-01"


def test_not_applicable_rules_are_apart_and_out_of_the_timeline() -> None:
    finding = dataclasses.replace(
        ENGINE_FINDING,
        rules=(
            dataclasses.replace(_not_applicable(), id="US-BOD-17-01", milestone="issued"),
            *ENGINE_FINDING.rules,
        ),
    )
    doc = parse(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    article = doc.xpath('//article[@id="finding-1"]')[0]
    main_rows = article.xpath('.//h4[.="Rules"]/following::table[1]//tbody/tr')
    assert [norm(r.xpath("td")[0].text_content()).split()[0] for r in main_rows] == [
        "US-EL-2024",
        "US-ICTS-2021-002",
    ]
    other = article.xpath('.//table[@class="compact"]//tbody/tr')
    assert [norm(r.xpath("td")[0].text_content()).split()[0] for r in other] == ["US-BOD-17-01"]
    assert "Rules that do not apply here (1)" in article.text_content()
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
    assert "engine vendor OEM Vendor" in text


def _not_applicable() -> RuleOutcome:
    return dataclasses.replace(
        ENTITY_LIST, status=RuleStatus.NOT_APPLICABLE, severity=Severity.NONE, reason="x"
    )


# --- headless Chromium --------------------------------------------------------------------


def _png_pixels(data: bytes, max_rows: int) -> tuple[int, int, list[bytes]]:
    """Width, height and the first `max_rows` rows of RGB bytes of an 8-bit non-interlaced
    PNG, decoded with the stdlib only (no Pillow dependency for one test)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(min(height, max_rows)):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line) if bpp == 3 else bytes(v for j, v in enumerate(line) if j % 4 != 3))
        prev = line
    return width, height, rows


def test_chromium_renders_a_non_blank_page(tmp_path: Path) -> None:
    chromium = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not chromium:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    page = tmp_path / "report.html"
    page.write_text(render(FAIL_REPORT), encoding="utf-8")
    shot = tmp_path / "shot.png"
    cmd = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--screenshot={shot}",
        "--window-size=1200,1600",
        page.as_uri(),
    ]
    try:
        subprocess.run(cmd, capture_output=True, timeout=90, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail("chromium did not finish within 90 s")
    assert shot.exists(), "chromium wrote no screenshot"
    # The top 500 rows hold the header, the verdict banner and the products table.
    width, height, rows = _png_pixels(shot.read_bytes(), max_rows=500)
    assert (width, height) == (1200, 1600)
    # Sample every 4th pixel of every 4th row: enough to tell a page from a blank one.
    colours: set[bytes] = set()
    non_white = total = 0
    for row in rows[::4]:
        for x in range(0, width * 3, 12):
            px = row[x : x + 3]
            colours.add(px)
            total += 1
            non_white += px != b"\xff\xff\xff"
    assert len(colours) > 50, len(colours)
    assert non_white / total > 0.05, non_white / total
    # The FAIL banner is drawn: a good share of pixels is the verdict red (#b00020).
    red = sum(
        1 for row in rows[::4] for x in range(0, width * 3, 12) if row[x : x + 3] == b"\xb0\x00\x20"
    )
    assert red / total > 0.01, red / total


def test_a_clean_report_still_shows_the_rules_timeline_of_its_profile() -> None:
    import dataclasses

    from sbomcheck.findings import RuleStatus, Severity, TimelineEntry

    entry = TimelineEntry(
        id="US-ICTS-2021-002",
        title="Commerce ICTS Final Determination",
        milestone="integration-updates-resale",
        effective="2024-09-29T00:00:00-04:00",
        status=RuleStatus.IN_FORCE,
        severity=Severity.ERROR,
        reason="in force since 2024-09-29",
        source="https://example.org/icts",
    )
    page = HtmlFormatter().render(dataclasses.replace(PASS_REPORT, timeline=(entry,)))
    section = page[page.index('<section id="timeline">') :]
    assert "integration-updates-resale" in section and "(no finding)" in section
    assert "No milestone applies" not in section
