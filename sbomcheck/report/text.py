"""`--format text`: the report for a terminal, fitted to its width.

Two views. The default is short, for a CI log or a first look: the verdict; why, one entry
per rule that decides it (its id with its plain title, what it does to how many findings,
the source's site); one table row per finding (component, version, confidence, severity,
the rule it breaks, how it enters the product); what the confidence words mean; a hint.
`RenderOptions.details` adds the full record after it: the verdict's reasons, the documents,
per finding its identity, evidence, paths drawn as a tree and rule outcomes, every rule with
its sources, the rules that do not apply (grouped by why, counted), unresolved references,
completeness and waivers.

Every line fits `RenderOptions.width` (at least 40 columns). Prose wraps; table columns
share the width they are given, shortening names with an ellipsis (the details show them
whole); a word longer than a line (a URL, a ref) is broken after a `/` or other separator
rather than cut. A rule id comes with its plain title the first time it is named. ANSI
colour, only with `RenderOptions.color`, marks the verdict word, severities and confidence
words, and goes in after layout; every string from the SBOM passes through `visible()`
first, so it cannot carry terminal escapes.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from sbomcheck.findings import (
    Confidence,
    Finding,
    Report,
    RuleOutcome,
    RuleStatus,
    Severity,
    Verdict,
)
from sbomcheck.report._common import (
    CONFIDENCE_MEANING,
    completeness_sentence,
    confidence_counts,
    display_name,
    evidence_line,
    fails,
    path_count,
    percent,
    plural,
    short_title,
    tree_rows,
    url_label,
    visible,
    waiver_text,
)
from sbomcheck.report.interface import DEFAULT_RENDER_OPTIONS, Formatter, RenderOptions

__all__ = [
    "Column",
    "TextFormatter",
    "fill",
    "fit_line",
    "shorten_middle",
    "summary_line",
    "table_lines",
]

_MIN_WIDTH = 40
_MAX_TREE_DEPTH = 8
"""Levels a path tree indents before it marks depth as `[level N]` instead."""
_TREE_LABEL_ROOM = 24
"""Columns a tree label keeps at the deepest indent, so the cap shrinks on narrow widths."""
_MAX_WORD_LINES = 8
"""Lines one overlong word (a 100,000-character name) may take in the details; beyond them
it is cut with an ellipsis and the count of characters left out (the JSON has it whole)."""
_ELLIPSIS = "…"
_BREAK_AFTER = "/?&#=-_.:,;+@)]"
"""Characters after which an overlong word (URL, purl, ref) is preferably broken."""
_SHORT_WARNINGS = 3
"""Rules that only warn, shown one by one in the short view of a report that does not fail."""

_RESET = "\x1b[0m"
_VERDICT_COLOR = {
    Verdict.FAIL: "\x1b[1;31m",
    Verdict.WARN: "\x1b[1;33m",
    Verdict.PASS: "\x1b[1;32m",
    Verdict.INDETERMINATE: "\x1b[1;35m",
}
_SEVERITY_COLOR = {
    Severity.ERROR: "\x1b[31m",
    Severity.WARNING: "\x1b[33m",
    Severity.NOTE: "\x1b[36m",
    Severity.NONE: "\x1b[2m",
}
_CONFIDENCE_COLOR = {
    Confidence.CONFIRMED: "\x1b[1m",
    Confidence.LIKELY: "\x1b[33m",
    Confidence.POSSIBLE: "\x1b[2m",
}

# NOTE: layout runs on marked-up text: `_START` + an ANSI code opens a coloured span and
# `_END` closes it; widths skip the marks, and `_finish` turns them into colour or removes
# them. Text from an SBOM cannot forge a mark: `visible()` escapes every control character.
_START = "\x0e"
_END = "\x0f"
_MARKS = re.compile(r"\x0e\x1b\[[0-9;]*m|\x0f")


def summary_line(report: Report) -> str:
    """One line for stderr: `FAIL: 1 finding (1 confirmed) in 1 document; as of 2026-01-15,
    profile vendor`."""
    findings = report.findings
    if findings:
        parts = [f"{n} {name}" for name, n in confidence_counts(findings)]
        waived = sum(1 for f in findings if f.waived)
        detail = ", ".join(parts)
        if waived:
            detail += f"; {waived} waived"
        found = f"{plural(len(findings), 'finding')} ({detail})"
    else:
        found = "no findings"
    unresolved = (
        f", {plural(len(report.unresolved_references), 'unresolved reference')}"
        if report.unresolved_references
        else ""
    )
    return (
        f"{report.verdict.value.upper()}: {found} in "
        f"{plural(len(report.documents), 'document')}{unresolved}; "
        f"as of {report.as_of}, profile {report.profile}"
    )


# --- layout -----------------------------------------------------------------------------


def _mark(text: str, code: str) -> str:
    """`text` marked for colour `code` (applied or dropped by `_finish`)."""
    return f"{_START}{code}{text}{_END}" if text else text


def _width(text: str) -> int:
    """Columns `text` takes on screen (marks excluded)."""
    return len(_MARKS.sub("", text)) if _START in text else len(text)


def _truncate(text: str, width: int) -> str:
    """`text` cut to `width` characters, ending in an ellipsis when cut."""
    if len(text) <= width:
        return text
    if width <= 1:
        return _ELLIPSIS[:width]
    return text[: width - 1] + _ELLIPSIS


def _pieces(word: str, first: int, rest: int) -> list[str]:
    """`word` broken into pieces of at most `first`, then `rest` characters, each ending
    after a separator (`/`, `-`, ...) when one falls in the second half of its room."""
    pieces: list[str] = []
    room = first
    while len(word) > room:
        cut = max(word.rfind(c, room // 2, room) for c in _BREAK_AFTER)
        cut = cut + 1 if cut >= 0 else room
        pieces.append(word[:cut])
        word = word[cut:]
        room = rest
    pieces.append(word)
    return pieces


def _fill(text: str, width: int, indent: int, hang: int) -> list[str]:
    """`text` wrapped to `width` columns: the first line indented by `indent`, the others by
    `indent + hang`; words are never split unless longer than a line (then broken, see
    `_pieces`, and cut after `_MAX_WORD_LINES` lines with an ellipsis and a count)."""
    lead, rest = " " * indent, " " * (indent + hang)
    room = max(width - len(rest), 8)
    lines: list[str] = []
    line, used = lead, False
    words = deque(text.split())
    while words:
        word = words.popleft()
        size = _width(word)
        if _width(line) + (1 if used else 0) + size <= width:
            line += (" " if used else "") + word
            used = True
            continue
        if used:
            lines.append(line)
            line, used = rest, False
            if len(line) + size <= width:
                line += word
                used = True
                continue
        limit = room * _MAX_WORD_LINES
        if size > limit:
            words.extendleft(reversed(f"(+{size - limit + 1:,} characters)".split()))
            word = word[: limit - 1] + _ELLIPSIS
        *full, last = _pieces(word, max(width - len(line), 8), room)
        for piece in full:
            lines.append(line + piece)
            line = rest
        line += last
        used = True
    lines.append(line)
    return lines


def _finish(line: str, color: bool) -> str:
    """A laid-out line with its marks turned into ANSI colour, or removed."""
    if _START not in line and _END not in line:
        return line.rstrip()
    if color:
        return line.replace(_START, "").replace(_END, _RESET).rstrip()
    return _MARKS.sub("", line).rstrip()


class _Writer:
    """Collects lines, wrapping prose to the width; names each rule with its plain title
    the first time."""

    def __init__(self, options: RenderOptions) -> None:
        self.width = max(options.width, _MIN_WIDTH)
        self.color = options.color
        self.lines: list[str] = []
        self._named: set[str] = set()

    def blank(self) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def heading(self, title: str) -> None:
        self.blank()
        self.lines.append(title)

    def wrap(self, text: str, indent: int, hang: int = 2) -> None:
        """Prose, wrapped to the width with a hanging indent for continuation lines."""
        self.lines.extend(_fill(text, self.width, indent, hang))

    def raw(self, line: str) -> None:
        self.lines.append(line)

    def rule(self, outcome: RuleOutcome) -> str:
        """The rule's id, with its plain title the first time (`US-ICTS-2021-002: US
        Commerce ban on Kaspersky software`), later the id alone."""
        rule_id = visible(outcome.id)
        if outcome.id in self._named:
            return rule_id
        self._named.add(outcome.id)
        title = short_title(outcome)
        if not title:
            return rule_id
        return f"{rule_id}: {title}"

    def text(self) -> str:
        return "\n".join(_finish(line, self.color) for line in _balanced(self.lines)) + "\n"


_OPENING = re.compile(r"\x0e(\x1b\[[0-9;]*m)")


def _balanced(lines: list[str]) -> list[str]:
    """The lines with a coloured span that wrapping split closed at the end of each line
    and opened again on the next, so no line leaves colour on for a log viewer."""
    out: list[str] = []
    carry = ""
    for line in lines:
        if carry:
            line = _START + carry + line
        start, end = line.rfind(_START), line.rfind(_END)
        opening = _OPENING.match(line, start) if start > end else None
        carry = opening.group(1) if opening else ""
        out.append(line + _END if opening else line)
    return out


def _severity(word: str, severity: Severity) -> str:
    return _mark(word, _SEVERITY_COLOR[severity])


def _confidence(confidence: Confidence) -> str:
    return _mark(confidence.value, _CONFIDENCE_COLOR[confidence])


@dataclass(frozen=True, slots=True)
class Column:
    """One table column: cells as plain text, shrinkable down to `minimum` characters."""

    header: str
    cells: tuple[str, ...]
    minimum: int
    styles: tuple[str, ...] = ()
    """ANSI code per cell (empty: none), applied after the cell is fitted."""
    optional: bool = False
    """Left out, before the table gives up, when the width cannot hold every column."""
    tier: int = 0
    """Columns of a lower tier grow to their natural width first (ids before names)."""
    right: bool = False
    """Aligned to the right (counts)."""
    middle: bool = False
    """Shortened in the middle (`shorten_middle`: a path keeps its file name), not at the
    end."""
    marker: str = ""
    """A prefix kept whole when a cell that starts with it is shortened (`+ ` of a linked
    SBOM's path)."""

    @property
    def natural(self) -> int:
        return max(len(self.header), *(len(c) for c in self.cells))

    def fitted(self, cell: str, width: int) -> str:
        """`cell` shortened to `width` as this column shortens."""
        if len(cell) <= width:
            return cell
        if self.marker and cell.startswith(self.marker) and width > 2 * len(self.marker):
            size = len(self.marker)
            return self.marker + self.fitted(cell[size:], width - size)
        return shorten_middle(cell, width) if self.middle else _truncate(cell, width)


_INDENT = 2
_GAP = 2


def _fit(
    columns: list[Column], width: int, indent: int = _INDENT, gap: int = _GAP
) -> tuple[list[Column], list[int]] | None:
    """The columns kept and their widths: each at least its minimum (optional columns
    dropped, last first, while that does not fit); the rest of the width goes tier by tier
    to the columns that want more, shared within a tier in proportion to what each lacks.
    None when even the minimum does not fit."""
    kept = list(columns)

    def room(cols: list[Column]) -> int:
        return width - indent - gap * (len(cols) - 1)

    while sum(min(c.natural, c.minimum) for c in kept) > room(kept):
        optional = [i for i, c in enumerate(kept) if c.optional]
        if not optional:
            return None
        del kept[optional[-1]]
    widths = [min(c.natural, c.minimum) for c in kept]
    spare = room(kept) - sum(widths)
    for tier in sorted({c.tier for c in kept}):
        members = [i for i, c in enumerate(kept) if c.tier == tier]
        wants = {i: kept[i].natural - widths[i] for i in members}
        total = sum(wants.values())
        if total <= spare:
            for i in members:
                widths[i] = kept[i].natural
            spare -= total
            continue
        shares = {i: spare * want // total for i, want in wants.items()}
        leftover = spare - sum(shares.values())
        for i in sorted(members, key=lambda i: -wants[i])[:leftover]:
            shares[i] += 1
        for i in members:
            widths[i] += shares[i]
        break
    return kept, widths


def table_lines(
    columns: Sequence[Column], width: int, *, indent: int = _INDENT, gap: int = _GAP
) -> list[str] | None:
    """The columns as a table (header first) whose lines fit `width` (see `_fit`), each
    cell shortened as its column says, colour marks still in (`_finish` turns them into
    colour or removes them); None when even the narrowest layout does not fit."""
    fitted = _fit(list(columns), width, indent, gap)
    if fitted is None:
        return None
    kept, widths = fitted

    def row(cells: Sequence[str], styles: Sequence[str]) -> str:
        parts = []
        for c, (column, cell, size) in enumerate(zip(kept, cells, widths, strict=True)):
            text = column.fitted(cell, size)
            pad = " " * (size - len(text))
            styled = _mark(text, styles[c]) if styles[c] else text
            # NOTE: the last column is not padded, so lines carry no trailing blanks.
            if column.right:
                parts.append(pad + styled)
            else:
                parts.append(styled + (pad if c < len(cells) - 1 else ""))
        return (" " * indent + (" " * gap).join(parts)).rstrip()

    lines = [row([c.header for c in kept], [""] * len(kept))]
    lines.extend(
        row([c.cells[r] for c in kept], [c.styles[r] if c.styles else "" for c in kept])
        for r in range(len(kept[0].cells))
    )
    return lines


def _table(out: _Writer, columns: list[Column]) -> bool:
    """The columns as a table in the writer's width; False (nothing written) when even the
    narrowest layout does not fit."""
    lines = table_lines(columns, out.width)
    if lines is None:
        return False
    for line in lines:
        out.raw(line)
    return True


def shorten_middle(text: str, width: int) -> str:
    """`text` cut to `width` characters by taking out its middle, so a path keeps its file
    name (`/work/prod…/vendor/sbom.cdx.json`): the end keeps the longest tail from a `/`
    that leaves the start a third of the room (up to 10 characters), or at least the file
    name when that fits."""
    if len(text) <= width:
        return text
    if width < 8:
        return _truncate(text, width)
    room = width - 1
    budget = room - min(10, room // 3)
    tail = ""
    slash = len(text)
    while (slash := text.rfind("/", 0, slash)) > 0 and len(text) - slash <= budget:
        tail = text[slash:]
    if not tail:
        name = text[text.rfind("/") :] if "/" in text else text
        tail = name if len(name) < room else text[len(text) - (room - room // 3) :]
    return text[: room - len(tail)] + _ELLIPSIS + tail


def fill(text: str, width: int, *, indent: int = 0, hang: int = 2) -> list[str]:
    """Prose wrapped to `width` columns, continuation lines indented by `hang` more than
    the first (`indent`); a word longer than a line is broken after a `/` or another
    separator, never cut short (up to a limit, then with a count of what was left out)."""
    return [line.rstrip() for line in _fill(text, max(width, _MIN_WIDTH), indent, hang)]


def _whole_words(text: str, width: int, indent: int, hang: int) -> list[str]:
    """`text` wrapped at spaces to `width`, continuation lines indented by `indent + hang`;
    a word longer than the room stays whole on a line of its own (a file name in a message
    must survive copying)."""
    lines: list[str] = []
    line, used = " " * indent, False
    for word in text.split():
        if used and len(line) + 1 + len(word) > width:
            lines.append(line)
            line, used = " " * (indent + hang), False
        line += (" " if used else "") + word
        used = True
    lines.append(line)
    return lines


def fit_line(line: str, width: int, *, hang: int = 2) -> str:
    """A one-line message (a summary, a note) as it fits `width` columns: whole when it
    fits; else broken after each `; ` that ends a clause, and a clause still too long at
    spaces, continuation lines indented by `hang`. Words are never broken: a file name
    longer than the width has a line of its own. No trailing newline."""
    width = max(width, _MIN_WIDTH)
    if len(line) <= width:
        return line
    clauses = line.split("; ")
    out: list[str] = []
    for n, clause in enumerate(clauses):
        text = clause if n == len(clauses) - 1 else clause + ";"
        if out and len(out[-1]) + 1 + len(text) <= width:
            out[-1] += " " + text
            continue
        out += _whole_words(text, width, hang if out else 0, 0 if out else hang)
    return "\n".join(out)


# --- what decides the verdict -----------------------------------------------------------

_BREAKS, _WAIVED, _UPCOMING, _WARNS = "breaks", "waived", "upcoming", "warns"
_CATEGORIES = (_BREAKS, _WAIVED, _UPCOMING, _WARNS)
"""What an applicable outcome does to its finding, weightiest first."""
_VERB = {
    _BREAKS: "broken by",
    _WAIVED: "waived for",
    _UPCOMING: "applies to",
    _WARNS: "warns about",
}


def _category(outcome: RuleOutcome) -> str:
    if fails(outcome):
        return _BREAKS
    if outcome.waived:
        return _WAIVED
    if outcome.status is RuleStatus.UPCOMING:
        return _UPCOMING
    return _WARNS


def _judged(finding: Finding) -> list[RuleOutcome]:
    """The outcomes that weigh on `finding`: applicable, with a severity."""
    return [
        o
        for o in finding.rules
        if o.status is not RuleStatus.NOT_APPLICABLE and o.severity is not Severity.NONE
    ]


def _headline(finding: Finding) -> RuleOutcome | None:
    """The outcome that says most about `finding`: weightiest category, then severity, then
    rules-file order."""
    judged = _judged(finding)
    if not judged:
        return None
    return min(
        enumerate(judged),
        key=lambda item: (_CATEGORIES.index(_category(item[1])), -item[1].severity.rank, item[0]),
    )[1]


@dataclass(frozen=True, slots=True, kw_only=True)
class _RuleEntry:
    """One rule as the verdict's why shows it: what it does to how many findings."""

    category: str
    outcome: RuleOutcome
    """The weightiest outcome of the rule in that category (its reason and source)."""
    findings: int


def _rule_entries(report: Report) -> list[_RuleEntry]:
    """Each rule that weighs on any finding, in its weightiest category, weightiest first
    (then in rules-file order)."""
    seen: dict[str, dict[str, list[tuple[int, RuleOutcome]]]] = {}
    for number, finding in enumerate(report.findings):
        for outcome in _judged(finding):
            seen.setdefault(outcome.id, {}).setdefault(_category(outcome), []).append(
                (number, outcome)
            )
    entries = []
    for by_category in seen.values():
        category = min(by_category, key=_CATEGORIES.index)
        items = by_category[category]
        weightiest = max(items, key=lambda item: item[1].severity.rank)[1]
        entries.append(
            _RuleEntry(
                category=category,
                outcome=weightiest,
                findings=len({number for number, _ in items}),
            )
        )
    order = list(seen)
    return sorted(
        entries,
        key=lambda e: (_CATEGORIES.index(e.category), order.index(e.outcome.id)),
    )


def _why(out: _Writer, report: Report, *, details: bool) -> None:
    """The verdict's why: one entry per rule that weighs on a finding (in the short view,
    rules that only warn are counted once the ones that decide are shown), findings no rule
    reaches, unused waivers; without findings, the verdict's own reasons."""
    out.heading("Why")
    if not report.findings:
        for reason in report.verdict_reasons:
            out.wrap(visible(reason), 2)
        return
    entries = _rule_entries(report)
    in_table = {o.id for o in map(_headline, report.findings) if o is not None}
    shown: list[_RuleEntry] = []
    hidden: list[_RuleEntry] = []
    for entry in entries:
        keep = (
            details
            or entry.category != _WARNS
            or entry.outcome.id in in_table
            or (report.verdict is not Verdict.FAIL and len(shown) < _SHORT_WARNINGS)
        )
        (shown if keep else hidden).append(entry)
    for entry in shown:
        o = entry.outcome
        out.wrap(out.rule(o), 2, hang=4)
        verb = _severity(f"{_VERB[entry.category]} {plural(entry.findings, 'finding')}", o.severity)
        source = f" ({url_label(o.source)})" if o.source else ""
        out.wrap(f"{verb}: {visible(o.reason)}{source}", 4)
    if hidden:
        n = len(hidden)
        out.wrap(
            f"{n} more {'rule or advisory warns' if n == 1 else 'rules and advisories warn'} "
            f"about {'this finding' if len(report.findings) == 1 else 'these findings'}; "
            "--details lists them.",
            2,
        )
    unruled = sum(1 for f in report.findings if not _judged(f))
    if unruled:
        out.wrap(
            f"{plural(unruled, 'finding')} {'is' if unruled == 1 else 'are'} Kaspersky "
            f"technology that no rule reaches for the {visible(report.profile)} profile "
            "(--fail-on warn gates on it).",
            2,
        )
    unread = sum(1 for s in report.skipped_inputs if s.may_hold_sbom)
    if unread:
        out.wrap(
            f"{plural(unread, 'input')} that may hold an SBOM "
            f"{'was' if unread == 1 else 'were'} not read; --details lists them.",
            2,
        )
    unused = [u for u in report.waivers if not u.matched]
    if unused:
        out.wrap(
            f"{plural(len(unused), 'waiver')} matched no finding "
            f"({', '.join(f'waiver {u.waiver.index}' for u in unused)}).",
            2,
        )


# --- the short view ---------------------------------------------------------------------


def _enters_via(finding: Finding) -> str:
    """How the finding enters the product: `direct`, the roots' children it comes through,
    or `-` when no path from a root reaches it."""
    via = finding.introduced_via
    if not finding.paths and not via:
        return "-"
    if not via or via == (finding.component.ref,) or all(len(p) <= 2 for p in finding.paths):
        return "direct"
    return ", ".join(visible(r) or "(empty ref)" for r in via)


def _findings_table(out: _Writer, findings: Sequence[Finding]) -> None:
    """One row per finding; on a width too narrow for a table, one wrapped line each."""
    headline = [_headline(f) for f in findings]
    columns = [
        Column("#", tuple(str(i) for i in range(1, len(findings) + 1)), 1, optional=True),
        Column(
            "Component",
            tuple(visible(f.component.name) or visible(f.component.ref) for f in findings),
            9,
            tier=1,
        ),
        Column("Version", tuple(visible(f.component.version) or "-" for f in findings), 7),
        Column(
            "Confidence",
            tuple(f.confidence.value for f in findings),
            10,
            styles=tuple(_CONFIDENCE_COLOR[f.confidence] for f in findings),
        ),
        Column("Rule", tuple(visible(o.id) if o else "-" for o in headline), 10),
        Column("Enters via", tuple(_enters_via(f) for f in findings), 10, tier=1),
    ]
    if _table(out, columns):
        return
    for number, (finding, outcome) in enumerate(zip(findings, headline, strict=True), 1):
        rule = visible(outcome.id) if outcome else "no rule"
        name = _truncate(display_name(finding), out.width - 8)
        out.wrap(
            f"{number}. {name}: {_confidence(finding.confidence)}, {rule}; "
            f"enters via {_enters_via(finding)}",
            2,
            hang=3,
        )


def _confidence_legend(out: _Writer, findings: Sequence[Finding]) -> None:
    """What each confidence word in the table means, once."""
    out.blank()
    for name, _ in confidence_counts(findings):
        out.wrap(f"{_confidence(Confidence(name))}: {CONFIDENCE_MEANING[name]}", 0, hang=2)


def _short(out: _Writer, report: Report, *, details: bool) -> None:
    verdict = report.verdict
    out.raw(
        f"sbomcheck {visible(report.tool_version)}: "
        + _mark(verdict.value.upper(), _VERDICT_COLOR[verdict])
    )
    components = sum(d.components for d in report.documents)
    out.wrap(
        f"as of {report.as_of}, profile {visible(report.profile)}; read "
        f"{plural(len(report.documents), 'SBOM')} with {plural(components, 'component')}",
        0,
    )
    _why(out, report, details=details)
    if report.findings:
        out.heading(f"Findings ({len(report.findings)})")
        _findings_table(out, report.findings)
        _confidence_legend(out, report.findings)
    if not details:
        out.blank()
        what = "evidence, paths and rule sources" if report.findings else "the documents read"
        out.wrap(f"Run with --details (or -v) for {what}.", 0)


# --- the details ------------------------------------------------------------------------


def _tree(out: _Writer, paths: Sequence[Sequence[str]], indent: int) -> None:
    """Paths drawn as a tree; a label too long for its line continues on the next ones,
    two columns in from where it starts (whole: `_fill` breaks words, never cuts them).

    Indentation stops growing after a few levels (deeper rows say `[level N]`), so a
    dependency chain thousands deep still gives lines that fit the width."""
    depth = max(1, min(_MAX_TREE_DEPTH, (out.width - indent - _TREE_LABEL_ROOM) // 4))
    for drawing, label in tree_rows(paths, max_depth=depth):
        lead = " " * indent + drawing
        below = " " * indent + drawing.replace("├── ", "│   ").replace("└── ", "    ")
        room = out.width - len(lead)
        first, *more = _fill(label, room, 0, 2) if len(label) > room else [label]
        out.raw(lead + first)
        for line in more:
            out.raw(below + line)


def _outcome_lines(out: _Writer, outcome: RuleOutcome) -> None:
    head = f"{visible(outcome.id)} {visible(outcome.milestone)}"
    out.wrap(
        f"{head}: {_severity(outcome.severity.value, outcome.severity)}, {visible(outcome.reason)}",
        4,
        hang=4,
    )
    w = outcome.waiver
    if outcome.waived and w is not None:
        ticket = f", ticket {visible(w.ticket)}" if w.ticket else ""
        out.wrap(
            f"waived by waiver {w.index}: {visible(w.reason)} (approved by "
            f"{visible(w.approver)}{ticket}, expires {visible(w.expires)})",
            8,
        )
    elif outcome.waived:
        out.wrap("waived", 8)
    if outcome.waiver_expired:
        out.wrap("a waiver matched but has expired", 8)


def _finding(out: _Writer, number: int, finding: Finding) -> None:
    comp = finding.component
    out.blank()
    out.wrap(f"[{number}] {display_name(finding)}", 0, hang=4)
    out.wrap(
        f"{visible(finding.canonical)}: {_confidence(finding.confidence)}, "
        f"{visible(finding.integration)}, {visible(finding.product_class)}; severity "
        + _severity(finding.severity.value, finding.severity)
        + ("; waived" if finding.waived else ""),
        4,
    )
    where = " ".join(p for p in (visible(comp.document), visible(comp.location)) if p)
    if comp.line is not None:
        where += f" (line {comp.line})"
    out.wrap(f"in {where}", 4)
    ident = [f"ref {visible(comp.ref)}"]
    if comp.purl:
        ident.append(f"purl {visible(comp.purl)}")
    if comp.supplier:
        ident.append(f"supplier {visible(comp.supplier)}")
    out.wrap("; ".join(ident), 4)
    if finding.evidence:
        out.raw("  Evidence")
        for i in range(len(finding.evidence)):
            out.wrap(evidence_line(finding, i), 4, hang=4)
    if finding.paths:
        out.raw(f"  Paths ({path_count(len(finding.paths), finding.paths_total)})")
        _tree(out, finding.paths, 4)
    else:
        out.raw("  Paths: none (a root, or not reachable from one)")
    if finding.introduced_via:
        out.wrap(
            "Introduced via: " + ", ".join(visible(r) for r in finding.introduced_via), 2, hang=4
        )
    judged = _judged(finding)
    if judged:
        out.raw("  Rules")
        for outcome in judged:
            _outcome_lines(out, outcome)
    else:
        out.raw("  Rules: none applies")
    if finding.notes:
        out.raw("  Notes")
        for note in finding.notes:
            out.wrap(visible(note), 4)


def _sources(out: _Writer, report: Report) -> None:
    """Every rule that weighs on a finding: its official title and its sources in full
    (grouped by source, with the milestones that rest on each)."""
    by_rule: dict[str, dict[str, list[str]]] = {}
    first: dict[str, RuleOutcome] = {}
    for finding in report.findings:
        for outcome in _judged(finding):
            first.setdefault(outcome.id, outcome)
            milestones = by_rule.setdefault(outcome.id, {}).setdefault(outcome.source, [])
            if outcome.milestone not in milestones:
                milestones.append(outcome.milestone)
    if not by_rule:
        return
    out.heading("Rules and sources")
    for rule_id, sources in by_rule.items():
        outcome = first[rule_id]
        out.wrap(out.rule(outcome), 2, hang=4)
        out.wrap(visible(outcome.title), 4, hang=2)
        for source, milestones in sources.items():
            names = ", ".join(visible(m) for m in milestones)
            out.wrap(f"source of {names}: {visible(source) or 'none given'}", 4, hang=4)


_NOT_APPLICABLE_KINDS = (
    ("not this profile", "Not for this profile"),
    ("not this jurisdiction", "Not for the jurisdictions selected"),
    ("not this model year", "Not for this model year"),
    ("out of scope", "Out of scope"),
    ("excluded product class", "Excluded product class"),
)
"""(reason prefix the policy stage writes, heading) for outcomes that are not applicable."""


def _kind(reason: str) -> str:
    folded = reason.casefold()
    for prefix, heading in _NOT_APPLICABLE_KINDS:
        if folded.startswith(prefix):
            return heading
    return "Not applicable"


def _not_applicable(out: _Writer, report: Report) -> None:
    """Rule milestones that reach no finding, grouped by why and counted; a milestone that
    does not apply to some findings only names them."""
    everyone = frozenset(range(1, len(report.findings) + 1))
    found: dict[tuple[str, str, str], set[int]] = {}
    outcome_of: dict[str, RuleOutcome] = {}
    for number, finding in enumerate(report.findings, 1):
        for o in finding.rules:
            if o.status is RuleStatus.NOT_APPLICABLE:
                outcome_of.setdefault(o.id, o)
                found.setdefault((_kind(o.reason), o.id, o.milestone), set()).add(number)
    if not found:
        return
    rules = {rule_id for _, rule_id, _ in found}
    out.heading(
        f"Rules that do not apply ({plural(len(found), 'milestone')} of "
        f"{plural(len(rules), 'rule')})"
    )
    order = [h for _, h in _NOT_APPLICABLE_KINDS] + ["Not applicable"]
    for heading in order:
        groups: dict[tuple[str, frozenset[int]], list[str]] = {}
        for (kind, rule_id, milestone), numbers in found.items():
            if kind == heading:
                groups.setdefault((rule_id, frozenset(numbers)), []).append(milestone)
        if not groups:
            continue
        count = sum(len(m) for m in groups.values())
        out.wrap(f"{heading} ({count})", 2)
        for (rule_id, members), milestones in groups.items():
            which = ""
            if members != everyone:
                listed = ", ".join(str(n) for n in sorted(members))
                which = f" (finding{'s' if len(members) > 1 else ''} {listed})"
            names = ", ".join(visible(m) for m in milestones) + which
            named = out.rule(outcome_of[rule_id])
            if named == visible(rule_id):
                out.wrap(f"{named}: {names}", 4, hang=4)
            else:
                out.wrap(named, 4, hang=4)
                out.wrap(names, 6, hang=2)


def _documents(out: _Writer, report: Report) -> None:
    out.heading("Documents")
    for doc in report.documents:
        out.wrap(
            f"{visible(doc.path)} ({visible(doc.format)} {visible(doc.spec_version)}): "
            f"{plural(doc.components, 'component')}, "
            + (f"{plural(doc.files, 'file')}, " if doc.files else "")
            + plural(doc.relationships, "relationship"),
            2,
            hang=4,
        )
        about = [
            f"{label} {visible(value)}"
            for label, value in (("product", doc.product), ("supplier", doc.supplier))
            if value
        ]
        if about:
            out.wrap("; ".join(about), 4)
        for warning in doc.warnings:
            out.wrap(f"warning: {visible(warning)}", 4)


def _details(out: _Writer, report: Report) -> None:
    if report.findings and report.verdict_reasons:
        out.heading("The verdict's reasons")
        for reason in report.verdict_reasons:
            out.wrap(f"- {visible(reason)}", 2, hang=2)
    _documents(out, report)
    for number, finding in enumerate(report.findings, 1):
        _finding(out, number, finding)
    _sources(out, report)
    _not_applicable(out, report)

    if report.unresolved_references:
        out.heading(f"Unresolved references ({len(report.unresolved_references)})")
        for ref in report.unresolved_references:
            where = " ".join(p for p in (visible(ref.document), visible(ref.location)) if p)
            out.wrap(f"{where}: {visible(ref.reference)}", 2, hang=4)
            out.wrap(visible(ref.reason), 4)

    if report.skipped_inputs:
        out.heading(f"Skipped inputs ({len(report.skipped_inputs)})")
        for item in report.skipped_inputs:
            flag = "; may hold an SBOM, not read" if item.may_hold_sbom else ""
            out.wrap(f"{visible(item.path)}: {visible(item.reason)}{flag}", 2, hang=4)

    if report.completeness is not None:
        c = report.completeness
        out.heading("Completeness")
        out.wrap(
            f"{plural(c.components, 'component')}: supplier {percent(c.with_supplier)}, "
            f"purl or CPE {percent(c.with_purl_or_cpe)}, hashes {percent(c.with_hashes)}; "
            f"relationships {'yes' if c.has_relationships else 'no'}; compositions "
            f"{', '.join(visible(x) for x in c.compositions) or 'none'}; "
            f"{plural(c.unresolved_references, 'unresolved reference')}",
            2,
        )
        out.wrap(completeness_sentence(c, len(report.documents)), 2)

    if report.waivers:
        out.heading(f"Waivers ({len(report.waivers)})")
        for text in waiver_text(report):
            out.wrap(text, 2, hang=4)

    data = [
        f"{visible(d.name)} {visible(d.version)} ({plural(d.rows, 'row')})"
        for d in (report.catalogue, report.rules)
        if d is not None
    ]
    if data:
        out.blank()
        out.wrap("Data: " + ", ".join(data), 0)


class TextFormatter(Formatter):
    """`--format text`: the short view (verdict, why, findings), and with
    `RenderOptions.details` the full record after it."""

    def render(self, report: Report, options: RenderOptions = DEFAULT_RENDER_OPTIONS) -> str:
        """The report as plain text fitted to `options.width` (ANSI colour when
        `options.color`)."""
        out = _Writer(options)
        _short(out, report, details=options.details)
        if options.details:
            _details(out, report)
        return out.text()
