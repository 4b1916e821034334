"""`sbomcheck history` (placeholder until its issue lands; replaced by the real module)."""

from __future__ import annotations

from typing import Any


def register(subparsers: Any) -> None:
    """Add the `history` command."""
    subparsers.add_parser("history", help="(not yet available)")
