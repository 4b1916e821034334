"""The audit ledger: every audit recorded in SQLite, with what a re-check needs.

One file, no server. Each product's audit is written in one transaction, and a run is marked
finished only at its end, so a batch killed half way leaves only whole audits and can be
resumed. A run being written is claimed with an OS lock (`claim_run`), which the kernel
releases when its process ends however it ends: a second process cannot join a live run, and
a killed one blocks nothing. WAL journaling lets `history` read while an audit writes.
Inventories (the model of each SBOM, see `sbomcheck.audit.inventory`) are stored once per SBOM
sha256, compressed, with the version of their encoding.

Fail closed: a file that is not an sbomcheck ledger, or whose pages are damaged (SQLite's
`quick_check`), is refused before anything is written to it; a reader opens the file
read-only (`mode=ro`) and never changes it, not even its journal mode.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sbomcheck.audit.inventory import decode_inventory, encode_inventory
from sbomcheck.errors import LedgerError
from sbomcheck.findings import Report
from sbomcheck.model import Document

SCHEMA_VERSION = 3
"""2: audits record jurisdictions and model year; a product and a file error once per run.
3: inventories record the version of their encoding (`inventory_version`; rows of older
ledgers are version 1, which is still read)."""

APPLICATION_ID = 0x53424F4D
"""SQLite's `application_id` of an sbomcheck ledger ("SBOM"), set from schema version 2."""

_SQLITE_MAGIC = b"SQLite format 3\x00"

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
    report TEXT NOT NULL,               -- the JSON report
    jurisdictions TEXT,                 -- JSON list; NULL in audits of schema version 1
    model_year INTEGER
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
    inventory BLOB NOT NULL,            -- inventory.encode_inventory
    inventory_version INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS file_errors (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    path TEXT NOT NULL,
    message TEXT NOT NULL
);
"""

_ONCE_PER_RUN = (
    # (index, table, columns, row id): a product, and an unreadable file, once per run.
    ("audits_once_per_run", "audits", "run_id, product_key", "id"),
    ("file_errors_once_per_run", "file_errors", "run_id, path", "rowid"),
)


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
    """`inventory.encode_inventory` of the document."""
    inventory_version: int
    """The encoding of `inventory`."""

    @classmethod
    def of(cls, doc: Document) -> StoredDocument:
        """The stored form of a model document."""
        version, inventory = encode_inventory(doc)
        return cls(
            sha256=doc.sha256,
            path=doc.path,
            format=doc.format.value,
            inventory=inventory,
            inventory_version=version,
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
    jurisdictions: tuple[str, ...] | None = None
    """The `--jurisdiction` codes it was decided with; None where the ledger did not record
    them (audits written by schema version 1)."""
    model_year: int | None = None
    """The `--model-year` it was decided with (None: not given, or not recorded)."""

    def report(self, ledger: Ledger) -> dict[str, Any]:
        """The stored JSON report of this audit."""
        return ledger.report_of(self.id)


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordedAudit:
    """An audit a run has already recorded: its product key and stored JSON report."""

    product_key: str
    report: dict[str, Any]


class Ledger:
    """An open ledger database. Use as a context manager.

    `readonly=True` (what `history` uses) opens the file with SQLite's `mode=ro` and changes
    nothing in it; otherwise the ledger is created if absent, and checked before any write.
    Raises `LedgerError` (one line naming the file) for a file that is not an sbomcheck
    ledger, a damaged one, one of a newer schema, or one that cannot be written.
    """

    def __init__(self, path: Path | str, *, readonly: bool = False) -> None:
        self.path = str(path)
        self.readonly = readonly
        self._lock_fd: int | None = None
        self._claimed: set[int] = set()
        existing = _size(self.path) > 0
        if readonly and not existing:
            what = "is empty" if os.path.exists(self.path) else "does not exist"
            raise LedgerError(f"{self.path}: no audit ledger here: the file {what}")
        if existing:
            _check_header(self.path)
        if not readonly:
            _check_writable(self.path, existing)
        self._conn = self._connect(existing)
        try:
            if existing:
                self._check_integrity()
                version = self._check_identity()
            else:
                version = None
            if not readonly:
                self._prepare_for_writing(version)
            self._has_options = self._column_exists("audits", "jurisdictions")
            self._has_inventory_versions = self._column_exists("inventories", "inventory_version")
        except sqlite3.Error as e:
            self._conn.close()
            raise LedgerError(
                f"{self.path}: cannot open the audit ledger: {_one_line(e)}"
            ) from None
        except BaseException:
            self._conn.close()
            raise

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection and release the runs this process claimed."""
        self._conn.close()
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # NOTE: closing the descriptor releases every claim
            self._lock_fd = None
            self._claimed.clear()

    # -- opening ----------------------------------------------------------------------------

    def _connect(self, existing: bool) -> sqlite3.Connection:
        uri = f"file:{urllib.parse.quote(os.path.abspath(self.path))}"
        try:
            if not self.readonly:
                mode = "rw" if existing else "rwc"
                return sqlite3.connect(
                    f"{uri}?mode={mode}", uri=True, timeout=30, isolation_level=None
                )
            conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None)
            try:
                conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
                return conn
            except sqlite3.OperationalError:
                conn.close()
                if not _read_only_wal_without_log(self.path):
                    raise
            except sqlite3.DatabaseError as e:
                conn.close()
                raise LedgerError(_damaged(self.path, _one_line(e), True)) from None
            # NOTE: a WAL ledger in a directory this process cannot write: SQLite cannot make
            # the -shm index it reads through. With no -wal file there is nothing beyond the
            # main file, and nobody can change it here: read it as immutable.
            return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None)
        except sqlite3.Error as e:
            raise LedgerError(
                f"{self.path}: cannot open the audit ledger: {_one_line(e)}"
            ) from None

    def _check_integrity(self) -> None:
        try:
            rows = self._conn.execute("PRAGMA quick_check").fetchmany(2)
        except sqlite3.DatabaseError as e:
            raise LedgerError(_damaged(self.path, _one_line(e), self.readonly)) from None
        if [tuple(r) for r in rows] != [("ok",)]:
            raise LedgerError(_damaged(self.path, str(rows[0][0]) if rows else "", self.readonly))

    def _check_identity(self) -> int | None:
        """The schema version of an existing ledger; refuses other SQLite files."""
        app_id = int(self._conn.execute("PRAGMA application_id").fetchone()[0])
        tables = {r[0] for r in self._conn.execute("SELECT name FROM sqlite_master")}
        if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables and "meta" not in tables):
            raise LedgerError(
                f"{self.path}: not an sbomcheck audit ledger (an SQLite database of another "
                "application); give --db a new file or an existing ledger"
            )
        if not tables:
            if self.readonly:
                raise LedgerError(f"{self.path}: not an sbomcheck audit ledger (no tables)")
            return None
        row = self._conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is None or not str(row[0]).isdigit():
            raise LedgerError(f"{self.path}: not an sbomcheck audit ledger (no schema version)")
        version = int(row[0])
        if version > SCHEMA_VERSION:
            raise LedgerError(
                f"{self.path}: ledger schema version {version} is not supported "
                f"(this sbomcheck writes version {SCHEMA_VERSION}): upgrade sbomcheck"
            )
        return version

    def _prepare_for_writing(self, version: int | None) -> None:
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        if version == SCHEMA_VERSION:
            return
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            if version is None:
                for statement in _SCHEMA.split(";\n"):
                    if statement.strip():
                        self._conn.execute(statement)
            else:
                if version < 2:
                    self._migrate_from_1()
                self._migrate_from_2()
            self._create_once_per_run_indexes()
            self._conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            self._conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )
            self._conn.execute("COMMIT")
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise

    def _migrate_from_1(self) -> None:
        self._conn.execute("ALTER TABLE audits ADD COLUMN jurisdictions TEXT")
        self._conn.execute("ALTER TABLE audits ADD COLUMN model_year INTEGER")

    def _migrate_from_2(self) -> None:
        # NOTE: every inventory written before schema version 3 is of version 1.
        self._conn.execute(
            "ALTER TABLE inventories ADD COLUMN inventory_version INTEGER NOT NULL DEFAULT 1"
        )

    def _create_once_per_run_indexes(self) -> None:
        # NOTE: a ledger of schema version 1 may already hold a product, or a file error,
        # twice in one run (the bug this index prevents). Those rows are history and are
        # kept: the index then covers every row written after the migration.
        for name, table, columns, rowid in _ONCE_PER_RUN:
            repeated = self._conn.execute(
                f"SELECT EXISTS (SELECT 1 FROM {table} GROUP BY {columns} HAVING COUNT(*) > 1)"
            ).fetchone()[0]
            floor = self._conn.execute(f"SELECT MAX({rowid}) FROM {table}").fetchone()[0]
            where = f" WHERE {rowid} > {int(floor)}" if repeated else ""
            self._conn.execute(
                f"CREATE UNIQUE INDEX IF NOT EXISTS {name} ON {table}({columns}){where}"
            )

    def _column_exists(self, table: str, column: str) -> bool:
        return any(r[1] == column for r in self._conn.execute(f"PRAGMA table_info({table})"))

    @contextmanager
    def _writing(self, what: str) -> Iterator[None]:
        """Roll back on any failure; an SQLite one becomes one line naming the ledger."""
        if self.readonly:
            raise LedgerError(f"{self.path}: opened read-only: cannot {what}")
        try:
            yield
        except BaseException as e:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            if isinstance(e, sqlite3.Error):
                raise LedgerError(f"{self.path}: cannot {what}: {_one_line(e)}") from None
            raise

    @contextmanager
    def _reading(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as e:
            raise LedgerError(
                f"{self.path}: cannot read the audit ledger: {_one_line(e)}"
            ) from None

    # -- runs -------------------------------------------------------------------------------

    def start_run(self, kind: str, params: dict[str, Any], params_key: str, started_at: str) -> int:
        """Record the start of a run, claimed by this process (`claim_run`); returns its id."""
        with self._writing("record a new run"):
            self._conn.execute("BEGIN IMMEDIATE")
            cur = self._conn.execute(
                "INSERT INTO runs(kind, params, params_key, started_at) VALUES (?, ?, ?, ?)",
                (kind, json.dumps(params, sort_keys=True), params_key, started_at),
            )
            assert cur.lastrowid is not None
            run_id = cur.lastrowid
            # NOTE: claimed before the row is visible to anyone, so no second process can
            # find the new run unclaimed and resume it.
            self.claim_run(run_id)
            self._conn.execute("COMMIT")
        return run_id

    def finish_run(self, run_id: int, finished_at: str) -> None:
        """Mark a run complete (`finished_at`: the time the caller read when it ended)."""
        with self._writing(f"mark run {run_id} finished"):
            self._conn.execute("UPDATE runs SET finished_at=? WHERE id=?", (finished_at, run_id))

    def resumable_run(self, params_key: str) -> int | None:
        """The latest unfinished audit run with the same parameters, claimed for this process.

        Raises `LedgerError` when that run is claimed by another process that is still alive
        (two processes never write one run); a run whose process was killed is free.
        """
        with self._reading():
            row = self._conn.execute(
                "SELECT id FROM runs WHERE params_key=? AND finished_at IS NULL "
                "AND kind='audit' ORDER BY id DESC LIMIT 1",
                (params_key,),
            ).fetchone()
        if row is None:
            return None
        run_id = int(row[0])
        self.claim_run(run_id)
        with self._reading():
            # NOTE: it may have finished between the look-up and the claim.
            done = self._conn.execute(
                "SELECT finished_at IS NOT NULL FROM runs WHERE id=?", (run_id,)
            ).fetchone()
        return None if done is None or done[0] else run_id

    def claim_run(self, run_id: int) -> None:
        """Hold run `run_id` for this process until `close` (or until it ends, however).

        An OS lock on one byte of the sidecar file `<ledger>.lock`: the kernel releases it
        when the process ends, so a killed audit leaves no stale claim. Raises `LedgerError`
        when a live process holds it.
        """
        if run_id in self._claimed:
            return
        if self._lock_fd is None:
            try:
                self._lock_fd = os.open(lock_path(self.path), os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as e:
                raise LedgerError(
                    f"{lock_path(self.path)}: cannot open the ledger's lock file: {e.strerror or e}"
                ) from None
        if not _try_lock(self._lock_fd, run_id):
            raise LedgerError(
                f"{self.path}: run {run_id} is being written by another sbomcheck process "
                "that is still running; wait for it to end (a killed one frees the run)"
            )
        self._claimed.add(run_id)

    def products_done(self, run_id: int) -> set[str]:
        """Product keys already recorded in a run (skipped on resume)."""
        with self._reading():
            rows = self._conn.execute("SELECT product_key FROM audits WHERE run_id=?", (run_id,))
            return {r[0] for r in rows}

    def run_audits(self, run_id: int) -> list[RecordedAudit]:
        """Every audit a run recorded, in the order it recorded them, with its JSON report."""
        with self._reading():
            rows = self._conn.execute(
                "SELECT product_key, report FROM audits WHERE run_id=? ORDER BY id", (run_id,)
            ).fetchall()
            return [RecordedAudit(product_key=r[0], report=json.loads(r[1])) for r in rows]

    # -- audits -----------------------------------------------------------------------------

    def record(
        self,
        run_id: int,
        *,
        product_key: str,
        report: Report,
        documents: Sequence[StoredDocument],
        recorded_at: str,
        jurisdictions: Sequence[str],
        model_year: int | None,
    ) -> int:
        """Write one product's audit, its documents and inventories in one transaction.

        `jurisdictions` and `model_year` are the options it was decided with (a re-check
        keeps them). A product already recorded in the run is refused (`LedgerError`).
        """
        first = report.documents[0] if report.documents else None
        data = report.to_dict()
        with self._writing(f"record {first.path if first else product_key}"):
            self._conn.execute("BEGIN IMMEDIATE")
            cur = self._conn.execute(
                "INSERT INTO audits(run_id, product_key, path, sha256, product, supplier, "
                "verdict, findings, as_of, profile, tool_version, catalogue_version, "
                "catalogue_sha256, rules_version, rules_sha256, recorded_at, report, "
                "jurisdictions, model_year) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
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
                    json.dumps(list(jurisdictions)),
                    model_year,
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
                    "INSERT OR IGNORE INTO inventories(sha256, format, inventory, "
                    "inventory_version) VALUES (?,?,?,?)",
                    (doc.sha256, doc.format, doc.inventory, doc.inventory_version),
                )
            self._conn.execute("COMMIT")
        return audit_id

    def record_file_error(self, run_id: int, path: str, message: str) -> None:
        """Remember an input that could not be read: once per run, however often it is met
        (a resumed run reads its inputs again)."""
        with self._writing(f"record the error of {path}"):
            self._conn.execute(
                "INSERT OR IGNORE INTO file_errors(run_id, path, message) VALUES (?,?,?)",
                (run_id, path, message),
            )

    # -- reading ----------------------------------------------------------------------------

    _SELECT = (
        "SELECT a.id, a.run_id, a.product_key, a.path, a.sha256, a.product, a.supplier, "
        "a.verdict, a.findings, a.as_of, a.profile, a.tool_version, a.catalogue_version, "
        "a.catalogue_sha256, a.rules_version, a.rules_sha256, a.recorded_at, r.kind"
    )
    _FROM = " FROM audits a JOIN runs r ON r.id = a.run_id"

    def _records(self, where: str = "", args: Sequence[Any] = ()) -> list[AuditRecord]:
        options = ", a.jurisdictions, a.model_year" if self._has_options else ", NULL, NULL"
        with self._reading():
            rows = self._conn.execute(
                f"{self._SELECT}{options}{self._FROM} {where} ORDER BY a.id", tuple(args)
            ).fetchall()
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
                jurisdictions=self._jurisdictions(r[18], r[0]),
                model_year=r[19],
            )
            for r in rows
        ]

    def _jurisdictions(self, value: str | None, audit_id: int) -> tuple[str, ...] | None:
        if value is None:
            return None
        try:
            codes = json.loads(value)
        except ValueError:
            codes = None
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise LedgerError(f"{self.path}: audit {audit_id}: jurisdictions: not a list of codes")
        return tuple(codes)

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
        with self._reading():
            row = self._conn.execute("SELECT report FROM audits WHERE id=?", (audit_id,)).fetchone()
        if row is None:
            raise LedgerError(f"{self.path}: no audit with id {audit_id}")
        result: dict[str, Any] = json.loads(row[0])
        return result

    def documents_of(self, audit_id: int) -> list[Document]:
        """The inventories (model documents) an audit was made from, in order.

        Raises `LedgerError` naming the ledger, the audit and the document for an inventory
        this sbomcheck cannot read (an unknown encoding, damaged bytes)."""
        version = "i.inventory_version" if self._has_inventory_versions else "1"
        with self._reading():
            rows = self._conn.execute(
                f"SELECT i.inventory, {version}, d.path FROM audit_documents d JOIN inventories i "
                "ON i.sha256 = d.sha256 WHERE d.audit_id=? ORDER BY d.position",
                (audit_id,),
            ).fetchall()
        if not rows:
            raise LedgerError(f"{self.path}: audit {audit_id} has no stored inventory")
        documents = []
        for blob, inventory_version, path in rows:
            try:
                documents.append(decode_inventory(int(inventory_version), blob))
            except LedgerError as e:
                raise LedgerError(f"{self.path}: audit {audit_id} ({path}): {e}") from None
        return documents

    def file_errors(self, run_id: int) -> Iterator[tuple[str, str]]:
        """(path, message) of the inputs a run could not read."""
        with self._reading():
            rows = self._conn.execute(
                "SELECT path, message FROM file_errors WHERE run_id=? ORDER BY rowid", (run_id,)
            ).fetchall()
        yield from ((str(p), str(m)) for p, m in rows)


def lock_path(ledger: str) -> str:
    """The sidecar file whose byte locks claim runs (`claim_run`)."""
    return f"{ledger}.lock"


def _try_lock(fd: int, run_id: int) -> bool:
    """Lock byte `run_id` of the lock file without waiting; False when another process has it."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, run_id, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    # NOTE: POSIX record locks belong to the process: not inherited by worker processes,
    # released by the kernel when the process ends (kill -9 included).
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, run_id, os.SEEK_SET)
    except OSError:
        return False
    return True


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return 0
    except OSError as e:
        raise LedgerError(f"{path}: cannot read the audit ledger: {e.strerror or e}") from None


def _check_header(path: str) -> None:
    """Refuse a file that is not SQLite at all, reading its first 100 bytes only."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError as e:
        raise LedgerError(f"{path}: cannot read the audit ledger: {e.strerror or e}") from None
    if not header.startswith(_SQLITE_MAGIC):
        raise LedgerError(f"{path}: not an sbomcheck audit ledger (not an SQLite database)")


def _check_writable(path: str, existing: bool) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    if existing and not os.access(path, os.W_OK):
        raise LedgerError(
            f"{path}: the audit ledger is read-only: cannot record in it "
            "(`sbomcheck history` can still read it)"
        )
    if not os.access(directory, os.W_OK):
        raise LedgerError(
            f"{path}: the ledger's directory {directory} is read-only: cannot record in it "
            "(SQLite writes its journal beside the ledger)"
        )


def _read_only_wal_without_log(path: str) -> bool:
    """True for a ledger SQLite cannot open read-only only because it cannot create the
    -shm file beside it (a read-only directory), and that has no -wal file to read."""
    directory = os.path.dirname(os.path.abspath(path))
    return not os.access(directory, os.W_OK) and _size(f"{path}-wal") == 0


def _damaged(path: str, detail: str, readonly: bool) -> str:
    action = "not read" if readonly else "nothing was written to it"
    return (
        f"{path}: the audit ledger is damaged (SQLite quick_check: {detail}); {action}: "
        "restore it from a backup"
    )


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())
