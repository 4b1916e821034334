"""Who is asking (`--profile`): the profiles, and what each changes in how the rules weigh.

Which milestones bind a profile is data (`profiles` in `data/rules.toml`). What is here is
the vocabulary that data is checked against, and the two traits the evaluator reads instead of
testing profile names: whether a profile is penalised, and whether it needs a jurisdiction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sbomcheck.errors import UsageError
from sbomcheck.findings import Severity

__all__ = ["PROFILES", "Profile", "profile_named"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    """One `--profile`: a name and the traits that change how an outcome weighs."""

    name: str
    penalised: bool = True
    """False for end users (ICTS: users who keep existing products are not penalised): an
    in-force `error` only warns, and the end of Kaspersky updates is said loudly instead."""
    needs_jurisdiction: bool = False
    """True for a state agency: whose state's rules bind is not guessed (`--jurisdiction`)."""

    @property
    def highest_severity(self) -> Severity:
        """The most an in-force milestone can weigh for this profile (user rules included)."""
        return Severity.ERROR if self.penalised else Severity.WARNING


_PROFILES = (
    Profile(name="vendor"),
    Profile(name="procurement"),
    Profile(name="end-user", penalised=False),
    Profile(name="federal"),
    Profile(name="fcc-equipment"),
    Profile(name="state-agency", needs_jurisdiction=True),
)
PROFILES = tuple(p.name for p in _PROFILES)
"""Who is asking (`--profile`); the CLI offers this tuple, and a rules file's `profiles` must be
among it."""


def profile_named(name: str) -> Profile:
    """The profile called `name`; `UsageError` (exit 2) for a name that is not one."""
    for profile in _PROFILES:
        if profile.name == name:
            return profile
    raise UsageError(f"unknown profile {name!r} (known: {', '.join(PROFILES)})")
