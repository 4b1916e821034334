"""The cdxa formatter: valid CycloneDX 1.6 (official schema, strict) before golden files,
references that resolve, deterministic serial numbers and timestamps, and scores."""

from __future__ import annotations

import dataclasses
import json
import uuid
from typing import Any

import pytest

from sbomcheck.findings import Report, RuleStatus, Severity
from sbomcheck.json_form import json_form
from sbomcheck.report import OutputFormat, get_formatter
from sbomcheck.report.cdxa import CORE_REQUIREMENT, CdxaFormatter, serial_number
from tests.report.fixtures import (
    ALL_REPORTS,
    DOC_PRODUCT,
    ENGINE_FINDING,
    ENTITY_LIST,
    FAIL_REPORT,
    HOSTILE_REPORT,
    HOSTILE_TEXT,
    INDETERMINATE_REPORT,
    PASS_REPORT,
    WARN_REPORT,
)
from tests.report.golden import assert_golden


@pytest.fixture(scope="module")
def validator() -> Any:
    """cyclonedx-python-lib's strict validator for the official CycloneDX 1.6 JSON schema."""
    # NOTE: imported here, not at module level: the import takes seconds, and collection
    # (or a `-k` run of other tests) should not pay for it.
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    return JsonStrictValidator(SchemaVersion.V1_6)


def render(report: Report) -> str:
    return CdxaFormatter().render(report)


def load(report: Report) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render(report))
    return data


def assert_valid(text: str, validator: Any) -> None:
    error = validator.validate_str(text)
    assert error is None, str(error)


def by_ref(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["bom-ref"]: item for item in items}


def map_entry(doc: dict[str, Any], rule_id: str) -> dict[str, Any]:
    entries = doc["declarations"]["attestations"][0]["map"]
    found: list[dict[str, Any]] = [
        e for e in entries if e["requirement"] == f"sbomcheck:requirement:{rule_id}"
    ]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("name", sorted(ALL_REPORTS))
def test_valid_then_golden(name: str, validator: Any) -> None:
    out = render(ALL_REPORTS[name])
    assert_valid(out, validator)
    assert_golden(out, f"{name}.cdxa.json")


def test_validator_rejects_what_the_schema_forbids(validator: Any) -> None:
    # The validation above is only worth something if it can fail.
    doc = load(FAIL_REPORT)
    doc["declarations"]["affirmation"]["signatories"][0].pop("externalReference")
    assert validator.validate_str(json.dumps(doc)) is not None
    doc = load(FAIL_REPORT)
    doc["declarations"]["claims"][0]["unexpected"] = True
    assert validator.validate_str(json.dumps(doc)) is not None


def test_get_formatter_gives_cdxa() -> None:
    assert isinstance(get_formatter(OutputFormat.CDXA), CdxaFormatter)


def test_header() -> None:
    doc = load(FAIL_REPORT)
    assert doc["bomFormat"] == "CycloneDX"
    assert doc["specVersion"] == "1.6"
    assert doc["version"] == 1
    assert doc["metadata"]["timestamp"] == "2026-01-15T00:00:00Z"
    tool = doc["metadata"]["tools"]["components"][0]
    assert (tool["name"], tool["version"]) == ("sbomcheck", "0.0.0-test")
    props = {p["name"]: p["value"] for p in doc["metadata"]["properties"]}
    assert props["sbomcheck:verdict"] == "fail"
    assert props["sbomcheck:catalogue:sha256"] == "0" * 64
    assert props["sbomcheck:rules:sha256"] == "1" * 64


def test_serial_number_is_a_uuid5_of_the_content() -> None:
    serials = {name: load(r)["serialNumber"] for name, r in ALL_REPORTS.items()}
    assert len(set(serials.values())) == len(serials)
    for name, report in ALL_REPORTS.items():
        assert serials[name] == serial_number(report) == load(report)["serialNumber"]
        assert uuid.UUID(serials[name].removeprefix("urn:uuid:")).version == 5
    later = dataclasses.replace(FAIL_REPORT, as_of="2026-01-16")
    assert serial_number(later) != serials["fail"]


def test_every_time_is_the_as_of_day() -> None:
    doc = load(dataclasses.replace(WARN_REPORT, as_of="2025-12-31"))
    assert doc["metadata"]["timestamp"] == "2025-12-31T00:00:00Z"
    assert {e["created"] for e in doc["declarations"]["evidence"]} == {"2025-12-31T00:00:00Z"}
    waiver = by_ref(doc["declarations"]["evidence"])["sbomcheck:evidence:waiver:0"]
    assert waiver["expires"] == "2026-03-01T00:00:00Z"


@pytest.mark.parametrize("name", sorted(ALL_REPORTS))
def test_bom_refs_unique_and_every_link_resolves(name: str) -> None:
    doc = load(ALL_REPORTS[name])
    decl = doc["declarations"]
    standard = doc["definitions"]["standards"][0]
    refs = [
        doc["metadata"]["tools"]["components"][0]["bom-ref"],
        *(a["bom-ref"] for a in decl["assessors"]),
        *(c["bom-ref"] for c in decl["claims"]),
        *(e["bom-ref"] for e in decl["evidence"]),
        *(t["bom-ref"] for t in decl["targets"]["components"]),
        *(t["bom-ref"] for t in decl["targets"].get("services", [])),
        standard["bom-ref"],
        *(r["bom-ref"] for r in standard["requirements"]),
        *(level["bom-ref"] for level in standard["levels"]),
    ]
    assert len(refs) == len(set(refs))
    known = set(refs)
    evidence = {e["bom-ref"] for e in decl["evidence"]}
    targets = {t["bom-ref"] for t in decl["targets"]["components"]}
    claims = {c["bom-ref"] for c in decl["claims"]}
    requirements = {r["bom-ref"] for r in standard["requirements"]}
    for claim in decl["claims"]:
        assert claim["target"] in targets
        linked = claim["evidence"] + claim.get("counterEvidence", [])
        assert set(linked + claim.get("mitigationStrategies", [])) <= evidence
    attestation = decl["attestations"][0]
    assert attestation["assessor"] in {a["bom-ref"] for a in decl["assessors"]}
    mapped = [e["requirement"] for e in attestation["map"]]
    assert sorted(mapped) == sorted(requirements)
    for entry in attestation["map"]:
        assert set(entry["claims"] + entry.get("counterClaims", [])) <= claims
        assert set(entry["conformance"].get("mitigationStrategies", [])) <= evidence
    for level in standard["levels"]:
        assert set(level["requirements"]) <= known


def test_requirements_one_per_rule_with_source() -> None:
    standard = load(FAIL_REPORT)["definitions"]["standards"][0]
    reqs = {r["identifier"]: r for r in standard["requirements"]}
    assert list(reqs) == [CORE_REQUIREMENT, "US-EL-2024", "US-ICTS-2021-002"]
    icts = reqs["US-ICTS-2021-002"]
    assert icts["text"] == "Commerce ICTS Final Determination: Kaspersky Lab, Inc."
    assert [x["url"] for x in icts["externalReferences"]] == [ENGINE_FINDING.rules[0].source]
    assert icts["descriptions"] == [
        "milestone integration-updates-resale: effective 2024-09-29T00:00:00-04:00"
    ]
    assert standard["version"] == "test"
    assert standard["levels"][0]["identifier"] == "profile vendor"


def test_fail_scores_zero_with_the_finding_as_counter_evidence() -> None:
    doc = load(FAIL_REPORT)
    finding_ref = f"sbomcheck:finding:{ENGINE_FINDING.id}"
    for rule_id in (CORE_REQUIREMENT, "US-ICTS-2021-002", "US-EL-2024"):
        entry = map_entry(doc, rule_id)
        assert entry["conformance"]["score"] == 0.0
        assert entry["confidence"]["score"] == 1.0  # confirmed match
        assert entry["counterClaims"] == [finding_ref]
    claims = by_ref(doc["declarations"]["claims"])
    claim = claims[f"sbomcheck:claim:document:0:{CORE_REQUIREMENT}"]
    assert claim["target"] == "sbomcheck:target:document:0"
    assert claim["counterEvidence"] == [f"sbomcheck:evidence:finding:{ENGINE_FINDING.id}"]
    assert "Kaspersky Anti-Virus SDK (KAV SDK)" in claims[finding_ref]["predicate"]


def test_finding_evidence_carries_fields_and_paths() -> None:
    doc = load(FAIL_REPORT)
    item = by_ref(doc["declarations"]["evidence"])[
        f"sbomcheck:evidence:finding:{ENGINE_FINDING.id}"
    ]
    data = {d["name"]: json.loads(d["contents"]["attachment"]["content"]) for d in item["data"]}
    assert data["evidence"] == json_form(ENGINE_FINDING.evidence)
    assert data["paths"]["paths"] == [list(p) for p in ENGINE_FINDING.paths]
    assert data["paths"]["introduced_via"] == ["av-module", "mail-filter"]
    assert [r["id"] for r in data["rules"]] == ["US-ICTS-2021-002", "US-EL-2024"]


def test_waiver_is_a_mitigation_not_conformance() -> None:
    doc = load(WARN_REPORT)
    entry = map_entry(doc, "US-ICTS-2021-002")
    assert entry["conformance"]["score"] == 0.0
    assert entry["conformance"]["mitigationStrategies"] == ["sbomcheck:evidence:waiver:0"]
    assert "waived" in entry["conformance"]["rationale"]
    waiver = by_ref(doc["declarations"]["evidence"])["sbomcheck:evidence:waiver:0"]
    assert "ciso@example.org" in waiver["description"]


def test_pass_conforms_with_completeness_as_confidence() -> None:
    doc = load(PASS_REPORT)
    entry = map_entry(doc, CORE_REQUIREMENT)
    assert entry["conformance"]["score"] == 1.0
    assert entry["confidence"]["score"] == 0.75  # mean of 1.0, 0.75, 0.5
    assert "counterClaims" not in entry
    assert [r["identifier"] for r in doc["definitions"]["standards"][0]["requirements"]] == [
        CORE_REQUIREMENT
    ]


def test_indeterminate_has_low_confidence_and_says_why() -> None:
    entry = map_entry(load(INDETERMINATE_REPORT), CORE_REQUIREMENT)
    assert entry["conformance"]["score"] == 1.0
    assert entry["confidence"]["score"] == 0.1
    assert "cannot show absence" in entry["confidence"]["rationale"]


def test_upcoming_milestone_scores_half() -> None:
    upcoming = dataclasses.replace(
        ENTITY_LIST, effective="2027-01-01", status=RuleStatus.UPCOMING, severity=Severity.WARNING
    )
    not_applicable = dataclasses.replace(
        ENGINE_FINDING.rules[0], status=RuleStatus.NOT_APPLICABLE, severity=Severity.NONE
    )
    finding = dataclasses.replace(ENGINE_FINDING, rules=(upcoming, not_applicable))
    doc = load(dataclasses.replace(FAIL_REPORT, findings=(finding,)))
    assert map_entry(doc, "US-EL-2024")["conformance"]["score"] == 0.5
    icts = map_entry(doc, "US-ICTS-2021-002")
    assert icts["conformance"]["score"] == 1.0
    assert "counterClaims" not in icts


def test_targets_are_the_products_and_the_flagged_components() -> None:
    targets = load(FAIL_REPORT)["declarations"]["targets"]
    assert targets["organizations"] == [{"name": "Acme Networks"}]
    product, flagged = targets["components"]
    assert (product["name"], product["supplier"]["name"]) == ("acme-gateway@5.1", "Acme Networks")
    assert {"name": "sbomcheck:document:sha256", "value": DOC_PRODUCT.sha256} in product[
        "properties"
    ]
    assert (flagged["name"], flagged["purl"], flagged["type"]) == (
        "kav-sdk",
        "pkg:generic/kav-sdk@8.0",
        "library",
    )


def test_unknown_component_types_and_services(validator: Any) -> None:
    odd = dataclasses.replace(ENGINE_FINDING.component, type="install")
    svc = dataclasses.replace(ENGINE_FINDING.component, type="service", ref="svc")
    report = dataclasses.replace(
        FAIL_REPORT,
        findings=(
            dataclasses.replace(ENGINE_FINDING, component=odd),
            dataclasses.replace(ENGINE_FINDING, id="d" * 64, component=svc),
        ),
    )
    out = render(report)
    assert_valid(out, validator)
    targets = json.loads(out)["declarations"]["targets"]
    assert targets["components"][1]["type"] == "library"
    assert {"name": "sbomcheck:component:type", "value": "install"} in targets["components"][1][
        "properties"
    ]
    assert [s["name"] for s in targets["services"]] == ["kav-sdk"]


def test_duplicate_finding_ids_still_give_unique_refs(validator: Any) -> None:
    report = dataclasses.replace(FAIL_REPORT, findings=(ENGINE_FINDING, ENGINE_FINDING))
    out = render(report)
    assert_valid(out, validator)
    refs = [c["bom-ref"] for c in json.loads(out)["declarations"]["claims"]]
    assert len(refs) == len(set(refs))


def test_hostile_text_survives_as_data() -> None:
    doc = load(HOSTILE_REPORT)
    targets = doc["declarations"]["targets"]
    assert targets["organizations"] == [{"name": HOSTILE_TEXT}]
    assert targets["components"][0]["name"] == HOSTILE_TEXT
    assert targets["components"][1]["version"] == "1.0<b>"


def test_affirmation_is_unsigned() -> None:
    affirmation = load(FAIL_REPORT)["declarations"]["affirmation"]
    assert "signature" not in affirmation
    signatory = affirmation["signatories"][0]
    assert "signature" not in signatory
    assert (signatory["name"], signatory["role"]) == ("sbomcheck", "automated assessor (unsigned)")
    assert "not signed" in affirmation["statement"]
