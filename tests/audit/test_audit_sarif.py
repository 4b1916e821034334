"""`audit --format sarif` as GitHub code scanning takes it: written by `scan`'s SARIF writer, so
each result sits at its component's line and column, standard input is named, results stop at
GitHub's limits with a note, and the run has its own `automationDetails.id`
(`sbomcheck/audit/<profile>/`, a category with `--sarif-category`)."""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from sbomcheck.audit import exports
from sbomcheck.audit.render import render
from sbomcheck.audit.runner import AuditResult, ProductAudit, run_audit
from sbomcheck.cli import main
from sbomcheck.ingest.sources import InputFailure
from sbomcheck.report import sarif as sarif_module
from sbomcheck.report.interface import RenderOptions
from tests.audit.test_exports import _options
from tests.conftest import SAMPLES
from tests.report.test_sarif import _many_findings, assert_valid_sarif

AS_OF = ["--as-of", "2026-01-15"]


def audit_sarif(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    main(["audit", *args, "--format", "sarif", "--jobs", "1", *AS_OF])
    log: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert_valid_sarif(log)
    return log


def place(result: dict[str, Any]) -> tuple[str, int, int | None]:
    location = result["locations"][0]["physicalLocation"]
    region = location["region"]
    return location["artifactLocation"]["uri"], region["startLine"], region.get("startColumn")


def text_at(path: Path, line: int, column: int) -> str:
    return path.read_text(encoding="utf-8").split("\n")[line - 1][column - 1 :]


def test_every_result_is_at_its_component(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(SAMPLES.parent)
    run = audit_sarif(["samples"], capsys)["runs"][0]
    seen: dict[tuple[str, str], list[int]] = {}
    for result in run["results"]:
        uri, line, column = place(result)
        assert column is not None, uri
        start = text_at(SAMPLES.parent / uri, line, column)
        assert start.startswith(("{", "<", "PackageName:")), (uri, line, start)
        seen.setdefault((result["ruleId"], uri), []).append(line)
    for key, lines in seen.items():
        assert len(lines) == len(set(lines)), key  # one alert per finding
    # The same places as `scan` gives the same files.
    places = {place(r) for r in run["results"]}
    assert {
        ("samples/oem-appliance.cdx.xml", 45, 5),
        ("samples/sdk-three-levels.spdx.json", 72, 5),
        ("samples/direct-dependency.cdx.json", 729, 5),
        ("samples/direct-dependency.cdx.json", 785, 5),
    } <= places


@pytest.mark.parametrize(
    ("options", "uri"),
    [([], "stdin.sbom"), (["--stdin-name", "sboms/app.cdx.json"], "sboms/app.cdx.json")],
)
def test_standard_input_is_named_and_located(
    options: list[str],
    uri: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = (SAMPLES / "direct-dependency.cdx.json").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    run = audit_sarif(["-", *options], capsys)["runs"][0]
    assert {place(r)[0] for r in run["results"]} == {uri}
    assert {place(r)[1] for r in run["results"]} == {729, 757, 785}


def test_the_audit_has_its_own_category(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(SAMPLES / "oem-appliance.cdx.xml")
    run = audit_sarif([path, "--profile", "procurement"], capsys)["runs"][0]
    assert run["automationDetails"] == {"id": "sbomcheck/audit/procurement/"}
    run = audit_sarif([path, "--sarif-category", "/vendors/"], capsys)["runs"][0]
    assert run["automationDetails"] == {"id": "sbomcheck/audit/vendor/vendors/"}
    # A scan of the same file is another analysis: neither replaces the other's alerts.
    main(["scan", path, "--format", "sarif", *AS_OF])
    scan = json.loads(capsys.readouterr().out)["runs"][0]
    assert scan["automationDetails"] == {"id": "sbomcheck/vendor/"}


def test_positions_only_for_sarif(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = exports.audit_positions

    def counting(result: AuditResult) -> Any:
        calls.append(1)
        return real(result)

    monkeypatch.setattr(exports, "audit_positions", counting)
    path = str(SAMPLES / "oem-appliance.cdx.xml")
    for fmt in ("text", "json", "junit", "csv", "markdown"):
        main(["audit", path, "--format", fmt, "--jobs", "1", *AS_OF])
    assert calls == []
    main(["audit", path, "--output", "sarif=-", "--jobs", "1", *AS_OF])
    assert calls == [1]
    capsys.readouterr()


def test_a_file_changed_since_it_was_audited_gets_no_position(tmp_path: Path) -> None:
    sbom = tmp_path / "oem.cdx.xml"
    shutil.copy(SAMPLES / "oem-appliance.cdx.xml", sbom)
    result = run_audit([sbom], _options())
    (finding,) = result.products[0].report.findings  # type: ignore[union-attr]
    assert exports.audit_positions(result)[finding.id].line == 45
    sbom.write_bytes(sbom.read_bytes().replace(b"<bom", b"\n<bom", 1))
    assert exports.audit_positions(result) == {}
    # Without a position, the result falls back to the line the reader recorded.
    log = json.loads(render(result, "sarif", as_of="2026-01-15", profile="vendor"))
    assert place(log["runs"][0]["results"][0])[1:] == (45, None)


BROKEN = InputFailure(path="vendor/broken.cdx.json", message="line 1: invalid JSON")


def _big_batch() -> AuditResult:
    report = _many_findings(60)
    return AuditResult(products=(ProductAudit(key="a" * 64, report=report),), failures=(BROKEN,))


def test_results_stop_at_github_s_upload_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    batch = _big_batch()
    full = render(batch, "sarif", as_of="2026-01-15", profile="vendor")
    target = len(gzip.compress(full.encode())) // 2
    monkeypatch.setattr(sarif_module, "_UPLOAD_TARGET", target)
    capped = render(batch, "sarif", as_of="2026-01-15", profile="vendor")
    assert len(gzip.compress(capped.encode())) <= target
    log = json.loads(capped)
    assert_valid_sarif(log)
    run = log["runs"][0]
    assert 0 < len(run["results"]) < 60
    assert "gzip-compressed" in run["properties"]["resultsOmitted"]["reason"]
    # The audit's own additions survive the cap: the products, the totals, the unreadable
    # input beside the note that results were left out.
    assert run["properties"]["products"][0]["findings"] == 60
    assert run["properties"]["summary"]["unreadable"] == 1
    notes = [n["descriptor"]["id"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert notes == ["sbomcheck/results-capped", "sbomcheck/unreadable-input"]


def test_results_stop_at_github_s_count_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sarif_module, "MAX_RESULTS", 4)
    log = json.loads(render(_big_batch(), "sarif", as_of="2026-01-15", profile="vendor"))
    assert_valid_sarif(log)
    run = log["runs"][0]
    assert len(run["results"]) == 4
    assert run["properties"]["resultsOmitted"] == {
        "total": 60,
        "kept": 4,
        "reason": "GitHub code scanning accepts at most 4 results per run",
    }


def test_unreadable_standard_input_is_named() -> None:
    batch = dataclasses.replace(
        _big_batch(), failures=(InputFailure(path="-", message="line 1: invalid JSON"),)
    )
    options = RenderOptions(stdin_name="sboms/app.cdx.json")
    run = json.loads(render(batch, "sarif", as_of="2026-01-15", profile="vendor", options=options))
    (notification,) = run["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    location = notification["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "sboms/app.cdx.json", "uriBaseId": "%SRCROOT%"}
