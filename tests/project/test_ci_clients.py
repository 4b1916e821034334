"""The real clients that consume sbomcheck's CI outputs, asked whether they accept them.

An output is done when the client that reads it accepts it, not when our own test does. Each
test here runs a client (or its own published schema), on golden files and on what the CLI
writes for the samples, and shows once that the same client rejects a broken copy, so a
pass means something. A client that cannot be installed skips its test cleanly; `.ci/run`
installs all of them (docs/ci.md lists which client checks what, and which test does it):

- Jenkins xunit plugin: its JUnit schema (junit-10.xsd, vendored), with lxml;
- junitparser, the Python JUnit reader;
- GitHub Action metadata: SchemaStore's schema (vendored) with jsonschema, and the
  `action-validator` CLI from npm (`SBOMCHECK_NODE_TOOLS`, see below);
- pre-commit: its own manifest schema (`pre_commit.clientlib`) and `pre-commit try-repo`;
- CycloneDX: the CycloneDX JavaScript library's JSON validator from npm, and
  cyclonedx-python-lib's reader (which drops `declarations`: docs/cdxa.md);
- DSSE: securesystemslib's envelope verification of what `sbomcheck attest` writes.

`SBOMCHECK_NODE_TOOLS` names a directory where `npm ci` ran on
tests/assets/clients/package.json (its `node_modules/`); without it the npm clients skip.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from lxml import etree

from sbomcheck.cli import main
from tests.conftest import ROOT, SAMPLES

CLIENTS = ROOT / "tests" / "assets" / "clients"
GOLDEN = ROOT / "tests" / "golden"
AS_OF = ["--as-of", "2026-01-15"]
NODE_TOOLS_ENV = "SBOMCHECK_NODE_TOOLS"

SAMPLE_SCANS = {
    "oem-appliance": [SAMPLES / "oem-appliance.cdx.xml"],
    "linked": [SAMPLES / "linked"],
    "clean": [SAMPLES / "clean-product.cdx.json"],
    "sdk-three-levels": [SAMPLES / "sdk-three-levels.spdx.json"],
}
"""Real scans whose outputs the clients read: failing, linked, clean and SPDX input."""


def _scan(tmp_path: Path, name: str, fmt: str) -> Path:
    """`sbomcheck scan` of one sample set in `fmt`, written to a file."""
    out = tmp_path / f"{name}.{fmt}"
    code = main(
        ["scan", *(str(p) for p in SAMPLE_SCANS[name]), *AS_OF, "--format", fmt, "-o", str(out)]
    )
    assert code in (0, 1), code
    return out


# --- Jenkins xunit: junit-10.xsd ----------------------------------------------------------


@pytest.fixture(scope="module")
def xunit_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(CLIENTS / "jenkins-xunit-junit-10.xsd")))


def _junit_outputs(tmp_path: Path) -> list[Path]:
    return [*sorted(GOLDEN.glob("*.xml")), *(_scan(tmp_path, n, "junit") for n in SAMPLE_SCANS)]


def test_jenkins_xunit_schema_accepts_every_junit_output(
    tmp_path: Path, xunit_schema: etree.XMLSchema
) -> None:
    outputs = _junit_outputs(tmp_path)
    assert len(outputs) >= 9
    for path in outputs:
        assert xunit_schema.validate(etree.parse(str(path))), (
            path.name,
            str(xunit_schema.error_log),
        )


def test_jenkins_xunit_schema_rejects_skipped_on_testsuites(
    tmp_path: Path, xunit_schema: etree.XMLSchema
) -> None:
    root = etree.parse(str(_scan(tmp_path, "oem-appliance", "junit"))).getroot()
    root.set("skipped", "0")  # what sbomcheck used to write
    assert not xunit_schema.validate(root)


# --- junitparser --------------------------------------------------------------------------


def test_junitparser_reads_counts_failures_and_evidence(tmp_path: Path) -> None:
    junitparser = pytest.importorskip("junitparser")
    for path in _junit_outputs(tmp_path):
        xml = junitparser.JUnitXml.fromfile(str(path))
        raw = etree.parse(str(path)).getroot()
        suites = list(xml)
        assert [s.name for s in suites] == [s.get("name") for s in raw.findall("testsuite")]
        for suite in suites:
            cases = list(suite)
            assert suite.tests == len(cases)
            failed = [c for c in cases if any(isinstance(r, junitparser.Failure) for r in c.result)]
            assert suite.failures == len(failed), path.name
            assert suite.skipped == sum(1 for c in cases if c.is_skipped)
            for case in cases:
                assert case.classname == suite.name and case.time == 0.0
            for case in failed:
                (failure,) = case.result
                assert failure.message and failure.type in ("error", "warning", "finding")
                # What GitLab shows: the message, then the evidence and the paths.
                assert failure.text.startswith(failure.message + "\n\n")
                assert "  evidence:\n" in failure.text and "  paths (" in failure.text
    clean = junitparser.JUnitXml.fromfile(str(_scan(tmp_path, "clean", "junit")))
    assert clean.failures == 0 and clean.tests >= 1


# --- GitHub Action metadata ---------------------------------------------------------------


def _action() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    return data


def test_schemastore_action_schema_accepts_action_yml() -> None:
    from jsonschema import Draft7Validator

    schema = json.loads((CLIENTS / "schemastore-github-action.json").read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    validator = Draft7Validator(schema)
    assert [e.message for e in validator.iter_errors(_action())] == []
    broken = _action()
    del broken["runs"]["steps"][1]["shell"]  # a composite run step needs its shell
    assert list(validator.iter_errors(broken))


def _node_tools() -> Path:
    """`node_modules` of the npm clients, or skip."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    prefix = os.environ.get(NODE_TOOLS_ENV)
    if not prefix:
        pytest.skip(f"{NODE_TOOLS_ENV} is not set (.ci/run sets it after npm ci)")
    modules = Path(prefix) / "node_modules"
    if not modules.is_dir():
        pytest.skip(f"{modules} does not exist")
    return modules


def _action_validator(path: Path) -> subprocess.CompletedProcess[str]:
    cli = _node_tools() / "@action-validator" / "cli" / "cli.mjs"
    if not cli.is_file():
        pytest.skip("@action-validator/cli is not installed")
    return subprocess.run(
        ["node", str(cli), str(path)], capture_output=True, text=True, check=False, timeout=120
    )


def test_action_validator_accepts_action_yml(tmp_path: Path) -> None:
    done = _action_validator(ROOT / "action.yml")
    assert done.returncode == 0, done.stdout + done.stderr
    # It reads a file named action.yml as action metadata, and rejects a broken one.
    broken = _action()
    del broken["runs"]["steps"][1]["shell"]
    (tmp_path / "action.yml").write_text(yaml.safe_dump(broken), encoding="utf-8")
    done = _action_validator(tmp_path / "action.yml")
    assert done.returncode != 0
    report = done.stdout + done.stderr
    assert '"actionType": "action"' in report and "/runs/steps/1/shell" in report


# --- pre-commit ---------------------------------------------------------------------------


def test_pre_commit_accepts_the_hook_manifest(tmp_path: Path) -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib")
    (hook,) = clientlib.load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    assert (hook["id"], hook["language"], hook["pass_filenames"]) == ("sbomcheck", "python", True)
    broken = tmp_path / "hooks.yaml"
    broken.write_text("- id: x\n  name: x\n  entry: x\n  language: no-such-language\n")
    with pytest.raises(clientlib.InvalidManifestError):
        clientlib.load_manifest(str(broken))


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.mark.slow
def test_pre_commit_try_repo_runs_the_hook(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    inside = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--is-inside-work-tree"],
        capture_output=True,
        text=True,
        check=False,
    )
    if inside.stdout.strip() != "true":
        pytest.skip("the source tree is not a git checkout (pre-commit clones the hook repo)")
    work = tmp_path / "project"
    work.mkdir()
    _git("init", "-q", cwd=work)
    shutil.copy(SAMPLES / "oem-appliance.cdx.xml", work / "product.cdx.xml")
    shutil.copy(SAMPLES / "clean-product.cdx.json", work / "bom.json")
    (work / "package.json").write_text("{}")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "sbomcheck",
             "--verbose", "--files", *files],
            cwd=work, env=env, capture_output=True, text=True, check=False, timeout=900,
        )  # fmt: skip

    done = try_repo("product.cdx.xml", "package.json")
    if done.returncode == 3 and "pip" in done.stdout:
        # 3: pre-commit's "unexpected error", here pip failing to build the hook's
        # environment (no package index); `pip install .` in .ci/run still tests the build.
        pytest.skip(f"pre-commit could not install the hook: {done.stdout[-300:]}")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "sbomcheck (Kaspersky technology in SBOMs)" in done.stdout
    assert "- exit code: 1" in done.stdout and "FAIL" in done.stdout
    assert "in 1 document" in done.stdout  # package.json was not passed
    done = try_repo("bom.json", "package.json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASS" in done.stdout
    done = try_repo("package.json")
    assert done.returncode == 0 and "(no files to check)Skipped" in done.stdout


# --- CycloneDX ----------------------------------------------------------------------------

_CDX_VALIDATE = """
const cdx = require('@cyclonedx/cyclonedx-library');
const fs = require('fs');
const validator = new cdx.Validation.JsonStrictValidator(cdx.Spec.Version.v1dot6);
(async () => {
  const out = {};
  for (const path of process.argv.slice(1)) {
    out[path] = (await validator.validate(fs.readFileSync(path, 'utf8'))) ?? null;
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(String(e)); process.exit(3); });
"""


def _cyclonedx_js(paths: list[Path]) -> dict[str, Any]:
    """{path: null when valid, else the validator's errors} from the CycloneDX JS library."""
    modules = _node_tools()
    if not (modules / "@cyclonedx" / "cyclonedx-library").is_dir():
        pytest.skip("@cyclonedx/cyclonedx-library is not installed")
    done = subprocess.run(
        ["node", "-e", _CDX_VALIDATE, *(str(p) for p in paths)],
        env={**os.environ, "NODE_PATH": str(modules)},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_cyclonedx_js_validator_accepts_every_cdxa(tmp_path: Path) -> None:
    outputs = [
        *sorted(GOLDEN.glob("*.cdxa.json")),
        *(_scan(tmp_path, n, "cdxa") for n in SAMPLE_SCANS),
    ]
    broken = tmp_path / "broken.cdxa.json"
    doc = json.loads(outputs[0].read_text(encoding="utf-8"))
    doc["declarations"]["claims"][0]["unexpected"] = True
    broken.write_text(json.dumps(doc), encoding="utf-8")
    results = _cyclonedx_js([*outputs, broken])
    assert {p: e for p, e in results.items() if e is not None and p != str(broken)} == {}
    assert results[str(broken)], "the validator must reject what the schema forbids"


def test_cyclonedx_python_lib_drops_declarations(tmp_path: Path) -> None:
    # Documented in docs/cdxa.md: read cdxa files as JSON, not through Bom.from_json.
    from cyclonedx.model.bom import Bom
    from cyclonedx.output.json import JsonV1Dot6

    doc = json.loads(_scan(tmp_path, "oem-appliance", "cdxa").read_text(encoding="utf-8"))
    # from_json is added by py_serializable's class decorator, which mypy cannot see.
    bom = Bom.from_json(doc)  # type: ignore[attr-defined]
    again = json.loads(JsonV1Dot6(bom).output_as_string())
    assert "definitions" in again and "declarations" in doc
    assert "declarations" not in again, (
        "cyclonedx-python-lib now keeps declarations: update docs/cdxa.md"
    )


# --- DSSE: securesystemslib ---------------------------------------------------------------


def test_securesystemslib_verifies_the_attestation(tmp_path: Path) -> None:
    pytest.importorskip("securesystemslib")
    from cryptography.hazmat.primitives import serialization
    from securesystemslib.dsse import Envelope
    from securesystemslib.exceptions import VerificationError
    from securesystemslib.signer import SSlibKey

    sbom = SAMPLES / "oem-appliance.cdx.xml"
    private, public, att = tmp_path / "k.pem", tmp_path / "k.pub", tmp_path / "a.att.json"
    assert main(["keygen", "--private", str(private), "--public", str(public)]) == 0
    assert main(["attest", str(sbom), "--key", str(private), "-o", str(att), *AS_OF]) == 0

    key = serialization.load_pem_public_key(public.read_bytes())
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    # securesystemslib pairs signatures with keys by keyid: sbomcheck's is the sha256 of
    # the raw public key (docs/attestation.md).
    sslib_key = SSlibKey.from_crypto(key, keyid=hashlib.sha256(raw).hexdigest())
    # NOTE: Envelope.from_dict rewrites the dict it is given; each use reads the file afresh.
    envelope = Envelope.from_dict(json.loads(att.read_text(encoding="utf-8")))
    assert set(envelope.verify([sslib_key], 1)) == {sslib_key.keyid}
    statement = json.loads(envelope.payload)
    assert statement["predicateType"] == "https://sbomcheck.dev/attestation/kaspersky-check/v1"
    assert (
        statement["subject"][0]["digest"]["sha256"] == hashlib.sha256(sbom.read_bytes()).hexdigest()
    )

    data = json.loads(att.read_text(encoding="utf-8"))
    tampered = dict(
        data, payload=base64.b64encode(envelope.payload.replace(b"fail", b"pass")).decode()
    )
    with pytest.raises(VerificationError):
        Envelope.from_dict(tampered).verify([sslib_key], 1)
