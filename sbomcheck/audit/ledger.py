"""The audit ledger: every audit recorded in SQLite, with what a re-check needs.

One file, no server. The audit process is the single writer; each product's audit is written
in one transaction, and a run is marked finished only at its end, so a batch killed half way
leaves only whole audits and can be resumed (`resume_run`). WAL journaling lets `history`
read while an audit writes. Inventories (the model of each SBOM, see `sbomcheck.model_io`)
are stored once per SBOM sha256, compressed.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sbomcheck.errors import LedgerError
from sbomcheck.findings import Report
from sbomcheck.model import Document
from sbomcheck.model_io import document_from_dict, document_to_dict

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,                 -- audit | recheck
    params TEXT NOT NULL,               -- JSON: as_of, profile, data versions, inputs
    params_key TEXT NOT NULL,           -- sha256 of params; a resume needs the same
    started_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE TABLE IF NOT EXISTS audits (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    product_key TEXT NOT NULL,          -- sha256 over the sorted sha256 of its documents
    path TEXT NOT NULL,                 -- the product SBOM (first document)
    sha256 TEXT NOT NULL,               -- of the product SBOM
    product TEXT,
    supplier TEXT,
    verdict TEXT NOT NULL,
    findings INTEGER NOT NULL,
    as_of TEXT NOT NULL,
    profile TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    catalogue_version TEXT,
    catalogue_sha256 TEXT,
    rules_version TEXT,
    rules_sha256 TEXT,
    recorded_at TEXT NOT NULL,
    report TEXT NOT NULL                -- the JSON report
);
CREATE INDEX IF NOT EXISTS audits_sha256 ON audits(sha256);
CREATE INDEX IF NOT EXISTS audits_product_key ON audits(product_key);
CREATE INDEX IF NOT EXISTS audits_run ON audits(run_id);
CREATE TABLE IF NOT EXISTS audit_documents (
    audit_id INTEGER NOT NULL REFERENCES audits(id),
    position INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    path TEXT NOT NULL,
    PRIMARY KEY (audit_id, position)
);
CREATE INDEX IF NOT EXISTS audit_documents_sha256 ON audit_documents(sha256);
CREATE TABLE IF NOT EXISTS inventories (
    sha256 TEXT PRIMARY KEY,
    format TEXT NOT NULL,
    inventory BLOB NOT NULL             -- zlib(JSON of model_io.document_to_dict)
);
CREATE TABLE IF NOT EXISTS file_errors (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    path TEXT NOT NULL,
    message TEXT NOT NULL
);
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredDocument:
    """One SBOM of an audit as the ledger keeps it: identity and compressed inventory.

    Workers make these, so the parent process (the single writer) never has to receive or
    re-encode whole model documents.
    """

    sha256: str
    path: str
    format: str
    inventory: bytes
    """zlib-compressed JSON of `model_io.document_to_dict`."""

    @classmethod
    def of(cls, doc: Document) -> StoredDocument:
        """The stored form of a model document."""
        return cls(
            sha256=doc.sha256,
            path=doc.path,
            format=doc.format.value,
            inventory=zlib.compress(json.dumps(document_to_dict(doc)).encode(), 6),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditRecord:
    """One recorded audit, as `history` and `recheck` read it."""

    id: int
    run_id: int
    product_key: str
    path: str
    sha256: str
    product: str | None
    supplier: str | None
    verdict: str
    findings: int
    as_of: str
    profile: str
    tool_version: str
    catalogue_version: str | None
    catalogue_sha256: str | None
    rules_version: str | None
    rules_sha256: str | None
    recorded_at: str
    kind: str

    def report(self, ledger: Ledger) -> dict[str, Any]:
        """The stored JSON report of this audit."""
        return ledger.report_of(self.id)


class Ledger:
    """An open ledger database. Use as a context manager."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        try:
            self._conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._conn.executescript(_SCHEMA)
            self._check_schema()
        except sqlite3.DatabaseError as e:
            raise LedgerError(f"{self.path}: cannot open the audit ledger: {e}") from None

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def _check_schema(self) -> None:
        row = self._conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is None:
            self._conn.execute(
                "INSERT INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )
        elif row[0] != str(SCHEMA_VERSION):
            raise LedgerError(
                f"{self.path}: ledger schema version {row[0]} is not supported "
                f"(this sbomcheck writes version {SCHEMA_VERSION})"
            )

    # -- runs -------------------------------------------------------------------------------

    def start_run(self, kind: str, params: dict[str, Any], params_key: str, started_at: str) -> int:
        """Record the start of a run; returns its id."""
        cur = self._conn.execute(
            "INSERT INTO runs(kind, params, params_key, started_at) VALUES (?, ?, ?, ?)",
            (kind, json.dumps(params, sort_keys=True), params_key, started_at),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def finish_run(self, run_id: int, finished_at: str) -> None:
        """Mark a run complete."""
        self._conn.execute("UPDATE runs SET finished_at=? WHERE id=?", (finished_at, run_id))

    def resumable_run(self, params_key: str) -> int | None:
        """The latest unfinished run with the same parameters, if any."""
        row = self._conn.execute(
            "SELECT id FROM runs WHERE params_key=? AND finished_at IS NULL AND kind='audit' "
            "ORDER BY id DESC LIMIT 1",
            (params_key,),
        ).fetchone()
        return int(row[0]) if row else None

    def products_done(self, run_id: int) -> set[str]:
        """Product keys already recorded in a run (skipped on resume)."""
        rows = self._conn.execute("SELECT product_key FROM audits WHERE run_id=?", (run_id,))
        return {r[0] for r in rows}

    # -- audits -----------------------------------------------------------------------------

    def record(
        self,
        run_id: int,
        *,
        product_key: str,
        report: Report,
        documents: Sequence[StoredDocument],
        recorded_at: str,
    ) -> int:
        """Write one product's audit, its documents and inventories in one transaction."""
        first = report.documents[0] if report.documents else None
        data = report.to_dict()
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            cur = self._conn.execute(
                "INSERT INTO audits(run_id, product_key, path, sha256, product, supplier, verdict, "
                "findings, as_of, profile, tool_version, catalogue_version, catalogue_sha256, "
                "rules_version, rules_sha256, recorded_at, report) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    run_id,
                    product_key,
                    first.path if first else "",
                    first.sha256 if first else "",
                    first.product if first else None,
                    first.supplier if first else None,
                    report.verdict.value,
                    len(report.findings),
                    report.as_of,
                    report.profile,
                    report.tool_version,
                    report.catalogue.version if report.catalogue else None,
                    report.catalogue.sha256 if report.catalogue else None,
                    report.rules.version if report.rules else None,
                    report.rules.sha256 if report.rules else None,
                    recorded_at,
                    json.dumps(data, sort_keys=True),
                ),
            )
            audit_id = cur.lastrowid
            assert audit_id is not None
            for position, doc in enumerate(documents):
                self._conn.execute(
                    "INSERT INTO audit_documents(audit_id, position, sha256, path) "
                    "VALUES (?,?,?,?)",
                    (audit_id, position, doc.sha256, doc.path),
                )
                self._conn.execute(
                    "INSERT OR IGNORE INTO inventories(sha256, format, inventory) VALUES (?,?,?)",
                    (doc.sha256, doc.format, doc.inventory),
                )
            self._conn.execute("COMMIT")
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise
        return audit_id

    def record_file_error(self, run_id: int, path: str, message: str) -> None:
        """Remember an input that could not be read."""
        self._conn.execute(
            "INSERT INTO file_errors(run_id, path, message) VALUES (?,?,?)", (run_id, path, message)
        )

    # -- reading ----------------------------------------------------------------------------

    _SELECT = (
        "SELECT a.id, a.run_id, a.product_key, a.path, a.sha256, a.product, a.supplier, "
        "a.verdict, a.findings, a.as_of, a.profile, a.tool_version, a.catalogue_version, "
        "a.catalogue_sha256, a.rules_version, a.rules_sha256, a.recorded_at, r.kind "
        "FROM audits a JOIN runs r ON r.id = a.run_id"
    )

    def _records(self, where: str = "", args: Sequence[Any] = ()) -> list[AuditRecord]:
        rows = self._conn.execute(f"{self._SELECT} {where} ORDER BY a.id", tuple(args))
        return [
            AuditRecord(
                id=r[0],
                run_id=r[1],
                product_key=r[2],
                path=r[3],
                sha256=r[4],
                product=r[5],
                supplier=r[6],
                verdict=r[7],
                findings=r[8],
                as_of=r[9],
                profile=r[10],
                tool_version=r[11],
                catalogue_version=r[12],
                catalogue_sha256=r[13],
                rules_version=r[14],
                rules_sha256=r[15],
                recorded_at=r[16],
                kind=r[17],
            )
            for r in rows
        ]

    def history(self, selector: str | None = None) -> list[AuditRecord]:
        """Audits of one product (by SBOM sha256, path or product name), or all."""
        if not selector:
            return self._records()
        return self._records(
            "WHERE a.sha256 = ? OR a.path = ? OR a.product = ? OR a.product_key IN "
            "(SELECT a2.product_key FROM audits a2 JOIN audit_documents d ON d.audit_id = a2.id "
            "WHERE d.sha256 = ?)",
            (selector, selector, selector, selector),
        )

    def latest_per_product(self) -> list[AuditRecord]:
        """The most recent audit of every product."""
        return self._records("WHERE a.id IN (SELECT MAX(id) FROM audits GROUP BY product_key)")

    def report_of(self, audit_id: int) -> dict[str, Any]:
        """The stored JSON report of an audit."""
        row = self._conn.execute("SELECT report FROM audits WHERE id=?", (audit_id,)).fetchone()
        if row is None:
            raise LedgerError(f"{self.path}: no audit with id {audit_id}")
        result: dict[str, Any] = json.loads(row[0])
        return result

    def documents_of(self, audit_id: int) -> list[Document]:
        """The inventories (model documents) an audit was made from, in order."""
        rows = self._conn.execute(
            "SELECT i.inventory FROM audit_documents d JOIN inventories i ON i.sha256 = d.sha256 "
            "WHERE d.audit_id=? ORDER BY d.position",
            (audit_id,),
        ).fetchall()
        if not rows:
            raise LedgerError(f"{self.path}: audit {audit_id} has no stored inventory")
        return [document_from_dict(json.loads(zlib.decompress(r[0]))) for r in rows]

    def file_errors(self, run_id: int) -> Iterator[tuple[str, str]]:
        """(path, message) of the inputs a run could not read."""
        yield from self._conn.execute(
            "SELECT path, message FROM file_errors WHERE run_id=? ORDER BY rowid", (run_id,)
        )
