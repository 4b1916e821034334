"""`sbomcheck rules` (placeholder until its issue lands; replaced by the real module)."""

from __future__ import annotations

from typing import Any


def register(subparsers: Any) -> None:
    """Add the `rules` command."""
    subparsers.add_parser("rules", help="(not yet available)")
