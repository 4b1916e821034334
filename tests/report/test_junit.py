"""The JUnit formatter: structure GitLab and Jenkins read, counts, hostile names, golden.

Every output is validated against the Jenkins xunit plugin's own JUnit schema (vendored in
tests/assets/clients/) before anything else is asserted: that plugin rejects the whole file
for one attribute its schema does not allow.
"""

from __future__ import annotations

import dataclasses
import functools
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from lxml import etree

from sbomcheck.findings import DocumentSummary, Report, RuleStatus, Severity
from sbomcheck.report import OutputFormat, get_formatter
from sbomcheck.report._common import visible
from sbomcheck.report.junit import JunitFormatter
from tests.report.fixtures import (
    ALL_REPORTS,
    BSI_ADVISORY,
    DOC_PRODUCT,
    ENGINE_FINDING,
    FAIL_REPORT,
    HOSTILE_REPORT,
    HOSTILE_TEXT,
    INDETERMINATE_REPORT,
    PASS_REPORT,
    WARN_REPORT,
)
from tests.report.golden import assert_golden

XUNIT_XSD = (
    Path(__file__).resolve().parents[1] / "assets" / "clients" / "jenkins-xunit-junit-10.xsd"
)


@functools.cache
def xunit_schema() -> etree.XMLSchema:
    """The Jenkins xunit plugin's JUnit schema (junit-10.xsd)."""
    return etree.XMLSchema(etree.parse(str(XUNIT_XSD)))


def assert_xunit_valid(xml: str | bytes) -> None:
    """Valid against the Jenkins xunit plugin's JUnit schema, or fail with its errors."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    schema = xunit_schema()
    assert schema.validate(etree.fromstring(data)), str(schema.error_log)


def parse(report: Report) -> ET.Element:
    out = JunitFormatter().render(report)
    # Both parsers CI tools use must accept it; lxml is the stricter one.
    assert_xunit_valid(out)
    return ET.fromstring(out)


def assert_structure(root: ET.Element) -> None:
    """What GitLab and Jenkins read: counts that add up, classname and name on each case,
    at most one of failure/skipped, the SBOM as the suite's file, a time everywhere."""
    assert root.tag == "testsuites"
    assert "skipped" not in root.attrib  # the xunit schema rejects it there
    assert root.get("time") == "0"
    suites = root.findall("testsuite")
    assert suites
    totals = {"tests": 0, "failures": 0}
    for suite in suites:
        assert suite.get("file") == (None if suite.get("name") == "-" else suite.get("name"))
        assert suite.get("time") == "0"
        cases = suite.findall("testcase")
        counts = {
            "tests": len(cases),
            "failures": sum(1 for c in cases if c.find("failure") is not None),
            "skipped": sum(1 for c in cases if c.find("skipped") is not None),
        }
        for key, value in counts.items():
            assert suite.get(key) == str(value), (key, suite.attrib)
            if key in totals:
                totals[key] += value
        assert suite.get("errors") == "0"
        for case in cases:
            assert case.get("classname") == suite.get("name")
            assert case.get("name")
            assert case.get("time") == "0"
            assert len([c for c in case if c.tag in ("failure", "skipped", "error")]) <= 1
            for verdict in [c for c in case if c.tag in ("failure", "skipped")]:
                # GitLab shows the element's text only: it must start with the message.
                assert (verdict.text or "").startswith(verdict.get("message") or "?"), verdict
    for key, value in totals.items():
        assert root.get(key) == str(value)


@pytest.mark.parametrize("name", sorted(ALL_REPORTS))
def test_golden(name: str) -> None:
    out = JunitFormatter().render(ALL_REPORTS[name])
    assert_xunit_valid(out)
    assert_structure(ET.fromstring(out))
    assert_golden(out, f"{name}.xml")


def test_the_xunit_schema_can_fail() -> None:
    # What sbomcheck used to write: `skipped` on <testsuites>, which Jenkins xunit rejects.
    out = JunitFormatter().render(FAIL_REPORT).encode("utf-8")
    root = etree.fromstring(out)
    root.set("skipped", "0")
    assert not xunit_schema().validate(root)
    root = etree.fromstring(out)
    next(root.iter("testcase")).set("file", "x.json")  # allowed on the suite only
    assert not xunit_schema().validate(root)


def test_registered_under_junit() -> None:
    assert isinstance(get_formatter(OutputFormat.JUNIT), JunitFormatter)


def test_one_case_per_sbom_and_rule_failing_with_evidence_and_paths() -> None:
    root = parse(FAIL_REPORT)
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "samples/appliance.cdx.json"
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["US-EL-2024", "US-ICTS-2021-002"]
    failure = cases[1].find("failure")
    assert failure is not None
    assert failure.get("message") == (
        "1 finding breaks US-ICTS-2021-002 (integration-updates-resale, in force since 2024-09-29)"
    )
    assert failure.get("type") == "error"
    body = failure.text or ""
    assert body.startswith(failure.get("message", "?") + "\n\n" + "kav-sdk 8.0: ")
    assert "supplier.name = AO Kaspersky Lab ~ AO Kaspersky Lab (entity, confirmed)" in body
    assert "acme-gateway -> mail-filter -> av-module -> kav-sdk" in body
    assert "(line 41)" in body
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["verdict"] == "fail"
    assert props["as_of"] == "2026-01-15"


def test_waived_and_advisory_outcomes_pass_with_warnings() -> None:
    root = parse(WARN_REPORT)
    assert_structure(root)
    assert root.get("failures") == "0"
    cases = {c.get("name"): c for c in root.iter("testcase")}
    icts = cases["US-ICTS-2021-002"].findtext("system-out") or ""
    assert "waived by waiver 0 until 2026-03-01 (replacement scheduled)" in icts
    assert "severity warning" in (cases["DE-BSI-2022"].findtext("system-out") or "")


def test_not_applicable_rules_are_skipped_and_upcoming_pass_with_a_warning() -> None:
    not_applicable = dataclasses.replace(
        BSI_ADVISORY,
        id="FCC-COVERED",
        status=RuleStatus.NOT_APPLICABLE,
        severity=Severity.NONE,
        reason="applies to equipment authorisation only",
    )
    upcoming = dataclasses.replace(
        BSI_ADVISORY, id="EU-FUTURE", status=RuleStatus.UPCOMING, effective="2027-01-01"
    )
    finding = dataclasses.replace(ENGINE_FINDING, rules=(not_applicable, upcoming))
    root = parse(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    assert_structure(root)
    cases = {c.get("name"): c for c in root.iter("testcase")}
    skipped = cases["FCC-COVERED"].find("skipped")
    assert skipped is not None
    assert skipped.get("message") == "not applicable: applies to equipment authorisation only"
    assert skipped.text == skipped.get("message")
    assert cases["EU-FUTURE"].find("failure") is None
    assert "in force from 2027-01-01" in (cases["EU-FUTURE"].findtext("system-out") or "")
    (suite,) = root.findall("testsuite")
    assert suite.get("skipped") == "1"


@pytest.mark.parametrize("report", [PASS_REPORT, INDETERMINATE_REPORT])
def test_document_without_findings_has_one_passing_case(report: Report) -> None:
    root = parse(report)
    assert_structure(root)
    (case,) = root.iter("testcase")
    assert case.get("name") == "kaspersky-technology"
    assert case.find("failure") is None
    out = case.findtext("system-out") or ""
    assert out.startswith("No Kaspersky technology found in samples/appliance.cdx.json.")
    assert ("not complete enough" in out) is (report is INDETERMINATE_REPORT)


def test_one_suite_per_document() -> None:
    other = dataclasses.replace(DOC_PRODUCT, path="vendor/engine.spdx.json")
    stray = dataclasses.replace(
        ENGINE_FINDING,
        component=dataclasses.replace(ENGINE_FINDING.component, document="lost/doc.json"),
    )
    report = dataclasses.replace(
        FAIL_REPORT,
        documents=(DOC_PRODUCT, other),
        findings=(ENGINE_FINDING, stray),
    )
    root = parse(report)
    assert_structure(root)
    names = [s.get("name") for s in root.findall("testsuite")]
    # A finding whose document has no summary still gets a suite, never dropped.
    assert names == ["samples/appliance.cdx.json", "vendor/engine.spdx.json", "lost/doc.json"]
    cases = {s.get("name"): [c.get("name") for c in s.iter("testcase")] for s in root}
    assert cases["vendor/engine.spdx.json"] == ["kaspersky-technology"]
    assert cases["lost/doc.json"] == ["US-EL-2024", "US-ICTS-2021-002"]
    assert root.get("failures") == "4"


def test_finding_no_rule_judged_fails() -> None:
    finding = dataclasses.replace(ENGINE_FINDING, rules=())
    root = parse(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    (case,) = root.iter("testcase")
    assert case.get("name") == "kaspersky-technology"
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "finding"


def test_hostile_names_round_trip_through_xml_parsers() -> None:
    root = parse(HOSTILE_REPORT)
    assert_structure(root)
    shown = visible(HOSTILE_TEXT)
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "samples/<evil>.json"
    failure = next(root.iter("failure"))
    assert f"  ref: {shown}\n" in (failure.text or "")
    # Markup in the name stayed text: no element came from it.
    assert {e.tag for e in root.iter()} == {
        "testsuites",
        "testsuite",
        "properties",
        "property",
        "testcase",
        "failure",
    }


def test_characters_xml_forbids_are_escaped() -> None:
    evil = "nul\x00 esc\x1b bell\x07 \ufffe \ud800"
    finding = dataclasses.replace(
        ENGINE_FINDING,
        component=dataclasses.replace(ENGINE_FINDING.component, name=evil, document=evil),
    )
    doc = DocumentSummary(
        path=evil, format="cyclonedx-json", spec_version="1.6", sha256="c" * 64, components=1
    )
    root = parse(dataclasses.replace(FAIL_REPORT, documents=(doc,), findings=(finding,)))
    assert_structure(root)
    assert root.findall("testsuite")[0].get("name") == "nul\\x00 esc\\x1b bell\\x07 \\ufffe \\ud800"


def test_saturated_path_count_says_at_least() -> None:
    from sbomcheck.findings import PATH_COUNT_CAP

    finding = dataclasses.replace(ENGINE_FINDING, paths_total=PATH_COUNT_CAP)
    out = JunitFormatter().render(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    assert "paths (2 of at least 1,000,000,000):" in out


def test_standard_input_has_no_file() -> None:
    stdin = dataclasses.replace(DOC_PRODUCT, path="-")
    finding = dataclasses.replace(
        ENGINE_FINDING, component=dataclasses.replace(ENGINE_FINDING.component, document="-")
    )
    root = parse(dataclasses.replace(FAIL_REPORT, documents=(stdin,), findings=(finding,)))
    assert_structure(root)
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "-"
    assert "file" not in suite.attrib
