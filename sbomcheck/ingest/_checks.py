"""Structural checks every reader runs before it returns a Document.

Duplicate refs, dangling references, self-loops and cycles are kept in the model and
reported as warnings here; none of them stops reading.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sbomcheck.ingest._context import ReadContext
from sbomcheck.model import Component, Relationship

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
    """Warn about duplicate refs, dangling references, self-loops and cycles."""
    seen: dict[str, Component] = {}
    for comp in elements:
        first = seen.get(comp.ref)
        if first is None:
            seen[comp.ref] = comp
        elif not comp.ref_synthetic:
            ctx.warn(
                "duplicate-ref",
                f"ref {comp.ref!r} is declared again (first at {first.location}); both are kept",
                comp.location,
            )
    known = set(seen)
    known.update(document_refs)
    # Refs become ints so the cycle check below runs on lists, not dicts of strings.
    index: dict[str, int] = {}
    succ: list[list[int]] = []
    indegree: list[int] = []
    dangling: dict[str, list[str]] = defaultdict(list)
    for rel in relationships:
        source, target = rel.source, rel.target
        if source not in known and not is_external_target(source):
            dangling[source].append(rel.location)
        if target not in known and not is_external_target(target):
            dangling[target].append(rel.location)
        if source == target:
            ctx.warn("self-loop", f"{source!r} {rel.type} itself", rel.location)
            continue
        i = index.get(source)
        if i is None:
            i = index[source] = len(succ)
            succ.append([])
            indegree.append(0)
        j = index.get(target)
        if j is None:
            j = index[target] = len(succ)
            succ.append([])
            indegree.append(0)
        succ[i].append(j)
        indegree[j] += 1
    for ref, locations in dangling.items():
        more = f" and {len(locations) - 1} more" if len(locations) > 1 else ""
        ctx.warn(
            "dangling-ref",
            f"reference to {ref!r}, which no element of this document declares (kept)",
            locations[0] + more,
        )
    for cycle in _cycles(_cyclic_part(index, succ, indegree)):
        shown = " -> ".join(cycle[:_MAX_LISTED] + ([] if len(cycle) <= _MAX_LISTED else ["..."]))
        ctx.warn(
            "cycle",
            f"relationship cycle of {len(cycle)} elements: {shown} -> {cycle[0]}",
            "",
        )


def _cyclic_part(
    index: dict[str, int], succ: list[list[int]], indegree: list[int]
) -> dict[str, list[str]]:
    """The subgraph Kahn's algorithm cannot peel off: cycles and what hangs below them.

    Most SBOM graphs are acyclic; peeling them costs a fraction of running Tarjan on all of
    them, and Tarjan then only sees the (usually empty) rest.
    """
    remaining = indegree[:]
    queue = [i for i, d in enumerate(remaining) if d == 0]
    while queue:
        i = queue.pop()
        for j in succ[i]:
            remaining[j] -= 1
            if remaining[j] == 0:
                queue.append(j)
    if not any(remaining):
        return {}
    names = list(index)
    return {
        names[i]: [names[j] for j in succ[i] if remaining[j]]
        for i in range(len(succ))
        if remaining[i]
    }


def _cycles(adjacency: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (iterative Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    for start in sorted(adjacency):
        if start in index:
            continue
        work: list[tuple[str, int]] = [(start, 0)]
        while work:
            node, child_i = work.pop()
            if child_i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            children = adjacency.get(node, ())
            recurse = False
            while child_i < len(children):
                child = children[child_i]
                child_i += 1
                if child not in index:
                    work.append((node, child_i))
                    work.append((child, 0))
                    recurse = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if recurse:
                continue
            if low[node] == index[node]:
                scc = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    scc.append(member)
                    if member == node:
                        break
                if len(scc) > 1:
                    result.append(sorted(scc))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return sorted(result)
