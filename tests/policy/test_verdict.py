"""Each check of the verdict on its own, on hand-made outcomes; then how `decide` composes them."""

from __future__ import annotations

import dataclasses

import pytest

from sbomcheck.findings import (
    Finding,
    RuleOutcome,
    RuleStatus,
    Severity,
    Verdict,
    Waiver,
    WaiverUse,
)
from sbomcheck.policy import load_rules
from sbomcheck.policy import verdict as v
from sbomcheck.policy.profiles import profile_named
from tests.policy.helpers import COMPLETE, INCOMPLETE, finding

RULES = load_rules()
WAIVER = Waiver(
    index=0, reason="r", approver="ciso@example.org", expires="2025-01-01", ticket="T-1"
)
NOTE = "released after the 2024-09-29 ban on updates"


def outcome(
    rule: str = "US-ICTS-2021-002",
    milestone: str = "integration-updates-resale",
    *,
    status: RuleStatus = RuleStatus.IN_FORCE,
    severity: Severity = Severity.ERROR,
    effective: str = "2024-09-29T00:00:00-04:00",
    reason: str = "in force since 2024-09-29",
    prohibits: tuple[str, ...] = ("updates",),
    waived: bool = False,
    waiver: Waiver | None = None,
    waiver_expired: bool = False,
) -> RuleOutcome:
    return RuleOutcome(
        id=rule,
        title="t",
        milestone=milestone,
        effective=effective,
        status=status,
        severity=severity,
        reason=reason,
        prohibits=prohibits,
        waived=waived,
        waiver=waiver,
        waiver_expired=waiver_expired,
    )


def ruled(name: str, *outcomes: RuleOutcome, notes: tuple[str, ...] = ()) -> Finding:
    return dataclasses.replace(finding(name), rules=outcomes, notes=notes)


def evaluation(
    *findings: Finding,
    profile: str = "vendor",
    uses: tuple[WaiverUse, ...] = (),
    incomplete: bool = False,
) -> v.Evaluation:
    return v.read(
        findings,
        uses,
        INCOMPLETE if incomplete else COMPLETE,
        rules=RULES,
        profile=profile_named(profile),
        dated_note=(NOTE,),
    )


FAILING = outcome()
UPCOMING = outcome(
    status=RuleStatus.UPCOMING, severity=Severity.WARNING, reason="comes into force on 2024-09-29"
)


def test_failing_milestones_group_findings_per_milestone() -> None:
    ev = evaluation(ruled("a", FAILING), ruled("b", FAILING), ruled("a", FAILING))
    assert v.failing_milestones(ev) == (
        "US-ICTS-2021-002 (integration-updates-resale) is in force since 2024-09-29 and "
        "2 findings break it: a@12.1, b@12.1.",
    )
    assert v.failing_milestones(evaluation(ruled("a", UPCOMING))) == ()


def test_failing_milestones_name_three_findings_and_count_the_rest() -> None:
    ev = evaluation(*(ruled(n, FAILING) for n in "abcde"))
    assert v.failing_milestones(ev)[0].endswith(
        "5 findings break it: a@12.1, b@12.1, c@12.1 and 2 more."
    )


def test_expired_waivers_say_each_finding_fails_again_once() -> None:
    expired = outcome(waiver=WAIVER, waiver_expired=True)
    ev = evaluation(ruled("a", expired), ruled("a", expired))
    assert v.expired_waivers(ev) == (
        "waiver[0] (T-1) expired on 2025-01-01: a@12.1 fails again under US-ICTS-2021-002 "
        "(integration-updates-resale).",
    )
    # An expired waiver is not also a plain failing sentence.
    assert v.failing_milestones(ev) == ()


def test_updates_stopped_warning_is_for_end_users_only() -> None:
    ended = outcome(
        milestone="updates-end", severity=Severity.WARNING, prohibits=("updates", "ksn")
    )
    assert v.updates_stopped_warning(evaluation(ruled("a", ended), profile="end-user")) == (
        "WARNING: Kaspersky updates and the Kaspersky Security Network stopped for US users on "
        "2024-09-29: a@12.1 no longer receive signatures or fixes. End users are not penalised, "
        "but should replace them.",
    )
    assert v.updates_stopped_warning(evaluation(ruled("a", ended), profile="vendor")) == ()


def test_the_end_user_warning_covers_its_rule_at_warning_level() -> None:
    ended = outcome(milestone="updates-end", severity=Severity.WARNING, prohibits=("updates",))
    assert v.other_warnings(evaluation(ruled("a", ended), profile="end-user")) == ()
    assert v.other_warnings(evaluation(ruled("a", ended), profile="vendor")) == (
        "US-ICTS-2021-002 (warning): Commerce ICTS Final Determination: Kaspersky Lab, Inc.: "
        "a@12.1.",
    )


def test_updated_after_the_ban_repeats_the_note_of_each_finding() -> None:
    noted = ruled("a", FAILING, notes=(f"{NOTE}: release date 2024-10-02", "other note"))
    assert v.updated_after_the_ban(evaluation(noted)) == (
        "a@12.1 was released after the 2024-09-29 ban on updates (release date 2024-10-02).",
    )
    no_ban = dataclasses.replace(evaluation(noted), dated_note=None)
    assert v.updated_after_the_ban(no_ban) == ()


def test_upcoming_milestones() -> None:
    assert v.upcoming_milestones(evaluation(ruled("a", UPCOMING))) == (
        "US-ICTS-2021-002 (integration-updates-resale) comes into force on 2024-09-29; "
        "1 finding falls under it: a@12.1.",
    )


def test_milestones_by_model_year_when_none_was_given() -> None:
    depends = outcome(
        "US-BIS-CV-2025",
        "software-model-year-2027",
        status=RuleStatus.UPCOMING,
        severity=Severity.WARNING,
        effective="2025-03-17",
        reason=f"in force since 2025-03-17 for model year 2027 and later: {v.DEPENDS_ON_MODEL_YEAR}",
    )
    ev = evaluation(ruled("a", depends))
    assert v.milestones_by_model_year(ev) == (
        "US-BIS-CV-2025 (software-model-year-2027) is in force since 2025-03-17 for model year "
        "2027 and later, which depends on the model year (give --model-year); 1 finding falls "
        "under it: a@12.1.",
    )
    assert v.upcoming_milestones(ev) == ()


def test_waived_outcomes_list_the_milestones_each_waiver_covers() -> None:
    waived = [
        outcome(milestone=f"m{i}", severity=Severity.WARNING, waived=True, waiver=WAIVER)
        for i in range(5)
    ]
    assert v.waived_outcomes(evaluation(ruled("a", *waived))) == (
        "a@12.1 is waived by waiver[0] (T-1) until 2025-01-01, approved by ciso@example.org, "
        "under US-ICTS-2021-002 (m0), US-ICTS-2021-002 (m1), US-ICTS-2021-002 (m2) and 2 more.",
    )


def test_possible_evidence_warns_once_per_finding() -> None:
    possible = outcome(
        severity=Severity.WARNING,
        reason=f"in force since 2024-09-29; {v.POSSIBLE_ONLY}, so this warns and does not fail",
    )
    ev = evaluation(ruled("a", possible, dataclasses.replace(possible, milestone="other")))
    assert v.possible_evidence(ev) == (
        "a@12.1 rests on possible evidence only, so it warns and does not fail.",
    )


def test_other_warnings_skip_a_rule_already_failing_for_that_finding() -> None:
    warning = outcome(milestone="updates-end", severity=Severity.WARNING)
    assert v.other_warnings(evaluation(ruled("a", FAILING, warning))) == ()


def test_advisories_are_one_sentence_with_counts() -> None:
    advisory_ids = [r.id for r in RULES if r.kind == "advisory"][:2]
    advisory = [outcome(rid, "m", severity=Severity.WARNING) for rid in advisory_ids]
    ev = evaluation(ruled("a", *advisory), ruled("b", advisory[0]))
    assert v.advisories(ev) == (
        f"Advisories apply: {advisory_ids[0]} (2 findings), {advisory_ids[1]} (1 finding).",
    )
    assert v.advisories(evaluation(ruled("a", FAILING))) == ()


def test_findings_no_rule_reaches_name_the_profile() -> None:
    unreached = outcome(status=RuleStatus.NOT_APPLICABLE, severity=Severity.NONE)
    ev = evaluation(ruled("a", unreached), ruled("b", FAILING), profile="federal")
    assert v.findings_no_rule_reaches(ev) == (
        "a@12.1 is Kaspersky technology, but no rule applies to it for the federal profile.",
    )


def test_unused_waivers_say_whether_they_expired() -> None:
    uses = (
        WaiverUse(waiver=WAIVER, matched=(), expired=True),
        WaiverUse(waiver=dataclasses.replace(WAIVER, index=1, ticket=None), matched=()),
        WaiverUse(waiver=dataclasses.replace(WAIVER, index=2), matched=("fp-a",)),
    )
    assert v.unused_waivers(evaluation(uses=uses)) == (
        "waiver[0] (T-1) (expired) matched no finding.",
        "waiver[1] matched no finding.",
    )


def test_every_applicable_outcome_is_named_by_at_most_one_check() -> None:
    outcomes = (
        FAILING,
        outcome(milestone="x", waiver=WAIVER, waiver_expired=True),
        outcome(milestone="w", severity=Severity.WARNING, waived=True, waiver=WAIVER),
        dataclasses.replace(UPCOMING, milestone="u"),
    )
    placed = evaluation(ruled("a", *outcomes)).placed
    assert [kind for kind, items in placed.items() for _ in items] == [
        v.Kind.FAILING,
        v.Kind.EXPIRED,
        v.Kind.WAIVED,
        v.Kind.UPCOMING,
    ]


@pytest.mark.parametrize(
    ("findings", "incomplete", "verdict", "last"),
    [
        ((ruled("a", FAILING),), False, Verdict.FAIL, "break"),
        ((ruled("a", outcome(waiver=WAIVER, waiver_expired=True)),), False, Verdict.FAIL, "again"),
        ((ruled("a", UPCOMING),), False, Verdict.WARN, "comes into force"),
        ((), True, Verdict.INDETERMINATE, "Nothing was found, but the SBOMs cannot show absence"),
        ((), False, Verdict.PASS, "No Kaspersky technology was found"),
    ],
    ids=["failing", "expired", "warn", "indeterminate", "pass"],
)
def test_decide_composes_the_checks(
    findings: tuple[Finding, ...], incomplete: bool, verdict: Verdict, last: str
) -> None:
    got, reasons = v.decide(evaluation(*findings, incomplete=incomplete))
    assert got is verdict
    assert last in reasons[-1]


def test_decide_says_the_checks_in_order() -> None:
    ev = evaluation(ruled("a", FAILING, dataclasses.replace(UPCOMING, milestone="u")))
    _, reasons = v.decide(ev)
    assert reasons == v.failing_milestones(ev) + v.upcoming_milestones(ev)
    assert v.CHECKS[: len(v.FAILING)] == v.FAILING
