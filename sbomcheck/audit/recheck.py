"""Re-evaluate recorded audits with today's catalogue, rules and date, without the files.

Each product's latest audit in the ledger is re-scanned from its stored inventory; the new
result is recorded (run kind `recheck`) and compared with the old one: verdict changes,
findings that appeared or disappeared (a new OEM alias now matches, say), and rule outcomes
whose status moved (an upcoming milestone now in force, a waiver expired).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sbomcheck._version import __version__
from sbomcheck.audit.ledger import AuditRecord, Ledger, StoredDocument
from sbomcheck.findings import Report


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """What changed for one product between its last audit and the re-check."""

    product: str
    path: str
    sha256: str
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

    @property
    def changed(self) -> bool:
        """True when anything about the decision changed."""
        return bool(
            self.verdict != self.previous_verdict
            or self.new_findings
            or self.gone_findings
            or self.status_changes
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "product": self.product,
            "path": self.path,
            "sha256": self.sha256,
            "previous_audit": self.previous_audit,
            "previous_as_of": self.previous_as_of,
            "previous_verdict": self.previous_verdict,
            "verdict": self.verdict,
            "changed": self.changed,
            "new_findings": list(self.new_findings),
            "gone_findings": list(self.gone_findings),
            "status_changes": list(self.status_changes),
            "data_changes": list(self.data_changes),
        }


def recheck(ledger: Ledger, scan_options: Any, *, recorded_at: str) -> list[Change]:
    """Re-scan every product's latest audit; record and return what changed."""
    from sbomcheck.scan import scan_documents

    latest = ledger.latest_per_product()
    params = {
        "as_of": scan_options.as_of.isoformat(),
        "profile": scan_options.profile,
        "tool_version": __version__,
        "catalogue": scan_options.catalogue.data_version.sha256,
        "rules": scan_options.rules.data_version.sha256,
        "products": len(latest),
    }
    key = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()
    run_id = ledger.start_run("recheck", params, key, recorded_at)
    changes = []
    for record in latest:
        documents = ledger.documents_of(record.id)
        report = scan_documents(documents, scan_options)
        old = ledger.report_of(record.id)
        ledger.record(
            run_id,
            product_key=record.product_key,
            report=report,
            documents=[StoredDocument.of(d) for d in documents],
            recorded_at=recorded_at,
        )
        changes.append(compare(record, old, report))
    ledger.finish_run(run_id, recorded_at)
    return changes


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
        previous_audit=record.id,
        previous_as_of=record.as_of,
        previous_verdict=record.verdict,
        verdict=new["verdict"],
        new_findings=new_findings,
        gone_findings=gone,
        status_changes=tuple(status_changes),
        data_changes=tuple(data),
    )
