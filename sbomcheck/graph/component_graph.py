"""One graph over every element of every document given: roots, paths, "introduced via", affected.

Every relationship type is turned into an edge pointing from the including element to the
included one (parent -> child): `A DEPENDS_ON B` and `B DEPENDENCY_OF A` both give `A -> B`.
Edges whose type means inclusion (dependencies, containment, links, build inputs, tools) carry
paths; pedigree, variant and copy relations are kept as typed edges that carry none.
The table is `RELATIONSHIP_RULES`; docs/graph.md explains each choice.

The algorithms run on plain integer adjacency lists: measured on 100,000 nodes and 300,000
edges, building them costs about a third of a networkx DiGraph and strongly connected
components half of networkx's. `ComponentGraph.to_networkx()` gives the networkx view for
export and for callers who want it.

A scan needs only the parents of each node: they are built eagerly, column by column over
a document's relationships; the typed `edges` and the children `succ` are made the first
time they are read (docs/graph.md, "Speed").
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import compress, repeat
from operator import attrgetter, eq, ne, not_
from typing import TYPE_CHECKING, Any, NamedTuple

from sbomcheck._gc import gc_paused
from sbomcheck.graph.scc import tarjan
from sbomcheck.findings import PATH_COUNT_CAP, UnresolvedReference
from sbomcheck.model import Component, Document, IngestWarning
from sbomcheck.relationships import (
    RELATIONSHIP_RULES,
    UNKNOWN_RULE,
    EdgeRule,
    edge_rule,
    normalize_type,
)

if TYPE_CHECKING:
    import networkx as nx

    from sbomcheck.graph.links import LinkResolver

__all__ = [
    "PATH_COUNT_CAP",
    "RELATIONSHIP_RULES",
    "ComponentGraph",
    "Edge",
    "EdgeRule",
    "Node",
    "PathInfo",
    "build_graph",
    "edge_rule",
    "normalize_type",
]

DEFAULT_MAX_EXPANSIONS = 200_000
"""Partial paths the path search may expand per finding before it stops (cycle-heavy graphs)."""

_INF = 1 << 60
_SPECIAL_ENDS = frozenset({"NONE", "NOASSERTION"})


# NOTE: Node and Edge are NamedTuples, not frozen dataclasses: a graph holds one per element
# and per edge, and measured on 100,000 nodes and 300,000 edges, frozen dataclass
# construction alone cost 1.8 s against 0.3 s for tuples.
class Node(NamedTuple):
    """One element of one document; duplicate refs stay distinct nodes (`occurrence`)."""

    position: int
    """Position in declaration order over all documents: the graph's own node id."""
    document: str
    ref: str
    occurrence: int
    """0 for the first element declaring `ref` in its document, 1 for the next, ..."""
    role: str
    """`metadata`, `component`, `file` or `service`."""
    component: Component

    @property
    def id(self) -> str:
        """Unique textual id: `document#ref`, with `#n` for a repeated ref."""
        base = f"{self.document}#{self.ref}"
        return f"{base}#{self.occurrence}" if self.occurrence else base


class Edge(NamedTuple):
    """A typed edge, parent -> child."""

    source: int
    target: int
    type: str
    """The relationship type as written, normalized (`contained-by`, `bom-reference`)."""
    rule: EdgeRule
    location: str = ""


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


_Rows = tuple[Sequence[int], Sequence[int], Sequence[str], Sequence[EdgeRule], Sequence[str]]
"""Candidate edges as columns: sources, targets, types, rules, locations."""

_MISSING = -1
_MANY_PARENTS = 16
"""From this many parents on, a node's parents are also kept as a set for the repeat check."""
_EXTERNAL = ("DocumentRef-", "urn:cdx:")
_SOURCE = attrgetter("source")
_TARGET = attrgetter("target")
_TYPE = attrgetter("type")
_LOCATION = attrgetter("location")
_REF = attrgetter("ref")
_IS_METADATA = attrgetter("is_metadata")


class ComponentGraph:
    """Nodes for all elements, typed parent -> child edges, and the path algorithms."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self.documents: tuple[Document, ...] = tuple(documents)
        self.nodes: list[Node] = []
        self.pred: list[list[int]] = []
        """Inclusion parents per node."""
        self.unresolved: list[UnresolvedReference] = []
        self.link_warnings: dict[str, list[IngestWarning]] = {}
        """Per document key: references read leniently (`malformed-bom-link`)."""
        self.unknown_types: dict[str, int] = {}
        """Relationship types not in `RELATIONSHIP_RULES`, with how often they occur."""
        self._first: dict[str, dict[str, int]] = {}
        self._dupes: dict[tuple[str, str], list[int]] = {}
        self._doc_start: dict[str, int] = {}
        self._doc_end: dict[str, int] = {}
        self._many: dict[int, set[int]] = {}
        """The parents of nodes with `_MANY_PARENTS` or more, as sets."""
        self._edges: list[Edge] = []
        self._triples: set[tuple[int, int, str]] = set()
        """(source, target, type) of every edge in `_edges`."""
        self._pending: list[_Rows | Callable[[], _Rows]] = []
        """Candidate edges not yet in `_edges`, in order (self-loops and repeats included);
        a callable gives its columns when called."""
        self._succ: list[list[int]] | None = None

    # ----- construction -------------------------------------------------------------

    @property
    def edges(self) -> list[Edge]:
        """Every typed edge, in the order added; each (source, target, type) once."""
        if self._pending:
            triples = self._triples
            for rows in self._pending:
                sources, targets, types, rules, locations = rows() if callable(rows) else rows
                fresh = []
                for key in zip(sources, targets, types, strict=True):
                    new = key[0] != key[1] and key not in triples
                    if new:
                        triples.add(key)
                    fresh.append(new)
                self._edges += map(
                    tuple.__new__,
                    repeat(Edge),
                    compress(zip(sources, targets, types, rules, locations, strict=True), fresh),
                )
            self._pending.clear()
        return self._edges

    @property
    def succ(self) -> list[list[int]]:
        """Inclusion children per node, in the order the edges were added."""
        if self._succ is None:
            succ: list[list[int]] = [[] for _ in self.nodes]
            linked: set[int] = set()
            for source, target, _, rule, _ in self.edges:
                pair = source << 32 | target
                if rule.inclusion and pair not in linked:
                    linked.add(pair)
                    succ[source].append(target)
            self._succ = succ
        return self._succ

    def _add_nodes(self, doc: Document) -> None:
        """One node per element of `doc`: components, then files, then services."""
        key = doc.key
        start = len(self.nodes)
        elements = (*doc.components, *doc.files, *doc.services)
        positions = range(start, start + len(elements))
        roles = ["component"] * len(doc.components)
        for i in compress(range(len(roles)), map(_IS_METADATA, doc.components)):
            roles[i] = "metadata"
        roles += ["file"] * len(doc.files) + ["service"] * len(doc.services)
        refs: list[str] = list(map(_REF, elements))
        first = self._first.setdefault(key, {})
        occurrences: Iterable[int] = repeat(0)
        if first:  # the same key given twice
            occurrences = self._declare(key, first, refs, positions)
        else:
            first.update(zip(refs, positions, strict=True))
            if len(first) != len(refs):  # a ref declared twice
                first.clear()
                occurrences = self._declare(key, first, refs, positions)
        # NOTE: tuple.__new__ skips the NamedTuple's Python-level __new__: 40% less time here.
        self.nodes += map(
            tuple.__new__,
            repeat(Node),
            zip(positions, repeat(key), refs, occurrences, roles, elements),
        )
        self.pred += [[] for _ in positions]
        self._doc_start[key] = start
        self._doc_end[key] = len(self.nodes)

    def _declare(
        self, key: str, first: dict[str, int], refs: list[str], positions: range
    ) -> list[int]:
        """Record refs one by one, repeats included; the occurrence of each."""
        occurrences = []
        for ref, index in zip(refs, positions, strict=True):
            if ref not in first:
                first[ref] = index
                occurrences.append(0)
                continue
            dupes = self._dupes.setdefault((key, ref), [first[ref]])
            occurrences.append(len(dupes))
            dupes.append(index)
        return occurrences

    def add_edge(
        self, source: int, target: int, type_: str, rule: EdgeRule, location: str = ""
    ) -> None:
        """Add one parent -> child edge (duplicates and self-loops are dropped)."""
        if source == target:
            return
        edges = self.edges
        key = (source, target, type_)
        if key in self._triples:
            return
        self._triples.add(key)
        edges.append(Edge(source, target, type_, rule, location))
        if rule.inclusion:
            self._link([source], [target])

    def _add(self, source: int, target: int, type_: str, rule: EdgeRule, location: str) -> None:
        """`add_edge`, with the typed edge deduplicated later, when `edges` is read.

        Within the build a type always comes with the same rule, so whether a pair is
        linked does not depend on the repeats `add_edge` drops."""
        self._pending.append(((source,), (target,), (type_,), (rule,), (location,)))
        if rule.inclusion:
            self._link([source], [target])

    def _link(self, sources: Sequence[int], targets: Sequence[int]) -> None:
        """Add the inclusion pairs not present yet (self-loops are dropped), in order."""
        if any(map(eq, sources, targets)):
            keep = list(map(ne, sources, targets))
            sources, targets = list(compress(sources, keep)), list(compress(targets, keep))
        pred, many, succ = self.pred, self._many, self._succ
        for s, t in zip(sources, targets, strict=True):
            parents = pred[t]
            if len(parents) < _MANY_PARENTS:
                if s in parents:
                    continue
            else:
                known = many.get(t)
                if known is None:
                    known = many[t] = set(parents)
                if s in known:
                    continue
                known.add(s)
            parents.append(s)
            if succ is not None:
                succ[s].append(t)

    def find(self, document: str, ref: str) -> list[int]:
        """Every node declaring `ref` in `document` (several when the ref is duplicated)."""
        first = self._first.get(document, {}).get(ref)
        if first is None:
            return []
        return list(self._dupes.get((document, ref), (first,)))

    def has_ref(self, document: str, ref: str) -> bool:
        """True when `document` declares an element `ref`."""
        return ref in self._first.get(document, {})

    def node_of(self, component: Component) -> int | None:
        """The node of a component (found by document, location and ref)."""
        found = None
        for i in self.find(component.document, component.ref):
            if self.nodes[i].component.location == component.location:
                found = i
        return found

    def document_roots(self, document: str) -> list[int]:
        """The declared roots of one document, else its elements nothing in it includes."""
        doc = next((d for d in self.documents if d.key == document), None)
        if doc is None:
            return []
        declared = [n for ref in doc.root_refs for n in self.find(document, ref)]
        if declared:
            return declared
        return [
            node.position
            for node in self.nodes
            if node.document == document
            and not any(self.nodes[p].document == document for p in self.pred[node.position])
        ]

    # ----- roots ----------------------------------------------------------------------

    @cached_property
    def roots(self) -> tuple[int, ...]:
        """Declared roots (metadata.component, DESCRIBES) not included from another
        document, then the tops of whatever those do not reach: elements nothing includes,
        and one element (the first declared) of each cycle nothing outside includes."""
        n = len(self.nodes)
        roots = self._declared_roots()
        reached = self._reach(roots, bytearray(n))
        tops = [v for v in range(n) if not reached[v] and not self.pred[v]]
        reached = self._reach(tops, reached)
        roots.extend(tops)
        rest = [v for v in range(n) if not reached[v]]
        if rest:
            member = bytearray(n)
            for v in rest:
                member[v] = 1
            comp_of, sccs = tarjan(rest, self.succ, member)
            for idx, scc in enumerate(sccs):
                if all(comp_of[p] == idx for v in scc for p in self.pred[v]):
                    roots.append(min(scc))
        return tuple(sorted(roots))

    def _declared_roots(self) -> list[int]:
        """Declared roots not included from another document, once each, in order."""
        roots: list[int] = []
        seen: set[int] = set()
        for doc in self.documents:
            for ref in doc.root_refs:
                for r in self.find(doc.key, ref):
                    linked = any(self.nodes[p].document != doc.key for p in self.pred[r])
                    if not linked and r not in seen:
                        seen.add(r)
                        roots.append(r)
        return roots

    def _reach(self, starts: Iterable[int], reached: bytearray) -> bytearray:
        stack = [s for s in starts if not reached[s]]
        for s in stack:
            reached[s] = 1
        succ = self.succ
        while stack:
            v = stack.pop()
            for w in succ[v]:
                if not reached[w]:
                    reached[w] = 1
                    stack.append(w)
        return reached

    # ----- paths ----------------------------------------------------------------------

    def paths_to(
        self,
        targets: Iterable[int],
        *,
        max_paths: int = 20,
        max_expansions: int = DEFAULT_MAX_EXPANSIONS,
    ) -> dict[int, PathInfo]:
        """Paths from the roots to each target, path counts, "introduced via" and affected.

        Work is confined to the ancestors of the targets and follows parent lists only:
        one depth-first search gives the ancestors in topological order (strongly connected
        components where there are cycles), then one pass gives path counts, distances
        from the roots and, as bit sets, which targets each ancestor reaches; then per
        target a best-first search yields the shortest simple paths first.

        The roots among the ancestors are found there too, without `roots`: an ancestor
        is a root when it is a declared root not included from another document, when
        nothing includes it, or when it is the first element of a cycle nothing outside
        includes and that holds neither; since every parent of an ancestor is an
        ancestor, that is exactly `roots` restricted to the ancestors.
        """
        targets = list(dict.fromkeys(targets))
        if not targets:
            return {}
        n = len(self.nodes)
        pred = self.pred
        bits = [0] * n
        for b, t in enumerate(targets):
            bits[t] |= 1 << b
        with gc_paused():
            order, region_flag, cyclic = _ancestors(targets, pred, n)
            region = sorted(order)
            is_root = bytearray(n)
            for r in self._declared_roots():
                is_root[r] = 1
            for v in compress(region, map(not_, map(pred.__getitem__, region))):
                is_root[v] = 1
            if cyclic:
                counts, dist, masks = _cyclic_passes(region, pred, region_flag, is_root, bits)
            else:
                counts, dist, masks = _dag_passes(order, pred, is_root, bits)

        region_roots = list(compress(region, map(is_root.__getitem__, region)))
        # Children of roots: a non-root at distance 1, or a root with a root parent.
        entries = [v for v in region if dist[v] == 1]
        entries += (r for r in region_roots if any(is_root[p] for p in pred[r]))
        entries.sort()
        result: dict[int, PathInfo] = {}
        for b, t in enumerate(targets):
            found, exhausted = self._best_paths(t, dist, is_root, max_paths, max_expansions)
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

    def _best_paths(
        self, target: int, dist: list[int], is_root: bytearray, max_paths: int, budget: int
    ) -> tuple[list[tuple[int, ...]], bool]:
        """Simple paths into `target` in order of length (A* backwards, exact heuristic)."""
        if dist[target] >= _INF:
            return [], True
        pred = self.pred
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

    # ----- views ----------------------------------------------------------------------

    def refs(self, indexes: Iterable[int]) -> tuple[str, ...]:
        """Refs as written for node indexes."""
        return tuple(self.nodes[i].ref for i in indexes)

    def to_networkx(self, *, with_components: bool = True) -> nx.DiGraph[str]:
        """A networkx DiGraph keyed by `Node.id`, every edge (inclusion or not) typed.

        Node attributes: document, ref, role, name, version, purl, root, and the
        Component itself under `component` unless `with_components` is false. Edge
        attributes: type (several joined by `,`), kind, inclusion.
        """
        import networkx as nx

        graph: nx.DiGraph[str] = nx.DiGraph()
        roots = set(self.roots)
        for node in self.nodes:
            comp = node.component
            attrs: dict[str, Any] = {
                "document": node.document,
                "ref": node.ref,
                "role": node.role,
                "name": comp.name,
                "version": comp.version or "",
                "purl": comp.purl or "",
                "root": node.position in roots,
            }
            if with_components:
                attrs["component"] = comp
            graph.add_node(node.id, **attrs)
        for edge in self.edges:
            u, v = self.nodes[edge.source].id, self.nodes[edge.target].id
            if not graph.has_edge(u, v):
                graph.add_edge(
                    u, v, type=edge.type, kind=edge.rule.kind, inclusion=edge.rule.inclusion
                )
            else:
                data = graph.edges[u, v]
                data["type"] = f"{data['type']},{edge.type}"
                data["inclusion"] = bool(data["inclusion"]) or edge.rule.inclusion
        return graph


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


def build_graph(
    documents: Sequence[Document], *, links: LinkResolver | None = None
) -> ComponentGraph:
    """The graph of `documents` (in the order given), with cross-document links resolved.

    `links` defaults to a `LinkResolver` over the same documents; its unresolved references
    end up in `ComponentGraph.unresolved`.
    """
    with gc_paused():
        return _build(documents, links)


def _build(documents: Sequence[Document], links: LinkResolver | None) -> ComponentGraph:
    from sbomcheck.graph.links import LinkResolver

    graph = ComponentGraph(documents)
    for doc in documents:
        graph._add_nodes(doc)
    resolver = links if links is not None else LinkResolver(documents)
    deferred: list[tuple[Document, str, str, str, EdgeRule, str]] = []
    for doc in documents:
        _add_local_edges(graph, doc, deferred, resolver)
        _add_nesting_edges(graph, doc)
    # Cross-document edges last: a link to a whole document needs that document's own
    # edges to find its tops when it declares no root.
    for doc, source, target, type_, rule, location in deferred:
        src_nodes = _resolve_end(graph, resolver, doc, source, location)
        dst_nodes = _resolve_end(graph, resolver, doc, target, location)
        for s in src_nodes:
            for d in dst_nodes:
                if rule.reverse:
                    graph._add(d, s, type_, rule, location)
                else:
                    graph._add(s, d, type_, rule, location)
    for link in resolver.document_links(documents):
        sources = (
            graph.find(link.document, link.from_ref)
            if link.from_ref is not None
            else graph.document_roots(link.document)
        )
        dst = (
            graph.find(link.target.document, link.target.ref)
            if link.target.ref is not None
            else graph.document_roots(link.target.document)
        )
        rule = RELATIONSHIP_RULES["bom-reference"]
        for s in sources:
            for d in dst:
                graph._add(s, d, "bom-reference", rule, link.location)
    graph.unresolved = list(resolver.unresolved)
    graph.link_warnings = {key: list(found) for key, found in resolver.warnings.items()}
    return graph


def _add_local_edges(
    graph: ComponentGraph,
    doc: Document,
    deferred: list[tuple[Document, str, str, str, EdgeRule, str]],
    links: LinkResolver,
) -> None:
    """Edges for the relationships between elements of `doc`, in order; the ones with an
    end in another document (`links.names_other_document`) go to `deferred`.

    Built column by column: each end is looked up in one pass, and only the rows with an
    end that is not a plain element of `doc` (the document itself, NONE, another document,
    an undeclared or a repeated ref) are looked at one by one. Types, rules and locations
    are only needed for `edges`: they are read when it is."""
    key = doc.key
    rels = doc.relationships
    first = graph._first.get(key, {})
    dupes = {ref for (k, ref) in graph._dupes if k == key}
    own_ids = {i for i in (doc.spdx_id, "SPDXRef-DOCUMENT") if i}
    skip = own_ids | _SPECIAL_ENDS
    odd = [ref for ref in skip | dupes if ref in first]
    odd += compress(first, map(str.startswith, first, repeat(_EXTERNAL)))
    plain = first
    if odd:
        plain = dict(first)
        for ref in odd:
            plain.pop(ref, None)
    sources = list(map(plain.get, map(_SOURCE, rels), repeat(_MISSING)))
    targets = list(map(plain.get, map(_TARGET, rels), repeat(_MISSING)))
    written: list[str] = list(map(_TYPE, rels))
    kinds: dict[str, tuple[str, EdgeRule]] = {}
    for w in dict.fromkeys(written):
        type_ = normalize_type(w)
        kinds[w] = (type_, RELATIONSHIP_RULES.get(type_, UNKNOWN_RULE))

    special: list[int] = []
    if rels and (min(sources) == _MISSING or min(targets) == _MISSING):
        rows = range(len(rels))
        missing = repeat(_MISSING)
        special = sorted(
            {*compress(rows, map(eq, sources, missing)), *compress(rows, map(eq, targets, missing))}
        )
    uncounted: list[int] = []
    expanded: dict[int, list[tuple[int, int]]] = {}
    for i in special:
        rel = rels[i]
        source, target = rel.source, rel.target
        if source in skip or target in skip:
            uncounted.append(i)  # DESCRIBES from the document itself is already in root_refs
            continue
        type_, rule = kinds[rel.type]
        if source.startswith(_EXTERNAL) or target.startswith(_EXTERNAL):
            deferred.append((doc, source, target, type_, rule, rel.location))
            continue
        if source not in first or target not in first:
            if (source not in first and links.names_other_document(doc, source)) or (
                target not in first and links.names_other_document(doc, target)
            ):
                deferred.append((doc, source, target, type_, rule, rel.location))
            continue  # otherwise dangling: ingest already warned about it
        if rule.reverse:
            source, target = target, source
        expanded[i] = [(s, t) for s in graph.find(key, source) for t in graph.find(key, target)]

    if any(rule is UNKNOWN_RULE for _, rule in kinds.values()):
        keep = bytearray(b"\x01") * len(rels)
        for i in uncounted:
            keep[i] = 0
        unknown = graph.unknown_types
        for w, count in Counter(compress(written, keep)).items():
            type_, rule = kinds[w]
            if rule is UNKNOWN_RULE:
                unknown[type_] = unknown.get(type_, 0) + count

    reverse = {w for w, (_, rule) in kinds.items() if rule.reverse}
    if reverse:
        for i in compress(range(len(rels)), map(reverse.__contains__, written)):
            sources[i], targets[i] = targets[i], sources[i]
    index: list[int] | None = None
    if special:
        sources, targets, written, index = _splice(special, expanded, sources, targets, written)

    def columns() -> _Rows:
        locations: list[str] = list(map(_LOCATION, rels))
        if index is not None:
            locations = list(map(locations.__getitem__, index))
        types = list(map({w: k[0] for w, k in kinds.items()}.__getitem__, written))
        rules = list(map({w: k[1] for w, k in kinds.items()}.__getitem__, written))
        return sources, targets, types, rules, locations

    graph._pending.append(columns)
    if not all(rule.inclusion for _, rule in kinds.values()):
        inclusion = list(map({w: k[1].inclusion for w, k in kinds.items()}.__getitem__, written))
        graph._link(list(compress(sources, inclusion)), list(compress(targets, inclusion)))
    else:
        graph._link(sources, targets)


def _splice(
    special: list[int],
    expanded: dict[int, list[tuple[int, int]]],
    sources: list[int],
    targets: list[int],
    written: list[str],
) -> tuple[list[int], list[int], list[str], list[int]]:
    """The rows without the `special` ones, each replaced by its expansion, and the
    relationship each row comes from."""
    keep = bytearray(b"\x01") * len(sources)
    for i in special:
        keep[i] = 0
    if not expanded:
        return (
            list(compress(sources, keep)),
            list(compress(targets, keep)),
            list(compress(written, keep)),
            list(compress(range(len(keep)), keep)),
        )
    out: tuple[list[int], list[int], list[str], list[int]] = ([], [], [], [])
    for i, (source, target, type_) in enumerate(zip(sources, targets, written, strict=True)):
        for s, t in [(source, target)] if keep[i] else expanded.get(i, []):
            out[0].append(s)
            out[1].append(t)
            out[2].append(type_)
            out[3].append(i)
    return out


def _add_nesting_edges(graph: ComponentGraph, doc: Document) -> None:
    """Containment from nesting and file entries, and pedigree, after `doc`'s relationships."""
    key = doc.key
    contains = RELATIONSHIP_RULES["contains"]
    nodes = graph.nodes[graph._doc_start[key] : graph._doc_end[key]]
    rows: tuple[list[int], list[int], list[str], list[EdgeRule], list[str]] = ([], [], [], [], [])

    def add(source: int, target: int, type_: str, rule: EdgeRule, location: str) -> None:
        rows[0].append(source)
        rows[1].append(target)
        rows[2].append(type_)
        rows[3].append(rule)
        rows[4].append(location)

    for node in nodes:
        comp = node.component
        if comp.parent is None and not comp.files and comp.pedigree is None:
            continue
        if comp.parent is not None:
            for p in graph.find(key, comp.parent):
                add(p, node.position, "contains", contains, comp.location)
        for entry in comp.files:
            if entry.ref:
                for f in graph.find(key, entry.ref):
                    add(node.position, f, "contains", contains, comp.location)
        if comp.pedigree is not None:
            for relation, origin in comp.pedigree.entries():
                type_ = f"pedigree-{relation}"
                for o in graph.find(key, origin.ref):
                    add(node.position, o, type_, RELATIONSHIP_RULES[type_], comp.location)
    if rows[0]:
        graph._pending.append(rows)
        inclusion = [rule.inclusion for rule in rows[3]]
        graph._link(list(compress(rows[0], inclusion)), list(compress(rows[1], inclusion)))


def _resolve_end(
    graph: ComponentGraph, resolver: LinkResolver, doc: Document, ref: str, location: str
) -> list[int]:
    from sbomcheck.graph.links import is_external_reference

    if not is_external_reference(ref) and (
        graph.has_ref(doc.key, ref) or not resolver.names_other_document(doc, ref)
    ):
        return graph.find(doc.key, ref)
    target = resolver.resolve(doc, ref, location)
    if target is None:
        return []
    if target.ref is None:
        return graph.document_roots(target.document)
    return graph.find(target.document, target.ref)
