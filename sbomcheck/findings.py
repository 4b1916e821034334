"""What a scan concludes: findings with their evidence, paths and rule outcomes, and the report.

These types are the contract between the stages (identify -> graph -> policy -> report) and
the JSON report users script against (`Report.to_dict`, schema in `sbomcheck/schema/`).
Everything here is plain data: frozen, ordered deterministically by the producer. Their JSON
form is `sbomcheck.json_form.json_form`: keys in field order (the schema's order), with the
few renames declared on the fields (`json_key`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sbomcheck.json_form import json_form, json_key

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


@dataclass(frozen=True, slots=True, kw_only=True)
class Waiver:
    """One `[[waiver]]` entry of a waivers file."""

    index: int
    """Position in the file (0-based), for messages."""
    name: str | None = None
    purl: str | None = None
    ref: str | None = None
    alias: str | None = None
    version: str | None = None
    rule: str | None = None
    reason: str
    approver: str
    ticket: str | None = None
    expires: str
    """ISO date; the waiver no longer applies from this day on."""
    source: str = ""
    """The waivers file it came from."""


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


@dataclass(frozen=True, slots=True, kw_only=True)
class PathNode:
    """A component on a finding's paths: its ref as the paths write it, and what to call it."""

    ref: str
    name: str
    """`group/name` as the SBOM states it (empty when it states none)."""
    version: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """A component found to be, or to carry, Kaspersky technology."""

    id: str
    """Stable fingerprint (sha256 of document identity, ref and canonical): SARIF
    partialFingerprints, waiver reports and ledger diffs use it."""
    component: ComponentSummary
    canonical: str = field(metadata=json_key(("match", "canonical")))
    """What it is (`Kaspersky Anti-Virus Engine (OEM)`, `AO Kaspersky Lab`)."""
    confidence: Confidence = field(metadata=json_key(("match", "confidence")))
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


@dataclass(frozen=True, slots=True, kw_only=True)
class UnresolvedReference:
    """A reference to another document or component that could not be followed."""

    document: str
    reference: str
    reason: str
    location: str = ""


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


def _four_places(share: float) -> float:
    """Shares are written to four places: enough for a percentage with two decimals."""
    return round(share, 4)


@dataclass(frozen=True, slots=True, kw_only=True)
class Completeness:
    """How much the SBOMs can show: absence of findings means little when this is low."""

    components: int
    with_supplier: float = field(metadata=json_key(convert=_four_places))
    with_purl_or_cpe: float = field(metadata=json_key(convert=_four_places))
    with_hashes: float = field(metadata=json_key(convert=_four_places))
    has_relationships: bool
    compositions: tuple[str, ...] = ()
    """CycloneDX composition aggregates (`complete`, `incomplete`, `unknown`, ...)."""
    unresolved_references: int = 0
    sufficient: bool = True
    """False when a clean result cannot show absence (the `indeterminate` verdict)."""
    reasons: tuple[str, ...] = ()
    """Why it is not sufficient, in words."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WaiverUse:
    """How a waiver fared in a scan."""

    waiver: Waiver
    matched: tuple[str, ...] = ()
    """Finding ids it matched."""
    expired: bool = False

    json_properties: ClassVar[tuple[str, ...]] = ("unused",)

    @property
    def unused(self) -> bool:
        """True when it matched no finding."""
        return not self.matched


@dataclass(frozen=True, slots=True, kw_only=True)
class DataVersion:
    """Identity of a data file the decision rests on (alias catalogue, rules)."""

    name: str
    version: str
    sha256: str
    rows: int = 0


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


def _tool(version: str) -> dict[str, str]:
    """The report's `tool` object."""
    return {"name": "sbomcheck", "version": version}


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """The result of one scan of one product (one or more linked documents)."""

    schema: str = field(default=REPORT_SCHEMA, init=False)
    """The contract its JSON form follows (`REPORT_SCHEMA`)."""
    tool_version: str = field(metadata=json_key("tool", convert=_tool))
    verdict: Verdict
    verdict_reasons: tuple[str, ...] = ()
    """One sentence per reason for the verdict."""
    as_of: str
    profile: str
    documents: tuple[DocumentSummary, ...]
    findings: tuple[Finding, ...] = ()
    unresolved_references: tuple[UnresolvedReference, ...] = ()
    completeness: Completeness | None = None
    waivers: tuple[WaiverUse, ...] = ()
    catalogue: DataVersion | None = None
    rules: DataVersion | None = field(default=None, metadata=json_key("rules_data"))
    timeline: tuple[TimelineEntry, ...] = ()
    """Every rule milestone binding the profile, in date order, with its status."""
    skipped_inputs: tuple[SkippedInput, ...] = ()
    """Files, directories and archive members the inputs hold that were not read."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON report (contract; see docs/json-report.md): `json_form(self)`."""
        data: dict[str, Any] = json_form(self)
        return data
