"""The component graph as Graphviz DOT or GraphML, with findings and their paths marked.

Both are pure functions of an `Analysis` (`sbomcheck.scan.analyse`) and byte-stable: nodes in
declaration order, edges in the order they were added. Marks, as node/edge attributes:

- `finding` (the flagged element, with `canonical` and `confidence`),
- `on_path` (an element or edge on a listed path from a root to a finding),
- `affected` (an element that includes a finding, directly or not),
- `root`, and per edge `type`, `kind` and `inclusion` (false for pedigree and other
  relations that carry no paths; drawn dashed in DOT).

Text from the SBOM is escaped as everywhere else (`sbomcheck.safe_text`). DOT labels are cut
to `DOT_LABEL_MAX` characters (the whole value goes into the node's `tooltip`), and no quoted
DOT string exceeds `DOT_STRING_MAX` bytes: Graphviz refuses the whole file otherwise
(measured with Graphviz 2.43: a quoted string of 16,382 bytes or more is a syntax error).
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from sbomcheck.safe_text import visible, xml_safe

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
    """GraphML text with every character XML forbids shown as a backslash escape, and C1
    and bidi characters written as character references (`sbomcheck.safe_text.xml_safe`)."""
    return xml_safe(
        _NOT_XML.sub(
            lambda m: (
                f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"
            ),
            text,
        )
    )


DOT_LABEL_MAX = 200
"""Characters of a name or ref shown in a DOT label; longer ones end in `…` (a label as wide
as a 100,000-character name is no picture, and is past what Graphviz reads at all)."""
DOT_STRING_MAX = 16_000
"""Bytes (UTF-8, escaped) of any quoted DOT string: under Graphviz's 16,384-byte lexer limit."""


def _dot_escape(text: str) -> str:
    # Control and bidi characters from an SBOM are shown as escapes, never passed through.
    return visible(text).replace("\\", "\\\\").replace('"', '\\"')


def _cut(text: str, limit: int) -> str:
    """`text` made visible, cut to `limit` characters with `…` when longer."""
    shown = visible(text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "\u2026"


def _dot_text(*parts: str) -> str:
    """The parts escaped for one quoted DOT string, joined by DOT's line break `\\n`, and
    at most `DOT_STRING_MAX` bytes long (a part is cut with `…` where needed)."""
    escaped = "\\n".join(_dot_escape(p) for p in parts)
    if len(escaped.encode()) <= DOT_STRING_MAX:
        return escaped
    # NOTE: cut the visible text, not the escaped one, so no escape is split in half. A
    # visible character escapes to at most 4 bytes (UTF-8, or `\\` for a backslash).
    share = (DOT_STRING_MAX - 2 * len(parts)) // (4 * len(parts))
    return "\\n".join(_dot_escape(_cut(p, share)) for p in parts)


def _dot_quote(*parts: str) -> str:
    return f'"{_dot_text(*parts)}"'


def _dot_id(node_id: str) -> str:
    """A quoted DOT id: the node id itself, or for one too long for Graphviz its first
    characters and a digest of the whole (ids must stay distinct; labels carry the text)."""
    escaped = _dot_escape(node_id)
    if len(escaped.encode()) <= DOT_STRING_MAX:
        return f'"{escaped}"'
    digest = hashlib.sha256(node_id.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f'"{_dot_escape(_cut(node_id, DOT_LABEL_MAX))}#sha256:{digest}"'


def _cut_label(*parts: str) -> tuple[str, bool]:
    """(quoted label of the parts, each cut to `DOT_LABEL_MAX` characters; whether any was)."""
    cut = any(len(visible(p)) > DOT_LABEL_MAX for p in parts)
    return _dot_quote(*(_cut(p, DOT_LABEL_MAX) for p in parts)), cut


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
        # The label is the name and the ref on two lines; when either is cut, the tooltip
        # holds both whole (as far as Graphviz reads), after the finding's match if any.
        name = comp.display_name or node.ref
        label, cut = _cut_label(name, node.ref)
        attrs = [f"label={label}"]
        tips = [name, node.ref] if cut else []
        if node.position in marks.finding:
            canonical, confidence = marks.finding[node.position]
            attrs += ["style=filled", 'fillcolor="#f4b6b6"', 'color="#b00000"']
            tips.insert(0, f"{canonical} ({confidence})")
        elif node.position in marks.on_path:
            attrs.append('color="#b00000"')
        elif node.position in marks.affected:
            attrs.append('color="#d07000"')
        if tips:
            attrs.append(f"tooltip={_dot_quote(*tips)}")
        if node.position in marks.roots:
            attrs.append("peripheries=2")
        lines.append(f"  {_dot_id(node.id)} [{', '.join(attrs)}];")
    for edge in graph.edges:
        u, v = graph.nodes[edge.source].id, graph.nodes[edge.target].id
        attrs = [f"label={_cut_label(edge.type)[0]}"]
        if not edge.rule.inclusion:
            attrs.append("style=dashed")
        if (edge.source, edge.target) in marks.path_edges:
            attrs += ['color="#b00000"', "penwidth=2"]
        lines.append(f"  {_dot_id(u)} -> {_dot_id(v)} [{', '.join(attrs)}];")
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
