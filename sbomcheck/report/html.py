"""`--format html`: a self-contained procurement report for a buyer or an auditor.

One file, nothing fetched when it is viewed: inline CSS, inline SVG, no script, and a
Content-Security-Policy that forbids loading anything else. Every value that comes from an
SBOM is escaped (`_svg.escape`: `html.escape(quote=True)` after blanking controls and bidi
overrides); links are made only from the http(s) source URLs of the alias catalogue and the
rules data, never from SBOM values. Prints black on white, one finding per page.
See docs/html-report.md for what each section means.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from sbomcheck.findings import (
    Completeness,
    DataVersion,
    Finding,
    Report,
    RuleOutcome,
    RuleStatus,
    Severity,
    Verdict,
    Waiver,
    WaiverUse,
)
from sbomcheck.report._svg import escape, paths_svg
from sbomcheck.report.interface import DEFAULT_RENDER_OPTIONS, Formatter, RenderOptions

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_VERDICT_TEXT = {
    Verdict.FAIL: "A rule in force is broken and not waived.",
    Verdict.WARN: (
        "No rule in force is broken without a waiver, but there are upcoming milestones, "
        "advisories, waived findings or weak evidence to review."
    ),
    Verdict.PASS: (
        "No Kaspersky technology was found, and the SBOM is complete enough to show its absence."
    ),
    Verdict.INDETERMINATE: (
        "No Kaspersky technology was found, but the SBOM is not complete enough to show its "
        "absence."
    ),
}

_STATUS_ORDER = {RuleStatus.IN_FORCE: 0, RuleStatus.UPCOMING: 1, RuleStatus.NOT_APPLICABLE: 2}

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1b1b1b; background: #fff; margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid #ddd; }
h3 { font-size: 17px; margin: 0 0 6px; }
h4 { font-size: 14px; margin: 16px 0 6px; text-transform: uppercase; letter-spacing: .04em;
  color: #444; }
p, li, td, th, dd, dt { overflow-wrap: break-word; }
.mono, .value { overflow-wrap: anywhere; }
.sub { color: #555; margin: 0 0 18px; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  font-size: 12.5px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
th, td { border: 1px solid #d0d0d0; padding: 5px 7px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; font-weight: 600; }
tr { break-inside: avoid; }
table.compact { font-size: 12.5px; color: #333; }
table.compact td, table.compact th { padding: 3px 6px; }
.verdict { border-radius: 8px; padding: 16px 20px; margin: 12px 0 18px; color: #fff; }
.verdict .word { font-size: 30px; font-weight: 800; letter-spacing: .06em; }
.verdict p { margin: 4px 0; font-size: 15px; }
.verdict ul { margin: 8px 0 0; padding-left: 20px; }
.verdict-fail { background: #b00020; }
.verdict-warn { background: #9a5b00; }
.verdict-pass { background: #1e7d32; }
.verdict-indeterminate { background: #4a5568; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 6px 0; }
.facts dt { font-weight: 600; color: #444; }
.facts dd { margin: 0; }
.badge { display: inline-block; border-radius: 4px; padding: 0 6px; font-size: 12px;
  font-weight: 700; border: 1px solid transparent; vertical-align: middle; white-space: nowrap; }
.sev-error { background: #fde8e8; color: #8a0018; border-color: #e3a0a8; }
.sev-warning { background: #fff3dc; color: #6b4000; border-color: #e5c07b; }
.sev-note, .sev-none { background: #eef1f5; color: #333; border-color: #c8d0da; }
.st-in-force { background: #fde8e8; color: #8a0018; border-color: #e3a0a8; }
.st-upcoming { background: #fff3dc; color: #6b4000; border-color: #e5c07b; }
.st-not-applicable { background: #eef1f5; color: #333; border-color: #c8d0da; }
.waived { background: #e6f4ea; color: #1e5b2a; border-color: #9fd0ac; }
.finding { border: 1px solid #d0d0d0; border-left: 6px solid #888; border-radius: 6px;
  padding: 14px 16px; margin: 14px 0; }
.finding.sev-error { border-left-color: #b00020; background: #fff; color: inherit; }
.finding.sev-warning { border-left-color: #c77c00; background: #fff; color: inherit; }
.finding.sev-note, .finding.sev-none { border-left-color: #8793a3; background: #fff;
  color: inherit; }
.picture { overflow-x: auto; margin: 6px 0; }
svg.paths { max-width: 100%; height: auto; font-family: inherit; }
ol.paths-text { margin: 4px 0; padding-left: 22px; }
.arrow { color: #777; padding: 0 3px; }
.timeline { list-style: none; margin: 8px 0 8px 14px; padding: 0 0 0 22px;
  border-left: 3px solid #ccc; }
.timeline li { position: relative; margin: 0 0 12px; padding-left: 8px; }
.timeline li::before { content: ""; position: absolute; left: -31px; top: 4px; width: 14px;
  height: 14px; border-radius: 50%; background: #fff; border: 3px solid #888; }
.timeline li.st-in-force::before { border-color: #b00020; background: #b00020; }
.timeline li.st-upcoming::before { border-color: #c77c00; }
.timeline li.st-not-applicable::before { border-color: #8793a3; }
.timeline li.as-of::before { border-color: #1a56db; background: #1a56db; border-radius: 2px; }
.timeline li.st-in-force, .timeline li.st-upcoming, .timeline li.st-not-applicable {
  background: none; color: inherit; border: 0; }
.timeline .date { font-weight: 700; font-variant-numeric: tabular-nums; margin-right: 8px; }
.timeline li.as-of { font-weight: 700; color: #1a56db; }
.bar { display: inline-block; width: 260px; height: 14px; border: 1px solid #888;
  background: #f3f3f3; vertical-align: middle; margin-right: 8px; }
.bar > span { display: block; height: 100%; background: #1a56db; }
.muted { color: #666; }
.ok { color: #1e5b2a; font-weight: 600; }
.bad { color: #8a0018; font-weight: 600; }
nav.toc { font-size: 13px; margin: 0 0 8px; }
nav.toc a { margin-right: 12px; }
footer { margin-top: 36px; border-top: 1px solid #ddd; padding-top: 10px; color: #555;
  font-size: 12px; }
@page { margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; color: #000; background: #fff; }
  nav.toc { display: none; }
  a { color: #000; }
  h2 { break-after: avoid; }
  .verdict { background: #fff !important; color: #000; border: 3px solid #000; }
  .badge, .st-in-force, .st-upcoming, .st-not-applicable, .waived, .sev-error, .sev-warning,
  .sev-note, .sev-none { background: #fff !important; color: #000 !important;
    border-color: #000 !important; }
  .finding { break-before: page; border: 1px solid #000; border-left: 4px solid #000; }
  .picture { overflow: visible; }
  svg.paths rect { fill: #fff; stroke: #000; }
  svg.paths .target rect { stroke-width: 3; }
  svg.paths .edge { stroke: #000; }
  svg.paths .arrowhead { fill: #000; }
  th { background: #fff; }
  .timeline { border-left-color: #000; }
  .timeline li::before { border-color: #000 !important; }
  .timeline li.st-in-force::before, .timeline li.as-of::before { background: #000 !important; }
  .timeline li.as-of, .ok, .bad, .muted { color: #000; }
  .bar { border-color: #000; background: #fff; }
  .bar > span { background: #000; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _safe_url(url: str) -> bool:
    """An absolute http(s) URL with a host and nothing a browser would reinterpret."""
    if not url or any(c.isspace() or ord(c) < 0x20 or c in "<>\"'`\\" for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _source_link(url: str) -> str:
    """A link for a catalogue or rules source; anything but http(s) stays plain text."""
    if not url:
        return '<span class="muted">none</span>'
    if not _safe_url(url):
        return f'<span class="mono">{escape(url)}</span>'
    return f'<a class="value" href="{escape(url)}" rel="noreferrer noopener">{escape(url)}</a>'


def _opt(value: object) -> str:
    """An optional SBOM value, escaped, or a muted dash."""
    if value is None or value == "":
        return '<span class="muted">\u2014</span>'
    return escape(value)


def _badge(text: str, css: str) -> str:
    return f'<span class="badge {css}">{escape(text)}</span>'


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], css: str = "") -> str:
    """A table whose cells are already-escaped HTML."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>\n" for row in rows)
    cls = f' class="{css}"' if css else ""
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>\n{body}</tbody></table>"


def _facts(pairs: Iterable[tuple[str, str]]) -> str:
    """A definition list of (label, escaped HTML) pairs."""
    items = "".join(f"<dt>{escape(k)}</dt><dd>{v}</dd>" for k, v in pairs)
    return f'<dl class="facts">{items}</dl>'


def _date_text(effective: str) -> str:
    """`2024-09-29T00:00:00-04:00` -> `2024-09-29 00:00 (UTC-04:00)`; a date stays a date."""
    if len(effective) > 10 and effective[10] == "T":
        time, zone = effective[11:16], effective[19:]
        if zone in ("Z", "+00:00"):
            zone = "UTC"
        elif zone:
            zone = f"UTC{zone}"
        return f"{effective[:10]} {time}" + (f" ({zone})" if zone else "")
    return effective


def _pct(share: float) -> str:
    return f"{share * 100:.0f}%"


class _Page:
    """Renders one report; sections are methods so each stays short."""

    def __init__(self, report: Report) -> None:
        self.report = report

    def render(self) -> str:
        report = self.report
        products = (
            ", ".join(d.product or d.name or d.path for d in report.documents) or "(no document)"
        )
        title = f"sbomcheck report: {products}: {report.verdict.value.upper()}"
        sections = [
            self.verdict(),
            self.products(),
            self.findings(),
            self.timeline(),
            self.completeness(),
            self.waivers(),
            self.unresolved(),
            *([self.skipped()] if report.skipped_inputs else []),
            self.data_versions(),
        ]
        return (
            "<!DOCTYPE html>\n"
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{escape(CSP)}">\n'
            '<meta name="referrer" content="no-referrer">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="sbomcheck {escape(report.tool_version)}">\n'
            f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            "<header>\n<h1>Kaspersky technology assessment</h1>\n"
            f'<p class="sub">{escape(products)} \u00b7 as of {escape(report.as_of)} \u00b7 '
            f"profile <strong>{escape(report.profile)}</strong></p>\n"
            '<nav class="toc"><a href="#verdict">Verdict</a><a href="#products">Products</a>'
            '<a href="#findings">Findings</a><a href="#timeline">Rules timeline</a>'
            '<a href="#completeness">Completeness</a><a href="#waivers">Waivers</a>'
            '<a href="#unresolved">Unresolved references</a>'
            + ('<a href="#skipped">Skipped inputs</a>' if report.skipped_inputs else "")
            + '<a href="#data">Data versions</a>'
            "</nav>\n</header>\n<main>\n"
            + "\n".join(sections)
            + "\n</main>\n"
            + self.footer()
            + "\n</body>\n</html>\n"
        )

    # -- sections ----------------------------------------------------------------------------

    def verdict(self) -> str:
        report = self.report
        reasons = "".join(
            f"<li>{escape(r[:1].upper() + r[1:])}</li>" for r in report.verdict_reasons
        )
        counts = self._severity_counts()
        return (
            f'<section id="verdict" class="verdict verdict-{escape(report.verdict.value)}">\n'
            f'<div class="word">{escape(report.verdict.value.upper())}</div>\n'
            f"<p>{escape(_VERDICT_TEXT[report.verdict])}</p>\n"
            f"<p>{escape(counts)}</p>\n"
            + (f"<ul>{reasons}</ul>\n" if reasons else "")
            + "</section>"
        )

    def _severity_counts(self) -> str:
        findings = self.report.findings
        if not findings:
            return "No finding."
        parts = []
        for sev in (Severity.ERROR, Severity.WARNING, Severity.NOTE, Severity.NONE):
            n = sum(1 for f in findings if f.severity is sev)
            if n:
                parts.append(f"{n} {sev.value}")
        waived = sum(1 for f in findings if f.waived)
        tail = f", {waived} waived" if waived else ""
        noun = "finding" if len(findings) == 1 else "findings"
        return f"{len(findings)} {noun}: " + ", ".join(parts) + tail + "."

    def products(self) -> str:
        rows = []
        warnings: list[str] = []
        for doc in self.report.documents:
            rows.append(
                [
                    f"<strong>{_opt(doc.product or doc.name)}</strong>",
                    _opt(doc.supplier),
                    _opt(doc.name),
                    f'<span class="mono">{escape(doc.path)}</span>',
                    f"{escape(doc.format)} {escape(doc.spec_version)}",
                    escape(doc.components),
                    escape(doc.relationships),
                    f'<span class="mono">{escape(doc.sha256)}</span>',
                ]
            )
            warnings.extend(f"<li>{escape(doc.path)}: {escape(w)}</li>" for w in doc.warnings)
        table = _table(
            [
                "Product",
                "Supplier (vendor)",
                "Document name",
                "File",
                "Format",
                "Components",
                "Relationships",
                "SHA-256 of the file",
            ],
            rows,
        )
        extra = f"<h4>Warnings while reading</h4><ul>{''.join(warnings)}</ul>" if warnings else ""
        return (
            '<section id="products">\n<h2>Products assessed</h2>\n'
            "<p>The product and its supplier as each SBOM document names them.</p>\n"
            f"{table}\n{extra}</section>"
        )

    def findings(self) -> str:
        findings = self.report.findings
        if not findings:
            body = "<p>No component was identified as Kaspersky technology.</p>"
        else:
            body = "\n".join(self._finding(i, f) for i, f in enumerate(findings, start=1))
        return f'<section id="findings">\n<h2>Findings ({len(findings)})</h2>\n{body}\n</section>'

    def _finding(self, number: int, finding: Finding) -> str:
        comp = finding.component
        badges = [
            _badge(finding.severity.value.upper(), f"sev-{finding.severity.value}"),
            _badge(finding.confidence.value, "sev-none"),
        ]
        if finding.waived:
            badges.append(_badge("waived", "waived"))
        where = comp.location + (f" (line {comp.line})" if comp.line is not None else "")
        facts = _facts(
            [
                ("Component", f"<strong>{escape(comp.name)}</strong>"),
                ("Version", _opt(comp.version)),
                ("Supplier", _opt(comp.supplier)),
                ("Package URL", f'<span class="mono">{_opt(comp.purl)}</span>'),
                ("Type", _opt(comp.type)),
                ("Reference", f'<span class="mono">{escape(comp.ref)}</span>'),
                ("Document", f'<span class="mono">{escape(comp.document)}</span>'),
                ("Where in it", _opt(where)),
                ("Release date", _opt(comp.release_date)),
                ("Build date", _opt(comp.built_date)),
                ("Document created", _opt(comp.document_created)),
                ("Finding id", f'<span class="mono">{escape(finding.id)}</span>'),
            ]
        )
        notes = "".join(f"<li>{escape(n)}</li>" for n in finding.notes)
        return (
            f'<article class="finding sev-{escape(finding.severity.value)}" '
            f'id="finding-{number}">\n'
            f"<h3>{number}. {escape(comp.name)}"
            + (f" {escape(comp.version)}" if comp.version else "")
            + f" {' '.join(badges)}</h3>\n"
            f"<p>Identified as <strong>{escape(finding.canonical)}</strong>: "
            f"{escape(finding.integration)} ({escape(finding.product_class)}).</p>\n"
            f"{facts}\n"
            f"<h4>Rules</h4>\n{self._rules_table(finding.rules)}\n"
            f"<h4>Evidence</h4>\n{self._evidence_table(finding)}\n"
            f"<h4>How it enters the product</h4>\n{self._paths(number, finding)}\n"
            + (f"<h4>Notes</h4>\n<ul>{notes}</ul>\n" if notes else "")
            + self._not_applicable_table(finding.rules)
            + "</article>"
        )

    @staticmethod
    def _rules_table(rules: Sequence[RuleOutcome]) -> str:
        applying = sorted(
            (o for o in rules if o.status is not RuleStatus.NOT_APPLICABLE),
            key=lambda o: (-o.severity.rank, _STATUS_ORDER[o.status], o.effective, o.id),
        )
        if not applying:
            return '<p class="muted">No rule milestone applies to this finding.</p>'
        rows = []
        for o in applying:
            waiver = '<span class="muted">\u2014</span>'
            if o.waiver is not None:
                state = (
                    "expired" if o.waiver_expired else ("applied" if o.waived else "not applied")
                )
                waiver = (
                    f"waiver {escape(o.waiver.index)} ({escape(state)}), "
                    f"{escape(o.waiver.approver)}, until {escape(o.waiver.expires)}"
                )
            rows.append(
                [
                    f"<strong>{escape(o.id)}</strong> <br>{escape(o.title)}",
                    escape(o.milestone)
                    + (
                        " <br><span class='muted'>prohibits "
                        f"{escape(', '.join(o.prohibits))}</span>"
                        if o.prohibits
                        else ""
                    ),
                    escape(_date_text(o.effective)),
                    _badge(o.status.value, f"st-{o.status.value}"),
                    _badge(o.severity.value, f"sev-{o.severity.value}"),
                    _opt(o.reason),
                    waiver,
                    _source_link(o.source),
                ]
            )
        return _table(
            ["Rule", "Milestone", "Effective", "Status", "Severity", "Why", "Waiver", "Source"],
            rows,
        )

    @staticmethod
    def _not_applicable_table(rules: Sequence[RuleOutcome]) -> str:
        # NOTE: kept (an auditor asks "what about rule X?") but apart and compact, so the
        # rules that decide the verdict are not buried among other profiles' milestones.
        others = [o for o in rules if o.status is RuleStatus.NOT_APPLICABLE]
        if not others:
            return ""
        rows = [
            [
                f"<strong>{escape(o.id)}</strong> {escape(o.title)}",
                escape(o.milestone),
                escape(_date_text(o.effective)),
                _opt(o.reason),
                _source_link(o.source),
            ]
            for o in others
        ]
        table = _table(["Rule", "Milestone", "Effective", "Why not", "Source"], rows, "compact")
        return f"<h4>Rules that do not apply here ({len(others)})</h4>\n{table}\n"

    @staticmethod
    def _evidence_table(finding: Finding) -> str:
        if not finding.evidence:
            return '<p class="muted">No matched field recorded.</p>'
        rows = [
            [
                f"<code>{escape(e.field)}</code>",
                f"<strong>{escape(e.value)}</strong>",
                escape(e.alias) + (" <span class='muted'>(weak alias)</span>" if e.weak else ""),
                escape(e.kind)
                + (
                    f" <br><span class='muted'>vendor {escape(e.vendor)}</span>" if e.vendor else ""
                ),
                escape(e.method),
                escape(e.confidence),
                _source_link(e.source),
            ]
            for e in finding.evidence
        ]
        return _table(
            ["Field", "Value found", "Alias", "Kind", "Match", "Confidence", "Source"], rows
        )

    @staticmethod
    def _paths(number: int, finding: Finding) -> str:
        if not finding.paths:
            return (
                '<p class="muted">No path recorded: the component is a root of the product, or '
                "the SBOM states no relationships that lead to it.</p>"
            )
        total = finding.paths_total if finding.paths_total >= 0 else None
        shown = len(finding.paths)
        count = (
            f"{shown} of {total} paths"
            if total is not None and total != shown
            else f"{shown} path{'s' if shown != 1 else ''}"
        )
        picture = paths_svg(
            finding.paths,
            svg_id=f"paths-{number}",
            caption=f"Paths from the product's roots to {finding.component.name}",
        )
        items = "".join(
            "<li>" + '<span class="arrow">\u2192</span>'.join(escape(n) for n in p) + "</li>"
            for p in finding.paths
        )
        via = (
            ", ".join(f"<strong>{escape(v)}</strong>" for v in finding.introduced_via)
            or '<span class="muted">\u2014</span>'
        )
        affected = (
            ", ".join(escape(a) for a in finding.affected) or '<span class="muted">\u2014</span>'
        )
        return (
            f"<p>Introduced via: {via}</p>\n"
            f'<div class="picture">{picture}</div>\n'
            f"<p>Paths from the product's roots ({escape(count)}; root first, the flagged "
            "component last):</p>\n"
            f'<ol class="paths-text">{items}</ol>\n'
            f"<p>Affected (contain or depend on it): {affected}</p>"
        )

    def timeline(self) -> str:
        report = self.report
        seen: dict[tuple[str, str], list[RuleOutcome]] = {}
        others: set[tuple[str, str]] = set()
        for finding in report.findings:
            for o in finding.rules:
                if o.status is RuleStatus.NOT_APPLICABLE:
                    others.add((o.id, o.milestone))
                else:
                    seen.setdefault((o.id, o.milestone), []).append(o)
        others -= set(seen)
        rest = (
            f'<p class="muted">{len(others)} more milestone{"s" if len(others) != 1 else ""} '
            f"of the rules data do{'es' if len(others) == 1 else ''} not apply to this profile "
            "or to these findings; each finding lists them.</p>\n"
            if others
            else ""
        )
        intro = (
            f"<p>Each rule milestone met by a finding, in date order, with its status for the "
            f"profile <strong>{escape(report.profile)}</strong> on "
            f"<strong>{escape(report.as_of)}</strong>.</p>"
        )
        if report.timeline:
            return self._profile_timeline(seen)
        if not seen:
            why = "no finding" if not report.findings else "not to this profile"
            return (
                f'<section id="timeline">\n<h2>Rules timeline</h2>\n{intro}\n'
                f'<p class="muted">No milestone applies: {why}.</p>\n{rest}</section>'
            )
        entries: list[tuple[str, int, str, str]] = []
        for (rule_id, milestone), outcomes in seen.items():
            first = outcomes[0]
            status = min((o.status for o in outcomes), key=lambda s: _STATUS_ORDER[s])
            n = len(outcomes)
            met = f"{n} finding{'s' if n != 1 else ''}"
            entries.append(
                _milestone_entry(status, first.effective, rule_id, milestone, first.title, met)
            )
        return self._timeline_section(intro, entries, rest)

    def _timeline_section(
        self, intro: str, entries: list[tuple[str, int, str, str]], rest: str
    ) -> str:
        """The timeline list: milestone entries and the as-of marker, in date order."""
        as_of = self.report.as_of
        marker = (
            f'<li class="as-of"><span class="date">{escape(as_of)}</span> '
            "as of: the date this assessment is made for</li>"
        )
        items = "\n".join(e[3] for e in sorted([*entries, (as_of[:10], 1, as_of, marker)]))
        return (
            f'<section id="timeline">\n<h2>Rules timeline</h2>\n{intro}\n'
            f'<ol class="timeline">\n{items}\n</ol>\n{rest}</section>'
        )

    def _profile_timeline(self, seen: dict[tuple[str, str], list[RuleOutcome]]) -> str:
        """Every milestone binding the profile (Report.timeline), with the findings that meet
        each: a clean report still shows what was checked and from when."""
        report = self.report
        intro = (
            f"<p>Every rule milestone that binds the profile <strong>{escape(report.profile)}"
            f"</strong>, in date order, with its status on <strong>{escape(report.as_of)}"
            "</strong> and the findings that meet it.</p>"
        )
        entries: list[tuple[str, int, str, str]] = []
        for t in report.timeline:
            outcomes = seen.get((t.id, t.milestone), [])
            status = min(
                (o.status for o in outcomes), key=lambda s: _STATUS_ORDER[s], default=t.status
            )
            n = len(outcomes)
            met = f"{n} finding{'s' if n != 1 else ''}" if n else "no finding"
            entries.append(_milestone_entry(status, t.effective, t.id, t.milestone, t.title, met))
        return self._timeline_section(intro, entries, "")

    def completeness(self) -> str:
        comp = self.report.completeness
        head = '<section id="completeness">\n<h2>Completeness of the SBOM</h2>\n'
        if comp is None:
            return head + '<p class="muted">Not measured.</p>\n</section>'
        return head + self._completeness_body(comp) + "\n</section>"

    @staticmethod
    def _completeness_body(comp: Completeness) -> str:
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
                escape(label),
                f'<span class="bar" aria-hidden="true"><span style="width:{share * 100:.1f}%">'
                f"</span></span>{escape(_pct(share) + count)}",
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
                escape(", ".join(comp.compositions)) or '<span class="muted">none stated</span>',
            ],
            ["Unresolved references", escape(comp.unresolved_references)],
        ]
        if comp.sufficient:
            verdict = (
                '<p class="ok">Complete enough for an absence of findings to mean absence.</p>'
            )
        else:
            reasons = "".join(f"<li>{escape(r)}</li>" for r in comp.reasons)
            verdict = (
                '<p class="bad">Not complete enough to show absence: a clean result here '
                f"proves little.</p><ul>{reasons}</ul>"
            )
        return (
            f"<p>{escape(comp.components)} components. Identification rests on suppliers, "
            "package URLs, CPEs and hashes; the fewer the SBOM gives, the less an empty result "
            "says.</p>\n" + _table(["Measure", "Share"], rows) + "\n" + verdict
        )

    def _waiver_rows(self) -> list[tuple[Waiver, WaiverUse | None]]:
        found: dict[tuple[str, int], tuple[Waiver, WaiverUse | None]] = {}
        for use in self.report.waivers:
            found[(use.waiver.source, use.waiver.index)] = (use.waiver, use)
        for finding in self.report.findings:
            for o in finding.rules:
                if o.waiver is not None:
                    found.setdefault((o.waiver.source, o.waiver.index), (o.waiver, None))
        return [found[k] for k in sorted(found)]

    def waivers(self) -> str:
        rows = []
        for waiver, use in self._waiver_rows():
            criteria = [
                f"{label} = {escape(value)}"
                for label, value in (
                    ("name", waiver.name),
                    ("purl", waiver.purl),
                    ("ref", waiver.ref),
                    ("alias", waiver.alias),
                    ("version", waiver.version),
                    ("rule", waiver.rule),
                )
                if value
            ]
            if use is None:
                status = '<span class="muted">listed by a rule outcome</span>'
            elif use.expired:
                status = f'<span class="bad">expired on {escape(waiver.expires)}</span>'
            elif not use.matched:
                status = '<span class="bad">unused: matches no finding</span>'
            else:
                n = len(use.matched)
                status = f'<span class="ok">applied to {n} finding{"s" if n != 1 else ""}</span>'
            rows.append(
                [
                    f"{escape(waiver.source or '-')} #{escape(waiver.index)}",
                    " <br>".join(criteria) or '<span class="muted">\u2014</span>',
                    escape(waiver.reason),
                    f"<strong>{escape(waiver.approver)}</strong>",
                    _opt(waiver.ticket),
                    escape(waiver.expires),
                    status,
                ]
            )
        head = '<section id="waivers">\n<h2>Waivers</h2>\n'
        if not rows:
            return head + '<p class="muted">No waiver was given.</p>\n</section>'
        table = _table(
            ["Waiver", "Matches", "Reason", "Approved by", "Ticket", "Expires", "Status"], rows
        )
        return (
            head + "<p>A waived finding stays visible; from its expiry date on it fails "
            f"again.</p>\n{table}\n</section>"
        )

    def unresolved(self) -> str:
        refs = self.report.unresolved_references
        head = '<section id="unresolved">\n<h2>Unresolved references</h2>\n'
        if not refs:
            return (
                head + '<p class="muted">None: every referenced document was given.</p>\n</section>'
            )
        table = _table(
            ["Document", "Reference", "Where", "Why"],
            (
                [
                    f'<span class="mono">{escape(u.document)}</span>',
                    f'<span class="mono">{escape(u.reference)}</span>',
                    _opt(u.location),
                    escape(u.reason),
                ]
                for u in refs
            ),
        )
        return (
            head + "<p>Parts of the product the SBOM points to but that were not available: "
            f"anything inside them was not checked.</p>\n{table}\n</section>"
        )

    def skipped(self) -> str:
        items = self.report.skipped_inputs
        table = _table(
            ["Input", "Why skipped", "May hold an SBOM"],
            (
                [
                    f'<span class="mono">{escape(item.path)}</span>',
                    escape(item.reason),
                    "<strong>yes</strong>: not read" if item.may_hold_sbom else "no",
                ]
                for item in items
            ),
        )
        return (
            '<section id="skipped">\n<h2>Skipped inputs</h2>\n<p>Files, directories and '
            "archive members among the inputs that were not read. Those that may hold an "
            f"SBOM keep a clean result from passing.</p>\n{table}\n</section>"
        )

    def data_versions(self) -> str:
        report = self.report

        def row(label: str, data: DataVersion | None) -> list[str]:
            if data is None:
                return [escape(label), '<span class="muted">unknown</span>', "", "", ""]
            return [
                escape(label),
                escape(data.name),
                escape(data.version),
                escape(data.rows),
                f'<span class="mono">{escape(data.sha256)}</span>',
            ]

        table = _table(
            ["Data", "File", "Version", "Rows", "SHA-256"],
            [row("Alias catalogue", report.catalogue), row("Rules", report.rules)],
        )
        return (
            '<section id="data">\n<h2>Data versions</h2>\n'
            "<p>The decision rests on these data files; the same files and the same as-of date "
            "give the same decision.</p>\n"
            f"{table}\n<p>Tool: sbomcheck {escape(report.tool_version)}.</p>\n</section>"
        )

    def footer(self) -> str:
        return (
            f"<footer>Generated by sbomcheck {escape(self.report.tool_version)} for "
            f"{escape(self.report.as_of)}. Self-contained: this page loads nothing from the "
            "network. Values taken from SBOMs are shown as text exactly as found; links point "
            "only to the sources of the alias catalogue and the rules.</footer>"
        )


class HtmlFormatter(Formatter):
    """`--format html`: the self-contained procurement report."""

    def render(self, report: Report, options: RenderOptions = DEFAULT_RENDER_OPTIONS) -> str:
        """The whole HTML page (UTF-8 text, ending with a newline)."""
        return _Page(report).render()


def _milestone_entry(
    status: RuleStatus, effective: str, rule_id: str, milestone: str, title: str, met: str
) -> tuple[str, int, str, str]:
    """(sort keys..., list item) for one milestone of the rules timeline."""
    item = (
        f'<li class="st-{escape(status.value)}">'
        f'<span class="date">{escape(_date_text(effective))}</span> '
        f"{_badge(status.value, f'st-{status.value}')} "
        f"<strong>{escape(rule_id)}</strong> {escape(milestone)}: {escape(title)}"
        f' <span class="muted">({met})</span></li>'
    )
    return effective[:10], 0, effective, item
