"""Fixtures for the identification tests: both gate searches."""

from __future__ import annotations

import pytest

from sbomcheck.identify import matcher


@pytest.fixture(params=["re2", "split"])
def gate_search(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test with both gate searches: RE2, and the word split that `_candidates`
    falls back to where google-re2 cannot be imported. Modules opt in with
    `pytestmark = pytest.mark.usefixtures("gate_search")`."""
    if request.param == "split":
        monkeypatch.setattr(matcher, "_gate_finder", lambda gate: None)
    return str(request.param)
