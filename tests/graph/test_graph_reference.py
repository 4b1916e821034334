"""The graph against its specification written the slow way, on generated documents.

The build works column by column and leaves typed edges and children for later; paths work
on the targets' ancestors only, finding the roots among them. These tests restate the
rules one relationship and one path at a time: edges in the order written, each
(source, target, type) once, self-loops dropped, a repeated ref meaning all its elements,
nesting after relationships; paths as every simple path from `roots`.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sbomcheck.graph import (
    RELATIONSHIP_RULES,
    ComponentGraph,
    EdgeRule,
    build_graph,
    edge_rule,
    normalize_type,
)
from sbomcheck.model import Component, Document, FileEntry, Format, Pedigree
from tests.graph.helpers import comp, doc

_REFS = ["A", "B", "C", "D", "E", "F"]
_ENDS = [*_REFS, "SPDXRef-DOCUMENT", "NONE", "undeclared"]
_TYPES = [
    "DEPENDS_ON",
    "dependsOn",
    "DEPENDENCY_OF",
    "CONTAINS",
    "CONTAINED_BY",
    "GENERATES",
    "VARIANT_OF",
    "PATCH_FOR",
    "OTHER",
    "FRIEND_OF",
    "friendOf",
]


@st.composite
def _documents(
    draw: st.DrawFn, *, links: bool, most: int = 3, size: int = 7, rels: int = 14
) -> list[Document]:
    """One to `most` documents of up to `size` elements and `rels` relationships: repeated
    refs, every kind of end and type, nesting, files, pedigree; with `links`, components
    that include another document (BOM references)."""
    docs = []
    keys = [f"d{i}.cdx.json" for i in range(draw(st.integers(1, most)))]
    for key in keys:
        refs = draw(st.lists(st.sampled_from(_REFS), min_size=1, max_size=size))
        comps = []
        for i, ref in enumerate(refs):
            parent = draw(st.none() | st.sampled_from([*refs, "undeclared"]))
            files = draw(st.lists(st.sampled_from([*refs, ""]), max_size=2))
            origin = draw(st.none() | st.sampled_from(refs))
            bom = draw(st.lists(st.sampled_from(keys), max_size=1)) if links else []
            comps.append(
                dataclasses.replace(
                    comp(key, ref, i, bom=bom),
                    parent=parent,
                    files=tuple(FileEntry(name="f", ref=f or None) for f in files),
                    pedigree=(
                        Pedigree(ancestors=(Component(ref=origin, document=key, location="p"),))
                        if origin
                        else None
                    ),
                )
            )
        written = draw(
            st.lists(
                st.tuples(st.sampled_from(_ENDS), st.sampled_from(_TYPES), st.sampled_from(_ENDS)),
                max_size=rels,
            )
        )
        roots = draw(st.lists(st.sampled_from(refs), max_size=2))
        docs.append(doc(key, [], written, roots=roots, fmt=Format.CYCLONEDX_JSON, components=comps))
    return docs


def _reference_edges(
    docs: list[Document],
) -> tuple[list[tuple[int, int, str, str]], list[list[int]], list[list[int]], dict[str, int]]:
    """Edges, children, parents and unknown types, one relationship at a time."""
    where: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    position = 0
    for d in docs:
        for c in d.all_elements():
            where[d.key][c.ref].append(position)
            position += 1
    edges: list[tuple[int, int, str, str]] = []
    succ: list[list[int]] = [[] for _ in range(position)]
    pred: list[list[int]] = [[] for _ in range(position)]
    unknown: dict[str, int] = {}

    def add(s: int, t: int, type_: str, rule: EdgeRule, location: str) -> None:
        if s == t or any(e[:3] == (s, t, type_) for e in edges):
            return
        edges.append((s, t, type_, location))
        if rule.inclusion and t not in succ[s]:
            succ[s].append(t)
            pred[t].append(s)

    for d in docs:
        nodes = where[d.key]
        for rel in d.relationships:
            if {rel.source, rel.target} & {"SPDXRef-DOCUMENT", "NONE", "NOASSERTION"}:
                continue
            type_, rule = normalize_type(rel.type), edge_rule(rel.type)
            if type_ not in RELATIONSHIP_RULES:
                unknown[type_] = unknown.get(type_, 0) + 1
            sources, targets = nodes.get(rel.source, []), nodes.get(rel.target, [])
            if rule.reverse:
                sources, targets = targets, sources
            for s in sources:
                for t in targets:
                    add(s, t, type_, rule, rel.location)
        contains = RELATIONSHIP_RULES["contains"]
        for c in d.all_elements():
            (me,) = [n for n in nodes[c.ref] if _location(docs, n) == c.location]
            for p in nodes.get(c.parent or "", []) if c.parent is not None else []:
                add(p, me, "contains", contains, c.location)
            for entry in c.files:
                for f in nodes.get(entry.ref or "", []) if entry.ref else []:
                    add(me, f, "contains", contains, c.location)
            if c.pedigree is not None:
                for relation, origin in c.pedigree.entries():
                    type_ = f"pedigree-{relation}"
                    for o in nodes.get(origin.ref, []):
                        add(me, o, type_, RELATIONSHIP_RULES[type_], c.location)
    return edges, succ, pred, unknown


def _location(docs: list[Document], position: int) -> str:
    elements = [c for d in docs for c in d.all_elements()]
    return elements[position].location


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(_documents(links=False))
def test_edges_are_the_relationships_in_order_each_once(docs: list[Document]) -> None:
    g = build_graph(docs)
    edges, succ, pred, unknown = _reference_edges(docs)
    assert g.pred == pred  # built first, before anything reads edges or succ
    assert [(e.source, e.target, e.type, e.location) for e in g.edges] == edges
    assert g.succ == succ
    assert g.unknown_types == unknown
    for d in docs:
        for c in d.all_elements():
            node = g.node_of(c)
            assert node is not None and g.nodes[node].component is c


def _simple_paths(g: ComponentGraph, target: int) -> list[tuple[int, ...]]:
    found: list[tuple[int, ...]] = []
    stack: list[tuple[int, ...]] = [(r,) for r in g.roots]
    while stack:
        path = stack.pop()
        if path[-1] == target:
            found.append(path)
        stack.extend((*path, c) for c in g.succ[path[-1]] if c not in path)
    return sorted(found, key=lambda p: (len(p), p))


def _reaches(g: ComponentGraph, source: int, target: int) -> bool:
    seen, stack = {source}, [source]
    while stack:
        v = stack.pop()
        if v == target:
            return True
        for c in g.succ[v]:
            if c not in seen:
                seen.add(c)
                stack.append(c)
    return False


# NOTE: small enough that every simple path can be listed (no budget, no cap reached).
@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(_documents(links=True, most=2, size=5, rels=8), st.data())
def test_paths_are_every_simple_path_from_the_roots(
    docs: list[Document], data: st.DataObject
) -> None:
    g = build_graph(docs)
    n = len(g.nodes)
    targets = data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=4))
    infos = g.paths_to(targets, max_paths=10**7, max_expansions=10**7)
    assert list(infos) == list(dict.fromkeys(targets))
    for t, info in infos.items():
        paths = _simple_paths(g, t)
        assert list(info.paths) == paths
        assert info.exact and info.total == len(paths)
        ancestors = [v for v in range(n) if v != t and _reaches(g, v, t)]
        assert list(info.affected) == ancestors
        via = {c for r in g.roots for c in g.succ[r] if c == t or c in ancestors}
        assert list(info.introduced_via) == sorted(via)


def test_reading_edges_and_children_later_sees_edges_added_since() -> None:
    g = build_graph([doc("d", ["R", "A", "B"], [("R", "DEPENDS_ON", "A")], roots=["R"])])
    r, a, b = 0, 1, 2
    assert g.succ == [[a], [], []]
    g.add_edge(a, b, "depends-on", RELATIONSHIP_RULES["depends-on"], "x")
    g.add_edge(a, b, "depends-on", RELATIONSHIP_RULES["depends-on"], "again")  # repeat: dropped
    g.add_edge(b, b, "contains", RELATIONSHIP_RULES["contains"])  # self-loop: dropped
    g.add_edge(b, a, "variant-of", RELATIONSHIP_RULES["variant-of"])  # carries no paths
    assert g.succ == [[a], [b], []]
    assert g.pred == [[], [r], [a]]
    assert [(e.source, e.target, e.type) for e in g.edges] == [
        (r, a, "depends-on"),
        (a, b, "depends-on"),
        (b, a, "variant-of"),
    ]
    assert [g.refs(p) for p in g.paths_to([b])[b].paths] == [("R", "A", "B")]


def test_a_root_included_by_another_root_is_introduced_via_it() -> None:
    # R and S are both declared roots and R includes S: S is one of R's children.
    d = doc(
        "d",
        ["R", "S", "T"],
        [("R", "DEPENDS_ON", "S"), ("S", "DEPENDS_ON", "T"), ("R", "DEPENDS_ON", "T")],
        roots=["R", "S"],
    )
    g = build_graph([d])
    t = g.find("d", "T")[0]
    info = g.paths_to([t])[t]
    assert g.refs(info.introduced_via) == ("S", "T")
    assert [g.refs(p) for p in info.paths] == [("R", "T"), ("S", "T"), ("R", "S", "T")]


def test_roots_among_the_ancestors_are_the_graph_roots() -> None:
    # A closed cycle (c1 c2) nothing includes, reached from nowhere, and a cycle (x y)
    # below a declared root: only the first gives a root of its own.
    d = doc(
        "d",
        ["R", "x", "y", "c2", "c1", "T"],
        [
            ("R", "DEPENDS_ON", "x"),
            ("x", "DEPENDS_ON", "y"),
            ("y", "DEPENDS_ON", "x"),
            ("y", "DEPENDS_ON", "T"),
            ("c1", "DEPENDS_ON", "c2"),
            ("c2", "DEPENDS_ON", "c1"),
            ("c2", "DEPENDS_ON", "T"),
            ("c1", "DEPENDS_ON", "T"),
        ],
        roots=["R"],
    )
    g = build_graph([d])
    t = g.find("d", "T")[0]
    info = g.paths_to([t])[t]
    assert g.refs(g.roots) == ("R", "c2")
    assert [g.refs(p) for p in info.paths] == [
        ("c2", "T"),
        ("c2", "c1", "T"),
        ("R", "x", "y", "T"),
    ]
    assert g.refs(info.introduced_via) == ("x", "c1", "T")
    assert info.exact and info.total == 3
