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
    if fmt is OutputFormat.CSV and not report.findings:
        # CSV has a row per finding (with the verdict in it): none, the header only.
        assert out.count("\n") == 1 and out.startswith("sbom,")
    else:
        assert report.verdict.value in out.lower()
    # Pure and byte-stable: a second render (new formatter instance) is identical.
    assert get_formatter(fmt).render(report) == out
    # Options never break a format (only text uses colour).
    f.render(report, RenderOptions(color=True, width=60))


_FORMATTERS = {
    OutputFormat.TEXT: "TextFormatter",
    OutputFormat.JSON: "JsonFormatter",
    OutputFormat.SARIF: "SarifFormatter",
    OutputFormat.JUNIT: "JunitFormatter",
    OutputFormat.MARKDOWN: "MarkdownFormatter",
    OutputFormat.HTML: "HtmlFormatter",
    OutputFormat.CDXA: "CdxaFormatter",
    OutputFormat.CSV: "CsvFormatter",
}


def test_every_format_maps_to_its_own_formatter() -> None:
    # The enum is exhaustive: a member without a formatter (or one sharing another's) fails.
    assert set(_FORMATTERS) == set(OutputFormat)
    for fmt, name in _FORMATTERS.items():
        assert type(get_formatter(fmt)).__name__ == name
        assert type(get_formatter(fmt)).__module__ == _MODULES[fmt]


def test_the_snapshot_tool_writes_every_scan_format() -> None:
    # tools/snapshot_outputs.py compares outputs before and after a change: a format it does
    # not list would change unseen.
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "tools" / "snapshot_outputs.py"
    spec = importlib.util.spec_from_file_location("snapshot_outputs", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert set(module.SCAN_FORMATS) == {f.value for f in OutputFormat}
