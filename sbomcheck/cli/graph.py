"""`sbomcheck graph` (placeholder until its issue lands; replaced by the real module)."""

from __future__ import annotations

from typing import Any


def register(subparsers: Any) -> None:
    """Add the `graph` command."""
    subparsers.add_parser("graph", help="(not yet available)")
