"""What a batch audit gives back: each product's audit, and the whole batch.

A product is decided in this run (`ProductAudit`, with its report and, for the ledger, its
stored documents) or was recorded by an interrupted attempt of the same run
(`RecordedProduct`, its JSON report as the ledger kept it). The reports
(`sbomcheck.audit.render`, `html`, `exports`) read both alike. Made by
`sbomcheck.audit.runner`, which re-exports these names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sbomcheck.audit.ledger import StoredDocument
from sbomcheck.findings import Report, Verdict
from sbomcheck.ingest.sources import InputFailure, Source


@dataclass(frozen=True, slots=True, kw_only=True)
class ProductAudit:
    """The audit of one product: the scan report and its documents as the ledger keeps them."""

    key: str
    """sha256 over the sorted sha256 of its documents: stable across paths and runs."""
    report: Report
    stored: tuple[StoredDocument, ...] = field(default=(), repr=False)
    """Inventories for the ledger (empty when no ledger is written)."""

    @property
    def verdict(self) -> Verdict:
        """The product's verdict."""
        return self.report.verdict

    @property
    def document_count(self) -> int:
        """SBOMs the product was read from."""
        return len(self.report.documents)

    @property
    def finding_count(self) -> int:
        """Findings in its report."""
        return len(self.report.findings)

    def report_dict(self) -> dict[str, Any]:
        """The JSON report."""
        return self.report.to_dict()


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordedProduct:
    """A product that an interrupted attempt of a resumed run recorded in the ledger: its
    verdict counts in the run's report and exit code as it was recorded."""

    key: str
    report: dict[str, Any]
    """The JSON report as the ledger stored it."""

    @property
    def verdict(self) -> Verdict:
        """The recorded verdict."""
        return Verdict(self.report["verdict"])

    @property
    def document_count(self) -> int:
        """SBOMs the product was read from."""
        return len(self.report["documents"])

    @property
    def finding_count(self) -> int:
        """Findings in its report."""
        return len(self.report["findings"])

    def report_dict(self) -> dict[str, Any]:
        """The JSON report."""
        return self.report


AuditedProduct = ProductAudit | RecordedProduct
"""A product of a run: decided now, or recorded by an interrupted attempt of the same run."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditResult:
    """The whole batch (for a resumed run: the whole run, every attempt)."""

    products: tuple[AuditedProduct, ...]
    failures: tuple[InputFailure, ...] = ()
    run_id: int | None = None
    sources: tuple[Source, ...] = field(default=(), repr=False, compare=False)
    """The SBOMs this attempt listed (standard input's bytes among them, nothing else read),
    for outputs that point into the files to read them again (`audit --format sarif`)."""

    @property
    def resumed(self) -> int:
        """Products an interrupted attempt of this run had recorded (not decided again)."""
        return sum(isinstance(p, RecordedProduct) for p in self.products)

    def verdict_counts(self) -> dict[str, int]:
        """How many products got each verdict (every verdict present, zero or not)."""
        counts = {v.value: 0 for v in Verdict}
        for p in self.products:
            counts[p.verdict.value] += 1
        return counts

    def summary(self) -> dict[str, Any]:
        """Totals for the report."""
        return {
            "sboms": sum(p.document_count for p in self.products),
            "products": len(self.products),
            "unreadable": len(self.failures),
            "resumed": self.resumed,
            "findings": sum(p.finding_count for p in self.products),
            "verdicts": self.verdict_counts(),
        }
