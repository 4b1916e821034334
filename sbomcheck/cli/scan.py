"""`sbomcheck scan` (placeholder until its issue lands; replaced by the real module)."""

from __future__ import annotations

from typing import Any


def register(subparsers: Any) -> None:
    """Add the `scan` command."""
    subparsers.add_parser("scan", help="(not yet available)")
