"""The graph stage: one graph over every element of every document given.

Roots, paths, "introduced via" and affected elements, with cross-document links resolved
(docs/graph.md). The modules, each importing only those after it:

- `build`: `build_graph`, nodes and edges from the documents' relationships and nesting
- `component_graph`: `ComponentGraph` (nodes, parent lists, typed edges, roots), `Node`, `Edge`
- `paths`: `PathInfo`, paths from the roots, path counts, "introduced via", affected
- `links`: `LinkResolver`, which follows references between the documents given
- `scc`: strongly connected components over integer adjacency lists
"""

from __future__ import annotations

from sbomcheck.findings import PATH_COUNT_CAP
from sbomcheck.graph.build import build_graph
from sbomcheck.graph.component_graph import ComponentGraph, Edge, Node
from sbomcheck.graph.paths import PathInfo
from sbomcheck.relationships import RELATIONSHIP_RULES, EdgeRule, edge_rule, normalize_type

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
