"""`sbomcheck verify FILE --key PUB [--sbom SBOM...]`: check a signed attestation."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sbomcheck.cli._common import ExitCode
from sbomcheck.safe_text import visible


def register(subparsers: Any) -> None:
    """Add the `verify` command."""
    p = subparsers.add_parser(
        "verify",
        help="check a signed attestation and the SBOMs it covers",
        description="Check an attestation written by `sbomcheck attest`: the DSSE envelope "
        "parses, its signature verifies with the public key, the payload is an in-toto "
        "Statement v1 with the sbomcheck predicate, and each --sbom file's sha256 matches a "
        "subject. Exit 0 only when all of that holds; 1 when the attestation does not verify "
        "(tampered, wrong key, modified SBOM, not an attestation); 2 when a file cannot be read "
        "or the key is not an Ed25519 public key.",
    )
    p.add_argument("attestation", metavar="FILE", help="the DSSE envelope written by attest")
    p.add_argument(
        "--key", required=True, type=Path, metavar="PUB", help="Ed25519 public key (PEM)"
    )
    p.add_argument(
        "--sbom",
        action="append",
        default=[],
        type=Path,
        metavar="SBOM",
        help="an SBOM file that must match a subject digest (repeatable)",
    )
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="on success print a summary (text) or the verified statement (json)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Verify; a verification failure is exit 1 with one line on stderr."""
    from sbomcheck.attest import (
        MAX_ENVELOPE_BYTES,
        VerificationError,
        key_id,
        load_public_key,
        match_subjects,
        parse_envelope,
        read_bounded,
        sha256_file,
        verify_envelope,
    )

    # NOTE: unreadable inputs (attestation, key, SBOMs) raise AttestationError before any
    # check runs, so they end as exit 2 in cli.main; only what is read and found wanting is 1.
    key = load_public_key(args.key)
    data = read_bounded(Path(args.attestation), MAX_ENVELOPE_BYTES, "attestation")
    digests = [(str(path), sha256_file(path)) for path in args.sbom]
    try:
        envelope = parse_envelope(data, source=args.attestation)
        statement = verify_envelope(envelope, key, source=args.attestation)
        names = match_subjects(statement, digests)
    except VerificationError as e:
        print(f"sbomcheck: verify: FAILED: {e.diagnostics()}", file=sys.stderr)
        return ExitCode.FAIL
    if args.format == "json":
        from sbomcheck.report.json import dumps

        sys.stdout.write(dumps(statement))
    else:
        sys.stdout.write(_summary(statement, key_id(key), digests, names))
    return ExitCode.OK


def _clean(value: object) -> str:
    """A value from the statement, safe to print: control and bidi characters escaped.

    NOTE: a signed statement is authentic, not necessarily harmless; a subject name with
    terminal escapes or newlines could otherwise forge lines such as "OK: ..." on screen.
    """
    return visible(str(value))


def _summary(
    statement: dict[str, Any], keyid: str, digests: list[tuple[str, str]], names: list[str]
) -> str:
    predicate = statement["predicate"]
    tool = predicate.get("tool")
    version = tool.get("version") if isinstance(tool, dict) else None
    lines = [
        f"OK: signature verified with key {keyid}",
        f"verdict: {_clean(predicate.get('verdict'))}",
        f"as of:   {_clean(predicate.get('as_of'))}",
        f"profile: {_clean(predicate.get('profile'))}",
        f"tool:    sbomcheck {_clean(version)}",
    ]
    lines.extend(
        f"subject: {_clean(s.get('name'))} sha256:{s['digest']['sha256']}"
        for s in statement["subject"]
    )
    lines.extend(
        f"matched: {_clean(path)} = subject {_clean(name)}"
        for (path, _), name in zip(digests, names, strict=True)
    )
    if not digests:
        lines.append("note: no --sbom given; the SBOM files themselves were not checked")
    return "\n".join(lines) + "\n"
