"""The component graph as Graphviz DOT or GraphML, with findings and their paths marked.

Both are pure functions of an `Analysis` (`sbomcheck.scan.analyse`) and byte-stable: nodes in
declaration order, edges in the order they were added. Marks, as node/edge attributes:

- `finding` (the flagged element, with `canonical` and `confidence`),
- `on_path` (an element or edge on a listed path from a root to a finding),
- `affected` (an element that includes a finding, directly or not),
- `root`, and per edge `type`, `kind` and `inclusion` (false for pedigree and other
  relations that carry no paths; drawn dashed in DOT).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sbomcheck.report._common import visible

if TYPE_CHECKING:
    from sbomcheck.scan import Analysis

__all__ = ["to_dot", "to_graphml"]


class _Marks:
    def __init__(self, analysis: Analysis) -> None:
        graph = analysis.graph
        self.finding: dict[int, tuple[str, str]] = {}
        for finding, node in zip(analysis.findings, analysis.nodes, strict=True):
            if node is not None and node not in self.finding:
                self.finding[node] = (finding.canonical, finding.confidence.value)
        self.on_path: set[int] = set()
        self.path_edges: set[tuple[int, int]] = set()
        self.affected: set[int] = set()
        for info in analysis.paths.values():
            self.affected.update(info.affected)
            for path in info.paths:
                self.on_path.update(path)
                self.path_edges.update(zip(path, path[1:], strict=False))
        self.roots = set(graph.roots)


# Characters XML 1.0 cannot carry at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """GraphML text with every character XML forbids shown as a backslash escape."""
    return _NOT_XML.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )


def _dot_escape(text: str) -> str:
    # Control and bidi characters from an SBOM are shown as escapes, never passed through.
    return visible(text).replace("\\", "\\\\").replace('"', '\\"')


def _dot_quote(text: str) -> str:
    return f'"{_dot_escape(text)}"'


def to_dot(analysis: Analysis) -> str:
    """Graphviz DOT: findings filled red, their paths red and bold, affected orange."""
    graph = analysis.graph
    marks = _Marks(analysis)
    lines = [
        "digraph sbomcheck {",
        "  graph [rankdir=LR];",
        '  node [shape=box, fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=8];',
    ]
    for node in graph.nodes:
        comp = node.component
        label = comp.display_name or node.ref
        # `\n` is DOT's line break between the name and the ref.
        attrs = [f'label="{_dot_escape(label)}\\n{_dot_escape(node.ref)}"']
        if node.position in marks.finding:
            canonical, confidence = marks.finding[node.position]
            attrs += [
                "style=filled",
                'fillcolor="#f4b6b6"',
                'color="#b00000"',
                f"tooltip={_dot_quote(canonical + ' (' + confidence + ')')}",
            ]
        elif node.position in marks.on_path:
            attrs.append('color="#b00000"')
        elif node.position in marks.affected:
            attrs.append('color="#d07000"')
        if node.position in marks.roots:
            attrs.append("peripheries=2")
        lines.append(f"  {_dot_quote(node.id)} [{', '.join(attrs)}];")
    for edge in graph.edges:
        u, v = graph.nodes[edge.source].id, graph.nodes[edge.target].id
        attrs = [f"label={_dot_quote(edge.type)}"]
        if not edge.rule.inclusion:
            attrs.append("style=dashed")
        if (edge.source, edge.target) in marks.path_edges:
            attrs += ['color="#b00000"', "penwidth=2"]
        lines.append(f"  {_dot_quote(u)} -> {_dot_quote(v)} [{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_graphml(analysis: Analysis) -> str:
    """GraphML (networkx's writer) with the marks as typed attributes."""
    import networkx as nx

    graph = analysis.graph
    marks = _Marks(analysis)
    view = graph.to_networkx(with_components=False)
    for node in graph.nodes:
        data = view.nodes[node.id]
        canonical, confidence = marks.finding.get(node.position, ("", ""))
        data["finding"] = node.position in marks.finding
        data["canonical"] = canonical
        data["confidence"] = confidence
        data["on_path"] = node.position in marks.on_path
        data["affected"] = node.position in marks.affected
    for u, v in marks.path_edges:
        view.edges[graph.nodes[u].id, graph.nodes[v].id]["on_path"] = True
    for _, _, data in view.edges(data=True):
        data.setdefault("on_path", False)
    return _xml_safe("\n".join(nx.generate_graphml(view))) + "\n"
