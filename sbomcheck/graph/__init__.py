"""The graph stage: one graph over every element of every document given.

Roots, paths, "introduced via" and affected elements, with cross-document links resolved
(docs/graph.md). The modules, each importing only those after it:

- `build`: `build_graph`, nodes and edges from the documents' relationships and nesting
- `component_graph`: `ComponentGraph` (nodes, parent lists, typed edges, roots), `Node`, `Edge`
- `paths`: `PathInfo`, paths from the roots, path counts, "introduced via", affected
- `links`: `LinkResolver`, which follows references between the documents given
- `identities`: which document a reference names (shared with the batch audit)
- `scc`: strongly connected components over integer adjacency lists
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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

# NOTE: imported on first use: the ingest structure checks import `sbomcheck.graph.scc`,
# which runs this file first, and reading an SBOM should not pay for importing the whole
# graph stage (20-50 ms measured on a busy 2-core machine, against 1 ms for `scc` alone).
_HOMES = {
    "PATH_COUNT_CAP": "sbomcheck.findings",
    "RELATIONSHIP_RULES": "sbomcheck.relationships",
    "ComponentGraph": "sbomcheck.graph.component_graph",
    "Edge": "sbomcheck.graph.component_graph",
    "EdgeRule": "sbomcheck.relationships",
    "Node": "sbomcheck.graph.component_graph",
    "PathInfo": "sbomcheck.graph.paths",
    "build_graph": "sbomcheck.graph.build",
    "edge_rule": "sbomcheck.relationships",
    "normalize_type": "sbomcheck.relationships",
}

if TYPE_CHECKING:
    from sbomcheck.findings import PATH_COUNT_CAP
    from sbomcheck.graph.build import build_graph
    from sbomcheck.graph.component_graph import ComponentGraph, Edge, Node
    from sbomcheck.graph.paths import PathInfo
    from sbomcheck.relationships import RELATIONSHIP_RULES, EdgeRule, edge_rule, normalize_type


def __getattr__(name: str) -> Any:
    import importlib

    module = _HOMES.get(name)
    if module is None:
        raise AttributeError(f"module 'sbomcheck.graph' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
