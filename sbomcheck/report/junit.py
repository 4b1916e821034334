"""`--format junit`: JUnit XML for GitLab, Jenkins and other CI test reports.

`<testsuites>` holds one `<testsuite>` per SBOM document, and each suite one `<testcase
classname="<sbom path>" name="<rule id>">` per rule that judged a finding of that document:

- `<failure>` when an outcome is in force, not waived and of severity error (what makes the
  verdict fail), carrying each such finding's evidence and paths;
- `<skipped>` when every outcome of the rule there is not applicable to the profile;
- otherwise the case passes; waived, upcoming and advisory outcomes are listed in its
  `<system-out>` as warnings.

A document with no findings gets one passing case, `kaspersky-technology`, saying nothing
was found (and whether the SBOMs are complete enough for that to mean absence). A finding
no rule judged fails that same case, so nothing found is ever reported as a pass.

`audit --format junit` builds its document from the same pieces (`report_suites`,
`add_suite`, `finish`: `sbomcheck.audit.exports`), adding for each unreadable input a suite
whose one case holds an `<error>`.

What the clients read (docs/ci.md): the document is valid against the Jenkins xunit plugin's
JUnit schema (`junit-10.xsd`, vendored in tests/assets/clients/), which rejects the whole file
for one attribute it does not know: so `<testsuites>` carries no `skipped` count (each
`<testsuite>` does), and the SBOM's path is the suite's `file` (left out for standard input),
not the test case's, which that schema forbids. Every suite and case has `time="0"`: the
library never reads the clock, and the output stays byte-stable. GitLab shows the text of a
`<failure>` or `<skipped>` element and drops its `message` attribute, so the text starts with
the message and then gives the evidence.

Built with lxml (never by string concatenation); every string from an SBOM passes through
`visible()`, so characters XML 1.0 forbids cannot break the document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from sbomcheck.findings import Finding, Report, RuleOutcome, RuleStatus
from sbomcheck.report._common import (
    TECHNOLOGY_RULE,
    display_name,
    document_keys,
    evidence_line,
    fails,
    findings_of,
    path_count,
    path_line,
    plural,
    status_phrase,
    visible,
)
from sbomcheck.report.interface import DEFAULT_RENDER_OPTIONS, Formatter, RenderOptions

__all__ = ["Case", "JunitFormatter", "add_suite", "finish", "report_suites"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Case:
    """One test case before it becomes XML."""

    name: str
    failure: tuple[str, str, str] | None = None
    """(message, type, text)."""
    error: tuple[str, str, str] | None = None
    """(message, type, text): the case could not be run (`audit`: an unreadable SBOM)."""
    skipped: str | None = None
    out: tuple[str, ...] = ()


def _outcome_line(finding: Finding, outcome: RuleOutcome) -> str:
    waived = ""
    if outcome.waived:
        w = outcome.waiver
        waived = (
            f"; waived by waiver {w.index} until {visible(w.expires)} ({visible(w.reason)})"
            if w is not None
            else "; waived"
        )
    return (
        f"{display_name(finding)} ({visible(finding.canonical)}): {visible(outcome.id)} "
        f"{visible(outcome.milestone)} {status_phrase(outcome)}, severity "
        f"{outcome.severity.value}{waived}"
    )


def _detail(finding: Finding, outcome: RuleOutcome | None) -> str:
    """A finding's identity, the outcome, its evidence and its paths, as plain lines."""
    comp = finding.component
    where = " ".join(p for p in (visible(comp.document), visible(comp.location)) if p)
    if comp.line is not None:
        where += f" (line {comp.line})"
    lines = [
        f"{display_name(finding)}: {visible(finding.canonical)} ({finding.confidence.value})",
        f"  ref: {visible(comp.ref)}",
        f"  in: {where}",
    ]
    if comp.purl:
        lines.append(f"  purl: {visible(comp.purl)}")
    if comp.supplier:
        lines.append(f"  supplier: {visible(comp.supplier)}")
    if outcome is not None:
        lines.append(
            f"  rule: {visible(outcome.id)} {visible(outcome.milestone)}, "
            f"{status_phrase(outcome)}"
            + (
                f" ({visible(outcome.reason)})"
                if outcome.reason and outcome.reason != status_phrase(outcome)
                else ""
            )
        )
        if outcome.source:
            lines.append(f"  source: {visible(outcome.source)}")
    lines.append("  evidence:")
    lines += [f"    {evidence_line(finding, i)}" for i in range(len(finding.evidence))]
    lines.append(f"  paths ({path_count(len(finding.paths), finding.paths_total)}):")
    lines += [f"    {path_line(p)}" for p in finding.paths] or ["    (none)"]
    if finding.introduced_via:
        lines.append("  introduced via: " + ", ".join(visible(r) for r in finding.introduced_via))
    return "\n".join(lines)


def _rule_case(rule_id: str, judged: Sequence[tuple[Finding, RuleOutcome]]) -> Case:
    failing = [(f, o) for f, o in judged if fails(o)]
    warnings = tuple(
        _outcome_line(f, o)
        for f, o in judged
        if not fails(o) and o.status is not RuleStatus.NOT_APPLICABLE
    )
    if failing:
        first = failing[0][1]
        count = len({f.id for f, _ in failing})
        message = (
            f"{plural(count, 'finding')} {'breaks' if count == 1 else 'break'} "
            f"{visible(rule_id)} ({visible(first.milestone)}, {status_phrase(first)})"
        )
        text = "\n\n".join(_detail(f, o) for f, o in failing)
        return Case(name=rule_id, failure=(message, first.severity.value, text), out=warnings)
    if all(o.status is RuleStatus.NOT_APPLICABLE for _, o in judged):
        reasons = sorted({visible(o.reason) for _, o in judged if o.reason})
        return Case(
            name=rule_id,
            skipped="not applicable" + (f": {'; '.join(reasons)}" if reasons else ""),
        )
    return Case(name=rule_id, out=warnings)


def _cases(report: Report, document: str) -> list[Case]:
    findings = findings_of(report, document)
    by_rule: dict[str, list[tuple[Finding, RuleOutcome]]] = {}
    for finding in findings:
        for outcome in finding.rules:
            by_rule.setdefault(outcome.id, []).append((finding, outcome))
    cases = [_rule_case(rule_id, by_rule[rule_id]) for rule_id in sorted(by_rule)]
    unjudged = [f for f in findings if not f.rules]
    if unjudged:
        cases.append(
            Case(
                name=TECHNOLOGY_RULE,
                failure=(
                    f"{plural(len(unjudged), 'finding')} no policy rule judged",
                    "finding",
                    "\n\n".join(_detail(f, None) for f in unjudged),
                ),
            )
        )
    if not findings:
        out = [f"No Kaspersky technology found in {visible(document)}."]
        c = report.completeness
        if c is not None and not c.sufficient:
            out.append(
                "The SBOMs are not complete enough to show absence: "
                + "; ".join(visible(r) for r in c.reasons)
            )
        cases.append(Case(name=TECHNOLOGY_RULE, out=tuple(out)))
    return cases


STDIN = "-"
"""The document name of standard input: no file to point at."""

NO_TIME = "0"
"""Every `time`: nothing is timed (no clock is read), and the output stays byte-stable."""


def _counts(element: etree._Element, cases: Sequence[Case], *, skipped: bool) -> None:
    element.set("tests", str(len(cases)))
    element.set("failures", str(sum(1 for c in cases if c.failure)))
    element.set("errors", str(sum(1 for c in cases if c.error)))
    # NOTE: the Jenkins xunit schema allows `skipped` on <testsuite> only; on <testsuites>
    # it rejects the whole file.
    if skipped:
        element.set("skipped", str(sum(1 for c in cases if c.skipped is not None)))
    element.set("time", NO_TIME)


def report_suites(root: etree._Element, report: Report) -> list[Case]:
    """Add one `<testsuite>` per SBOM document of `report` to `root` (a `<testsuites>`),
    each with the report's verdict, date and profile as properties; returns their cases
    (for the counts on `root`, `finish`)."""
    every: list[Case] = []
    docs = {d.path: d for d in report.documents}
    for key in document_keys(report):
        doc = docs.get(key)
        properties = (
            ("verdict", report.verdict.value),
            ("as_of", report.as_of),
            ("profile", report.profile),
            ("tool_version", report.tool_version),
            ("format", doc.format if doc else ""),
            ("sha256", doc.sha256 if doc else ""),
        )
        cases = _cases(report, key)
        add_suite(root, key, cases, properties)
        every += cases
    return every


def add_suite(
    root: etree._Element,
    key: str,
    cases: Sequence[Case],
    properties: Sequence[tuple[str, str]],
) -> None:
    """One `<testsuite>` for the SBOM `key` (`file` is its path, left out for standard
    input) with these properties and cases."""
    suite = etree.SubElement(root, "testsuite", name=visible(key))
    _counts(suite, cases, skipped=True)
    if key != STDIN:
        suite.set("file", visible(key))
    props = etree.SubElement(suite, "properties")
    for name, value in properties:
        etree.SubElement(props, "property", name=name, value=visible(value))
    for case in cases:
        element = etree.SubElement(
            suite, "testcase", classname=visible(key), name=visible(case.name)
        )
        element.set("time", NO_TIME)
        if case.failure is not None:
            message, kind, text = case.failure
            failure = etree.SubElement(element, "failure", message=message, type=kind)
            # NOTE: GitLab shows the element's text and drops the attribute.
            failure.text = f"{message}\n\n{text}"
        if case.error is not None:
            message, kind, text = case.error
            error = etree.SubElement(element, "error", message=message, type=kind)
            error.text = f"{message}\n\n{text}" if text else message
        if case.skipped is not None:
            skipped = etree.SubElement(element, "skipped", message=case.skipped)
            skipped.text = case.skipped
        if case.out:
            out = etree.SubElement(element, "system-out")
            out.text = "\n".join(case.out)


def finish(root: etree._Element, cases: Sequence[Case]) -> str:
    """`root`'s counts over every case of its suites, then the document as text (UTF-8,
    with declaration, byte-stable)."""
    _counts(root, cases, skipped=False)
    xml: bytes = etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")
    return xml.decode("utf-8")


class JunitFormatter(Formatter):
    """`--format junit`: one test suite per SBOM, one test case per (SBOM, rule)."""

    def render(self, report: Report, options: RenderOptions = DEFAULT_RENDER_OPTIONS) -> str:
        """The report as JUnit XML (UTF-8, with declaration, byte-stable)."""
        root = etree.Element("testsuites", name="sbomcheck")
        return finish(root, report_suites(root, report))
