"""Structural checks every reader runs before it returns a Document.

Duplicate refs, dangling references, self-loops and cycles are kept in the model and
reported as warnings here; none of them stops reading.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import compress
from operator import eq, ge, le

from sbomcheck.graph.scc import tarjan
from sbomcheck.ingest._context import ReadContext
from sbomcheck.model import Component, Relationship, ref_columns, relationship_column

# Relationship ends that name no element of this document on purpose.
_SPECIAL_TARGETS = frozenset({"NONE", "NOASSERTION"})

_MAX_LISTED = 5


def is_external_target(ref: str) -> bool:
    """True for `DocumentRef-X:...` (SPDX) and `urn:cdx:` BOM-Links (CycloneDX)."""
    return ref.startswith(("DocumentRef-", "urn:cdx:")) or ref in _SPECIAL_TARGETS


def check_structure(
    ctx: ReadContext,
    elements: Sequence[Component],
    relationships: Sequence[Relationship],
    *,
    document_refs: Iterable[str] = (),
) -> None:
    """Warn about duplicate refs, dangling references, self-loops and cycles.

    Reads the refs as columns (`model.ref_columns`): only a repeated ref builds the lazy
    components that carry it, for their locations."""
    refs, synthetic = ref_columns(elements)
    seen: dict[str, int] = dict(zip(reversed(refs), range(len(refs) - 1, -1, -1), strict=True))
    if len(seen) != len(refs):
        _warn_duplicates(ctx, elements, refs, synthetic, seen)
    known = set(seen)
    known.update(document_refs)
    sources = relationship_column(relationships, "source")
    targets = relationship_column(relationships, "target")
    loops = list(compress(range(len(sources)), map(eq, sources, targets)))
    if loops:
        types = relationship_column(relationships, "type")
        for i in loops:
            where = relationships[i].location
            ctx.warn("self-loop", f"{sources[i]!r} {types[i]} itself", where)
    ends = set(sources).union(targets)
    missing = ends.difference(known)
    if missing:
        _warn_dangling(ctx, relationships, sources, targets, missing)
    for cycle in _cycles(seen, ends, sources, targets):
        # The members of a strongly connected group, not one cycle through them in order.
        shown = ", ".join(repr(ref) for ref in cycle[:_MAX_LISTED])
        more = f" and {len(cycle) - _MAX_LISTED} more" if len(cycle) > _MAX_LISTED else ""
        ctx.warn(
            "cycle",
            f"relationship cycle among {len(cycle)} elements: {shown}{more} (kept)",
            "",
        )


def _warn_dangling(
    ctx: ReadContext,
    relationships: Sequence[Relationship],
    sources: list[str],
    targets: list[str],
    missing: set[str],
) -> None:
    """One warning per end no element declares (nor NONE, nor another document), at its
    first relationship, with how many more name it."""
    first: dict[str, int] = {}
    count: Counter[str] = Counter()
    for row, ends in enumerate(zip(sources, targets, strict=True)):
        for ref in ends:
            if ref in missing and not is_external_target(ref):
                first.setdefault(ref, row)
                count[ref] += 1
    for ref, row in first.items():
        more = f" and {count[ref] - 1} more" if count[ref] > 1 else ""
        ctx.warn(
            "dangling-ref",
            f"reference to {ref!r}, which no element of this document declares (kept)",
            relationships[row].location + more,
        )


def _warn_duplicates(
    ctx: ReadContext,
    elements: Sequence[Component],
    refs: list[str],
    synthetic: bytearray,
    first: dict[str, int],
) -> None:
    """One warning per element declaring a ref an element before it declared."""
    for i, ref in enumerate(refs):
        j = first[ref]
        if j != i and not synthetic[i]:
            ctx.warn(
                "duplicate-ref",
                f"ref {ref!r} is declared again (first at {elements[j].location}); both are kept",
                elements[i].location,
            )


def _cycles(
    declared: dict[str, int], ends: set[str], sources: list[str], targets: list[str]
) -> list[list[str]]:
    """Relationship cycles (strongly connected components of two or more refs), sorted.

    Refs become ints so the search runs on lists: each element its position, and the other
    `ends` (the document itself, NONE, undeclared refs) before the elements where they only
    ever start a relationship (SPDX's DESCRIBES), after them otherwise. Where every
    relationship then runs from a lower int to a higher one (or every one the other way),
    as in documents written in dependency order, there is no cycle, and nothing more is
    done. Otherwise Kahn's algorithm first peels off everything that is not on or below a
    cycle: most SBOM graphs are acyclic, and then Tarjan never runs.
    """
    others = ends.difference(declared)
    ends_targets = set(targets) if others else set()
    first = sorted(ref for ref in others if ref not in ends_targets)
    index = {ref: k for k, ref in enumerate(first)}
    shift = len(first)
    index.update(zip(declared, map(shift.__add__, declared.values()), strict=True))
    size = max(index.values(), default=-1) + 1
    for ref in sorted(others.difference(first)):
        index[ref] = size
        size += 1
    heads = list(map(index.__getitem__, sources))
    tails = list(map(index.__getitem__, targets))
    if all(map(le, heads, tails)) or all(map(ge, heads, tails)):
        return []  # self-loops aside, which are no cycle
    succ: list[list[int]] = [[] for _ in range(size)]
    indegree = [0] * size
    for i, j in zip(heads, tails, strict=True):
        if i != j:  # a self-loop is warned about as such, and is no cycle
            succ[i].append(j)
            indegree[j] += 1
    queue = [i for i, d in enumerate(indegree) if d == 0]
    while queue:
        i = queue.pop()
        for j in succ[i]:
            indegree[j] -= 1
            if indegree[j] == 0:
                queue.append(j)
    rest = [i for i, d in enumerate(indegree) if d]
    if not rest:
        return []
    member = bytearray(len(succ))
    for i in rest:
        member[i] = 1
    names = {i: ref for ref, i in index.items()}
    _comp, sccs = tarjan(rest, succ, member)
    return sorted(sorted(names[i] for i in scc) for scc in sccs if len(scc) > 1)
