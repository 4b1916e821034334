"""Output formats: one formatter per format behind one interface, chosen by an exhaustive enum.

A formatter is a pure `Report -> str`: it never opens files, reads the clock or logs.
"""

from __future__ import annotations

import enum
from typing import assert_never

from sbomcheck.report.interface import (
    DEFAULT_RENDER_OPTIONS,
    STDIN_NAME,
    Formatter,
    RenderOptions,
)

__all__ = [
    "DEFAULT_RENDER_OPTIONS",
    "STDIN_NAME",
    "Formatter",
    "OutputFormat",
    "RenderOptions",
    "get_formatter",
]


class OutputFormat(enum.StrEnum):
    """Formats of `sbomcheck scan --format`."""

    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"
    MARKDOWN = "markdown"
    HTML = "html"
    CDXA = "cdxa"
    CSV = "csv"


def get_formatter(fmt: OutputFormat) -> Formatter:
    """The formatter for `fmt` (imports only the one needed)."""
    if fmt is OutputFormat.TEXT:
        from sbomcheck.report.text import TextFormatter

        return TextFormatter()
    if fmt is OutputFormat.JSON:
        from sbomcheck.report.json import JsonFormatter

        return JsonFormatter()
    if fmt is OutputFormat.SARIF:
        from sbomcheck.report.sarif import SarifFormatter

        return SarifFormatter()
    if fmt is OutputFormat.JUNIT:
        from sbomcheck.report.junit import JunitFormatter

        return JunitFormatter()
    if fmt is OutputFormat.MARKDOWN:
        from sbomcheck.report.markdown import MarkdownFormatter

        return MarkdownFormatter()
    if fmt is OutputFormat.HTML:
        from sbomcheck.report.html import HtmlFormatter

        return HtmlFormatter()
    if fmt is OutputFormat.CDXA:
        from sbomcheck.report.cdxa import CdxaFormatter

        return CdxaFormatter()
    if fmt is OutputFormat.CSV:
        from sbomcheck.report.csv import CsvFormatter

        return CsvFormatter()
    assert_never(fmt)
