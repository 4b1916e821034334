"""Paths from the roots: simple paths shortest first, counts, "introduced via", affected."""

from __future__ import annotations

from sbomcheck.graph import PATH_COUNT_CAP, ComponentGraph, build_graph
from tests.graph.helpers import doc


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
