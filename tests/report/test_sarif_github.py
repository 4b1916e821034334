"""SARIF as GitHub code scanning takes it, end to end: every finding of every sample at its own
line and column, standard input and archive members named, the options, and Microsoft's
SARIF multitool (its SARIF and GitHub rule sets) where it can be installed."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from sbomcheck.cli import main
from sbomcheck.ingest import positions
from sbomcheck.report import sarif as sarif_module
from tests.conftest import SAMPLES
from tests.report.golden import GOLDEN
from tests.report.test_sarif import assert_valid_sarif

AS_OF = ["--as-of", "2026-01-15"]
SAMPLE_FILES = sorted(
    p for p in SAMPLES.rglob("*") if p.suffix in (".json", ".xml", ".spdx") and p.is_file()
)


def scan_sarif(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    main(["scan", *args, "--format", "sarif", *AS_OF])
    log: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert_valid_sarif(log)
    return log


def region_of(result: dict[str, Any]) -> dict[str, int]:
    region: dict[str, int] = result["locations"][0]["physicalLocation"]["region"]
    return region


def text_at(path: Path, region: dict[str, int]) -> str:
    """The SBOM's text from a region's start to the end of that line (ASCII samples)."""
    line = path.read_text(encoding="utf-8").split("\n")[region["startLine"] - 1]
    return line[region["startColumn"] - 1 :]


def test_every_finding_of_every_sample_has_its_own_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(SAMPLES.parent)
    seen = 0
    for path in SAMPLE_FILES:
        relative = path.relative_to(SAMPLES.parent).as_posix()
        run = scan_sarif([relative], capsys)["runs"][0]
        lines_by_rule: dict[str, list[int]] = {}
        for result in run["results"]:
            region = region_of(result)
            uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            assert uri == relative
            start = text_at(path, region)
            assert start.startswith(("{", "<", "PackageName:")), (relative, region, start)
            lines_by_rule.setdefault(result["ruleId"], []).append(region["startLine"])
            seen += 1
        # NOTE: GitHub keys an alert by rule, file and line: two findings under one rule
        # on one line would be one alert.
        for rule, lines in lines_by_rule.items():
            assert len(lines) == len(set(lines)), (relative, rule, lines)
    assert seen > 50


def test_direct_dependency_sample_three_findings_three_lines(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run = scan_sarif([str(SAMPLES / "direct-dependency.cdx.json")], capsys)["runs"][0]
    by_rule: dict[str, list[dict[str, int]]] = {}
    for result in run["results"]:
        by_rule.setdefault(result["ruleId"], []).append(region_of(result))
    assert by_rule["SBC-KL-OTHER"] == [
        {"startLine": 729, "startColumn": 5},
        {"startLine": 757, "startColumn": 5},
        {"startLine": 785, "startColumn": 5},
    ]


def stdin_bytes(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


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
    stdin_bytes(monkeypatch, (SAMPLES / "direct-dependency.cdx.json").read_bytes())
    run = scan_sarif(["-", *options], capsys)["runs"][0]
    assert run["artifacts"][0]["location"] == {"uri": uri, "uriBaseId": "%SRCROOT%"}
    lines = set()
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": uri, "uriBaseId": "%SRCROOT%"}
        lines.add(location["region"]["startLine"])
    assert lines == {729, 757, 785}


def test_archive_member_is_named_and_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with zipfile.ZipFile(tmp_path / "bundle.zip", "w") as zf:
        zf.write(SAMPLES / "oem-appliance.cdx.xml", "vendor/oem.cdx.xml")
        zf.write(SAMPLES / "sdk-three-levels.spdx.json", "vendor/sdk.spdx.json")
    monkeypatch.chdir(tmp_path)
    run = scan_sarif(["bundle.zip"], capsys)["runs"][0]
    places = {
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
        )
        for r in run["results"]
    }
    assert places == {
        ("bundle.zip!vendor/oem.cdx.xml", 45, 5),
        ("bundle.zip!vendor/sdk.spdx.json", 72, 5),
    }


def test_sarif_category(capsys: pytest.CaptureFixture[str]) -> None:
    args = [str(SAMPLES / "direct-dependency.cdx.json"), "--profile", "procurement"]
    run = scan_sarif([*args, "--sarif-category", "firmware"], capsys)["runs"][0]
    assert run["automationDetails"] == {"id": "sbomcheck/procurement/firmware/"}
    run = scan_sarif(args, capsys)["runs"][0]
    assert run["automationDetails"] == {"id": "sbomcheck/procurement/"}


@pytest.mark.parametrize("command", ["scan", "audit"])
@pytest.mark.parametrize(
    "args",
    [["--stdin-name", ""], ["--stdin-name", "a\u202eb.json"], ["--sarif-category", "x\ny"]],
)
def test_bad_names_are_usage_errors(
    command: str, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(SAMPLES / "direct-dependency.cdx.json")
    assert main([command, path, "--format", "sarif", *AS_OF, *args]) == 2
    assert "sbomcheck: error:" in capsys.readouterr().err


def test_positions_only_for_sarif(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = positions.locate_findings

    def counting(*args: Any) -> Any:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(positions, "locate_findings", counting)
    path = str(SAMPLES / "direct-dependency.cdx.json")
    for fmt in ("json", "text", "markdown", "html", "junit", "cdxa"):
        main(["scan", path, "--format", fmt, *AS_OF])
    assert calls == []
    main(["scan", str(SAMPLES / "clean-product.cdx.json"), "--format", "sarif", *AS_OF])
    assert calls == []  # NOTE: no findings, nothing to locate
    main(["scan", path, "--format", "sarif", *AS_OF])
    assert calls == [1]
    capsys.readouterr()


# ----- Microsoft's SARIF multitool --------------------------------------------------------

ALLOWED_WARNINGS: frozenset[str] = frozenset()
"""Multitool warnings left on purpose (docs/ci.md says why); none today."""

_PLATFORMS = {"linux": "linux", "darwin": "darwin", "win32": "win32"}


def _multitool_binary(prefix: Path) -> Path | None:
    platform = _PLATFORMS.get(sys.platform)
    if platform is None:
        return None
    exe = "Sarif.Multitool.exe" if platform == "win32" else "Sarif.Multitool"
    binary = prefix / "node_modules" / "@microsoft" / f"sarif-multitool-{platform}" / exe
    if not binary.exists():
        return None
    # NOTE: npm may skip the package's postinstall (`chmod u+x`) when install scripts are
    # not allowed.
    if not os.access(binary, os.X_OK):
        try:
            binary.chmod(binary.stat().st_mode | 0o100)
        except OSError:
            return None
    return binary


MULTITOOL = "@microsoft/sarif-multitool@5.7.0"
"""The version pinned in tests/assets/clients/package.json."""


@pytest.fixture(scope="session")
def multitool(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The multitool's own binary (its npm shim runs it through a shell, which splits
    `Gh;Sarif`): `SBOMCHECK_SARIF_MULTITOOL`, else the npm clients `.ci/run` installed
    (`SBOMCHECK_NODE_TOOLS`, tests/project/test_ci_clients.py), else installed here with npm into
    a temporary directory; skips where none works (no npm, no registry)."""
    given = os.environ.get("SBOMCHECK_SARIF_MULTITOOL")
    if given:
        return Path(given)
    tools = os.environ.get("SBOMCHECK_NODE_TOOLS")
    binary = _multitool_binary(Path(tools)) if tools else None
    if binary is None:
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed: cannot install @microsoft/sarif-multitool")
        prefix = tmp_path_factory.mktemp("sarif-multitool")
        try:
            subprocess.run(
                [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", MULTITOOL],
                check=True,
                capture_output=True,
                timeout=600,
            )
        except (subprocess.SubprocessError, OSError) as e:
            pytest.skip(f"{MULTITOOL} could not be installed: {e}")
        binary = _multitool_binary(prefix)
    if binary is None:
        pytest.skip(f"{MULTITOOL} has no binary for {sys.platform}")
    try:
        subprocess.run([str(binary), "--version"], check=True, capture_output=True, timeout=120)
    except (subprocess.SubprocessError, OSError) as e:
        pytest.skip(f"the SARIF multitool does not start here: {e}")
    return binary


def validate(binary: Path, files: list[Path], out: Path) -> list[dict[str, Any]]:
    """The multitool's results (SARIF and GitHub rule sets, every level) for `files`."""
    subprocess.run(
        [
            str(binary),
            "validate",
            "--rule-kind",
            "Gh;Sarif",
            "--level",
            "Error;Warning;Note",
            "--output",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    log = json.loads(out.read_text(encoding="utf-8-sig"))
    results: list[dict[str, Any]] = [r for run in log["runs"] for r in run.get("results", [])]
    return results


def _problems(results: list[dict[str, Any]]) -> list[str]:
    def said(result: dict[str, Any]) -> str:
        message = result["message"]
        return str(message.get("text") or "; ".join(message.get("arguments", [])))[:300]

    return [
        f"{r.get('level', 'warning')} {r['ruleId']}: {said(r)}"
        for r in results
        if r.get("level", "warning") == "error"
        or (r.get("level", "warning") == "warning" and r["ruleId"] not in ALLOWED_WARNINGS)
    ]


@pytest.mark.slow
def test_multitool_accepts_every_sarif_we_write(
    multitool: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = sorted(GOLDEN.glob("*.sarif"))
    for path in SAMPLE_FILES:
        out = tmp_path / f"{path.stem}.sarif"
        main(["scan", str(path), "--format", "sarif", *AS_OF, "-o", str(out)])
        files.append(out)
    stdin_bytes(monkeypatch, (SAMPLES / "direct-dependency.cdx.json").read_bytes())
    main(["scan", "-", "--format", "sarif", *AS_OF, "-o", str(tmp_path / "stdin.sarif")])
    files.append(tmp_path / "stdin.sarif")
    audit = tmp_path / "audit.sarif"
    main(["audit", str(SAMPLES), "--format", "sarif", "--jobs", "1", *AS_OF, "-o", str(audit)])
    files.append(audit)
    monkeypatch.setattr(sarif_module, "MAX_RESULTS", 2)
    capped = tmp_path / "capped.sarif"
    main(
        [
            "scan",
            str(SAMPLES / "direct-dependency.cdx.json"),
            "--format",
            "sarif",
            *AS_OF,
            "-o",
            str(capped),
        ]
    )
    assert "invocations" in json.loads(capped.read_text())["runs"][0]
    files.append(capped)
    capsys.readouterr()
    results = validate(multitool, files, tmp_path / "validation.sarif")
    assert not _problems(results), "\n".join(_problems(results))
    # NOTE: the rules ran: notes (message strings, snippets) are reported on our files.
    assert any(r["ruleId"].startswith("SARIF2") for r in results)


@pytest.mark.slow
def test_multitool_github_rules_catch_what_github_rejects(multitool: Path, tmp_path: Path) -> None:
    """A control: the same run without a result message text is an error for GitHub."""
    log = json.loads((GOLDEN / "fail.sarif").read_text(encoding="utf-8"))
    log["runs"][0]["results"][0]["message"] = {"id": "default"}
    broken = tmp_path / "broken.sarif"
    broken.write_text(json.dumps(log), encoding="utf-8")
    results = validate(multitool, [broken], tmp_path / "validation.sarif")
    errors = {r["ruleId"] for r in results if r.get("level", "warning") == "error"}
    assert any(rule.startswith("GH") for rule in errors), errors
