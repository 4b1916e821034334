"""Strongly connected components of a graph given as integer adjacency lists.

Shared by the ingest structure checks (cycle warnings) and the graph stage (path counts
over cyclic regions); integers and lists keep it several times faster than networkx here.
"""

from __future__ import annotations

from collections.abc import Sequence


def tarjan(
    nodes: Sequence[int], succ: list[list[int]], member: bytearray
) -> tuple[list[int], list[list[int]]]:
    """Strongly connected components of the subgraph on `nodes` (iterative Tarjan).

    `member` flags the nodes of the subgraph, over all of `succ`. Returns (component
    index per node, -1 outside the subgraph; components in reverse topological order:
    every edge between components goes from a higher index to a lower one)."""
    # NOTE: per-node lists and a bytearray rather than dicts and a set: half the time on
    # a 75,000-node region.
    n = len(member)
    index = [-1] * n
    low = [0] * n
    on_stack = bytearray(n)
    comp = [-1] * n
    stack: list[int] = []
    sccs: list[list[int]] = []
    counter = 0
    for start in nodes:
        if index[start] >= 0:
            continue
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack[start] = 1
        work = [(start, iter(succ[start]))]
        while work:
            v, children = work[-1]
            for w in children:
                if not member[w]:
                    continue
                if index[w] < 0:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = 1
                    work.append((w, iter(succ[w])))
                    break
                if on_stack[w] and index[w] < low[v]:
                    low[v] = index[w]
            else:
                work.pop()
                if low[v] == index[v]:
                    scc: list[int] = []
                    while True:
                        w = stack.pop()
                        on_stack[w] = 0
                        comp[w] = len(sccs)
                        scc.append(w)
                        if w == v:
                            break
                    scc.sort()
                    sccs.append(scc)
                if work:
                    parent = work[-1][0]
                    if low[v] < low[parent]:
                        low[parent] = low[v]
    return comp, sccs
