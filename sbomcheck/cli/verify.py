"""`sbomcheck verify` (placeholder until its issue lands; replaced by the real module)."""

from __future__ import annotations

from typing import Any


def register(subparsers: Any) -> None:
    """Add the `verify` command."""
    subparsers.add_parser("verify", help="(not yet available)")
