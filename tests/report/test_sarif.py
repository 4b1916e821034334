"""The SARIF formatter: valid SARIF 2.1.0 (official schema), GitHub's needs, golden files."""

from __future__ import annotations

import dataclasses
import functools
import gzip
import hashlib
import json
import re
from typing import Any

import pytest
from jsonschema import Draft4Validator

from sbomcheck.findings import Confidence, Report, RuleStatus, Severity
from sbomcheck.ingest.positions import Position
from sbomcheck.report import DEFAULT_RENDER_OPTIONS, OutputFormat, RenderOptions, get_formatter
from sbomcheck.report import sarif as sarif_module
from sbomcheck.report.sarif import (
    FINGERPRINT_KEY,
    SarifFormatter,
    artifact_uri,
    automation_id,
    friendly_name,
    render_sarif,
)
from tests.conftest import SCHEMAS
from tests.report.fixtures import (
    ALL_REPORTS,
    BSI_ADVISORY,
    DOC_PRODUCT,
    ENGINE_FINDING,
    FAIL_REPORT,
    HOSTILE_REPORT,
    ICTS_INTEGRATION,
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


def test_golden_with_positions_category_and_stdin_name() -> None:
    """The shape GitHub gets from `scan --format sarif`: line and column, a category."""
    options = RenderOptions(
        positions={ENGINE_FINDING.id: Position(41, 9)},
        stdin_name="sboms/appliance.cdx.json",
        category="appliance",
    )
    out = render_sarif(FAIL_REPORT, options)
    assert_valid_sarif(json.loads(out))
    assert_golden(out, "fail-located.sarif")


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


# ----- what GitHub code scanning reads ----------------------------------------------------


def rules_of(report: Report, options: RenderOptions = DEFAULT_RENDER_OPTIONS) -> list[Any]:
    rules: list[Any] = json.loads(render_sarif(report, options))["runs"][0]["tool"]["driver"][
        "rules"
    ]
    return rules


def test_every_rule_and_the_pseudo_rule_carry_help_severity_and_precision() -> None:
    unjudged = dataclasses.replace(
        ENGINE_FINDING, id="e" * 64, rules=(), confidence=Confidence.POSSIBLE
    )
    report = dataclasses.replace(FAIL_REPORT, findings=(ENGINE_FINDING, unjudged))
    rules = rules_of(report)
    assert [r["id"] for r in rules] == ["US-EL-2024", "US-ICTS-2021-002", "kaspersky-technology"]
    for rule in rules:
        assert rule["help"]["text"] and rule["help"]["markdown"], rule["id"]
        assert rule["helpUri"].startswith("https://"), rule["id"]
        props = rule["properties"]
        assert "security" in props["tags"] and len(props["tags"]) <= 10
        severity = props["security-severity"]
        assert isinstance(severity, str) and 0.0 <= float(severity) <= 10.0
        assert props["precision"] in ("very-high", "high", "medium", "low")
        assert rule.get("name") != rule["id"]
    icts = rules[1]
    assert icts["properties"]["security-severity"] == "9.0"  # a prohibition in force
    assert icts["properties"]["precision"] == "very-high"  # confirmed
    assert icts["name"] == "CommerceIctsFinalDetermination"
    assert "integration-updates-resale: effective 2024-09-29" in icts["help"]["text"]
    assert icts["help"]["text"].endswith(f"Source: {icts['helpUri']}")
    assert f"<{icts['helpUri']}>" in icts["help"]["markdown"]
    pseudo = rules[2]
    assert pseudo["name"] == "KasperskyTechnology"
    assert pseudo["properties"]["security-severity"] == "9.0"  # the finding's own error
    assert pseudo["properties"]["precision"] == "low"  # possible


def test_security_severity_follows_the_rule_severity() -> None:
    advisory = rules_of(WARN_REPORT)
    by_id = {r["id"]: r["properties"]["security-severity"] for r in advisory}
    assert by_id == {"DE-BSI-2022": "5.0", "US-ICTS-2021-002": "5.0"}


def test_rule_without_a_web_source_links_to_the_tool() -> None:
    outcome = dataclasses.replace(ICTS_INTEGRATION, source="internal memo 12")
    finding = dataclasses.replace(ENGINE_FINDING, rules=(outcome,))
    (rule,) = rules_of(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    assert rule["helpUri"] == "https://sbomcheck.dev/"
    assert rule["help"]["text"].endswith("Source: internal memo 12")


@pytest.mark.parametrize(
    ("title", "rule_id", "name"),
    [
        ("BIS Entity List: AO Kaspersky Lab", "US-EL-2024", "BisEntityList"),
        ("New Hampshire RSA 21-R:15: no state agency", "US-NH", "NewHampshireRsa21r"),
        ("NDAA FY2018 section 1634: no federal use", "X", "NdaaFy2018Section1634"),
        ("", "X", None),
        ("2024 rule", "X", None),
        ("Rule", "Rule", None),
        ("Ворота", "X", None),
        ("A " + "Word " * 20, "X", "A" + "Word" * 15),
    ],
)
def test_friendly_name(title: str, rule_id: str, name: str | None) -> None:
    assert friendly_name(title, rule_id) == name


def test_automation_details_and_full_name() -> None:
    run = run_of(FAIL_REPORT)
    assert run["automationDetails"] == {"id": "sbomcheck/vendor/"}
    assert run["tool"]["driver"]["fullName"].startswith("sbomcheck 0.0.0-test")
    assert run["columnKind"] == "utf16CodeUnits"
    options = RenderOptions(category="/frontend/sboms/")
    run = json.loads(render_sarif(FAIL_REPORT, options))["runs"][0]
    assert run["automationDetails"] == {"id": "sbomcheck/vendor/frontend/sboms/"}
    assert automation_id("procurement") == "sbomcheck/procurement/"


def test_positions_give_line_and_column_else_the_readers_line_else_line_1() -> None:
    located = RenderOptions(positions={ENGINE_FINDING.id: Position(97, 9)})
    log = json.loads(render_sarif(FAIL_REPORT, located))
    assert_valid_sarif(log)
    for result in log["runs"][0]["results"]:
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region == {"startLine": 97, "startColumn": 9}
        assert result["relatedLocations"][0]["physicalLocation"]["region"] == region
    line_only = RenderOptions(positions={ENGINE_FINDING.id: Position(97)})
    result = json.loads(render_sarif(FAIL_REPORT, line_only))["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 97}
    result = run_of(FAIL_REPORT)["results"][0]
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 41}
    unknown = dataclasses.replace(
        ENGINE_FINDING, component=dataclasses.replace(ENGINE_FINDING.component, line=None)
    )
    run = run_of(dataclasses.replace(FAIL_REPORT, findings=(unknown,)))
    assert run["results"][0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}


@pytest.mark.parametrize(
    ("key", "name", "uri"),
    [
        ("-", "stdin.sbom", "stdin.sbom"),
        ("-", "sboms/app.cdx.json", "sboms/app.cdx.json"),
        ("-!vendor/a.json", "stdin.sbom", "stdin.sbom!vendor/a.json"),
        ("bundle.zip!vendor/a.json", "stdin.sbom", "bundle.zip!vendor/a.json"),
        ("./-", "x", "-"),
    ],
)
def test_standard_input_is_named(key: str, name: str, uri: str) -> None:
    comp = dataclasses.replace(ENGINE_FINDING.component, document=key)
    report = dataclasses.replace(
        FAIL_REPORT,
        documents=(dataclasses.replace(DOC_PRODUCT, path=key),),
        findings=(dataclasses.replace(ENGINE_FINDING, component=comp),),
    )
    log = json.loads(render_sarif(report, RenderOptions(stdin_name=name)))
    assert_valid_sarif(log)
    run = log["runs"][0]
    assert run["artifacts"][0]["location"] == {"uri": uri, "uriBaseId": "%SRCROOT%"}
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": uri, "uriBaseId": "%SRCROOT%"}


def _many_findings(count: int) -> Report:
    """`count` findings: every third waived, every other advisory, the rest errors."""
    findings = []
    for n in range(count):
        outcome = ICTS_INTEGRATION if n % 2 == 0 else BSI_ADVISORY
        if n % 3 == 0:
            outcome = dataclasses.replace(outcome, waived=True, waiver=None)
        findings.append(dataclasses.replace(ENGINE_FINDING, id=f"{n:064x}", rules=(outcome,)))
    return dataclasses.replace(FAIL_REPORT, findings=tuple(findings))


def test_results_stop_at_the_limit_keeping_the_most_severe_with_a_note(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sarif_module, "MAX_RESULTS", 4)
    report = _many_findings(12)
    log = json.loads(render_sarif(report))
    assert_valid_sarif(log)
    run = log["runs"][0]
    kept = [(r["properties"]["findingId"], r["level"]) for r in run["results"]]
    # NOTE: unsuppressed errors first (findings 2, 4, 8, 10), in the report's order.
    assert kept == [(f"{n:064x}", "error") for n in (2, 4, 8, 10)]
    assert run["properties"]["resultsOmitted"]["total"] == 12
    assert run["properties"]["resultsOmitted"]["kept"] == 4
    (invocation,) = run["invocations"]
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "warning"
    assert note["message"]["text"].startswith("8 of 12 results left out: GitHub code scanning")
    assert "invocations" not in run_of(FAIL_REPORT)


def test_output_stays_under_the_upload_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    report = _many_findings(60)
    full = render_sarif(report)
    monkeypatch.setattr(sarif_module, "_UPLOAD_TARGET", len(gzip.compress(full.encode())) // 2)
    capped = render_sarif(report)
    assert len(gzip.compress(capped.encode())) <= sarif_module._UPLOAD_TARGET
    run = json.loads(capped)["runs"][0]
    assert 0 < len(run["results"]) < 60
    assert "gzip-compressed" in run["properties"]["resultsOmitted"]["reason"]
    # NOTE: the unsuppressed errors (20 of the 60) are kept before any other result.
    errors = sum(1 for r in run["results"] if r["level"] == "error")
    assert errors == min(len(run["results"]), 20)


def test_related_locations_stop_at_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sarif_module, "MAX_RELATED_LOCATIONS", 1)
    result = run_of(FAIL_REPORT)["results"][0]
    assert len(result["relatedLocations"]) == 1
    assert result["properties"]["relatedLocationsOmitted"] == 1
    assert len(result["properties"]["paths"]) == 2
