"""`--format html`: a self-contained procurement report for a buyer or an auditor.

One file, nothing fetched when it is viewed: inline CSS, inline SVG, no script, and a
Content-Security-Policy that forbids loading anything else. The page is built from the pieces
every HTML report shares (`report/_html.py`: banner, finding cards, path pictures, timeline,
appendix), so `scan`, `audit` and `recheck` reports look and print alike. Every value that
comes from an SBOM is escaped with `sbomcheck.safe_text.html_text`; links are made only from
the http(s) source URLs of the alias catalogue and the rules data, never from SBOM values.
See docs/html-report.md for what each section means.
"""

from __future__ import annotations

from sbomcheck.findings import Report, Verdict, Waiver, WaiverUse
from sbomcheck.report._html import (
    CSP,
    appendix,
    banner,
    code,
    completeness_table,
    data_versions_table,
    finding_card,
    finding_counts,
    finding_name,
    opt,
    page,
    sources_of,
    table,
    timeline,
)
from sbomcheck.report.interface import DEFAULT_RENDER_OPTIONS, Formatter, RenderOptions
from sbomcheck.safe_text import html_text as esc

__all__ = ["CSP", "HtmlFormatter"]

VERDICT_TEXT = {
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
"""What each verdict means, in one sentence (a PASS with reasons says it with them)."""


class _Page:
    """Renders one report; sections are methods so each stays short."""

    def __init__(self, report: Report) -> None:
        self.report = report

    def render(self) -> str:
        report = self.report
        products = (
            ", ".join(d.product or d.name or d.path for d in report.documents) or "(no document)"
        )
        nav = [
            ("verdict", "Verdict"),
            ("products", "Products"),
            ("findings", "Findings"),
            ("timeline", "Rules timeline"),
            ("completeness", "Completeness"),
            ("waivers", "Waivers"),
            ("unresolved", "Unresolved references"),
            *([("skipped", "Skipped inputs")] if report.skipped_inputs else []),
            ("data", "Data versions"),
            *([("appendix", "Appendix")] if report.findings else []),
        ]
        sections = [
            self.verdict(),
            self.products(),
            self.findings(),
            timeline(
                as_of=report.as_of,
                profile=report.profile,
                entries=report.timeline,
                outcomes=[o for f in report.findings for o in f.rules],
            ),
            self.completeness(),
            self.waivers(),
            self.unresolved(),
            *([self.skipped()] if report.skipped_inputs else []),
            self.data_versions(),
            appendix(
                [
                    (f"appendix-{i}", f"A.{i} {finding_name(f)}", f)
                    for i, f in enumerate(report.findings, start=1)
                ],
                sources_of(report.findings),
            ),
        ]
        return page(
            title=f"sbomcheck report: {products}: {report.verdict.value.upper()}",
            heading="Kaspersky technology assessment",
            subtitle=(
                f"{esc(products)} \u00b7 as of {esc(report.as_of)} \u00b7 "
                f"profile <strong>{esc(report.profile)}</strong>"
            ),
            nav=nav,
            sections=[s for s in sections if s],
            footer=self.footer(),
            tool_version=report.tool_version,
        )

    # -- sections ----------------------------------------------------------------------------

    def verdict(self) -> str:
        report = self.report
        # NOTE: a PASS's reasons already say what PASS means; saying it twice reads as noise.
        meaning = (
            ""
            if report.verdict is Verdict.PASS and report.verdict_reasons
            else VERDICT_TEXT[report.verdict]
        )
        return banner(
            report.verdict,
            meaning=meaning,
            counts=finding_counts(report.findings),
            reasons=report.verdict_reasons,
        )

    def products(self) -> str:
        rows = []
        warnings: list[str] = []
        for doc in self.report.documents:
            named = doc.product or doc.name
            also = (
                f' <span class="why">document {esc(doc.name)}</span>'
                if doc.name and doc.name != named
                else ""
            )
            rows.append(
                [
                    f"<strong>{opt(named)}</strong>{also}",
                    opt(doc.supplier),
                    f'{code(doc.path)} <span class="why">{esc(doc.format)} '
                    f"{esc(doc.spec_version)}</span>",
                    f'{esc(doc.components)} <span class="why">'
                    f"{esc(doc.relationships)} relationships</span>",
                    code(doc.sha256),
                ]
            )
            warnings.extend(f"<li>{code(doc.path)}: {esc(w)}</li>" for w in doc.warnings)
        products = table(
            ["Product", "Supplier (vendor)", "SBOM file", "Components", "SHA-256 of the file"],
            rows,
            widths=(21, 17, 28, 14, 20),
        )
        extra = f"<h4>Warnings while reading</h4><ul>{''.join(warnings)}</ul>" if warnings else ""
        return (
            '<section id="products">\n<h2>Products assessed</h2>\n'
            "<p>The product and its supplier as each SBOM document names them.</p>\n"
            f"{products}\n{extra}</section>"
        )

    def findings(self) -> str:
        findings = self.report.findings
        if not findings:
            body = '<p class="muted">None.</p>'
        else:
            body = "\n".join(
                finding_card(f, number=i, anchor=f"finding-{i}", appendix=f"appendix-{i}")
                for i, f in enumerate(findings, start=1)
            )
        return f'<section id="findings">\n<h2>Findings ({len(findings)})</h2>\n{body}\n</section>'

    def completeness(self) -> str:
        comp = self.report.completeness
        head = '<section id="completeness">\n<h2>Completeness of the SBOM</h2>\n'
        if comp is None:
            return head + '<p class="muted">Not measured.</p>\n</section>'
        return head + completeness_table(comp) + "\n</section>"

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
                f"{label} = {esc(value)}"
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
                status = f'<span class="bad">expired on {esc(waiver.expires)}</span>'
            elif not use.matched:
                status = '<span class="bad">unused: matches no finding</span>'
            else:
                n = len(use.matched)
                status = f'<span class="ok">applied to {n} finding{"s" if n != 1 else ""}</span>'
            rows.append(
                [
                    f"{esc(waiver.source or '-')} #{esc(waiver.index)}",
                    " <br>".join(criteria) or '<span class="muted">\u2014</span>',
                    esc(waiver.reason),
                    f"<strong>{esc(waiver.approver)}</strong>",
                    opt(waiver.ticket),
                    esc(waiver.expires),
                    status,
                ]
            )
        head = '<section id="waivers">\n<h2>Waivers</h2>\n'
        if not rows:
            return head + '<p class="muted">No waiver was given.</p>\n</section>'
        listing = table(
            ["Waiver", "Matches", "Reason", "Approved by", "Ticket", "Expires", "Status"],
            rows,
            widths=(13, 17, 20, 15, 10, 11, 14),
        )
        return (
            head + "<p>A waived finding stays visible; from its expiry date on it fails "
            f"again.</p>\n{listing}\n</section>"
        )

    def unresolved(self) -> str:
        refs = self.report.unresolved_references
        head = '<section id="unresolved">\n<h2>Unresolved references</h2>\n'
        if not refs:
            return (
                head + '<p class="muted">None: every referenced document was given.</p>\n</section>'
            )
        listing = table(
            ["Document", "Reference", "Where", "Why"],
            (
                [
                    code(u.document),
                    code(u.reference),
                    code(u.location) if u.location else opt(u.location),
                    esc(u.reason),
                ]
                for u in refs
            ),
            widths=(24, 30, 20, 26),
        )
        return (
            head + "<p>Parts of the product the SBOM points to but that were not available: "
            f"anything inside them was not checked.</p>\n{listing}\n</section>"
        )

    def skipped(self) -> str:
        items = self.report.skipped_inputs
        listing = table(
            ["Input", "Why skipped", "May hold an SBOM"],
            (
                [
                    code(item.path),
                    esc(item.reason),
                    "<strong>yes</strong>: not read" if item.may_hold_sbom else "no",
                ]
                for item in items
            ),
            widths=(45, 35, 20),
        )
        return (
            '<section id="skipped">\n<h2>Skipped inputs</h2>\n<p>Files, directories and '
            "archive members among the inputs that were not read. Those that may hold an "
            f"SBOM keep a clean result from passing.</p>\n{listing}\n</section>"
        )

    def data_versions(self) -> str:
        report = self.report
        return (
            '<section id="data">\n<h2>Data versions</h2>\n'
            "<p>The decision rests on these data files; the same files and the same as-of date "
            "give the same decision.</p>\n"
            f"{data_versions_table(report.catalogue, report.rules)}\n"
            f"<p>Tool: sbomcheck {esc(report.tool_version)}.</p>\n</section>"
        )

    def footer(self) -> str:
        return (
            f"Generated by sbomcheck {esc(self.report.tool_version)} for "
            f"{esc(self.report.as_of)}. Self-contained: this page loads nothing from the "
            "network. Values taken from SBOMs are shown as text exactly as found; links point "
            "only to the sources of the alias catalogue and the rules."
        )


class HtmlFormatter(Formatter):
    """`--format html`: the self-contained procurement report."""

    def render(self, report: Report, options: RenderOptions = DEFAULT_RENDER_OPTIONS) -> str:
        """The whole HTML page (UTF-8 text, ending with a newline)."""
        return _Page(report).render()
