"""The JSON decoder used by ingest gives exactly what orjson gives, errors included."""

from __future__ import annotations

import orjson
import pytest

from sbomcheck.errors import IngestError
from sbomcheck.ingest import _loads_json, _may_hold_long_integer, load_bytes

CASES = [
    b'{"a": 1, "b": [1.5, -0, true, null, "x"]}',
    b'{"version": 18446744073709551616}',
    b'{"version": -9223372036854775809}',
    b"[12345678901234567890123]",
    b'{"a": "\\ud800"}',
    b'{"a": 1, "a": 2}',
    b'{"a": 1e400}',
    b'{"a": NaN}',
    # Deeper than this is refused before any decoder runs (MAX_JSON_DEPTH, tested below).
    b"[" * 256 + b"]" * 256,
    b'{"a": 1} x',
    b'{"a": "\x01"}',
    b'{"hash": "1234567890123456789012345"}',
]


@pytest.mark.parametrize("data", CASES)
def test_same_result_or_error_as_orjson(data: bytes) -> None:
    try:
        expected: object = orjson.loads(data)
    except orjson.JSONDecodeError as e:
        with pytest.raises(orjson.JSONDecodeError) as got:
            _loads_json(data)
        assert (got.value.msg, got.value.lineno, got.value.colno) == (e.msg, e.lineno, e.colno)
        return
    result = _loads_json(data)
    assert result == expected
    assert repr(result) == repr(expected)  # int vs float matters


def test_long_integer_detection() -> None:
    assert _may_hold_long_integer(b'{"v":1234567890123456789}')
    assert _may_hold_long_integer(b'{"v": -1234567890123456789}')
    assert _may_hold_long_integer(b"[0,1234567890123456789]")
    assert not _may_hold_long_integer(b'{"v":123456789012345678}')
    # Digits inside a hex digest are not a number.
    assert not _may_hold_long_integer(b'{"h":"ab12345678901234567890123"}')
    # A run that straddles the 1 MiB chunk boundary is still seen.
    pad = b'{"p":"' + b"x" * ((1 << 20) - 16) + b'","v":'
    assert _may_hold_long_integer(pad + b"98765432109876543210}")


@pytest.mark.parametrize(
    "data",
    [
        b'{"bomFormat": "CycloneDX",\n "specVersion": "1.5", "x": "\xff"}',
        b'{"spdxVersion": "SPDX-2.3",\n "name": "\xed\xa0\x80"}',
        b'{"a":\n "\xff"}',
    ],
)
def test_invalid_utf8_in_json_is_an_ingest_error_naming_the_line(data: bytes) -> None:
    # msgspec raises UnicodeDecodeError (not its DecodeError) here; it must not escape.
    with pytest.raises(IngestError) as caught:
        load_bytes(data, key="doc.json")
    assert caught.value.location == "line 2"
    assert "not valid UTF-8" in str(caught.value)
