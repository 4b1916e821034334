"""Small helpers for audit results in tests."""

from __future__ import annotations

from sbomcheck.audit.runner import AuditResult, ProductAudit


def decided(result: AuditResult) -> list[ProductAudit]:
    """The products of a run that decided every one itself (no earlier attempt recorded any),
    with their reports as values rather than the ledger's stored JSON."""
    products = [p for p in result.products if isinstance(p, ProductAudit)]
    assert len(products) == len(result.products), "a product was recorded by an earlier attempt"
    return products
