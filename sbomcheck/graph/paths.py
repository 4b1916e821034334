"""Paths from the roots to chosen elements: path counts, "introduced via", affected.

Work is confined to the ancestors of the targets and follows parent lists only: one
depth-first search gives the ancestors in topological order (strongly connected components
where there are cycles), then one pass gives path counts, distances from the roots and, as
bit sets, which targets each ancestor reaches; then per target a best-first search yields the
shortest simple paths first (docs/graph.md, "Speed").
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress
from operator import not_

from sbomcheck._gc import gc_paused
from sbomcheck.findings import PATH_COUNT_CAP
from sbomcheck.graph.scc import tarjan

__all__ = ["DEFAULT_MAX_EXPANSIONS", "PathInfo", "paths_to"]

DEFAULT_MAX_EXPANSIONS = 200_000
"""Partial paths the path search may expand per finding before it stops (cycle-heavy graphs)."""

_INF = 1 << 60


@dataclass(frozen=True, slots=True, kw_only=True)
class PathInfo:
    """How a target element is reached from the roots (node indexes)."""

    paths: tuple[tuple[int, ...], ...]
    """Simple paths root -> ... -> target, shortest first, at most `max_paths`."""
    total: int
    """Number of simple paths: exact when `len(paths) < total` is false and `exact` is
    true; otherwise counted over the condensation (cycles collapsed), saturating at
    `PATH_COUNT_CAP`, and never less than the paths found."""
    exact: bool
    introduced_via: tuple[int, ...]
    """The roots' children that lead to the target."""
    affected: tuple[int, ...]
    """Every element that includes the target, directly or not (its ancestors)."""


def paths_to(
    pred: list[list[int]],
    targets: list[int],
    declared_roots: Iterable[int],
    *,
    max_paths: int,
    max_expansions: int,
) -> dict[int, PathInfo]:
    """Paths from the roots to each of `targets` (distinct node indexes) over the parent
    lists `pred`, with path counts, "introduced via" and affected elements.

    `declared_roots` are the declared roots not included from another document; the other
    roots among the ancestors are found here (`ComponentGraph.paths_to` says which)."""
    bits = [0] * len(pred)
    for b, t in enumerate(targets):
        bits[t] |= 1 << b
    with gc_paused():
        region, is_root, counts, dist, masks = _passes(pred, targets, declared_roots, bits)
    entries = _entries(region, pred, dist, is_root)
    result: dict[int, PathInfo] = {}
    for b, t in enumerate(targets):
        found, exhausted = _best_paths(pred, t, dist, is_root, max_paths, max_expansions)
        found.sort(key=lambda p: (len(p), p))
        exact = exhausted and len(found) <= max_paths
        total = len(found) if exact else max(counts[t], len(found))
        bit = 1 << b
        result[t] = PathInfo(
            paths=tuple(found[:max_paths]),
            total=min(total, PATH_COUNT_CAP),
            exact=exact,
            introduced_via=tuple([c for c in entries if c == t or masks[c] & bit]),
            affected=tuple([v for v in region if masks[v] & bit and v != t]),
        )
    return result


def _passes(
    pred: list[list[int]], targets: list[int], declared_roots: Iterable[int], bits: list[int]
) -> tuple[list[int], bytearray, list[int], list[int], list[int]]:
    """The ancestors of the targets in node order, root flags, then path counts, distances
    from the roots and target bit sets per node."""
    n = len(pred)
    order, region_flag, cyclic = _ancestors(targets, pred, n)
    region = sorted(order)
    is_root = bytearray(n)
    for r in declared_roots:
        is_root[r] = 1
    for v in compress(region, map(not_, map(pred.__getitem__, region))):
        is_root[v] = 1
    if cyclic:
        counts, dist, masks = _cyclic_passes(region, pred, region_flag, is_root, bits)
    else:
        counts, dist, masks = _dag_passes(order, pred, is_root, bits)
    return region, is_root, counts, dist, masks


def _entries(
    region: list[int], pred: list[list[int]], dist: list[int], is_root: bytearray
) -> list[int]:
    """The children of roots among the ancestors, in node order: a non-root at distance 1,
    or a root with a root parent."""
    region_roots = list(compress(region, map(is_root.__getitem__, region)))
    entries = [v for v in region if dist[v] == 1]
    entries += (r for r in region_roots if any(is_root[p] for p in pred[r]))
    entries.sort()
    return entries


def _best_paths(
    pred: list[list[int]],
    target: int,
    dist: list[int],
    is_root: bytearray,
    max_paths: int,
    budget: int,
) -> tuple[list[tuple[int, ...]], bool]:
    """Simple paths into `target` in order of length (A* backwards, exact heuristic)."""
    if dist[target] >= _INF:
        return [], True
    heap: list[tuple[int, tuple[int, ...]]] = [(dist[target], (target,))]
    found: list[tuple[int, ...]] = []
    pops = 0
    while heap:
        if len(found) > max_paths or pops >= budget:
            return found, False
        _, path = heapq.heappop(heap)
        pops += 1
        head = path[-1]
        if is_root[head]:
            found.append(path[::-1])
        for p in pred[head]:
            if dist[p] < _INF and p not in path:
                heapq.heappush(heap, (len(path) + dist[p], (*path, p)))
    return found, True


def _ancestors(
    targets: list[int], pred: list[list[int]], n: int
) -> tuple[list[int], bytearray, bool]:
    """The targets and everything that includes them, each after all of its parents when
    there is no cycle (depth-first post-order over parent lists); membership flags; and
    whether a cycle was met."""
    state = bytearray(n)  # 0 unseen, 1 on the search path, 2 done
    order: list[int] = []
    cyclic = False
    for t in targets:
        if state[t]:
            continue
        state[t] = 1
        stack = [(t, iter(pred[t]))]
        while stack:
            v, parents = stack[-1]
            for p in parents:
                seen = state[p]
                if not seen:
                    state[p] = 1
                    stack.append((p, iter(pred[p])))
                    break
                if seen == 1:
                    cyclic = True
            else:
                stack.pop()
                state[v] = 2
                order.append(v)
    return order, state, cyclic


def _dag_passes(
    order: list[int], pred: list[list[int]], is_root: bytearray, bits: list[int]
) -> tuple[list[int], list[int], list[int]]:
    """Path counts, distances from the roots and target bit sets over acyclic ancestors
    (`order`: parents first)."""
    n = len(is_root)
    counts = [0] * n
    dist = [_INF] * n
    count_of, dist_of = counts.__getitem__, dist.__getitem__
    cap = PATH_COUNT_CAP
    for v in order:
        parents = pred[v]
        if is_root[v]:
            total = 1 + sum(map(count_of, parents))
            dist[v] = 0
        else:
            # NOTE: a node nothing includes is a root, so every other one has parents, and
            # (by induction over `order`) each of them has a finite distance.
            total = sum(map(count_of, parents))
            dist[v] = 1 + min(map(dist_of, parents))
        counts[v] = total if total < cap else cap
    masks = bits[:]
    for v in reversed(order):
        m = masks[v]
        for p in pred[v]:
            masks[p] |= m
    return counts, dist, masks


def _cyclic_passes(
    region: list[int],
    pred: list[list[int]],
    region_flag: bytearray,
    is_root: bytearray,
    bits: list[int],
) -> tuple[list[int], list[int], list[int]]:
    """Counts, distances and target bit sets where the ancestors have cycles; also marks
    in `is_root` the first element of each cycle nothing outside includes and that holds
    no root."""
    comp_of, sccs = tarjan(region, pred, region_flag)
    # Over parent lists every parent's component has a lower index than its child's.
    inflow: list[list[int]] = []
    for c, scc in enumerate(sccs):
        outer = [d for v in scc for p in pred[v] if (d := comp_of[p]) != c]
        if not outer and not any(is_root[v] for v in scc):
            is_root[scc[0]] = 1
        inflow.append(outer)
    comp_counts = [0] * len(sccs)
    for c, scc in enumerate(sccs):
        total = sum(is_root[v] for v in scc) + sum(comp_counts[d] for d in inflow[c])
        comp_counts[c] = min(total, PATH_COUNT_CAP)
    comp_masks = [0] * len(sccs)
    for c in range(len(sccs) - 1, -1, -1):
        m = comp_masks[c]
        for v in sccs[c]:
            m |= bits[v]
        comp_masks[c] = m
        for d in inflow[c]:
            comp_masks[d] |= m
    n = len(is_root)
    counts, masks = [0] * n, [0] * n
    children: dict[int, list[int]] = {v: [] for v in region}
    for v in region:
        c = comp_of[v]
        counts[v] = comp_counts[c]
        masks[v] = comp_masks[c]
        for p in pred[v]:
            children[p].append(v)
    dist = [_INF] * n
    frontier = [v for v in region if is_root[v]]
    for r in frontier:
        dist[r] = 0
    depth = 0
    while frontier:
        depth += 1
        nxt = []
        for v in frontier:
            for w in children[v]:
                if dist[w] == _INF:
                    dist[w] = depth
                    nxt.append(w)
        frontier = nxt
    return counts, dist, masks
