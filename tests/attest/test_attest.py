"""The attestation library: keys, the in-toto statement, DSSE signing and verification."""

from __future__ import annotations

import base64
import hashlib
import os
import stat
from pathlib import Path
from typing import Any

import orjson
import pytest
import rfc8785
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from sbomcheck import attest
from sbomcheck.attest import VerificationError
from sbomcheck.errors import AttestationError
from tests.report.fixtures import FAIL_REPORT, INDETERMINATE_REPORT, WARN_REPORT

# NOTE: Ed25519 is deterministic, so a fixed seed gives byte-identical signatures across runs.
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
SUBJECTS = [("samples/appliance.cdx.json", "a" * 64)]


def _envelope(report: Any = FAIL_REPORT) -> dict[str, Any]:
    return attest.sign_envelope(attest.build_statement(report, SUBJECTS), KEY)


def _payload(envelope: dict[str, Any]) -> bytes:
    return base64.b64decode(envelope["payload"])


def _with_payload(envelope: dict[str, Any], payload: bytes) -> dict[str, Any]:
    return {**envelope, "payload": base64.b64encode(payload).decode()}


# --- statement ------------------------------------------------------------------------------


def test_statement_shape_and_predicate() -> None:
    statement = attest.build_statement(FAIL_REPORT, SUBJECTS)
    assert statement["_type"] == "https://in-toto.io/Statement/v1"
    assert statement["predicateType"] == "https://sbomcheck.dev/attestation/kaspersky-check/v1"
    assert statement["subject"] == [
        {"name": "samples/appliance.cdx.json", "digest": {"sha256": "a" * 64}}
    ]
    predicate = statement["predicate"]
    report = FAIL_REPORT.to_dict()
    assert predicate["report_schema"] == report["schema"]
    for key in ("verdict", "verdict_reasons", "as_of", "profile", "tool", "findings", "waivers"):
        assert predicate[key] == report[key], key
    assert predicate["rules_data"]["sha256"] == "1" * 64
    assert predicate["catalogue"]["sha256"] == "0" * 64
    finding = predicate["findings"][0]
    assert finding["paths"][0] == ["acme-gateway", "av-module", "kav-sdk"]
    assert finding["evidence"][0]["value"] == "AO Kaspersky Lab"
    assert predicate["limits"] == []


def test_waivers_used_are_in_the_predicate() -> None:
    predicate = attest.build_predicate(WARN_REPORT)
    assert predicate["verdict"] == "warn"
    assert predicate["waivers"][0]["waiver"]["approver"] == "ciso@example.org"
    assert predicate["waivers"][0]["matched"] == ["f" * 64]


def test_limits_come_from_completeness_and_unresolved_references() -> None:
    assert attest.limits(INDETERMINATE_REPORT) == [
        "90% of components lack a supplier",
        "no relationships",
        "samples/appliance.cdx.json: reference urn:cdx:4f1c0a4e-0000-4000-8000-000000000001/1 "
        "not followed: no document with this serial number was given",
    ]


def test_subjects_use_the_scanned_digests() -> None:
    inputs = ["samples/appliance.cdx.json"]
    assert attest.subjects(FAIL_REPORT, inputs) == [("samples/appliance.cdx.json", "a" * 64)]


@pytest.mark.parametrize(
    ("subjects", "message"),
    [
        ([], "needs at least one SBOM"),
        ([("x.json", "A" * 64)], "x.json: not a sha256 hex digest"),
        ([("x.json", "a" * 63)], "x.json: not a sha256 hex digest"),
    ],
)
def test_bad_subjects_are_refused(subjects: list[tuple[str, str]], message: str) -> None:
    with pytest.raises(AttestationError, match=message):
        attest.build_statement(FAIL_REPORT, subjects)


def test_payload_is_canonical_json() -> None:
    payload = _payload(_envelope())
    # Re-serialising the decoded statement gives the same bytes: what was signed is what
    # anyone re-derives from the content.
    assert rfc8785.dumps(orjson.loads(payload)) == payload
    assert payload.startswith(b'{"_type":"https://in-toto.io/Statement/v1","predicate":{')


def test_signing_is_deterministic() -> None:
    assert attest.dump_envelope(_envelope()) == attest.dump_envelope(_envelope())


# --- DSSE -----------------------------------------------------------------------------------


def test_pae_matches_the_dsse_spec_example() -> None:
    assert attest.pae("http://example.com/HelloWorld", b"hello world") == (
        b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
    )


def test_signature_is_ed25519_over_pae_with_raw_key_id() -> None:
    envelope = _envelope()
    assert envelope["payloadType"] == "application/vnd.in-toto+json"
    (signature,) = envelope["signatures"]
    raw = KEY.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert signature["keyid"] == hashlib.sha256(raw).hexdigest()
    # Checked with cryptography directly, not through the module under test.
    KEY.public_key().verify(
        base64.b64decode(signature["sig"]),
        b"DSSEv1 28 application/vnd.in-toto+json %d %b"
        % (len(_payload(envelope)), _payload(envelope)),
    )


def test_round_trip() -> None:
    envelope = attest.parse_envelope(attest.dump_envelope(_envelope()).encode())
    statement = attest.verify_envelope(envelope, KEY.public_key())
    assert statement == attest.build_statement(FAIL_REPORT, SUBJECTS)


def test_url_safe_base64_is_accepted() -> None:
    envelope = _envelope()
    envelope["payload"] = base64.urlsafe_b64encode(_payload(envelope)).decode().rstrip("=")
    assert attest.verify_envelope(envelope, KEY.public_key())["predicate"]["verdict"] == "fail"


def test_tampered_payload_fails() -> None:
    envelope = _envelope()
    payload = _payload(envelope)
    tampered = payload.replace(b'"verdict":"fail"', b'"verdict":"pass"')
    assert tampered != payload
    with pytest.raises(VerificationError, match="does not verify with key .*altered"):
        attest.verify_envelope(_with_payload(envelope, tampered), KEY.public_key())


def test_single_flipped_byte_in_payload_fails() -> None:
    envelope = _envelope()
    payload = bytearray(_payload(envelope))
    payload[len(payload) // 2] ^= 0x01
    with pytest.raises(VerificationError, match="does not verify"):
        attest.verify_envelope(_with_payload(envelope, bytes(payload)), KEY.public_key())


def test_tampered_signature_fails() -> None:
    envelope = _envelope()
    sig = bytearray(base64.b64decode(envelope["signatures"][0]["sig"]))
    sig[0] ^= 0x80
    envelope["signatures"] = [{**envelope["signatures"][0], "sig": base64.b64encode(sig).decode()}]
    with pytest.raises(VerificationError, match="does not verify"):
        attest.verify_envelope(envelope, KEY.public_key())


def test_wrong_key_fails_and_names_both_keys() -> None:
    envelope = _envelope()
    signer = attest.key_id(KEY.public_key())
    other = attest.key_id(OTHER_KEY.public_key())
    message = f"signed by key {signer}, not by the given key {other}"
    with pytest.raises(VerificationError, match=message):
        attest.verify_envelope(envelope, OTHER_KEY.public_key())


def test_keyid_is_only_a_hint() -> None:
    envelope = _envelope()
    envelope["signatures"] = [{"keyid": "", "sig": envelope["signatures"][0]["sig"]}]
    assert attest.verify_envelope(envelope, KEY.public_key())["_type"].endswith("Statement/v1")
    # ...and claiming the right keyid does not make a foreign signature pass.
    forged = attest.sign_envelope(attest.build_statement(FAIL_REPORT, SUBJECTS), OTHER_KEY)
    forged["signatures"][0]["keyid"] = attest.key_id(KEY.public_key())
    with pytest.raises(VerificationError, match="does not verify"):
        attest.verify_envelope(forged, KEY.public_key())


def test_other_payload_type_fails() -> None:
    envelope = {**_envelope(), "payloadType": "application/json"}
    with pytest.raises(VerificationError, match="payloadType is 'application/json'"):
        attest.verify_envelope(envelope, KEY.public_key())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"_type": "https://in-toto.io/Statement/v0.1"}, "_type is"),
        ({"predicateType": "https://slsa.dev/provenance/v1"}, "predicateType is"),
        ({"subject": []}, "no subjects"),
        ({"subject": [{"name": "x", "digest": {"sha1": "0" * 40}}]}, r"subject\[0\].digest"),
        ({"predicate": "fail"}, "predicate: not a JSON object"),
    ],
)
def test_signed_but_wrong_statement_fails(change: dict[str, Any], message: str) -> None:
    statement = {**attest.build_statement(FAIL_REPORT, SUBJECTS), **change}
    envelope = attest.sign_envelope(statement, KEY)
    with pytest.raises(VerificationError, match=message):
        attest.verify_envelope(envelope, KEY.public_key())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "invalid JSON"),
        (b'{"payload": ', "invalid JSON"),
        (b"[]", "not a JSON object"),
        (b'{"payloadType": "application/vnd.in-toto+json", "signatures": []}', "'payload'"),
        (
            b'{"payloadType": "application/vnd.in-toto+json", "payload": "", "signatures": []}',
            "not signed",
        ),
        (
            b'{"payloadType": "application/vnd.in-toto+json", "payload": "", '
            b'"signatures": [{"keyid": "k"}]}',
            r"signatures\[0\]: missing or bad 'sig'",
        ),
    ],
)
def test_malformed_envelope(data: bytes, message: str) -> None:
    # A malformed signature entry is judged with the others, when the signatures are tried.
    with pytest.raises(VerificationError, match=f"att.json: .*{message}"):
        envelope = attest.parse_envelope(data, source="att.json")
        attest.verify_envelope(envelope, KEY.public_key(), source="att.json")


def test_payload_that_is_not_base64_fails() -> None:
    envelope = {**_envelope(), "payload": "%%% not base64 %%%"}
    with pytest.raises(VerificationError, match="payload: not valid base64"):
        attest.verify_envelope(envelope, KEY.public_key())


def test_match_subjects() -> None:
    statement = attest.build_statement(FAIL_REPORT, [("a.json", "a" * 64), ("b.json", "b" * 64)])
    assert attest.match_subjects(statement, [("copy-of-b.json", "b" * 64)]) == ["b.json"]
    with pytest.raises(VerificationError, match="c.json: sha256 c{64} matches no subject"):
        attest.match_subjects(statement, [("a.json", "a" * 64), ("c.json", "c" * 64)])


def test_sha256_file(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(b"{}")
    assert attest.sha256_file(path) == hashlib.sha256(b"{}").hexdigest()
    with pytest.raises(AttestationError, match="missing.json: cannot read"):
        attest.sha256_file(tmp_path / "missing.json")


# --- keys -----------------------------------------------------------------------------------


def test_key_files_and_permissions(tmp_path: Path) -> None:
    old = os.umask(0o077)  # a strict umask must not make the public key unreadable to others
    try:
        pair = attest.generate_key_pair()
        attest.write_key_pair(pair, tmp_path / "k.pem", tmp_path / "k.pub")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "k.pem").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "k.pub").stat().st_mode) == 0o644
    assert (tmp_path / "k.pem").read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    private = attest.load_private_key(tmp_path / "k.pem")
    public = attest.load_public_key(tmp_path / "k.pub")
    assert attest.key_id(private.public_key()) == attest.key_id(public) == pair.key_id
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.pem", "k.pub"]  # no temp files


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    (tmp_path / "k.pub").write_text("keep me")
    with pytest.raises(AttestationError, match="k.pub: exists; not overwriting it"):
        attest.write_key_pair(attest.generate_key_pair(), tmp_path / "k.pem", tmp_path / "k.pub")
    # Neither file was written: no half pair.
    assert not (tmp_path / "k.pem").exists()
    assert (tmp_path / "k.pub").read_text() == "keep me"
    attest.write_key_pair(
        attest.generate_key_pair(), tmp_path / "k.pem", tmp_path / "k.pub", force=True
    )
    assert b"keep me" not in (tmp_path / "k.pub").read_bytes()
    assert isinstance(attest.load_public_key(tmp_path / "k.pub"), Ed25519PublicKey)


def test_same_path_for_both_keys_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AttestationError, match="need two files"):
        attest.write_key_pair(attest.generate_key_pair(), tmp_path / "k", tmp_path / "k")


def test_encrypted_private_key(tmp_path: Path) -> None:
    pair = attest.generate_key_pair(b"s3cret")
    attest.write_key_pair(pair, tmp_path / "k.pem", tmp_path / "k.pub")
    assert b"ENCRYPTED PRIVATE KEY" in pair.private_pem
    assert attest.key_id(attest.load_private_key(tmp_path / "k.pem", b"s3cret").public_key()) == (
        pair.key_id
    )
    with pytest.raises(AttestationError, match="k.pem: the private key is encrypted; set"):
        attest.load_private_key(tmp_path / "k.pem")
    with pytest.raises(AttestationError, match="k.pem: not a PEM private key .*password is wrong"):
        attest.load_private_key(tmp_path / "k.pem", b"wrong")


def test_password_for_an_unencrypted_key(tmp_path: Path) -> None:
    attest.write_key_pair(attest.generate_key_pair(), tmp_path / "k.pem", tmp_path / "k.pub")
    with pytest.raises(AttestationError, match="not encrypted; unset SBOMCHECK_KEY_PASSWORD"):
        attest.load_private_key(tmp_path / "k.pem", b"s3cret")


def test_key_loading_errors(tmp_path: Path) -> None:
    attest.write_key_pair(attest.generate_key_pair(), tmp_path / "k.pem", tmp_path / "k.pub")
    ec_key = ec.generate_private_key(ec.SECP256R1())
    (tmp_path / "ec.pem").write_bytes(
        ec_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (tmp_path / "ec.pub").write_bytes(
        ec_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    with pytest.raises(AttestationError, match="k.pem: is a private key; verify with the public"):
        attest.load_public_key(tmp_path / "k.pem")
    with pytest.raises(AttestationError, match="k.pub: not a PEM private key"):
        attest.load_private_key(tmp_path / "k.pub")
    with pytest.raises(AttestationError, match="ec.pem: not an Ed25519 private key"):
        attest.load_private_key(tmp_path / "ec.pem")
    with pytest.raises(AttestationError, match="ec.pub: not an Ed25519 public key"):
        attest.load_public_key(tmp_path / "ec.pub")
    with pytest.raises(AttestationError, match="nope.pub: cannot read the public key"):
        attest.load_public_key(tmp_path / "nope.pub")


# --- several signatures, duplicate keys (DSSE: one good signature is enough) ----------------


def _foreign_signature(envelope: dict[str, Any]) -> dict[str, str]:
    """A valid signature over the same payload, by another key, claiming our key id."""
    sig = OTHER_KEY.sign(attest.pae(attest.PAYLOAD_TYPE, _payload(envelope)))
    return {"keyid": attest.key_id(KEY.public_key()), "sig": base64.b64encode(sig).decode()}


_BAD_ENTRIES: list[Any] = [
    {"keyid": "attacker", "sig": base64.b64encode(b"\x00" * 64).decode()},
    {"keyid": "attacker", "sig": "%%% not base64 %%%"},
    {"keyid": "attacker"},
    {"keyid": "attacker", "sig": 7},
    "not an object",
    None,
]


@pytest.mark.parametrize("position", ["before", "after"])
@pytest.mark.parametrize("bad", range(len(_BAD_ENTRIES) + 1))
def test_one_good_signature_is_enough_whatever_else_is_there(position: str, bad: int) -> None:
    envelope = _envelope()
    good = envelope["signatures"][0]
    extra = _BAD_ENTRIES[bad] if bad < len(_BAD_ENTRIES) else _foreign_signature(envelope)
    envelope["signatures"] = [extra, good] if position == "before" else [good, extra]
    parsed = attest.parse_envelope(attest.dump_envelope(envelope).encode())
    assert attest.verify_envelope(parsed, KEY.public_key())["predicate"]["verdict"] == "fail"


def test_only_bad_signatures_fail_and_say_why() -> None:
    envelope = _envelope()
    envelope["signatures"] = [_foreign_signature(envelope), *_BAD_ENTRIES]
    with pytest.raises(VerificationError) as info:
        attest.verify_envelope(envelope, KEY.public_key(), source="att.json")
    message = info.value.diagnostics()
    assert message.startswith("att.json: the signature does not verify with key ")
    assert "signatures[2].sig: not valid base64" in message
    assert "signatures[3]: missing or bad 'sig'" in message


def _signed_raw(payload: bytes, key: Ed25519PrivateKey = KEY) -> dict[str, Any]:
    sig = key.sign(attest.pae(attest.PAYLOAD_TYPE, payload))
    return {
        "payloadType": attest.PAYLOAD_TYPE,
        "payload": base64.b64encode(payload).decode(),
        "signatures": [{"keyid": "", "sig": base64.b64encode(sig).decode()}],
    }


@pytest.mark.parametrize("where", ["top", "predicate"])
def test_signed_payload_with_a_duplicate_key_is_refused(where: str) -> None:
    statement = attest.build_statement(FAIL_REPORT, SUBJECTS)
    text = attest.canonical(statement).decode()
    # Two verdicts: a reader keeping the first key sees "pass", one keeping the last "fail".
    if where == "top":
        duplicated = text.replace('{"_type":', '{"predicateType":"x","_type":', 1)
        key = "predicateType"
    else:
        duplicated = text.replace('"verdict":"fail"', '"verdict":"pass","verdict":"fail"', 1)
        key = "verdict"
    assert duplicated != text
    envelope = _signed_raw(duplicated.encode())
    with pytest.raises(VerificationError) as info:
        attest.verify_envelope(envelope, KEY.public_key(), source="att.json")
    assert info.value.diagnostics() == (
        f"att.json: signed payload: the key '{key}' appears twice in one object; readers "
        "disagree on which value counts, so it proves nothing"
    )


def test_envelope_with_a_duplicate_key_is_refused() -> None:
    good = attest.dump_envelope(_envelope())
    forged = good.replace('"payload": ', '"payload": "eyJ9", "payload": ', 1)
    assert forged != good
    with pytest.raises(VerificationError, match="the key 'payload' appears twice"):
        attest.parse_envelope(forged.encode(), source="att.json")


def test_too_many_signatures_and_too_large_envelopes_are_not_proof() -> None:
    envelope = _envelope()
    envelope["signatures"] = envelope["signatures"] * (attest.MAX_SIGNATURES + 1)
    with pytest.raises(VerificationError, match="more than the 1,000 verify tries"):
        attest.parse_envelope(attest.dump_envelope(envelope).encode())
    big = b" " * (attest.MAX_ENVELOPE_BYTES + 1)
    with pytest.raises(VerificationError, match="larger than"):
        attest.parse_envelope(big)


def test_key_files_are_read_bounded(tmp_path: Path) -> None:
    with pytest.raises(AttestationError, match="not a key: larger than 65,536 bytes"):
        attest.load_public_key(Path("/dev/zero"))


# --- keygen leaves no half pair --------------------------------------------------------------


def test_failure_writing_the_public_key_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(AttestationError, match="cannot write"):
        attest.write_key_pair(
            attest.generate_key_pair(), tmp_path / "k.pem", tmp_path / "missing" / "k.pub"
        )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("failing_call", [1, 2])
def test_failure_renaming_either_key_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing_call: int
) -> None:
    calls = []
    real_replace = os.replace

    def replace(src: Any, dst: Any) -> None:
        calls.append(dst)
        if len(calls) == failing_call:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(AttestationError, match="No space left on device"):
        attest.write_key_pair(attest.generate_key_pair(), tmp_path / "k.pem", tmp_path / "k.pub")
    assert len(calls) == failing_call
    assert list(tmp_path.iterdir()) == []


def test_a_directory_in_the_way_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    (tmp_path / "k.pub").mkdir()
    with pytest.raises(AttestationError, match="k.pub: is a directory"):
        attest.write_key_pair(
            attest.generate_key_pair(), tmp_path / "k.pem", tmp_path / "k.pub", force=True
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.pub"]
