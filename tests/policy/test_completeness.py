"""Completeness shares and the thresholds that make a clean result `indeterminate`."""

from __future__ import annotations

import pytest

from sbomcheck.cli._common import exit_code
from sbomcheck.findings import Verdict
from sbomcheck.policy import (
    CompletenessThresholds,
    assess_completeness,
    evaluate,
    load_rules,
)
from tests.policy.helpers import D, component, document

RULES = load_rules()


def test_shares_over_all_documents() -> None:
    doc = document(
        (
            component(0, supplier=True, purl=True, hashes=True),
            component(1, supplier=True),
            component(2, purl=True),
            component(3),
            component(9, supplier=True, purl=True, hashes=True, metadata=True),  # not counted
        )
    )
    c = assess_completeness([doc], unresolved_references=0)
    assert (c.components, c.with_supplier, c.with_purl_or_cpe, c.with_hashes) == (4, 0.5, 0.5, 0.25)
    assert c.has_relationships
    # 3 of 4 carry some identity: enough.
    assert c.sufficient and c.reasons == ()


def test_identity_threshold_boundary() -> None:
    # Exactly half identified: sufficient; below half: not.
    half = document((component(0, hashes=True), component(1)))
    assert assess_completeness([half], 0).sufficient
    third = document((component(0, hashes=True), component(1), component(2)))
    c = assess_completeness([third], 0)
    assert not c.sufficient
    assert c.reasons == (
        "2 of 3 components carry no supplier, purl, CPE or hash (identified: 33%, needed: 50%)",
    )


def test_no_components() -> None:
    c = assess_completeness([document(())], 0)
    assert (c.components, c.with_supplier, c.sufficient) == (0, 0.0, False)
    assert c.reasons == ("the SBOMs list no components",)


def test_no_relationships() -> None:
    doc = document((component(0, purl=True), component(1, purl=True)), relationships=False)
    c = assess_completeness([doc], 0)
    assert not c.has_relationships
    assert c.reasons == ("the SBOMs state no relationships between components",)
    # One component has nothing to relate to.
    single = document((component(0, purl=True),), relationships=False)
    assert assess_completeness([single], 0).sufficient


def test_unresolved_references() -> None:
    doc = document((component(0, purl=True), component(1, purl=True)))
    assert assess_completeness([doc], 2).reasons == (
        "2 references to other SBOMs could not be resolved",
    )
    assert assess_completeness([doc], 1).reasons == (
        "1 reference to other SBOMs could not be resolved",
    )


@pytest.mark.parametrize(
    ("aggregates", "sufficient"),
    [
        (("incomplete",), False),
        (("unknown",), False),
        (("incomplete_first_party_only", "unknown"), False),
        (("complete",), True),
        (("complete", "incomplete"), True),
        ((), True),
    ],
)
def test_compositions(aggregates: tuple[str, ...], sufficient: bool) -> None:
    doc = document((component(0, purl=True), component(1, purl=True)), compositions=aggregates)
    c = assess_completeness([doc], 0)
    assert c.compositions == tuple(sorted(aggregates))
    assert c.sufficient is sufficient


def test_custom_thresholds() -> None:
    doc = document((component(0, hashes=True), component(1), component(2)))
    lax = CompletenessThresholds(min_identified=0.3)
    assert assess_completeness([doc], 0, thresholds=lax).sufficient


def test_incomplete_sbom_without_findings_is_indeterminate_and_gates() -> None:
    doc = document((component(0), component(1), component(2)), relationships=False)
    c = assess_completeness([doc], 1)
    assert c.reasons == (
        "3 of 3 components carry no supplier, purl, CPE or hash (identified: 0%, needed: 50%)",
        "the SBOMs state no relationships between components",
        "1 reference to other SBOMs could not be resolved",
    )
    result = evaluate([], rules=RULES, profile="vendor", as_of=D("2025-01-01"), completeness=c)
    assert result.verdict is Verdict.INDETERMINATE
    assert len(result.reasons) == 3
    assert result.reasons[1] == (
        "Nothing was found, but the SBOMs cannot show absence: the SBOMs state no "
        "relationships between components."
    )
    assert exit_code(result.verdict) == 0
    assert exit_code(result.verdict, "warn") == 0
    assert exit_code(result.verdict, "indeterminate") == 1
