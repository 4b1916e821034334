"""A JSON report (`Report.to_dict()`, as the audit ledger stores it) back into a `Report`.

The batch reports show a product that an interrupted attempt of a resumed run recorded (only
its JSON is left) exactly like one decided now, with the same finding cards. Keys an older
sbomcheck did not write take their defaults (`path_nodes`, `timeline`, `skipped_inputs`...),
so a ledger written before them still renders.
"""

from __future__ import annotations

from typing import Any

from sbomcheck.findings import (
    Completeness,
    ComponentSummary,
    Confidence,
    DataVersion,
    DocumentSummary,
    Evidence,
    Finding,
    PathNode,
    Report,
    RuleOutcome,
    RuleStatus,
    Severity,
    SkippedInput,
    TimelineEntry,
    UnresolvedReference,
    Verdict,
    Waiver,
    WaiverUse,
)

__all__ = ["report_from_dict"]


def _waiver(d: dict[str, Any]) -> Waiver:
    return Waiver(
        index=int(d.get("index", 0)),
        reason=d.get("reason", ""),
        approver=d.get("approver", ""),
        expires=d.get("expires", ""),
        ticket=d.get("ticket"),
        name=d.get("name"),
        purl=d.get("purl"),
        ref=d.get("ref"),
        alias=d.get("alias"),
        version=d.get("version"),
        rule=d.get("rule"),
        source=d.get("source", ""),
    )


def _outcome(d: dict[str, Any]) -> RuleOutcome:
    waiver = d.get("waiver")
    return RuleOutcome(
        id=d["id"],
        title=d.get("title", ""),
        milestone=d.get("milestone", ""),
        effective=d.get("effective", ""),
        status=RuleStatus(d["status"]),
        severity=Severity(d["severity"]),
        waived=bool(d.get("waived", False)),
        waiver=_waiver(waiver) if waiver else None,
        waiver_expired=bool(d.get("waiver_expired", False)),
        source=d.get("source", ""),
        reason=d.get("reason", ""),
        prohibits=tuple(d.get("prohibits", ())),
        short_title=d.get("short_title", ""),
    )


def _evidence(d: dict[str, Any]) -> Evidence:
    return Evidence(
        field=d.get("field", ""),
        value=d.get("value", ""),
        alias=d.get("alias", ""),
        kind=d.get("kind", ""),
        confidence=d.get("confidence", ""),
        source=d.get("source", ""),
        canonical=d.get("canonical", ""),
        method=d.get("method", "exact"),
        vendor=d.get("vendor", ""),
        weak=bool(d.get("weak", False)),
        product_class=d.get("product_class", ""),
        note=d.get("note", ""),
    )


def _finding(d: dict[str, Any]) -> Finding:
    c = d["component"]
    return Finding(
        id=d["id"],
        component=ComponentSummary(
            ref=c.get("ref", ""),
            name=c.get("name", ""),
            version=c.get("version"),
            purl=c.get("purl"),
            supplier=c.get("supplier"),
            document=c.get("document", ""),
            location=c.get("location", ""),
            line=c.get("line"),
            type=c.get("type"),
            release_date=c.get("release_date"),
            built_date=c.get("built_date"),
            document_created=c.get("document_created"),
        ),
        canonical=d["match"]["canonical"],
        confidence=Confidence(d["match"]["confidence"]),
        evidence=tuple(_evidence(e) for e in d.get("evidence", ())),
        paths=tuple(tuple(p) for p in d.get("paths", ())),
        paths_total=int(d.get("paths_total", 0)),
        introduced_via=tuple(d.get("introduced_via", ())),
        affected=tuple(d.get("affected", ())),
        path_nodes=tuple(
            PathNode(ref=n["ref"], name=n.get("name", ""), version=n.get("version"))
            for n in d.get("path_nodes", ())
        ),
        integration=d.get("integration", "branded"),
        product_class=d.get("product_class", "security"),
        severity=Severity(d.get("severity", "none")),
        rules=tuple(_outcome(r) for r in d.get("rules", ())),
        notes=tuple(d.get("notes", ())),
    )


def _document(d: dict[str, Any]) -> DocumentSummary:
    return DocumentSummary(
        path=d["path"],
        format=d.get("format", ""),
        spec_version=d.get("spec_version", ""),
        sha256=d.get("sha256", ""),
        components=int(d.get("components", 0)),
        files=int(d.get("files", 0)),
        relationships=int(d.get("relationships", 0)),
        name=d.get("name"),
        product=d.get("product"),
        supplier=d.get("supplier"),
        warnings=tuple(d.get("warnings", ())),
    )


def _completeness(d: dict[str, Any] | None) -> Completeness | None:
    if not d:
        return None
    return Completeness(
        components=int(d.get("components", 0)),
        with_supplier=float(d.get("with_supplier", 0.0)),
        with_purl_or_cpe=float(d.get("with_purl_or_cpe", 0.0)),
        with_hashes=float(d.get("with_hashes", 0.0)),
        has_relationships=bool(d.get("has_relationships", False)),
        compositions=tuple(d.get("compositions", ())),
        unresolved_references=int(d.get("unresolved_references", 0)),
        sufficient=bool(d.get("sufficient", True)),
        reasons=tuple(d.get("reasons", ())),
    )


def _data_version(d: dict[str, Any] | None) -> DataVersion | None:
    if not d:
        return None
    return DataVersion(
        name=d.get("name", ""),
        version=d.get("version", ""),
        sha256=d.get("sha256", ""),
        rows=int(d.get("rows", 0)),
    )


def _timeline(d: dict[str, Any]) -> TimelineEntry:
    return TimelineEntry(
        id=d["id"],
        title=d.get("title", ""),
        milestone=d.get("milestone", ""),
        effective=d.get("effective", ""),
        status=RuleStatus(d["status"]),
        severity=Severity(d["severity"]),
        reason=d.get("reason", ""),
        source=d.get("source", ""),
    )


def report_from_dict(data: dict[str, Any]) -> Report:
    """The `Report` whose `to_dict()` is `data` (keys a newer report adds are ignored,
    keys an older one lacks take their defaults)."""
    return Report(
        tool_version=(data.get("tool") or {}).get("version", ""),
        as_of=data.get("as_of", ""),
        profile=data.get("profile", ""),
        verdict=Verdict(data["verdict"]),
        documents=tuple(_document(d) for d in data.get("documents", ())),
        findings=tuple(_finding(f) for f in data.get("findings", ())),
        unresolved_references=tuple(
            UnresolvedReference(
                document=u.get("document", ""),
                reference=u.get("reference", ""),
                reason=u.get("reason", ""),
                location=u.get("location", ""),
            )
            for u in data.get("unresolved_references", ())
        ),
        completeness=_completeness(data.get("completeness")),
        waivers=tuple(
            WaiverUse(
                waiver=_waiver(w["waiver"]),
                matched=tuple(w.get("matched", ())),
                expired=bool(w.get("expired", False)),
            )
            for w in data.get("waivers", ())
        ),
        catalogue=_data_version(data.get("catalogue")),
        rules=_data_version(data.get("rules_data")),
        verdict_reasons=tuple(data.get("verdict_reasons", ())),
        timeline=tuple(_timeline(t) for t in data.get("timeline", ())),
        skipped_inputs=tuple(
            SkippedInput(
                path=s.get("path", ""),
                reason=s.get("reason", ""),
                may_hold_sbom=bool(s.get("may_hold_sbom", False)),
            )
            for s in data.get("skipped_inputs", ())
        ),
    )
