"""The JSON report: `Report.to_dict()`, keys sorted, two-space indent, byte-stable."""

from __future__ import annotations

import orjson

from sbomcheck.findings import Report
from sbomcheck.report.interface import DEFAULT_RENDER_OPTIONS, Formatter, RenderOptions
from sbomcheck.safe_text import json_safe


def dumps(data: object) -> str:
    """Deterministic JSON text (sorted keys, indent 2, trailing newline); C1, bidi and other
    invisible characters are written as `\\uXXXX` (`sbomcheck.safe_text.json_safe`)."""
    text = orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode()
    return json_safe(text) + "\n"


class JsonFormatter(Formatter):
    """`--format json`: the documented report (schema: sbomcheck/schema/report.schema.json)."""

    def render(self, report: Report, options: RenderOptions = DEFAULT_RENDER_OPTIONS) -> str:
        """The report as JSON."""
        return dumps(report.to_dict())
