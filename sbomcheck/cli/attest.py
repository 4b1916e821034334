"""`sbomcheck attest SBOM... --key KEY -o FILE`: scan, then sign the decision (DSSE, in-toto)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sbomcheck.cli._common import (
    FAIL_ON,
    ExitCode,
    add_policy_options,
    as_of_or_today,
    build_scan_options,
    exit_code,
    print_skipped,
    write_output,
)
from sbomcheck.findings import Report
from sbomcheck.safe_text import visible


def register(subparsers: Any) -> None:
    """Add the `attest` command."""
    p = subparsers.add_parser(
        "attest",
        help="scan SBOMs and write a signed attestation of the verdict",
        description="Scan the SBOMs as `sbomcheck scan` does, then write the decision as an "
        "in-toto Statement v1 (subjects: the SBOM files by sha256; predicate: "
        "https://sbomcheck.dev/attestation/kaspersky-check/v1) signed with an Ed25519 key in "
        "a DSSE envelope. Check it with `sbomcheck verify`. Exit code 0 whenever the "
        "attestation is written, whatever the verdict (it is inside), unless --fail-on is "
        "given. See `sbomcheck help attestation`.",
    )
    p.add_argument("sboms", nargs="+", metavar="SBOM", help="SBOM file(s) of one product")
    p.add_argument(
        "--key",
        required=True,
        type=Path,
        metavar="KEY",
        help="Ed25519 private key (PEM, from `sbomcheck keygen`; password from "
        "SBOMCHECK_KEY_PASSWORD)",
    )
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="write the DSSE envelope (JSON) to FILE ('-' for stdout)",
    )
    p.add_argument(
        "--fail-on",
        choices=("fail", *FAIL_ON),
        help="also exit 1 when the verdict reaches LEVEL, as for scan (pass < indeterminate < "
        "warn < fail); default: exit 0 whenever the attestation is written",
    )
    add_policy_options(p)
    p.set_defaults(func=run)


def run_scan(args: argparse.Namespace) -> Report:
    """The scan `attest` signs: the same inputs, options and data as `sbomcheck scan`."""
    from sbomcheck.bundle import load_inputs
    from sbomcheck.scan import scan_documents

    options = build_scan_options(args, as_of_or_today(args.as_of))
    bundle = load_inputs(args.sboms)
    print_skipped(bundle.notes)
    return scan_documents(bundle.documents, options, skipped=bundle.notes)


def run(args: argparse.Namespace) -> int:
    """Scan, sign, write; exit 0 unless --fail-on is met by the verdict."""
    from sbomcheck.attest import (
        build_statement,
        dump_envelope,
        key_id,
        load_private_key,
        sign_envelope,
        subjects,
    )
    from sbomcheck.cli.keygen import password_from_env

    # NOTE: the key is loaded before the scan so a wrong key or password fails fast.
    key = load_private_key(args.key, password_from_env())
    report = run_scan(args)
    statement = build_statement(report, subjects(report, list(args.sboms)))
    write_output(args.output, dump_envelope(sign_envelope(statement, key)))
    where = "stdout" if args.output == "-" else visible(args.output)
    print(
        f"sbomcheck: attestation written to {where}: verdict {report.verdict.value} "
        f"(as of {report.as_of}, profile {report.profile}), {len(statement['subject'])} "
        f"subject(s), key id {key_id(key.public_key())}",
        file=sys.stderr,
    )
    if args.fail_on:
        return exit_code(report.verdict, args.fail_on)
    return ExitCode.OK
