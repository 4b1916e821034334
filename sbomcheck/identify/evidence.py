"""From the evidence collected for one component to the `Match` it adds up to.

The matcher (`matcher.py`) reads every identity field of a component into a `Collector`; each
match of a field against a catalogue row is a `Signal` with a strength (`POSSIBLE`, `LIKELY`,
`CONFIRMED`). `conclude` turns them into a `Match`: its confidence (several possible signals
in different fields add up to likely; a negative row cancels anything short of confirmed),
its canonical name (a product beats a bare entity), and whether it is Kaspersky's own
product or embedded in another vendor's (docs/aliases.md, "Confidence").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sbomcheck.findings import Confidence, Evidence
from sbomcheck.identify.catalogue import AliasRow
from sbomcheck.model import Component

__all__ = [
    "CONFIRMED",
    "LIKELY",
    "POSSIBLE",
    "Collector",
    "Match",
    "Signal",
    "conclude",
    "to_evidence",
]

POSSIBLE, LIKELY, CONFIRMED = 1, 2, 3
_CONF = {CONFIRMED: Confidence.CONFIRMED, LIKELY: Confidence.LIKELY, POSSIBLE: Confidence.POSSIBLE}

_GENERIC_KINDS = frozenset({"entity", "domain", "email_domain"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Match:
    """A component identified as Kaspersky technology, with all the evidence for it."""

    component: Component
    canonical: str
    """What it is: the canonical of the strongest evidence (a product beats a bare entity)."""
    confidence: Confidence
    evidence: tuple[Evidence, ...]
    """Strongest first, then in the order the fields were read."""
    integration: str
    """`branded` (Kaspersky's own product) or `embedded` (inside another vendor's product)."""
    product_class: str
    """`security`, `threat-intelligence`, `training` or `non-security`."""


@dataclass(slots=True)
class Signal:
    """One match of one field against one row, as the collector records it."""

    field: str
    value: str
    row: int
    method: str
    strength: int
    order: int
    note: str = ""
    counts: bool = True
    """Whether it counts as one of the fields whose possible signals add up to likely."""


class Collector:
    """Evidence of one component, deduplicated by (row, field without `.name`/`.raw`)."""

    __slots__ = ("cap", "evs", "negative", "negatives", "prefix", "seen")

    def __init__(self) -> None:
        self.evs: list[Signal] = []
        self.seen: set[tuple[int, str]] = set()
        self.negative = False
        self.negatives: list[int] = []
        self.prefix = ""
        self.cap = CONFIRMED

    def add(
        self,
        field: str,
        value: str,
        row: AliasRow,
        idx: int,
        method: str,
        strength: int,
        note: str = "",
    ) -> None:
        """Record a match; `note` (a citation, a surname) caps it at possible, uncounted."""
        if row.negative:
            self.negative = True
            if idx not in self.negatives:
                self.negatives.append(idx)
            return
        field = self.prefix + field
        base = field.removesuffix(".name").removesuffix(".raw")
        if (idx, base) in self.seen:
            return
        self.seen.add((idx, base))
        if row.weak:
            strength = POSSIBLE
        if note:
            strength = POSSIBLE
        ev = Signal(
            field, value, idx, method, min(strength, self.cap), len(self.evs), note, not note
        )
        self.evs.append(ev)


def conclude(
    c: Component,
    col: Collector,
    rows: Sequence[AliasRow],
    entity_canonicals: frozenset[str],
    extra: Sequence[tuple[Evidence, int]] = (),
) -> Match | None:
    """The match of `c` from what `col` collected (and `extra`: evidence derived through
    relationships, with its strength), or None when it does not add up to one.

    `rows` are the catalogue's rows; `entity_canonicals` the canonicals of its entity rows.
    """
    evs = [e for e in col.evs if not rows[e.row].weak]
    if not evs and not extra:
        return None
    best = max([e.strength for e in evs] + [s for _, s in extra])
    if col.negative and best < CONFIRMED:
        return None
    if best == POSSIBLE:
        # Several weak-ish signals in different fields add up to likely.
        fields = {e.field.split(".", 1)[0].split("[", 1)[0] for e in evs if e.counts}
        if len(fields) >= 2:
            best = LIKELY
    ordered = sorted(col.evs, key=lambda e: (-e.strength, e.order))
    top = max(
        evs,
        key=lambda e: (
            e.strength >= LIKELY,
            not _generic(rows[e.row], entity_canonicals),
            e.strength,
            -e.order,
        ),
        default=None,
    )
    evidence = tuple(to_evidence(e, rows[e.row]) for e in ordered) + tuple(ev for ev, _ in extra)
    if top is not None:
        canonical, product_class = rows[top.row].canonical, rows[top.row].product_class
    else:
        canonical, product_class = extra[0][0].canonical, extra[0][0].product_class
    embedded = any(
        rows[e.row].kind == "oem_brand" or rows[e.row].vendor != "Kaspersky" for e in evs
    )
    if not embedded and any(rows[e.row].kind == "engine" for e in evs):
        named = [p for p in (c.supplier, c.manufacturer) if p is not None and p.name]
        kaspersky_party = any(e.field.startswith(("supplier.", "manufacturer.")) for e in evs)
        embedded = bool(named) and not kaspersky_party
    match = Match(
        component=c,
        canonical=canonical,
        confidence=_CONF[best],
        evidence=evidence,
        integration="embedded" if embedded else "branded",
        product_class=product_class or "security",
    )
    return match


def _generic(row: AliasRow, entity_canonicals: frozenset[str]) -> bool:
    return row.kind in _GENERIC_KINDS or row.canonical in entity_canonicals


def to_evidence(e: Signal, row: AliasRow) -> Evidence:
    """The report's `Evidence` of one signal."""
    return Evidence(
        field=e.field,
        value=e.value,
        alias=row.alias,
        kind=row.kind,
        confidence=row.confidence,
        source=row.source,
        canonical=row.canonical,
        method=e.method,
        vendor=row.vendor,
        weak=row.weak,
        product_class=row.product_class,
        note=e.note,
    )
