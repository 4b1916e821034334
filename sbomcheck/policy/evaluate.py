"""Findings -> decisions: each rule milestone per finding on the as-of date, waivers, a verdict.

For one finding and one milestone the status is, in this order of checks:
not-applicable when the milestone does not bind the profile, when the rule's scope does not
reach the finding (branded-only rules and embedded engines; listed entities), or when the
product class is carved out or outside the rule's classes; otherwise in-force from the
milestone's day on (`as_of >= effective_date`) and upcoming before it. An upcoming milestone
only warns. `possible` evidence and the `end-user` profile never fail. A waiver turns a
failing outcome into a visible warning until the day it expires. The verdict and its
reasons are composed in `verdict.py`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sbomcheck.errors import UsageError
from sbomcheck.findings import (
    Completeness,
    Confidence,
    Finding,
    RuleOutcome,
    RuleStatus,
    Severity,
    TimelineEntry,
    Verdict,
    Waiver,
    WaiverUse,
)
from sbomcheck.policy.profiles import Profile, profile_named
from sbomcheck.policy.rules import (
    MODEL_YEARS,
    Milestone,
    Rule,
    RuleSet,
    is_subnational,
)
from sbomcheck.policy.verdict import (
    DEPENDS_ON_MODEL_YEAR,
    POSSIBLE_ONLY,
    decide,
    read,
    updates_stopped,
)
from sbomcheck.policy.waivers import check_waiver_rules, waiver_label

__all__ = [
    "PolicyResult",
    "check_policy_options",
    "evaluate",
    "milestone_status",
    "timeline",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyResult:
    """What the policy stage adds to a scan."""

    findings: tuple[Finding, ...]
    """The same findings in the same order, with severity, rules and notes filled in."""
    verdict: Verdict
    reasons: tuple[str, ...]
    """One plain sentence per reason for the verdict."""
    waivers: tuple[WaiverUse, ...]
    """Every waiver given: what it matched, whether it has expired, unused ones too."""


def milestone_status(
    rule: Rule,
    milestone: Milestone,
    *,
    profile: str,
    as_of: dt.date,
    jurisdictions: Sequence[str] = (),
    model_year: int | None = None,
) -> tuple[RuleStatus, Severity, str]:
    """Status, severity and reason of a milestone for a profile on a date, before looking
    at any finding (what `sbomcheck rules` prints).

    A rule of a sub-national jurisdiction (`US-OR`) binds only when that jurisdiction is
    among `jurisdictions`. A milestone keyed to a model year applies from its date to that
    model year and later: without `model_year` it is shown as upcoming, "depends on the
    model year", never guessed in force or not applicable.
    """
    where = _Where(jurisdictions=tuple(jurisdictions), model_year=model_year)
    return _status(rule, milestone, profile_named(profile), as_of, where)


def _status(
    rule: Rule, ms: Milestone, profile: Profile, as_of: dt.date, where: _Where
) -> tuple[RuleStatus, Severity, str]:
    unbound = _not_binding(rule, ms, profile, where)
    if unbound is not None:
        return RuleStatus.NOT_APPLICABLE, Severity.NONE, unbound
    day = ms.effective_date.isoformat()
    upcoming = min(ms.severity, Severity.WARNING, key=lambda s: s.rank)
    if as_of < ms.effective_date:
        return RuleStatus.UPCOMING, upcoming, f"comes into force on {day}"
    since = f"in force since {day}"
    if ms.model_year is not None:
        years = f"model year {ms.model_year} and later"
        if where.model_year is None:
            return RuleStatus.UPCOMING, upcoming, f"{since} for {years}: {DEPENDS_ON_MODEL_YEAR}"
        if where.model_year < ms.model_year:
            return (
                RuleStatus.NOT_APPLICABLE,
                Severity.NONE,
                f"not this model year: {since} for {years}, and this is model year "
                f"{where.model_year}",
            )
        since = f"{since} for {years} (model year {where.model_year})"
    severity = min(ms.severity, profile.highest_severity, key=lambda s: s.rank)
    return RuleStatus.IN_FORCE, severity, since


def _not_binding(rule: Rule, ms: Milestone, profile: Profile, where: _Where) -> str | None:
    """Why the milestone does not bind this profile and selection, or None if it does."""
    if profile.name not in ms.profiles:
        return f"not this profile: binds {rule.binds} (profiles: {', '.join(ms.profiles)})"
    if is_subnational(rule.jurisdiction) and rule.jurisdiction not in where.jurisdictions:
        return (
            f"not this jurisdiction: binds {rule.binds} ({rule.jurisdiction}; select it with "
            f"--jurisdiction {rule.jurisdiction})"
        )
    return None


def check_policy_options(
    rules: RuleSet,
    *,
    profile: str,
    jurisdictions: Sequence[str] = (),
    model_year: int | None = None,
) -> None:
    """Raise `UsageError` (exit 2) on a profile, jurisdiction or model year that cannot be
    meant: an unknown profile; a jurisdiction no rule names (a typo must not silently drop
    a state's rules); `state-agency` without a jurisdiction (whose state's rules bind is
    not guessed); a model year out of range."""
    asking = profile_named(profile)
    known = rules.jurisdictions
    for code in jurisdictions:
        if code not in known:
            raise UsageError(
                f"--jurisdiction: unknown jurisdiction {code!r} (known: {', '.join(known)})"
            )
    if asking.needs_jurisdiction and not jurisdictions:
        states = ", ".join(j for j in known if is_subnational(j))
        raise UsageError(
            f"--profile {asking.name} needs --jurisdiction: the state whose rules bind "
            f"({states}), or US for none of them"
        )
    low, high = MODEL_YEARS
    if model_year is not None and not low <= model_year <= high:
        raise UsageError(f"--model-year: {model_year} is not a model year ({low}-{high})")


def timeline(
    rules: RuleSet,
    *,
    profile: str,
    as_of: dt.date,
    jurisdictions: Sequence[str] = (),
    model_year: int | None = None,
) -> tuple[TimelineEntry, ...]:
    """Every milestone that binds `profile` (and the selected jurisdictions), in date order,
    with its status on `as_of`."""
    asking = profile_named(profile)
    where = _Where(jurisdictions=tuple(jurisdictions), model_year=model_year)
    entries = []
    for rule in rules.rules:
        for milestone in rule.milestones:
            status, severity, reason = _status(rule, milestone, asking, as_of, where)
            if status is RuleStatus.NOT_APPLICABLE:
                continue
            entries.append(
                TimelineEntry(
                    id=rule.id,
                    title=rule.title,
                    milestone=milestone.id,
                    effective=milestone.effective,
                    status=status,
                    severity=severity,
                    reason=reason,
                    source=milestone.source or rule.url,
                )
            )
    return tuple(sorted(entries, key=lambda e: (e.effective[:10], e.id, e.milestone)))


def evaluate(
    findings: Sequence[Finding],
    *,
    rules: RuleSet,
    profile: str,
    as_of: dt.date,
    waivers: Sequence[Waiver] = (),
    completeness: Completeness,
    jurisdictions: Sequence[str] = (),
    model_year: int | None = None,
) -> PolicyResult:
    """Apply every rule milestone to every finding for `profile` on `as_of`, then waivers.

    `jurisdictions` selects the sub-national rules that bind (`US-OR`); `model_year` is the
    model year of the product (vehicles), for milestones keyed to one.

    Returns the findings (same order) with `severity`, `rules` (one outcome per milestone of
    every rule, applicable or not) and `notes` filled in, the verdict and its reasons, and
    how each waiver fared. Never reads the clock.
    """
    check_policy_options(rules, profile=profile, jurisdictions=jurisdictions, model_year=model_year)
    check_waiver_rules(waivers, (rule.id for rule in rules))
    run = _Run(
        rules=rules,
        profile=profile_named(profile),
        as_of=as_of,
        where=_Where(jurisdictions=tuple(jurisdictions), model_year=model_year),
        ban=_update_ban(rules),
    )
    matched: dict[int, list[str]] = {w.index: [] for w in waivers}
    evaluated = [_evaluate_one(finding, run, waivers, matched) for finding in findings]
    uses = tuple(
        WaiverUse(waiver=w, matched=tuple(matched[w.index]), expired=_expired(w, as_of))
        for w in waivers
    )
    verdict, reasons = decide(
        read(
            evaluated,
            uses,
            completeness,
            rules=rules,
            profile=run.profile,
            dated_note=tuple(run.ban.notes.values()) if run.ban is not None else None,
        )
    )
    return PolicyResult(findings=tuple(evaluated), verdict=verdict, reasons=reasons, waivers=uses)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Where:
    """The jurisdictions and model year a run is evaluated for."""

    jurisdictions: tuple[str, ...] = ()
    model_year: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class _UpdateBan:
    """The milestone marked `update_ban` in the rules, as the dated-evidence note reads it."""

    rule: Rule
    day: dt.date
    zone: dt.tzinfo | None
    """The milestone's UTC offset (EDT for ICTS); None when its `effective` is a plain date."""

    @property
    def notes(self) -> dict[str, str]:
        """How the note begins, by the field the date was found in: what that date shows."""
        day = self.day.isoformat()
        return {
            "release date": f"released after the {day} ban on updates",
            "build date": f"built after the {day} ban on updates",
            # NOTE: a creation time dates the SBOM, not the component: it shows no update.
            "SBOM creation time": f"listed in an SBOM made after the {day} ban on updates",
        }


def _update_ban(rules: RuleSet) -> _UpdateBan | None:
    marked = rules.update_ban
    if marked is None:
        return None
    rule, ms = marked
    moment = dt.datetime.fromisoformat(ms.effective) if "T" in ms.effective else None
    return _UpdateBan(rule=rule, day=ms.effective_date, zone=moment.tzinfo if moment else None)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Run:
    """What one evaluation is for: the rules, who asks, on which day, for which selection."""

    rules: RuleSet
    profile: Profile
    as_of: dt.date
    where: _Where
    ban: _UpdateBan | None


def _evaluate_one(
    finding: Finding, run: _Run, waivers: Sequence[Waiver], matched: dict[int, list[str]]
) -> Finding:
    """The finding with its outcomes, severity and notes; records which waivers matched it."""
    selecting = [w for w in waivers if _selects(w, finding)]
    outcomes: list[RuleOutcome] = []
    for rule in run.rules:
        for ms in rule.milestones:
            outcome = _outcome(finding, rule, ms, run)
            if outcome.status is not RuleStatus.NOT_APPLICABLE and outcome.severity.rank:
                candidates = [w for w in selecting if w.rule in (None, rule.id)]
                for w in candidates:
                    if finding.id not in matched[w.index]:
                        matched[w.index].append(finding.id)
                if candidates:
                    outcome = _apply_waiver(outcome, candidates, run.as_of)
            outcomes.append(outcome)
    severity = max((o.severity for o in outcomes), key=lambda s: s.rank, default=Severity.NONE)
    notes = list(finding.notes)
    for note in _notes(finding, outcomes, run):
        if note not in notes:
            notes.append(note)
    return dataclasses.replace(
        finding, severity=severity, rules=tuple(outcomes), notes=tuple(notes)
    )


def _not_applicable(rule: Rule, finding: Finding) -> str | None:
    """Why the rule's scope or classes do not reach this finding, or None if they do."""
    if rule.scope == "branded" and finding.integration != "branded":
        return (
            "out of scope: covers Kaspersky-branded products only, and this is embedded in "
            "another vendor's product"
        )
    if rule.scope == "listed-entity" and not _names_entity(rule, finding):
        return f"out of scope: names none of the listed entities ({'; '.join(rule.entities)})"
    if rule.scope == "listed-product" and not _names_product(rule, finding):
        return f"out of scope: covers only {'; '.join(rule.products)}"
    cls = finding.product_class
    if cls and cls in rule.exclude_classes:
        return f"excluded product class: {cls} is carved out of {rule.id}"
    # NOTE: an empty class means identification could not tell; reach it rather than risk
    # a false "not applicable".
    if cls and rule.product_classes and cls not in rule.product_classes:
        covered = ", ".join(rule.product_classes)
        return f"out of scope: {cls} is outside the classes {rule.id} covers ({covered})"
    return None


def _names_entity(rule: Rule, finding: Finding) -> bool:
    wanted = {_fold(e) for e in rule.entities}
    texts = [finding.canonical, finding.component.supplier or ""]
    for ev in finding.evidence:
        texts.extend((ev.canonical, ev.alias))
    return any(_fold(t) in wanted for t in texts if t)


def _names_product(rule: Rule, finding: Finding) -> bool:
    wanted = {_fold(p) for p in rule.products}
    names = [finding.canonical] + [ev.canonical for ev in finding.evidence]
    return any(_fold(n) in wanted for n in names if n)


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace(",", " ").replace(".", " ").split())


def _outcome(finding: Finding, rule: Rule, ms: Milestone, run: _Run) -> RuleOutcome:
    status, severity, reason = _status(rule, ms, run.profile, run.as_of, run.where)
    if status is not RuleStatus.NOT_APPLICABLE:
        why_not = _not_applicable(rule, finding)
        if why_not is not None:
            status, severity, reason = RuleStatus.NOT_APPLICABLE, Severity.NONE, why_not
    if status is RuleStatus.IN_FORCE and ms.severity is Severity.ERROR:
        if not run.profile.penalised:
            reason += "; end users are not penalised, so this warns"
        elif finding.confidence is Confidence.POSSIBLE:
            severity = Severity.WARNING
            reason += f"; {POSSIBLE_ONLY}, so this warns and does not fail"
    return RuleOutcome(
        id=rule.id,
        title=rule.title,
        milestone=ms.id,
        effective=ms.effective,
        status=status,
        severity=severity,
        source=ms.source,
        reason=reason,
        prohibits=ms.prohibits,
        short_title=rule.short_title,
    )


def _expired(w: Waiver, as_of: dt.date) -> bool:
    return as_of >= dt.date.fromisoformat(w.expires)


def _apply_waiver(outcome: RuleOutcome, candidates: list[Waiver], as_of: dt.date) -> RuleOutcome:
    """The first unexpired waiver (file order) waives; if all expired, say so."""
    for w in candidates:
        if not _expired(w, as_of):
            severity = Severity.WARNING if outcome.severity is Severity.ERROR else outcome.severity
            return dataclasses.replace(
                outcome,
                severity=severity,
                waived=True,
                waiver=w,
                reason=f"{outcome.reason}; waived by {waiver_label(w)} until {w.expires}",
            )
    w = candidates[0]
    return dataclasses.replace(
        outcome,
        waiver=w,
        waiver_expired=True,
        reason=f"{outcome.reason}; {waiver_label(w)} expired on {w.expires}",
    )


def _selects(w: Waiver, f: Finding) -> bool:
    c = f.component
    if w.name is not None and w.name.casefold() != c.name.casefold():
        return False
    if w.ref is not None and w.ref != c.ref:
        return False
    if w.version is not None and w.version != c.version:
        return False
    if w.purl is not None:
        if not c.purl:
            return False
        # NOTE: a waiver purl without a version waives every version of that package.
        have = c.purl if "@" in w.purl else c.purl.split("?")[0].split("#")[0].split("@")[0]
        if w.purl != have:
            return False
    if w.alias is not None:
        wanted = w.alias.casefold()
        names = [f.canonical] + [x for e in f.evidence for x in (e.alias, e.canonical)]
        if not any(n.casefold() == wanted for n in names if n):
            return False
    return True


def _date_evidence(finding: Finding, as_of: dt.date, ban: _UpdateBan) -> tuple[str, str] | None:
    """(what, value) of the first SBOM date on or after the update ban, or None."""
    c = finding.component
    fields = [("release date", c.release_date), ("build date", c.built_date)]
    if not (c.release_date or c.built_date):
        # NOTE: the document's creation time is weaker evidence (it dates the SBOM, not the
        # build), so it only speaks when the component itself carries no date.
        fields.append(("SBOM creation time", c.document_created))
    for what, value in fields:
        day = _day(value, ban.zone)
        # A date after the as-of date has not happened yet for this evaluation.
        if day is not None and ban.day <= day <= as_of:
            return what, value or ""
    return None


def _day(value: str | None, zone: dt.tzinfo | None) -> dt.date | None:
    """The calendar day of an SBOM date; a time with an offset is read in `zone` (the ban's
    own offset), or on its own calendar day when the ban has none."""
    if not value:
        return None
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value)
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.astimezone(zone).date() if moment.tzinfo and zone else moment.date()


def _updated_after_ban(finding: Finding, run: _Run) -> tuple[str, str] | None:
    # Only the classes the ban's rule reaches are under it (ICTS: security software); an
    # unknown class is reached, as in `_not_applicable`.
    ban = run.ban
    if ban is None or run.as_of < ban.day or not _class_reached(ban.rule, finding.product_class):
        return None
    return _date_evidence(finding, run.as_of, ban)


def _class_reached(rule: Rule, cls: str) -> bool:
    if not cls:
        return True
    return cls not in rule.exclude_classes and (
        not rule.product_classes or cls in rule.product_classes
    )


def _notes(finding: Finding, outcomes: Sequence[RuleOutcome], run: _Run) -> list[str]:
    notes: list[str] = []
    dated = _updated_after_ban(finding, run)
    if dated is not None and run.ban is not None:
        notes.append(f"{run.ban.notes[dated[0]]}: {dated[0]} {dated[1]}")
    stopped = updates_stopped(outcomes, run.profile, run.rules)
    if stopped is not None:
        notes.append(
            f"Kaspersky updates and the Kaspersky Security Network stopped for US users on "
            f"{stopped}: this component gets no new signatures or fixes; replace it"
        )
    if finding.confidence is Confidence.POSSIBLE and any(
        POSSIBLE_ONLY in o.reason for o in outcomes
    ):
        notes.append(f"{POSSIBLE_ONLY}: warns, never fails")
    return notes
