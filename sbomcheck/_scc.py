"""Strongly connected components of a graph given as integer adjacency lists.

Shared by the ingest structure checks (cycle warnings) and the graph stage (path counts
over cyclic regions); integers and lists keep it several times faster than networkx here.
"""

from __future__ import annotations

from collections.abc import Sequence


def tarjan(
    nodes: Sequence[int], succ: list[list[int]], member: bytearray
) -> tuple[CompMap, list[list[int]]]:
    """Strongly connected components of the subgraph on `nodes` (iterative Tarjan).

    Returns (component index per node, components in reverse topological order: every
    edge between components goes from a higher index to a lower one)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    comp = CompMap()
    sccs: list[list[int]] = []
    counter = 0
    for start in nodes:
        if start in index:
            continue
        work: list[tuple[int, int]] = [(start, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack.add(v)
            children = succ[v]
            recurse = False
            while i < len(children):
                w = children[i]
                i += 1
                if not member[w]:
                    continue
                if w not in index:
                    work.append((v, i))
                    work.append((w, 0))
                    recurse = True
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            if recurse:
                continue
            if low[v] == index[v]:
                scc: list[int] = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp[w] = len(sccs)
                    scc.append(w)
                    if w == v:
                        break
                scc.sort()
                sccs.append(scc)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
    return comp, sccs


class CompMap(dict[int, int]):
    """Component index per node; -1 for nodes outside the subgraph."""

    def __missing__(self, key: int) -> int:
        return -1
