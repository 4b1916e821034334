"""Waivers: a reviewed TOML file of `[[waiver]]` entries that accept a finding until a date.

```toml
[[waiver]]
name = "av-core"            # or purl = ..., ref = ..., alias = ...; optional version, rule
reason = "replacement scheduled"
approver = "ciso@example.org"
ticket = "SEC-1234"
expires = 2025-01-01        # required
```
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sbomcheck._io import POLICY_MAX_BYTES, read_bounded
from sbomcheck._typename import toml_type
from sbomcheck.errors import WaiverError
from sbomcheck.findings import Waiver

__all__ = ["SELECTORS", "check_waiver_rules", "load_waivers", "waiver_label"]

SELECTORS = ("name", "purl", "ref", "alias")
"""At least one is required; every one given must match."""
_REQUIRED = ("reason", "approver", "expires")
_OPTIONAL = ("ticket", "version", "rule")
_KEYS = set(SELECTORS) | set(_REQUIRED) | set(_OPTIONAL)


def load_waivers(path: Path, *, rule_ids: Iterable[str] | None = None) -> tuple[Waiver, ...]:
    """Read a waivers file.

    Raises `WaiverError` (with a place like `waiver[2].expires`) for unreadable TOML, unknown
    keys, wrong types, a waiver without reason, approver or expires, or without any of
    name, purl, ref or alias; with `rule_ids` (the ids of the loaded rule set), also for a
    waiver whose `rule` is none of them (`check_waiver_rules`).
    """
    waivers = _read_waivers(path)
    if rule_ids is not None:
        check_waiver_rules(waivers, rule_ids)
    return waivers


def check_waiver_rules(waivers: Iterable[Waiver], rule_ids: Iterable[str]) -> None:
    """Raise `WaiverError` for the first waiver whose `rule` names no rule in `rule_ids`.

    NOTE: such a waiver waives nothing, silently: a typo in a rule id would leave the finding
    failing while its reviewers believe it accepted, or, worse, hide that the waiver they
    approved was never the one in force. It is an input error, like a missing expiry.
    """
    known = sorted(set(rule_ids))
    for w in waivers:
        if w.rule is None or w.rule in known:
            continue
        import difflib  # NOTE: only for an unknown rule; not loaded at every start

        close = difflib.get_close_matches(w.rule, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise WaiverError(
            f"rule {w.rule!r} is not a known rule id{hint} (known: {', '.join(known)}; "
            "rules added with --rules count too)",
            source=w.source,
            location=f"waiver[{w.index}].rule",
        )


def _read_waivers(path: Path) -> tuple[Waiver, ...]:
    source = str(path)
    data = read_bounded(
        path,
        POLICY_MAX_BYTES,
        source=source,
        what="waivers file",
        error=WaiverError,
        cannot_read="cannot read",
    )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise WaiverError(f"not UTF-8 (byte {e.start})", source=source) from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        msg = str(e)
        m = re.search(r"\(at line (\d+), column \d+\)$", msg)
        raise WaiverError(
            f"invalid TOML: {msg[: m.start()].strip() if m else msg}",
            source=source,
            location=f"line {m.group(1)}" if m else None,
        ) from None
    unknown = sorted(set(doc) - {"waiver"})
    if unknown:
        raise WaiverError(
            f"unknown key {unknown[0]!r} (expected [[waiver]] tables)",
            source=source,
            location=unknown[0],
        )
    raw = doc.get("waiver", [])
    if not isinstance(raw, list):
        raise WaiverError(
            "must be an array of tables ([[waiver]])", source=source, location="waiver"
        )
    return tuple(_waiver(entry, i, source) for i, entry in enumerate(raw))


def _waiver(entry: Any, index: int, source: str) -> Waiver:
    loc = f"waiver[{index}]"
    if not isinstance(entry, dict):
        raise WaiverError("must be a table", source=source, location=loc)
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise WaiverError(
            f"unknown key {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})",
            source=source,
            location=f"{loc}.{unknown[0]}",
        )
    for key in _REQUIRED:
        if key not in entry:
            raise WaiverError(
                "missing required value (every waiver needs reason, approver and expires)",
                source=source,
                location=f"{loc}.{key}",
            )
    values: dict[str, str | None] = {}
    for key in (*SELECTORS, "reason", "approver", *_OPTIONAL):
        value = entry.get(key)
        if value is None:
            values[key] = None
            continue
        if not isinstance(value, str):
            raise WaiverError(
                f"must be a string, not {toml_type(value)}", source=source, location=f"{loc}.{key}"
            )
        if not value.strip():
            raise WaiverError("must not be empty", source=source, location=f"{loc}.{key}")
        values[key] = value.strip()
    if not any(values[k] for k in SELECTORS):
        raise WaiverError(
            "names no finding: give at least one of name, purl, ref or alias",
            source=source,
            location=loc,
        )
    return Waiver(
        index=index,
        reason=values["reason"] or "",
        approver=values["approver"] or "",
        expires=_expires(entry["expires"], f"{loc}.expires", source).isoformat(),
        ticket=values["ticket"],
        name=values["name"],
        purl=values["purl"],
        ref=values["ref"],
        alias=values["alias"],
        version=values["version"],
        rule=values["rule"],
        source=source,
    )


def _expires(value: Any, loc: str, source: str) -> dt.date:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise WaiverError(
                f"not a date (YYYY-MM-DD): {value!r}", source=source, location=loc
            ) from None
    # NOTE: a date-time would make "expired" depend on a time zone the as-of date lacks.
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise WaiverError(
        f"must be a date (YYYY-MM-DD), not {toml_type(value)}", source=source, location=loc
    )


def waiver_label(waiver: Waiver) -> str:
    """`waiver[0] (SEC-1234)`: how messages name a waiver."""
    return f"waiver[{waiver.index}]" + (f" ({waiver.ticket})" if waiver.ticket else "")
