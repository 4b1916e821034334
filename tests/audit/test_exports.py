"""`audit --format sarif|junit|csv` and several outputs from one audit run.

A batch of four inputs (a failing product, a clean one, one a resumed run's ledger recorded,
an unreadable file): every output is validated (SARIF against the official schema, JUnit
against the Jenkins xunit XSD, CSV parsed back strictly) before it is compared with its
golden file, and each must show every SBOM of the batch.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sbomcheck.audit.exports import AUDIT_CSV_COLUMNS, product_report
from sbomcheck.audit.ledger import Ledger
from sbomcheck.audit.render import render
from sbomcheck.audit.runner import (
    AuditOptions,
    AuditResult,
    ProductAudit,
    RecordedProduct,
    run_audit,
)
from sbomcheck.cli import main
from sbomcheck.findings import Report
from sbomcheck.ingest.sources import InputFailure
from sbomcheck.report._stored import report_from_dict
from sbomcheck.report.sarif import artifact_uri
from tests.report.fixtures import ALL_REPORTS, FAIL_REPORT, PASS_REPORT, WARN_REPORT
from tests.report.golden import assert_golden
from tests.report.test_csv import parse_csv
from tests.report.test_junit import assert_xunit_valid
from tests.report.test_sarif import assert_valid_sarif

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import generate

AS_OF = "2026-01-15"


def _at(report: Report, path: str) -> Report:
    """`report` as if read from `path`."""
    findings = tuple(
        dataclasses.replace(f, component=dataclasses.replace(f.component, document=path))
        for f in report.findings
    )
    documents = tuple(dataclasses.replace(d, path=path) for d in report.documents)
    return dataclasses.replace(report, documents=documents, findings=findings)


FAILING = _at(FAIL_REPORT, "vendor/gateway.cdx.json")
CLEAN = _at(PASS_REPORT, "vendor/clean.spdx.json")
RECORDED = _at(WARN_REPORT, "vendor/earlier.cdx.json")
BROKEN = InputFailure(
    path="vendor/broken [1].cdx.json",
    message="vendor/broken [1].cdx.json: line 1 column 42: invalid JSON: unexpected end of data",
)
RESULT = AuditResult(
    products=(
        ProductAudit(key="a" * 64, report=FAILING),
        ProductAudit(key="b" * 64, report=CLEAN),
        RecordedProduct(key="c" * 64, report=RECORDED.to_dict()),
    ),
    failures=(BROKEN,),
)
SBOMS = ("vendor/gateway.cdx.json", "vendor/clean.spdx.json", "vendor/earlier.cdx.json")


def _render(fmt: str, result: AuditResult = RESULT) -> str:
    return render(result, fmt, as_of=AS_OF, profile="vendor")


# --- golden, valid -------------------------------------------------------------------------


def test_sarif_golden_valid_against_the_official_schema() -> None:
    out = _render("sarif")
    assert_valid_sarif(json.loads(out))
    assert_golden(out, "audit-batch-exports.sarif")


def test_junit_golden_valid_against_the_jenkins_xunit_schema() -> None:
    out = _render("junit")
    assert_xunit_valid(out)
    assert_golden(out, "audit-batch-exports.xml")


def test_csv_golden_parses_strictly() -> None:
    out = _render("csv")
    parse_csv(out, AUDIT_CSV_COLUMNS)
    assert_golden(out, "audit-batch-exports.csv")


# --- what each shows -------------------------------------------------------------------------


def test_csv_shows_every_sbom_with_its_verdict() -> None:
    rows = parse_csv(_render("csv"), AUDIT_CSV_COLUMNS)
    assert {r["product"] for r in rows} == {*SBOMS, BROKEN.path}
    failing = [r for r in rows if r["product"] == SBOMS[0]]
    assert [r["rule"] for r in failing] == ["US-EL-2024", "US-ICTS-2021-002"]
    assert {r["verdict"] for r in failing} == {"fail"}
    (clean,) = [r for r in rows if r["product"] == SBOMS[1]]
    assert clean == {
        **dict.fromkeys(AUDIT_CSV_COLUMNS, ""),
        "sbom": SBOMS[1],
        "verdict": "pass",
        "note": PASS_REPORT.verdict_reasons[0],
        "product": SBOMS[1],
    }
    (broken,) = [r for r in rows if r["product"] == BROKEN.path]
    assert (broken["sbom"], broken["verdict"], broken["note"]) == (
        BROKEN.path,
        "unreadable",
        BROKEN.message,
    )
    # Column for column what `scan --format csv` writes for the same report, plus `product`.
    recorded = [r for r in rows if r["product"] == SBOMS[2]]
    scanned = parse_csv(render_scan_csv(RECORDED))
    assert [{k: v for k, v in r.items() if k != "product"} for r in recorded] == scanned


def render_scan_csv(report: Report) -> str:
    from sbomcheck.report.csv import CsvFormatter

    return CsvFormatter().render(report)


def test_sarif_is_one_run_with_each_result_in_its_sbom() -> None:
    log = json.loads(_render("sarif"))
    (run,) = log["runs"]
    located = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }
    assert located == {artifact_uri(SBOMS[0])[0], artifact_uri(SBOMS[2])[0]}
    assert [a["location"]["uri"] for a in run["artifacts"]] == [artifact_uri(p)[0] for p in SBOMS]
    props = run["properties"]
    assert [(p["sbom"], p["verdict"]) for p in props["products"]] == [
        (SBOMS[0], "fail"),
        (SBOMS[1], "pass"),
        (SBOMS[2], "warn"),
    ]
    assert props["verdict"] == "fail"  # the worst product's
    assert "completeness" not in props and "verdictReasons" not in props
    (notification,) = run["invocations"][0]["toolExecutionNotifications"]
    assert notification["level"] == "error"
    location = notification["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"] == artifact_uri(BROKEN.path)[0]
    # Brackets from the input are escaped: SARIF reads `[text](n)` in plain text as a link.
    assert "broken \\[1\\].cdx.json" in notification["message"]["text"]


def test_sarif_results_are_those_of_each_products_scan() -> None:
    log = json.loads(_render("sarif"))
    from sbomcheck.report.sarif import SarifFormatter

    alone = [
        json.loads(SarifFormatter().render(r))["runs"][0]["results"] for r in (FAILING, RECORDED)
    ]
    (run,) = log["runs"]
    # The same results, each pointing at its rule in the run's one list of rules.
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert len(rules) == len(set(rules))
    for result in run["results"]:
        assert rules[result.pop("ruleIndex")] == result["ruleId"]
    for result in [*alone[0], *alone[1]]:
        del result["ruleIndex"]
    assert run["results"] == [*alone[0], *alone[1]]


def test_junit_has_a_suite_per_sbom_and_an_error_per_unreadable_input() -> None:
    root = ET.fromstring(_render("junit"))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [*SBOMS, BROKEN.path]
    verdicts = [
        next(p.get("value") for p in s.iter("property") if p.get("name") == "verdict")
        for s in suites
    ]
    assert verdicts == ["fail", "pass", "warn", "unreadable"]
    (case,) = suites[3].findall("testcase")
    error = case.find("error")
    assert error is not None and case.get("name") == "read"
    assert (error.text or "").startswith(error.get("message") or "?")
    # Cases: 2 rules of the failing SBOM (both fail), 1 clean, 2 of the waived one, 1 read.
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("6", "2", "1")
    for suite in suites:
        cases = suite.findall("testcase")
        assert suite.get("tests") == str(len(cases))
        assert suite.get("errors") == str(sum(c.find("error") is not None for c in cases))


def test_a_recorded_product_renders_as_the_decided_one() -> None:
    decided = dataclasses.replace(
        RESULT, products=(*RESULT.products[:2], ProductAudit(key="c" * 64, report=RECORDED))
    )
    for fmt in ("junit", "csv"):
        assert _render(fmt, decided) == _render(fmt), fmt
    recorded, now = json.loads(_render("sarif")), json.loads(_render("sarif", decided))
    # Only the count of products recorded by an earlier attempt differs.
    assert recorded["runs"][0]["properties"]["summary"].pop("resumed") == 1
    assert now["runs"][0]["properties"]["summary"].pop("resumed") == 0
    assert recorded == now


@pytest.mark.parametrize("name", sorted(ALL_REPORTS))
def test_stored_reports_round_trip(name: str) -> None:
    report = ALL_REPORTS[name]
    assert report_from_dict(report.to_dict()) == report
    product = RecordedProduct(key="k", report=report.to_dict())
    assert product_report(product) == report


def test_an_empty_batch_is_still_valid() -> None:
    empty = AuditResult(products=(), failures=(BROKEN,))
    assert_valid_sarif(json.loads(_render("sarif", empty)))
    assert_xunit_valid(_render("junit", empty))
    assert len(parse_csv(_render("csv", empty), AUDIT_CSV_COLUMNS)) == 1


# --- end to end: one run, several outputs ---------------------------------------------------


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    root = tmp_path / "vendor-sboms"
    generate("cyclonedx-json", 120, root / "alpha.cdx.json", kaspersky=1)
    generate("spdx-json", 120, root / "gamma.spdx.json", kaspersky=0)
    (root / "broken.cdx.json").write_text('{"bomFormat": "CycloneDX", "components": [')
    return root


def _options() -> AuditOptions:
    from sbomcheck.identify import load_catalogue
    from sbomcheck.policy import load_rules
    from sbomcheck.scan import ScanOptions

    scan = ScanOptions(
        as_of=dt.date(2026, 1, 15), profile="vendor", catalogue=load_catalogue(), rules=load_rules()
    )
    return AuditOptions(scan=scan, jobs=1)


def test_one_audit_run_writes_every_output(
    batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    argv = ["audit", str(batch), "--as-of", AS_OF, "--jobs", "1", "-o", str(out / "a.txt")]
    argv += [f"--output={fmt}={out / ('a.' + fmt)}" for fmt in ("sarif", "junit", "csv", "json")]
    argv += ["--db", str(tmp_path / "l.db")]
    assert main(argv) == 1
    assert capsys.readouterr().out == ""
    assert_valid_sarif(json.loads((out / "a.sarif").read_text()))
    assert_xunit_valid((out / "a.junit").read_text())
    rows = parse_csv((out / "a.csv").read_bytes().decode(), AUDIT_CSV_COLUMNS)
    assert {Path(r["sbom"]).name for r in rows} == {
        "alpha.cdx.json",
        "gamma.spdx.json",
        "broken.cdx.json",
    }
    data = json.loads((out / "a.json").read_text())
    assert data["summary"]["products"] == 2
    assert (out / "a.txt").read_text().startswith("sbomcheck audit, as of 2026-01-15")
    # One run: one run in the ledger.
    with Ledger(tmp_path / "l.db", readonly=True) as ledger:
        assert len({r.run_id for r in ledger.history()}) == 1


def test_a_resumed_run_exports_what_the_whole_run_decided(batch: Path, tmp_path: Path) -> None:
    with Ledger(tmp_path / "l.db") as ledger:
        first = run_audit([batch], _options(), ledger=ledger, recorded_at="t1")
        ledger._conn.execute("DELETE FROM audit_documents WHERE audit_id > 1")
        ledger._conn.execute("DELETE FROM audits WHERE id > 1")
        ledger._conn.execute("UPDATE runs SET finished_at = NULL")
        resumed = run_audit([batch], _options(), ledger=ledger, recorded_at="t2", resume=True)
    assert resumed.resumed == 1
    for fmt in ("csv", "junit"):
        lines = sorted(_render(fmt, first).splitlines())
        assert sorted(_render(fmt, resumed).splitlines()) == lines, fmt
    results = json.loads(_render("sarif", resumed))["runs"][0]["results"]
    assert sorted(map(json.dumps, results)) == sorted(
        map(json.dumps, json.loads(_render("sarif", first))["runs"][0]["results"])
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--format", "json", "--output", "csv=-"], "2 outputs to standard output (json, csv)"),
        (["--output", "csv=x.csv", "--output", "sarif=x.csv"], "x.csv is named twice"),
        (["--output", "xml=x.xml"], "'xml' in 'xml=x.xml' is not a format of this command"),
        (["-o", "{db}"], "is an input of this command"),
        (["--output", "csv={db}"], "--output csv={db}: is an input of this command"),
    ],
)
def test_output_usage_errors_leave_nothing_behind(
    batch: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "l.db"
    with Ledger(db):
        pass
    before = db.read_bytes()
    argv = ["audit", str(batch), "--jobs", "1", "--db", str(db)]
    argv += [e.format(db=db) for e in extra]
    try:
        code = main(argv)
    except SystemExit as exit_info:  # argparse's own usage errors
        code = int(str(exit_info.code))
    assert code == 2
    assert message.format(db=db) in capsys.readouterr().err
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["l.db", "vendor-sboms"]
