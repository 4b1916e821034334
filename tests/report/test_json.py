"""The JSON report: valid against the shipped schema, deterministic, golden."""

from __future__ import annotations

import copy
import dataclasses
import json
from importlib import resources
from typing import Any

import pytest

from sbomcheck.findings import REPORT_SCHEMA, Confidence, RuleStatus, Severity, Verdict
from sbomcheck.model import Format
from sbomcheck.report import OutputFormat, get_formatter
from sbomcheck.report.json import JsonFormatter
from sbomcheck.safe_text import json_safe
from sbomcheck.schema import ReportSchemaError, load_report_schema, validate_report
from tests.report.fixtures import ALL_REPORTS, ENGINE_FINDING, FAIL_REPORT
from tests.report.golden import assert_golden


def render(name: str) -> str:
    return JsonFormatter().render(ALL_REPORTS[name])


@pytest.mark.parametrize("name", sorted(ALL_REPORTS))
def test_golden_valid_against_schema(name: str) -> None:
    out = render(name)
    validate_report(json.loads(out), source=f"{name}.json")
    assert_golden(out, f"{name}.json")


@pytest.mark.parametrize("name", sorted(ALL_REPORTS))
def test_deterministic_and_sorted(name: str) -> None:
    first, second = render(name), get_formatter(OutputFormat.JSON).render(ALL_REPORTS[name])
    assert first == second
    assert first.endswith("}\n")
    data = json.loads(first)
    # Re-serialising with sorted keys and the same indent reproduces the bytes exactly, once
    # C1 and bidi characters are written as \uXXXX as every machine format writes them.
    assert json_safe(json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False)) + "\n" == first


def test_schema_ships_inside_the_package() -> None:
    text = resources.files("sbomcheck.schema").joinpath("report.schema.json").read_text()
    assert json.loads(text) == load_report_schema()


def test_schema_key_is_pinned_to_the_code() -> None:
    schema = load_report_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["schema"]["const"] == REPORT_SCHEMA


@pytest.mark.parametrize(
    ("definition", "members"),
    [
        ("verdict", [v.value for v in Verdict]),
        ("confidence", [c.value for c in Confidence]),
        ("severity", [s.value for s in Severity]),
        ("status", [s.value for s in RuleStatus]),
    ],
)
def test_enums_match_the_code(definition: str, members: list[str]) -> None:
    assert load_report_schema()["$defs"][definition]["enum"] == members


def test_document_formats_match_the_model() -> None:
    fmt = load_report_schema()["$defs"]["document"]["properties"]["format"]["enum"]
    assert fmt == [f.value for f in Format]


def _closed_objects(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("additionalProperties") is False:
            found.append(node)
        for value in node.values():
            found.extend(_closed_objects(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_closed_objects(value))
    return found


def test_every_closed_object_requires_all_its_keys() -> None:
    # to_dict() always writes every key (null when unknown), so the schema requires them all:
    # a key dropped from the code or from the schema fails validation of the fixtures.
    closed = _closed_objects(load_report_schema())
    assert len(closed) >= 10
    for node in closed:
        assert sorted(node["required"]) == sorted(node["properties"]), node["required"]


def test_schema_covers_every_key_the_report_writes() -> None:
    def keys(value: Any, prefix: str = "") -> set[str]:
        out: set[str] = set()
        if isinstance(value, dict):
            for k, v in value.items():
                out.add(f"{prefix}.{k}")
                out |= keys(v, f"{prefix}.{k}")
        elif isinstance(value, list):
            for v in value:
                out |= keys(v, f"{prefix}[]")
        return out

    seen = set().union(*(keys(r.to_dict()) for r in ALL_REPORTS.values()))
    # Nested waivers, evidence, outcomes and paths are all exercised by the fixtures.
    assert ".findings[].rules[].waiver.expires" in seen
    assert ".findings[].evidence[].source" in seen
    assert ".waivers[].waiver.reason" in seen
    for report in ALL_REPORTS.values():
        validate_report(report.to_dict())


@pytest.mark.parametrize(
    ("mutate", "location"),
    [
        (lambda d: d.update(verdict="maybe"), "verdict"),
        (lambda d: d["findings"][0]["component"].update(line="41"), "findings[0].component.line"),
        (
            lambda d: d["findings"][0]["match"].update(confidence="sure"),
            "findings[0].match.confidence",
        ),
        (
            lambda d: d["findings"][0]["rules"][0].update(status="active"),
            "findings[0].rules[0].status",
        ),
        (lambda d: d["documents"][0].update(colour="red"), "documents[0]"),
        (lambda d: d.pop("as_of"), "(top level)"),
        (lambda d: d.update(schema="https://sbomcheck.dev/schema/report/2.0"), "schema"),
        (lambda d: d["completeness"].update(with_hashes=1.5), "completeness.with_hashes"),
    ],
)
def test_invalid_reports_name_the_place(mutate: Any, location: str) -> None:
    data = copy.deepcopy(FAIL_REPORT.to_dict())
    mutate(data)
    with pytest.raises(ReportSchemaError) as info:
        validate_report(data, source="out.json")
    assert info.value.source == "out.json"
    assert info.value.location == location
    assert info.value.diagnostics().startswith(f"out.json: {location}: does not match")


def test_report_without_optional_sections_is_valid() -> None:
    bare = dataclasses.replace(
        FAIL_REPORT, completeness=None, catalogue=None, rules=None, findings=(ENGINE_FINDING,)
    )
    validate_report(bare.to_dict())
