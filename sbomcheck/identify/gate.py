"""The gate: the fast test that rules out almost every component before the matchers run.

Every positive, non-weak catalogue row has a gate word that any text matching it must hold
(chosen when the catalogue is built, `catalogue._required_token`). `candidates` searches the
identity strings of all elements of a document for those words at once, and only elements
with a string holding one go on to the full match (docs/aliases.md, "Speed";
docs/performance.md for the figures).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
from array import array
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote, unquote_to_bytes

from sbomcheck.identify.normalize import ascii_words
from sbomcheck.model import Component, IdentityText

__all__ = ["candidates", "gate_finder", "lazy_candidates"]

_FIELDS = operator.attrgetter(
    "name", "purl", "supplier", "manufacturer", "originator", "authors", "group", "publisher",
    "copyright", "description", "swid_tag_id", "cpes", "licenses", "external_references",
    "files", "properties", "pedigree",
)  # fmt: skip


def _gather(c: Component, out: list[str]) -> None:
    """Append every identity string of `c` (pedigree entries aside) to `out`."""
    (name, purl, sup, man, ori, authors, group, pub, cop, desc, swid, cpes, lics, refs, files,
     props, _) = _FIELDS(c)  # fmt: skip
    out.append(name)
    if purl:
        out.append(unquote(purl) if "%" in purl else purl)
    for p in (sup, man, ori, *authors) if authors else (sup, man, ori):
        if p is not None:
            out.append(p.name or "")
            out.append(p.raw or "")
            if p.emails:
                out.extend(p.emails)
            if p.urls:
                out.extend(p.urls)
    out += (group or "", pub or "", cop or "", desc or "", swid or "")
    if cpes:
        out.extend(cpes)
    if lics:
        out.extend(lics)
    for ref in refs:
        out.append(ref.url)
        if ref.comment:
            out.append(ref.comment)
    if files:
        out.extend([fe.name for fe in files])
    for prop in props:
        out.append(prop.name)
        out.append(prop.value)


@functools.lru_cache(maxsize=8)
def gate_finder(gate: frozenset[bytes]) -> Callable[[bytes], Iterator[int]] | None:
    """Start offsets of every gate word in ASCII bytes, case-insensitive, as substrings.

    RE2 runs all gate words as one automaton in C (0.1 s over the 100 MB of identity text of
    the 100,000-component benchmark, against 1.4 s to split that text into 7.4 million words
    and hash them). None where google-re2 cannot be imported: `candidates` then splits.
    """
    try:
        import re2
    except ImportError:  # pragma: no cover - exercised by forcing the fallback in the tests
        return None
    if not gate:
        return lambda data: iter(())
    # NOTE: longest first, so that one match covers `kasperskylab` rather than `kaspersky`;
    # either way the match lies inside the string that holds the word.
    words = sorted(gate, key=lambda w: (-len(w), w))
    pattern = re2.compile(b"(?i)(?:" + b"|".join(re.escape(w) for w in words) + b")")

    def starts(data: bytes) -> Iterator[int]:
        for found in pattern.finditer(data):
            yield found.start()

    return starts


def candidates(
    elements: list[Component],
    gate: frozenset[bytes],
    literals: tuple[str, ...],
    finder: Callable[[bytes], Iterator[int]] | None,
) -> list[int]:
    """Indexes of the elements that may match; the others cannot (see Catalogue.gate).

    `gate` holds the gate words, `literals` the strings that pass wherever they occur
    (MSI GUIDs), `finder` the `gate_finder` of both (None: split the text into words).

    NOTE: the fast path. The identity strings of all elements are joined once and searched
    for the gate words as substrings (`gate_finder`); only the strings that hold one are
    split into words and checked exactly, and only elements with a string holding a gate word
    take the full path. An SBOM without any gate word (the common case) costs one join and
    one search. Elements with pedigree or with text that is not plain ASCII always take the
    full path.
    """
    slow: list[int] = []
    flat: list[str] = []
    starts: list[int] = []  # index in `flat` of each element's first string
    ids: list[int] = []  # the element each entry of `starts` belongs to
    for k, c in enumerate(elements):
        if c.pedigree is not None:
            slow.append(k)
            continue
        starts.append(len(flat))
        ids.append(k)
        _gather(c, flat)

    def owner(j: int) -> int:
        return ids[bisect.bisect_right(starts, j) - 1]

    big = "\n".join(flat)
    if not big.isascii():
        slow.extend(owner(j) for j, text in enumerate(flat) if not text.isascii())
    offsets: Iterator[int]
    if finder is None:
        hits = [h.decode() for h in gate.intersection(ascii_words(big))]
        low = big.lower()
        hits += [lit for lit in literals if lit in low]
        if not hits:
            return sorted(set(slow))
        # Every string holding a gate word that occurs somewhere, found by its offsets.
        offsets = (pos for word in hits for pos in _find_all(low, word))
    else:
        # NOTE: "replace" keeps one byte per character, so offsets stay those of `big`.
        offsets = finder(big.encode("ascii", "replace"))
    # Offsets of the separators: string j spans bounds[j-1]+1 .. bounds[j].
    bounds: list[int] | None = None
    checked: set[int] = set()
    for pos in offsets:
        if bounds is None:
            bounds = list(map(operator.add, itertools.accumulate(map(len, flat)), range(len(flat))))
        j = bisect.bisect_right(bounds, pos)
        if j in checked:
            continue
        checked.add(j)
        # The substring may sit inside a longer word (`pipeline`): the exact word check
        # decides, with the same words the whole-text check would see in this string.
        # A literal (an MSI GUID) counts wherever it occurs.
        if not gate.isdisjoint(ascii_words(flat[j])) or (
            literals and any(lit in flat[j].lower() for lit in literals)
        ):
            slow.append(owner(j))
    return sorted(set(slow))


def _find_all(text: str, word: str) -> Iterator[int]:
    pos = text.find(word)
    while pos >= 0:
        yield pos
        pos = text.find(word, pos + 1)


_NOT_ASCII = re.compile(rb"[\x80-\xff]")


def lazy_candidates(
    identity: IdentityText, count: int, finder: Callable[[bytes], Iterator[int]] | None
) -> list[int]:
    """Indexes of the lazy components (`count` of them) that may match, from their raw text:
    a superset of what `candidates` passes, to be built and gated by it. `finder` is the
    `gate_finder` of the gate words and literals.

    A component passes when it lies outside every blob (it is built already), or its blob
    holds a gate word or literal as a substring in any case, or the bytes cannot vouch for
    its strings: text that is not plain ASCII, the format's escape character (`\\u004b`
    spells `K`), a percent-encoded gate word (purls are gated decoded), an `unsure` blob.
    Every identity string `_gather` collects is written in the blob as it reads, unless one
    of these holds. Without RE2 every component passes.
    """
    if finder is None:
        return list(range(count))
    passed: set[int] = set(identity.unsure)
    blobs = identity.blobs
    for first in range(0, len(blobs), _BATCH):
        batch = blobs[first : first + _BATCH]
        passed.update(first + k for k in _batch_hits(batch, identity.escape, finder))
    starts, ends = identity.starts, identity.ends
    inside = (i for k in sorted(passed) for i in range(starts[k], ends[k]))
    return sorted((*_outside(starts, ends, count), *inside))


_BATCH = 4096
"""Blobs searched at once: one join and one search per batch (measured as fast as one for
all), without a copy of the whole text at the peak."""


def _batch_hits(
    blobs: list[Any], escape: bytes, finder: Callable[[bytes], Iterator[int]]
) -> set[int]:
    """The positions in `blobs` of the blobs `lazy_candidates` passes."""
    big = b"\n".join(blobs)
    # Offsets of the separators: blob k spans ends[k-1]+1 .. ends[k].
    ends = list(map(operator.add, itertools.accumulate(map(len, blobs)), range(len(blobs))))

    def blob_at(pos: int) -> int:
        return bisect.bisect_left(ends, pos)

    passed = set(map(blob_at, finder(big)))
    if not big.isascii():
        passed.update(blob_at(m.start()) for m in _NOT_ASCII.finditer(big))
    if escape in big:
        passed.update(blob_at(m.start()) for m in re.finditer(re.escape(escape), big))
    if b"%" in big:
        percent = {blob_at(m.start()) for m in re.finditer(rb"%", big)}
        passed.update(k for k in percent if _percent_hit(blobs[k], finder))
    return passed


def _percent_hit(blob: Any, finder: Callable[[bytes], Iterator[int]]) -> bool:
    """True when `blob`, percent-decoded, holds a gate word or is not plain ASCII."""
    decoded = unquote_to_bytes(bytes(blob))
    return not decoded.isascii() or next(iter(finder(decoded)), None) is not None


def _outside(starts: array[int], ends: array[int], count: int) -> list[int]:
    """The indexes of the `count` components that lie outside every blob."""
    out: list[int] = []
    last = 0
    for start, end in zip(starts, ends, strict=True):
        out += range(last, start)
        last = end
    out += range(last, count)
    return out
