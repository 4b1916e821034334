"""The scan: inputs -> documents -> links -> graph -> identify -> findings -> policy -> Report.

```python
options = ScanOptions(as_of=date(2026, 1, 15), catalogue=load_catalogue(), rules=load_rules())
report = scan(["product.cdx.json", "vendors/"], options)
```
`scan_documents` is the same from documents already read; it is a pure function of
picklable inputs, so a batch can run it in worker processes. See docs/scan.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sbomcheck._gc import gc_paused
from sbomcheck._version import __version__
from sbomcheck.findings import (
    ComponentSummary,
    DocumentSummary,
    Finding,
    PathNode,
    Report,
    SkippedInput,
    UnresolvedReference,
    Waiver,
)
from sbomcheck.graph import ComponentGraph, PathInfo, build_graph
from sbomcheck.model import Component, Document, IngestWarning

if TYPE_CHECKING:
    from sbomcheck.identify import Catalogue, Match
    from sbomcheck.policy import RuleSet

__all__ = ["Analysis", "ScanOptions", "analyse", "finding_id", "scan", "scan_documents"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanOptions:
    """Everything a scan depends on besides its documents (all picklable)."""

    as_of: date
    """The day the rules are evaluated for; the library never reads the clock."""
    catalogue: Catalogue
    """The alias catalogue (`sbomcheck.identify.load_catalogue`)."""
    rules: RuleSet
    """The rules (`sbomcheck.policy.load_rules`)."""
    profile: str = "vendor"
    """Who is asking: vendor, procurement, end-user, federal, fcc-equipment, state-agency."""
    jurisdictions: tuple[str, ...] = ()
    """Sub-national jurisdictions whose rules bind (`US-OR`); see docs/policy.md."""
    model_year: int | None = None
    """Model year of the product (vehicles), for milestones keyed to a model year."""
    waivers: tuple[Waiver, ...] = ()
    max_paths: int = 20
    """Paths listed per finding (shortest first); `paths_total` counts all of them."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Analysis:
    """Findings before the policy stage, with the graph they were placed in."""

    graph: ComponentGraph
    findings: tuple[Finding, ...]
    unresolved: tuple[UnresolvedReference, ...]
    nodes: tuple[int | None, ...]
    """The graph node of each finding (None when the component is not an element)."""
    paths: dict[int, PathInfo]
    """Paths, counts, introduced-via and affected per finding node (node indexes)."""


def scan(inputs: Sequence[str | Path], options: ScanOptions) -> Report:
    """Scan files, directories (recursive), zip archives and `-` (standard input).

    Raises `InputError` on the first input that cannot be read (fail closed).
    """
    from sbomcheck.ingest.sources import load_inputs

    # NOTE: one pause from reading to the report: with the collector back on between load
    # and analysis, its first collection would walk every object of the model (0.6 s at
    # 100,000 components) and find nothing to free. For the same reason the model is freed
    # before the pause ends, not after.
    with gc_paused():
        bundle = load_inputs(inputs)
        report = scan_documents(bundle.documents, options, skipped=bundle.notes)
        del bundle
    return report


def scan_documents(
    documents: Sequence[Document],
    options: ScanOptions,
    *,
    unresolved: Sequence[UnresolvedReference] = (),
    skipped: Sequence[SkippedInput] = (),
) -> Report:
    """The report for documents already read (one product: they are linked together).

    `unresolved` adds references the caller could not follow (for example documents a
    batch could not read); they are listed and count against completeness. `skipped` are
    the inputs collecting them skipped (`Bundle.notes`): listed, and those that may hold an
    SBOM count against completeness.
    """
    with gc_paused():
        analysis = analyse(documents, options.catalogue, max_paths=options.max_paths)
        report = _report(documents, options, analysis, unresolved, skipped)
        # NOTE: the graph is freed before the pause ends: once the collector is back on, its
        # first pass would walk every object still alive that was made while it was off.
        del analysis
    return report


def _report(
    documents: Sequence[Document],
    options: ScanOptions,
    analysis: Analysis,
    unresolved: Sequence[UnresolvedReference],
    skipped: Sequence[SkippedInput],
) -> Report:
    """The policy stage and the report, from the analysis."""
    from sbomcheck.policy import assess_completeness, evaluate, timeline

    all_unresolved = (*analysis.unresolved, *unresolved)
    completeness = assess_completeness(
        documents, unresolved_references=len(all_unresolved), unread_inputs=skipped
    )
    result = evaluate(
        analysis.findings,
        rules=options.rules,
        profile=options.profile,
        as_of=options.as_of,
        waivers=options.waivers,
        completeness=completeness,
        jurisdictions=options.jurisdictions,
        model_year=options.model_year,
    )
    return Report(
        tool_version=__version__,
        as_of=options.as_of.isoformat(),
        profile=options.profile,
        verdict=result.verdict,
        documents=tuple(
            _document_summary(d, analysis.graph.link_warnings.get(d.key, ())) for d in documents
        ),
        findings=tuple(result.findings),
        unresolved_references=tuple(all_unresolved),
        completeness=completeness,
        waivers=tuple(result.waivers),
        catalogue=options.catalogue.data_version,
        rules=options.rules.data_version,
        verdict_reasons=tuple(result.reasons),
        timeline=timeline(
            options.rules,
            profile=options.profile,
            as_of=options.as_of,
            jurisdictions=options.jurisdictions,
            model_year=options.model_year,
        ),
        skipped_inputs=tuple(skipped),
    )


def analyse(
    documents: Sequence[Document], catalogue: Catalogue, *, max_paths: int = 20
) -> Analysis:
    """Link, build the graph, identify, and place each match in the graph (no policy)."""
    graph = build_graph(documents)
    matches = list(_identify(documents, catalogue))
    nodes = [graph.node_of(m.component) for m in matches]
    infos = graph.paths_to([n for n in nodes if n is not None], max_paths=max_paths)
    doc_order = {d.key: i for i, d in enumerate(documents)}
    created = {d.key: d.created for d in documents}
    placed: list[tuple[tuple[Any, ...], Finding, int | None]] = []
    for match, node in zip(matches, nodes, strict=True):
        comp: Component = match.component
        info = infos.get(node) if node is not None else None
        finding = Finding(
            id=finding_id(
                comp, match.canonical, graph.nodes[node].occurrence if node is not None else 0
            ),
            component=_summary(comp, created.get(comp.document)),
            canonical=match.canonical,
            confidence=match.confidence,
            evidence=tuple(match.evidence),
            paths=tuple(graph.refs(p) for p in info.paths) if info else (),
            paths_total=info.total if info else 0,
            introduced_via=_unique(graph.refs(info.introduced_via)) if info else (),
            affected=_unique(graph.refs(info.affected)) if info else (),
            path_nodes=_path_nodes(graph, info.paths) if info else (),
            integration=match.integration,
            product_class=match.product_class,
        )
        order = (
            doc_order.get(comp.document, len(doc_order)),
            node if node is not None else len(graph.nodes),
            comp.location,
            match.canonical,
        )
        placed.append((order, finding, node))
    placed.sort(key=lambda item: item[0])
    return Analysis(
        graph=graph,
        findings=tuple(f for _, f, _ in placed),
        unresolved=tuple(graph.unresolved),
        nodes=tuple(n for _, _, n in placed),
        paths=infos,
    )


def finding_id(component: Component, canonical: str, occurrence: int = 0) -> str:
    """Stable fingerprint: sha256 of the document key, the ref (and which occurrence of a
    repeated ref), and the canonical name. Unchanged across runs as long as the file is
    given under the same path and the ref stays."""
    parts = [component.document.replace("\\", "/"), component.ref, str(occurrence), canonical]
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def _identify(documents: Sequence[Document], catalogue: Catalogue) -> Sequence[Match]:
    # NOTE: a module-level seam so tests can stand in for the matcher.
    from sbomcheck.identify import identify

    return identify(documents, catalogue)


def _unique(refs: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(refs))


def _path_nodes(graph: ComponentGraph, paths: Sequence[Sequence[int]]) -> tuple[PathNode, ...]:
    """Name and version of each node on `paths`, once per ref (the first node of a repeated
    ref names it, as the paths cannot tell them apart)."""
    nodes: dict[str, PathNode] = {}
    for path in paths:
        for index in path:
            node = graph.nodes[index]
            if node.ref not in nodes:
                comp = node.component
                name = f"{comp.group}/{comp.name}" if comp.group else comp.name
                nodes[node.ref] = PathNode(ref=node.ref, name=name, version=comp.version)
    return tuple(nodes.values())


def _party(comp: Component) -> str | None:
    party = comp.supplier
    if party is None:
        return None
    return party.name or party.raw


def _summary(comp: Component, document_created: str | None) -> ComponentSummary:
    return ComponentSummary(
        ref=comp.ref,
        name=comp.name,
        version=comp.version,
        purl=comp.purl,
        supplier=_party(comp),
        document=comp.document,
        location=comp.location,
        line=comp.line,
        type=comp.type,
        release_date=comp.release_date,
        built_date=comp.built_date,
        document_created=document_created,
    )


def _document_summary(
    doc: Document, link_warnings: Sequence[IngestWarning] = ()
) -> DocumentSummary:
    """The report's view of a document; the linker's warnings follow the reader's."""
    elements, refs = doc.elements(), doc.element_refs()
    roots = [elements[i] for ref in doc.root_refs for i, r in enumerate(refs) if r == ref]
    product = ", ".join(c.display_name for c in roots) or None
    supplier = next((s for s in (_party(c) for c in roots) if s), None)
    return DocumentSummary(
        path=doc.path,
        format=doc.format.value,
        spec_version=doc.spec_version,
        sha256=doc.sha256,
        components=doc.component_count,
        files=len(doc.files),
        relationships=doc.relationship_count,
        name=doc.name,
        product=product,
        supplier=supplier,
        warnings=tuple(w.render() for w in (*doc.warnings, *link_warnings)),
    )
