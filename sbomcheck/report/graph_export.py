"""The component graph as Graphviz DOT, GraphML, Mermaid or JSON, findings and paths marked.

All are pure functions of an `Analysis` (`sbomcheck.scan.analyse`) and byte-stable: nodes in
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

Mermaid (`to_mermaid`) is for reading in GitHub Markdown: labels are quoted, every character
Mermaid could read as syntax is written as an entity code (`#35;`), and labels are cut to
`MERMAID_LABEL_MAX` characters. Mermaid refuses a diagram of more than 500 edges or 50,000
characters, so a larger graph is drawn as the paths to its findings only (and, if that is
still too large, each finding's shortest path), saying so in a comment. The JSON form
(`to_graph_json`) is whole: every node, every edge, every finding with its paths as node ids;
its schema is `sbomcheck/schema/graph.schema.json`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sbomcheck._version import __version__
from sbomcheck.json_form import json_form
from sbomcheck.safe_text import visible, xml_safe

if TYPE_CHECKING:
    from sbomcheck.graph import ComponentGraph
    from sbomcheck.scan import Analysis

__all__ = ["GRAPH_SCHEMA", "to_dot", "to_graph_json", "to_graphml", "to_mermaid"]


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


# --- Mermaid ------------------------------------------------------------------------------

MERMAID_LABEL_MAX = 60
"""Characters of a node label (name and version, or ref) in Mermaid; longer ones end in `…`."""
MERMAID_MAX_EDGES = 500
"""Mermaid's own default limit (`maxEdges`): a flowchart with more edges is not drawn."""
MERMAID_MAX_TEXT = 45_000
"""Characters of diagram text sbomcheck writes at most: under Mermaid's `maxTextSize` of
50,000, past which it draws an error instead of the diagram."""

_MERMAID_PLAIN = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.,:/@+=()[]{}!?'~$^*"
)
"""ASCII characters a quoted Mermaid label shows as themselves; any other ASCII character
(`"`, `#`, `&`, `<`, `>`, `|`, backtick, backslash, `;`) is written as an entity code.
Letters beyond ASCII are plain text to Mermaid and pass as they are."""


def _mermaid_text(text: str, limit: int = MERMAID_LABEL_MAX) -> str:
    """Text for a quoted Mermaid label: made visible, cut to `limit` characters, then every
    character Mermaid could read as syntax or markup written as `#NNN;` (decimal)."""
    shown = _cut(text, limit)
    return "".join(
        ch if ch in _MERMAID_PLAIN or not ch.isascii() else f"#{ord(ch)};" for ch in shown
    )


def _mermaid_label(graph: ComponentGraph, position: int) -> str:
    node = graph.nodes[position]
    return _mermaid_text(node.component.display_name or node.ref or "(empty ref)")


def _paths_view(analysis: Analysis, shortest_only: bool) -> tuple[set[int], set[tuple[int, int]]]:
    """Nodes and edges of the findings' listed paths (or only each one's shortest path),
    with every finding node."""
    marks = _Marks(analysis)
    nodes: set[int] = set(marks.finding)
    edges: set[tuple[int, int]] = set()
    for info in analysis.paths.values():
        for path in info.paths[:1] if shortest_only else info.paths:
            nodes.update(path)
            edges.update(zip(path, path[1:], strict=False))
    return nodes, edges


def _mermaid_lines(
    analysis: Analysis, nodes: set[int] | None, edges: set[tuple[int, int]] | None, note: str
) -> list[str]:
    graph = analysis.graph
    marks = _Marks(analysis)
    lines = [
        "%% sbomcheck graph: findings filled red, the edges of their paths red and bold,",
        "%% elements that include a finding outlined orange, roots with a thick border.",
    ]
    if note:
        lines.append(f"%% {note}")
    lines.append("flowchart LR")
    kept = [n for n in range(len(graph.nodes)) if nodes is None or n in nodes]
    lines.extend(f'  n{n}["{_mermaid_label(graph, n)}"]' for n in kept)
    drawn: list[tuple[int, int]] = []
    on_path: list[int] = []
    for edge in graph.edges:
        pair = (edge.source, edge.target)
        if edges is not None and pair not in edges:
            continue
        if nodes is not None and not (edge.source in nodes and edge.target in nodes):
            continue
        arrow = "-->" if edge.rule.inclusion else "-.->"
        label = _mermaid_text(edge.type, 40)
        lines.append(f'  n{edge.source} {arrow}|"{label}"| n{edge.target}')
        if pair in marks.path_edges:
            on_path.append(len(drawn))
        drawn.append(pair)
    lines += [
        "  classDef finding fill:#f4b6b6,stroke:#b00000,color:#000000",
        "  classDef onpath stroke:#b00000,stroke-width:2px",
        "  classDef affected stroke:#d07000,stroke-width:2px",
        "  classDef root stroke-width:4px",
    ]
    for name, members in (
        ("root", [n for n in kept if n in marks.roots]),
        ("affected", [n for n in kept if n in marks.affected and n not in marks.on_path]),
        ("onpath", [n for n in kept if n in marks.on_path and n not in marks.finding]),
        ("finding", [n for n in kept if n in marks.finding]),
    ):
        for chunk in _chunks(members, 50):
            lines.append(f"  class {','.join(f'n{n}' for n in chunk)} {name}")
    for chunk in _chunks(on_path, 50):
        lines.append(
            f"  linkStyle {','.join(str(i) for i in chunk)} stroke:#b00000,stroke-width:3px"
        )
    return lines


def _chunks(items: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    return (items[i : i + size] for i in range(0, len(items), size))


def to_mermaid(analysis: Analysis) -> str:
    """A Mermaid flowchart (for a ```mermaid block in GitHub Markdown): the whole graph
    when Mermaid can draw it, else the paths to the findings, else each one's shortest
    path, with a comment saying what was left out."""
    graph = analysis.graph
    total = f"{len(graph.nodes):,} elements and {len(graph.edges):,} edges"
    views: list[tuple[set[int] | None, set[tuple[int, int]] | None, str]] = [(None, None, "")]
    for shortest in (False, True):
        on_paths, path_edges = _paths_view(analysis, shortest)
        which = "each finding's shortest path" if shortest else "the paths to the findings"
        views.append(
            (
                on_paths,
                path_edges,
                f"The graph ({total}) is larger than Mermaid draws: shown are {which} "
                f"({len(on_paths):,} elements); sbomcheck graph --format json has all of it.",
            )
        )
    text = ""
    for nodes, edges, note in views:
        count = len(graph.edges) if edges is None else len(edges)
        text = "\n".join(_mermaid_lines(analysis, nodes, edges, note)) + "\n"
        if count <= MERMAID_MAX_EDGES and len(text) <= MERMAID_MAX_TEXT:
            return text
    return text


# --- JSON ---------------------------------------------------------------------------------

GRAPH_SCHEMA = "https://sbomcheck.dev/schema/graph/1.0"
"""Value of the graph JSON's `schema` key (sbomcheck/schema/graph.schema.json)."""


def graph_dict(analysis: Analysis) -> dict[str, Any]:
    """The graph as plain data: nodes, edges, findings (paths as node ids), unresolved
    references; keys documented in docs/graph.md, "JSON"."""
    graph = analysis.graph
    marks = _Marks(analysis)
    ids = [node.id for node in graph.nodes]

    def node_ids(positions: Iterable[int]) -> list[str]:
        return [ids[p] for p in positions]

    nodes = [
        {
            "id": node.id,
            "document": node.document,
            "ref": node.ref,
            "role": node.role,
            "name": node.component.name,
            "version": node.component.version,
            "purl": node.component.purl,
            "root": node.position in marks.roots,
            "finding": node.position in marks.finding,
            "on_path": node.position in marks.on_path,
            "affected": node.position in marks.affected,
        }
        for node in graph.nodes
    ]
    edges = [
        {
            "source": ids[edge.source],
            "target": ids[edge.target],
            "type": edge.type,
            "kind": edge.rule.kind,
            "inclusion": edge.rule.inclusion,
            "on_path": (edge.source, edge.target) in marks.path_edges,
            "location": edge.location,
        }
        for edge in graph.edges
    ]
    findings = []
    for finding, position in zip(analysis.findings, analysis.nodes, strict=True):
        info = analysis.paths.get(position) if position is not None else None
        findings.append(
            {
                "id": finding.id,
                "node": ids[position] if position is not None else None,
                "document": finding.component.document,
                "ref": finding.component.ref,
                "name": finding.component.name,
                "version": finding.component.version,
                "canonical": finding.canonical,
                "confidence": finding.confidence.value,
                "integration": finding.integration,
                "product_class": finding.product_class,
                "paths": [node_ids(p) for p in info.paths] if info else [],
                "paths_total": finding.paths_total,
                "introduced_via": node_ids(info.introduced_via) if info else [],
                "affected": node_ids(info.affected) if info else [],
            }
        )
    return {
        "schema": GRAPH_SCHEMA,
        "tool": {"name": "sbomcheck", "version": __version__},
        "nodes": nodes,
        "edges": edges,
        "findings": findings,
        "unresolved_references": json_form(analysis.unresolved),
    }


def to_graph_json(analysis: Analysis) -> str:
    """`graph_dict` as JSON text: keys sorted, two-space indent, byte-stable; invisible and
    bidi characters written as `\\uXXXX` (`sbomcheck.safe_text.json_safe`)."""
    from sbomcheck.report.json import dumps

    return dumps(graph_dict(analysis))
