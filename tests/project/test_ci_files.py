"""The GitHub Action and the pre-commit hook definition: their shape, and the Action's shell
logic run against a stub `sbomcheck` (the real scan is tested elsewhere)."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT


def _action() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text())
    return data


def _step(name: str) -> dict[str, Any]:
    for step in _action()["runs"]["steps"]:
        if step.get("id") == name or step.get("name") == name:
            return dict(step)
    raise AssertionError(f"no step {name}")


def test_action_inputs_and_steps() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"
    for name in ("sbom", "profile", "as-of", "fail-on", "waivers", "aliases", "version"):
        assert name in action["inputs"], name
    assert action["inputs"]["sbom"]["required"] is True
    assert action["inputs"]["category"]["default"] == "sbomcheck"
    install = _step("Install sbomcheck")
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    for step in action["runs"]["steps"]:
        # Inputs reach scripts only through env (no script injection).
        assert "${{" not in step.get("run", ""), step["name"]
        # Never the console script: another package installs one named `sbomcheck` too.
        script = step.get("run", "").replace("python -m sbomcheck ", "python -m SBOMCHECK ")
        assert not re.search(r"(^|[\s;&|(])sbomcheck\s+(scan|--version)", script), step["name"]
    assert "python -m sbomcheck --version" in install["run"]
    upload = _step("Upload SARIF to code scanning")
    assert upload["with"]["category"] == "${{ inputs.category }}"


# The majors in use today, each on the node24 runtime (docs/ci.md says where this was read);
# older ones run on a runtime GitHub deprecates.
CURRENT_MAJORS = {"actions/setup-python": 7, "github/codeql-action/upload-sarif": 4}


def test_action_uses_current_majors() -> None:
    uses = dict(s["uses"].split("@", 1) for s in _action()["runs"]["steps"] if "uses" in s)
    assert set(uses) == set(CURRENT_MAJORS)
    for name, major in CURRENT_MAJORS.items():
        assert re.fullmatch(r"v\d+", uses[name]), (name, uses[name])
        assert int(uses[name][1:]) >= major, (name, uses[name])


def test_pre_commit_hook() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "sbomcheck"
    assert hook["entry"] == "python -m sbomcheck scan"
    assert hook["pass_filenames"] is True
    assert hook["language"] == "python"
    files = re.compile(hook["files"])
    for name in (
        "bom.json",
        "sub/sbom.xml",
        "a.cdx.json",
        "x.spdx",
        "x.spdx.rdf.xml",
        "x.spdx.yml",
        "x.spdx3.json",
        "x.cdx.json.gz",
        "vendor/p.bom.json",
    ):
        assert files.search(name), name
    for name in ("package.json", "bom.json.bak", "xbom.json", "docs/spdx.md", "pom.xml"):
        assert not files.search(name), name


STUB = """#!/usr/bin/env bash
# `python -m sbomcheck ...` is logged and answered; any other use is the real Python.
if [ "$1" != -m ] || [ "$2" != sbomcheck ]; then exec "$REAL_PYTHON" "$@"; fi
shift 2
echo "$*" >> "$STUB_LOG"
# Each `--output FORMAT=PATH` is written (a failing run, code 2, writes nothing).
while [ $# -gt 0 ]; do
  if [ "$1" = --output ] && [ "$STUB_CODE" != 2 ]; then
    case "$2" in
      sarif=*) echo '{"version":"2.1.0","runs":[{"automationDetails":{"id":"sbomcheck/"}}]}' \
        > "${2#sarif=}";;
      markdown=-) echo "## sbomcheck summary";;
    esac
    shift
  fi
  shift
done
exit "$STUB_CODE"
"""


REAL = """#!/usr/bin/env bash
# The real sbomcheck, each `python -m sbomcheck ...` logged.
if [ "$1" = -m ] && [ "$2" = sbomcheck ]; then echo "${*:3}" >> "$STUB_LOG"; fi
exec "$REAL_PYTHON" "$@"
"""


def _run_scan_step(
    tmp_path: Path, code: int, *, python: str = STUB, **inputs: str
) -> dict[str, str]:
    if not shutil.which("bash"):
        pytest.skip("bash is not available")
    bindir = tmp_path / "bin"
    bindir.mkdir(exist_ok=True)
    stub = bindir / "python"
    stub.write_text(python)
    stub.chmod(stub.stat().st_mode | stat.S_IXUSR)
    step = _step("scan")
    env = {k: str(v) for k, v in step["env"].items()}
    env.update(
        IN_PROFILE="vendor",
        IN_AS_OF="",
        IN_FAIL_ON="",
        IN_WAIVERS="",
        IN_ALIASES="",
        IN_SARIF="out.sarif",
        IN_CATEGORY="sbomcheck",
        IN_UPLOAD="true",
    )
    env.update(inputs)
    env.update(
        PATH=f"{bindir}{os.pathsep}{os.environ['PATH']}",
        REAL_PYTHON=sys.executable,
        GITHUB_OUTPUT=str(tmp_path / "output"),
        GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"),
        STUB_LOG=str(tmp_path / "log"),
        STUB_CODE=str(code),
    )
    proc = subprocess.run(
        ["bash", "-c", step["run"]], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    outputs = dict(line.split("=", 1) for line in (tmp_path / "output").read_text().splitlines())
    outputs["stdout"] = proc.stdout
    return outputs


def test_action_scan_step_expands_globs_and_passes_options(tmp_path: Path) -> None:
    (tmp_path / "sboms" / "deep").mkdir(parents=True)
    (tmp_path / "sboms" / "a.cdx.json").write_text("{}")
    (tmp_path / "sboms" / "deep" / "b.cdx.json").write_text("{}")
    (tmp_path / "x y.spdx.json").write_text("{}")
    outputs = _run_scan_step(
        tmp_path,
        1,
        IN_SBOM="sboms/**/*.cdx.json x?y.spdx.json",
        IN_AS_OF="2026-01-15",
        IN_FAIL_ON="warn",
        IN_PROFILE="federal",
    )
    assert outputs["exit-code"] == "1"
    assert outputs["sarif-file"] == "out.sarif"
    calls = (tmp_path / "log").read_text().splitlines()
    # One scan writes both the SARIF file and the job summary.
    assert calls == [
        "scan sboms/a.cdx.json sboms/deep/b.cdx.json x y.spdx.json --profile federal "
        "--as-of 2026-01-15 --fail-on warn --sarif-category sbomcheck --output sarif=out.sarif "
        "--output markdown=- --max-bytes 900000",
    ]
    # The category code scanning shows: automationDetails.id without its last `/`.
    assert (tmp_path / "summary.md").read_text() == (
        "## sbomcheck summary\n\n"
        "_All findings: code scanning (category `sbomcheck/federal/sbomcheck`) and the SARIF "
        "file `out.sarif`._\n"
    )


def test_action_scan_step_takes_one_path_per_line_with_spaces(tmp_path: Path) -> None:
    (tmp_path / "vendor sboms").mkdir()
    (tmp_path / "vendor sboms" / "a b.cdx.json").write_text("{}")
    (tmp_path / "product one.spdx.json").write_text("{}")
    outputs = _run_scan_step(
        tmp_path, 0, IN_SBOM="vendor sboms/*.cdx.json\n  product one.spdx.json  \n\n"
    )
    assert outputs["exit-code"] == "0"
    first = (tmp_path / "log").read_text().splitlines()[0]
    assert first.startswith("scan vendor sboms/a b.cdx.json product one.spdx.json --profile ")
    # A pattern with a space that matches nothing is reported whole, not split.
    outputs = _run_scan_step(tmp_path, 0, IN_SBOM="no such/*.json\nproduct one.spdx.json")
    assert outputs["exit-code"] == "2"
    assert "no file matches the sbom input 'no such/*.json'" in outputs["stdout"]


@pytest.mark.parametrize(
    ("category", "option", "shown"),
    [
        ("sbomcheck-firmware", ["--sarif-category", "sbomcheck-firmware"], "sbomcheck-firmware"),
        ("/cloud/", ["--sarif-category", "/cloud/"], "cloud"),
        ("", [], ""),
    ],
)
def test_action_scan_step_passes_the_category_to_the_cli(
    tmp_path: Path, category: str, option: list[str], shown: str
) -> None:
    # upload-sarif ignores its `category` when the SARIF has an automationDetails.id: the
    # CLI writes the category into it (`--sarif-category`), no script edits the file.
    (tmp_path / "bom.json").write_text("{}")
    outputs = _run_scan_step(tmp_path, 1, IN_SBOM="bom.json", IN_CATEGORY=category)
    assert outputs["sarif-file"] == "out.sarif"
    (call,) = (tmp_path / "log").read_text().splitlines()
    assert call.startswith(" ".join(["scan bom.json --profile vendor", *option, "--output "]))
    # The summary names the category code scanning shows: the id without its last `/`.
    expected = "sbomcheck/vendor" + (f"/{shown}" if shown else "")
    assert (
        (tmp_path / "summary.md")
        .read_text()
        .endswith(
            f"\n_All findings: code scanning (category `{expected}`) and the SARIF file "
            "`out.sarif`._\n"
        )
    )
    outputs = _run_scan_step(tmp_path, 1, IN_SBOM="bom.json", IN_UPLOAD="false")
    assert (
        (tmp_path / "summary.md")
        .read_text()
        .endswith("\n_All findings: the SARIF file `out.sarif`._\n")
    )


def test_action_scan_step_runs_the_real_scan_once(tmp_path: Path) -> None:
    # The command line the Action builds, run by the real sbomcheck: one scan writes the
    # SARIF file and the job summary, and the category reaches the SARIF.
    sample = ROOT / "samples" / "sdk-three-levels.spdx.json"
    shutil.copy(sample, tmp_path / "bom.spdx.json")
    (tmp_path / "reports dir").mkdir()
    outputs = _run_scan_step(
        tmp_path,
        0,
        python=REAL,
        IN_SBOM="bom.spdx.json",
        IN_AS_OF="2026-01-15",
        IN_CATEGORY="firmware",
        IN_SARIF="reports dir/out.sarif",
    )
    assert outputs["exit-code"] == "1"
    assert outputs["sarif-file"] == "reports dir/out.sarif"
    assert len((tmp_path / "log").read_text().splitlines()) == 1
    log = json.loads((tmp_path / "reports dir" / "out.sarif").read_text())
    assert log["runs"][0]["automationDetails"] == {"id": "sbomcheck/vendor/firmware/"}
    assert log["runs"][0]["results"]
    summary = (tmp_path / "summary.md").read_text()
    assert summary.startswith("## sbomcheck: FAIL\n")
    assert summary.endswith(
        "\n_All findings: code scanning (category `sbomcheck/vendor/firmware`) and the SARIF "
        "file `reports dir/out.sarif`._\n"
    )


def test_action_scan_step_reports_no_match(tmp_path: Path) -> None:
    outputs = _run_scan_step(tmp_path, 0, IN_SBOM="nothing/*.json")
    assert outputs["exit-code"] == "2"
    assert "sarif-file" not in outputs
    assert "no file matches the sbom input 'nothing/*.json'" in outputs["stdout"]


def test_action_scan_step_bad_input_leaves_no_sarif(tmp_path: Path) -> None:
    (tmp_path / "bom.json").write_text("{}")
    (tmp_path / "out.sarif").write_text("stale")
    outputs = _run_scan_step(tmp_path, 2, IN_SBOM="bom.json")
    assert outputs["exit-code"] == "2"
    assert "sarif-file" not in outputs  # a stale SARIF is not uploaded


@pytest.mark.parametrize("code", [0, 1, 2])
def test_action_last_step_exits_with_the_scan_code(code: int) -> None:
    if not shutil.which("bash"):
        pytest.skip("bash is not available")
    step = _step("Exit with the scan's code")
    proc = subprocess.run(
        ["bash", "-c", step["run"]], env={**os.environ, "CODE": str(code)}, capture_output=True
    )
    assert proc.returncode == code


def test_packaging_metadata() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "Apache-2.0"  # an SPDX expression (PEP 639)
    assert project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").split()[:4] == [
        "Apache",
        "License",
        "Version",
        "2.0,",
    ]
    minors = {
        c.rsplit(" ", 1)[1]
        for c in project["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    }
    assert minors == {"3.11", "3.12", "3.13"}
    assert project["requires-python"] == ">=3.11"
    assert "for minor in 3.11 3.12 3.13" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_ci_runs_the_slow_tests_the_default_run_leaves_out() -> None:
    # The README's command deselects exactly the slow tests (and marks must be declared), and
    # .ci/run runs them once after it: between the two runs, every test runs in CI.
    ini = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]
    addopts: list[str] = ini["ini_options"]["addopts"]
    assert addopts.count("-m") == 1 and addopts[addopts.index("-m") + 1] == "not slow"
    assert "--strict-markers" in addopts
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r'^"\$work/venv-\$\{ran\[0\]\}/bin/python3" -m pytest -q -m slow$', run, re.M)
    assert "`python3 -m pytest -q -m slow`" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_jsonschema_is_a_dependency_exactly_when_runtime_code_imports_it() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    imported = any(
        re.search(r"^\s*(import jsonschema|from jsonschema[ .])", path.read_text("utf-8"), re.M)
        for path in (ROOT / "sbomcheck").rglob("*.py")
    )
    declared = any(re.match(r"jsonschema\b", d) for d in project["dependencies"])
    assert imported == declared  # sbomcheck.schema.validate_report uses it today
