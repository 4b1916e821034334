"""Tarjan's strongly connected components against mutual reachability, on generated graphs."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from sbomcheck.graph.scc import tarjan


@st.composite
def _graphs(draw: st.DrawFn) -> tuple[list[list[int]], bytearray]:
    n = draw(st.integers(1, 12))
    succ = [draw(st.lists(st.integers(0, n - 1), max_size=4)) for _ in range(n)]
    member = bytearray(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    return succ, member


def _reach(succ: list[list[int]], member: bytearray, start: int) -> set[int]:
    seen, stack = {start}, [start]
    while stack:
        for w in succ[stack.pop()]:
            if member[w] and w not in seen:
                seen.add(w)
                stack.append(w)
    return seen


@settings(max_examples=300, deadline=None)
@given(_graphs(), st.randoms(use_true_random=False))
def test_components_are_the_mutually_reachable_groups_in_reverse_topological_order(
    graph: tuple[list[list[int]], bytearray], rnd: random.Random
) -> None:
    succ, member = graph
    nodes = [v for v in range(len(succ)) if member[v]]
    rnd.shuffle(nodes)
    comp, sccs = tarjan(nodes, succ, member)
    reach = {v: _reach(succ, member, v) for v in nodes}
    expected = {frozenset(w for w in nodes if v in reach[w] and w in reach[v]) for v in nodes}
    assert {frozenset(scc) for scc in sccs} == expected
    assert all(scc == sorted(scc) for scc in sccs)
    for v in range(len(succ)):
        assert comp[v] == (next(i for i, s in enumerate(sccs) if v in s) if member[v] else -1)
    for v in nodes:
        assert all(comp[w] <= comp[v] for w in succ[v] if member[w])
