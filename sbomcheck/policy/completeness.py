"""Completeness: can these SBOMs show that Kaspersky technology is absent?

A scan that finds nothing proves little when the SBOM names its components only loosely.
`assess_completeness` measures what the documents carry and decides, with the thresholds in
`CompletenessThresholds` (documented in docs/policy.md), whether a clean result is a `pass`
or only `indeterminate`.
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress

from sbomcheck.findings import Completeness, SkippedInput
from sbomcheck.model import (
    HAS_HASHES,
    HAS_NAMED_PARTY,
    HAS_PURL_OR_CPE,
    Document,
    component_columns,
)

__all__ = ["DEFAULT_THRESHOLDS", "CompletenessThresholds", "assess_completeness"]


@dataclass(frozen=True, slots=True, kw_only=True)
class CompletenessThresholds:
    """When a clean result cannot show absence."""

    min_identified: float = 0.5
    """Least share of components that carry at least one of supplier, purl/CPE or hash.
    Below it, most components are known by name alone, which a rebranded engine escapes."""
    require_relationships: bool = True
    """With more than one component, no relationships means nothing shows what contains
    what, so an embedded engine's path into the product cannot be shown."""
    max_unresolved_references: int = 0
    """References to other SBOMs that could not be followed hide their components."""
    incomplete_aggregates: tuple[str, ...] = (
        "incomplete",
        "incomplete_first_party_only",
        "incomplete_first_party_proprietary_only",
        "incomplete_first_party_opensource_only",
        "incomplete_third_party_only",
        "incomplete_third_party_proprietary_only",
        "incomplete_third_party_opensource_only",
        "unknown",
        "not_specified",
    )
    """CycloneDX composition aggregates by which the author says the inventory is partial;
    they count only when no composition says `complete`."""


DEFAULT_THRESHOLDS = CompletenessThresholds()


def assess_completeness(
    documents: Sequence[Document],
    unresolved_references: int,
    *,
    unread_inputs: Sequence[SkippedInput] = (),
    thresholds: CompletenessThresholds = DEFAULT_THRESHOLDS,
) -> Completeness:
    """Shares of components with supplier, purl/CPE and hashes over all `documents`, whether
    relationships and compositions exist, and whether a clean result may `pass`.

    `unread_inputs` are inputs skipped that may hold an SBOM (a nested archive, a hidden
    file with an SBOM name): whatever they hold was not looked at, so a clean result is
    not sufficient while there are any.

    Components are counted as MANIFEST.csv counts them (CycloneDX metadata.component and
    SPDX files excluded). Shares are 0.0 when there are no components.
    """
    # NOTE: from the columns (`model.identity_flags`): a lazy document builds nothing here.
    flags = bytearray()
    for d in documents:
        columns = component_columns(d.components)
        flags += bytes(compress(columns.flags, map(operator.not_, columns.metadata)))
    n = len(flags)
    counts = Counter(flags)
    supplier = sum(k for f, k in counts.items() if f & HAS_NAMED_PARTY)
    purl_cpe = sum(k for f, k in counts.items() if f & HAS_PURL_OR_CPE)
    hashes = sum(k for f, k in counts.items() if f & HAS_HASHES)
    identified = n - counts[0]
    has_relationships = any(d.relationship_count > 0 for d in documents)
    aggregates = tuple(sorted({comp.aggregate for d in documents for comp in d.compositions}))

    reasons: list[str] = []
    if n == 0:
        reasons.append("the SBOMs list no components")
    else:
        share = identified / n
        if share < thresholds.min_identified:
            reasons.append(
                f"{n - identified} of {n} components carry no supplier, purl, CPE or hash "
                f"(identified: {share:.0%}, needed: {thresholds.min_identified:.0%})"
            )
        if thresholds.require_relationships and n > 1 and not has_relationships:
            reasons.append("the SBOMs state no relationships between components")
    if unresolved_references > thresholds.max_unresolved_references:
        noun = "reference" if unresolved_references == 1 else "references"
        reasons.append(f"{unresolved_references} {noun} to other SBOMs could not be resolved")
    unread = [u for u in unread_inputs if u.may_hold_sbom]
    if unread:
        reasons.append(_unread_reason(unread))
    # NOTE: content present in a document but not read (docs/readers.md) may be exactly
    # what is sought.
    not_read = {w.code for d in documents for w in d.unread}
    if not_read:
        reasons.append(f"content of the SBOMs was not read ({', '.join(sorted(not_read))})")
    partial = [a for a in aggregates if a in thresholds.incomplete_aggregates]
    if partial and "complete" not in aggregates:
        reasons.append(
            f"the SBOM declares its inventory partial (compositions: {', '.join(partial)})"
        )

    return Completeness(
        components=n,
        with_supplier=supplier / n if n else 0.0,
        with_purl_or_cpe=purl_cpe / n if n else 0.0,
        with_hashes=hashes / n if n else 0.0,
        has_relationships=has_relationships,
        compositions=aggregates,
        unresolved_references=unresolved_references,
        sufficient=not reasons,
        reasons=tuple(reasons),
    )


def _unread_reason(unread: Sequence[SkippedInput]) -> str:
    shown = "; ".join(f"{u.path} ({u.reason})" for u in unread[:3])
    if len(unread) == 1:
        return f"an input that may hold an SBOM was not read, so nothing in it was checked: {shown}"
    more = f"; and {len(unread) - 3} more" if len(unread) > 3 else ""
    return (
        f"{len(unread)} inputs that may hold SBOMs were not read, so nothing in them was "
        f"checked: {shown}{more}"
    )
