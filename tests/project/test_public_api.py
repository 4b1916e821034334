"""The names `import sbomcheck` promises (docs/library.md) exist and work together."""

from __future__ import annotations

import datetime as dt

import pytest

import sbomcheck
from tests.conftest import SAMPLES


@pytest.mark.parametrize("name", sbomcheck.__all__)
def test_every_exported_name_resolves(name: str) -> None:
    assert getattr(sbomcheck, name) is not None


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        sbomcheck.nope  # noqa: B018


def test_the_documented_library_example_finds_the_linked_engines() -> None:
    options = sbomcheck.ScanOptions(
        as_of=dt.date(2026, 1, 15),
        catalogue=sbomcheck.load_catalogue(),
        rules=sbomcheck.load_rules(),
    )
    report = sbomcheck.check([SAMPLES / "linked"], options)
    assert report.verdict.value == "fail"
    assert sorted(f.component.name for f in report.findings) == ["KASSDK", "Kaspersky Scan Engine"]
    doc = sbomcheck.load(SAMPLES / "oem-appliance.cdx.xml")
    assert isinstance(doc, sbomcheck.Document)
    assert doc.format.value == "cyclonedx-xml"
    with pytest.raises(sbomcheck.SbomcheckError):
        sbomcheck.load(SAMPLES / "README.md")
