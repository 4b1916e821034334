"""The graph stage: one graph over every element of every document given.

Roots, paths, "introduced via" and affected elements, with cross-document links resolved
(docs/graph.md). The modules:

- `component_graph`: `ComponentGraph` (nodes, parent lists, typed edges, roots), `Node`, `Edge`
- `links`: `LinkResolver`, which follows references between the documents given
- `scc`: strongly connected components over integer adjacency lists
"""

from __future__ import annotations

from sbomcheck.graph.component_graph import (
    PATH_COUNT_CAP,
    RELATIONSHIP_RULES,
    ComponentGraph,
    Edge,
    EdgeRule,
    Node,
    PathInfo,
    build_graph,
    edge_rule,
    normalize_type,
)

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
