"""Helpers shared by the human- and CI-facing formatters (text, markdown, SARIF, JUnit).

Everything taken from an SBOM is untrusted: `visible()` (from `sbomcheck.safe_text`, the one
escaping helper of every output) turns control and invisible formatting characters into
printable escapes before any formatter lays the text out, so a name cannot move a terminal
cursor, reorder text (bidi overrides) or break an XML document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from sbomcheck.findings import (
    PATH_COUNT_CAP,
    Completeness,
    Finding,
    Report,
    RuleOutcome,
    RuleStatus,
    Severity,
)
from sbomcheck.safe_text import visible as visible  # re-exported for the formatters

INFORMATION_URI = "https://sbomcheck.dev/"
"""Where the tool is documented (SARIF `tool.driver.informationUri`)."""

TECHNOLOGY_RULE = "kaspersky-technology"
"""Pseudo-rule for findings no policy rule judged (no outcomes at all), and the JUnit test
case of a document in which nothing was found: a finding is never silently dropped."""
TECHNOLOGY_TITLE = "Kaspersky technology in the product"

# NOTE: CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that
# can start markup in GFM: emphasis, code, links/images, HTML and autolinks (`<`, `:`, `@`,
# `.` for www./http:// and e-mail autolinks), entities (`&`), tables (`|`), strikethrough.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#!|&~:@.])")
MD_BACKTICKS = re.compile(r"`+")
_MD_PIPE = re.compile(r"(\\*)\|")


def md_text(value: str | None) -> str:
    """Untrusted prose, escaped so it renders as the literal characters."""
    return _MD_SPECIAL.sub(r"\\\1", visible(value))


def _md_escape_pipe(match: re.Match[str]) -> str:
    # NOTE: GFM splits table rows before parsing inlines, pairing each backslash with the
    # next character; a pipe is a cell separator unless an odd run of backslashes precedes
    # it. Code spans then drop one backslash per `\|`, so an even run stays exact and an odd
    # run shows one extra backslash: a rare cosmetic cost for a cell that cannot be split.
    slashes = match.group(1)
    return slashes + ("\\" if len(slashes) % 2 == 0 else "\\\\") + "|"


def md_code(value: str | None, *, table: bool = False) -> str:
    """Untrusted identifier as a code span (`-` when empty); `table` escapes `|` for GFM
    table cells, where the pipe splits cells even inside code spans."""
    shown = visible(value)
    if not shown:
        return "-"
    longest = max((len(m) for m in MD_BACKTICKS.findall(shown)), default=0)
    fence = "`" * (longest + 1)
    # NOTE: CommonMark strips one space from each side when both are present, so padding
    # lets a value start or end with a backtick without merging into the fence.
    pad = " " if shown.startswith(("`", " ")) or shown.endswith(("`", " ")) else ""
    if table:
        shown = _MD_PIPE.sub(_md_escape_pipe, shown)
    return f"{fence}{pad}{shown}{pad}{fence}"


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 finding`, `2 findings` (`many` for irregular plurals)."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def display_name(finding: Finding) -> str:
    """`name version` of the flagged component (made visible), or its ref when unnamed."""
    comp = finding.component
    name = visible(comp.name) or visible(comp.ref)
    return f"{name} {visible(comp.version)}" if comp.version else name


def evidence_line(finding: Finding, index: int) -> str:
    """`field = value ~ alias (kind, confidence)` for evidence `index` of `finding`."""
    ev = finding.evidence[index]
    return (
        f"{visible(ev.field)} = {visible(ev.value)} ~ {visible(ev.alias)} "
        f"({visible(ev.kind)}, {visible(ev.confidence)})"
    )


def path_line(path: Iterable[str], sep: str = " -> ") -> str:
    """One path from a root to the component, refs made visible."""
    return sep.join(visible(ref) for ref in path)


_Trie = dict[str, "_Trie"]
"""Paths merged by prefix: each visible ref maps to the refs that follow it."""


def tree_rows(
    paths: Iterable[Sequence[str]], *, max_depth: int | None = None
) -> list[tuple[str, str]]:
    """Paths merged by common prefix, as (drawing, label) rows of a box-drawing tree.

    Each root is a row with an empty drawing; below it `├── `, `└── ` and `│   `. Labels
    are visible refs. Order follows the paths (the graph stage sorts them shortest first).
    With `max_depth`, rows deeper than that many levels below the root stop indenting and
    their label starts with `[level N] ` instead, so a 2,000-deep chain still fits a line.
    """
    roots: _Trie = {}
    for path in paths:
        level = roots
        for ref in path:
            level = level.setdefault(visible(ref) or "(empty ref)", {})
    rows: list[tuple[str, str]] = []
    # NOTE: an explicit stack, not recursion: dependency chains can be thousands deep.
    # Each frame is (siblings, index of the next one, drawing prefix, depth).
    stack: list[tuple[list[tuple[str, _Trie]], int, str, int]] = []
    for label, children in roots.items():
        rows.append(("", label))
        stack.append((list(children.items()), 0, "", 1))
        while stack:
            items, i, prefix, depth = stack.pop()
            if i >= len(items):
                continue
            stack.append((items, i + 1, prefix, depth))
            child, grandchildren = items[i]
            last = i == len(items) - 1
            capped = max_depth is not None and depth > max_depth
            rows.append(
                (
                    prefix + ("└── " if last else "├── "),
                    f"[level {depth}] {child}" if capped else child,
                )
            )
            if grandchildren:
                grow = max_depth is None or depth < max_depth
                deeper = prefix + ("    " if last else "│   ") if grow else prefix
                stack.append((list(grandchildren.items()), 0, deeper, depth + 1))
    return rows


def path_count(shown: int, total: int) -> str:
    """How many paths a finding lists against how many exist: `3`, `20 of 57`,
    `20 of at least 1,000,000,000` (the count saturates at `PATH_COUNT_CAP`) or
    `5 shown, total not counted` (-1)."""
    if total == -1:
        return f"{shown} shown, total not counted"
    if total >= PATH_COUNT_CAP:
        return f"{shown} of at least {PATH_COUNT_CAP:,}"
    if total > shown:
        return f"{shown} of {total:,}"
    return f"{shown:,}"


def effective_date(outcome: RuleOutcome) -> str:
    """The date part of the milestone's effective date-time (`2024-09-29`)."""
    return outcome.effective[:10]


def status_phrase(outcome: RuleOutcome) -> str:
    """`in force since 2024-09-29`, `in force from 2027-01-01` or `not applicable`."""
    if outcome.status is RuleStatus.IN_FORCE:
        return f"in force since {effective_date(outcome)}"
    if outcome.status is RuleStatus.UPCOMING:
        return f"in force from {effective_date(outcome)}"
    return "not applicable"


def applicable(finding: Finding) -> tuple[RuleOutcome, ...]:
    """The outcomes of `finding` that are in force or upcoming (not `not-applicable`)."""
    return tuple(r for r in finding.rules if r.status is not RuleStatus.NOT_APPLICABLE)


_NOT_APPLICABLE_KINDS = (
    ("not this profile", "Not for this profile"),
    ("out of scope", "Out of scope"),
    ("excluded product class", "Excluded product class"),
)
"""(reason prefix the policy stage writes, heading) for outcomes that are not applicable."""


def not_applicable_groups(finding: Finding) -> list[tuple[str, str]]:
    """The not-applicable outcomes of `finding` grouped by why, as (heading, names) pairs:
    `("Not for this profile", "US-BOD-17-01 issued, ...")`, `("Out of scope", ...)`,
    `("Excluded product class", ...)`, then `("Not applicable", ...)` for any other reason.
    Empty groups are left out; the order is fixed so output is stable."""
    groups: dict[str, list[str]] = {}
    for r in finding.rules:
        if r.status is not RuleStatus.NOT_APPLICABLE:
            continue
        reason = r.reason.casefold()
        heading = next(
            (h for prefix, h in _NOT_APPLICABLE_KINDS if reason.startswith(prefix)),
            # NOTE: a waiver or other suffix may follow; fall back to "contains".
            next((h for prefix, h in _NOT_APPLICABLE_KINDS if prefix in reason), "Not applicable"),
        )
        groups.setdefault(heading, []).append(f"{visible(r.id)} {visible(r.milestone)}")
    order = [h for _, h in _NOT_APPLICABLE_KINDS] + ["Not applicable"]
    return [(h, ", ".join(groups[h])) for h in order if h in groups]


def fails(outcome: RuleOutcome) -> bool:
    """True for an outcome that fails the scan: in force, not waived, severity error."""
    return (
        outcome.status is RuleStatus.IN_FORCE
        and not outcome.waived
        and outcome.severity is Severity.ERROR
    )


def worst(outcomes: Iterable[RuleOutcome]) -> RuleOutcome | None:
    """The outcome that weighs most: highest severity, then in force before upcoming, then
    unwaived before waived, then earliest milestone (a total order, so output is stable)."""
    order = {RuleStatus.IN_FORCE: 0, RuleStatus.UPCOMING: 1, RuleStatus.NOT_APPLICABLE: 2}
    ranked = sorted(
        outcomes,
        key=lambda r: (-r.severity.rank, order[r.status], r.waived, r.effective, r.milestone),
    )
    return ranked[0] if ranked else None


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleInfo:
    """What the report says about one rule id, gathered over every finding."""

    id: str
    title: str
    source: str
    milestones: tuple[RuleOutcome, ...]
    """One outcome per milestone id (the first seen), ordered by effective date."""

    @property
    def severity(self) -> Severity:
        """The highest severity any finding got for this rule."""
        return max((m.severity for m in self.milestones), key=lambda s: s.rank)


def rules_seen(report: Report) -> tuple[RuleInfo, ...]:
    """Every rule id appearing in any finding's outcomes, sorted by id."""
    by_id: dict[str, dict[str, RuleOutcome]] = {}
    worst_severity: dict[tuple[str, str], RuleOutcome] = {}
    for finding in report.findings:
        for outcome in finding.rules:
            key = (outcome.id, outcome.milestone)
            by_id.setdefault(outcome.id, {}).setdefault(outcome.milestone, outcome)
            seen = worst_severity.get(key)
            if seen is None or outcome.severity.rank > seen.severity.rank:
                worst_severity[key] = outcome
    infos = []
    for rule_id in sorted(by_id):
        milestones = tuple(
            sorted(
                (worst_severity[(rule_id, m)] for m in by_id[rule_id]),
                key=lambda r: (r.effective, r.milestone),
            )
        )
        # NOTE: the title and source of a rule come from its earliest milestone: all
        # milestones of one rule share the same instrument, and a fixed choice keeps
        # the output byte-stable.
        first = milestones[0]
        infos.append(
            RuleInfo(id=rule_id, title=first.title, source=first.source, milestones=milestones)
        )
    return tuple(infos)


def findings_of(report: Report, document: str) -> tuple[Finding, ...]:
    """The findings whose component is declared in `document` (by path)."""
    return tuple(f for f in report.findings if f.component.document == document)


def document_keys(report: Report) -> tuple[str, ...]:
    """Document paths in report order, then any document only findings name (so nothing
    found is ever dropped because its document summary is missing)."""
    keys = [d.path for d in report.documents]
    known = set(keys)
    for finding in report.findings:
        if finding.component.document not in known:
            known.add(finding.component.document)
            keys.append(finding.component.document)
    return tuple(keys)


def confidence_counts(findings: Iterable[Finding]) -> Iterator[tuple[str, int]]:
    """(`confirmed`, n), (`likely`, n), (`possible`, n) for the non-zero counts, surest first."""
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.confidence.value] = counts.get(finding.confidence.value, 0) + 1
    for name in ("confirmed", "likely", "possible"):
        if counts.get(name):
            yield name, counts[name]


def percent(fraction: float) -> str:
    """`75%` (rounded to a whole percent)."""
    return f"{round(fraction * 100)}%"


def waiver_text(report: Report) -> Iterator[str]:
    """One line per waiver use: `waiver 0 (waivers.toml): kav-sdk, until 2026-03-01, ...`."""
    for use in report.waivers:
        w = use.waiver
        target = ", ".join(
            f"{label} {visible(value)}"
            for label, value in (
                ("name", w.name),
                ("purl", w.purl),
                ("ref", w.ref),
                ("alias", w.alias),
                ("version", w.version),
                ("rule", w.rule),
            )
            if value
        )
        state = "expired" if use.expired else ("unused" if not use.matched else "used")
        where = f" ({visible(w.source)})" if w.source else ""
        ticket = f", ticket {visible(w.ticket)}" if w.ticket else ""
        yield (
            f"waiver {w.index}{where}: {target or 'any'}; {state}, "
            f"{plural(len(use.matched), 'finding')}; expires {visible(w.expires)}; "
            f"approved by {visible(w.approver)}{ticket}: {visible(w.reason)}"
        )


CONFIDENCE_MEANING = {
    "confirmed": "an exact identifier or Kaspersky's legal name matched",
    "likely": "matched after normalising the name, or via another vendor's OEM brand",
    "possible": "a single weak hint: it warns, never fails",
}
"""What each confidence word means, in words a reader knows (`sbomcheck.findings.Confidence`)."""


def short_title(outcome: RuleOutcome) -> str:
    """The rule's plain name (`US Commerce ban on Kaspersky software`), made visible; its
    title when the rules data gives none."""
    return visible(outcome.short_title or outcome.title)


def url_label(url: str) -> str:
    """The host of `url` without `www.` (`federalregister.gov`), made visible: a short label
    for a source whose full URL is in the details and the JSON; `url` itself when it has
    no host."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        host = ""
    return visible(host.removeprefix("www.") or url)


def completeness_sentence(
    completeness: Completeness,
    documents: int,
    escape: Callable[[str | None], str] = visible,
) -> str:
    """What the completeness measures mean for the verdict, in words that hold whatever the
    verdict: `The SBOM lists enough identity data to rely on.`, or why it is not complete
    enough to show that Kaspersky technology is absent (reasons passed through `escape`)."""
    subject = "The SBOMs list" if documents > 1 else "The SBOM lists"
    if completeness.sufficient:
        return f"{subject} enough identity data to rely on."
    noun = "The SBOMs are" if documents > 1 else "The SBOM is"
    reasons = "; ".join(escape(r) for r in completeness.reasons)
    return f"{noun} not complete enough to show that Kaspersky technology is absent" + (
        f": {reasons}." if reasons else "."
    )
