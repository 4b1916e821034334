"""Why a value matches the catalogue, or why not: the data behind `sbomcheck explain`.

`explain(text, field, catalogue)` puts `text` into one field of an otherwise empty component
and runs the real matchers on it (the gate, the field walk, the confidence rules), so what it
says is what `scan` would do with that value in that field. It adds the normalisation steps
(`normalize.trace`) and, where nothing matched, the reason: no gate word, a gate word but no
row, or a negative row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sbomcheck.findings import Evidence
from sbomcheck.identify import matcher as _m
from sbomcheck.identify.catalogue import AliasRow, Catalogue
from sbomcheck.identify.evidence import Collector, Match, to_evidence
from sbomcheck.identify.normalize import Trace, ascii_words, trace
from sbomcheck.model import Component, ExternalReference, FileEntry, Party, Property

__all__ = ["FIELDS", "Explanation", "explain"]

FIELDS: dict[str, str] = {
    "name": "the component name (a name field: products, files, packages count as likely)",
    "group": "the group or namespace",
    "purl": "a package URL (type, namespace, name; package rows)",
    "cpe": "a CPE 2.2 or 2.3 name",
    "swid": "a SWID tag id",
    "file": "a file name or path",
    "property": "a property value",
    "supplier": "a party field: the whole value must name the entity to confirm",
    "manufacturer": "a party field",
    "originator": "a party field",
    "author": "a party field",
    "publisher": "a party field",
    "copyright": "a party field, copyright boilerplate ignored",
    "email": "an e-mail address of an author",
    "url": "an external reference URL of type website",
    "advisory": "an external reference URL of type advisories (a citation)",
    "description": "free text: possible at most",
    "license": "a licence expression or name: free text",
    "comment": "an external reference comment: free text",
}
"""The fields `explain` accepts, with what they stand for."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Explanation:
    """How one value in one field meets the catalogue."""

    text: str
    field: str
    trace: Trace
    ascii: bool
    """Plain ASCII text goes through the gate; other text always takes the full path."""
    gate_words: tuple[str, ...]
    """Gate words (or MSI GUIDs) the text holds, as the gate sees them."""
    passes_gate: bool
    evidence: tuple[Evidence, ...]
    """What matched, as a scan's finding would list it (weak and capped entries included)."""
    strengths: tuple[str, ...]
    """For each evidence entry, the strength it counts with in this field."""
    negatives: tuple[AliasRow, ...]
    """Negative rows (NOT_KASPERSKY) the value matched."""
    confidence: str | None
    """The finding's confidence, or None when there would be no finding."""
    canonical: str | None
    reason: str
    """One sentence: why this result."""


def _component(text: str, field: str) -> Component:
    kw: dict[str, Any] = {}
    party = Party(name=text, raw=text)
    if field in ("name", "group", "purl", "publisher", "copyright", "description"):
        kw[field] = text
    elif field == "swid":
        kw["swid_tag_id"] = text
    elif field == "cpe":
        kw["cpes"] = (text,)
    elif field == "file":
        kw["files"] = (FileEntry(name=text),)
    elif field == "property":
        kw["properties"] = (Property(name="value", value=text),)
    elif field in ("supplier", "manufacturer", "originator"):
        kw[field] = party
    elif field == "author":
        kw["authors"] = (party,)
    elif field == "email":
        kw["authors"] = (Party(emails=(text,)),)
    elif field in ("url", "advisory", "comment"):
        ref_type = "advisories" if field == "advisory" else "website"
        url, comment = ("https://example.invalid/", text) if field == "comment" else (text, None)
        kw["external_references"] = (ExternalReference(type=ref_type, url=url, comment=comment),)
    elif field == "license":
        kw["licenses"] = (text,)
    else:
        raise ValueError(f"unknown field {field!r} (expected one of: {', '.join(FIELDS)})")
    return Component(ref="explain", document="explain", location=field, **kw)


def explain(text: str, field: str, catalogue: Catalogue) -> Explanation:
    """How `text` in `field` (a key of FIELDS) is normalised and matched, or why it is not.

    Raises ValueError for an unknown field.
    """
    comp = _component(text, field)
    m = _m._Matcher(catalogue)
    is_ascii = text.isascii()
    low = text.lower()
    gate_words = tuple(
        sorted(w.decode() for w in m.gate.intersection(ascii_words(text)))
        + [lit for lit in m.gate_literals if lit in low]
    )
    passes = bool(_m._candidates(m, [comp]))
    col = Collector()
    if passes:
        m.component(col, comp)
    match = m.conclude(comp, col) if passes else None
    names = {1: "possible", 2: "likely", 3: "confirmed"}
    ordered = sorted(col.evs, key=lambda e: (-e.strength, e.order))
    evidence = tuple(to_evidence(e, catalogue.rows[e.row]) for e in ordered)
    negatives = tuple(catalogue.rows[i] for i in col.negatives)
    return Explanation(
        text=text,
        field=field,
        trace=trace(text),
        ascii=is_ascii,
        gate_words=gate_words,
        passes_gate=passes,
        evidence=evidence,
        strengths=tuple(names[e.strength] for e in ordered),
        negatives=negatives,
        confidence=match.confidence.value if match else None,
        canonical=match.canonical if match else None,
        reason=_reason(match, passes, is_ascii, evidence, negatives),
    )


def _reason(
    match: Match | None,
    passes: bool,
    is_ascii: bool,
    evidence: tuple[Evidence, ...],
    negatives: tuple[AliasRow, ...],
) -> str:
    if match is not None:
        top = match.evidence[0]
        return (
            f"{match.confidence.value}: {top.field} matched the {top.kind} row "
            f"'{top.alias}' ({top.method})"
        )
    if not passes:
        return (
            "no gate word: the text holds none of the words every alias needs, so the "
            "matchers never read it"
            if is_ascii
            else "no match"
        )
    if negatives:
        return (
            f"negative row '{negatives[0].alias}': a look-alike that is not Kaspersky, and "
            "nothing confirmed outweighs it"
        )
    if evidence and all(e.weak for e in evidence):
        return "only weak aliases matched: they count only next to other evidence"
    if not is_ascii:
        return "not plain ASCII, so read in full, but no catalogue row matches it in this field"
    return "a gate word, but no catalogue row matches the value as a whole in this field"
