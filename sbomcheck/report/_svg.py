"""Inline SVG pictures for the HTML reports: a finding's paths merged into one small graph.

Each box shows the component's name and version (as the DOT export does); its ref, as the
SBOM writes it, is in the box's tooltip (`<title>`) and in the report's appendix.

Every string that reaches the markup goes through `escape`: first `visible` (controls, bidi
overrides and other invisible characters become backslash escapes, as in every other format,
so a name cannot hide or reorder text), then `html.escape(quote=True)`.
Layout is deterministic: layers by longest distance from a root, nodes in order of first
appearance, then one barycentre pass to untangle crossings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sbomcheck.report._common import visible
from sbomcheck.safe_text import html_text

NODE_WIDTH = 200
NODE_HEIGHT = 36
H_GAP = 28
V_GAP = 24
MARGIN = 12
LINE_CHARS = 28
"""Characters per label line at 12px in a NODE_WIDTH box."""
MAX_PATHS = 20
"""Paths drawn; the HTML lists every path as text below the picture."""


def escape(value: object) -> str:
    """Text safe in HTML element content, attribute values and SVG text."""
    return html_text(value)


def label_lines(text: str, *, width: int = LINE_CHARS, lines: int = 2) -> list[str]:
    """`text` (made visible) cut into at most `lines` lines of `width` characters, `…`
    marking a cut; the lines still need `escape`."""
    flat = " ".join(visible(text).split()) or "(empty)"
    out = [flat[i : i + width] for i in range(0, len(flat), width)][:lines]
    if len(flat) > width * lines:
        out[-1] = out[-1][: width - 1] + "\u2026"
    return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Layout:
    """Node positions (top-left corners) and edges of a merged path graph."""

    nodes: tuple[str, ...]
    positions: dict[str, tuple[int, int]]
    edges: tuple[tuple[str, str], ...]
    width: int
    height: int


def layout(paths: Sequence[Sequence[str]]) -> Layout:
    """Merge `paths` (each root first) into one layered drawing, root row at the top."""
    nodes: list[str] = []
    edges: list[tuple[str, str]] = []
    seen_nodes: set[str] = set()
    seen_edges: set[tuple[str, str]] = set()
    for path in paths:
        for node in path:
            if node not in seen_nodes:
                seen_nodes.add(node)
                nodes.append(node)
        for edge in zip(path, path[1:], strict=False):
            if edge not in seen_edges and edge[0] != edge[1]:
                seen_edges.add(edge)
                edges.append(edge)
    # Longest-path layering; the cap keeps a cycle (two paths crossing one edge both ways)
    # from relaxing forever.
    layer = dict.fromkeys(nodes, 0)
    cap = max(len(nodes) - 1, 0)
    changed = True
    while changed:
        changed = False
        for u, v in edges:
            if layer[v] < layer[u] + 1 <= cap:
                layer[v] = layer[u] + 1
                changed = True
    depth = max(layer.values(), default=-1) + 1
    rows: list[list[str]] = [[] for _ in range(depth)]
    for node in nodes:
        rows[layer[node]].append(node)
    parents: dict[str, list[str]] = {n: [] for n in nodes}
    for u, v in edges:
        parents[v].append(u)
    slot: dict[str, float] = {n: float(i) for i, n in enumerate(rows[0])} if rows else {}
    for row in rows[1:]:
        order = {n: i for i, n in enumerate(row)}

        def barycentre(node: str, order: dict[str, int] = order) -> tuple[float, int]:
            placed = [slot[p] for p in parents[node] if p in slot]
            return (sum(placed) / len(placed) if placed else float(order[node]), order[node])

        row.sort(key=barycentre)
        for i, node in enumerate(row):
            slot[node] = float(i)
    widest = max((len(r) for r in rows), default=0)
    width = 2 * MARGIN + widest * NODE_WIDTH + max(widest - 1, 0) * H_GAP
    height = 2 * MARGIN + depth * NODE_HEIGHT + max(depth - 1, 0) * V_GAP
    positions: dict[str, tuple[int, int]] = {}
    for r, row in enumerate(rows):
        row_width = len(row) * NODE_WIDTH + max(len(row) - 1, 0) * H_GAP
        x0 = (width - row_width) // 2
        for i, node in enumerate(row):
            positions[node] = (x0 + i * (NODE_WIDTH + H_GAP), MARGIN + r * (NODE_HEIGHT + V_GAP))
    return Layout(
        nodes=tuple(nodes), positions=positions, edges=tuple(edges), width=width, height=height
    )


def _node_label(ref: str, name: str, version: str | None) -> tuple[str, list[tuple[str, str]]]:
    """(tooltip, [(css class, line)]) of one box: name and version when known, else the ref
    over two lines. Lines are visible text; they still need `escape`."""
    if not name:
        return f"ref {ref}", [("r", line) for line in label_lines(ref)]
    lines = [("n", label_lines(name, lines=1)[0])]
    if version:
        lines.append(("v", label_lines(version, lines=1)[0]))
    shown = f"{name} {version}" if version else name
    return f"{shown} (ref {ref})", lines


def paths_svg(
    paths: Sequence[Sequence[str]],
    *,
    svg_id: str,
    caption: str,
    names: Mapping[str, tuple[str, str | None]] | None = None,
) -> str:
    """Inline SVG of `paths` merged: roots on top, the flagged component(s) highlighted.

    `names` maps a ref to the (name, version) its box shows; a ref without one shows
    itself. `svg_id` must be unique in the page and not come from an SBOM (it names the
    marker).
    """
    drawn = [p for p in paths[:MAX_PATHS] if p]
    if not drawn:
        return ""
    names = names or {}
    plan = layout(drawn)
    roots = {p[0] for p in drawn}
    targets = {p[-1] for p in drawn}
    arrow = f"{svg_id}-arrow"
    out = [
        f'<svg class="paths" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{svg_id}-title" width="{plan.width}" height="{plan.height}" '
        f'viewBox="0 0 {plan.width} {plan.height}">',
        f'<title id="{svg_id}-title">{escape(caption)}</title>',
        f'<defs><marker id="{arrow}" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path class="arrowhead" d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>',
    ]
    for u, v in plan.edges:
        ux, uy = plan.positions[u]
        vx, vy = plan.positions[v]
        x1, y1 = ux + NODE_WIDTH // 2, uy + NODE_HEIGHT
        x2, y2 = vx + NODE_WIDTH // 2, vy
        bend = max((y2 - y1) // 2, V_GAP // 2)
        out.append(
            f'<path class="edge" d="M{x1},{y1} C{x1},{y1 + bend} {x2},{y2 - bend} {x2},{y2}" '
            f'fill="none" stroke="#444" stroke-width="1.5" marker-end="url(#{arrow})"/>'
        )
    for node in plan.nodes:
        x, y = plan.positions[node]
        kind = "target" if node in targets else "root" if node in roots else "node"
        fill, stroke = {
            "target": ("#fde8e8", "#b00020"),
            "root": ("#e8f0fe", "#1a56db"),
            "node": ("#f6f6f6", "#555555"),
        }[kind]
        name, version = names.get(node, ("", None))
        tip, lines = _node_label(node, name, version)
        first_y = y + NODE_HEIGHT // 2 + (5 if len(lines) == 1 else -2)
        tspans = "".join(
            f'<tspan class="{css}" x="{x + NODE_WIDTH // 2}" y="{first_y + i * 15}">'
            f"{escape(line)}</tspan>"
            for i, (css, line) in enumerate(lines)
        )
        out.append(
            f'<g class="{kind}"><title>{escape(tip)}</title>'
            f'<rect x="{x}" y="{y}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="5" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="{2 if kind != "node" else 1}"/>'
            f'<text text-anchor="middle" font-size="12">{tspans}</text></g>'
        )
    out.append("</svg>")
    return "\n".join(out)
