"""The SARIF formatter: valid SARIF 2.1.0 (official schema), GitHub's needs, golden files."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
from typing import Any

import pytest
from jsonschema import Draft4Validator

from sbomcheck.findings import Report, RuleStatus, Severity
from sbomcheck.report import OutputFormat, get_formatter
from sbomcheck.report.sarif import (
    FINGERPRINT_KEY,
    SarifFormatter,
    artifact_uri,
)
from tests.conftest import SCHEMAS
from tests.report.fixtures import (
    ALL_REPORTS,
    BSI_ADVISORY,
    ENGINE_FINDING,
    FAIL_REPORT,
    HOSTILE_REPORT,
    PASS_REPORT,
    WARN_REPORT,
)
from tests.report.golden import assert_golden

SARIF_SCHEMA = SCHEMAS / "sarif-schema-2.1.0.json"


@functools.cache
def _validator() -> Draft4Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema)


def assert_valid_sarif(data: Any) -> None:
    """Validate against the official OASIS schema; skip cleanly where it is absent."""
    if not SARIF_SCHEMA.exists():
        pytest.skip(f"{SARIF_SCHEMA} is not present")
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def sarif(report: Report) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SarifFormatter().render(report))
    return data


def run_of(report: Report) -> dict[str, Any]:
    run: dict[str, Any] = sarif(report)["runs"][0]
    return run


@pytest.mark.parametrize("name", sorted(ALL_REPORTS))
def test_golden_valid_against_official_schema(name: str) -> None:
    out = SarifFormatter().render(ALL_REPORTS[name])
    assert_valid_sarif(json.loads(out))
    assert_golden(out, f"{name}.sarif")


def test_registered_under_sarif() -> None:
    assert isinstance(get_formatter(OutputFormat.SARIF), SarifFormatter)


def test_log_and_driver() -> None:
    log = sarif(FAIL_REPORT)
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-schema-2.1.0.json")
    assert len(log["runs"]) == 1
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "sbomcheck"
    assert driver["version"] == "0.0.0-test"
    assert driver["informationUri"].startswith("https://")


def test_one_rule_per_rule_id_with_help_uri() -> None:
    rules = run_of(FAIL_REPORT)["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["US-EL-2024", "US-ICTS-2021-002"]
    icts = rules[1]
    assert icts["helpUri"] == (
        "https://regulations.justia.com/regulations/fedreg/2024/06/24/2024-13532.html"
    )
    assert icts["shortDescription"]["text"] == (
        "Commerce ICTS Final Determination: Kaspersky Lab, Inc."
    )
    assert "integration-updates-resale: effective 2024-09-29" in icts["fullDescription"]["text"]
    assert icts["defaultConfiguration"]["level"] == "error"
    assert icts["properties"]["milestones"][0]["prohibits"] == [
        "integration",
        "resale",
        "licensing",
        "updates",
    ]


def test_results_locations_and_fingerprints() -> None:
    run = run_of(FAIL_REPORT)
    results = run["results"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["ruleId"] for r in results] == ["US-EL-2024", "US-ICTS-2021-002"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == "error"
        (location,) = result["locations"]
        assert location["physicalLocation"] == {
            "artifactLocation": {"uri": "samples/appliance.cdx.json", "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": 41},
        }
        assert location["logicalLocations"] == [
            {
                "name": "pkg:generic/kav-sdk@8.0",
                "fullyQualifiedName": "components[2].components[0]",
                "kind": "element",
            }
        ]
        expected = hashlib.sha256(f"{'f' * 64}\x00{result['ruleId']}".encode()).hexdigest()
        assert result["partialFingerprints"] == {FINGERPRINT_KEY: expected}
        assert [r["message"]["text"] for r in result["relatedLocations"]] == [
            "acme-gateway -> av-module -> kav-sdk",
            "acme-gateway -> mail-filter -> av-module -> kav-sdk",
        ]
        assert result["properties"]["confidence"] == "confirmed"
        assert len(result["properties"]["evidence"]) == 2
    text = results[1]["message"]["text"]
    assert text.startswith(
        "kav-sdk 8.0 is Kaspersky Anti-Virus SDK (KAV SDK) (confirmed): US-ICTS-2021-002 "
        "integration-updates-resale in force since 2024-09-29. Evidence: supplier.name = "
    )
    assert "Path 1: acme-gateway -> av-module -> kav-sdk." in text
    markdown = results[1]["message"]["markdown"]
    assert "[Path 1](1): acme-gateway -\\> av-module -\\> kav-sdk." in markdown


def test_fingerprints_survive_changes_other_than_identity() -> None:
    before = {r["ruleId"]: r["partialFingerprints"] for r in run_of(FAIL_REPORT)["results"]}
    moved = dataclasses.replace(
        ENGINE_FINDING,
        paths=(("other-root", "kav-sdk"),),
        evidence=ENGINE_FINDING.evidence[:1],
        component=dataclasses.replace(ENGINE_FINDING.component, line=99),
    )
    after_run = run_of(dataclasses.replace(FAIL_REPORT, findings=(moved,)))
    after = {r["ruleId"]: r["partialFingerprints"] for r in after_run["results"]}
    assert after == before
    assert len({v[FINGERPRINT_KEY] for v in before.values()}) == 2


def test_waived_outcome_is_a_suppressed_note() -> None:
    results = {r["ruleId"]: r for r in run_of(WARN_REPORT)["results"]}
    waived = results["US-ICTS-2021-002"]
    assert waived["level"] == "note"
    assert waived["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "waiver 0 (waivers.toml): replacement scheduled; approved by "
            "ciso@example.org, ticket SEC-1234; expires 2026-03-01",
        }
    ]
    assert results["DE-BSI-2022"]["level"] == "warning"
    assert "suppressions" not in results["DE-BSI-2022"]


def test_only_in_force_and_upcoming_outcomes_become_results() -> None:
    upcoming = dataclasses.replace(
        BSI_ADVISORY, id="EU-FUTURE", status=RuleStatus.UPCOMING, severity=Severity.NOTE
    )
    not_applicable = dataclasses.replace(
        BSI_ADVISORY, id="FCC-COVERED", status=RuleStatus.NOT_APPLICABLE, severity=Severity.NONE
    )
    finding = dataclasses.replace(ENGINE_FINDING, rules=(upcoming, not_applicable))
    run = run_of(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    assert_valid_sarif({"version": "2.1.0", "runs": [run]})
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["EU-FUTURE", "FCC-COVERED"]
    assert [(r["ruleId"], r["level"]) for r in run["results"]] == [("EU-FUTURE", "note")]


def test_finding_no_rule_judged_is_still_reported() -> None:
    finding = dataclasses.replace(ENGINE_FINDING, rules=())
    run = run_of(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["kaspersky-technology"]
    (result,) = run["results"]
    assert result["ruleId"] == "kaspersky-technology"
    assert result["level"] == "error"  # the finding's own severity
    assert "(confirmed): no policy rule judged it." in result["message"]["text"]


def test_no_findings_is_a_valid_empty_run() -> None:
    log = sarif(PASS_REPORT)
    assert_valid_sarif(log)
    run = log["runs"][0]
    assert run["results"] == []
    assert run["tool"]["driver"]["rules"] == []
    assert run["properties"]["verdict"] == "pass"


def test_hostile_names_are_plain_in_text_and_escaped_in_markdown() -> None:
    out = SarifFormatter().render(HOSTILE_REPORT)
    log = json.loads(out)
    assert_valid_sarif(log)
    (result,) = log["runs"][0]["results"]
    text = result["message"]["text"]
    # `text` is plain: the SBOM's characters once, the newline made visible once (`\n`,
    # a backslash and an n), no Markdown escapes; only square brackets are escaped, as
    # SARIF 3.11.6 requires, so an SBOM value can never form an embedded link.
    assert "*bold* \\[link\\](javascript:1)" in text
    assert "`rm -rf` \\]\\]> & " in text
    assert '"quoted" \\n*bold*' in text
    assert "\\*" not in text and "\\`" not in text
    assert not re.findall(r"(?<!\\)\[[^\]]*(?<!\\)\]\(", text)
    # `markdown` escapes every SBOM string, so the only links are our own path links.
    markdown = result["message"]["markdown"]
    unescaped = re.sub(r"\\.", "", markdown)
    assert re.findall(r"\[[^\]]*\]\([^)]*\)", unescaped) == ["[Path 1](1)"]
    assert "\\[link\\]\\(javascript\\:1\\)" in markdown
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "samples/%3Cevil%3E.json"
    assert (
        result["locations"][0]["logicalLocations"][0]["name"]
        == HOSTILE_REPORT.findings[0].component.ref
    )


def test_message_text_shows_bidi_and_newline_once() -> None:
    comp = dataclasses.replace(ENGINE_FINDING.component, name="x\u202eevil\nsdk [a](b) \\ c")
    finding = dataclasses.replace(ENGINE_FINDING, component=comp)
    run = run_of(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    text = run["results"][0]["message"]["text"]
    assert text.startswith("x\\u202eevil\\nsdk \\[a\\](b) \\ c 8.0 is ")
    assert "\u202e" not in text and "\n" not in text
    assert "Path 1: acme-gateway -> av-module -> kav-sdk." in text


def test_saturated_path_count_is_a_lower_bound() -> None:
    from sbomcheck.findings import PATH_COUNT_CAP

    finding = dataclasses.replace(ENGINE_FINDING, paths_total=PATH_COUNT_CAP)
    run = run_of(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    props = run["results"][0]["properties"]
    assert props["pathsTotal"] == PATH_COUNT_CAP
    assert props["pathsTotalAtLeast"] is True
    assert run_of(FAIL_REPORT)["results"][0]["properties"]["pathsTotalAtLeast"] is False


@pytest.mark.parametrize(
    ("path", "uri", "base"),
    [
        ("samples/a.cdx.json", "samples/a.cdx.json", "%SRCROOT%"),
        ("./sboms/a b.json", "sboms/a%20b.json", "%SRCROOT%"),
        ("sboms\\vendor\\x.spdx", "sboms/vendor/x.spdx", "%SRCROOT%"),
        ("c:x.json", "c%3Ax.json", "%SRCROOT%"),
        ("bundle.zip!vendor/a.json", "bundle.zip!vendor/a.json", "%SRCROOT%"),
        ("/tmp/sbom #1.json", "file:///tmp/sbom%20%231.json", None),
        ("C:\\sboms\\a.json", "file:///C:/sboms/a.json", None),
        ("-", "-", "%SRCROOT%"),
    ],
)
def test_artifact_uri(path: str, uri: str, base: str | None) -> None:
    assert artifact_uri(path) == (uri, base)
