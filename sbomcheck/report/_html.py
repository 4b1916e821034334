"""The pieces every HTML report is made of: one stylesheet, the page, the verdict banner,
finding cards with their path pictures, the rules timeline, source labels and the appendix.

`scan` (`report/html.py`), `audit` and `recheck` (`audit/html.py`) build their pages from
these, so the three reports look, read and print alike. Every value from an SBOM, a file name
or the data files goes through `esc` (`sbomcheck.safe_text.html_text`: controls and bidi
overrides shown as escapes, then `html.escape` with quotes); links are made only from the
http(s) sources of the alias catalogue and the rules, never from SBOM values.

Printed, a finding card (evidence, paths, the rules that apply) fits on one page; the rules
that do not apply, every path as the SBOM writes it and the full source addresses go to the
appendix, which is collapsed on screen and printed at the end.

Over 500 lines and one module on purpose: the stylesheet and the markup whose classes it
styles stay side by side, so a change to a card or a badge is one file for all three reports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import urlsplit

from sbomcheck.findings import (
    Completeness,
    DataVersion,
    Finding,
    RuleOutcome,
    RuleStatus,
    Severity,
    TimelineEntry,
    Verdict,
)
from sbomcheck.report._sources import source_label, source_urls
from sbomcheck.report._svg import MAX_PATHS, paths_svg
from sbomcheck.safe_text import html_text as esc
from sbomcheck.safe_text import visible

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

DASH = '<span class="muted">\u2014</span>'

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; color: #1b1b1b; background: #fff; margin: 0 auto; max-width: 1120px;
  padding: 24px; overflow-wrap: anywhere; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 30px 0 10px; padding-bottom: 4px; border-bottom: 2px solid #ddd; }
h3 { font-size: 16px; margin: 0; }
h4 { font-size: 12.5px; margin: 14px 0 5px; text-transform: uppercase; letter-spacing: .04em;
  color: #444; }
p { margin: 6px 0; }
a { color: #1a56db; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  font-size: .92em; overflow-wrap: anywhere; }
.sub { color: #555; margin: 0 0 14px; }
.muted { color: #5f6368; }
.small { font-size: 12.5px; }
.why { display: block; color: #5f6368; font-size: 12px; margin-top: 2px; }
td .src { font-size: 12.5px; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; margin: 6px 0 10px; }
th, td { border: 1px solid #d0d0d0; padding: 5px 7px; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; }
th { background: #f3f3f3; font-weight: 600; font-size: 12.5px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.verdict { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 4px 22px;
  border-radius: 8px; padding: 16px 20px; margin: 12px 0 18px; color: #fff; }
.verdict .word { font-size: 30px; font-weight: 800; letter-spacing: .06em; line-height: 1.15; }
.verdict p { margin: 2px 0 6px; font-size: 15px; }
.verdict ul { margin: 6px 0 0; padding-left: 20px; }
.verdict-fail { background: #b00020; }
.verdict-warn { background: #9a5b00; }
.verdict-pass { background: #1e7d32; }
.verdict-indeterminate { background: #4a5568; }
.badge { display: inline-block; border-radius: 4px; padding: 0 6px; font-size: 12px;
  font-weight: 700; border: 1px solid transparent; vertical-align: middle; white-space: nowrap; }
.sev-error, .v-fail { background: #fde8e8; color: #8a0018; border-color: #e3a0a8; }
.sev-warning, .v-warn { background: #fff3dc; color: #6b4000;
  border-color: #e5c07b; }
.sev-note, .sev-none, .v-indeterminate { background: #eef1f5; color: #333;
  border-color: #c8d0da; }
.waived, .v-pass { background: #e6f4ea; color: #1e5b2a; border-color: #9fd0ac; }
.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr) max-content
  minmax(0, 1fr); gap: 2px 12px; margin: 8px 0; font-size: 13px; }
.facts dt { font-weight: 600; color: #444; }
.facts dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
.finding { border: 1px solid #d0d0d0; border-left: 6px solid #8793a3; border-radius: 6px;
  padding: 12px 16px; margin: 14px 0; break-inside: avoid; }
.finding h4:first-of-type { margin-top: 10px; }
.finding.sev-error { border-left-color: #b00020; background: #fff; color: inherit; }
.finding.sev-warning { border-left-color: #c77c00; background: #fff; color: inherit; }
.finding.sev-note, .finding.sev-none { background: #fff; color: inherit; }
.finding > header { display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: baseline; }
.finding > header > h3, .product-head > header > h3 { min-width: 0; }
.finding .version { font-weight: 400; color: #5f6368; }
.picture { margin: 6px 0; }
svg.paths { display: block; max-width: 100%; height: auto; font-family: inherit; }
svg.paths .n { font-weight: 600; }
svg.paths .v { fill: #555; font-size: 11px; }
svg.paths .r { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 11px; }
.arrow { color: #777; padding: 0 3px; }
ul.rules-compact { margin: 2px 0 8px; padding-left: 18px; font-size: 13px; }
ul.rules-compact li { margin: 0 0 2px; }
.paths-block { display: flex; flex-wrap: wrap; gap: 4px 18px; align-items: flex-start; }
.paths-block > .picture { flex: 0 1 auto; min-width: 0; max-width: 100%; }
.paths-block > .caption { flex: 1 1 300px; min-width: 0; }
.caption .facts { grid-template-columns: max-content minmax(0, 1fr); }
ul.notes { margin: 4px 0; padding-left: 18px; }
.timeline { list-style: none; margin: 8px 0 8px 14px; padding: 0 0 0 22px;
  border-left: 3px solid #ccc; }
.timeline li { position: relative; margin: 0 0 10px; padding-left: 8px; }
.timeline li::before { content: ""; position: absolute; left: -31px; top: 4px; width: 14px;
  height: 14px; border-radius: 50%; background: #fff; border: 3px solid #b9bec6; }
.timeline li.hit-error::before { border-color: #b00020; background: #b00020; }
.timeline li.hit-warning::before { border-color: #c77c00; background: #c77c00; }
.timeline li.hit-note::before, .timeline li.hit-none::before { border-color: #5f6368; }
.timeline li.context { color: #6b7078; }
.timeline li.as-of { font-weight: 700; color: #1a56db; }
.timeline li.as-of::before { border-color: #1a56db; background: #1a56db; border-radius: 2px; }
.timeline .date { font-weight: 700; font-variant-numeric: tabular-nums; margin-right: 8px; }
.timeline .state { font-style: italic; margin-right: 4px; }
.bar { display: inline-block; width: 40%; max-width: 260px; height: 14px; border: 1px solid #888;
  background: #f3f3f3; vertical-align: middle; margin-right: 8px; }
.bar > span { display: block; height: 100%; background: #1a56db; }
.ok { color: #1e5b2a; font-weight: 600; }
.bad { color: #8a0018; font-weight: 600; }
nav.toc { font-size: 13px; margin: 0 0 8px; }
nav.toc a { margin-right: 12px; white-space: nowrap; }
details.appendix > summary { cursor: pointer; font-weight: 600; padding: 4px 0; }
.appendix-body h3 { margin: 18px 0 4px; }
.print-only { display: none; }
section.product { margin: 18px 0 26px; }
.product-head > header { display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: baseline;
  border-bottom: 1px solid #e3e3e3; padding-bottom: 4px; }
footer { margin-top: 36px; border-top: 1px solid #ddd; padding-top: 10px; color: #555;
  font-size: 12px; }
@media screen and (max-width: 760px) {
  body { padding: 14px; }
  .facts { grid-template-columns: max-content minmax(0, 1fr); }
  .verdict { grid-template-columns: minmax(0, 1fr); }
}
@page { margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9pt; line-height: 1.25; color: #000;
    background: #fff; }
  h4 { margin: 6px 0 2px; font-size: 8pt; }
  p { margin: 3px 0; }
  nav.toc, .screen-only { display: none !important; }
  .print-only { display: block; }
  a { color: #000; text-decoration: none; }
  h2, h3, h4 { break-after: avoid; }
  h2 { margin-top: 18px; }
  table { font-size: 8pt; margin: 3px 0 6px; }
  th, td { padding: 2px 4px; }
  .why, .small, .facts, ul.rules-compact, ul.notes { font-size: 7.5pt; }
  ul.rules-compact li { margin: 0; }
  .verdict { background: #fff !important; color: #000; border: 3px solid #000; }
  .badge, .sev-error, .sev-warning, .sev-note, .sev-none, .waived, .v-fail, .v-warn, .v-pass,
  .v-indeterminate {
    background: #fff !important; color: #000 !important; border-color: #000 !important; }
  .finding { break-inside: avoid; border: 1px solid #000; border-left: 4px solid #000;
    padding: 8px 10px; margin: 8px 0; }
  svg.paths { max-height: 48mm; width: auto; }
  svg.paths rect { fill: #fff; stroke: #000; }
  svg.paths .target rect { stroke-width: 3; }
  svg.paths .edge { stroke: #000; }
  svg.paths .arrowhead { fill: #000; }
  svg.paths text, svg.paths .v { fill: #000; }
  th { background: #fff; }
  .timeline { border-left-color: #000; }
  .timeline li { margin-bottom: 4px; }
  .timeline li::before { border-color: #000 !important; }
  .timeline li.hit-error::before, .timeline li.as-of::before {
    background: #000 !important; }
  .timeline li.hit-warning::before { background: #fff !important; }
  .timeline li.context::before { border-color: #999 !important; }
  .timeline li.as-of, .ok, .bad, .muted, .why { color: #000; }
  .timeline li.context { color: #555; }
  .bar { border-color: #000; background: #fff; }
  .bar > span { background: #000; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  #findings, #appendix, section.vendor { break-before: page; }
  .product-head { break-inside: avoid; }
  td .why { display: inline; margin: 0; }
  td .why::before { content: "· "; }
}
"""

VERDICT_RANK = {Verdict.PASS: 0, Verdict.INDETERMINATE: 1, Verdict.WARN: 2, Verdict.FAIL: 3}
"""pass < indeterminate < warn < fail: the order `--fail-on` gates by."""

_STATUS_ORDER = {RuleStatus.IN_FORCE: 0, RuleStatus.UPCOMING: 1, RuleStatus.NOT_APPLICABLE: 2}
_STATUS_WORDS = {
    RuleStatus.IN_FORCE: "in force",
    RuleStatus.UPCOMING: "upcoming",
    RuleStatus.NOT_APPLICABLE: "not applicable",
}
_INTEGRATION = {
    "branded": "Kaspersky's own product",
    "embedded": "inside another vendor's product",
}

# -- small pieces ------------------------------------------------------------------------

_BREAK_AFTER = re.compile(r"([/._\-:!#@?&=+]+)")


def breakable(value: object) -> str:
    """Escaped text with a `<wbr>` (a line-break opportunity) after `/ . - _ : ! # @ ? & = +`,
    so a long path, ref or purl wraps at its separators rather than anywhere."""
    text = visible(str(value))
    if len(text) <= 12:
        return esc(text)
    pieces = _BREAK_AFTER.split(text)
    out = []
    for i, piece in enumerate(pieces):
        out.append(esc(piece))
        if i % 2 == 1 and i < len(pieces) - 1:
            out.append("<wbr>")
    return "".join(out)


def code(value: object) -> str:
    """An identifier (path, ref, purl, hash) in monospace, wrapping at its separators."""
    return f'<span class="mono">{breakable(value)}</span>'


def opt(value: object) -> str:
    """An optional value, escaped, or a muted dash."""
    if value is None or value == "":
        return DASH
    return esc(value)


def badge(text: str, css: str) -> str:
    """A small label; `css` picks its colours (`sev-error`, `waived`, `v-pass`, ...)."""
    return f'<span class="badge {esc(css)}">{esc(text)}</span>'


def verdict_badge(verdict: str) -> str:
    """`FAIL`, `PASS`, ... as a coloured badge."""
    return badge(verdict.upper(), f"v-{verdict}")


def status_badge(status: RuleStatus, severity: Severity) -> str:
    """`in force`, `upcoming`, `not applicable` as a badge coloured by how much it weighs
    (red for an error, amber for a warning, grey otherwise)."""
    return badge(_STATUS_WORDS[status], f"sev-{severity.value}")


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str] | str],
    *,
    widths: Sequence[int] = (),
    css: str = "",
    numeric: Sequence[int] = (),
) -> str:
    """A table of already-escaped cells, laid out with fixed column `widths` (percent), so
    it never grows wider than the page. A row given as one string is an already-built
    `<tr>...</tr>` (for cells that span rows)."""
    cols = (
        "<colgroup>" + "".join(f'<col style="width:{w}%">' for w in widths) + "</colgroup>"
        if widths
        else ""
    )

    def cell(tag: str, i: int, content: str) -> str:
        num = ' class="num"' if i in numeric else ""
        return f"<{tag}{num}>{content}</{tag}>"

    head = "".join(cell("th", i, esc(h)) for i, h in enumerate(headers))
    body = "".join(
        row
        if isinstance(row, str)
        else "<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>\n"
        for row in rows
    )
    cls = f' class="{esc(css)}"' if css else ""
    return f"<table{cls}>{cols}<thead><tr>{head}</tr></thead><tbody>\n{body}</tbody></table>"


def facts(pairs: Iterable[tuple[str, str]]) -> str:
    """A definition list of (label, escaped HTML) pairs, two pairs a row on a wide page."""
    items = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in pairs)
    return f'<dl class="facts">{items}</dl>'


def date_text(effective: str) -> str:
    """`2024-09-29T00:00:00-04:00` -> `2024-09-29 00:00 (UTC-04:00)`; a date stays a date."""
    if len(effective) > 10 and effective[10] == "T":
        time, zone = effective[11:16], effective[19:]
        if zone in ("Z", "+00:00"):
            zone = "UTC"
        elif zone:
            zone = f"UTC{zone}"
        return f"{effective[:10]} {time}" + (f" ({zone})" if zone else "")
    return effective


def plural(count: int, word: str) -> str:
    """`1 finding`, `2 findings`."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def safe_url(url: str) -> bool:
    """An absolute http(s) URL with a host and nothing a browser would reinterpret."""
    if not url or any(c.isspace() or ord(c) < 0x20 or c in "<>\"'`\\" for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def source_links(source: str) -> str:
    """Each address of a catalogue or rules source as a short label linked to it
    (`Federal Register, 2024-06-24`); anything but http(s) stays plain text."""
    urls = source_urls(source)
    if not urls:
        return '<span class="muted">none</span>'
    out = []
    for url in urls:
        if safe_url(url):
            out.append(
                f'<a href="{esc(url)}" title="{esc(url)}" rel="noreferrer noopener">'
                f"{esc(source_label(url))}</a>"
            )
        else:
            out.append(code(url))
    return '<span class="src">' + "<br>".join(out) + "</span>"


def sources_of(findings: Iterable[Finding]) -> list[str]:
    """Every source address the findings cite (rules first, then evidence), once each."""
    seen: dict[str, None] = {}
    findings = list(findings)
    for finding in findings:
        for outcome in finding.rules:
            seen.update(dict.fromkeys(source_urls(outcome.source)))
    for finding in findings:
        for evidence in finding.evidence:
            seen.update(dict.fromkeys(source_urls(evidence.source)))
    return list(seen)


# -- page, banner ------------------------------------------------------------------------


def page(
    *,
    title: str,
    heading: str,
    subtitle: str,
    nav: Sequence[tuple[str, str]],
    sections: Sequence[str],
    footer: str,
    tool_version: str,
) -> str:
    """The whole document. `subtitle`, `sections` and `footer` are HTML; `title`, `heading`
    and the `nav` labels are text; `nav` anchors are the page's own ids."""
    links = " ".join(f'<a href="#{esc(anchor)}">{esc(label)}</a>' for anchor, label in nav)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="sbomcheck {esc(tool_version)}">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<header>\n<h1>{esc(heading)}</h1>\n"
        f'<p class="sub">{subtitle}</p>\n'
        f'<nav class="toc">{links}</nav>\n</header>\n<main>\n'
        + "\n".join(sections)
        + "\n</main>\n"
        + f"<footer>{footer}</footer>"
        + "\n</body>\n</html>\n"
    )


def banner(
    verdict: Verdict,
    *,
    meaning: str,
    counts: str = "",
    reasons: Sequence[str] = (),
    anchor: str = "verdict",
) -> str:
    """The verdict in a coloured box: the word, what it means, counts, one line per reason.
    `meaning` and `counts` may be empty; all are text."""
    # NOTE: as given: a reason may start with a component name, whose case is data.
    sentences = [esc(r) for r in reasons]
    if not meaning and not counts and len(sentences) == 1:
        listed = f"<p>{sentences[0]}</p>"  # the reason is what the verdict means
    else:
        listed = (
            "<ul>" + "\n".join(f"<li>{r}</li>" for r in sentences) + "</ul>" if sentences else ""
        )
    blocks = [
        *([f"<p>{esc(meaning)}</p>"] if meaning else []),
        *([f"<p>{esc(counts)}</p>"] if counts else []),
        *([listed] if listed else []),
    ]
    return (
        f'<section id="{esc(anchor)}" class="verdict verdict-{esc(verdict.value)}">\n'
        f'<div class="word">{esc(verdict.value.upper())}</div>\n<div class="text">'
        + "\n".join(blocks)
        + "</div>\n</section>"
    )


def finding_counts(findings: Sequence[Finding]) -> str:
    """`3 findings: 1 error, 2 warning, 1 waived.` (empty when there are none)."""
    if not findings:
        return ""
    parts = []
    for sev in (Severity.ERROR, Severity.WARNING, Severity.NOTE, Severity.NONE):
        n = sum(1 for f in findings if f.severity is sev)
        if n:
            parts.append(f"{n} {sev.value}")
    waived = sum(1 for f in findings if f.waived)
    tail = f", {waived} waived" if waived else ""
    return f"{plural(len(findings), 'finding')}: " + ", ".join(parts) + tail + "."


# -- finding cards -----------------------------------------------------------------------


def names_of(finding: Finding) -> dict[str, tuple[str, str | None]]:
    """ref -> (name, version) for the components on the finding's paths."""
    names = {n.ref: (n.name, n.version) for n in finding.path_nodes if n.name}
    comp = finding.component
    if comp.name:
        names.setdefault(comp.ref, (comp.name, comp.version))
    return names


def component_label(ref: str, names: Mapping[str, tuple[str, str | None]]) -> str:
    """A component by name and version, its ref in the tooltip; by its ref when unnamed."""
    if ref not in names:
        return code(ref)
    name, version = names[ref]
    shown = f"{breakable(name)}" + (
        f' <span class="muted">{breakable(version)}</span>' if version else ""
    )
    return f'<span title="ref {esc(ref)}">{shown}</span>'


def finding_name(finding: Finding) -> str:
    """`kav-sdk 8.9.3.126` as text (the ref when the component has no name)."""
    comp = finding.component
    name = comp.name or comp.ref
    return f"{name} {comp.version}" if comp.version else name


def finding_title(finding: Finding) -> str:
    """`kav-sdk 8.9.3.126` as HTML (the version muted)."""
    comp = finding.component
    name = breakable(comp.name or comp.ref)
    if not comp.version:
        return name
    return f'{name} <span class="version">{breakable(comp.version)}</span>'


def finding_card(finding: Finding, *, number: int, anchor: str, appendix: str = "") -> str:
    """One finding: what it is, the component's facts, the rules that apply, the evidence
    and how it enters the product. `anchor` is the card's id; `appendix` the id of its
    appendix entry (rules that do not apply, paths by ref), if the page has one."""
    badges = [
        badge(finding.severity.value.upper(), f"sev-{finding.severity.value}"),
        badge(finding.confidence.value, "sev-none"),
    ]
    if finding.waived:
        badges.append(badge("waived", "waived"))
    integration = _INTEGRATION.get(finding.integration, finding.integration)
    notes = "".join(f"<li>{esc(n)}</li>" for n in finding.notes)
    not_applicable = sum(1 for o in finding.rules if o.status is RuleStatus.NOT_APPLICABLE)
    pointer = _appendix_pointer(not_applicable, len(finding.paths), appendix)
    return (
        f'<article class="finding sev-{esc(finding.severity.value)}" id="{esc(anchor)}">\n'
        f"<header><h3>{number}. {finding_title(finding)}</h3> {' '.join(badges)}</header>\n"
        f"<p>Identified as <strong>{esc(finding.canonical)}</strong> "
        f"({esc(finding.confidence.value)} match): {esc(integration)}, "
        f"{esc(finding.product_class)} software.</p>\n"
        + (f'<ul class="notes">{notes}</ul>\n' if notes else "")
        + f"<h4>Rules that apply</h4>\n{_rules(finding.rules)}\n"
        f"<h4>Evidence</h4>\n{_evidence_table(finding)}\n"
        f"<h4>The component and how it enters the product</h4>\n"
        f"{_paths(finding, anchor, pointer)}"
        "\n</article>"
    )


def _component_facts(finding: Finding) -> str:
    comp = finding.component
    where = comp.location + (f" (line {comp.line})" if comp.line is not None else "")
    pairs = [
        ("Supplier", opt(comp.supplier)),
        ("Package URL", code(comp.purl) if comp.purl else ""),
        ("Type", opt(comp.type) if comp.type else ""),
        ("Reference", code(comp.ref)),
        ("SBOM", code(comp.document)),
        ("Where in it", code(where) if where else ""),
        ("Release date", opt(comp.release_date) if comp.release_date else ""),
        ("Build date", opt(comp.built_date) if comp.built_date else ""),
        ("SBOM created", opt(comp.document_created) if comp.document_created else ""),
        ("Finding id", code(finding.id)),
    ]
    return facts((k, v) for k, v in pairs if v)


def _decisive(o: RuleOutcome) -> bool:
    """An outcome that decides or will decide the verdict: it breaks a rule (error), comes
    into force later, or a waiver holds it back (or no longer does)."""
    return o.severity is Severity.ERROR or o.status is RuleStatus.UPCOMING or o.waiver is not None


def _by_rule(outcomes: Iterable[RuleOutcome]) -> list[list[RuleOutcome]]:
    """Outcomes grouped by rule id, each group by date; the weightiest rule first."""
    groups: dict[str, list[RuleOutcome]] = {}
    for o in outcomes:
        groups.setdefault(o.id, []).append(o)

    def weight(group: list[RuleOutcome]) -> tuple[int, int, str, str]:
        return (
            -max(o.severity.rank for o in group),
            min(_STATUS_ORDER[o.status] for o in group),
            min(o.effective for o in group),
            group[0].id,
        )

    ordered = [sorted(g, key=lambda o: (o.effective, o.milestone)) for g in groups.values()]
    return sorted(ordered, key=weight)


def _rules(rules: Sequence[RuleOutcome]) -> str:
    """The rule milestones that bind this finding: those that decide the verdict in a
    table, each rule named once; advisories and other warnings in force as a short list
    (one line per rule), so the card still prints on one page."""
    binding = [o for o in rules if o.status is not RuleStatus.NOT_APPLICABLE]
    if not binding:
        return '<p class="muted">No rule milestone applies to this finding for this profile.</p>'
    decisive = _by_rule(o for o in binding if _decisive(o))
    others = _by_rule(o for o in binding if not _decisive(o))
    out = []
    if decisive:
        rows = []
        for group in decisive:
            span = f' rowspan="{len(group)}"' if len(group) > 1 else ""
            one_source = len({o.source for o in group}) == 1
            for i, o in enumerate(group):
                cells = []
                if i == 0:
                    cells.append(f"<td{span}>{_rule_name(o)}</td>")
                cells.append(_milestone_cell(o))
                cells.append(f"<td>{esc(date_text(o.effective))}</td>")
                cells.append(_status_cell(o))
                if i == 0 or not one_source:
                    rowspan = span if one_source else ""
                    cells.append(f"<td{rowspan}>{source_links(o.source)}</td>")
                rows.append("<tr>" + "".join(cells) + "</tr>\n")
        out.append(
            table(
                ["Rule", "Milestone", "Effective", "Status", "Source"],
                rows,
                widths=(27, 22, 13, 22, 16),
                css="rules",
            )
        )
    if others:
        lead = "Also in force" if decisive else "In force"
        items = "".join(f"<li>{_rule_line(group)}</li>" for group in others)
        out.append(
            f'<p class="small">{lead}: advisories and warnings.</p>\n'
            f'<ul class="rules-compact">{items}</ul>'
        )
    return "\n".join(out)


_SINCE = re.compile(r"[a-z ]*\bsince (\d{4}-\d{2}-\d{2})")


def _rule_line(group: Sequence[RuleOutcome]) -> str:
    """`ID title: warning; milestone (since DATE), ... Source: label, label`."""
    first = group[0]
    severity = max((o.severity for o in group), key=lambda s: s.rank)

    def when(o: RuleOutcome) -> str:
        plain = _SINCE.fullmatch(o.reason)
        return f"since {plain.group(1)}" if plain else (o.reason or _STATUS_WORDS[o.status])

    milestones = ", ".join(f"{esc(o.milestone)} ({esc(when(o))})" for o in group)
    sources = ", ".join(
        dict.fromkeys(source_links(o.source) for o in group if source_urls(o.source))
    )
    return (
        f"<strong>{esc(first.id)}</strong> {esc(first.short_title or first.title)}: "
        f"<em>{esc(severity.value)}</em>; {milestones}."
        + (f' <span class="muted">Source: {sources}</span>' if sources else "")
    )


def _rule_name(o: RuleOutcome) -> str:
    """The rule id, its plain name, and its formal title under it when that differs."""
    name = o.short_title or o.title
    formal = f' <span class="why">{esc(o.title)}</span>' if o.title and o.title != name else ""
    return f"<strong>{esc(o.id)}</strong> <br>{esc(name)}{formal}"


def _milestone_cell(o: RuleOutcome) -> str:
    prohibits = (
        f' <span class="why">prohibits {esc(", ".join(o.prohibits))}</span>' if o.prohibits else ""
    )
    return f"<td>{breakable(o.milestone)}{prohibits}</td>"


def _status_cell(o: RuleOutcome) -> str:
    badges = [
        status_badge(o.status, o.severity),
        badge(o.severity.value, f"sev-{o.severity.value}"),
    ]
    if o.waived:
        badges.append(badge("waived", "waived"))
    why = f' <span class="why">{esc(o.reason)}</span>' if o.reason else ""
    return f"<td>{' '.join(badges)}{why}</td>"


def _evidence_table(finding: Finding) -> str:
    if not finding.evidence:
        return '<p class="muted">No matched field recorded.</p>'
    rows = []
    for e in finding.evidence:
        how = [e.kind, f"{e.method} match", e.confidence]
        if e.vendor and e.vendor != "Kaspersky":
            how.append(f"vendor {e.vendor}")
        weak = " <span class='muted'>(weak alias)</span>" if e.weak else ""
        note = f' <span class="why">{esc(e.note)}</span>' if e.note else ""
        rows.append(
            [
                f"<code>{breakable(e.field)}</code>",
                f"<strong>{breakable(e.value)}</strong>",
                f'{esc(e.alias)}{weak} <span class="why">{esc(", ".join(how))}</span>{note}',
                source_links(e.source),
            ]
        )
    return table(
        ["Field", "Value found", "Catalogue alias (kind, match, confidence)", "Source"],
        rows,
        widths=(18, 30, 34, 18),
    )


def _paths(finding: Finding, anchor: str, pointer: str) -> str:
    """The path picture beside the component's facts, where a fix starts, and `pointer`
    (HTML) to the appendix."""
    if not finding.paths:
        return (
            '<p class="muted">No path recorded: the component is a root of the product, or '
            f"the SBOM states no relationships that lead to it.</p>\n{_component_facts(finding)}"
            f"{pointer}"
        )
    names = names_of(finding)
    via = ", ".join(component_label(v, names) for v in finding.introduced_via) or DASH
    picture = paths_svg(
        finding.paths,
        svg_id=f"{anchor}-paths",
        caption=f"Paths from the product's roots to {finding.component.name}",
        names=names,
    )
    shown = len(finding.paths)
    total = finding.paths_total
    if total > shown:
        count = f"{shown} of {total:,} paths"
    elif total == -1:
        count = f"{plural(shown, 'path')} (total not counted)"
    else:
        count = plural(shown, "path")
    drawn = f", the first {MAX_PATHS} drawn" if shown > MAX_PATHS else ""
    affected = len(finding.affected)
    return (
        f'<div class="paths-block"><div class="picture">{picture}</div>\n'
        f'<div class="caption"><p>Introduced via {via}: a fix starts there.</p>\n'
        f'<p class="small muted">{esc(count)}{esc(drawn)}: the product\'s root at the top, this '
        "component at the bottom, arrows for \u201ccontains or depends on\u201d. "
        f"{esc(plural(affected, 'component'))} contain or depend on it.</p>\n"
        f"{_component_facts(finding)}{pointer}</div></div>"
    )


def _appendix_pointer(not_applicable: int, paths: int, appendix: str) -> str:
    if not appendix:
        return ""
    parts = []
    if not_applicable:
        parts.append(f"{plural(not_applicable, 'rule milestone')} that do not apply here")
    if paths:
        parts.append("every path by its references")
    if not parts:
        return ""
    return (
        f'<p class="small muted">In the <a href="#{esc(appendix)}">appendix</a>: '
        f"{esc(' and '.join(parts))}.</p>"
    )


# -- appendix ----------------------------------------------------------------------------


def appendix(
    entries: Sequence[tuple[str, str, Finding]], sources: Sequence[str], *, intro: str = ""
) -> str:
    """The appendix: for each (anchor, heading, finding) the rules that do not apply and the
    paths as written, then every source address in full. Collapsed on screen (`<details>`),
    printed at the end (a print-only copy: a closed `<details>` does not print)."""
    if not entries and not sources:
        return ""
    screen = _appendix_body(entries, sources, anchors=True)
    printed = _appendix_body(entries, sources, anchors=False)
    not_applicable = sum(
        1 for _, _, f in entries for o in f.rules if o.status is RuleStatus.NOT_APPLICABLE
    )
    summary = (
        f"Show the {plural(not_applicable, 'rule milestone')} that do not apply, every path "
        f"as written in the SBOM, and the {plural(len(sources), 'source')} in full"
    )
    return (
        '<section id="appendix">\n<h2>Appendix</h2>\n'
        + (f"<p>{esc(intro)}</p>\n" if intro else "")
        + f'<details class="appendix screen-only"><summary>{esc(summary)}</summary>\n'
        f'<div class="appendix-body">{screen}</div></details>\n'
        f'<div class="appendix-body print-only">{printed}</div>\n</section>'
    )


def _appendix_body(
    entries: Sequence[tuple[str, str, Finding]], sources: Sequence[str], *, anchors: bool
) -> str:
    out = []
    for anchor, heading, finding in entries:
        ident = f' id="{esc(anchor)}"' if anchors else ""
        out.append(f"<h3{ident}>{esc(heading)}</h3>")
        out.append(_not_applicable_table(finding.rules))
        if finding.paths:
            items = "".join(
                "<li>" + '<span class="arrow">\u2192</span>'.join(code(n) for n in p) + "</li>"
                for p in finding.paths
            )
            out.append(
                f"<h4>Paths as written in the SBOM ({esc(plural(len(finding.paths), 'path'))}, "
                f'root first)</h4>\n<ol class="paths-text">{items}</ol>'
            )
        if finding.affected:
            affected = ", ".join(code(a) for a in finding.affected)
            out.append(f"<h4>Contain or depend on it</h4>\n<p>{affected}</p>")
    if sources:
        rows = [[esc(source_label(u)), code(u)] for u in sources]
        out.append("<h3>Sources</h3>\n" + table(["Source", "Address"], rows, widths=(28, 72)))
    return "\n".join(out)


def _not_applicable_table(rules: Sequence[RuleOutcome]) -> str:
    # NOTE: kept (an auditor asks "what about rule X?") but out of the card, so the rules
    # that decide the verdict are not buried among other profiles' milestones.
    others = [o for o in rules if o.status is RuleStatus.NOT_APPLICABLE]
    if not others:
        return '<p class="muted">Every rule milestone checked applies to this finding.</p>'
    rows = [
        [
            f"<strong>{esc(o.id)}</strong> {esc(o.title)}",
            breakable(o.milestone),
            esc(date_text(o.effective)),
            opt(o.reason),
        ]
        for o in others
    ]
    return f"<h4>Rules that do not apply here ({len(others)})</h4>\n" + table(
        ["Rule", "Milestone", "Effective", "Why not"], rows, widths=(36, 20, 14, 30), css="compact"
    )


# -- timeline ----------------------------------------------------------------------------


def timeline(
    *,
    as_of: str,
    profile: str,
    entries: Sequence[TimelineEntry],
    outcomes: Iterable[RuleOutcome],
) -> str:
    """The rules timeline: every milestone binding the profile (`entries`) in date order,
    with the as-of date marked. A milestone that findings meet (`outcomes`) is marked by its
    status; one that none meets is greyed context ("no finding"), never an alarm. Without
    `entries` (a report made by hand) it falls back to the milestones the findings meet."""
    met: dict[tuple[str, str], list[RuleOutcome]] = {}
    others: set[tuple[str, str]] = set()
    for o in outcomes:
        if o.status is RuleStatus.NOT_APPLICABLE:
            others.add((o.id, o.milestone))
        else:
            met.setdefault((o.id, o.milestone), []).append(o)
    others -= set(met)
    items: list[tuple[str, int, str, str]] = []
    if entries:
        intro = (
            f"Every rule milestone that binds the profile <strong>{esc(profile)}</strong>, in "
            f"date order, with its status on <strong>{esc(as_of)}</strong> and the findings "
            "that meet it. Greyed milestones bind the profile but no finding meets them."
        )
        items.extend(
            _entry(t.id, t.milestone, t.title, t.effective, t.status, met) for t in entries
        )
        rest = ""
    else:
        intro = (
            f"Each rule milestone met by a finding, in date order, with its status for the "
            f"profile <strong>{esc(profile)}</strong> on <strong>{esc(as_of)}</strong>."
        )
        for (rule_id, milestone), found in met.items():
            first = found[0]
            items.append(
                _entry(rule_id, milestone, first.title, first.effective, first.status, met)
            )
        rest = (
            f'<p class="muted">{plural(len(others), "more milestone")} of the rules data '
            f"do{'es' if len(others) == 1 else ''} not apply to this profile or to these "
            "findings; the appendix lists them.</p>\n"
            if others
            else ""
        )
    head = f'<section id="timeline">\n<h2>Rules timeline</h2>\n<p>{intro}</p>\n'
    if not items:
        why = "no finding" if not met and not others else "not to this profile"
        return head + f'<p class="muted">No milestone applies: {why}.</p>\n{rest}</section>'
    marker = (
        f'<li class="as-of"><span class="date">{esc(as_of)}</span> '
        "as of: the date this assessment is made for</li>"
    )
    items.append((as_of[:10], 1, as_of, marker))
    listed = "\n".join(item[3] for item in sorted(items))
    return head + f'<ol class="timeline">\n{listed}\n</ol>\n{rest}</section>'


def _entry(
    rule_id: str,
    milestone: str,
    title: str,
    effective: str,
    status: RuleStatus,
    met: Mapping[tuple[str, str], Sequence[RuleOutcome]],
) -> tuple[str, int, str, str]:
    """(sort keys..., list item) of one milestone: an alarm only when a finding meets it."""
    found = met.get((rule_id, milestone), ())
    if found:
        status = min((o.status for o in found), key=lambda s: _STATUS_ORDER[s])
        severity = max((o.severity for o in found), key=lambda s: s.rank)
        css, state = f"hit hit-{severity.value}", status_badge(status, severity)
        count = plural(len(found), "finding")
    else:
        css = "context"
        state = f'<span class="state">{esc(_STATUS_WORDS[status])}</span>'
        count = "no finding"
    item = (
        f'<li class="{css}"><span class="date">{esc(date_text(effective))}</span> {state} '
        f"<strong>{esc(rule_id)}</strong> {esc(milestone)}: {esc(title)}"
        f' <span class="muted">({count})</span></li>'
    )
    return effective[:10], 0, effective, item


# -- completeness ------------------------------------------------------------------------


def completeness_table(comp: Completeness) -> str:
    """Bars for the shares of identity data, relationships, and whether it is enough."""

    def bar(label: str, share: float) -> list[str]:
        share = min(max(share, 0.0), 1.0)
        exact = share * comp.components
        # NOTE: show a count only where the share is one; a rounded count next to a
        # percentage it contradicts ("10% (0 of 4)") would mislead a reader.
        count = (
            f" ({round(exact)} of {comp.components})"
            if abs(exact - round(exact)) < 1e-6
            else f" of {comp.components}"
        )
        return [
            esc(label),
            f'<span class="bar" aria-hidden="true"><span style="width:{share * 100:.1f}%">'
            f"</span></span>{esc(f'{share * 100:.0f}%' + count)}",
        ]

    rows = [
        bar("Components with a supplier", comp.with_supplier),
        bar("Components with a purl or CPE", comp.with_purl_or_cpe),
        bar("Components with hashes", comp.with_hashes),
        [
            "Relationships between components",
            '<span class="ok">present</span>'
            if comp.has_relationships
            else '<span class="bad">absent: paths cannot be traced</span>',
        ],
        [
            "Compositions (CycloneDX)",
            esc(", ".join(comp.compositions)) or '<span class="muted">none stated</span>',
        ],
        ["Unresolved references", esc(comp.unresolved_references)],
    ]
    if comp.sufficient:
        verdict = '<p class="ok">The SBOM lists enough identity data to rely on.</p>'
    else:
        reasons = "".join(f"<li>{esc(r)}</li>" for r in comp.reasons)
        verdict = (
            '<p class="bad">Not complete enough to show absence: a clean result here '
            f"proves little.</p><ul>{reasons}</ul>"
        )
    return (
        f"<p>{esc(comp.components)} components. Identification rests on suppliers, "
        "package URLs, CPEs and hashes; the fewer the SBOM gives, the less an empty result "
        "says.</p>\n" + table(["Measure", "Share"], rows, widths=(40, 60)) + "\n" + verdict
    )


def completeness_line(comp: Completeness | None) -> str:
    """One sentence: the shares, relationships, and whether the SBOM is enough to rely on."""
    if comp is None:
        return '<p class="small muted">Completeness not measured.</p>'
    enough = (
        '<span class="ok">enough to rely on</span>'
        if comp.sufficient
        else '<span class="bad">not enough to show absence</span>'
        + (f" ({esc('; '.join(comp.reasons))})" if comp.reasons else "")
    )
    return (
        f'<p class="small">Completeness: {esc(comp.components)} components; supplier '
        f"{comp.with_supplier:.0%}, purl or CPE {comp.with_purl_or_cpe:.0%}, hashes "
        f"{comp.with_hashes:.0%}; relationships "
        f"{'present' if comp.has_relationships else 'absent'}: {enough}.</p>"
    )


def data_versions_table(catalogue: DataVersion | None, rules: DataVersion | None) -> str:
    """The alias catalogue and rules files a decision rests on: file, version, rows, SHA-256."""

    def row(label: str, data: DataVersion | None) -> list[str]:
        if data is None:
            return [esc(label), '<span class="muted">unknown</span>', "", "", ""]
        return [esc(label), esc(data.name), esc(data.version), esc(data.rows), code(data.sha256)]

    return table(
        ["Data", "File", "Version", "Rows", "SHA-256"],
        [row("Alias catalogue", catalogue), row("Rules", rules)],
        widths=(17, 20, 15, 10, 38),
        numeric=(3,),
    )
