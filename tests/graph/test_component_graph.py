"""ComponentGraph: the methods the builder fills it with, roots, and the networkx view."""

from __future__ import annotations

from sbomcheck.graph import RELATIONSHIP_RULES, ComponentGraph, build_graph
from sbomcheck.graph.component_graph import EdgeRows
from tests.graph.helpers import comp, doc

DEPENDS_ON = RELATIONSHIP_RULES["depends-on"]
VARIANT_OF = RELATIONSHIP_RULES["variant-of"]


def _graph(*refs: str) -> ComponentGraph:
    d = doc("d", refs)
    g = ComponentGraph([d])
    g.add_nodes(d)
    return g


def test_rows_become_edges_when_first_read_each_once_in_order() -> None:
    g = _graph("A", "B", "C")
    asked: list[str] = []

    def later() -> EdgeRows:
        asked.append("rows")
        return (1, 1), (2, 0), ("depends-on", "variant-of"), (DEPENDS_ON, VARIANT_OF), ("l", "l")

    g.add_rows(((0, 0, 1), (1, 1, 1), ("depends-on",) * 3, (DEPENDS_ON,) * 3, ("x", "y", "z")))
    g.add_rows(later)
    assert asked == []
    edges = [(e.source, e.target, e.type, e.location) for e in g.edges]
    # The repeat of 0 -> 1 and the self-loop 1 -> 1 are dropped.
    assert edges == [
        (0, 1, "depends-on", "x"),
        (1, 2, "depends-on", "l"),
        (1, 0, "variant-of", "l"),
    ]
    assert asked == ["rows"]
    assert g.edges is g.edges and asked == ["rows"]


def test_link_adds_inclusion_pairs_once_without_self_loops() -> None:
    g = _graph("A", "B", "C")
    g.link([0, 0, 1, 1], [1, 1, 1, 2])
    assert g.pred == [[], [0], [1]]
    g.add_rows(((0, 1), (1, 2), ("depends-on",) * 2, (DEPENDS_ON,) * 2, ("", "")))
    assert g.succ == [[1], [2], []]
    g.link([0], [2])  # after `succ` was read: it follows
    assert g.pred[2] == [1, 0] and g.succ[0] == [1, 2]


def test_link_keeps_each_parent_once_however_many_a_node_has() -> None:
    g = _graph(*[f"p{i}" for i in range(40)], "t")
    parents = list(range(40))
    g.link(parents + parents[::-1], [40] * 80)
    assert g.pred[40] == parents


def test_declared_refs_repeated_refs_and_the_nodes_of_a_document() -> None:
    d = doc("d", [], components=[comp("d", "R", 0), comp("d", "A", 1), comp("d", "A", 2)])
    e = doc("e", ["X"])
    g = ComponentGraph([d, e])
    g.add_nodes(d)
    g.add_nodes(e)
    assert dict(g.declared("d")) == {"R": 0, "A": 1}
    assert dict(g.declared("e")) == {"X": 3}
    assert dict(g.declared("unknown")) == {}
    assert g.repeated_refs("d") == {"A"} and g.repeated_refs("e") == set()
    assert g.find("d", "A") == [1, 2]
    assert [n.id for n in g.document_nodes("d")] == ["d#R", "d#A", "d#A#1"]
    assert [n.id for n in g.document_nodes("e")] == ["e#X"]


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


def test_to_networkx_keeps_components_and_edge_types() -> None:
    d = doc("d", ["A", "B"], [("A", "DEPENDS_ON", "B"), ("B", "VARIANT_OF", "A")], roots=["A"])
    nxg = build_graph([d]).to_networkx()
    assert set(nxg.nodes) == {"d#A", "d#B"}
    assert nxg.nodes["d#A"]["component"].ref == "A"
    assert nxg.nodes["d#A"]["root"] is True
    assert nxg.edges["d#A", "d#B"]["type"] == "depends-on"
    assert nxg.edges["d#B", "d#A"]["inclusion"] is False
