"""What the fast-path tests (CycloneDX and SPDX JSON) share: running `load_bytes` through the
fast path and through the general reader alone, and generating irregular edits."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from hypothesis import strategies as st

from sbomcheck.errors import IngestError
from sbomcheck.ingest import detect, load_bytes
from sbomcheck.ingest.interface import FastPath

DELETE = object()
"""An edit that removes the member instead of setting it."""


def run_load(data: bytes, key: str) -> object:
    """The Document `load_bytes` returns, or (error class, message, location)."""
    try:
        return load_bytes(data, key=key)
    except IngestError as e:
        return (type(e).__name__, e.message, e.location)


def both_paths(
    data: bytes,
    monkeypatch: pytest.MonkeyPatch,
    fast: FastPath,
    key: str = "doc.json",
) -> tuple[object, object, bool]:
    """(fast result, general result, whether the fast path read the input).

    The fast path is `fast`, as registered in `detect.FAST_PATHS`; "read" is seen through a
    spy on its `read`, so it counts only what `load_bytes` really sent down the fast path.
    The general result comes with its `decode` declining everything.
    """
    taken: list[bool] = []

    def spy(*args: Any) -> Any:
        taken.append(True)
        return fast.read(*args)

    def registered_as(replacement: FastPath) -> tuple[FastPath, ...]:
        assert fast in detect.FAST_PATHS
        return tuple(replacement if f is fast else f for f in detect.FAST_PATHS)

    with monkeypatch.context() as m:
        m.setattr(detect, "FAST_PATHS", registered_as(dataclasses.replace(fast, read=spy)))
        fast_result = run_load(data, key)
    with monkeypatch.context() as m:
        declining = dataclasses.replace(fast, decode=lambda data: None)
        m.setattr(detect, "FAST_PATHS", registered_as(declining))
        general = run_load(data, key)
    return fast_result, general, bool(taken)


def edits(
    members: dict[str, list[str]], values: list[object], max_size: int
) -> st.SearchStrategy[list[tuple[str, str, object]]]:
    """Lists of (place, member, one of `values`) to apply to a base document; `values`
    may hold DELETE."""
    return st.lists(
        st.sampled_from(sorted(members)).flatmap(
            lambda where: st.tuples(
                st.just(where),
                st.sampled_from(members[where]),
                st.sampled_from(values),
            )
        ),
        min_size=1,
        max_size=max_size,
    )


def dumps(doc: dict[str, Any]) -> bytes:
    """JSON bytes of `doc`."""
    # NOTE: the standard library, because orjson refuses to write integers beyond 64 bits.
    return json.dumps(doc).encode()
