"""`--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it.

One run; `tool.driver.rules` holds one entry per policy rule id seen in the report (helpUri
is the rule's source). One result per (finding, rule id) with at least one outcome in force
or upcoming: level from the worst such outcome's severity (waived: `note` plus an external
suppression), the SBOM file and line as the location, the component's ref and JSON path as
the logical location, one related location per path from a root, and a stable
`partialFingerprints["sbomcheck/finding/v1"]` = sha256(finding id + rule id), so GitHub keeps
an alert's identity across runs.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import quote

from sbomcheck.findings import (
    PATH_COUNT_CAP,
    REPORT_SCHEMA,
    Finding,
    Report,
    RuleOutcome,
    RuleStatus,
    Severity,
)
from sbomcheck.json_form import json_form
from sbomcheck.report._common import (
    INFORMATION_URI,
    TECHNOLOGY_RULE,
    TECHNOLOGY_TITLE,
    RuleInfo,
    applicable,
    display_name,
    effective_date,
    md_text,
    path_line,
    rules_seen,
    status_phrase,
    visible,
    worst,
)
from sbomcheck.report.interface import DEFAULT_RENDER_OPTIONS, Formatter, RenderOptions
from sbomcheck.report.json import dumps

__all__ = ["FINGERPRINT_KEY", "SARIF_SCHEMA", "SarifFormatter", "artifact_uri", "fingerprint"]

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
FINGERPRINT_KEY = "sbomcheck/finding/v1"
SRCROOT = "%SRCROOT%"
_MAX_MESSAGE_PATHS = 3

_LEVEL = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.NOTE: "note",
    Severity.NONE: "none",
}
# NOTE: GitHub's `problem.severity` vocabulary (error, warning, recommendation).
_PROBLEM_SEVERITY = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.NOTE: "recommendation",
    Severity.NONE: "recommendation",
}
_WINDOWS_ABSOLUTE = re.compile(r"^[A-Za-z]:/")
# NOTE: RFC 3986 pchar minus `:` (a colon in the first segment would read as a scheme).
_URI_SAFE = "/!$&'()*+,;=@-._~"


def artifact_uri(path: str) -> tuple[str, str | None]:
    """(`uri`, `uriBaseId`) for a document path: relative paths stay relative to the
    checkout (`%SRCROOT%`), with forward slashes and percent-encoding; absolute ones become
    `file://` URIs."""
    slashed = path.replace("\\", "/")
    if _WINDOWS_ABSOLUTE.match(slashed):
        return "file:///" + slashed[:2] + quote(slashed[2:], safe=_URI_SAFE), None
    if slashed.startswith("/"):
        return "file://" + quote(slashed, safe=_URI_SAFE), None
    while slashed.startswith("./"):
        slashed = slashed[2:]
    return quote(slashed, safe=_URI_SAFE), SRCROOT


def fingerprint(finding: Finding, rule_id: str) -> str:
    """Stable identity of a result: sha256 of the finding id and the rule id."""
    return hashlib.sha256(f"{finding.id}\x00{rule_id}".encode()).hexdigest()


def _artifact(path: str) -> dict[str, Any]:
    uri, base = artifact_uri(path)
    return {"uri": uri, "uriBaseId": base} if base else {"uri": uri}


def _http(url: str) -> bool:
    return bool(re.match(r"^https?://\S+$", url))


def _rule(info: RuleInfo) -> dict[str, Any]:
    milestones = "; ".join(
        f"{m.milestone}: effective {effective_date(m)}"
        + (f", prohibits {', '.join(m.prohibits)}" if m.prohibits else "")
        for m in info.milestones
    )
    rule: dict[str, Any] = {
        "id": info.id,
        "name": info.id,
        "shortDescription": {"text": info.title or info.id},
        "fullDescription": {"text": f"{info.title or info.id}. Milestones: {milestones}."},
        "defaultConfiguration": {"level": _LEVEL[info.severity]},
        "properties": {
            "tags": ["security", "supply-chain", "sbom"],
            "problem.severity": _PROBLEM_SEVERITY[info.severity],
            "milestones": [
                {
                    "id": m.milestone,
                    "effective": m.effective,
                    "prohibits": list(m.prohibits),
                    "source": m.source,
                }
                for m in info.milestones
            ],
        },
    }
    if _http(info.source):
        rule["helpUri"] = info.source
        rule["help"] = {"text": f"{info.title or info.id}: see {info.source}"}
    return rule


def _technology_rule() -> dict[str, Any]:
    return {
        "id": TECHNOLOGY_RULE,
        "name": TECHNOLOGY_RULE,
        "shortDescription": {"text": TECHNOLOGY_TITLE},
        "fullDescription": {
            "text": f"{TECHNOLOGY_TITLE}, not judged by any policy rule for this profile."
        },
        "defaultConfiguration": {"level": "warning"},
        "helpUri": INFORMATION_URI,
        "properties": {
            "tags": ["security", "supply-chain", "sbom"],
            "problem.severity": "warning",
        },
    }


def _unjudged(finding: Finding, rule_index: int) -> dict[str, Any]:
    """A result for a finding with no rule outcome at all, under the pseudo-rule."""
    severity = finding.severity if finding.severity is not Severity.NONE else Severity.WARNING
    outcome = RuleOutcome(
        id=TECHNOLOGY_RULE,
        title=TECHNOLOGY_TITLE,
        milestone="found",
        effective="",
        status=RuleStatus.IN_FORCE,
        severity=severity,
        reason="no policy rule judged it",
    )
    return _result(finding, (outcome,), rule_index, judged=False)


def _suppression(outcome: RuleOutcome) -> dict[str, Any]:
    w = outcome.waiver
    if w is None:
        justification = outcome.reason or "waived"
    else:
        ticket = f", ticket {w.ticket}" if w.ticket else ""
        where = f" ({w.source})" if w.source else ""
        justification = (
            f"waiver {w.index}{where}: {w.reason}; approved by {w.approver}{ticket}; "
            f"expires {w.expires}"
        )
    return {"kind": "external", "status": "accepted", "justification": visible(justification)}


def _message(finding: Finding, outcome: RuleOutcome, *, judged: bool = True) -> dict[str, str]:
    """`name version is canonical (confidence): rule milestone in force since ...`, then the
    evidence and up to three paths.

    `text` is plain text: SBOM strings only pass through `visible()` (control and bidi
    characters shown once as escapes), nothing else, so viewers that show `text` verbatim
    show what the SBOM says. `markdown` carries the same sentence with every SBOM string
    Markdown-escaped, and each path as an embedded link to its related location."""
    evidence = [(visible(e.field), visible(e.value), visible(e.alias)) for e in finding.evidence]
    waived = " (waived)" if outcome.waived else ""
    verdict = (
        f"{visible(outcome.id)} {visible(outcome.milestone)} {status_phrase(outcome)}{waived}"
        if judged
        else visible(outcome.reason)
    )
    head = f"{display_name(finding)} is {visible(finding.canonical)} ({finding.confidence.value})"
    plain = [f"{head}: {verdict}."]
    marked = [
        f"{md_text(display_name(finding))} is {md_text(finding.canonical)} "
        f"({finding.confidence.value}): {md_text(verdict)}."
    ]
    if evidence:
        plain.append("Evidence: " + "; ".join(f"{f} = {v} ~ {a}" for f, v, a in evidence) + ".")
        marked.append(
            "Evidence: "
            + "; ".join(f"{md_text(f)} = {md_text(v)} ~ {md_text(a)}" for f, v, a in evidence)
            + "."
        )
    for n, path in enumerate(finding.paths[:_MAX_MESSAGE_PATHS], 1):
        plain.append(f"Path {n}: {path_line(path)}.")
        # NOTE: `[path n](n)` is a SARIF embedded link to relatedLocations[id = n]; only
        # our own text forms links, the path itself is escaped.
        marked.append(f"[Path {n}]({n}): {md_text(path_line(path))}.")
    more = len(finding.paths) - _MAX_MESSAGE_PATHS
    if more > 0:
        plain.append(f"And {more} more paths.")
        marked.append(f"And {more} more paths.")
    return {"text": _plain_brackets(" ".join(plain)), "markdown": " ".join(marked)}


_BRACKET = re.compile(r"(\\*)([\[\]])")


def _plain_brackets(text: str) -> str:
    """Escape literal square brackets (and backslashes right before them) in plain text.

    SARIF 2.1.0 section 3.11.6: plain-text messages may carry embedded links `[text](n)`,
    so literal brackets must be escaped; our own plain text forms no links, so every
    bracket here came from the SBOM and must never become a link."""
    return _BRACKET.sub(lambda m: m.group(1) * 2 + "\\" + m.group(2), text)


def _result(
    finding: Finding, outcomes: tuple[RuleOutcome, ...], rule_index: int, *, judged: bool = True
) -> dict[str, Any]:
    chosen = worst(outcomes)
    assert chosen is not None  # NOTE: callers only pass non-empty groups
    comp = finding.component
    artifact = _artifact(comp.document)
    region = {"startLine": comp.line if comp.line is not None and comp.line > 0 else 1}
    logical: dict[str, Any] = {"name": comp.ref, "kind": "element"}
    if comp.location:
        logical["fullyQualifiedName"] = comp.location
    result: dict[str, Any] = {
        "ruleId": chosen.id,
        "ruleIndex": rule_index,
        "level": "note" if chosen.waived else _LEVEL[chosen.severity],
        "message": _message(finding, chosen, judged=judged),
        "locations": [
            {
                "physicalLocation": {"artifactLocation": artifact, "region": region},
                "logicalLocations": [logical],
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(finding, chosen.id)},
        "properties": {
            "findingId": finding.id,
            "canonical": finding.canonical,
            "confidence": finding.confidence.value,
            "integration": finding.integration,
            "productClass": finding.product_class,
            "outcomes": json_form(outcomes) if judged else [],
            "evidence": json_form(finding.evidence),
            "paths": [list(p) for p in finding.paths],
            "pathsTotal": finding.paths_total,
            # NOTE: the graph stage stops counting at PATH_COUNT_CAP; the total is then a
            # lower bound, not an exact count.
            "pathsTotalAtLeast": finding.paths_total >= PATH_COUNT_CAP,
            "introducedVia": list(finding.introduced_via),
        },
    }
    if finding.paths:
        result["relatedLocations"] = [
            {
                "id": n,
                "physicalLocation": {"artifactLocation": artifact, "region": region},
                "message": {"text": path_line(path)},
            }
            for n, path in enumerate(finding.paths, 1)
        ]
    if chosen.waived:
        result["suppressions"] = [_suppression(chosen)]
    return result


def sarif_log(report: Report) -> dict[str, Any]:
    """The SARIF log as a dict (one run)."""
    infos = rules_seen(report)
    index = {info.id: i for i, info in enumerate(infos)}
    rules = [_rule(info) for info in infos]
    if any(not f.rules for f in report.findings):
        index[TECHNOLOGY_RULE] = len(rules)
        rules.append(_technology_rule())
    results = []
    for finding in report.findings:
        if not finding.rules:
            results.append(_unjudged(finding, index[TECHNOLOGY_RULE]))
            continue
        groups: dict[str, list[RuleOutcome]] = {}
        for outcome in applicable(finding):
            groups.setdefault(outcome.id, []).append(outcome)
        results.extend(
            _result(finding, tuple(groups[rule_id]), index[rule_id]) for rule_id in sorted(groups)
        )
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "sbomcheck",
                        "version": report.tool_version,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "artifacts": [
                    {
                        "location": _artifact(doc.path),
                        "hashes": {"sha-256": doc.sha256},
                        "properties": {"format": doc.format, "specVersion": doc.spec_version},
                    }
                    for doc in report.documents
                ],
                "results": results,
                "properties": {
                    "reportSchema": REPORT_SCHEMA,
                    "verdict": report.verdict.value,
                    "verdictReasons": list(report.verdict_reasons),
                    "asOf": report.as_of,
                    "profile": report.profile,
                    "unresolvedReferences": json_form(report.unresolved_references),
                    "completeness": json_form(report.completeness),
                },
            }
        ],
    }


class SarifFormatter(Formatter):
    """`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers."""

    def render(self, report: Report, options: RenderOptions = DEFAULT_RENDER_OPTIONS) -> str:
        """The report as a SARIF log (JSON, sorted keys, byte-stable)."""
        return dumps(sarif_log(report))
