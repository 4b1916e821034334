"""What a scan concludes: findings with their evidence, paths and rule outcomes, and the report.

These types are the contract between the stages (identify -> graph -> policy -> report) and
the JSON report users script against (`Report.to_dict`, schema in `sbomcheck/schema/`).
Everything here is plain data: frozen, ordered deterministically by the producer.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

REPORT_SCHEMA = "https://sbomcheck.dev/schema/report/1.1"
"""Value of the report's `schema` key; bump the minor for additions, the major for changes."""

PATH_COUNT_CAP = 1_000_000_000
"""Path counts saturate here (the graph stops counting): beyond it the exact number means
nothing to a reader, and the reports say "at least"."""


class Confidence(enum.StrEnum):
    """How sure a finding is that a component is Kaspersky technology."""

    CONFIRMED = "confirmed"
    """An exact identifier (purl namespace, CPE vendor, app id) or a legal-entity match."""
    LIKELY = "likely"
    """A normalized, look-alike or OEM match, or several weaker signals together."""
    POSSIBLE = "possible"
    """A single weak signal such as a description mention."""

    @property
    def rank(self) -> int:
        """Higher is surer."""
        return {"confirmed": 3, "likely": 2, "possible": 1}[self.value]


class Severity(enum.StrEnum):
    """How a rule outcome weighs; maps to SARIF levels."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"
    NONE = "none"

    @property
    def rank(self) -> int:
        """Higher is worse."""
        return {"error": 3, "warning": 2, "note": 1, "none": 0}[self.value]


class Verdict(enum.StrEnum):
    """The answer for the whole scan."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    INDETERMINATE = "indeterminate"


class RuleStatus(enum.StrEnum):
    """Where a rule milestone stands on the as-of date for this profile."""

    IN_FORCE = "in-force"
    UPCOMING = "upcoming"
    NOT_APPLICABLE = "not-applicable"


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """One field of one component that matched one alias."""

    field: str
    """Model field path: `supplier.name`, `purl`, `cpes[0]`, `files[3].name`,
    `pedigree.ancestors[0].name`, `relationship:VARIANT_OF`, ..."""
    value: str
    """The value as found in the SBOM."""
    alias: str
    """The catalogue alias it matched."""
    kind: str
    """The alias kind (`entity`, `product`, `engine`, `oem_brand`, `cpe_vendor`, `purl`, ...)."""
    confidence: str
    """The catalogue row's confidence: `confirmed` or `reported`."""
    source: str
    """The catalogue row's source URL."""
    canonical: str = ""
    """What the alias maps to."""
    method: str = "exact"
    """How it matched: `exact`, `normalized`, `lookalike`, `transliterated`, `token`, `prefix`."""
    vendor: str = ""
    """The vendor that ships this alias (OEM rows), else `Kaspersky`."""
    weak: bool = False
    """Short ambiguous aliases (KAV, AVP, KLAV): count only with other evidence."""
    product_class: str = ""
    """From the catalogue: `security`, `threat-intelligence`, `training`, `non-security`, ``."""
    note: str = ""
    """Why this evidence counts for less than its match would (a citation of Kaspersky
    research, the surname spelling `Kasperski`); empty otherwise."""

    def to_dict(self) -> dict[str, Any]:
        """JSON form (the keys users script against come first)."""
        return {
            "field": self.field,
            "value": self.value,
            "alias": self.alias,
            "kind": self.kind,
            "confidence": self.confidence,
            "source": self.source,
            "canonical": self.canonical,
            "method": self.method,
            "vendor": self.vendor,
            "weak": self.weak,
            "product_class": self.product_class,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ComponentSummary:
    """The identity of a flagged component, as the report shows it."""

    ref: str
    name: str
    version: str | None
    purl: str | None
    supplier: str | None
    document: str
    location: str = ""
    line: int | None = None
    type: str | None = None
    release_date: str | None = None
    """SPDX releaseDate of the component."""
    built_date: str | None = None
    """SPDX builtDate of the component."""
    document_created: str | None = None
    """Creation time of the document that lists it (CycloneDX metadata.timestamp, SPDX
    created): evidence of when the SBOM saw it."""

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "ref": self.ref,
            "release_date": self.release_date,
            "built_date": self.built_date,
            "document_created": self.document_created,
            "name": self.name,
            "version": self.version,
            "purl": self.purl,
            "supplier": self.supplier,
            "document": self.document,
            "location": self.location,
            "line": self.line,
            "type": self.type,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Waiver:
    """One `[[waiver]]` entry of a waivers file."""

    index: int
    """Position in the file (0-based), for messages."""
    reason: str
    approver: str
    expires: str
    """ISO date; the waiver no longer applies from this day on."""
    ticket: str | None = None
    name: str | None = None
    purl: str | None = None
    ref: str | None = None
    alias: str | None = None
    version: str | None = None
    rule: str | None = None
    source: str = ""
    """The waivers file it came from."""

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "index": self.index,
            "name": self.name,
            "purl": self.purl,
            "ref": self.ref,
            "alias": self.alias,
            "version": self.version,
            "rule": self.rule,
            "reason": self.reason,
            "approver": self.approver,
            "ticket": self.ticket,
            "expires": self.expires,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleOutcome:
    """One rule milestone applied to one finding on the as-of date."""

    id: str
    """Rule id (`US-ICTS-2021-002`)."""
    title: str
    milestone: str
    """Milestone id within the rule (`integration-ban`)."""
    effective: str
    """ISO date or date-time the milestone takes effect."""
    status: RuleStatus
    severity: Severity
    """The severity of this outcome after dates and waivers (NONE when not applicable)."""
    waived: bool = False
    waiver: Waiver | None = None
    waiver_expired: bool = False
    source: str = ""
    reason: str = ""
    """Why: in force since, coming into force on, or why not applicable."""
    prohibits: tuple[str, ...] = ()
    short_title: str = ""
    """The rule's plain name (`US Commerce ban on Kaspersky software`); the title if empty."""

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "id": self.id,
            "title": self.title,
            "milestone": self.milestone,
            "effective": self.effective,
            "status": self.status.value,
            "severity": self.severity.value,
            "waived": self.waived,
            "waiver": self.waiver.to_dict() if self.waiver else None,
            "waiver_expired": self.waiver_expired,
            "source": self.source,
            "reason": self.reason,
            "prohibits": list(self.prohibits),
            "short_title": self.short_title,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class PathNode:
    """A component on a finding's paths: its ref as the paths write it, and what to call it."""

    ref: str
    name: str
    """`group/name` as the SBOM states it (empty when it states none)."""
    version: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"ref": self.ref, "name": self.name, "version": self.version}


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """A component found to be, or to carry, Kaspersky technology."""

    id: str
    """Stable fingerprint (sha256 of document identity, ref and canonical): SARIF
    partialFingerprints, waiver reports and ledger diffs use it."""
    component: ComponentSummary
    canonical: str
    """What it is (`Kaspersky Anti-Virus Engine (OEM)`, `AO Kaspersky Lab`)."""
    confidence: Confidence
    evidence: tuple[Evidence, ...]
    paths: tuple[tuple[str, ...], ...] = ()
    """Simple paths from each root to the component (refs as written), shortest first."""
    paths_total: int = 0
    """How many simple paths exist (may exceed len(paths) when bounded); -1 if uncounted."""
    introduced_via: tuple[str, ...] = ()
    """The roots' direct dependencies through which it enters."""
    affected: tuple[str, ...] = ()
    """Refs of components that contain or depend on it."""
    path_nodes: tuple[PathNode, ...] = ()
    """Name and version of each component on `paths`, once per ref, in first-seen order: the
    HTML pictures show names, not refs."""
    integration: str = "branded"
    """`branded` (Kaspersky's own product) or `embedded` (inside another vendor's product)."""
    product_class: str = "security"
    """`security`, `threat-intelligence`, `training` or `non-security`."""
    severity: Severity = Severity.NONE
    rules: tuple[RuleOutcome, ...] = ()
    notes: tuple[str, ...] = ()
    """Plain-language remarks (for example: released after the 2024-09-29 update ban)."""

    @property
    def waived(self) -> bool:
        """True when every outcome that would fail is waived."""
        return any(r.waived for r in self.rules) and not any(
            r.severity is Severity.ERROR for r in self.rules
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON form (contract of `sbomcheck scan --format json`)."""
        return {
            "id": self.id,
            "component": self.component.to_dict(),
            "match": {"canonical": self.canonical, "confidence": self.confidence.value},
            "evidence": [e.to_dict() for e in self.evidence],
            "paths": [list(p) for p in self.paths],
            "paths_total": self.paths_total,
            "introduced_via": list(self.introduced_via),
            "affected": list(self.affected),
            "path_nodes": [n.to_dict() for n in self.path_nodes],
            "integration": self.integration,
            "product_class": self.product_class,
            "severity": self.severity.value,
            "rules": [r.to_dict() for r in self.rules],
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentSummary:
    """One input document, as the report lists it."""

    path: str
    format: str
    spec_version: str
    sha256: str
    components: int
    files: int = 0
    relationships: int = 0
    name: str | None = None
    product: str | None = None
    """Display name of the root component(s)."""
    supplier: str | None = None
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "path": self.path,
            "format": self.format,
            "spec_version": self.spec_version,
            "sha256": self.sha256,
            "components": self.components,
            "files": self.files,
            "relationships": self.relationships,
            "name": self.name,
            "product": self.product,
            "supplier": self.supplier,
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class UnresolvedReference:
    """A reference to another document or component that could not be followed."""

    document: str
    reference: str
    reason: str
    location: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "document": self.document,
            "reference": self.reference,
            "reason": self.reason,
            "location": self.location,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class SkippedInput:
    """A file, directory or archive member the scan did not read, and why (docs/scan.md,
    "Skipped inputs")."""

    path: str
    """As the inputs name it: `dir/README.md`, `bundle.zip!inner/vendor.zip`."""
    reason: str
    """Why it was not read: `not an SBOM file name`, `nested archive not followed`, ..."""
    may_hold_sbom: bool = False
    """It could be, or could hold, an SBOM that was not read: a clean result cannot show
    absence (the `indeterminate` verdict)."""

    def render(self) -> str:
        """One line: `path: skipped: reason`."""
        return f"{self.path}: skipped: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"path": self.path, "reason": self.reason, "may_hold_sbom": self.may_hold_sbom}


@dataclass(frozen=True, slots=True, kw_only=True)
class Completeness:
    """How much the SBOMs can show: absence of findings means little when this is low."""

    components: int
    with_supplier: float
    with_purl_or_cpe: float
    with_hashes: float
    has_relationships: bool
    compositions: tuple[str, ...] = ()
    """CycloneDX composition aggregates (`complete`, `incomplete`, `unknown`, ...)."""
    unresolved_references: int = 0
    sufficient: bool = True
    """False when a clean result cannot show absence (the `indeterminate` verdict)."""
    reasons: tuple[str, ...] = ()
    """Why it is not sufficient, in words."""

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "components": self.components,
            "with_supplier": round(self.with_supplier, 4),
            "with_purl_or_cpe": round(self.with_purl_or_cpe, 4),
            "with_hashes": round(self.with_hashes, 4),
            "has_relationships": self.has_relationships,
            "compositions": list(self.compositions),
            "unresolved_references": self.unresolved_references,
            "sufficient": self.sufficient,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class WaiverUse:
    """How a waiver fared in a scan."""

    waiver: Waiver
    matched: tuple[str, ...] = ()
    """Finding ids it matched."""
    expired: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "waiver": self.waiver.to_dict(),
            "matched": list(self.matched),
            "expired": self.expired,
            "unused": not self.matched,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class DataVersion:
    """Identity of a data file the decision rests on (alias catalogue, rules)."""

    name: str
    version: str
    sha256: str
    rows: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "name": self.name,
            "version": self.version,
            "sha256": self.sha256,
            "rows": self.rows,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineEntry:
    """One rule milestone that binds the report's profile, with its status on the as-of date
    (whether or not any finding meets it): the rules timeline of the report."""

    id: str
    title: str
    milestone: str
    effective: str
    status: RuleStatus
    severity: Severity
    """Severity a finding would get under it on the as-of date."""
    reason: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "id": self.id,
            "title": self.title,
            "milestone": self.milestone,
            "effective": self.effective,
            "status": self.status.value,
            "severity": self.severity.value,
            "reason": self.reason,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """The result of one scan of one product (one or more linked documents)."""

    tool_version: str
    as_of: str
    profile: str
    verdict: Verdict
    documents: tuple[DocumentSummary, ...]
    findings: tuple[Finding, ...] = ()
    unresolved_references: tuple[UnresolvedReference, ...] = ()
    completeness: Completeness | None = None
    waivers: tuple[WaiverUse, ...] = ()
    catalogue: DataVersion | None = None
    rules: DataVersion | None = None
    verdict_reasons: tuple[str, ...] = ()
    """One sentence per reason for the verdict."""
    timeline: tuple[TimelineEntry, ...] = ()
    """Every rule milestone binding the profile, in date order, with its status."""
    skipped_inputs: tuple[SkippedInput, ...] = ()
    """Files, directories and archive members the inputs hold that were not read."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON report (contract; see docs/json-report.md)."""
        return {
            "schema": REPORT_SCHEMA,
            "tool": {"name": "sbomcheck", "version": self.tool_version},
            "verdict": self.verdict.value,
            "verdict_reasons": list(self.verdict_reasons),
            "as_of": self.as_of,
            "profile": self.profile,
            "documents": [d.to_dict() for d in self.documents],
            "findings": [f.to_dict() for f in self.findings],
            "unresolved_references": [u.to_dict() for u in self.unresolved_references],
            "completeness": self.completeness.to_dict() if self.completeness else None,
            "waivers": [w.to_dict() for w in self.waivers],
            "catalogue": self.catalogue.to_dict() if self.catalogue else None,
            "rules_data": self.rules.to_dict() if self.rules else None,
            "timeline": [t.to_dict() for t in self.timeline],
            "skipped_inputs": [s.to_dict() for s in self.skipped_inputs],
        }
