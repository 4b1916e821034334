"""`sbomcheck attest` (placeholder until its issue lands; replaced by the real module)."""

from __future__ import annotations

from typing import Any


def register(subparsers: Any) -> None:
    """Add the `attest` command."""
    subparsers.add_parser("attest", help="(not yet available)")
