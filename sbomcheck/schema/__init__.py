"""The JSON Schema (draft 2020-12) of the JSON report, shipped inside the package.

`report.schema.json` describes `Report.to_dict()` (docs/json-report.md); the tests validate
every JSON report they produce against it, and users can validate theirs with
`validate_report(json.load(fh))`.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from sbomcheck.errors import InputError

__all__ = ["SCHEMA_FILE", "ReportSchemaError", "load_report_schema", "validate_report"]

SCHEMA_FILE = "report.schema.json"
_MAX_MESSAGE = 200


class ReportSchemaError(InputError):
    """A JSON report that does not match `report.schema.json`.

    `location` is the JSON path of the first offending value (`findings[0].component.line`).
    """


@functools.cache
def _schema_text() -> str:
    return resources.files(__name__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


def load_report_schema() -> dict[str, Any]:
    """The report schema as a fresh dict (callers may modify it)."""
    schema: dict[str, Any] = json.loads(_schema_text())
    return schema


@functools.cache
def _validator() -> Draft202012Validator:
    schema = load_report_schema()
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
    errors = list(_validator().iter_errors(data))
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
        f"does not match {SCHEMA_FILE}: {message}{more}",
        source=source,
        location=_json_path(error.absolute_path),
    )
