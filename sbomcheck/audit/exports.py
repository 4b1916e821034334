"""`audit --format sarif|junit|csv`: the whole batch in the formats CI tools and auditors read.

Each is the `scan` format of the same name over every product of the batch, built from that
formatter's own pieces, so a product looks the same in `scan` and `audit` output:

- **SARIF** (`sbomcheck.report.sarif`): one run over all products' findings, each result
  located in the SBOM file that declares its component (`sarif_log` of the products'
  findings and documents together); the run's `properties` give each product's verdict and
  reasons (`products`), the totals (`summary`) and `verdict`, the worst verdict of any
  product (pass < indeterminate < warn < fail, as the exit code ranks them). An unreadable
  input is a tool execution notification of level `error` located in its file.
- **JUnit** (`sbomcheck.report.junit`): one `<testsuite>` per SBOM (a product with linked
  SBOMs has one per document, each with the product's verdict as a property), and one per
  unreadable input, whose single test case `read` has an `<error>`.
- **CSV** (`sbomcheck.report.csv`): the columns of `scan --format csv` plus `product`, the
  path of the product's SBOM (its first document; a finding in a linked SBOM names that one
  in `sbom`); `verdict` is the product's. Auditors see every SBOM: a product without
  findings is one row with empty component and rule cells, its verdict, and its verdict's
  reasons as the note; an unreadable input is one row with the verdict `unreadable` and the
  error as the note.

A product an interrupted attempt of a resumed run recorded (only its JSON report is left) is
rendered from that report (`sbomcheck.report._stored`), like one decided now.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sbomcheck._version import __version__
from sbomcheck.audit.runner import AuditedProduct, AuditResult, ProductAudit
from sbomcheck.findings import Report, Verdict
from sbomcheck.report.csv import COLUMNS, csv_text, finding_rows
from sbomcheck.report.interface import DEFAULT_RENDER_OPTIONS, RenderOptions
from sbomcheck.safe_text import visible

if TYPE_CHECKING:
    from sbomcheck.ingest.positions import Position

__all__ = [
    "AUDIT_CSV_COLUMNS",
    "UNREADABLE",
    "audit_csv",
    "audit_junit",
    "audit_positions",
    "audit_sarif",
]

AUDIT_CSV_COLUMNS = (*COLUMNS, "product")
"""The header of `audit --format csv`."""

UNREADABLE = "unreadable"
"""The `verdict` cell (CSV) and property (JUnit) of an input that could not be read."""

_RANK = {Verdict.PASS: 0, Verdict.INDETERMINATE: 1, Verdict.WARN: 2, Verdict.FAIL: 3}


def product_report(product: AuditedProduct) -> Report:
    """The scan report of one product of the batch (rebuilt from the JSON a resumed run's
    ledger kept, for a product recorded by an earlier attempt)."""
    if isinstance(product, ProductAudit):
        return product.report
    from sbomcheck.report._stored import report_from_dict

    return report_from_dict(product.report_dict())


def _head(report: Report) -> str:
    """The product's SBOM: its first document (what `audit`'s other formats list)."""
    return report.documents[0].path if report.documents else ""


# --- CSV -------------------------------------------------------------------------------------


def _row(**cells: str) -> tuple[str, ...]:
    """A row of `AUDIT_CSV_COLUMNS` with these cells and the others empty."""
    return tuple(cells.get(column, "") for column in AUDIT_CSV_COLUMNS)


def audit_csv(result: AuditResult, *, as_of: str, profile: str) -> str:
    """`audit --format csv`: a row per (finding, rule) of every product, a row per product
    without findings, a row per unreadable input; products in input order."""
    rows: list[tuple[str, ...]] = []
    for product in result.products:
        report = product_report(product)
        head = _head(report)
        found = [(*row, head) for row in finding_rows(report)]
        if not found:
            reasons = "; ".join(report.verdict_reasons)
            found = [_row(sbom=head, verdict=report.verdict.value, note=reasons, product=head)]
        rows += found
    rows += [
        _row(sbom=f.path, verdict=UNREADABLE, note=f.message, product=f.path)
        for f in result.failures
    ]
    return csv_text(AUDIT_CSV_COLUMNS, rows)


# --- SARIF -----------------------------------------------------------------------------------


def _worst(verdicts: Sequence[Verdict]) -> Verdict:
    return max(verdicts, key=_RANK.__getitem__, default=Verdict.INDETERMINATE)


def _batch_report(reports: Sequence[Report], *, as_of: str, profile: str) -> Report:
    """Every product's documents and findings as one report: what the SARIF run lists."""
    return Report(
        tool_version=reports[0].tool_version if reports else __version__,
        as_of=as_of,
        profile=profile,
        verdict=_worst([r.verdict for r in reports]),
        documents=tuple(d for r in reports for d in r.documents),
        findings=tuple(f for r in reports for f in r.findings),
        unresolved_references=tuple(u for r in reports for u in r.unresolved_references),
    )


def _unreadable_notification(path: str, message: str, stdin_name: str) -> dict[str, Any]:
    from sbomcheck.report.sarif import artifact_location, plain_brackets

    return {
        "descriptor": {"id": "sbomcheck/unreadable-input"},
        "level": "error",
        # NOTE: the SARIF formatter's own escaping of plain text: a `[text](n)` in the
        # message must not become an embedded link.
        "message": {"text": plain_brackets(visible(f"cannot be read: {message}"))},
        "locations": [
            {"physicalLocation": {"artifactLocation": artifact_location(path, stdin_name)}}
        ],
    }


def audit_positions(result: AuditResult) -> dict[str, Position]:
    """Where each finding of the batch is declared in its SBOM file, by finding id: the files
    the batch listed (`AuditResult.sources`) read again, those with findings only; a file
    changed since it was audited (or a product only an earlier attempt listed) gets none."""
    from sbomcheck.ingest.positions import ScannedDocument, locate_findings, source_reader
    from sbomcheck.model import Format

    reports = [product_report(product) for product in result.products]
    findings = [f for report in reports for f in report.findings]
    if not findings or not result.sources:
        return {}
    formats = {f.value for f in Format}
    documents = [
        ScannedDocument(d.path, Format(d.format), d.sha256)
        for report in reports
        for d in report.documents
        if d.format in formats
    ]
    return locate_findings(findings, documents, source_reader(result.sources))


def audit_sarif(
    result: AuditResult,
    *,
    as_of: str,
    profile: str,
    options: RenderOptions = DEFAULT_RENDER_OPTIONS,
) -> str:
    """`audit --format sarif`: SARIF 2.1.0, one run over every product's findings, written
    by `scan`'s SARIF writer (positions, GitHub's limits, `automationDetails.id`
    `sbomcheck/audit/<profile>/[<category>/]`)."""
    from sbomcheck.report.sarif import render_sarif

    pairs = [(product, product_report(product)) for product in result.products]
    reports = [report for _, report in pairs]
    products = [
        {
            "sbom": _head(report),
            "documents": [d.path for d in report.documents],
            "verdict": report.verdict.value,
            "verdictReasons": list(report.verdict_reasons),
            "findings": len(report.findings),
            "productKey": product.key,
        }
        for product, report in pairs
    ]
    unreadable = [
        _unreadable_notification(f.path, f.message, options.stdin_name) for f in result.failures
    ]

    def amend(log: dict[str, Any]) -> None:
        run = log["runs"][0]
        properties = run["properties"]
        # NOTE: reasons and completeness belong to a product, each listed under `products`.
        properties.pop("verdictReasons", None)
        properties.pop("completeness", None)
        properties["products"] = products
        properties["summary"] = result.summary()
        if unreadable:
            invocations = run.setdefault("invocations", [{"executionSuccessful": True}])
            invocations[0].setdefault("toolExecutionNotifications", []).extend(unreadable)

    batch = _batch_report(reports, as_of=as_of, profile=profile)
    return render_sarif(batch, options, command="audit", amend=amend)


# --- JUnit -----------------------------------------------------------------------------------


def audit_junit(result: AuditResult, *, as_of: str, profile: str) -> str:
    """`audit --format junit`: JUnit XML, one test suite per SBOM of every product and one
    per unreadable input."""
    from lxml import etree

    from sbomcheck.report.junit import Case, add_suite, finish, report_suites

    root = etree.Element("testsuites", name="sbomcheck audit")
    cases: list[Case] = []
    for product in result.products:
        cases += report_suites(root, product_report(product))
    for failure in result.failures:
        message = visible(f"cannot read the SBOM: {failure.message}")
        case = Case(name="read", error=(message, UNREADABLE, ""))
        properties = (("verdict", UNREADABLE), ("as_of", as_of), ("profile", profile))
        add_suite(root, failure.path, [case], properties)
        cases.append(case)
    return finish(root, cases)
