"""The audit ledger's SQLite file: checked before it is used, its schema and migrations, and
the byte locks that claim runs. `sbomcheck.audit.ledger` reads and writes what is in it.

Fail closed: a file that is not an sbomcheck ledger, or whose pages are damaged (SQLite's
`quick_check`), is refused before anything is written to it; a reader opens the file
read-only (`mode=ro`) and never changes it, not even its journal mode. A ledger of an older
schema is migrated when a writer first opens it, in one transaction; one of a newer schema is
refused.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import urllib.parse

from sbomcheck.errors import LedgerError

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


def open_database(path: str, readonly: bool) -> sqlite3.Connection:
    """The connection to the ledger at `path`, checked (and, for a writer, created or
    migrated to `SCHEMA_VERSION`); `LedgerError` naming the file otherwise."""
    existing = _size(path) > 0
    if readonly and not existing:
        what = "is empty" if os.path.exists(path) else "does not exist"
        raise LedgerError(f"{path}: no audit ledger here: the file {what}")
    if existing:
        _check_header(path)
    if not readonly:
        _check_writable(path, existing)
    conn = _connect(path, readonly, existing)
    try:
        version = None
        if existing:
            _check_integrity(conn, path, readonly)
            version = _check_identity(conn, path, readonly)
        if not readonly:
            _prepare_for_writing(conn, version)
    except sqlite3.Error as e:
        conn.close()
        raise LedgerError(f"{path}: cannot open the audit ledger: {one_line(e)}") from None
    except BaseException:
        conn.close()
        raise
    return conn


def _connect(path: str, readonly: bool, existing: bool) -> sqlite3.Connection:
    uri = f"file:{urllib.parse.quote(os.path.abspath(path))}"
    try:
        if not readonly:
            mode = "rw" if existing else "rwc"
            return sqlite3.connect(f"{uri}?mode={mode}", uri=True, timeout=30, isolation_level=None)
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None)
        try:
            conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
            return conn
        except sqlite3.OperationalError:
            conn.close()
            if not _read_only_wal_without_log(path):
                raise
        except sqlite3.DatabaseError as e:
            conn.close()
            raise LedgerError(_damaged(path, one_line(e), True)) from None
        # NOTE: a WAL ledger in a directory this process cannot write: SQLite cannot make
        # the -shm index it reads through. With no -wal file there is nothing beyond the
        # main file, and nobody can change it here: read it as immutable.
        return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None)
    except sqlite3.Error as e:
        raise LedgerError(f"{path}: cannot open the audit ledger: {one_line(e)}") from None


def _check_integrity(conn: sqlite3.Connection, path: str, readonly: bool) -> None:
    try:
        rows = conn.execute("PRAGMA quick_check").fetchmany(2)
    except sqlite3.DatabaseError as e:
        raise LedgerError(_damaged(path, one_line(e), readonly)) from None
    if [tuple(r) for r in rows] != [("ok",)]:
        raise LedgerError(_damaged(path, str(rows[0][0]) if rows else "", readonly))


def _check_identity(conn: sqlite3.Connection, path: str, readonly: bool) -> int | None:
    """The schema version of an existing ledger; refuses other SQLite files."""
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables and "meta" not in tables):
        raise LedgerError(
            f"{path}: not an sbomcheck audit ledger (an SQLite database of another "
            "application); give --db a new file or an existing ledger"
        )
    if not tables:
        if readonly:
            raise LedgerError(f"{path}: not an sbomcheck audit ledger (no tables)")
        return None
    row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    if row is None or not str(row[0]).isdigit():
        raise LedgerError(f"{path}: not an sbomcheck audit ledger (no schema version)")
    version = int(row[0])
    if version > SCHEMA_VERSION:
        raise LedgerError(
            f"{path}: ledger schema version {version} is not supported "
            f"(this sbomcheck writes version {SCHEMA_VERSION}): upgrade sbomcheck"
        )
    return version


def _prepare_for_writing(conn: sqlite3.Connection, version: int | None) -> None:
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    if version == SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        if version is None:
            for statement in _SCHEMA.split(";\n"):
                if statement.strip():
                    conn.execute(statement)
        else:
            if version < 2:
                _migrate_from_1(conn)
            _migrate_from_2(conn)
        _create_once_per_run_indexes(conn)
        conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
        conn.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
            (str(SCHEMA_VERSION),),
        )
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _migrate_from_1(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE audits ADD COLUMN jurisdictions TEXT")
    conn.execute("ALTER TABLE audits ADD COLUMN model_year INTEGER")


def _migrate_from_2(conn: sqlite3.Connection) -> None:
    # NOTE: every inventory written before schema version 3 is of version 1.
    conn.execute("ALTER TABLE inventories ADD COLUMN inventory_version INTEGER NOT NULL DEFAULT 1")


def _create_once_per_run_indexes(conn: sqlite3.Connection) -> None:
    # NOTE: a ledger of schema version 1 may already hold a product, or a file error,
    # twice in one run (the bug this index prevents). Those rows are history and are
    # kept: the index then covers every row written after the migration.
    for name, table, columns, rowid in _ONCE_PER_RUN:
        repeated = conn.execute(
            f"SELECT EXISTS (SELECT 1 FROM {table} GROUP BY {columns} HAVING COUNT(*) > 1)"
        ).fetchone()[0]
        floor = conn.execute(f"SELECT MAX({rowid}) FROM {table}").fetchone()[0]
        where = f" WHERE {rowid} > {int(floor)}" if repeated else ""
        conn.execute(f"CREATE UNIQUE INDEX IF NOT EXISTS {name} ON {table}({columns}){where}")


def column_exists(conn: sqlite3.Connection, table: str, column: str) -> bool:
    """True when `table` has `column` (a ledger of an older schema may not, read-only)."""
    return any(r[1] == column for r in conn.execute(f"PRAGMA table_info({table})"))


def lock_path(ledger: str) -> str:
    """The sidecar file whose byte locks claim runs (`claim_run`)."""
    return f"{ledger}.lock"


def try_lock(fd: int, run_id: int) -> bool:
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


def one_line(error: BaseException) -> str:
    """An error's message on one line."""
    return " ".join(str(error).split())
