"""The word for a parsed value's type in an error message, in the words of the file's syntax.

One home for every reader that says "must be a string, not integer": a TOML file (rules,
waivers) names TOML's types, a JSON document names JSON's (`table` and `object` are the same
Python dict, but a user reads the word of the file in front of them).
"""

from __future__ import annotations

import datetime as dt

__all__ = ["json_type", "toml_type"]

_TOML = {int: "integer", float: "float", str: "string"}
_JSON: dict[type, str] = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "number",
    float: "number",
    type(None): "null",
}
_WITH_ARTICLE = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "number": "a number",
    "boolean": "a boolean",
    "null": "null",
}


def toml_type(value: object, *, article: bool = False) -> str:
    """TOML's name for a value `tomllib` returns: `string`, `integer`, `float`, `boolean`,
    `array`, `table`, `date-time`, `date` or `time` (else the Python type's name); with
    `article`, `a string`, `an integer`, `a date-time`."""
    word = _toml_word(value)
    if not article:
        return word
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


def _toml_word(value: object) -> str:
    # NOTE: bool is an int and datetime a date, so each is tested before the other.
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, dict):
        return "table"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dt.datetime):
        return "date-time"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, dt.time):
        return "time"
    return _TOML.get(type(value), type(value).__name__)


def json_type(value: object, *, article: bool = False) -> str:
    """JSON's name for a decoded value: `object`, `array`, `string`, `number`, `boolean` or
    `null` (else the Python type's name); with `article`, `an object`, `a number`, `null`."""
    word = _JSON.get(type(value))
    if word is None:
        return type(value).__name__
    return _WITH_ARTICLE[word] if article else word
