"""Profiles: one list, and the traits the evaluator reads instead of testing names."""

from __future__ import annotations

import pytest

from sbomcheck.errors import UsageError
from sbomcheck.findings import RuleStatus, Severity
from sbomcheck.policy import PROFILES, load_rules, milestone_status
from sbomcheck.policy.profiles import Profile, profile_named
from tests.policy.helpers import D


def test_every_profile_has_a_name_in_the_list_and_is_found_by_it() -> None:
    assert len(set(PROFILES)) == len(PROFILES) == 6
    for name in PROFILES:
        assert profile_named(name).name == name


def test_an_unknown_name_is_a_usage_error_listing_the_known_ones() -> None:
    with pytest.raises(UsageError) as caught:
        profile_named("seller")
    assert str(caught.value) == (
        "unknown profile 'seller' (known: vendor, procurement, end-user, federal, "
        "fcc-equipment, state-agency)"
    )


def test_only_end_users_go_unpenalised_and_only_state_agencies_need_a_jurisdiction() -> None:
    unpenalised = [p for p in PROFILES if not profile_named(p).penalised]
    needing = [p for p in PROFILES if profile_named(p).needs_jurisdiction]
    assert (unpenalised, needing) == (["end-user"], ["state-agency"])


@pytest.mark.parametrize(
    ("penalised", "highest"), [(True, Severity.ERROR), (False, Severity.WARNING)]
)
def test_an_unpenalised_profile_caps_severity_at_warning(
    penalised: bool, highest: Severity
) -> None:
    assert Profile(name="x", penalised=penalised).highest_severity is highest


def test_the_cap_leaves_warnings_and_other_profiles_alone() -> None:
    # updates-end is a warning, integration-updates-resale an error; both bind only some
    # profiles, so each is read for a profile it binds.
    icts = load_rules().get("US-ICTS-2021-002")
    assert icts is not None
    ms = {m.id: m for m in icts.milestones}
    day = D("2025-01-01")
    warning = milestone_status(icts, ms["updates-end"], profile="end-user", as_of=day)
    error = milestone_status(icts, ms["integration-updates-resale"], profile="vendor", as_of=day)
    assert warning[:2] == (RuleStatus.IN_FORCE, Severity.WARNING)
    assert error[:2] == (RuleStatus.IN_FORCE, Severity.ERROR)
