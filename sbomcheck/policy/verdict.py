"""The verdict and its reasons, composed from small named checks.

The evaluated findings are read once (`read`): each applicable outcome of each finding is
sorted into the one kind of sentence that names it (`Kind`, in `_kind_of`). Each check then
says its sentences, or nothing; the reasons are what the checks in `CHECKS` say, in that
order. The verdict is `fail` when a check in `FAILING` says anything, `warn` when anything
was found, and otherwise `indeterminate` or `pass` as the SBOMs can or cannot show absence.

This is sigstore-python's shape for verification policies (small named policies, one
composition) with sentences for results: a new kind of reason is a new check in `CHECKS`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from sbomcheck.findings import (
    Completeness,
    Finding,
    RuleOutcome,
    RuleStatus,
    Severity,
    Verdict,
    WaiverUse,
)
from sbomcheck.policy.profiles import Profile
from sbomcheck.policy.rules import RuleSet
from sbomcheck.policy.waivers import waiver_label

__all__ = [
    "CHECKS",
    "DEPENDS_ON_MODEL_YEAR",
    "FAILING",
    "POSSIBLE_ONLY",
    "Check",
    "Evaluation",
    "Kind",
    "decide",
    "read",
    "updates_stopped",
]

DEPENDS_ON_MODEL_YEAR = "depends on the model year (give --model-year)"
"""How a milestone's reason ends when it binds from a model year that was not given."""
POSSIBLE_ONLY = "possible evidence only"
"""Said in an outcome's reason when possible evidence turned its error into a warning."""
_MAX_LABELS = 3
"""Findings named per sentence; the rest are counted."""
_WAIVED_LISTED = 3
"""Rule milestones named per waived finding in the verdict reasons; the rest are counted."""


class Kind(enum.Enum):
    """The one sentence an applicable outcome is named in (the first that fits, in order)."""

    FAILING = "failing"
    EXPIRED = "expired waiver"
    WAIVED = "waived"
    UPCOMING = "upcoming"
    BY_MODEL_YEAR = "depends on the model year"
    POSSIBLE = "possible evidence"
    ADVISORY = "advisory"
    WARNED = "warned"


@dataclass(frozen=True, slots=True, kw_only=True)
class Evaluation:
    """What the checks read: the evaluated findings and waivers, each finding read once."""

    findings: Sequence[Finding]
    uses: Sequence[WaiverUse]
    completeness: Completeness
    rules: RuleSet
    profile: Profile
    dated_note: tuple[str, ...] | None
    """How the note of a date after the update ban begins, one per field the date may be
    found in (None: the rules mark no ban)."""
    labels: tuple[str, ...]
    """`name@version` of each finding, in order."""
    stopped: tuple[tuple[str, str], ...]
    """(day, label) of each finding whose updates stopped for this (unpenalised) profile."""
    placed: Mapping[Kind, tuple[tuple[str, RuleOutcome], ...]]
    """(label, outcome) of each applicable outcome, by the kind of sentence that names it."""


Check = Callable[[Evaluation], tuple[str, ...]]
"""One reason for a verdict: the sentences it says about an evaluation, or none."""


def read(
    findings: Sequence[Finding],
    uses: Sequence[WaiverUse],
    completeness: Completeness,
    *,
    rules: RuleSet,
    profile: Profile,
    dated_note: tuple[str, ...] | None,
) -> Evaluation:
    """Read the evaluated findings once, sorting each applicable outcome into its `Kind`."""
    labels = tuple(_label(f) for f in findings)
    stopped: list[tuple[str, str]] = []
    placed: dict[Kind, list[tuple[str, RuleOutcome]]] = {kind: [] for kind in Kind}
    for f, label in zip(findings, labels, strict=True):
        applicable = [o for o in f.rules if o.status is not RuleStatus.NOT_APPLICABLE]
        # A rule already named in a stronger sentence for this finding (failing, or the
        # end-user warning) is not repeated at warning level.
        covered = {o.id for o in applicable if o.severity is Severity.ERROR}
        day = updates_stopped(f.rules, profile, rules)
        if day is not None:
            stopped.append((day, label))
            covered |= {o.id for o in applicable if _stops_updates(o, rules)}
        for o in applicable:
            kind = _kind_of(o, covered, rules)
            if kind is not None:
                placed[kind].append((label, o))
    return Evaluation(
        findings=findings,
        uses=uses,
        completeness=completeness,
        rules=rules,
        profile=profile,
        dated_note=dated_note,
        labels=labels,
        stopped=tuple(stopped),
        placed={kind: tuple(items) for kind, items in placed.items()},
    )


def _kind_of(o: RuleOutcome, covered: set[str], rules: RuleSet) -> Kind | None:
    if o.severity is Severity.ERROR:
        return Kind.EXPIRED if o.waiver_expired and o.waiver is not None else Kind.FAILING
    if o.waived and o.waiver is not None:
        return Kind.WAIVED
    if o.status is RuleStatus.UPCOMING and o.severity.rank:
        return Kind.BY_MODEL_YEAR if o.reason.endswith(DEPENDS_ON_MODEL_YEAR) else Kind.UPCOMING
    if POSSIBLE_ONLY in o.reason:
        return Kind.POSSIBLE
    if not o.severity.rank or o.id in covered:
        return None
    rule = rules.get(o.id)
    return Kind.ADVISORY if rule is not None and rule.kind == "advisory" else Kind.WARNED


def updates_stopped(
    outcomes: Sequence[RuleOutcome], profile: Profile, rules: RuleSet
) -> str | None:
    """The day Kaspersky updates stopped for an unpenalised profile (an end user), from the
    first in-force binding milestone that prohibits updates, or None."""
    if profile.penalised:
        return None
    for o in outcomes:
        if o.status is RuleStatus.IN_FORCE and _stops_updates(o, rules):
            return o.effective[:10]
    return None


def _stops_updates(o: RuleOutcome, rules: RuleSet) -> bool:
    rule = rules.get(o.id)
    return "updates" in o.prohibits and rule is not None and rule.kind == "rule"


# --- the checks, in the order their sentences are said -------------------------------------


def failing_milestones(ev: Evaluation) -> tuple[str, ...]:
    """Each in-force error milestone with the findings that break it."""
    return tuple(
        f"{rid} ({mid}) is in force since {day} and {_count(len(set(labels)), 'finding')} "
        f"{_verb(labels, 'breaks', 'break')} it: {_labels(labels)}."
        for (rid, mid, day), labels in _by_milestone(ev.placed[Kind.FAILING]).items()
    )


def expired_waivers(ev: Evaluation) -> tuple[str, ...]:
    """Each finding that fails again because its waiver expired."""
    return _once(
        f"{waiver_label(o.waiver)} expired on {o.waiver.expires}: {label} "
        f"fails again under {o.id} ({o.milestone})."
        for label, o in ev.placed[Kind.EXPIRED]
        if o.waiver is not None
    )


def updates_stopped_warning(ev: Evaluation) -> tuple[str, ...]:
    """Said loudly to end users: their Kaspersky software gets no more updates."""
    by_day: dict[str, list[str]] = {}
    for day, label in ev.stopped:
        by_day.setdefault(day, []).append(label)
    return tuple(
        f"WARNING: Kaspersky updates and the Kaspersky Security Network stopped for US "
        f"users on {day}: {_labels(labels)} no longer receive signatures or fixes. End users "
        f"are not penalised, but should replace them."
        for day, labels in by_day.items()
    )


def updated_after_the_ban(ev: Evaluation) -> tuple[str, ...]:
    """Each finding whose SBOM dates it after the update ban (from its note, which was made
    with the as-of date in view)."""
    if ev.dated_note is None:
        return ()
    dated_note = ev.dated_note
    return _once(
        f"{label} was {head} ({evidence})."
        for f, label in zip(ev.findings, ev.labels, strict=True)
        for note in f.notes
        if note.startswith(dated_note)
        for head, _, evidence in (note.partition(": "),)
    )


def upcoming_milestones(ev: Evaluation) -> tuple[str, ...]:
    """Each milestone not yet in force with the findings it will reach."""
    return tuple(
        f"{rid} ({mid}) comes into force on {day}; {_count(len(set(labels)), 'finding')} "
        f"{_verb(labels, 'falls', 'fall')} under it: {_labels(labels)}."
        for (rid, mid, day), labels in _by_milestone(ev.placed[Kind.UPCOMING]).items()
    )


def milestones_by_model_year(ev: Evaluation) -> tuple[str, ...]:
    """Each milestone that binds from a model year, when none was given."""
    return tuple(
        f"{rid} ({mid}) is in force since {day} for {_model_years(ev.rules, rid, mid)}, which "
        f"depends on the model year (give --model-year); {_count(len(set(labels)), 'finding')} "
        f"{_verb(labels, 'falls', 'fall')} under it: {_labels(labels)}."
        for (rid, mid, day), labels in _by_milestone(ev.placed[Kind.BY_MODEL_YEAR]).items()
    )


def waived_outcomes(ev: Evaluation) -> tuple[str, ...]:
    """Each waived finding, with its waiver, expiry, approver and the milestones it waives."""
    waived: dict[tuple[str, str, str, str], list[str]] = {}
    for label, o in ev.placed[Kind.WAIVED]:
        if o.waiver is not None:
            key = (label, waiver_label(o.waiver), o.waiver.expires, o.waiver.approver)
            waived.setdefault(key, []).append(f"{o.id} ({o.milestone})")
    sentences = []
    for (label, which, expires, approver), under in waived.items():
        shown = ", ".join(under[:_WAIVED_LISTED])
        if len(under) > _WAIVED_LISTED:
            shown += f" and {len(under) - _WAIVED_LISTED} more"
        sentences.append(
            f"{label} is waived by {which} until {expires}, approved by {approver}, under {shown}."
        )
    return tuple(sentences)


def possible_evidence(ev: Evaluation) -> tuple[str, ...]:
    """Each finding that only warns because its evidence is possible, not likely."""
    return _once(
        f"{label} rests on possible evidence only, so it warns and does not fail."
        for label, _ in ev.placed[Kind.POSSIBLE]
    )


def other_warnings(ev: Evaluation) -> tuple[str, ...]:
    """Each binding rule that warns (in force at warning level), with its findings."""
    warned: dict[tuple[str, str], list[str]] = {}
    for label, o in ev.placed[Kind.WARNED]:
        warned.setdefault((o.id, o.severity.value), []).append(label)
    sentences = []
    for (rid, sev), labels in warned.items():
        rule = ev.rules.get(rid)
        title = rule.title if rule is not None else rid
        sentences.append(f"{rid} ({sev}): {title}: {_labels(labels)}.")
    return tuple(sentences)


def advisories(ev: Evaluation) -> tuple[str, ...]:
    """One sentence naming every advisory that applies, with its count of findings."""
    by_rule: dict[str, list[str]] = {}
    for label, o in ev.placed[Kind.ADVISORY]:
        by_rule.setdefault(o.id, []).append(label)
    if not by_rule:
        return ()
    listed = ", ".join(
        f"{rid} ({_count(len(set(labels)), 'finding')})" for rid, labels in by_rule.items()
    )
    return (f"Advisories apply: {listed}.",)


def findings_no_rule_reaches(ev: Evaluation) -> tuple[str, ...]:
    """Each finding that no applicable milestone weighs on, for this profile."""
    return _once(
        f"{label} is Kaspersky technology, but no rule applies to it for the "
        f"{ev.profile.name} profile."
        for f, label in zip(ev.findings, ev.labels, strict=True)
        if not any(o.severity.rank for o in f.rules if o.status is not RuleStatus.NOT_APPLICABLE)
    )


def unused_waivers(ev: Evaluation) -> tuple[str, ...]:
    """Each waiver that matched no finding (expired or not)."""
    return tuple(
        f"{waiver_label(use.waiver)}{' (expired)' if use.expired else ''} matched no finding."
        for use in ev.uses
        if not use.matched
    )


CHECKS: tuple[Check, ...] = (
    failing_milestones,
    expired_waivers,
    updates_stopped_warning,
    updated_after_the_ban,
    upcoming_milestones,
    milestones_by_model_year,
    waived_outcomes,
    possible_evidence,
    other_warnings,
    advisories,
    findings_no_rule_reaches,
    unused_waivers,
)
"""Every reason for a verdict, in the order the reasons are said (docs/policy.md)."""
FAILING: tuple[Check, ...] = (failing_milestones, expired_waivers)
"""The checks whose saying anything makes the verdict `fail`."""


def decide(ev: Evaluation) -> tuple[Verdict, tuple[str, ...]]:
    """The verdict and its reasons: every check in `CHECKS` in order, then completeness."""
    said = {check: check(ev) for check in CHECKS}
    reasons = tuple(sentence for sentences in said.values() for sentence in sentences)
    if any(said[check] for check in FAILING):
        return Verdict.FAIL, reasons
    if ev.findings:
        return Verdict.WARN, reasons
    if not ev.completeness.sufficient:
        return Verdict.INDETERMINATE, reasons + tuple(
            f"Nothing was found, but the SBOMs cannot show absence: {r}."
            for r in ev.completeness.reasons
        )
    return Verdict.PASS, (
        *reasons,
        "No Kaspersky technology was found, and the SBOMs are complete enough to show its absence.",
    )


# --- wording ---------------------------------------------------------------------------------


def _by_milestone(
    placed: Iterable[tuple[str, RuleOutcome]],
) -> dict[tuple[str, str, str], list[str]]:
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for label, o in placed:
        grouped.setdefault((o.id, o.milestone, o.effective[:10]), []).append(label)
    return grouped


def _model_years(rules: RuleSet, rule_id: str, milestone_id: str) -> str:
    rule = rules.get(rule_id)
    ms = next((m for m in rule.milestones if m.id == milestone_id), None) if rule else None
    year = ms.model_year if ms is not None else None
    return f"model year {year} and later" if year is not None else "some model years"


def _label(f: Finding) -> str:
    c = f.component
    name = c.name or c.ref
    return f"{name}@{c.version}" if c.version else name


def _labels(items: Sequence[str]) -> str:
    unique = list(dict.fromkeys(items))
    shown = ", ".join(unique[:_MAX_LABELS])
    more = len(unique) - _MAX_LABELS
    return f"{shown} and {more} more" if more > 0 else shown


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _verb(labels: Sequence[str], one: str, many: str) -> str:
    return one if len(set(labels)) == 1 else many


def _once(sentences: Iterable[str]) -> tuple[str, ...]:
    """The sentences in order, each said once."""
    return tuple(dict.fromkeys(sentences))
