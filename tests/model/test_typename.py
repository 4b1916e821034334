"""The words for a value's type in error messages: TOML's for TOML files, JSON's for JSON."""

from __future__ import annotations

import tomllib

import pytest

from sbomcheck._typename import json_type, toml_type

EVERY_TOML_TYPE = """
string = "s"
integer = 1
float = 1.5
boolean = true
array = [1]
table = {a = 1}
date-time = 2024-09-29T00:00:00-04:00
local-date-time = 2024-09-29T00:00:00
date = 2024-09-29
time = 00:00:00
"""


def test_toml_type_names_every_type_tomllib_returns_as_toml_does() -> None:
    words = {key: toml_type(value) for key, value in tomllib.loads(EVERY_TOML_TYPE).items()}
    assert words == {
        "string": "string",
        "integer": "integer",
        "float": "float",
        "boolean": "boolean",
        "array": "array",
        "table": "table",
        "date-time": "date-time",
        "local-date-time": "date-time",
        "date": "date",
        "time": "time",
    }


def test_toml_type_with_an_article_as_the_settings_messages_say_it() -> None:
    values = tomllib.loads(EVERY_TOML_TYPE)
    words = {key: toml_type(value, article=True) for key, value in values.items()}
    assert words == {
        "string": "a string",
        "integer": "an integer",
        "float": "a float",
        "boolean": "a boolean",
        "array": "an array",
        "table": "a table",
        "date-time": "a date-time",
        "local-date-time": "a date-time",
        "date": "a date",
        "time": "a time",
    }


JSON_VALUES = [{}, [], "s", 1, 1.5, True, None, b"x"]


@pytest.mark.parametrize(
    ("article", "words"),
    [
        (False, ["object", "array", "string", "number", "number", "boolean", "null", "bytes"]),
        (
            True,
            [
                "an object",
                "an array",
                "a string",
                "a number",
                "a number",
                "a boolean",
                "null",
                "bytes",
            ],
        ),
    ],
)
def test_json_type_names_every_json_value_as_json_does(article: bool, words: list[str]) -> None:
    assert [json_type(v, article=article) for v in JSON_VALUES] == words


def test_json_type_says_what_the_two_json_readers_say() -> None:
    # NOTE: the CycloneDX and SPDX readers still have their own copies (ingest/ was being
    # changed by others); this pins them to the one home until they import it instead.
    from sbomcheck.ingest._spdx_values import type_name
    from sbomcheck.ingest.cyclonedx_json import _kind

    assert [json_type(v) for v in JSON_VALUES] == [type_name(v) for v in JSON_VALUES]
    assert [json_type(v, article=True) for v in JSON_VALUES] == [_kind(v) for v in JSON_VALUES]
