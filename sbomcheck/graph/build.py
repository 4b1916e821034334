"""Building the graph: a node for every element, an edge for every relationship, nesting and
pedigree, and the links between documents.

Edges are built column by column over each document's relationships: each end is looked up
in one pass, and only the rows with an end that is not a plain element of the document are
looked at one by one (docs/graph.md, "Speed"). Edges with an end in another document are
added last, through the `LinkResolver`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from functools import partial
from itertools import compress, repeat
from operator import attrgetter, eq, is_not

from sbomcheck._gc import gc_paused
from sbomcheck.graph.component_graph import ComponentGraph, EdgeRows, Node
from sbomcheck.graph.identities import EXTERNAL_PREFIXES, is_external_reference
from sbomcheck.graph.links import LinkResolver
from sbomcheck.model import Document, LazyComponents, Relationship, relationship_column
from sbomcheck.relationships import RELATIONSHIP_RULES, UNKNOWN_RULE, EdgeRule, normalize_type

__all__ = ["build_graph"]

_SPECIAL_ENDS = frozenset({"NONE", "NOASSERTION"})
_MISSING = -1
_SOURCE = attrgetter("source")
_TARGET = attrgetter("target")
_TYPE = attrgetter("type")
_LOCATION = attrgetter("location")

_Deferred = tuple[Document, str, str, str, EdgeRule, str]
"""A relationship with an end in another document: its document, source, target, normalized
type, rule and location."""
_Kinds = dict[str, tuple[str, EdgeRule]]
"""Each relationship type as written: its normalized spelling and its rule."""


def build_graph(
    documents: Sequence[Document], *, links: LinkResolver | None = None
) -> ComponentGraph:
    """The graph of `documents` (in the order given), with cross-document links resolved.

    `links` defaults to a `LinkResolver` over the same documents; its unresolved references
    end up in `ComponentGraph.unresolved`.
    """
    with gc_paused():
        return _build(documents, links)


def _build(documents: Sequence[Document], links: LinkResolver | None) -> ComponentGraph:
    graph = ComponentGraph(documents)
    for doc in documents:
        graph.add_nodes(doc)
    resolver = links if links is not None else LinkResolver(documents)
    deferred: list[_Deferred] = []
    for doc in documents:
        _add_local_edges(graph, doc, deferred, resolver)
        _add_nesting_edges(graph, doc)
    # Cross-document edges last: a link to a whole document needs that document's own
    # edges to find its tops when it declares no root.
    _add_deferred_edges(graph, resolver, deferred)
    _add_document_links(graph, resolver, documents)
    graph.unresolved = list(resolver.unresolved)
    graph.link_warnings = {key: list(found) for key, found in resolver.warnings.items()}
    return graph


def _add_one(
    graph: ComponentGraph, source: int, target: int, type_: str, rule: EdgeRule, location: str
) -> None:
    """One edge, deduplicated with the others when `edges` is read.

    Within the build a type always comes with the same rule, so whether a pair is linked
    does not depend on the repeats `ComponentGraph.add_edge` would drop."""
    graph.add_rows(((source,), (target,), (type_,), (rule,), (location,)))
    if rule.inclusion:
        graph.link([source], [target])


# ----- edges within one document ----------------------------------------------------------


def _add_local_edges(
    graph: ComponentGraph, doc: Document, deferred: list[_Deferred], links: LinkResolver
) -> None:
    """Edges for the relationships between elements of `doc`, in order; the ones with an
    end in another document (`links.names_other_document`) go to `deferred`.

    Built column by column: each end is looked up in one pass, and only the rows with an
    end that is not a plain element of `doc` (the document itself, NONE, another document,
    an undeclared or a repeated ref) are looked at one by one. Types, rules and locations
    are only needed for `edges`: they are read when it is."""
    rels = doc.relationships
    skip = {i for i in (doc.spdx_id, "SPDXRef-DOCUMENT") if i} | _SPECIAL_ENDS
    plain = _plain_refs(graph, doc.key, skip)
    sources = list(map(plain.get, relationship_column(rels, "source"), repeat(_MISSING)))
    targets = list(map(plain.get, relationship_column(rels, "target"), repeat(_MISSING)))
    written = list(relationship_column(rels, "type"))
    kinds = _kinds(written)
    special = _special_rows(sources, targets)
    uncounted, expanded = _expand_special(graph, doc, special, kinds, skip, deferred, links)
    if any(rule is UNKNOWN_RULE for _, rule in kinds.values()):
        _count_unknown(graph.unknown_types, written, kinds, uncounted)
    _reverse(kinds, sources, targets, written)
    index: list[int] | None = None
    if special:
        sources, targets, written, index = _splice(special, expanded, sources, targets, written)
    graph.add_rows(partial(_columns, rels, kinds, sources, targets, written, index))
    _link_inclusion(graph, kinds, sources, targets, written)


def _plain_refs(graph: ComponentGraph, key: str, skip: set[str]) -> Mapping[str, int]:
    """The node of each ref declared in document `key` that is a plain element: not one of
    `skip`, not repeated, not naming another document."""
    first = graph.declared(key)
    odd = [ref for ref in skip | graph.repeated_refs(key) if ref in first]
    odd += compress(first, map(str.startswith, first, repeat(EXTERNAL_PREFIXES)))
    if not odd:
        return first
    plain = dict(first)
    for ref in odd:
        plain.pop(ref, None)
    return plain


def _kinds(written: list[str]) -> _Kinds:
    """Each distinct relationship type as written, normalized and with its rule."""
    kinds: _Kinds = {}
    for w in dict.fromkeys(written):
        type_ = normalize_type(w)
        kinds[w] = (type_, RELATIONSHIP_RULES.get(type_, UNKNOWN_RULE))
    return kinds


def _special_rows(sources: list[int], targets: list[int]) -> list[int]:
    """The rows with an end that is not a plain element, in order."""
    if not (sources and (min(sources) == _MISSING or min(targets) == _MISSING)):
        return []
    rows = range(len(sources))
    missing = repeat(_MISSING)
    return sorted(
        {*compress(rows, map(eq, sources, missing)), *compress(rows, map(eq, targets, missing))}
    )


def _expand_special(
    graph: ComponentGraph,
    doc: Document,
    special: list[int],
    kinds: _Kinds,
    skip: set[str],
    deferred: list[_Deferred],
    links: LinkResolver,
) -> tuple[list[int], dict[int, list[tuple[int, int]]]]:
    """Look at the `special` rows one by one: the ones from or to the document itself (not
    counted as unknown types), the ones into another document (to `deferred`), and the
    (source, target) node pairs of each of the others between repeated refs."""
    key = doc.key
    rels: Sequence[Relationship] = doc.relationships
    first = graph.declared(key)
    uncounted: list[int] = []
    expanded: dict[int, list[tuple[int, int]]] = {}
    for i in special:
        rel = rels[i]
        source, target = rel.source, rel.target
        if source in skip or target in skip:
            uncounted.append(i)  # DESCRIBES from the document itself is already in root_refs
            continue
        type_, rule = kinds[rel.type]
        if source.startswith(EXTERNAL_PREFIXES) or target.startswith(EXTERNAL_PREFIXES):
            deferred.append((doc, source, target, type_, rule, rel.location))
            continue
        if source not in first or target not in first:
            if (source not in first and links.names_other_document(doc, source)) or (
                target not in first and links.names_other_document(doc, target)
            ):
                deferred.append((doc, source, target, type_, rule, rel.location))
            continue  # otherwise dangling: ingest already warned about it
        if rule.reverse:
            source, target = target, source
        expanded[i] = [(s, t) for s in graph.find(key, source) for t in graph.find(key, target)]
    return uncounted, expanded


def _count_unknown(
    unknown: dict[str, int], written: list[str], kinds: _Kinds, uncounted: list[int]
) -> None:
    """Add the relationship types not in `RELATIONSHIP_RULES` to `unknown`, with how often
    they occur outside the `uncounted` rows."""
    keep = bytearray(b"\x01") * len(written)
    for i in uncounted:
        keep[i] = 0
    for w, count in Counter(compress(written, keep)).items():
        type_, rule = kinds[w]
        if rule is UNKNOWN_RULE:
            unknown[type_] = unknown.get(type_, 0) + count


def _reverse(kinds: _Kinds, sources: list[int], targets: list[int], written: list[str]) -> None:
    """Swap the ends of the rows whose type points from the included element."""
    reverse = {w for w, (_, rule) in kinds.items() if rule.reverse}
    if reverse:
        for i in compress(range(len(written)), map(reverse.__contains__, written)):
            sources[i], targets[i] = targets[i], sources[i]


def _splice(
    special: list[int],
    expanded: dict[int, list[tuple[int, int]]],
    sources: list[int],
    targets: list[int],
    written: list[str],
) -> tuple[list[int], list[int], list[str], list[int]]:
    """The rows without the `special` ones, each replaced by its expansion, and the
    relationship each row comes from."""
    keep = bytearray(b"\x01") * len(sources)
    for i in special:
        keep[i] = 0
    if not expanded:
        return (
            list(compress(sources, keep)),
            list(compress(targets, keep)),
            list(compress(written, keep)),
            list(compress(range(len(keep)), keep)),
        )
    out: tuple[list[int], list[int], list[str], list[int]] = ([], [], [], [])
    for i, (source, target, type_) in enumerate(zip(sources, targets, written, strict=True)):
        for s, t in [(source, target)] if keep[i] else expanded.get(i, []):
            out[0].append(s)
            out[1].append(t)
            out[2].append(type_)
            out[3].append(i)
    return out


def _columns(
    rels: Sequence[Relationship],
    kinds: _Kinds,
    sources: list[int],
    targets: list[int],
    written: list[str],
    index: list[int] | None,
) -> EdgeRows:
    """The typed edges of the rows, made when `edges` is first read: `index` gives the
    relationship of each row when rows were spliced."""
    locations: list[str] = list(map(_LOCATION, rels))
    if index is not None:
        locations = list(map(locations.__getitem__, index))
    types = list(map({w: k[0] for w, k in kinds.items()}.__getitem__, written))
    rules = list(map({w: k[1] for w, k in kinds.items()}.__getitem__, written))
    return sources, targets, types, rules, locations


def _link_inclusion(
    graph: ComponentGraph,
    kinds: _Kinds,
    sources: list[int],
    targets: list[int],
    written: list[str],
) -> None:
    """Link the rows whose type means inclusion (all of them, usually)."""
    if all(rule.inclusion for _, rule in kinds.values()):
        graph.link(sources, targets)
        return
    inclusion = list(map({w: k[1].inclusion for w, k in kinds.items()}.__getitem__, written))
    graph.link(list(compress(sources, inclusion)), list(compress(targets, inclusion)))


def _add_nesting_edges(graph: ComponentGraph, doc: Document) -> None:
    """Containment from nesting and file entries, and pedigree, after `doc`'s relationships.

    Of the components only the nested ones (the columns give their parents) and the
    linking ones (`ComponentColumns.linked`) have such edges, so a lazy document builds
    only the linking ones here; an edge's location, its component's, is read only when
    `edges` is (files and services are built, and looked at one by one)."""
    key = doc.key
    contains = RELATIONSHIP_RULES["contains"]
    nodes = graph.document_nodes(key)
    parents, linked = _nesting_candidates(doc, nodes)
    rows: tuple[list[int], list[int], list[str], list[EdgeRule], list[int]] = ([], [], [], [], [])

    def add(source: int, target: int, type_: str, rule: EdgeRule, at: int) -> None:
        rows[0].append(source)
        rows[1].append(target)
        rows[2].append(type_)
        rows[3].append(rule)
        rows[4].append(at)

    nested = compress(range(len(parents)), map(is_not, parents, repeat(None)))
    for i in sorted({*nested, *linked}):
        position = nodes[i].position
        if (parent := parents[i]) is not None:
            for p in graph.find(key, parent):
                add(p, position, "contains", contains, i)
        if i not in linked:
            continue
        comp = nodes[i].component
        for entry in comp.files:
            if entry.ref:
                for f in graph.find(key, entry.ref):
                    add(position, f, "contains", contains, i)
        if comp.pedigree is not None:
            for relation, origin in comp.pedigree.entries():
                type_ = f"pedigree-{relation}"
                for o in graph.find(key, origin.ref):
                    add(position, o, type_, RELATIONSHIP_RULES[type_], i)
    if rows[0]:
        graph.add_rows(partial(_nesting_rows, rows, nodes))
        inclusion = [rule.inclusion for rule in rows[3]]
        graph.link(list(compress(rows[0], inclusion)), list(compress(rows[1], inclusion)))


def _nesting_candidates(doc: Document, nodes: list[Node]) -> tuple[list[str | None], set[int]]:
    """The parent ref of each element of `doc`, and the elements that may have file
    entries or a pedigree: from the columns for lazy components (only the linking ones
    are built), from the elements themselves where they are built."""
    if isinstance(doc.components, LazyComponents):
        columns = doc.components.columns
        tail = nodes[len(columns.parents) :]
        parents = [*columns.parents, *(node.component.parent for node in tail)]
        return parents, {*columns.linked, *range(len(columns.parents), len(nodes))}
    elements = [node.component for node in nodes]
    parents = [c.parent for c in elements]
    return parents, {i for i, c in enumerate(elements) if c.files or c.pedigree is not None}


def _nesting_rows(
    rows: tuple[list[int], list[int], list[str], list[EdgeRule], list[int]], nodes: list[Node]
) -> EdgeRows:
    """The nesting edges as `EdgeRows`, each located where its component is declared."""
    locations = [nodes[i].component.location for i in rows[4]]
    return rows[0], rows[1], rows[2], rows[3], locations


# ----- edges between documents --------------------------------------------------------------


def _add_deferred_edges(
    graph: ComponentGraph, resolver: LinkResolver, deferred: list[_Deferred]
) -> None:
    """The relationships with an end in another document, in order."""
    for doc, source, target, type_, rule, location in deferred:
        src_nodes = _resolve_end(graph, resolver, doc, source, location)
        dst_nodes = _resolve_end(graph, resolver, doc, target, location)
        for s in src_nodes:
            for d in dst_nodes:
                if rule.reverse:
                    _add_one(graph, d, s, type_, rule, location)
                else:
                    _add_one(graph, s, d, type_, rule, location)


def _add_document_links(
    graph: ComponentGraph, resolver: LinkResolver, documents: Sequence[Document]
) -> None:
    """`bom-reference` edges from components (or a document's roots) to the documents, or
    the elements, their `bom` external references name."""
    rule = RELATIONSHIP_RULES["bom-reference"]
    for link in resolver.document_links(documents):
        sources = (
            graph.find(link.document, link.from_ref)
            if link.from_ref is not None
            else graph.document_roots(link.document)
        )
        dst = (
            graph.find(link.target.document, link.target.ref)
            if link.target.ref is not None
            else graph.document_roots(link.target.document)
        )
        for s in sources:
            for d in dst:
                _add_one(graph, s, d, "bom-reference", rule, link.location)


def _resolve_end(
    graph: ComponentGraph, resolver: LinkResolver, doc: Document, ref: str, location: str
) -> list[int]:
    """The nodes one end of a deferred relationship names, in `doc` or another document."""
    if not is_external_reference(ref) and (
        graph.has_ref(doc.key, ref) or not resolver.names_other_document(doc, ref)
    ):
        return graph.find(doc.key, ref)
    target = resolver.resolve(doc, ref, location)
    if target is None:
        return []
    if target.ref is None:
        return graph.document_roots(target.document)
    return graph.find(target.document, target.ref)
