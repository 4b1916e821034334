"""The JSON Schemas (draft 2020-12) of the JSON report and the JSON graph, in the package.

`report.schema.json` describes `Report.to_dict()` (docs/json-report.md); the tests validate
every JSON report they produce against it, and users can validate theirs with
`validate_report(json.load(fh))`. `graph.schema.json` describes `sbomcheck graph --format
json` (docs/graph.md), checked with `validate_graph`.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from sbomcheck.errors import InputError

__all__ = [
    "GRAPH_SCHEMA_FILE",
    "SCHEMA_FILE",
    "ReportSchemaError",
    "load_graph_schema",
    "load_report_schema",
    "validate_graph",
    "validate_report",
]

SCHEMA_FILE = "report.schema.json"
GRAPH_SCHEMA_FILE = "graph.schema.json"
_MAX_MESSAGE = 200


class ReportSchemaError(InputError):
    """A JSON report that does not match `report.schema.json`.

    `location` is the JSON path of the first offending value (`findings[0].component.line`).
    """


@functools.cache
def _schema_text(name: str = SCHEMA_FILE) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def load_report_schema() -> dict[str, Any]:
    """The report schema as a fresh dict (callers may modify it)."""
    schema: dict[str, Any] = json.loads(_schema_text())
    return schema


def load_graph_schema() -> dict[str, Any]:
    """The graph schema as a fresh dict (callers may modify it)."""
    schema: dict[str, Any] = json.loads(_schema_text(GRAPH_SCHEMA_FILE))
    return schema


@functools.cache
def _validator(name: str = SCHEMA_FILE) -> Draft202012Validator:
    schema: dict[str, Any] = json.loads(_schema_text(name))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _json_path(parts: Any) -> str:
    """`findings[0].component.line` from a jsonschema error path."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def validate_report(data: Any, *, source: str = "report") -> None:
    """Check `data` (a parsed JSON report) against the report schema.

    Raises `ReportSchemaError` naming `source` and the JSON path of the most relevant
    violation (jsonschema's `best_match`), with how many violations there are in all.
    """
    _validate(data, source=source, name=SCHEMA_FILE)


def validate_graph(data: Any, *, source: str = "graph") -> None:
    """Check `data` (parsed `sbomcheck graph --format json`) against the graph schema;
    raises `ReportSchemaError` as `validate_report` does."""
    _validate(data, source=source, name=GRAPH_SCHEMA_FILE)


def _validate(data: Any, *, source: str, name: str) -> None:
    errors = list(_validator(name).iter_errors(data))
    if not errors:
        return
    error = best_match(errors)
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    # NOTE: jsonschema quotes the offending value, which can be a whole finding; keep the
    # message to one readable line.
    message = " ".join(error.message.split())
    if len(message) > _MAX_MESSAGE:
        message = message[: _MAX_MESSAGE - 3] + "..."
    raise ReportSchemaError(
        f"does not match {name}: {message}{more}",
        source=source,
        location=_json_path(error.absolute_path),
    )
