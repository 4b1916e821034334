"""`sbomcheck keygen` (placeholder until its issue lands; replaced by the real module)."""

from __future__ import annotations

from typing import Any


def register(subparsers: Any) -> None:
    """Add the `keygen` command."""
    subparsers.add_parser("keygen", help="(not yet available)")
