"""`sbomcheck recheck` (placeholder until its issue lands; replaced by the real module)."""

from __future__ import annotations

from typing import Any


def register(subparsers: Any) -> None:
    """Add the `recheck` command."""
    subparsers.add_parser("recheck", help="(not yet available)")
