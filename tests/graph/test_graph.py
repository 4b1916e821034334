"""The graph: edge direction for every relationship type, roots, paths, counts, affected."""

from __future__ import annotations

import pytest

from sbomcheck.graph import (
    PATH_COUNT_CAP,
    RELATIONSHIP_RULES,
    ComponentGraph,
    build_graph,
    edge_rule,
    normalize_type,
)
from sbomcheck.model import Component, Pedigree
from tests.graph.helpers import comp, doc


def _edges(graph: ComponentGraph) -> set[tuple[str, str, str]]:
    return {(graph.nodes[e.source].ref, e.type, graph.nodes[e.target].ref) for e in graph.edges}


def _children(graph: ComponentGraph, ref: str) -> list[str]:
    (node,) = [n for n in graph.nodes if n.ref == ref]
    return [graph.nodes[c].ref for c in graph.succ[node.position]]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("DEPENDENCY_OF", "dependency-of"),
        ("dependencyOf", "dependency-of"),
        ("hasStaticLink", "has-static-link"),
        ("dev-dependency-of", "dev-dependency-of"),
        (" CONTAINED_BY ", "contained-by"),
    ],
)
def test_normalize_type(written: str, expected: str) -> None:
    assert normalize_type(written) == expected


@pytest.mark.parametrize("type_", sorted(RELATIONSHIP_RULES))
def test_every_type_gives_one_edge_in_the_documented_direction(type_: str) -> None:
    g = build_graph([doc("d", ["A", "B"], [("A", type_.upper().replace("-", "_"), "B")])])
    rule = RELATIONSHIP_RULES[type_]
    parent, child = ("B", "A") if rule.reverse else ("A", "B")
    assert _edges(g) == {(parent, type_, child)}
    assert _children(g, parent) == ([child] if rule.inclusion else [])
    assert _children(g, child) == []


@pytest.mark.parametrize(
    ("forward", "backward"),
    [
        ("DEPENDS_ON", "DEPENDENCY_OF"),
        ("CONTAINS", "CONTAINED_BY"),
        ("DESCRIBES", "DESCRIBED_BY"),
        ("HAS_PREREQUISITE", "PREREQUISITE_FOR"),
        ("GENERATED_FROM", "GENERATES"),
        ("hasVariant", "VARIANT_OF"),
        ("ANCESTOR_OF", "DESCENDANT_OF"),
        ("hasAddedFile", "FILE_ADDED"),
        ("copiedTo", "COPY_OF"),
    ],
)
def test_reverse_pairs_point_the_same_way(forward: str, backward: str) -> None:
    a = build_graph([doc("d", ["P", "C"], [("P", forward, "C")])])
    b = build_graph([doc("d", ["P", "C"], [("C", backward, "P")])])
    ends = {(e.source, e.target, e.rule.inclusion, e.rule.kind) for e in a.edges}
    assert ends == {(e.source, e.target, e.rule.inclusion, e.rule.kind) for e in b.edges}
    assert len(ends) == 1


def test_red_hat_shapes_reach_the_product() -> None:
    # The relationship mix of a Red Hat product SBOM (docs/graph.md).
    d = doc(
        "rh",
        ["product", "image", "rpm", "srpm", "devdep"],
        [
            ("image", "PACKAGE_OF", "product"),
            ("rpm", "CONTAINED_BY", "image"),
            ("srpm", "GENERATES", "rpm"),
            ("devdep", "DEV_DEPENDENCY_OF", "image"),
        ],
        roots=["product"],
    )
    g = build_graph([d])
    assert g.refs(g.roots) == ("product",)
    targets = [n.position for n in g.nodes if n.ref in {"srpm", "devdep"}]
    info = g.paths_to(targets)
    assert [g.refs(p) for p in info[targets[0]].paths] == [("product", "image", "rpm", "srpm")]
    assert [g.refs(p) for p in info[targets[1]].paths] == [("product", "image", "devdep")]


def test_pedigree_and_variant_edges_carry_no_paths() -> None:
    d = doc(
        "d",
        ["root", "fork", "upstream"],
        [("root", "DEPENDS_ON", "fork"), ("fork", "VARIANT_OF", "upstream")],
        roots=["root"],
    )
    g = build_graph([d])
    assert ("fork", "variant-of", "upstream") in _edges(g)
    assert _children(g, "fork") == []
    upstream = g.find("d", "upstream")[0]
    # Nothing includes `upstream`, so it becomes a root of its own.
    assert upstream in g.roots
    assert g.paths_to([upstream])[upstream].paths == ((upstream,),)


def test_cyclonedx_pedigree_entries_link_to_declared_elements() -> None:
    origin = comp("d", "orig", 1)
    patched = Component(
        ref="patched",
        document="d",
        location="components[0]",
        name="patched",
        pedigree=Pedigree(ancestors=(origin,)),
    )
    g = build_graph([doc("d", [], components=[patched, origin])])
    assert _edges(g) == {("patched", "pedigree-ancestor", "orig")}
    assert _children(g, "patched") == []


def test_nested_components_and_file_entries_are_containment() -> None:
    parent = comp("d", "outer", 0)
    child = comp("d", "inner", 1, parent="outer")
    g = build_graph([doc("d", [], components=[parent, child])])
    assert _edges(g) == {("outer", "contains", "inner")}


def test_unknown_type_is_kept_but_carries_no_paths() -> None:
    g = build_graph([doc("d", ["A", "B"], [("A", "FRIEND_OF", "B")])])
    assert _edges(g) == {("A", "friend-of", "B")}
    assert g.unknown_types == {"friend-of": 1}
    assert edge_rule("FRIEND_OF").inclusion is False


def test_duplicate_refs_stay_distinct_nodes() -> None:
    a0, a1 = comp("d", "A", 0), comp("d", "A", 1)
    g = build_graph(
        [
            doc(
                "d",
                [],
                [("root", "DEPENDS_ON", "A")],
                roots=["root"],
                components=[comp("d", "root", 2), a0, a1],
            )
        ]
    )
    ids = [n.id for n in g.nodes]
    assert ids == ["d#root", "d#A", "d#A#1"]
    assert sorted(_children(g, "root")) == ["A", "A"]
    assert g.node_of(a1) == 2


def test_roots_declared_then_tops_then_cycles() -> None:
    d = doc(
        "d",
        ["R", "X", "orphan", "c1", "c2", "c3"],
        [
            ("R", "DEPENDS_ON", "X"),
            ("c1", "DEPENDS_ON", "c2"),
            ("c2", "DEPENDS_ON", "c3"),
            ("c3", "DEPENDS_ON", "c1"),
        ],
        roots=["R"],
    )
    g = build_graph([d])
    # R declared; orphan nothing includes; c1 the first-declared element of a closed cycle.
    assert g.refs(g.roots) == ("R", "orphan", "c1")


def test_declared_root_in_a_cycle_stays_a_root() -> None:
    d = doc("d", ["R", "A"], [("R", "DEPENDS_ON", "A"), ("A", "DEPENDS_ON", "R")], roots=["R"])
    g = build_graph([d])
    assert g.refs(g.roots) == ("R",)
    a = g.find("d", "A")[0]
    info = g.paths_to([a])[a]
    assert [g.refs(p) for p in info.paths] == [("R", "A")]
    assert g.refs(info.affected) == ("R",)
    assert info.exact and info.total == 1


def test_paths_in_a_cyclic_graph_are_simple_and_complete() -> None:
    # R -> A -> B -> T, B -> A (cycle), R -> B
    d = doc(
        "d",
        ["R", "A", "B", "T"],
        [
            ("R", "DEPENDS_ON", "A"),
            ("A", "DEPENDS_ON", "B"),
            ("B", "DEPENDS_ON", "A"),
            ("B", "DEPENDS_ON", "T"),
            ("R", "DEPENDS_ON", "B"),
        ],
        roots=["R"],
    )
    g = build_graph([d])
    t = g.find("d", "T")[0]
    info = g.paths_to([t])[t]
    assert [g.refs(p) for p in info.paths] == [("R", "B", "T"), ("R", "A", "B", "T")]
    assert info.exact and info.total == 2
    assert g.refs(info.introduced_via) == ("A", "B")
    assert g.refs(info.affected) == ("R", "A", "B")


def _diamonds(k: int) -> ComponentGraph:
    """R -> (a0|b0) -> j0 -> (a1|b1) -> j1 ... : 2**k paths from R to the last join."""
    refs = ["R"]
    rels = []
    prev = "R"
    for i in range(k):
        refs += [f"a{i}", f"b{i}", f"j{i}"]
        rels += [
            (prev, "DEPENDS_ON", f"a{i}"),
            (prev, "DEPENDS_ON", f"b{i}"),
            (f"a{i}", "DEPENDS_ON", f"j{i}"),
            (f"b{i}", "DEPENDS_ON", f"j{i}"),
        ]
        prev = f"j{i}"
    return build_graph([doc("d", refs, rels, roots=["R"])])


def test_paths_are_bounded_and_counted_without_enumeration() -> None:
    g = _diamonds(12)
    t = g.find("d", "j11")[0]
    info = g.paths_to([t], max_paths=5)[t]
    assert len(info.paths) == 5
    assert info.total == 2**12
    assert not info.exact
    assert all(len(p) == 25 for p in info.paths)
    assert len(set(info.paths)) == 5
    assert g.refs(info.introduced_via) == ("a0", "b0")


def test_path_count_saturates() -> None:
    g = _diamonds(40)
    t = g.find("d", "j39")[0]
    assert g.paths_to([t], max_paths=1)[t].total == PATH_COUNT_CAP


def test_shortest_paths_come_first() -> None:
    d = doc(
        "d",
        ["R", "A", "B", "C", "T"],
        [
            ("R", "DEPENDS_ON", "A"),
            ("A", "DEPENDS_ON", "B"),
            ("B", "DEPENDS_ON", "C"),
            ("C", "DEPENDS_ON", "T"),
            ("R", "DEPENDS_ON", "T"),
        ],
        roots=["R"],
    )
    g = build_graph([d])
    t = g.find("d", "T")[0]
    info = g.paths_to([t], max_paths=1)[t]
    assert [g.refs(p) for p in info.paths] == [("R", "T")]
    assert info.total == 2


def test_several_targets_get_their_own_ancestors() -> None:
    d = doc(
        "d",
        ["R", "A", "B", "T1", "T2"],
        [
            ("R", "DEPENDS_ON", "A"),
            ("R", "DEPENDS_ON", "B"),
            ("A", "DEPENDS_ON", "T1"),
            ("B", "DEPENDS_ON", "T2"),
            ("T1", "DEPENDS_ON", "T2"),
        ],
        roots=["R"],
    )
    g = build_graph([d])
    t1, t2 = g.find("d", "T1")[0], g.find("d", "T2")[0]
    infos = g.paths_to([t1, t2])
    assert g.refs(infos[t1].affected) == ("R", "A")
    assert g.refs(infos[t2].affected) == ("R", "A", "B", "T1")
    assert g.refs(infos[t2].introduced_via) == ("A", "B")
    assert [g.refs(p) for p in infos[t2].paths] == [("R", "B", "T2"), ("R", "A", "T1", "T2")]


def test_root_finding_has_the_trivial_path() -> None:
    g = build_graph([doc("d", ["R"], roots=["R"])])
    info = g.paths_to([0])[0]
    assert info.paths == ((0,),) and info.total == 1
    assert info.introduced_via == () and info.affected == ()


def test_search_budget_stops_cleanly() -> None:
    g = _diamonds(12)
    t = g.find("d", "j11")[0]
    info = g.paths_to([t], max_paths=20, max_expansions=3)[t]
    assert not info.exact
    assert info.total == 2**12


def test_to_networkx_keeps_components_and_edge_types() -> None:
    d = doc("d", ["A", "B"], [("A", "DEPENDS_ON", "B"), ("B", "VARIANT_OF", "A")], roots=["A"])
    nxg = build_graph([d]).to_networkx()
    assert set(nxg.nodes) == {"d#A", "d#B"}
    assert nxg.nodes["d#A"]["component"].ref == "A"
    assert nxg.nodes["d#A"]["root"] is True
    assert nxg.edges["d#A", "d#B"]["type"] == "depends-on"
    assert nxg.edges["d#B", "d#A"]["inclusion"] is False
