"""Shared test fixtures: where the samples and the shared corpus are."""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
SCHEMAS = SHARED / "schemas"
AS_OF = dt.date(2026, 1, 15)
"""A fixed date for golden files: after every milestone in the rules data."""


def corpus_rows() -> list[dict[str, str]]:
    """Rows of ../shared/corpus/MANIFEST.csv, or [] where the corpus is absent."""
    manifest = CORPUS / "MANIFEST.csv"
    if not manifest.exists():
        return []
    with manifest.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def require_corpus() -> Path:
    """Skip the calling test cleanly where ../shared/corpus is absent."""
    if not (CORPUS / "MANIFEST.csv").exists():
        pytest.skip("../shared/corpus is not present")
    return CORPUS


@pytest.fixture
def corpus() -> Path:
    """The shared corpus directory (skips where absent)."""
    return require_corpus()


# NOTE: property tests run the same examples on every machine and Python, so a CI failure can
# be reproduced; HYPOTHESIS_PROFILE=explore searches with fresh random examples instead.
settings.register_profile("sbomcheck", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "sbomcheck"))


@pytest.fixture(autouse=True, scope="session")
def _no_settings_from_the_environment() -> Iterator[None]:
    """A developer's SBOMCHECK_PROFILE (or any other setting variable) must not change what
    the tests see; tests of the variables set them themselves."""
    from sbomcheck.cli._config import SETTINGS

    with pytest.MonkeyPatch.context() as mp:
        for setting in SETTINGS:
            mp.delenv(setting.env, raising=False)
        yield
