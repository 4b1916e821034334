"""What the fast-path tests (CycloneDX and SPDX JSON) share: running `load_bytes` through the
fast path and through the general reader alone, and generating irregular edits."""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

import pytest
from hypothesis import strategies as st

from sbomcheck.errors import IngestError
from sbomcheck.ingest import load_bytes

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
    module: ModuleType,
    decode: str,
    read: str,
    key: str = "doc.json",
) -> tuple[object, object, bool]:
    """(fast result, general result, whether the fast path read the input).

    The fast path is `module.<decode>` / `module.<read>`; "read" is seen through a spy on
    `read`, so it counts only what `load_bytes` really sent down the fast path. The general
    result comes with `decode` declining everything.
    """
    taken: list[bool] = []
    real = getattr(module, read)

    def spy(*args: Any) -> Any:
        taken.append(True)
        return real(*args)

    with monkeypatch.context() as m:
        m.setattr(module, read, spy)
        fast = run_load(data, key)
    with monkeypatch.context() as m:
        m.setattr(module, decode, lambda data: None)
        general = run_load(data, key)
    return fast, general, bool(taken)


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
