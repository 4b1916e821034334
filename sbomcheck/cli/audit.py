"""`sbomcheck audit` (placeholder until its issue lands; replaced by the real module)."""

from __future__ import annotations

from typing import Any


def register(subparsers: Any) -> None:
    """Add the `audit` command."""
    subparsers.add_parser("audit", help="(not yet available)")
