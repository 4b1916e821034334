"""`sbomcheck keygen`, `attest` and `verify` end to end, in process."""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import stat
from pathlib import Path

import pytest

from sbomcheck.attest import sha256_file
from sbomcheck.cli import main
from sbomcheck.findings import Report
from tests.report.fixtures import (
    DOC_PRODUCT,
    FAIL_REPORT,
    INDETERMINATE_REPORT,
    PASS_REPORT,
    WARN_REPORT,
)

SBOM_TEXT = '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": []}\n'


def _fake_scan(template: Report) -> object:
    """A stand-in for the scan pipeline: the template's verdict, the real files' digests."""

    def run_scan(args: argparse.Namespace) -> Report:
        docs = tuple(
            dataclasses.replace(DOC_PRODUCT, path=p, sha256=sha256_file(Path(p)))
            for p in args.sboms
        )
        return dataclasses.replace(
            template, documents=docs, as_of=str(args.as_of or "2026-01-15"), profile=args.profile
        )

    return run_scan


@pytest.fixture
def fake_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sbomcheck.cli.attest.run_scan", _fake_scan(FAIL_REPORT))


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory with one SBOM and a key pair, as the working directory."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SBOMCHECK_KEY_PASSWORD", raising=False)
    Path("app.cdx.json").write_text(SBOM_TEXT)
    assert main(["keygen", "--private", "k.pem", "--public", "k.pub"]) == 0
    return tmp_path


def _attest(*extra: str) -> int:
    argv = ["attest", "app.cdx.json", "--key", "k.pem", "-o", "att.json", "--as-of", "2026-01-15"]
    return main([*argv, *extra])


# --- keygen ---------------------------------------------------------------------------------


def test_keygen_writes_a_pair(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keygen", "--private", "a.pem", "--public", "a.pub"]) == 0
    out, err = capsys.readouterr()
    assert stat.S_IMODE(Path("a.pem").stat().st_mode) == 0o600
    assert "not encrypted" in err
    from sbomcheck.attest import key_id, load_public_key

    assert out == key_id(load_public_key(Path("a.pub"))) + "\n"
    assert Path("a.pub").read_text().startswith("-----BEGIN PUBLIC KEY-----")


def test_keygen_refuses_to_overwrite(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = Path("k.pem").read_bytes()
    capsys.readouterr()
    assert main(["keygen", "--private", "k.pem", "--public", "new.pub"]) == 2
    assert "k.pem: exists; not overwriting it (use --force)" in capsys.readouterr().err
    assert Path("k.pem").read_bytes() == before
    assert not Path("new.pub").exists()
    assert main(["keygen", "--private", "k.pem", "--public", "new.pub", "--force"]) == 0
    assert Path("k.pem").read_bytes() != before


def test_keygen_encrypts_with_the_env_password(
    work: Path, fake_scan: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SBOMCHECK_KEY_PASSWORD", "s3cret")
    assert main(["keygen", "--private", "e.pem", "--public", "e.pub"]) == 0
    assert "ENCRYPTED PRIVATE KEY" in Path("e.pem").read_text()
    assert main(["attest", "app.cdx.json", "--key", "e.pem", "-o", "att.json"]) == 0
    monkeypatch.delenv("SBOMCHECK_KEY_PASSWORD")
    capsys.readouterr()
    assert main(["attest", "app.cdx.json", "--key", "e.pem", "-o", "att2.json"]) == 2
    assert "e.pem: the private key is encrypted; set SBOMCHECK_KEY_PASSWORD" in (
        capsys.readouterr().err
    )
    assert not Path("att2.json").exists()


# --- attest and verify ----------------------------------------------------------------------


def test_round_trip(work: Path, fake_scan: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert _attest() == 0  # a fail verdict is signed, not an error
    err = capsys.readouterr().err
    assert "attestation written to att.json: verdict fail (as of 2026-01-15, profile vendor)" in err
    assert main(["verify", "att.json", "--key", "k.pub", "--sbom", "app.cdx.json"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: signature verified with key ")
    assert "verdict: fail\nas of:   2026-01-15\nprofile: vendor\n" in out
    digest = hashlib.sha256(SBOM_TEXT.encode()).hexdigest()
    assert f"subject: app.cdx.json sha256:{digest}" in out
    assert "matched: app.cdx.json = subject app.cdx.json" in out


def test_verify_json_prints_the_statement(
    work: Path, fake_scan: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _attest("--profile", "federal") == 0
    capsys.readouterr()
    assert main(["verify", "att.json", "--key", "k.pub", "--format", "json"]) == 0
    statement = json.loads(capsys.readouterr().out)
    assert statement["predicate"]["profile"] == "federal"
    assert statement["subject"][0]["name"] == "app.cdx.json"


def test_verify_without_sbom_says_files_were_not_checked(
    work: Path, fake_scan: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _attest() == 0
    assert main(["verify", "att.json", "--key", "k.pub"]) == 0
    assert "note: no --sbom given" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("report", "fail_on", "code"),
    [
        (FAIL_REPORT, None, 0),  # the verdict is signed, not an error
        (FAIL_REPORT, "fail", 1),
        (WARN_REPORT, "fail", 0),
        (WARN_REPORT, "warn", 1),
        (INDETERMINATE_REPORT, "warn", 0),
        (INDETERMINATE_REPORT, "indeterminate", 1),
        (WARN_REPORT, "indeterminate", 1),
        (PASS_REPORT, "indeterminate", 0),
    ],
)
def test_fail_on(
    work: Path, monkeypatch: pytest.MonkeyPatch, report: Report, fail_on: str | None, code: int
) -> None:
    monkeypatch.setattr("sbomcheck.cli.attest.run_scan", _fake_scan(report))
    assert _attest(*(["--fail-on", fail_on] if fail_on else [])) == code
    assert Path("att.json").exists()  # written regardless


def test_modified_sbom_fails(
    work: Path, fake_scan: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _attest() == 0
    Path("app.cdx.json").write_text(SBOM_TEXT.replace("[]", '[{"name": "x"}]'))
    capsys.readouterr()
    assert main(["verify", "att.json", "--key", "k.pub", "--sbom", "app.cdx.json"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("sbomcheck: verify: FAILED: app.cdx.json: sha256 ")
    assert "matches no subject" in err
    assert err.count("\n") == 1


def test_wrong_key_fails(work: Path, fake_scan: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert _attest() == 0
    assert main(["keygen", "--private", "o.pem", "--public", "o.pub"]) == 0
    capsys.readouterr()
    assert main(["verify", "att.json", "--key", "o.pub"]) == 1
    assert "not by the given key" in capsys.readouterr().err


def test_tampered_attestation_fails(
    work: Path, fake_scan: None, capsys: pytest.CaptureFixture[str]
) -> None:
    import base64

    assert _attest() == 0
    envelope = json.loads(Path("att.json").read_text())
    payload = base64.b64decode(envelope["payload"]).replace(b'"fail"', b'"pass"')
    envelope["payload"] = base64.b64encode(payload).decode()
    Path("att.json").write_text(json.dumps(envelope))
    capsys.readouterr()
    assert main(["verify", "att.json", "--key", "k.pub"]) == 1
    assert "FAILED: att.json: the signature does not verify" in capsys.readouterr().err


def test_an_extra_signature_before_the_good_one_still_verifies(
    work: Path, fake_scan: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _attest() == 0
    assert main(["keygen", "--private", "o.pem", "--public", "o.pub"]) == 0
    envelope = json.loads(Path("att.json").read_text())
    good = envelope["signatures"][0]
    envelope["signatures"] = [{"keyid": good["keyid"], "sig": "AAAA"}, {"sig": 1}, good]
    Path("att.json").write_text(json.dumps(envelope))
    capsys.readouterr()
    assert main(["verify", "att.json", "--key", "k.pub", "--sbom", "app.cdx.json"]) == 0
    assert capsys.readouterr().out.startswith("OK: signature verified with key ")
    # The other key verifies none of them: not proof.
    assert main(["verify", "att.json", "--key", "o.pub"]) == 1


def test_a_signed_payload_with_a_repeated_key_is_not_proof(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import base64

    from sbomcheck.attest import PAYLOAD_TYPE, load_private_key, pae

    key = load_private_key(Path("k.pem"))
    statement = {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": "app.cdx.json", "digest": {"sha256": "a" * 64}}],
        "predicateType": "https://sbomcheck.dev/attestation/kaspersky-check/v1",
        "predicate": {"verdict": "fail"},
    }
    text = json.dumps(statement).replace(
        '"verdict": "fail"', '"verdict": "pass", "verdict": "fail"'
    )
    payload = text.encode()
    envelope = {
        "payloadType": PAYLOAD_TYPE,
        "payload": base64.b64encode(payload).decode(),
        "signatures": [{"sig": base64.b64encode(key.sign(pae(PAYLOAD_TYPE, payload))).decode()}],
    }
    Path("att.json").write_text(json.dumps(envelope))
    capsys.readouterr()
    assert main(["verify", "att.json", "--key", "k.pub"]) == 1
    assert capsys.readouterr().err == (
        "sbomcheck: verify: FAILED: att.json: signed payload: the key 'verdict' appears twice in "
        "one object; readers disagree on which value counts, so it proves nothing\n"
    )


@pytest.mark.parametrize("content", ["", "not json", "[]", '{"payload": "x"}'])
def test_malformed_attestation_fails(
    work: Path, content: str, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("att.json").write_text(content)
    assert main(["verify", "att.json", "--key", "k.pub"]) == 1
    assert "FAILED: att.json: not a DSSE envelope" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["verify", "missing.json", "--key", "k.pub"], "missing.json: cannot read"),
        (["verify", "att.json", "--key", "missing.pub"], "missing.pub: cannot read"),
        (["verify", "att.json", "--key", "k.pem"], "k.pem: is a private key"),
        (["verify", "att.json", "--key", "k.pub", "--sbom", "no.json"], "no.json: cannot read"),
        (["attest", "app.cdx.json", "--key", "nokey.pem", "-o", "x.json"], "nokey.pem: cannot"),
        (["attest", "app.cdx.json", "--key", "k.pub", "-o", "x.json"], "not a PEM private key"),
    ],
)
def test_unreadable_inputs_exit_2(
    work: Path, fake_scan: None, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("att.json").write_text("{}")
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1
    assert not Path("x.json").exists()


def test_attest_needs_an_output(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["attest", "app.cdx.json", "--key", "k.pem"])
    assert exc.value.code == 2
    assert "required: -o/--output" in capsys.readouterr().err


def test_subjects_use_scanned_digests_and_hash_archives(tmp_path: Path) -> None:
    from sbomcheck.attest import subjects

    archive = tmp_path / "bundle.zip"
    archive.write_bytes(b"PK not really")
    inside = dataclasses.replace(DOC_PRODUCT, path=f"{archive}!vendor/a.json", sha256="c" * 64)
    plain = dataclasses.replace(DOC_PRODUCT, path="gone.json", sha256="d" * 64)
    report = dataclasses.replace(FAIL_REPORT, documents=(plain, inside))
    # gone.json no longer exists: its digest is the one the scan read, not a second read.
    assert subjects(report, ["gone.json", str(archive)]) == [
        ("gone.json", "d" * 64),
        (str(archive), hashlib.sha256(b"PK not really").hexdigest()),
    ]


# --- the real pipeline ----------------------------------------------------------------------

KASPERSKY_SBOM = """{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
 "metadata": {"component": {"bom-ref": "app", "name": "acme-gateway", "version": "5.1",
   "type": "application", "supplier": {"name": "Acme Networks"}}},
 "components": [
  {"bom-ref": "av", "type": "library", "name": "av-module", "version": "2.0",
   "supplier": {"name": "Acme Networks"}, "purl": "pkg:generic/av-module@2.0"},
  {"bom-ref": "kav", "type": "library", "name": "kav-sdk", "version": "8.0",
   "supplier": {"name": "AO Kaspersky Lab"}, "purl": "pkg:generic/kav-sdk@8.0"}],
 "dependencies": [{"ref": "app", "dependsOn": ["av"]}, {"ref": "av", "dependsOn": ["kav"]}]}
"""


def test_real_pipeline_round_trip(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("kav.cdx.json").write_text(KASPERSKY_SBOM)
    argv = ["attest", "kav.cdx.json", "--key", "k.pem", "-o", "att.json", "--as-of", "2026-01-15"]
    assert main(argv) == 0
    capsys.readouterr()
    assert main(["verify", "att.json", "--key", "k.pub", "--sbom", "kav.cdx.json"]) == 0
    assert "verdict: fail\nas of:   2026-01-15\nprofile: vendor\n" in capsys.readouterr().out
    assert main(["verify", "att.json", "--key", "k.pub", "--format", "json"]) == 0
    statement = json.loads(capsys.readouterr().out)
    digest = hashlib.sha256(KASPERSKY_SBOM.encode()).hexdigest()
    assert statement["subject"] == [{"name": "kav.cdx.json", "digest": {"sha256": digest}}]
    predicate = statement["predicate"]
    (finding,) = predicate["findings"]
    assert finding["component"]["name"] == "kav-sdk"
    assert finding["paths"] == [["app", "av", "kav"]]
    assert any(e["value"] == "AO Kaspersky Lab" for e in finding["evidence"])
    assert "US-ICTS-2021-002" in {r["id"] for r in finding["rules"]}
    assert len(predicate["catalogue"]["sha256"]) == len(predicate["rules_data"]["sha256"]) == 64
    # One byte more in the SBOM and it is no longer the one attested.
    Path("kav.cdx.json").write_text(KASPERSKY_SBOM + " ")
    assert main(["verify", "att.json", "--key", "k.pub", "--sbom", "kav.cdx.json"]) == 1


def test_real_pipeline_directory_gives_one_subject_per_sbom(work: Path) -> None:
    Path("sboms").mkdir()
    Path("sboms/kav.cdx.json").write_text(KASPERSKY_SBOM)
    Path("sboms/app.cdx.json").write_text(SBOM_TEXT)
    assert main(["attest", "sboms", "--key", "k.pem", "-o", "att.json"]) == 0
    assert main(["verify", "att.json", "--key", "k.pub", "--sbom", "sboms/app.cdx.json"]) == 0
    assert main(["verify", "att.json", "--key", "k.pub", "--sbom", "sboms/kav.cdx.json"]) == 0


def test_real_pipeline_unreadable_sbom_writes_nothing(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("bad.cdx.json").write_text('{"bomFormat": "CycloneDX", "components": [')
    assert main(["attest", "bad.cdx.json", "--key", "k.pem", "-o", "att.json"]) == 2
    assert "bad.cdx.json" in capsys.readouterr().err
    assert not Path("att.json").exists()


def test_verify_escapes_control_characters_from_the_statement(
    work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = "x\nOK: forged line\x1b[2J"
    monkeypatch.setattr(
        "sbomcheck.cli.attest.run_scan",
        lambda args: dataclasses.replace(FAIL_REPORT, profile=hostile),
    )
    assert _attest() == 0
    capsys.readouterr()
    assert main(["verify", "att.json", "--key", "k.pub"]) == 0
    out = capsys.readouterr().out
    assert "profile: x\\nOK: forged line\\x1b[2J\n" in out
    assert "\x1b" not in out
    assert [line for line in out.splitlines() if line.startswith("OK:")] == [out.splitlines()[0]]
