"""`sbomcheck keygen --private KEY --public PUB`: an Ed25519 key pair for attestations."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from sbomcheck.cli._common import ExitCode
from sbomcheck.safe_text import visible

PASSWORD_ENV = "SBOMCHECK_KEY_PASSWORD"
"""When set (and not empty), the private key is encrypted (keygen) or decrypted (attest) with it."""


def register(subparsers: Any) -> None:
    """Add the `keygen` command."""
    p = subparsers.add_parser(
        "keygen",
        help="make an Ed25519 key pair for signing attestations",
        description="Make an Ed25519 key pair: the private key as PKCS#8 PEM (file mode 0600; "
        f"encrypted when the environment variable {PASSWORD_ENV} is set), the public key as "
        "PEM. Existing files are never overwritten unless --force is given.",
    )
    p.add_argument("--private", required=True, type=Path, metavar="KEY", help="private key file")
    p.add_argument("--public", required=True, type=Path, metavar="PUB", help="public key file")
    p.add_argument("--force", action="store_true", help="overwrite existing key files")
    p.set_defaults(func=run)


def password_from_env() -> bytes | None:
    """The key password from the environment, or None (the CLI is the only reader of it)."""
    value = os.environ.get(PASSWORD_ENV)
    return value.encode() if value else None


def run(args: argparse.Namespace) -> int:
    """Generate and write the pair; print the key id (sha256 of the raw public key)."""
    from sbomcheck.attest import generate_key_pair, write_key_pair

    password = password_from_env()
    pair = generate_key_pair(password)
    write_key_pair(pair, args.private, args.public, force=args.force)
    state = "encrypted" if password else f"not encrypted; set {PASSWORD_ENV} to encrypt it"
    print(f"private key: {visible(str(args.private))} (mode 0600, {state})", file=sys.stderr)
    print(f"public key:  {visible(str(args.public))}", file=sys.stderr)
    # NOTE: stdout holds only the key id, so scripts can capture it.
    print(pair.key_id)
    return ExitCode.OK
