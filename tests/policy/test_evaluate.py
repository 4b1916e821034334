"""Rules by date and profile: the day before, on and after each milestone."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from sbomcheck.errors import UsageError
from sbomcheck.findings import Confidence, Finding, RuleOutcome, RuleStatus, Severity, Verdict
from sbomcheck.json_form import json_form
from sbomcheck.policy import PROFILES, Milestone, PolicyResult, Rule, RuleSet, evaluate, load_rules
from tests.policy.helpers import (
    BRANDED_AV,
    COMPLETE,
    EMBEDDED_AV,
    ENTITY,
    INCOMPLETE,
    THREAT_INTEL,
    UI_KIT,
    D,
    finding,
)

RULES = load_rules()
DAY = dt.timedelta(days=1)
STATES = ("US-NH", "US-OR", "US-TX")
"""Every state rule binds in these tests (state-agency needs a jurisdiction)."""
KASG = finding("kasg", canonical="KasperskyOS automotive (KASG)")


def run(
    findings: list[Finding] | tuple[Finding, ...],
    profile: str,
    as_of: str | dt.date,
    *,
    model_year: int | None = 2027,
) -> PolicyResult:
    day = D(as_of) if isinstance(as_of, str) else as_of
    return evaluate(
        findings,
        rules=RULES,
        profile=profile,
        as_of=day,
        completeness=COMPLETE,
        jurisdictions=STATES,
        model_year=model_year,
    )


def outcome(result: PolicyResult, rule: str, milestone: str, index: int = 0) -> RuleOutcome:
    for o in result.findings[index].rules:
        if (o.id, o.milestone) == (rule, milestone):
            return o
    raise AssertionError(f"no outcome {rule} {milestone}")


# The key dates, hard-coded from rules.md (not read back from the data file, so a wrong
# date in data/rules.toml fails here): (profile, finding, rule, milestone, day, severity).
MILESTONES = [
    ("vendor", BRANDED_AV, "US-ICTS-2021-002", "integration-updates-resale", "2024-09-29", "error"),
    (
        "vendor",
        EMBEDDED_AV,
        "US-ICTS-2021-002",
        "integration-updates-resale",
        "2024-09-29",
        "error",
    ),
    ("vendor", ENTITY, "US-EL-2024", "listing", "2024-06-24", "warning"),
    ("procurement", BRANDED_AV, "US-ICTS-2021-002", "new-agreements", "2024-07-20", "error"),
    ("end-user", BRANDED_AV, "US-ICTS-2021-002", "updates-end", "2024-09-29", "warning"),
    ("federal", BRANDED_AV, "US-BOD-17-01", "issued", "2017-09-13", "warning"),
    ("federal", BRANDED_AV, "US-BOD-17-01", "identify-30-days", "2017-10-13", "warning"),
    ("federal", BRANDED_AV, "US-BOD-17-01", "plan-60-days", "2017-11-12", "warning"),
    ("federal", BRANDED_AV, "US-BOD-17-01", "remove-90-days", "2017-12-12", "error"),
    ("federal", EMBEDDED_AV, "US-NDAA-1634", "ban", "2018-10-01", "error"),
    ("federal", UI_KIT, "US-NDAA-1634", "ban", "2018-10-01", "error"),
    ("federal", EMBEDDED_AV, "US-FAR-52.204-23", "interim-rule", "2018-07-16", "error"),
    ("federal", EMBEDDED_AV, "US-FAR-52.204-23", "final-rule", "2019-09-10", "error"),
    ("federal", EMBEDDED_AV, "US-FAR-52.204-23", "fac-2023-06", "2023-12-04", "error"),
    ("fcc-equipment", EMBEDDED_AV, "US-FCC-CL-2022", "covered-list", "2022-03-25", "error"),
    (
        "fcc-equipment",
        EMBEDDED_AV,
        "US-FCC-EA-2024",
        "equipment-authorization",
        "2024-09-03",
        "error",
    ),
    ("vendor", BRANDED_AV, "DE-BSI-2022", "warning", "2022-03-15", "warning"),
    ("procurement", EMBEDDED_AV, "DE-BSI-2022", "warning", "2022-03-15", "warning"),
    ("federal", BRANDED_AV, "LT-2017", "decision", "2017-12-20", "warning"),
    ("end-user", BRANDED_AV, "NL-2018", "phase-out", "2018-05-14", "warning"),
    ("fcc-equipment", BRANDED_AV, "IT-DL21-2022", "decree-in-force", "2022-03-22", "warning"),
    ("vendor", BRANDED_AV, "IT-DL21-2022", "acn-circular-4336", "2022-04-21", "warning"),
    ("vendor", BRANDED_AV, "CA-2023", "removal", "2023-10-30", "warning"),
    ("vendor", BRANDED_AV, "UK-NCSC", "letter-2017", "2017-12-01", "warning"),
    ("vendor", BRANDED_AV, "UK-NCSC", "blog-2022", "2022-03-29", "warning"),
    ("vendor", UI_KIT, "SBC-KL-OTHER", "review", "2024-06-24", "warning"),
    ("vendor", BRANDED_AV, "IT-DL21-2022", "acn-circular-2025", "2025-11-14", "warning"),
    ("federal", BRANDED_AV, "US-NDAA-1634", "enacted", "2017-12-12", "warning"),
    ("federal", BRANDED_AV, "US-GSA-2017", "schedule-removal", "2017-07-11", "note"),
    ("procurement", BRANDED_AV, "EU-EP-2018", "resolution", "2018-06-13", "note"),
    ("end-user", BRANDED_AV, "UA-SANCTIONS", "decree-2015", "2015-09-16", "warning"),
    ("end-user", BRANDED_AV, "UA-SANCTIONS", "decree-133-2017", "2017-05-16", "warning"),
    ("state-agency", BRANDED_AV, "US-ICTS-2021-002", "new-agreements", "2024-07-20", "error"),
    ("state-agency", BRANDED_AV, "US-ICTS-2021-002", "updates-end", "2024-09-29", "warning"),
    ("state-agency", BRANDED_AV, "US-OR-276A", "statute", "2023-09-24", "error"),
    ("state-agency", BRANDED_AV, "US-OR-276A", "oar-128-020", "2024-02-01", "error"),
    ("state-agency", BRANDED_AV, "US-TX-PROHIBITED", "model-plan", "2023-02-06", "error"),
    ("state-agency", EMBEDDED_AV, "US-NH-21-R-15", "act", "2018-05-30", "error"),
    ("federal", BRANDED_AV, "AU-PSPF-002-2025", "issued", "2025-02-21", "warning"),
    ("state-agency", EMBEDDED_AV, "AU-PSPF-002-2025", "remove-and-report", "2025-04-01", "warning"),
    ("vendor", KASG, "US-BIS-CV-2025", "software-model-year-2027", "2025-03-17", "error"),
    (
        "fcc-equipment",
        EMBEDDED_AV,
        "US-FCC-EA-2024",
        "modular-transmitters-2025",
        "2025-12-26",
        "error",
    ),
]


@pytest.mark.parametrize(
    ("profile", "item", "rule", "milestone", "day", "severity"),
    MILESTONES,
    ids=[f"{p}-{r}-{m}" for p, _, r, m, _, _ in MILESTONES],
)
def test_day_before_on_and_after_milestone(
    profile: str, item: Finding, rule: str, milestone: str, day: str, severity: str
) -> None:
    effective = D(day)
    before = outcome(run([item], profile, effective - DAY), rule, milestone)
    assert before.status is RuleStatus.UPCOMING
    assert before.reason == f"comes into force on {day}"
    # Before a milestone a finding only warns (a note-level milestone stays a note).
    assert before.severity is (Severity.NOTE if severity == "note" else Severity.WARNING)
    for as_of in (effective, effective + DAY):
        on = outcome(run([item], profile, as_of), rule, milestone)
        assert on.status is RuleStatus.IN_FORCE
        assert on.reason.startswith(f"in force since {day}")
        assert on.severity is Severity(severity)


def test_every_milestone_has_a_hard_coded_boundary_test() -> None:
    tested = {(r, m) for _, _, r, m, _, _ in MILESTONES}
    assert tested == {(r.id, m.id) for r in RULES for m in r.milestones}
    assert {p for p, *_ in MILESTONES} == set(PROFILES)


def _reached_by(rule: Rule) -> Finding:
    """A finding the rule's scope and classes reach."""
    cls = rule.product_classes[0] if rule.product_classes else "security"
    canonical = rule.products[0] if rule.products else "AO Kaspersky Lab"
    return finding("probe", canonical=canonical, product_class=cls)


BOUND = [(p, r, m) for r in RULES for m in r.milestones for p in m.profiles]


@pytest.mark.parametrize(
    ("profile", "rule", "ms"), BOUND, ids=[f"{p}-{r.id}-{m.id}" for p, r, m in BOUND]
)
def test_each_profile_day_before_on_and_after_each_bound_milestone(
    profile: str, rule: Rule, ms: Milestone
) -> None:
    """Every (profile, milestone) pair the data binds, with a finding the rule reaches."""
    item = _reached_by(rule)
    expected = ms.severity
    if profile == "end-user" and expected is Severity.ERROR:
        expected = Severity.WARNING
    before = outcome(run([item], profile, ms.effective_date - DAY), rule.id, ms.id)
    on = outcome(run([item], profile, ms.effective_date), rule.id, ms.id)
    after = outcome(run([item], profile, ms.effective_date + DAY), rule.id, ms.id)
    assert before.status is RuleStatus.UPCOMING
    assert before.severity.rank <= Severity.WARNING.rank
    assert (on.status, on.severity) == (RuleStatus.IN_FORCE, expected)
    assert (after.status, after.severity) == (RuleStatus.IN_FORCE, expected)
    for other in PROFILES:
        if other not in ms.profiles:
            na = outcome(run([item], other, ms.effective_date), rule.id, ms.id)
            assert na.status is RuleStatus.NOT_APPLICABLE


# (profile, finding, the day before, the first failing day)
VERDICT_FLIPS = [
    ("vendor", BRANDED_AV, "2024-09-28", "2024-09-29"),
    ("vendor", EMBEDDED_AV, "2024-09-28", "2024-09-29"),
    ("procurement", BRANDED_AV, "2024-07-19", "2024-07-20"),
    ("federal", BRANDED_AV, "2017-12-11", "2017-12-12"),
    ("federal", EMBEDDED_AV, "2018-07-15", "2018-07-16"),
    ("federal", UI_KIT, "2018-07-15", "2018-07-16"),
    ("fcc-equipment", EMBEDDED_AV, "2022-03-24", "2022-03-25"),
]


@pytest.mark.parametrize(("profile", "item", "before", "first"), VERDICT_FLIPS)
def test_verdict_warns_before_and_fails_from_the_day(
    profile: str, item: Finding, before: str, first: str
) -> None:
    assert run([item], profile, before).verdict is Verdict.WARN
    result = run([item], profile, first)
    assert result.verdict is Verdict.FAIL
    assert result.findings[0].severity is Severity.ERROR
    assert any(r.startswith("US-") and f"in force since {first}" in r for r in result.reasons)
    assert run([item], profile, D(first) + DAY).verdict is Verdict.FAIL


def test_ict_cutoff_is_midnight_edt_so_the_whole_day_is_in_force() -> None:
    ms = outcome(
        run([BRANDED_AV], "vendor", "2024-09-29"), "US-ICTS-2021-002", "integration-updates-resale"
    )
    assert ms.effective == "2024-09-29T00:00:00-04:00"
    assert ms.status is RuleStatus.IN_FORCE
    assert ms.prohibits == ("updates", "ksn", "resale", "integration", "licensing")
    assert ms.source.startswith("https://")


def test_end_user_is_never_failed_but_warned_loudly() -> None:
    for as_of in ("2017-01-01", "2024-09-28", "2024-09-29", "2030-01-01"):
        for item in (BRANDED_AV, EMBEDDED_AV, UI_KIT, THREAT_INTEL):
            assert run([item], "end-user", as_of).verdict is Verdict.WARN
    result = run([BRANDED_AV], "end-user", "2024-09-29")
    assert result.reasons[0] == (
        "WARNING: Kaspersky updates and the Kaspersky Security Network stopped for US users "
        "on 2024-09-29: kes@12.1 no longer receive signatures or fixes. End users are not "
        "penalised, but should replace them."
    )
    assert (
        "Kaspersky updates and the Kaspersky Security Network stopped for US users on "
        "2024-09-29: this component gets no new signatures or fixes; replace it"
    ) in result.findings[0].notes
    assert not any(
        "stopped" in n for n in run([BRANDED_AV], "end-user", "2024-09-28").findings[0].notes
    )


def test_end_user_caps_an_error_from_a_user_rule(tmp_path) -> None:  # type: ignore[no-untyped-def]
    extra = tmp_path / "r.toml"
    extra.write_text(USER_RULE.replace('profiles = ["vendor"]', 'profiles = ["end-user"]'))
    rules = load_rules(extra)
    result = evaluate(
        [BRANDED_AV], rules=rules, profile="end-user", as_of=D("2025-01-01"), completeness=COMPLETE
    )
    o = [o for o in result.findings[0].rules if o.id == "ACME-1"][0]
    assert o.severity is Severity.WARNING
    assert o.reason == "in force since 2024-01-01; end users are not penalised, so this warns"
    assert result.verdict is Verdict.WARN


def test_threat_intelligence_excluded_for_vendor_but_kaspersky_for_federal() -> None:
    vendor = run([THREAT_INTEL], "vendor", "2025-01-01")
    ms = outcome(vendor, "US-ICTS-2021-002", "integration-updates-resale")
    assert ms.status is RuleStatus.NOT_APPLICABLE
    assert ms.severity is Severity.NONE
    assert (
        ms.reason == "excluded product class: threat-intelligence is carved out of US-ICTS-2021-002"
    )
    assert vendor.verdict is Verdict.WARN
    assert outcome(vendor, "SBC-KL-OTHER", "review").status is RuleStatus.IN_FORCE

    federal = run([THREAT_INTEL], "federal", "2025-01-01")
    assert outcome(federal, "US-NDAA-1634", "ban").severity is Severity.ERROR
    assert outcome(federal, "US-BOD-17-01", "remove-90-days").status is RuleStatus.NOT_APPLICABLE
    assert federal.verdict is Verdict.FAIL


def test_non_security_open_source_is_not_av_software_but_is_kaspersky_for_federal() -> None:
    vendor = run([UI_KIT], "vendor", "2025-01-01")
    ms = outcome(vendor, "US-ICTS-2021-002", "integration-updates-resale")
    assert ms.reason == (
        "out of scope: non-security is outside the classes US-ICTS-2021-002 covers (security)"
    )
    assert vendor.verdict is Verdict.WARN
    assert run([UI_KIT], "federal", "2025-01-01").verdict is Verdict.FAIL


def test_branded_only_rule_does_not_reach_embedded_engine() -> None:
    result = run([EMBEDDED_AV], "federal", "2025-01-01")
    ms = outcome(result, "US-BOD-17-01", "remove-90-days")
    assert ms.status is RuleStatus.NOT_APPLICABLE
    assert ms.reason == (
        "out of scope: covers Kaspersky-branded products only, and this is embedded in "
        "another vendor's product"
    )
    assert outcome(result, "US-NDAA-1634", "ban").status is RuleStatus.IN_FORCE


def test_not_this_profile_reason() -> None:
    ms = outcome(run([BRANDED_AV], "vendor", "2025-01-01"), "US-ICTS-2021-002", "new-agreements")
    assert ms.status is RuleStatus.NOT_APPLICABLE
    assert ms.reason.startswith("not this profile: binds ")
    assert ms.reason.endswith("(profiles: procurement, state-agency)")


def test_entity_list_reaches_only_listed_entities() -> None:
    assert (
        outcome(run([ENTITY], "vendor", "2025-01-01"), "US-EL-2024", "listing").status
        is RuleStatus.IN_FORCE
    )
    other = finding("kes", supplier="Kaspersky Lab, Inc.")
    ms = outcome(run([other], "vendor", "2025-01-01"), "US-EL-2024", "listing")
    assert ms.status is RuleStatus.NOT_APPLICABLE
    assert ms.reason.startswith("out of scope: names none of the listed entities")
    # A supplier field naming a listed entity is enough.
    supplied = finding("kes", supplier="AO Kaspersky Lab")
    assert (
        outcome(run([supplied], "vendor", "2025-01-01"), "US-EL-2024", "listing").status
        is RuleStatus.IN_FORCE
    )


def test_possible_evidence_never_fails() -> None:
    weak = finding("kav-notes", confidence=Confidence.POSSIBLE)
    result = run([weak], "vendor", "2025-01-01")
    ms = outcome(result, "US-ICTS-2021-002", "integration-updates-resale")
    assert ms.status is RuleStatus.IN_FORCE
    assert ms.severity is Severity.WARNING
    assert ms.reason.endswith("; possible evidence only, so this warns and does not fail")
    assert result.verdict is Verdict.WARN
    assert "possible evidence only: warns, never fails" in result.findings[0].notes
    assert (
        "kav-notes@12.1 rests on possible evidence only, so it warns and does not fail."
        in result.reasons
    )


def test_likely_evidence_fails() -> None:
    assert (
        run([finding(confidence=Confidence.LIKELY)], "vendor", "2025-01-01").verdict is Verdict.FAIL
    )


@pytest.mark.parametrize(
    ("fields", "what", "note"),
    [
        ({"release_date": "2024-10-02"}, "released", "release date 2024-10-02"),
        ({"built_date": "2024-09-29T04:00:00Z"}, "built", "build date 2024-09-29T04:00:00Z"),
        # The creation time dates the SBOM, not the component: it says no more than that.
        (
            {"document_created": "2025-01-05T10:00:00Z"},
            "listed in an SBOM made",
            "SBOM creation time 2025-01-05T10:00:00Z",
        ),
    ],
)
def test_dated_after_the_ban(fields: dict[str, str], what: str, note: str) -> None:
    item = finding("kes", **fields)  # type: ignore[arg-type]
    result = run([item], "vendor", "2025-01-15")
    assert f"{what} after the 2024-09-29 ban on updates: {note}" in result.findings[0].notes
    assert f"kes@12.1 was {what} after the 2024-09-29 ban on updates ({note})." in result.reasons
    assert not any("updated after" in r for r in (*result.reasons, *result.findings[0].notes))


@pytest.mark.parametrize(
    "fields",
    [
        {"release_date": "2024-09-28"},
        # 03:00 UTC on the 29th is 23:00 EDT on the 28th: before the cut-off.
        {"built_date": "2024-09-29T03:00:00Z"},
        # A component date before the ban outweighs a later SBOM creation time.
        {"release_date": "2023-05-01", "document_created": "2025-01-05T10:00:00Z"},
        {"release_date": "not a date"},
    ],
)
def test_no_update_note_for_dates_before_the_ban(fields: dict[str, str]) -> None:
    result = run([finding("kes", **fields)], "vendor", "2025-01-15")  # type: ignore[arg-type]
    assert not any("after the 2024-09-29 ban" in n for n in result.findings[0].notes)
    assert not any("after the 2024-09-29 ban" in r for r in result.reasons)


def test_update_note_only_for_security_software() -> None:
    kit = dataclasses.replace(
        UI_KIT, component=dataclasses.replace(UI_KIT.component, release_date="2025-01-01")
    )
    assert not any(
        "after the 2024-09-29 ban" in n
        for n in run([kit], "vendor", "2025-02-01").findings[0].notes
    )


def test_result_keeps_findings_and_fills_outcomes_for_every_milestone() -> None:
    items = (BRANDED_AV, EMBEDDED_AV, UI_KIT)
    result = run(items, "vendor", "2025-01-01")
    assert [f.id for f in result.findings] == [f.id for f in items]
    n_milestones = sum(len(r.milestones) for r in RULES)
    for f in result.findings:
        assert len(f.rules) == n_milestones
        assert f.severity is max((o.severity for o in f.rules), key=lambda s: s.rank)
        assert all(
            o.severity is Severity.NONE for o in f.rules if o.status is RuleStatus.NOT_APPLICABLE
        )
    # Evidence and identity pass through untouched.
    assert result.findings[0].evidence == BRANDED_AV.evidence
    assert result.findings[0].component == BRANDED_AV.component


def test_existing_notes_are_kept() -> None:
    noted = dataclasses.replace(BRANDED_AV, notes=("from identification",))
    result = run([noted], "vendor", "2025-01-01")
    assert result.findings[0].notes[0] == "from identification"


def test_evaluate_is_deterministic_and_ruleset_reusable() -> None:
    a = run([BRANDED_AV, EMBEDDED_AV], "vendor", "2025-01-01")
    b = run([BRANDED_AV, EMBEDDED_AV], "vendor", "2025-01-01")
    assert a == b
    assert json_form(a.findings) == json_form(b.findings)


def test_fail_reason_groups_findings_per_milestone() -> None:
    result = run([BRANDED_AV, EMBEDDED_AV], "vendor", "2025-01-01")
    assert result.reasons[0] == (
        "US-ICTS-2021-002 (integration-updates-resale) is in force since 2024-09-29 and "
        "2 findings break it: kes@12.1, acme-av-engine@12.1."
    )


def test_no_findings_pass_or_indeterminate() -> None:
    clean = evaluate(
        [], rules=RULES, profile="vendor", as_of=D("2025-01-01"), completeness=COMPLETE
    )
    assert clean.verdict is Verdict.PASS
    assert clean.reasons == (
        "No Kaspersky technology was found, and the SBOMs are complete enough to show its absence.",
    )
    unsure = evaluate(
        [], rules=RULES, profile="vendor", as_of=D("2025-01-01"), completeness=INCOMPLETE
    )
    assert unsure.verdict is Verdict.INDETERMINATE
    assert unsure.reasons == (
        "Nothing was found, but the SBOMs cannot show absence: 3 of 3 components carry no "
        "supplier, purl, CPE or hash.",
    )
    # A finding outweighs incompleteness: something was found.
    assert run([BRANDED_AV], "vendor", "2025-01-01").verdict is Verdict.FAIL


def test_finding_no_rule_reaches_still_warns() -> None:
    empty = RuleSet(rules=(), data_version=RULES.data_version)
    result = evaluate(
        [BRANDED_AV], rules=empty, profile="vendor", as_of=D("2025-01-01"), completeness=COMPLETE
    )
    assert result.verdict is Verdict.WARN
    assert result.reasons == (
        "kes@12.1 is Kaspersky technology, but no rule applies to it for the vendor profile.",
    )


def test_unknown_profile_is_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown profile 'seller'"):
        run([BRANDED_AV], "seller", "2025-01-01")


USER_RULE = """
[[rule]]
id = "ACME-1"
title = "Acme internal ban"
authority = "Acme"
citation = "policy 7"
url = "https://acme.example/policy/7"
jurisdiction = "internal"
binds = "Acme engineering"
kind = "rule"
confidence = "confirmed"
scope = "in-whole-or-part"
profiles = ["vendor"]

[[rule.milestone]]
id = "ban"
title = "no Kaspersky code"
effective = 2024-01-01
prohibits = ["use"]
severity = "error"
"""


def test_reasons_name_each_failing_rule_once_and_group_advisories() -> None:
    result = run([BRANDED_AV], "federal", "2025-01-15")
    # NDAA fails; its warning-level "enacted" milestone is not repeated as a warning.
    assert not any(r.startswith("US-NDAA-1634 (warning)") for r in result.reasons)
    assert result.reasons[-1] == (
        "Advisories apply: US-GSA-2017 (1 finding), DE-BSI-2022 (1 finding), LT-2017 "
        "(1 finding), NL-2018 (1 finding), IT-DL21-2022 (1 finding), CA-2023 (1 finding), "
        "UK-NCSC (1 finding), UA-SANCTIONS (1 finding), EU-EP-2018 (1 finding)."
    )


def test_end_user_warning_comes_before_other_warnings() -> None:
    dated = finding("kes", release_date="2024-11-01")
    reasons = run([dated], "end-user", "2025-01-15").reasons
    assert reasons[0].startswith("WARNING: Kaspersky updates and the Kaspersky Security Network")
    assert reasons[1] == (
        "kes@12.1 was released after the 2024-09-29 ban on updates (release date 2024-11-01)."
    )
    # The ICTS warning is said loudly once, not again among the plain warnings.
    assert not any(r.startswith("US-ICTS-2021-002 (warning)") for r in reasons)
    assert "UA-SANCTIONS (1 finding)" in reasons[-1]


def test_update_dates_after_the_as_of_date_are_not_evidence_yet() -> None:
    # QA: a 2018 evaluation must not cite a 2024 update ban or a 2025 SBOM date.
    finding = dataclasses.replace(
        BRANDED_AV,
        component=dataclasses.replace(BRANDED_AV.component, release_date="2025-02-01"),
    )
    for as_of in ("2018-07-15", "2025-01-31"):
        result = evaluate(
            [finding], rules=RULES, profile="federal", as_of=D(as_of), completeness=COMPLETE
        )
        assert not any("after the 2024-09-29 ban" in r for r in result.reasons), as_of
        assert not any("after the 2024-09-29 ban" in n for n in result.findings[0].notes), as_of
    result = evaluate(
        [finding], rules=RULES, profile="federal", as_of=D("2025-02-01"), completeness=COMPLETE
    )
    assert any("released after the 2024-09-29 ban" in r for r in result.reasons)


ACME_BAN = """
[[rule]]
id = "ACME-UPDATES"
title = "Acme: no Kaspersky updates"
authority = "Acme"
citation = "policy 8"
url = "https://acme.example/policy/8"
jurisdiction = "internal"
binds = "Acme engineering"
kind = "rule"
confidence = "confirmed"
scope = "integrated"
profiles = ["vendor"]

[[rule.milestone]]
id = "updates"
title = "no updates"
effective = {effective}
prohibits = ["updates"]
severity = "warning"
update_ban = true
"""


@pytest.mark.parametrize(
    ("effective", "built", "noted"),
    [
        # A date-time with an offset is read in the ban's own offset ...
        ("2023-03-01T00:00:00+09:00", "2023-02-28T16:00:00Z", True),
        ("2023-03-01T00:00:00+09:00", "2023-02-28T14:00:00Z", False),
        # ... and against a plain date, on its own calendar day.
        ("2023-03-01", "2023-03-01T00:30:00+09:00", True),
        ("2023-03-01", "2023-02-28T23:30:00-05:00", False),
    ],
)
def test_the_earliest_marked_milestone_of_the_rules_dates_the_ban(
    tmp_path: Path, effective: str, built: str, noted: bool
) -> None:
    extra = tmp_path / "r.toml"
    extra.write_text(ACME_BAN.format(effective=effective), encoding="utf-8")
    item = finding("kes", built_date=built)
    result = evaluate(
        [item],
        rules=load_rules(extra),
        profile="vendor",
        as_of=D("2025-01-15"),
        completeness=COMPLETE,
    )
    note = f"built after the 2023-03-01 ban on updates: build date {built}"
    assert (note in result.findings[0].notes) is noted
    assert (f"kes@12.1 was {note.replace(': ', ' (', 1)})." in result.reasons) is noted


def test_no_marked_milestone_no_ban() -> None:
    # As when a user file replaces the ICTS rule without the mark: the ban goes with it.
    unmarked = RuleSet(
        rules=tuple(
            dataclasses.replace(
                r, milestones=tuple(dataclasses.replace(m, update_ban=False) for m in r.milestones)
            )
            for r in RULES
        ),
        data_version=RULES.data_version,
    )
    item = finding("kes", release_date="2024-10-02")
    result = evaluate(
        [item], rules=unmarked, profile="vendor", as_of=D("2025-01-15"), completeness=COMPLETE
    )
    assert not any("after the 2024-09-29 ban" in n for n in result.findings[0].notes)
    assert not any("after the 2024-09-29 ban" in r for r in result.reasons)
