"""Golden-file comparison: `assert_golden(text, "fail.sarif")` against `tests/golden/`.

Set `SBOMCHECK_UPDATE_GOLDEN=1` to (re)write the golden files instead of comparing; review
the diff with `git diff tests/golden` before committing. Validate the output against its
schema *before* calling this, so a golden file never records an invalid document.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
UPDATE_ENV = "SBOMCHECK_UPDATE_GOLDEN"
_MAX_DIFF_LINES = 80


def updating() -> bool:
    """True when golden files are being rewritten (`SBOMCHECK_UPDATE_GOLDEN=1`)."""
    return os.environ.get(UPDATE_ENV) == "1"


def assert_golden(actual: str, name: str, *, directory: Path = GOLDEN) -> None:
    """Compare `actual` byte for byte with `directory/name` (UTF-8, `\\n` line ends).

    Fails with a unified diff when they differ, or with instructions when the file is
    missing; rewrites the file instead when `SBOMCHECK_UPDATE_GOLDEN=1`.
    """
    path = directory / name
    if updating():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
        return
    if not path.exists():
        pytest.fail(
            f"golden file {path} is missing; create it with {UPDATE_ENV}=1 and review it",
            pytrace=False,
        )
    expected = path.read_bytes().decode("utf-8")
    if actual == expected:
        return
    diff = list(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"golden/{name}",
            tofile="actual",
        )
    )
    shown = "".join(diff[:_MAX_DIFF_LINES])
    if len(diff) > _MAX_DIFF_LINES:
        shown += f"... ({len(diff) - _MAX_DIFF_LINES} more diff lines)\n"
    pytest.fail(
        f"output differs from golden/{name} (rerun with {UPDATE_ENV}=1 to accept):\n{shown}",
        pytrace=False,
    )
