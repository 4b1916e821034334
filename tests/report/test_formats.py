"""Every output format renders every fixture report, deterministically."""

from __future__ import annotations

import importlib

import pytest

from sbomcheck.findings import Report
from sbomcheck.report import Formatter, OutputFormat, RenderOptions, get_formatter
from tests.report.fixtures import ALL_REPORTS

# Formats others are still writing may be absent; they are skipped until their module lands.
_MODULES = {fmt: f"sbomcheck.report.{fmt.value}" for fmt in OutputFormat}


def formatter(fmt: OutputFormat) -> Formatter:
    try:
        importlib.import_module(_MODULES[fmt])
    except ModuleNotFoundError as e:
        if e.name != _MODULES[fmt]:
            raise
        pytest.skip(f"{_MODULES[fmt]} is not written yet")
    return get_formatter(fmt)


@pytest.mark.parametrize("name", sorted(ALL_REPORTS))
@pytest.mark.parametrize("fmt", list(OutputFormat), ids=str)
def test_renders_every_report(fmt: OutputFormat, name: str) -> None:
    report: Report = ALL_REPORTS[name]
    f = formatter(fmt)
    assert isinstance(f, Formatter)
    out = f.render(report)
    assert out.endswith("\n")
    assert report.verdict.value in out.lower()
    # Pure and byte-stable: a second render (new formatter instance) is identical.
    assert get_formatter(fmt).render(report) == out
    # Options never break a format (only text uses colour).
    f.render(report, RenderOptions(color=True, width=60))
