"""Building the graph: edge direction for every relationship type, nesting, pedigree,
unknown types, repeated refs."""

from __future__ import annotations

import pytest

from sbomcheck.graph import (
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
