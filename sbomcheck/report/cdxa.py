"""`--format cdxa`: the decision as a CycloneDX 1.6 attestation (`declarations`, `definitions`).

The document reads as: the *standard* (`definitions.standards`) lists what was checked, one
requirement for "no Kaspersky technology" plus one per policy rule id met in the findings; the
*targets* are the products the SBOMs describe and the flagged components; the *claims* say
"this product conforms to this requirement" (one per document and requirement) and "this
component is Kaspersky technology" (one per finding); the *evidence* holds each finding's
matched fields, paths and rule outcomes, the completeness figures and the inputs' hashes; the
*attestation* maps every requirement to its claims with a conformance and a confidence score.
See docs/cdxa.md for how an auditor reads it. Pure and byte-stable: the only time in it is the
report's `as_of`, and the serial number is a UUIDv5 of the report's content.

Over 500 lines: almost all of it is `_Builder`, whose methods share the bom-refs it hands
out (a claim names its evidence and target by ref); split, they would pass that state around.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from sbomcheck.findings import (
    Confidence,
    DocumentSummary,
    Finding,
    Report,
    RuleOutcome,
    RuleStatus,
    Waiver,
)
from sbomcheck.json_form import json_form
from sbomcheck.report.interface import DEFAULT_RENDER_OPTIONS, Formatter, RenderOptions
from sbomcheck.safe_text import json_safe

SCHEMA_URL = "http://cyclonedx.org/schema/bom-1.6.schema.json"
DOCS_URL = "https://sbomcheck.dev/docs/cdxa"
"""Where the signatory's external reference points (the schema requires one when unsigned)."""

# NOTE: a fixed namespace so equal reports get equal serial numbers on every machine.
SERIAL_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://sbomcheck.dev/cdxa")

ASSESSOR_REF = "sbomcheck:assessor"
STANDARD_REF = "sbomcheck:standard"
CORE_REQUIREMENT = "SBOMCHECK-NO-KASPERSKY"
"""Identifier of the requirement every scan checks, whatever the rules data says."""
EVIDENCE_INPUTS = "sbomcheck:evidence:inputs"
EVIDENCE_COMPLETENESS = "sbomcheck:evidence:completeness"

# CycloneDX 1.6 component types; anything else an SBOM says becomes `library` plus a property.
_COMPONENT_TYPES = frozenset(
    {
        "application", "framework", "library", "container", "platform", "operating-system",
        "device", "device-driver", "firmware", "file", "machine-learning-model", "data",
        "cryptographic-asset",
    }
)  # fmt: skip

_CONFIDENCE_SCORE = {Confidence.CONFIRMED: 1.0, Confidence.LIKELY: 0.75, Confidence.POSSIBLE: 0.5}
"""How sure a claim "this is Kaspersky technology" is, by match confidence."""


def _json(data: object) -> str:
    """Compact, sorted JSON for attachments (deterministic)."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode()


def _timestamp(day: str) -> str:
    """`YYYY-MM-DD` (or a date-time starting with one) -> that day at 00:00:00Z."""
    return dt.date.fromisoformat(day[:10]).isoformat() + "T00:00:00Z"


def _is_http(url: str) -> bool:
    return url.startswith(("https://", "http://")) and not any(c.isspace() for c in url)


def serial_number(report: Report) -> str:
    """`urn:uuid:` UUIDv5 of the sha256 of the canonical JSON report: same report, same serial."""
    digest = hashlib.sha256(orjson.dumps(report.to_dict(), option=orjson.OPT_SORT_KEYS)).hexdigest()
    return f"urn:uuid:{uuid.uuid5(SERIAL_NAMESPACE, digest)}"


@dataclass(frozen=True, slots=True, kw_only=True)
class _Rule:
    """One policy rule id as seen across the findings' outcomes."""

    id: str
    title: str
    sources: tuple[str, ...]
    milestones: tuple[tuple[str, str], ...]
    """(milestone, effective), in date order."""


def _rules(findings: Sequence[Finding]) -> list[_Rule]:
    """The distinct rule ids the findings were checked against, sorted by id."""
    titles: dict[str, str] = {}
    sources: dict[str, set[str]] = {}
    milestones: dict[str, set[tuple[str, str]]] = {}
    for finding in findings:
        for outcome in finding.rules:
            titles.setdefault(outcome.id, outcome.title)
            sources.setdefault(outcome.id, set())
            if outcome.source:
                sources[outcome.id].add(outcome.source)
            milestones.setdefault(outcome.id, set()).add((outcome.milestone, outcome.effective))
    return [
        _Rule(
            id=rule_id,
            title=titles[rule_id],
            sources=tuple(sorted(sources[rule_id])),
            milestones=tuple(sorted(milestones[rule_id], key=lambda m: (m[1], m[0]))),
        )
        for rule_id in sorted(titles)
    ]


def _waiver_key(waiver: Waiver) -> tuple[str, int]:
    return (waiver.source, waiver.index)


class _Builder:
    """Builds one CycloneDX document from one report; bom-refs are assigned in report order."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.created = _timestamp(report.as_of)
        self.rules = _rules(report.findings)
        self.finding_refs = self._unique_refs(f"sbomcheck:finding:{f.id}" for f in report.findings)
        self.waivers = self._collect_waivers()
        self.waiver_refs = {
            key: f"sbomcheck:evidence:waiver:{n}" for n, key in enumerate(sorted(self.waivers))
        }

    @staticmethod
    def _unique_refs(candidates: Iterable[str]) -> list[str]:
        # NOTE: finding ids are unique by construction, but a bom-ref clash would make the
        # document invalid in a way no schema check catches; suffix rather than trust.
        seen: set[str] = set()
        refs = []
        for ref in candidates:
            unique, n = ref, 1
            while unique in seen:
                n += 1
                unique = f"{ref}#{n}"
            seen.add(unique)
            refs.append(unique)
        return refs

    def _collect_waivers(self) -> dict[tuple[str, int], Waiver]:
        waivers = {_waiver_key(use.waiver): use.waiver for use in self.report.waivers}
        for finding in self.report.findings:
            for outcome in finding.rules:
                if outcome.waiver is not None:
                    waivers.setdefault(_waiver_key(outcome.waiver), outcome.waiver)
        return waivers

    # -- which findings belong where ------------------------------------------------------

    def _findings_of(self, doc: DocumentSummary) -> list[int]:
        """Indexes of the findings in `doc`; a finding naming no known document counts for all."""
        paths = {d.path for d in self.report.documents}
        return [
            i
            for i, f in enumerate(self.report.findings)
            if f.component.document == doc.path or f.component.document not in paths
        ]

    def _finding_waivers(self, index: int) -> list[str]:
        finding = self.report.findings[index]
        keys = {_waiver_key(o.waiver) for o in finding.rules if o.waiver is not None}
        keys.update(
            _waiver_key(use.waiver) for use in self.report.waivers if finding.id in use.matched
        )
        return [self.waiver_refs[k] for k in sorted(keys)]

    # -- sections ----------------------------------------------------------------------------

    def document(self) -> dict[str, Any]:
        """The whole CycloneDX document."""
        report = self.report
        properties = [
            {"name": "sbomcheck:verdict", "value": report.verdict.value},
            {"name": "sbomcheck:as_of", "value": report.as_of},
            {"name": "sbomcheck:profile", "value": report.profile},
        ]
        for label, data in (("catalogue", report.catalogue), ("rules", report.rules)):
            if data is not None:
                properties += [
                    {"name": f"sbomcheck:{label}:name", "value": data.name},
                    {"name": f"sbomcheck:{label}:version", "value": data.version},
                    {"name": f"sbomcheck:{label}:sha256", "value": data.sha256},
                ]
        return {
            "$schema": SCHEMA_URL,
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "serialNumber": serial_number(report),
            "version": 1,
            "metadata": {
                "timestamp": self.created,
                "tools": {
                    "components": [
                        {
                            "type": "application",
                            "bom-ref": "sbomcheck:tool",
                            "name": "sbomcheck",
                            "version": report.tool_version,
                        }
                    ]
                },
                "properties": properties,
            },
            "declarations": {
                "assessors": [
                    {
                        "bom-ref": ASSESSOR_REF,
                        "organization": {"name": f"sbomcheck {report.tool_version}"},
                    }
                ],
                "attestations": [self.attestation()],
                "claims": self.claims(),
                "evidence": self.evidence(),
                "targets": self.targets(),
                "affirmation": self.affirmation(),
            },
            "definitions": {"standards": [self.standard()]},
        }

    def standard(self) -> dict[str, Any]:
        """The sbomcheck policy as a standard: one requirement per rule id, plus the core one."""
        requirements: list[dict[str, Any]] = [
            {
                "bom-ref": _requirement_ref(CORE_REQUIREMENT),
                "identifier": CORE_REQUIREMENT,
                "text": "The product contains no component that the sbomcheck alias catalogue "
                "identifies as Kaspersky technology, under any name.",
            }
        ]
        for rule in self.rules:
            requirement: dict[str, Any] = {
                "bom-ref": _requirement_ref(rule.id),
                "identifier": rule.id,
                "text": rule.title,
                "descriptions": [
                    f"milestone {milestone}: effective {effective}"
                    for milestone, effective in rule.milestones
                ],
            }
            links = [
                {"type": "other", "url": url, "comment": "source of the rule"}
                for url in rule.sources
                if _is_http(url)
            ]
            if links:
                requirement["externalReferences"] = links
            requirements.append(requirement)
        rules_version = self.report.rules.version if self.report.rules else "unknown"
        return {
            "bom-ref": STANDARD_REF,
            "name": "sbomcheck policy: Kaspersky technology and the rules that restrict it",
            "version": rules_version,
            "owner": "sbomcheck",
            "requirements": requirements,
            "levels": [
                {
                    "bom-ref": f"sbomcheck:level:{self.report.profile}",
                    "identifier": f"profile {self.report.profile}",
                    "requirements": [r["bom-ref"] for r in requirements],
                }
            ],
        }

    def targets(self) -> dict[str, Any]:
        """The products the documents describe, their suppliers, and the flagged components."""
        organizations = sorted({d.supplier for d in self.report.documents if d.supplier})
        components: list[dict[str, Any]] = []
        services: list[dict[str, Any]] = []
        for i, doc in enumerate(self.report.documents):
            product: dict[str, Any] = {
                "type": "application",
                "bom-ref": _document_ref(i),
                "name": doc.product or doc.name or doc.path,
            }
            if doc.supplier:
                product["supplier"] = {"name": doc.supplier}
            product["properties"] = [
                {"name": "sbomcheck:document:path", "value": doc.path},
                {"name": "sbomcheck:document:format", "value": f"{doc.format} {doc.spec_version}"},
                {"name": "sbomcheck:document:sha256", "value": doc.sha256},
            ]
            components.append(product)
        for ref, finding in zip(self.finding_refs, self.report.findings, strict=True):
            comp = finding.component
            target: dict[str, Any] = {"bom-ref": _component_ref(ref), "name": comp.name or comp.ref}
            if comp.type == "service":
                if comp.version:
                    target["version"] = comp.version
                services.append(target)
                continue
            target = {"type": comp.type if comp.type in _COMPONENT_TYPES else "library", **target}
            if comp.supplier:
                target["supplier"] = {"name": comp.supplier}
            if comp.version:
                target["version"] = comp.version
            if comp.purl:
                target["purl"] = comp.purl
            target["properties"] = [
                {"name": "sbomcheck:component:ref", "value": comp.ref},
                {"name": "sbomcheck:component:document", "value": comp.document},
                {"name": "sbomcheck:component:location", "value": comp.location},
            ]
            if comp.type and comp.type not in _COMPONENT_TYPES:
                target["properties"].append(
                    {"name": "sbomcheck:component:type", "value": comp.type}
                )
            components.append(target)
        result: dict[str, Any] = {}
        if organizations:
            result["organizations"] = [{"name": name} for name in organizations]
        result["components"] = components
        if services:
            result["services"] = services
        return result

    def evidence(self) -> list[dict[str, Any]]:
        """Inputs, completeness, one item per finding, one per waiver."""
        report = self.report
        inputs = {
            "documents": [
                {k: json_form(d)[k] for k in ("path", "format", "spec_version", "sha256")}
                for d in report.documents
            ],
            "catalogue": json_form(report.catalogue),
            "rules": json_form(report.rules),
            "tool": {"name": "sbomcheck", "version": report.tool_version},
        }
        items: list[dict[str, Any]] = [
            self._evidence_item(
                EVIDENCE_INPUTS,
                "sbomcheck:inputs",
                "The SBOM documents read (with the sha256 of their bytes) and the versions and "
                "sha256 of the alias catalogue and rules data the decision rests on.",
                [("inputs", inputs)],
            ),
            self._evidence_item(
                EVIDENCE_COMPLETENESS,
                "sbomcheck:completeness",
                "How much the SBOMs can show: shares of components with a supplier, with a purl "
                "or CPE, with hashes; whether relationships exist; unresolved references. An "
                "absence of findings means little when these are low.",
                [
                    (
                        "completeness",
                        json_form(report.completeness),
                    ),
                    (
                        "unresolved_references",
                        json_form(report.unresolved_references),
                    ),
                ],
            ),
        ]
        for ref, finding in zip(self.finding_refs, report.findings, strict=True):
            items.append(
                self._evidence_item(
                    _evidence_ref(ref),
                    "sbomcheck:finding",
                    f"Fields of component {finding.component.name!r} that matched the alias "
                    f"catalogue as {finding.canonical} ({finding.confidence.value}), the paths "
                    "from the product's roots to it, and the rule milestones it meets.",
                    [
                        ("evidence", json_form(finding.evidence)),
                        (
                            "paths",
                            {
                                "paths": [list(p) for p in finding.paths],
                                "paths_total": finding.paths_total,
                                "introduced_via": list(finding.introduced_via),
                                "affected": list(finding.affected),
                            },
                        ),
                        ("rules", json_form(finding.rules)),
                        ("component", json_form(finding.component)),
                    ],
                )
            )
        for key in sorted(self.waivers):
            waiver = self.waivers[key]
            item = self._evidence_item(
                self.waiver_refs[key],
                "sbomcheck:waiver",
                f"Waiver {waiver.index} of {waiver.source or 'the waivers file'}, approved by "
                f"{waiver.approver} until {waiver.expires}: {waiver.reason}",
                [("waiver", json_form(waiver)), ("use", self._waiver_use(key))],
            )
            try:
                item["expires"] = _timestamp(waiver.expires)
            except ValueError:
                pass  # a malformed expiry stays visible in the data; `expires` is optional
            items.append(item)
        return items

    def _waiver_use(self, key: tuple[str, int]) -> dict[str, Any] | None:
        for use in self.report.waivers:
            if _waiver_key(use.waiver) == key:
                return {"matched": list(use.matched), "expired": use.expired}
        return None

    def _evidence_item(
        self, ref: str, prop: str, description: str, data: Sequence[tuple[str, object]]
    ) -> dict[str, Any]:
        return {
            "bom-ref": ref,
            "propertyName": prop,
            "description": description,
            "data": [
                {
                    "name": name,
                    "contents": {
                        "attachment": {"contentType": "application/json", "content": _json(value)}
                    },
                }
                for name, value in data
            ],
            "created": self.created,
        }

    def claims(self) -> list[dict[str, Any]]:
        """Per document and requirement "conforms"; per finding "is Kaspersky technology"."""
        claims: list[dict[str, Any]] = []
        for i, doc in enumerate(self.report.documents):
            product = doc.product or doc.name or doc.path
            for rule_id in [CORE_REQUIREMENT, *(r.id for r in self.rules)]:
                breaking = self._breaking(doc, rule_id)
                if rule_id == CORE_REQUIREMENT:
                    predicate = (
                        f"The product {product} described by {doc.path} contains no "
                        "Kaspersky technology."
                    )
                else:
                    predicate = (
                        f"The product {product} described by {doc.path} conforms to {rule_id} "
                        f"for profile {self.report.profile} as of {self.report.as_of}."
                    )
                claim: dict[str, Any] = {
                    "bom-ref": _claim_ref(i, rule_id),
                    "target": _document_ref(i),
                    "predicate": predicate,
                    "reasoning": self._reasoning(doc, rule_id, breaking),
                    "evidence": [EVIDENCE_INPUTS, EVIDENCE_COMPLETENESS],
                }
                if breaking:
                    claim["counterEvidence"] = [
                        _evidence_ref(self.finding_refs[n]) for n, _ in breaking
                    ]
                mitigations = sorted({m for n, _ in breaking for m in self._finding_waivers(n)})
                if mitigations:
                    claim["mitigationStrategies"] = mitigations
                claims.append(claim)
        for n, (ref, finding) in enumerate(
            zip(self.finding_refs, self.report.findings, strict=True)
        ):
            claim = {
                "bom-ref": ref,
                "target": _component_ref(ref),
                "predicate": (
                    f"Component {finding.component.name} is Kaspersky technology: "
                    f"{finding.canonical} ({finding.confidence.value}, {finding.integration}, "
                    f"class {finding.product_class})."
                ),
                "reasoning": _finding_reasoning(finding),
                "evidence": [_evidence_ref(ref)],
            }
            mitigations = self._finding_waivers(n)
            if mitigations:
                claim["mitigationStrategies"] = mitigations
            claims.append(claim)
        return claims

    def _breaking(self, doc: DocumentSummary, rule_id: str) -> list[tuple[int, list[RuleOutcome]]]:
        """(finding index, its applicable outcomes of `rule_id`) for findings in `doc`."""
        result: list[tuple[int, list[RuleOutcome]]] = []
        for n in self._findings_of(doc):
            finding = self.report.findings[n]
            if rule_id == CORE_REQUIREMENT:
                result.append((n, []))
                continue
            outcomes = [
                o
                for o in finding.rules
                if o.id == rule_id and o.status is not RuleStatus.NOT_APPLICABLE
            ]
            if outcomes:
                result.append((n, outcomes))
        return result

    def _reasoning(
        self, doc: DocumentSummary, rule_id: str, breaking: list[tuple[int, list[RuleOutcome]]]
    ) -> str:
        findings = self.report.findings
        if rule_id == CORE_REQUIREMENT:
            if not breaking:
                comp = self.report.completeness
                if comp is not None and not comp.sufficient:
                    return (
                        "Nothing was found, but the SBOM cannot show absence: "
                        + "; ".join(comp.reasons)
                        + "."
                    )
                return "No component matched the alias catalogue."
            names = ", ".join(
                f"{findings[n].component.name} ({findings[n].canonical})" for n, _ in breaking
            )
            return f"{len(breaking)} component(s) are Kaspersky technology: {names}."
        if not breaking:
            return f"No finding meets a milestone of {rule_id} that applies to this profile."
        parts = []
        for n, outcomes in breaking:
            for o in outcomes:
                waived = (
                    f", waived until {o.waiver.expires}"
                    if o.waived and o.waiver and "waived" not in o.reason
                    else ""
                )
                expired = ", waiver expired" if o.waiver_expired else ""
                parts.append(
                    f"{findings[n].component.name}: {o.milestone} {o.status.value} "
                    f"({o.reason or o.effective}), severity {o.severity.value}{waived}{expired}"
                )
        return "; ".join(parts) + "."

    def attestation(self) -> dict[str, Any]:
        """The verdict, and each requirement mapped to its claims with scores."""
        report = self.report
        reasons = " ".join(_sentence(r) for r in report.verdict_reasons)
        summary = (
            f"sbomcheck verdict {report.verdict.value.upper()} as of {report.as_of} for profile "
            f"{report.profile}."
        )
        if reasons:
            summary += " " + reasons
        entries = []
        for rule_id in [CORE_REQUIREMENT, *(r.id for r in self.rules)]:
            scores: list[float] = []
            confidences: list[float] = []
            rationales: list[str] = []
            confidence_why: list[str] = []
            counter: set[str] = set()
            mitigations: set[str] = set()
            for doc in report.documents:
                breaking = self._breaking(doc, rule_id)
                score, why = self._conformance(rule_id, breaking)
                scores.append(score)
                sure, sure_why = self._confidence(breaking)
                confidences.append(sure)
                rationales.append(f"{doc.path}: {why}")
                confidence_why.append(f"{doc.path}: {sure_why}")
                counter.update(self.finding_refs[n] for n, _ in breaking)
                mitigations.update(m for n, _ in breaking for m in self._finding_waivers(n))
            entry: dict[str, Any] = {
                "requirement": _requirement_ref(rule_id),
                "claims": [_claim_ref(i, rule_id) for i in range(len(report.documents))],
            }
            if counter:
                entry["counterClaims"] = [r for r in self.finding_refs if r in counter]
            conformance: dict[str, Any] = {
                "score": min(scores, default=1.0),
                "rationale": " ".join(rationales) or "No document was assessed.",
            }
            if mitigations:
                conformance["mitigationStrategies"] = sorted(mitigations)
            entry["conformance"] = conformance
            entry["confidence"] = {
                "score": min(confidences, default=0.0),
                "rationale": " ".join(confidence_why) or "No document was assessed.",
            }
            entries.append(entry)
        return {"summary": summary, "assessor": ASSESSOR_REF, "map": entries}

    @staticmethod
    def _conformance(
        rule_id: str, breaking: list[tuple[int, list[RuleOutcome]]]
    ) -> tuple[float, str]:
        # NOTE: 0 = breaks a milestone in force (waived or not: a waiver accepts the risk, it
        # does not make the product conform; it is listed as a mitigation strategy),
        # 0.5 = conforms today but a milestone comes into force later, 1 = conforms.
        if rule_id == CORE_REQUIREMENT:
            if breaking:
                return 0.0, f"{len(breaking)} component(s) identified as Kaspersky technology."
            return 1.0, "no component identified as Kaspersky technology."
        statuses = {o.status for _, outcomes in breaking for o in outcomes}
        if RuleStatus.IN_FORCE in statuses:
            waived = all(
                o.waived for _, outs in breaking for o in outs if o.status is RuleStatus.IN_FORCE
            )
            suffix = " (every such outcome is waived)" if waived else ""
            return 0.0, f"a milestone in force is met by {len(breaking)} finding(s){suffix}."
        if RuleStatus.UPCOMING in statuses:
            return 0.5, "conforms today; a milestone met by a finding comes into force later."
        return 1.0, "no finding meets a milestone that applies."

    def _confidence(self, breaking: list[tuple[int, list[RuleOutcome]]]) -> tuple[float, str]:
        """Score and rationale: the surest match where findings exist, else completeness."""
        if breaking:
            best = max(
                (self.report.findings[n].confidence for n, _ in breaking), key=lambda c: c.rank
            )
            return _CONFIDENCE_SCORE[best], (
                f"surest match {best.value} (confirmed 1.0, likely 0.75, possible 0.5)."
            )
        comp = self.report.completeness
        if comp is None:
            return 0.0, "nothing found and completeness unknown."
        score = round((comp.with_supplier + comp.with_purl_or_cpe + comp.with_hashes) / 3, 2)
        why = (
            f"nothing found; mean share of components with a supplier ({comp.with_supplier:.0%}), "
            f"a purl or CPE ({comp.with_purl_or_cpe:.0%}) and hashes ({comp.with_hashes:.0%})."
        )
        if not comp.sufficient and comp.reasons:
            why += " The SBOM cannot show absence: " + "; ".join(comp.reasons) + "."
        return score, why

    def affirmation(self) -> dict[str, Any]:
        """An unsigned affirmation; `sbomcheck attest` makes the signed, verifiable form."""
        report = self.report
        return {
            "statement": (
                f"This document records an automated assessment made by sbomcheck "
                f"{report.tool_version} as of {report.as_of} for profile {report.profile}, "
                "from the SBOM documents and data files whose sha256 it lists. It is not "
                "signed; `sbomcheck attest` makes a signed in-toto attestation of the same "
                "decision."
            ),
            "signatories": [
                {
                    "name": "sbomcheck",
                    "role": "automated assessor (unsigned)",
                    # NOTE: CycloneDX 1.6 requires either a signature or an organization with an
                    # external reference for each signatory; we sign nothing here.
                    "organization": {"name": "sbomcheck"},
                    "externalReference": {
                        "type": "documentation",
                        "url": DOCS_URL,
                        "comment": "how to read this attestation",
                    },
                }
            ],
        }


def _sentence(text: str) -> str:
    """Capitalised, ending with a full stop."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _requirement_ref(rule_id: str) -> str:
    return f"sbomcheck:requirement:{rule_id}"


def _document_ref(index: int) -> str:
    return f"sbomcheck:target:document:{index}"


def _component_ref(finding_ref: str) -> str:
    return f"sbomcheck:target:{finding_ref.removeprefix('sbomcheck:')}"


def _evidence_ref(finding_ref: str) -> str:
    return f"sbomcheck:evidence:{finding_ref.removeprefix('sbomcheck:')}"


def _claim_ref(doc_index: int, rule_id: str) -> str:
    return f"sbomcheck:claim:document:{doc_index}:{rule_id}"


def _finding_reasoning(finding: Finding) -> str:
    fields = ", ".join(
        f"{e.field} {e.value!r} matched {e.alias!r} ({e.kind})" for e in finding.evidence
    )
    parts = [f"Matched fields: {fields}." if fields else "No matched field recorded."]
    if finding.introduced_via:
        parts.append("Introduced via " + ", ".join(finding.introduced_via) + ".")
    parts.extend(finding.notes)
    return " ".join(parts)


class CdxaFormatter(Formatter):
    """`--format cdxa`: CycloneDX 1.6 declarations (attestation) of the decision."""

    def render(self, report: Report, options: RenderOptions = DEFAULT_RENDER_OPTIONS) -> str:
        """The attestation as CycloneDX 1.6 JSON (two-space indent, trailing newline)."""
        document = _Builder(report).document()
        return json_safe(orjson.dumps(document, option=orjson.OPT_INDENT_2).decode()) + "\n"
