"""Signed attestations: Ed25519 keys, the in-toto Statement of a scan, DSSE signing and checking.

An attestation is a DSSE envelope (https://github.com/secure-systems-lab/dsse) whose payload is
an in-toto Statement v1 (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md)
serialised canonically (RFC 8785, so the bytes signed are the bytes anyone re-derives). Its
subjects are the SBOM files by sha256; its predicate (type `PREDICATE_TYPE`, documented in
docs/attestation.md) is the decision: verdict, date, profile, data versions, findings.

Nothing here reads the clock or the environment: passwords and dates are parameters.

About 500 lines, in three sections (keys, the statement, DSSE) kept as one module: it is the
public face `sbomcheck.attest` (docs/library.md), and each section is small.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from sbomcheck._io import SBOM_MAX_BYTES, read_prefix, sha256_bounded
from sbomcheck.errors import AttestationError, InputError
from sbomcheck.findings import Report

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://sbomcheck.dev/attestation/kaspersky-check/v1"
"""The sbomcheck predicate; its fields are documented in docs/attestation.md."""
PAYLOAD_TYPE = "application/vnd.in-toto+json"

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class VerificationError(AttestationError):
    """The attestation was read but does not prove what it claims (CLI exit code 1).

    Plain `AttestationError` means an input could not be used at all (exit code 2).
    """


# --- keys -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyPair:
    """PEM encodings of a fresh Ed25519 key pair."""

    private_pem: bytes
    """PKCS#8, encrypted when a password was given."""
    public_pem: bytes
    """SubjectPublicKeyInfo."""
    key_id: str


def generate_key_pair(password: bytes | None = None) -> KeyPair:
    """A new Ed25519 key pair as PEM; the private key is encrypted when `password` is given."""
    private = Ed25519PrivateKey.generate()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    return KeyPair(
        private_pem=private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        ),
        public_pem=private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
        key_id=key_id(private.public_key()),
    )


def write_key_pair(
    pair: KeyPair, private_path: Path, public_path: Path, *, force: bool = False
) -> None:
    """Write the pair: the private key with mode 0600, the public key with 0644.

    Refuses to overwrite either file unless `force`. Both keys are first written to
    temporary files beside their targets and only then renamed into place, so a failure at
    any step (a refusal, a full disk, a missing directory) leaves no half pair behind: the
    temporary files are removed, and a private key already renamed is removed again.
    Raises `AttestationError`.
    """
    if private_path.resolve() == public_path.resolve():
        raise AttestationError(f"{private_path}: the private and public key need two files")
    for path in (private_path, public_path):
        if path.is_dir():
            raise AttestationError(f"{path}: is a directory")
        if not force and (path.exists() or path.is_symlink()):
            raise AttestationError(f"{path}: exists; not overwriting it (use --force)")
    temporary: list[Path] = []
    try:
        private_tmp = _write_temporary(private_path, pair.private_pem, 0o600, temporary)
        public_tmp = _write_temporary(public_path, pair.public_pem, 0o644, temporary)
        _install(private_tmp, private_path)
        temporary.remove(private_tmp)
        try:
            _install(public_tmp, public_path)
        except AttestationError:
            # NOTE: a private key without its public key is half a pair: take it back.
            private_path.unlink(missing_ok=True)
            raise
        temporary.remove(public_tmp)
    finally:
        for tmp in temporary:
            tmp.unlink(missing_ok=True)


def _write_temporary(path: Path, data: bytes, mode: int, created: list[Path]) -> Path:
    # NOTE: the key is written to a fresh file created with its final mode (never a 0644
    # file chmod-ed afterwards, which leaves a window), in the target's directory so that
    # the rename into place is atomic.
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except OSError as e:
        raise AttestationError(f"{path}: cannot write: {e.strerror or e}") from None
    created.append(tmp)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)  # the umask may have taken bits away from a 0644 public key
    except OSError as e:
        raise AttestationError(f"{path}: cannot write: {e.strerror or e}") from None
    return tmp


def _install(tmp: Path, path: Path) -> None:
    try:
        os.replace(tmp, path)
    except OSError as e:
        raise AttestationError(f"{path}: cannot write: {e.strerror or e}") from None


MAX_ENVELOPE_BYTES = 256 * 1024**2
"""Largest attestation file `verify` reads (the predicate is a scan report: megabytes)."""
MAX_SIGNATURES = 1_000
"""Most signatures an envelope may hold; each is tried, so this bounds the work."""
_MAX_KEY_BYTES = 64 * 1024


def read_bounded(path: Path, limit: int, what: str) -> bytes:
    """The first `limit + 1` bytes of `path` at most, so that a caller sees a file over
    `limit` without reading it all (a device or an endless FIFO ends there, not in memory).
    Raises `AttestationError` when the file cannot be read."""
    try:
        return read_prefix(path, limit + 1, cannot_read=f"cannot read the {what}")
    except InputError as e:
        raise AttestationError(e.diagnostics()) from None


def _read_key_file(path: Path, what: str) -> bytes:
    data = read_bounded(path, _MAX_KEY_BYTES, what)
    if len(data) > _MAX_KEY_BYTES:
        raise AttestationError(f"{path}: not a key: larger than {_MAX_KEY_BYTES:,} bytes")
    return data


def load_private_key(path: Path, password: bytes | None = None) -> Ed25519PrivateKey:
    """Read a PEM (PKCS#8) Ed25519 private key. Raises `AttestationError`."""
    data = _read_key_file(path, "private key")
    try:
        key = serialization.load_pem_private_key(data, password=password or None)
    except TypeError:
        # NOTE: cryptography raises TypeError both for "encrypted, no password given" and
        # "password given, key not encrypted"; say which.
        if password:
            raise AttestationError(
                f"{path}: the private key is not encrypted; unset SBOMCHECK_KEY_PASSWORD"
            ) from None
        raise AttestationError(
            f"{path}: the private key is encrypted; set SBOMCHECK_KEY_PASSWORD"
        ) from None
    except ValueError:
        hint = " (or the password is wrong)" if password else ""
        raise AttestationError(f"{path}: not a PEM private key{hint}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise AttestationError(f"{path}: not an Ed25519 private key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """Read a PEM Ed25519 public key. Raises `AttestationError`."""
    data = _read_key_file(path, "public key")
    if b"PRIVATE KEY" in data:
        raise AttestationError(f"{path}: is a private key; verify with the public key")
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        raise AttestationError(f"{path}: not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise AttestationError(f"{path}: not an Ed25519 public key")
    return key


def key_id(public_key: Ed25519PublicKey) -> str:
    """sha256 (hex) of the public key's 32 raw bytes: the DSSE `keyid`."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


# --- the statement --------------------------------------------------------------------------


def limits(report: Report) -> list[str]:
    """What the SBOMs could not show, in plain words (the predicate's `limits`)."""
    out: list[str] = []
    if report.completeness is not None:
        out.extend(report.completeness.reasons)
    out.extend(
        f"{u.document}: reference {u.reference} not followed: {u.reason}"
        for u in report.unresolved_references
    )
    return out


def build_predicate(report: Report) -> dict[str, Any]:
    """The sbomcheck predicate: the JSON report (docs/json-report.md) plus `limits`."""
    body = report.to_dict()
    predicate: dict[str, Any] = {"report_schema": body.pop("schema")}
    predicate.update(body)
    predicate["limits"] = limits(report)
    return predicate


def build_statement(report: Report, subjects: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """An in-toto Statement v1 about `subjects` ((name, sha256 hex) pairs, in order given).

    Raises `AttestationError` when there is no subject or a digest is not sha256 hex.
    """
    if not subjects:
        raise AttestationError("an attestation needs at least one SBOM as subject")
    entries = []
    for name, digest in subjects:
        if not _SHA256.match(digest):
            raise AttestationError(f"{name}: not a sha256 hex digest: {digest!r}")
        entries.append({"name": name, "digest": {"sha256": digest}})
    return {
        "_type": STATEMENT_TYPE,
        "subject": entries,
        "predicateType": PREDICATE_TYPE,
        "predicate": build_predicate(report),
    }


def subjects(report: Report, inputs: Sequence[str]) -> list[tuple[str, str]]:
    """One subject per SBOM given: the path as given and the sha256 of what was scanned.

    A plain file is a report document of that path, and its digest is the one the scan read
    (not a second read that could see other bytes). An input the report lists under other
    names (an archive, a directory) is hashed as a file, or covered by its documents.
    """
    by_path = {d.path: d.sha256 for d in reversed(report.documents)}
    out: list[tuple[str, str]] = []
    for name in inputs:
        if name in by_path:
            out.append((name, by_path[name]))
        elif Path(name).is_file():
            out.append((name, sha256_file(Path(name))))
        else:
            prefix = name.rstrip("/") + "/"
            out.extend(
                (d.path, d.sha256)
                for d in report.documents
                if d.path.startswith(prefix) or d.path.startswith(name + "!")
            )
    return out


def canonical(statement: Mapping[str, Any]) -> bytes:
    """RFC 8785 (JCS) bytes: what is signed. Raises `AttestationError` on values JCS forbids."""
    try:
        return bytes(rfc8785.dumps(statement))
    except rfc8785.CanonicalizationError as e:
        raise AttestationError(f"the statement cannot be canonicalised: {e}") from None


# --- DSSE -----------------------------------------------------------------------------------


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE v1 pre-authentication encoding: what the signature covers."""
    kind = payload_type.encode()
    return b"DSSEv1 %d %b %d %b" % (len(kind), kind, len(payload), payload)


def sign_envelope(statement: Mapping[str, Any], private_key: Ed25519PrivateKey) -> dict[str, Any]:
    """A DSSE envelope holding the canonical statement, signed with `private_key`."""
    payload = canonical(statement)
    sig = private_key.sign(pae(PAYLOAD_TYPE, payload))
    return {
        "payloadType": PAYLOAD_TYPE,
        "payload": base64.b64encode(payload).decode("ascii"),
        "signatures": [
            {"keyid": key_id(private_key.public_key()), "sig": base64.b64encode(sig).decode()}
        ],
    }


def dump_envelope(envelope: Mapping[str, Any]) -> str:
    """The envelope as written to a file: sorted keys, indented, trailing newline."""
    return orjson.dumps(envelope, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode() + "\n"


def _b64(value: object, where: str) -> bytes:
    if not isinstance(value, str):
        raise VerificationError(f"{where}: not a base64 string")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        # NOTE: DSSE allows URL-safe base64 too; accept it rather than reject a valid envelope.
        try:
            padded = value + "=" * (-len(value) % 4)
            return base64.b64decode(padded, altchars=b"-_", validate=True)
        except (binascii.Error, ValueError):
            raise VerificationError(f"{where}: not valid base64") from None


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def loads_unique(data: bytes, where: str) -> Any:
    """Strict JSON (orjson) in which no object repeats a key. Raises `VerificationError`
    starting with `where`.

    NOTE: JSON parsers disagree on a repeated key (orjson and Python keep the last value,
    others the first), so a document with one could show two readers two verdicts; it is
    refused, not read. The standard library's hook sees every key/value pair in order.
    """
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as e:
        raise VerificationError(f"{where}: invalid JSON ({e})") from None
    try:
        json.loads(data, object_pairs_hook=_refuse_duplicates)
    except _DuplicateKey as e:
        raise VerificationError(
            f"{where}: the key {e.key!r} appears twice in one object; readers disagree on "
            "which value counts, so it proves nothing"
        ) from None
    except (ValueError, RecursionError) as e:
        raise VerificationError(f"{where}: invalid JSON ({type(e).__name__})") from None
    return value


def parse_envelope(data: bytes, *, source: str = "attestation") -> dict[str, Any]:
    """Parse a DSSE envelope's JSON and check its shape. Raises `VerificationError`.

    The signatures themselves are judged one by one in `verify_envelope`.
    """
    if len(data) > MAX_ENVELOPE_BYTES:
        raise VerificationError(
            f"{source}: not a DSSE envelope: larger than {MAX_ENVELOPE_BYTES:,} bytes"
        )
    envelope = loads_unique(data, f"{source}: not a DSSE envelope")
    if not isinstance(envelope, dict):
        raise VerificationError(f"{source}: not a DSSE envelope: not a JSON object")
    _check_shape(envelope, source)
    return envelope


def _check_shape(envelope: Mapping[str, Any], source: str) -> None:
    for key, kind in (("payloadType", str), ("payload", str), ("signatures", list)):
        if not isinstance(envelope.get(key), kind):
            raise VerificationError(f"{source}: not a DSSE envelope: missing or bad '{key}'")
    if not envelope["signatures"]:
        raise VerificationError(f"{source}: signatures: the envelope is not signed")
    if len(envelope["signatures"]) > MAX_SIGNATURES:
        raise VerificationError(
            f"{source}: signatures: {len(envelope['signatures']):,} signatures, more than the "
            f"{MAX_SIGNATURES:,} verify tries"
        )


def _signature(entry: object, where: str) -> tuple[bytes, str]:
    """(signature bytes, claimed keyid) of one `signatures[]` entry; `VerificationError`
    when the entry is not a signature at all."""
    if not isinstance(entry, dict) or not isinstance(entry.get("sig"), str):
        raise VerificationError(f"{where}: missing or bad 'sig'")
    keyid = entry.get("keyid")
    return _b64(entry["sig"], f"{where}.sig"), keyid if isinstance(keyid, str) and keyid else "?"


def verify_envelope(
    envelope: Mapping[str, Any], public_key: Ed25519PublicKey, *, source: str = "attestation"
) -> dict[str, Any]:
    """Check the signatures with `public_key`, then the statement's types; return the statement.

    One signature that verifies with `public_key` is enough, whatever the others are (DSSE:
    several signatures are equivalent to separate envelopes): a malformed, foreign or
    altered signature beside it, before or after, changes nothing. The signature is checked
    over the payload bytes before they are parsed, so nothing unsigned is ever interpreted.
    Raises `VerificationError` naming what failed.
    """
    _check_shape(envelope, source)
    if envelope.get("payloadType") != PAYLOAD_TYPE:
        raise VerificationError(
            f"{source}: payloadType is {envelope.get('payloadType')!r}, expected {PAYLOAD_TYPE!r}"
        )
    payload = _b64(envelope.get("payload"), f"{source}: payload")
    message = pae(PAYLOAD_TYPE, payload)
    wanted = key_id(public_key)
    signers: list[str] = []
    malformed: list[str] = []
    for i, entry in enumerate(envelope["signatures"]):
        try:
            sig, keyid = _signature(entry, f"signatures[{i}]")
        except VerificationError as e:
            malformed.append(str(e))
            continue
        # NOTE: keyid is only a hint (DSSE); every signature is tried, whatever it claims.
        signers.append(keyid)
        try:
            public_key.verify(sig, message)
        except InvalidSignature:
            continue
        return _check_statement(payload, source)
    raise VerificationError(_no_signature_message(source, wanted, signers, malformed))


def _no_signature_message(
    source: str, wanted: str, signers: list[str], malformed: list[str]
) -> str:
    bad = f" ({'; '.join(malformed)})" if malformed else ""
    if not signers:
        return f"{source}: no usable signature{bad}"
    if wanted not in signers:
        return f"{source}: signed by key {', '.join(signers)}, not by the given key {wanted}{bad}"
    return (
        f"{source}: the signature does not verify with key {wanted}: the payload or signature "
        f"was altered{bad}"
    )


def _check_statement(payload: bytes, source: str) -> dict[str, Any]:
    statement = loads_unique(payload, f"{source}: signed payload")
    if not isinstance(statement, dict):
        raise VerificationError(f"{source}: payload: signed, but not a JSON object")
    if statement.get("_type") != STATEMENT_TYPE:
        raise VerificationError(
            f"{source}: payload._type is {statement.get('_type')!r}, expected {STATEMENT_TYPE!r}"
        )
    if statement.get("predicateType") != PREDICATE_TYPE:
        raise VerificationError(
            f"{source}: payload.predicateType is {statement.get('predicateType')!r}, "
            f"expected {PREDICATE_TYPE!r}"
        )
    subjects = statement.get("subject")
    if not isinstance(subjects, list) or not subjects:
        raise VerificationError(f"{source}: payload.subject: no subjects")
    for i, subject in enumerate(subjects):
        digest = subject.get("digest") if isinstance(subject, dict) else None
        if not isinstance(digest, dict) or not _SHA256.match(str(digest.get("sha256", ""))):
            raise VerificationError(f"{source}: payload.subject[{i}].digest: no sha256")
    if not isinstance(statement.get("predicate"), dict):
        raise VerificationError(f"{source}: payload.predicate: not a JSON object")
    return statement


def sha256_file(path: Path) -> str:
    """sha256 (hex) of a file's bytes (at most `SBOM_MAX_BYTES`, the largest SBOM read).
    Raises `AttestationError` when it cannot be read."""
    try:
        return sha256_bounded(path, SBOM_MAX_BYTES)
    except InputError as e:
        raise AttestationError(e.diagnostics()) from None


def match_subjects(statement: Mapping[str, Any], digests: Iterable[tuple[str, str]]) -> list[str]:
    """For each (file, sha256), the name of the subject with that digest, in order.

    Raises `VerificationError` for the first file no subject covers.
    """
    by_digest: dict[str, str] = {}
    for subject in statement["subject"]:
        by_digest.setdefault(subject["digest"]["sha256"], str(subject.get("name", "")))
    names = []
    for path, digest in digests:
        if digest not in by_digest:
            raise VerificationError(
                f"{path}: sha256 {digest} matches no subject of the attestation "
                "(the SBOM was modified, or is not the one attested)"
            )
        names.append(by_digest[digest])
    return names
