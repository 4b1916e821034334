"""State rules selected by jurisdiction, the state-agency profile, and model-year milestones."""

from __future__ import annotations

import datetime as dt

import pytest

from sbomcheck.errors import UsageError
from sbomcheck.findings import Finding, RuleOutcome, RuleStatus, Severity, Verdict
from sbomcheck.identify import load_catalogue
from sbomcheck.policy import (
    PolicyResult,
    check_policy_options,
    evaluate,
    is_subnational,
    load_rules,
    milestone_status,
)
from sbomcheck.scan import ScanOptions, scan
from tests.conftest import ROOT
from tests.policy.helpers import BRANDED_AV, COMPLETE, EMBEDDED_AV, D, finding

RULES = load_rules()
KASG = finding("kasg", canonical="KasperskyOS automotive (KASG)")
CV = ("US-BIS-CV-2025", "software-model-year-2027")


def run(
    item: Finding,
    profile: str,
    as_of: str,
    jurisdictions: tuple[str, ...] = (),
    model_year: int | None = None,
) -> PolicyResult:
    return evaluate(
        [item],
        rules=RULES,
        profile=profile,
        as_of=D(as_of),
        completeness=COMPLETE,
        jurisdictions=jurisdictions,
        model_year=model_year,
    )


def outcome(result: PolicyResult, rule: str, milestone: str) -> RuleOutcome:
    return next(o for o in result.findings[0].rules if (o.id, o.milestone) == (rule, milestone))


# --- jurisdictions ----------------------------------------------------------------------------


def test_state_rules_are_the_subnational_ones() -> None:
    states = [r.id for r in RULES if is_subnational(r.jurisdiction)]
    assert states == ["US-OR-276A", "US-TX-PROHIBITED", "US-NH-21-R-15"]
    assert {r.jurisdiction for r in RULES if r.id in states} == {"US-OR", "US-TX", "US-NH"}
    assert all(r.profiles == ("state-agency",) for r in RULES if r.id in states)


def test_a_state_rule_binds_only_its_own_jurisdiction() -> None:
    oregon = run(BRANDED_AV, "state-agency", "2025-01-01", ("US-OR",))
    assert oregon.verdict is Verdict.FAIL
    assert outcome(oregon, "US-OR-276A", "oar-128-020").severity is Severity.ERROR
    texas = outcome(oregon, "US-TX-PROHIBITED", "model-plan")
    assert texas.status is RuleStatus.NOT_APPLICABLE
    assert texas.reason.startswith("not this jurisdiction: binds Texas state agencies")
    assert texas.reason.endswith("(US-TX; select it with --jurisdiction US-TX)")
    assert any(r.startswith("US-OR-276A (oar-128-020) is in force") for r in oregon.reasons)
    assert not any("US-TX" in r or "US-NH" in r for r in oregon.reasons)


def test_several_jurisdictions_can_be_selected() -> None:
    both = run(EMBEDDED_AV, "state-agency", "2025-01-01", ("US-OR", "US-NH"))
    # Oregon reaches Kaspersky's own products; New Hampshire's "in whole or in part" also
    # reaches an engine embedded in another vendor's product.
    assert outcome(both, "US-OR-276A", "statute").reason.startswith("out of scope")
    assert outcome(both, "US-NH-21-R-15", "act").severity is Severity.ERROR
    assert both.verdict is Verdict.FAIL


def test_the_national_code_selects_no_state() -> None:
    us = run(BRANDED_AV, "state-agency", "2022-01-01", ("US",))
    for rule, ms in (("US-OR-276A", "statute"), ("US-NH-21-R-15", "act")):
        assert outcome(us, rule, ms).status is RuleStatus.NOT_APPLICABLE
    # Before the ICTS dates nothing fails a state agency outside the three states.
    assert us.verdict is Verdict.WARN


def test_other_profiles_are_not_bound_by_state_rules_even_when_selected() -> None:
    vendor = run(BRANDED_AV, "vendor", "2025-01-01", ("US-OR",))
    reason = outcome(vendor, "US-OR-276A", "statute").reason
    assert reason.startswith("not this profile")


@pytest.mark.parametrize(
    ("profile", "codes", "message"),
    [
        (
            "vendor",
            ("US-XX",),
            "--jurisdiction: unknown jurisdiction 'US-XX' (known: AU, CA, DE, EU, IT, LT, NL, "
            "UA, UK, US, US-NH, US-OR, US-TX)",
        ),
        (
            "state-agency",
            (),
            "--profile state-agency needs --jurisdiction: the state whose rules bind (US-NH, "
            "US-OR, US-TX), or US for none of them",
        ),
        ("state-agency", ("us-or",), "--jurisdiction: unknown jurisdiction 'us-or'"),
    ],
)
def test_bad_selection_is_a_usage_error(profile: str, codes: tuple[str, ...], message: str) -> None:
    with pytest.raises(UsageError) as info:
        check_policy_options(RULES, profile=profile, jurisdictions=codes)
    assert str(info.value).startswith(message)
    with pytest.raises(UsageError):
        run(BRANDED_AV, profile, "2025-01-01", codes)


# --- model years ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model_year", "status", "severity", "reason"),
    [
        (
            None,
            RuleStatus.UPCOMING,
            Severity.WARNING,
            "in force since 2025-03-17 for model year 2027 and later: depends on the model year "
            "(give --model-year)",
        ),
        (
            2026,
            RuleStatus.NOT_APPLICABLE,
            Severity.NONE,
            "not this model year: in force since 2025-03-17 for model year 2027 and later, and "
            "this is model year 2026",
        ),
        (
            2027,
            RuleStatus.IN_FORCE,
            Severity.ERROR,
            "in force since 2025-03-17 for model year 2027 and later (model year 2027)",
        ),
        (
            2031,
            RuleStatus.IN_FORCE,
            Severity.ERROR,
            "in force since 2025-03-17 for model year 2027 and later (model year 2031)",
        ),
    ],
)
def test_connected_vehicle_software_milestone_by_model_year(
    model_year: int | None, status: RuleStatus, severity: Severity, reason: str
) -> None:
    result = run(KASG, "vendor", "2026-06-01", model_year=model_year)
    o = outcome(result, *CV)
    assert (o.status, o.severity, o.reason) == (status, severity, reason)
    said = [r for r in result.reasons if r.startswith("US-BIS-CV-2025")]
    if severity is Severity.ERROR:
        assert said == [
            "US-BIS-CV-2025 (software-model-year-2027) is in force since 2025-03-17 and 1 "
            "finding breaks it: kasg@12.1."
        ]
    elif model_year is None:
        assert said == [
            "US-BIS-CV-2025 (software-model-year-2027) is in force since 2025-03-17 for model "
            "year 2027 and later, which depends on the model year (give --model-year); 1 "
            "finding falls under it: kasg@12.1."
        ]
    else:
        assert said == []


def test_before_the_rule_is_in_force_the_model_year_does_not_matter() -> None:
    for year in (None, 2026, 2027):
        o = outcome(run(KASG, "vendor", "2025-03-16", model_year=year), *CV)
        assert (o.status, o.reason) == (RuleStatus.UPCOMING, "comes into force on 2025-03-17")


def test_the_vehicle_rule_reaches_only_the_automotive_products() -> None:
    o = outcome(run(BRANDED_AV, "vendor", "2026-06-01", model_year=2027), *CV)
    assert o.status is RuleStatus.NOT_APPLICABLE
    assert o.reason == "out of scope: covers only KasperskyOS automotive (KASG)"


@pytest.mark.parametrize("year", [1899, 2201])
def test_model_year_out_of_range_is_a_usage_error(year: int) -> None:
    with pytest.raises(UsageError) as info:
        check_policy_options(RULES, profile="vendor", model_year=year)
    assert str(info.value) == f"--model-year: {year} is not a model year (1900-2200)"


def test_milestone_status_without_a_finding_follows_the_same_rules() -> None:
    rule = RULES.get("US-BIS-CV-2025")
    assert rule is not None
    (ms,) = rule.milestones
    assert ms.model_year == 2027 and ms.effective_date == dt.date(2025, 3, 17)
    day = dt.date(2030, 1, 1)
    assert milestone_status(rule, ms, profile="vendor", as_of=day)[0] is RuleStatus.UPCOMING
    assert (
        milestone_status(rule, ms, profile="vendor", as_of=day, model_year=2027)[0]
        is RuleStatus.IN_FORCE
    )


# --- end to end through the scan (the CLI's side: tests/cli/test_cli_policy_selection.py) ---

SAMPLE = ROOT / "samples" / "sdk-three-levels.spdx.json"


def test_library_scan_options_carry_the_selection() -> None:
    base = ScanOptions(
        as_of=dt.date(2026, 1, 15),
        catalogue=load_catalogue(),
        rules=RULES,
        profile="state-agency",
        jurisdictions=("US-NH",),
    )
    report = scan([SAMPLE], base)
    assert report.verdict is Verdict.FAIL
    assert any(e.id == "US-NH-21-R-15" for e in report.timeline)
    assert not any(e.id == "US-OR-276A" for e in report.timeline)
