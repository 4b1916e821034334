"""Re-evaluate recorded audits with today's catalogue, rules and date, without the files.

Each product's latest audit in the ledger is re-scanned from its stored inventory; the new
result is recorded (run kind `recheck`) and compared with the old one: verdict changes,
findings that appeared or disappeared (a new OEM alias now matches, say), and rule outcomes
whose status moved (an upcoming milestone now in force, a waiver expired).

Each audit is re-checked as it was decided: with the profile, jurisdictions and model year it
was recorded with, unless the caller chooses them (`given`). Only the catalogue, rules, date
and waivers are today's.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from sbomcheck._version import __version__
from sbomcheck.audit.ledger import AuditRecord, Ledger, StoredDocument
from sbomcheck.errors import LedgerError, SbomcheckError
from sbomcheck.findings import Report
from sbomcheck.json_form import NOT_IN_JSON

if TYPE_CHECKING:
    from sbomcheck.scan import ScanOptions

RECORDED_OPTIONS = ("profile", "jurisdictions", "model_year")
"""The options a re-check keeps from each audit unless the caller gives them."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """What changed for one product between its last audit and the re-check."""

    product: str
    path: str
    sha256: str
    profile: str
    """The profile it was re-checked with (as recorded, unless given)."""
    previous_audit: int
    previous_as_of: str
    previous_verdict: str
    verdict: str
    new_findings: tuple[str, ...] = ()
    """`name (canonical)` of findings that did not exist before."""
    gone_findings: tuple[str, ...] = ()
    status_changes: tuple[str, ...] = ()
    """`name: RULE milestone upcoming -> in-force` lines."""
    data_changes: tuple[str, ...] = ()
    """Which inputs changed: alias catalogue, rules, tool version, date, profile."""
    report: Report | None = field(default=None, compare=False, repr=False, metadata=NOT_IN_JSON)
    """The re-check's own report (the reports show its findings); not in the JSON form."""

    json_properties: ClassVar[tuple[str, ...]] = ("changed",)

    @property
    def changed(self) -> bool:
        """True when anything about the decision changed."""
        return bool(
            self.verdict != self.previous_verdict
            or self.new_findings
            or self.gone_findings
            or self.status_changes
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class RecheckResult:
    """A recorded re-check run: its id (the caller marks it finished) and what changed."""

    run_id: int
    changes: tuple[Change, ...]


def recheck(
    ledger: Ledger,
    scan_options: ScanOptions,
    *,
    recorded_at: str,
    given: Collection[str] = (),
) -> RecheckResult:
    """Re-scan every product's latest audit; record and return what changed.

    `scan_options` brings today's catalogue, rules, date and waivers. Of `RECORDED_OPTIONS`,
    those named in `given` are taken from `scan_options` for every audit; the others are
    kept from each audit as recorded (an audit of an older ledger that did not record its
    jurisdictions and model year gets those of `scan_options`, and says so). The run is left
    unfinished: the caller marks it finished (`Ledger.finish_run`) with the time it ended.
    """
    from sbomcheck.scan import scan_documents

    unknown = set(given) - set(RECORDED_OPTIONS)
    if unknown:
        raise ValueError(f"not a recorded option: {', '.join(sorted(unknown))}")
    latest = ledger.latest_per_product()
    params = {
        "as_of": scan_options.as_of.isoformat(),
        "profile": scan_options.profile if "profile" in given else None,
        "jurisdictions": list(scan_options.jurisdictions) if "jurisdictions" in given else None,
        "model_year": scan_options.model_year if "model_year" in given else None,
        "given": sorted(given),
        "tool_version": __version__,
        "catalogue": scan_options.catalogue.data_version.sha256,
        "rules": scan_options.rules.data_version.sha256,
        "products": len(latest),
    }
    key = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()
    run_id = ledger.start_run("recheck", params, key, recorded_at)
    changes = []
    for record in latest:
        options, notes = _options_for(record, scan_options, given, ledger.path)
        documents = ledger.documents_of(record.id)
        report = scan_documents(documents, options)
        old = ledger.report_of(record.id)
        ledger.record(
            run_id,
            product_key=record.product_key,
            report=report,
            documents=[StoredDocument.of(d) for d in documents],
            recorded_at=recorded_at,
            jurisdictions=options.jurisdictions,
            model_year=options.model_year,
        )
        change = compare(record, old, report)
        changes.append(dataclasses.replace(change, data_changes=(*change.data_changes, *notes)))
    return RecheckResult(run_id=run_id, changes=tuple(changes))


def _options_for(
    record: AuditRecord, base: ScanOptions, given: Collection[str], ledger_path: str
) -> tuple[ScanOptions, tuple[str, ...]]:
    """The scan options to re-check one audit with, and notes on what differs from it."""
    from sbomcheck.policy import check_policy_options

    profile = base.profile if "profile" in given else record.profile
    notes: list[str] = []
    if record.jurisdictions is None:
        jurisdictions, model_year = base.jurisdictions, base.model_year
        if not {"jurisdictions", "model_year"} <= set(given):
            notes.append("jurisdictions and model year not recorded (older ledger)")
    else:
        jurisdictions = base.jurisdictions if "jurisdictions" in given else record.jurisdictions
        model_year = base.model_year if "model_year" in given else record.model_year
        if tuple(jurisdictions) != record.jurisdictions:
            notes.append(f"jurisdictions {_codes(record.jurisdictions)} -> {_codes(jurisdictions)}")
        if model_year != record.model_year:
            notes.append(f"model year {record.model_year or 'none'} -> {model_year or 'none'}")
    try:
        check_policy_options(
            base.rules, profile=profile, jurisdictions=jurisdictions, model_year=model_year
        )
    except SbomcheckError as e:
        raise LedgerError(
            f"{ledger_path}: audit {record.id} ({record.path}) cannot be re-checked as it was "
            f"recorded: {e.diagnostics()}; give --profile, --jurisdiction or --model-year"
        ) from None
    options = dataclasses.replace(
        base, profile=profile, jurisdictions=tuple(jurisdictions), model_year=model_year
    )
    return options, tuple(notes)


def _codes(codes: Sequence[str]) -> str:
    return ", ".join(codes) if codes else "none"


def _label(finding: dict[str, Any]) -> str:
    comp = finding["component"]
    name = comp.get("name") or comp.get("ref")
    version = f"@{comp['version']}" if comp.get("version") else ""
    return f"{name}{version} ({finding['match']['canonical']})"


def _outcomes(findings: Sequence[dict[str, Any]]) -> dict[tuple[str, str, str], tuple[str, str]]:
    out = {}
    for f in findings:
        for r in f.get("rules", []):
            status = r["status"] + (" (waived)" if r.get("waived") else "")
            out[(f["id"], r["id"], r["milestone"])] = (status, _label(f))
    return out


def compare(record: AuditRecord, old: dict[str, Any], new_report: Report) -> Change:
    """The difference between a stored report and a fresh one for the same product."""
    new = new_report.to_dict()
    old_by_id = {f["id"]: f for f in old.get("findings", [])}
    new_by_id = {f["id"]: f for f in new["findings"]}
    new_findings = tuple(_label(new_by_id[i]) for i in sorted(set(new_by_id) - set(old_by_id)))
    gone = tuple(_label(old_by_id[i]) for i in sorted(set(old_by_id) - set(new_by_id)))
    before, after = _outcomes(old.get("findings", [])), _outcomes(new["findings"])
    status_changes = []
    for key in sorted(set(before) & set(after)):
        if before[key][0] != after[key][0]:
            _fid, rule, milestone = key
            status_changes.append(
                f"{after[key][1]}: {rule} {milestone} {before[key][0]} -> {after[key][0]}"
            )
    data = []
    if (old.get("catalogue") or {}).get("sha256") != (new.get("catalogue") or {}).get("sha256"):
        data.append("alias catalogue changed")
    if (old.get("rules_data") or {}).get("sha256") != (new.get("rules_data") or {}).get("sha256"):
        data.append("rules changed")
    if old.get("as_of") != new["as_of"]:
        data.append(f"date {old.get('as_of')} -> {new['as_of']}")
    if old.get("profile") != new["profile"]:
        data.append(f"profile {old.get('profile')} -> {new['profile']}")
    if (old.get("tool") or {}).get("version") != new["tool"]["version"]:
        data.append(
            f"sbomcheck {(old.get('tool') or {}).get('version')} -> {new['tool']['version']}"
        )
    return Change(
        product=record.product or record.path,
        path=record.path,
        sha256=record.sha256,
        profile=new["profile"],
        previous_audit=record.id,
        previous_as_of=record.as_of,
        previous_verdict=record.verdict,
        verdict=new["verdict"],
        new_findings=new_findings,
        gone_findings=gone,
        status_changes=tuple(status_changes),
        data_changes=tuple(data),
        report=new_report,
    )
