"""`--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it.

One run; `tool.driver.rules` holds one entry per policy rule id seen in the report (help,
helpUri = the rule's source, GitHub's `security-severity` and `precision`). One result per
(finding, rule id) with at least one outcome in force or upcoming: level from the worst such
outcome's severity (waived: `note` plus an external suppression), the SBOM file and the
line and column of the component's declaration as the location (GitHub keys an alert by
rule, file and line), the component's ref and JSON path as the logical location, one
related location per path from a root, and a stable
`partialFingerprints["sbomcheck/finding/v1"]` = sha256(finding id + rule id), so GitHub keeps
an alert's identity across runs. Results and related locations stop at GitHub's limits,
with a note in the run when they do (docs/formats.md).
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import quote

from sbomcheck.findings import (
    PATH_COUNT_CAP,
    REPORT_SCHEMA,
    Confidence,
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

__all__ = [
    "FINGERPRINT_KEY",
    "MAX_RELATED_LOCATIONS",
    "MAX_RESULTS",
    "MAX_UPLOAD_BYTES",
    "SARIF_SCHEMA",
    "SarifFormatter",
    "artifact_location",
    "artifact_uri",
    "automation_id",
    "document_name",
    "fingerprint",
    "friendly_name",
    "plain_brackets",
    "render_sarif",
    "sarif_log",
]

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
FINGERPRINT_KEY = "sbomcheck/finding/v1"
SRCROOT = "%SRCROOT%"
_MAX_MESSAGE_PATHS = 3

# NOTE: GitHub code scanning's limits ("SARIF results exceed limits", "SARIF file is too
# large"): a run with more than 25,000 results, a result with more than 1,000 locations,
# or a file over 10 MB gzip-compressed is rejected whole.
MAX_RESULTS = 25_000
"""Results per run GitHub accepts (it shows the 5,000 most severe)."""
MAX_RELATED_LOCATIONS = 1_000
"""Locations per result GitHub accepts (it shows 100); applied to related locations."""
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
"""The largest gzip-compressed SARIF file GitHub accepts."""
_UPLOAD_TARGET = MAX_UPLOAD_BYTES * 95 // 100
"""Headroom under the upload limit: gzip implementations differ a little."""

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


def document_name(key: str, stdin_name: str) -> str:
    """The path a document is reported under: its key, with standard input (`-`, and
    `-!member` for an archive read from it) under `stdin_name`."""
    if key == "-":
        return stdin_name
    if key.startswith("-!"):
        return stdin_name + key[1:]
    return key


def automation_id(profile: str, category: str = "", *, command: str = "scan") -> str:
    """`runs[].automationDetails.id`: `sbomcheck/<profile>/` or
    `sbomcheck/<profile>/<category>/` for `scan`, `sbomcheck/<command>/<profile>/[<category>/]`
    for another command (`audit`), so that its uploads and a scan's never replace each other.
    GitHub takes everything before the last `/` as the analysis category: a later upload
    replaces the results of the same category."""
    category = category.strip("/")
    head = "sbomcheck/" if command == "scan" else f"sbomcheck/{command}/"
    return f"{head}{profile}/{category}/" if category else f"{head}{profile}/"


def artifact_location(key: str, stdin_name: str) -> dict[str, Any]:
    """`artifactLocation` of the document with this key (standard input as `stdin_name`)."""
    uri, base = artifact_uri(document_name(key, stdin_name))
    return {"uri": uri, "uriBaseId": base} if base else {"uri": uri}


def _http(url: str) -> bool:
    return bool(re.match(r"^https?://\S+$", url))


# NOTE: GitHub's `security-severity` bands: 9.0 and over critical, 7.0-8.9 high, 4.0-6.9
# medium, 0.1-3.9 low. An error is a prohibition in force (the scan fails on it), a
# warning an advisory or a ban not yet in force for this profile, a note information.
_SECURITY_SEVERITY = {
    Severity.ERROR: "9.0",
    Severity.WARNING: "5.0",
    Severity.NOTE: "2.0",
    Severity.NONE: "0.0",
}
_PRECISION = {
    Confidence.CONFIRMED: "very-high",
    Confidence.LIKELY: "high",
    Confidence.POSSIBLE: "low",
}
_TAGS = ["security", "supply-chain", "sbom"]
_WORD = re.compile(r"[A-Za-z0-9]+")
_MAX_NAME = 64


def friendly_name(title: str, rule_id: str) -> str | None:
    """A Pascal-case name for a rule from its title (`BIS Entity List: AO Kaspersky Lab`
    is `BisEntityList`): the words before any colon, ASCII letters and digits only, at most
    64 characters; None when nothing usable is left or it would equal the id (SARIF wants
    `name`, when present, to differ from `id`)."""
    words = _WORD.findall(title.partition(":")[0])
    name = ""
    for word in words:
        # NOTE: an acronym reads as one word (`ICTS` is `Icts`), as Pascal case wants.
        # A one-letter word after the first reads as part of the one before (`21-R` is
        # `21r`), so that no capital stands alone.
        if len(word) == 1 and name:
            piece = word.lower()
        else:
            piece = word.capitalize() if word.isupper() else word[:1].upper() + word[1:]
        if len(name) + len(piece) > _MAX_NAME:
            break
        name += piece
    if not name or not name[0].isalpha() or name == rule_id:
        return None
    return name


def _precision(confidences: Iterable[Confidence]) -> str:
    """The rule's precision: that of the least certain finding it judged."""
    least = min(confidences, key=lambda c: c.rank, default=Confidence.CONFIRMED)
    return _PRECISION[least]


def _sentence(text: str) -> str:
    """`text` ending with a full stop (one, even when it ends with an abbreviation)."""
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _help(title: str, milestone_lines: Sequence[str], source: str, action: str) -> dict[str, str]:
    """`help` of a rule: what it is, its milestones, what to do, and where it comes from."""
    lines = [_sentence(title)]
    if milestone_lines:
        lines += ["", "Milestones:", *(f"- {m}" for m in milestone_lines)]
    lines += ["", action]
    if source:
        lines += ["", f"Source: {source}"]
    marked = [f"**{md_text(title)}**"]
    if milestone_lines:
        marked += ["", "Milestones:", "", *(f"- {md_text(m)}" for m in milestone_lines)]
    marked += ["", md_text(action)]
    if _http(source):
        marked += ["", f"Source: <{source}>"]
    elif source:
        marked += ["", f"Source: {md_text(source)}"]
    return {"text": "\n".join(lines), "markdown": "\n".join(marked)}


_RULE_ACTION = (
    "A result names a component that is, or carries, Kaspersky technology (its evidence "
    "is in the message) and that this rule reaches for the profile on the as-of date. "
    "Remove or replace the component, or record a reviewed waiver (sbomcheck --waivers); "
    "a waived result is reported as suppressed."
)
_TECHNOLOGY_ACTION = (
    "A result names a component that is, or carries, Kaspersky technology (its evidence "
    "is in the message) that no policy rule judged for this profile. Check the evidence "
    "and decide; run with another --profile or --jurisdiction, or add a rule (--rules), "
    "if one should apply."
)


def _rule(info: RuleInfo, confidences: Iterable[Confidence]) -> dict[str, Any]:
    milestone_lines = [
        f"{m.milestone}: effective {effective_date(m)}"
        + (f", prohibits {', '.join(m.prohibits)}" if m.prohibits else "")
        for m in info.milestones
    ]
    title = info.title or info.id
    source = info.source
    rule: dict[str, Any] = {
        "id": info.id,
        "shortDescription": {"text": title},
        "fullDescription": {
            "text": f"{_sentence(title)} Milestones: {'; '.join(milestone_lines)}."
        },
        "defaultConfiguration": {"level": _LEVEL[info.severity]},
        "help": _help(title, milestone_lines, source, _RULE_ACTION),
        "helpUri": info.source if _http(info.source) else INFORMATION_URI,
        "properties": {
            "tags": list(_TAGS),
            "problem.severity": _PROBLEM_SEVERITY[info.severity],
            "security-severity": _SECURITY_SEVERITY[info.severity],
            "precision": _precision(confidences),
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
    if (name := friendly_name(info.title, info.id)) is not None:
        rule["name"] = name
    return rule


def _technology_rule(severity: Severity, confidences: Iterable[Confidence]) -> dict[str, Any]:
    return {
        "id": TECHNOLOGY_RULE,
        "name": "KasperskyTechnology",
        "shortDescription": {"text": TECHNOLOGY_TITLE},
        "fullDescription": {
            "text": f"{TECHNOLOGY_TITLE}, not judged by any policy rule for this profile."
        },
        "defaultConfiguration": {"level": "warning"},
        "help": _help(TECHNOLOGY_TITLE, (), "", _TECHNOLOGY_ACTION),
        "helpUri": INFORMATION_URI,
        "properties": {
            "tags": list(_TAGS),
            "problem.severity": _PROBLEM_SEVERITY[severity],
            "security-severity": _SECURITY_SEVERITY[severity],
            "precision": _precision(confidences),
        },
    }


def _unjudged_severity(finding: Finding) -> Severity:
    """The level of a finding no rule judged: its own severity, at least a warning."""
    return finding.severity if finding.severity is not Severity.NONE else Severity.WARNING


def _unjudged(finding: Finding, rule_index: int, place: _Place) -> dict[str, Any]:
    """A result for a finding with no rule outcome at all, under the pseudo-rule."""
    outcome = RuleOutcome(
        id=TECHNOLOGY_RULE,
        title=TECHNOLOGY_TITLE,
        milestone="found",
        effective="",
        status=RuleStatus.IN_FORCE,
        severity=_unjudged_severity(finding),
        reason="no policy rule judged it",
    )
    return _result(finding, (outcome,), rule_index, place, judged=False)


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
    return {"text": plain_brackets(" ".join(plain)), "markdown": " ".join(marked)}


_BRACKET = re.compile(r"(\\*)([\[\]])")


def plain_brackets(text: str) -> str:
    """Escape literal square brackets (and backslashes right before them) in plain text.

    SARIF 2.1.0 section 3.11.6: plain-text messages may carry embedded links `[text](n)`,
    so literal brackets must be escaped; our own plain text forms no links, so every
    bracket here came from the SBOM and must never become a link."""
    return _BRACKET.sub(lambda m: m.group(1) * 2 + "\\" + m.group(2), text)


class _Place:
    """Where results point: the positions found in the SBOM files and the name of
    standard input."""

    def __init__(self, options: RenderOptions) -> None:
        self.positions = options.positions
        self.stdin_name = options.stdin_name

    def artifact(self, key: str) -> dict[str, Any]:
        return artifact_location(key, self.stdin_name)

    def region(self, finding: Finding) -> dict[str, int]:
        """The component's line and column; the reader's line without a column where no
        position was found; line 1 where neither is known."""
        position = self.positions.get(finding.id)
        if position is not None:
            region = {"startLine": position.line}
            if position.column is not None:
                region["startColumn"] = position.column
            return region
        line = finding.component.line
        return {"startLine": line if line is not None and line > 0 else 1}


def _result(
    finding: Finding,
    outcomes: tuple[RuleOutcome, ...],
    rule_index: int,
    place: _Place,
    *,
    judged: bool = True,
) -> dict[str, Any]:
    chosen = worst(outcomes)
    assert chosen is not None  # NOTE: callers only pass non-empty groups
    comp = finding.component
    artifact = place.artifact(comp.document)
    region = place.region(finding)
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
        related = finding.paths[:MAX_RELATED_LOCATIONS]
        result["relatedLocations"] = [
            {
                "id": n,
                "physicalLocation": {"artifactLocation": artifact, "region": region},
                "message": {"text": path_line(path)},
            }
            for n, path in enumerate(related, 1)
        ]
        if len(finding.paths) > len(related):
            result["properties"]["relatedLocationsOmitted"] = len(finding.paths) - len(related)
    if chosen.waived:
        result["suppressions"] = [_suppression(chosen)]
    return result


def _results(report: Report, index: dict[str, int], place: _Place) -> list[dict[str, Any]]:
    results = []
    for finding in report.findings:
        if not finding.rules:
            results.append(_unjudged(finding, index[TECHNOLOGY_RULE], place))
            continue
        groups: dict[str, list[RuleOutcome]] = {}
        for outcome in applicable(finding):
            groups.setdefault(outcome.id, []).append(outcome)
        results.extend(
            _result(finding, tuple(groups[rule_id]), index[rule_id], place)
            for rule_id in sorted(groups)
        )
    return results


def _rules(report: Report) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """`tool.driver.rules` and the index of each rule id in it."""
    infos = rules_seen(report)
    confidences: dict[str, list[Confidence]] = {}
    for finding in report.findings:
        for rule_id in {o.id for o in finding.rules} or {TECHNOLOGY_RULE}:
            confidences.setdefault(rule_id, []).append(finding.confidence)
    index = {info.id: i for i, info in enumerate(infos)}
    rules = [_rule(info, confidences[info.id]) for info in infos]
    unjudged = [f for f in report.findings if not f.rules]
    if unjudged:
        index[TECHNOLOGY_RULE] = len(rules)
        severity = max((_unjudged_severity(f) for f in unjudged), key=lambda s: s.rank)
        rules.append(_technology_rule(severity, confidences[TECHNOLOGY_RULE]))
    return rules, index


_LEVEL_RANK = {"error": 3, "warning": 2, "note": 1, "none": 0}


def _keep_order(results: Sequence[dict[str, Any]]) -> list[int]:
    """Result indexes, most important first: unsuppressed, then by level; ties keep the
    report's order (the order GitHub's own display limit prefers, too)."""
    return sorted(
        range(len(results)),
        key=lambda i: ("suppressions" in results[i], -_LEVEL_RANK[results[i]["level"]], i),
    )


def _kept(results: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """The `limit` most important results, in the report's order."""
    if len(results) <= limit:
        return results
    keep = sorted(_keep_order(results)[:limit])
    return [results[i] for i in keep]


def sarif_log(
    report: Report, options: RenderOptions = DEFAULT_RENDER_OPTIONS, *, command: str = "scan"
) -> dict[str, Any]:
    """The SARIF log as a dict (one run), with at most `MAX_RESULTS` results; `command`
    names the analysis in `automationDetails.id` (`automation_id`)."""
    return _log(report, options, MAX_RESULTS, command)


def _log(report: Report, options: RenderOptions, limit: int, command: str) -> dict[str, Any]:
    rules, index = _rules(report)
    place = _Place(options)
    results = _results(report, index, place)
    kept = _kept(results, limit)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "sbomcheck",
                "fullName": f"sbomcheck {report.tool_version}: Kaspersky technology in SBOMs",
                "version": report.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "automationDetails": {
            "id": automation_id(report.profile, options.category, command=command)
        },
        "columnKind": "utf16CodeUnits",
        "artifacts": [
            {
                "location": place.artifact(doc.path),
                "hashes": {"sha-256": doc.sha256},
                "properties": {"format": doc.format, "specVersion": doc.spec_version},
            }
            for doc in report.documents
        ],
        "results": kept,
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
    if len(kept) < len(results):
        _note_capped(run, len(results), len(kept), limit)
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _note_capped(run: dict[str, Any], total: int, kept: int, limit: int) -> None:
    """Say in the run that results were left out, and why."""
    why = (
        f"GitHub code scanning accepts at most {MAX_RESULTS:,} results per run"
        if limit == MAX_RESULTS
        else f"GitHub code scanning accepts at most {MAX_UPLOAD_BYTES // 2**20} MB of "
        "gzip-compressed SARIF"
    )
    text = (
        f"{total - kept:,} of {total:,} results left out: {why}. The most severe "
        "unsuppressed results were kept; the JSON report (--format json) lists every finding."
    )
    run["properties"]["resultsOmitted"] = {"total": total, "kept": kept, "reason": why}
    run["invocations"] = [
        {
            "executionSuccessful": True,
            "toolExecutionNotifications": [
                {
                    "descriptor": {"id": "sbomcheck/results-capped"},
                    "level": "warning",
                    "message": {"text": text},
                }
            ],
        }
    ]


def render_sarif(
    report: Report,
    options: RenderOptions = DEFAULT_RENDER_OPTIONS,
    *,
    command: str = "scan",
    amend: Callable[[dict[str, Any]], None] | None = None,
) -> str:
    """The SARIF text: at most `MAX_RESULTS` results and, where that would be over GitHub's
    upload limit gzip-compressed, the most important results that fit under it.

    `command` names the analysis (`automation_id`); `amend(log)`, when given, completes each
    log in place before it is measured (`audit` adds its products and unreadable inputs),
    so what it adds counts towards the limit too."""
    limit = MAX_RESULTS
    while True:
        log = _log(report, options, limit, command)
        if amend is not None:
            amend(log)
        text = dumps(log)
        # NOTE: text under the limit is under it compressed too; only a large log pays
        # for compressing it.
        if len(text) <= _UPLOAD_TARGET:
            return text
        size = len(gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0))
        shown = len(log["runs"][0]["results"])
        if size <= _UPLOAD_TARGET or shown == 0:
            return text
        limit = min(shown - 1, shown * _UPLOAD_TARGET // size * 9 // 10)


class SarifFormatter(Formatter):
    """`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers."""

    uses_positions = True

    def render(self, report: Report, options: RenderOptions = DEFAULT_RENDER_OPTIONS) -> str:
        """The report as a SARIF log (JSON, sorted keys, byte-stable)."""
        return render_sarif(report, options)
