"""The batch reports: `audit` and `recheck` in every format, HTML in the design `scan` uses.

Built from the report stage's hand-made fixtures, so every value's origin is visible; golden
files record each format (regenerate with SBOMCHECK_UPDATE_GOLDEN=1 and review).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import lxml.html
import pytest

from sbomcheck.audit.html import render_audit_html
from sbomcheck.audit.recheck import Change, RecheckResult
from sbomcheck.audit.recheck_render import RENDERERS as RECHECK_RENDERERS
from sbomcheck.audit.recheck_render import render_recheck
from sbomcheck.audit.render import RENDERERS, render
from sbomcheck.audit.runner import AuditResult, ProductAudit, RecordedProduct
from sbomcheck.cli import main
from sbomcheck.findings import DocumentSummary, RuleStatus, Severity, TimelineEntry
from sbomcheck.ingest.sources import InputFailure
from sbomcheck.json_form import json_form
from sbomcheck.report._html import CSS, finding_card
from sbomcheck.report.html import HtmlFormatter
from tests.audit.test_render_hostile import assert_valid
from tests.report.fixtures import (
    DOC_PRODUCT,
    ENGINE_FINDING,
    FAIL_REPORT,
    HOSTILE_TEXT,
    PASS_REPORT,
    WARN_REPORT,
)
from tests.report.golden import assert_golden
from tests.safe_output import RAW_UNSAFE, command_formats, csv_records

AS_OF = "2026-01-15"
PASS_SENTENCE = (
    "No Kaspersky technology was found, and the SBOMs are complete enough to show its absence."
)
TIMELINE = (
    TimelineEntry(
        id="US-ICTS-2021-002",
        title="Commerce ICTS Final Determination",
        milestone="integration-updates-resale",
        effective="2024-09-29T00:00:00-04:00",
        status=RuleStatus.IN_FORCE,
        severity=Severity.ERROR,
        reason="in force since 2024-09-29",
        source="https://example.org/icts",
    ),
)
VENDOR_DOC = DocumentSummary(
    path="vendors/other/gateway.spdx.json",
    format="spdx-json",
    spec_version="2.3",
    sha256="c" * 64,
    components=3,
    product="other-gateway@1.0",
    supplier="Other Vendor",
)
LINKED_DOC = dataclasses.replace(VENDOR_DOC, path="vendors/other/engine.cdx.json", sha256="d" * 64)

FAIL = dataclasses.replace(FAIL_REPORT, timeline=TIMELINE)
PASS = dataclasses.replace(
    PASS_REPORT,
    verdict_reasons=(PASS_SENTENCE,),
    timeline=TIMELINE,
    documents=(dataclasses.replace(DOC_PRODUCT, path="samples/clean.cdx.json", supplier=None),),
)
RECORDED = dataclasses.replace(WARN_REPORT, timeline=TIMELINE, documents=(VENDOR_DOC, LINKED_DOC))
RESULT = AuditResult(
    products=(
        ProductAudit(key="1" * 64, report=FAIL),
        ProductAudit(key="2" * 64, report=PASS),
        RecordedProduct(key="3" * 64, report=RECORDED.to_dict()),
    ),
    failures=(InputFailure(path="vendors/broken.cdx.json", message="line 3: invalid JSON"),),
)
CHANGED = Change(
    product="acme-gateway@5.1",
    path="samples/appliance.cdx.json",
    sha256="a" * 64,
    profile="vendor",
    previous_audit=4,
    previous_as_of="2024-01-15",
    previous_verdict="warn",
    verdict="fail",
    status_changes=(
        "kav-sdk@8.0 (Kaspersky Anti-Virus SDK (KAV SDK)): US-ICTS-2021-002 "
        "integration-updates-resale upcoming -> in-force",
    ),
    data_changes=("date 2024-01-15 -> 2026-01-15",),
    report=FAIL,
)
SAME = Change(
    product="acme-upload-scanner@1.8.0",
    path="samples/clean.cdx.json",
    sha256="e" * 64,
    profile="vendor",
    previous_audit=5,
    previous_as_of="2024-01-15",
    previous_verdict="pass",
    verdict="pass",
    report=PASS,
)
RECHECK = RecheckResult(run_id=7, changes=(CHANGED, SAME))
_SUFFIX = {"text": "txt", "json": "json", "markdown": "md", "html": "html"}
_AUDIT_SUFFIX = {**_SUFFIX, "sarif": "sarif", "junit": "xml", "csv": "csv"}


def parse(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


def norm(text: str) -> str:
    return " ".join(text.split())


# --- audit -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", command_formats("audit"))
def test_audit_golden(fmt: str) -> None:
    out = render(RESULT, fmt, as_of=AS_OF, profile="vendor")
    assert_valid(fmt, out)
    assert RAW_UNSAFE.findall(csv_records(out) if fmt == "csv" else out) == []
    assert_golden(out, f"audit-batch.{_AUDIT_SUFFIX[fmt]}")


def test_every_audit_format_has_one_renderer() -> None:
    assert sorted(RENDERERS) == sorted(command_formats("audit"))


def test_audit_html_shares_the_scan_report_s_design() -> None:
    audit = parse(render_audit_html(RESULT, as_of=AS_OF, profile="vendor"))
    scan = parse(HtmlFormatter().render(FAIL))
    # One stylesheet, one banner, the same finding card (ids aside) and picture.
    assert (
        audit.xpath("//style")[0].text_content() == CSS == scan.xpath("//style")[0].text_content()
    )
    assert audit.xpath('//section[@id="verdict"]/@class') == ["verdict verdict-fail"]
    card = lxml.html.tostring(audit.xpath('//article[@id="p1-finding-1"]')[0], encoding="unicode")
    expected = finding_card(
        ENGINE_FINDING, number=1, anchor="p1-finding-1", appendix="p1-appendix-1"
    )
    assert norm(lxml.html.fragment_fromstring(expected).text_content()) == norm(
        lxml.html.fragment_fromstring(card).text_content()
    )
    for doc in (audit, scan):
        assert doc.xpath("//svg[@class='paths']")
        assert doc.xpath("//ol[@class='timeline']")
        assert doc.xpath("//section[@id='appendix']/details")
        assert doc.xpath("//a[@title][text()='Justia, 2024-06-24']")


def test_audit_html_lists_every_sbom_and_keeps_its_column() -> None:
    doc = parse(render_audit_html(RESULT, as_of=AS_OF, profile="vendor"))
    table = doc.xpath('//section[@id="sboms"]//table')[0]
    assert [norm(th.text_content()) for th in table.xpath(".//th")] == [
        "Verdict",
        "Findings",
        "Product",
        "Supplier",
        "SBOM",
    ]
    widths = [c.get("style") for c in table.xpath("./colgroup/col")]
    assert widths[-1] == "width:35%"
    rows = [[norm(td.text_content()) for td in tr.xpath("td")] for tr in table.xpath(".//tbody/tr")]
    assert rows == [
        ["FAIL", "1", "acme-gateway@5.1", "Acme Networks", "samples/appliance.cdx.json"],
        ["PASS", "0", "acme-gateway@5.1", "-", "samples/clean.cdx.json"],
        [
            "WARN recorded earlier in this run",
            "1",
            "other-gateway@1.0",
            "Other Vendor",
            "vendors/other/gateway.spdx.json + vendors/other/engine.cdx.json",
        ],
    ]
    assert table.xpath(".//a/@href") == ["#p1", "#p2", "#p3"]
    cells = doc.xpath('//section[@id="unreadable"]//tbody/tr/td')
    assert [c.text_content() for c in cells] == ["vendors/broken.cdx.json", "line 3: invalid JSON"]


def test_audit_html_has_a_section_per_vendor_with_cards_even_for_recorded_products() -> None:
    doc = parse(render_audit_html(RESULT, as_of=AS_OF, profile="vendor"))
    vendors = [norm(h.text_content()) for h in doc.xpath('//section[@class="vendor"]/h2')]
    assert vendors == [
        "Vendor: (supplier not stated) (1 product)",
        "Vendor: Acme Networks (1 product)",
        "Vendor: Other Vendor (1 product)",
    ]
    # The product recorded by an earlier attempt (JSON only) gets the same card.
    assert doc.xpath('//section[@id="p3"]//article[@id="p3-finding-1"]//svg')
    assert doc.xpath('//section[@id="p3"]//*[text()="waived"]')
    ids = list(doc.xpath("//@id"))
    assert len(ids) == len(set(ids))
    assert {h[1:] for h in doc.xpath("//a/@href") if h.startswith("#")} <= set(ids)


def test_audit_banner_names_products_and_a_pass_says_it_once() -> None:
    doc = parse(render_audit_html(RESULT, as_of=AS_OF, profile="vendor"))
    banner = norm(doc.xpath('//section[@id="verdict"]')[0].text_content())
    assert banner == (
        "FAIL At least one product breaks a rule in force that is not waived. 3 products from "
        "4 SBOMs: 1 pass, 1 warn, 1 fail; 2 findings; 1 unreadable input. 1 product recorded "
        "earlier in this resumed run. Fail (1): acme-gateway@5.1. Warn (1): other-gateway@1.0."
    )
    only_pass = AuditResult(products=(ProductAudit(key="2" * 64, report=PASS),))
    text = norm(parse(render_audit_html(only_pass, as_of=AS_OF, profile="vendor")).text_content())
    assert text.count("No Kaspersky technology was found") == 1
    assert "verdict-pass" in render_audit_html(only_pass, as_of=AS_OF, profile="vendor")


def test_audit_hostile_names_stay_text() -> None:
    hostile = dataclasses.replace(
        FAIL,
        documents=(dataclasses.replace(DOC_PRODUCT, product=HOSTILE_TEXT, supplier=HOSTILE_TEXT),),
    )
    out = render_audit_html(
        AuditResult(products=(ProductAudit(key="k" * 64, report=hostile),)),
        as_of=AS_OF,
        profile="vendor",
    )
    assert RAW_UNSAFE.findall(out) == []
    doc = parse(out)
    assert doc.xpath("//script") == []
    assert HOSTILE_TEXT.split("\n")[0] in doc.text_content()


# --- recheck ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", command_formats("recheck"))
def test_recheck_golden(fmt: str) -> None:
    out = render_recheck(RECHECK, fmt, as_of=AS_OF, profile=None)
    assert RAW_UNSAFE.findall(out) == []
    assert_golden(out, f"recheck.{_SUFFIX[fmt]}")


def test_every_recheck_format_has_one_renderer() -> None:
    assert sorted(RECHECK_RENDERERS) == sorted(command_formats("recheck")) == sorted(_SUFFIX)


def test_recheck_json_is_the_changes_and_leaves_the_report_out() -> None:
    data = json.loads(render_recheck(RECHECK, "json", as_of=AS_OF, profile="procurement"))
    assert data["profile"] == "procurement" and data["changed"] == 1
    assert data["products"][0] == json_form(CHANGED)
    assert "report" not in data["products"][0]


def test_recheck_html_shows_what_changed_with_the_cards_of_changed_products() -> None:
    doc = parse(render_recheck(RECHECK, "html", as_of=AS_OF, profile=None))
    rows = doc.xpath('//section[@id="products"]//tbody/tr')
    assert [norm(td.text_content()) for td in rows[0].xpath("td")] == [
        "acme-gateway@5.1",
        "samples/appliance.cdx.json",
        "WARN audit 4, as of 2024-01-15",
        "FAIL",
        "verdict WARN to FAIL; 1 rule status moved",
    ]
    assert norm(rows[1].xpath("td")[4].text_content()) == "nothing"
    changes = doc.xpath('//section[@id="changes"]')[0]
    assert changes.xpath('.//section[@id="c1"]//article[@id="c1-finding-1"]')
    assert not changes.xpath('.//section[@id="c2"]')  # unchanged: only its row
    assert "upcoming -> in-force" in changes.text_content()
    banner = norm(doc.xpath('//section[@id="verdict"]')[0].text_content())
    assert "1 of 2 products changed since their last audit." in banner
    assert "acme-gateway@5.1: WARN (as of 2024-01-15) to FAIL." in banner


def test_recheck_markdown_rows_and_changes() -> None:
    out = render_recheck(RECHECK, "markdown", as_of=AS_OF, profile=None)
    assert out.splitlines()[0] == "## sbomcheck recheck: 1 of 2 products changed"
    assert "| **FAIL** | WARN (as of 2024-01-15) | acme-gateway\\@5\\.1 |" in out
    assert "- Verdict: WARN to **FAIL**" in out


def test_recheck_cli_writes_each_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sample = Path(__file__).resolve().parents[2] / "samples" / "sdk-three-levels.spdx.json"
    db = tmp_path / "ledger.db"
    assert (
        main(["audit", str(sample), "--db", str(db), "--jobs", "1", "--as-of", "2024-01-15"]) == 0
    )
    capsys.readouterr()
    for fmt in ("html", "markdown", "json", "text"):
        out = tmp_path / f"recheck.{fmt}"
        code = main(["recheck", "--db", str(db), "--as-of", AS_OF, "--format", fmt, "-o", str(out)])
        assert code == 1, fmt  # the product now fails
        text = out.read_text(encoding="utf-8")
        assert "Acme SecureMail Gateway@4.2.0" in text.replace("\\", ""), fmt
    html = (tmp_path / "recheck.html").read_text(encoding="utf-8")
    assert "verdict verdict-fail" in html and "kav-sdk" in html
