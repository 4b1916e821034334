"""The batch audit and its ledger fail closed: resumed runs gate on the whole run, one writer
per run, bad inputs and bad ledgers exit 2 without changing anything, recheck keeps how each
audit was decided, and lost workers leave a run that --resume finishes."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from sbomcheck.audit.ledger import APPLICATION_ID, Ledger
from sbomcheck.cli import main
from sbomcheck.errors import LedgerError
from tests.audit.conftest import (
    AS_OF,
    generate,
    interrupt_after_first_product,
    query,
    sbomcheck_argv,
    unprivileged,
)


def _audit(batch: Path, db: Path, out: Path, *extra: str) -> int:
    return main(
        [
            "audit",
            str(batch),
            "--db",
            str(db),
            "--as-of",
            AS_OF,
            "--jobs",
            "1",
            "--format",
            "json",
            "-o",
            str(out),
            *extra,
        ]
    )


def _comparable(report: dict[str, Any]) -> dict[str, Any]:
    """An audit report without what differs between a run and its resumption."""
    return {
        **report,
        "run_id": None,
        "summary": {**report["summary"], "resumed": None},
    }


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("sbomcheck: error: ") and "Traceback" not in err
    return lines[0]


# -- 1. a resumed run reports and gates on the whole run ---------------------------------


def test_resume_counts_the_verdicts_recorded_before_the_interruption(
    one_failing: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    whole = tmp_path / "whole.json"
    assert _audit(one_failing, tmp_path / "whole.db", whole) == 1
    db = tmp_path / "ledger.db"
    assert _audit(one_failing, db, tmp_path / "first.json") == 1
    run_id = interrupt_after_first_product(db, "a-failing")
    capsys.readouterr()

    resumed = tmp_path / "resumed.json"
    # Before: the failing product was skipped and the rest pass, so this exited 0.
    assert _audit(one_failing, db, resumed, "--resume") == 1
    report = json.loads(resumed.read_text())
    assert report["run_id"] == run_id and report["summary"]["resumed"] == 1
    assert report["summary"]["verdicts"]["fail"] == 1 and report["summary"]["products"] == 4
    failing = next(p for p in report["sboms"] if p["path"].endswith("a-failing.cdx.json"))
    assert failing["verdict"] == "fail" and failing["findings"]
    # The same report, in the same order, as the run that was never interrupted.
    assert _comparable(report) == _comparable(json.loads(whole.read_text()))
    # Each product and each unreadable file once in the run.
    assert query(db, "SELECT COUNT(*) FROM audits WHERE run_id=?", run_id) == [(4,)]
    assert query(db, "SELECT COUNT(*) FROM file_errors WHERE run_id=?", run_id) == [(1,)]
    assert "sbomcheck: audited 4 products (3 pass, 1 fail)" in capsys.readouterr().err


@pytest.mark.slow
def test_kill_9_then_resume_exits_1_like_the_uninterrupted_run(
    long_batch: Path, tmp_path: Path
) -> None:
    db = tmp_path / "ledger.db"
    argv = ["audit", str(long_batch), "--db", str(db), "--as-of", AS_OF, "--jobs", "1"]
    child = subprocess.Popen(
        sbomcheck_argv(*argv, "-o", os.devnull),
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while child.poll() is None:
            if db.exists() and _recorded(db, "a-failing") == 1:
                break
            time.sleep(0.01)
        os.killpg(child.pid, signal.SIGKILL)
    finally:
        child.wait()
    assert child.returncode == -signal.SIGKILL
    recorded = query(db, "SELECT COUNT(*) FROM audits")[0][0]
    assert query(db, "SELECT finished_at FROM runs") == [(None,)]
    assert isinstance(recorded, int) and 1 <= recorded < 35, "killed too late to test a resume"

    out = tmp_path / "resumed.json"
    done = subprocess.run(
        sbomcheck_argv(*argv, "--resume", "--format", "json", "-o", str(out)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    report = json.loads(out.read_text())
    assert report["summary"]["products"] == 35 and report["summary"]["verdicts"]["fail"] == 1
    assert report["summary"]["resumed"] == recorded
    assert query(db, "SELECT COUNT(*), COUNT(DISTINCT product_key) FROM audits") == [(35, 35)]
    assert query(db, "SELECT COUNT(*) FROM runs WHERE finished_at IS NOT NULL") == [(1,)]


def _recorded(db: Path, path_part: str) -> int:
    try:
        rows = query(db, "SELECT COUNT(*) FROM audits WHERE path LIKE ?", f"%{path_part}%")
    except sqlite3.Error:
        return 0  # NOTE: the schema is not written yet
    return int(rows[0][0])


# -- 2. one process per run -----------------------------------------------------------------

_HOLD = """
import sys
from sbomcheck.audit.ledger import Ledger
ledger = Ledger(sys.argv[1])
ledger.claim_run(int(sys.argv[2]))
print("claimed", flush=True)
sys.stdin.read()
"""


def test_a_live_run_cannot_be_resumed_by_a_second_process_and_a_killed_one_frees_it(
    one_failing: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "ledger.db"
    _audit(one_failing, db, tmp_path / "first.json")
    run_id = interrupt_after_first_product(db, "a-failing")
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(db), str(run_id)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "claimed\n"
        capsys.readouterr()
        assert _audit(one_failing, db, tmp_path / "second.json", "--resume") == 2
        line = _one_error_line(capsys.readouterr().err)
        assert f"run {run_id} is being written by another sbomcheck process" in line
        assert query(db, "SELECT COUNT(*) FROM audits WHERE run_id=?", run_id) == [(1,)]
    finally:
        holder.kill()  # SIGKILL: no chance to release anything itself
        holder.wait()
    assert _audit(one_failing, db, tmp_path / "third.json", "--resume") == 1
    assert json.loads((tmp_path / "third.json").read_text())["run_id"] == run_id
    assert query(db, "SELECT COUNT(*), COUNT(DISTINCT product_key) FROM audits") == [(4, 4)]


def test_a_product_is_never_recorded_twice_in_one_run(one_failing: Path, tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    _audit(one_failing, db, tmp_path / "first.json")
    conn = sqlite3.connect(db)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            conn.execute(
                "INSERT INTO audits(run_id, product_key, path, sha256, verdict, findings, as_of, "
                "profile, tool_version, recorded_at, report) "
                "SELECT run_id, product_key, path, sha256, verdict, findings, as_of, profile, "
                "tool_version, recorded_at, report FROM audits LIMIT 1"
            )
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            conn.execute("INSERT INTO file_errors SELECT * FROM file_errors LIMIT 1")
    finally:
        conn.close()


def test_the_same_sboms_twice_in_a_batch_are_recorded_once(tmp_path: Path) -> None:
    import shutil
    import zipfile

    batch = tmp_path / "batch"
    generate("cyclonedx-json", 30, batch / "x.cdx.json", kaspersky=1)
    with zipfile.ZipFile(batch / "again.zip", "w") as z:
        z.write(batch / "x.cdx.json", "x.cdx.json")
    shutil.copy(batch / "x.cdx.json", tmp_path / "x-copy.cdx.json")
    db = tmp_path / "ledger.db"
    assert _audit(batch, db, tmp_path / "out.json") == 1
    assert len(json.loads((tmp_path / "out.json").read_text())["sboms"]) == 2
    assert query(db, "SELECT COUNT(*) FROM audits") == [(1,)]


# -- 3. inputs that hold nothing --------------------------------------------------------------


@pytest.mark.parametrize("kind", ["missing", "empty", "no-sbom-names", "empty-zip"])
def test_a_path_that_is_missing_or_holds_no_sbom_exits_2_and_records_nothing(
    one_failing: Path, tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import zipfile

    bad = tmp_path / f"vendor-sbmos-{kind}"
    if kind == "empty":
        bad.mkdir()
    elif kind == "no-sbom-names":
        bad.mkdir()
        (bad / "README.txt").write_text("not an SBOM")
    elif kind == "empty-zip":
        bad = bad.with_suffix(".zip")
        with zipfile.ZipFile(bad, "w") as z:
            z.writestr("notes.txt", "no SBOM here")
    db = tmp_path / "ledger.db"
    code = main(["audit", str(one_failing), str(bad), "--db", str(db), "--jobs", "1"])
    assert code == 2
    line = _one_error_line(capsys.readouterr().err)
    assert str(bad) in line
    assert not db.exists()


# -- 4. recheck keeps how each audit was decided --------------------------------------------


def test_recheck_keeps_each_audits_profile_jurisdictions_and_model_year(
    one_failing: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = tmp_path / "ledger.db"
    options = ["--profile", "procurement", "--jurisdiction", "us-or", "--model-year", "2027"]
    _audit(one_failing, db, tmp_path / "a.json", *options)
    capsys.readouterr()
    # A default for new audits (a variable or a settings file) does not re-decide old ones.
    monkeypatch.setenv("SBOMCHECK_PROFILE", "vendor")
    assert main(["recheck", "--db", str(db), "--as-of", AS_OF, "--format", "json"]) == 1
    products = json.loads(capsys.readouterr().out)["products"]
    assert {p["profile"] for p in products} == {"procurement"}
    assert all(not p["data_changes"] for p in products), products
    rows = query(db, "SELECT DISTINCT profile, jurisdictions, model_year FROM audits")
    assert rows == [("procurement", '["US-OR"]', 2027)]

    assert main(["recheck", "--db", str(db), "--as-of", AS_OF, "--profile", "vendor"]) == 1
    out = capsys.readouterr().out
    assert "profile vendor:" in out and "profile procurement -> vendor" in out
    latest = query(
        db,
        "SELECT profile, jurisdictions, model_year FROM audits WHERE id IN "
        "(SELECT MAX(id) FROM audits GROUP BY product_key)",
    )
    assert set(latest) == {("vendor", '["US-OR"]', 2027)}


# -- 5. times and errors ----------------------------------------------------------------------


def test_finished_at_is_stamped_by_the_cli_when_the_run_ends(
    one_failing: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    times = iter(["2026-01-15T10:00:00+00:00", "2026-01-15T10:07:00+00:00"])
    monkeypatch.setattr("sbomcheck.cli.audit.now_utc", lambda: next(times))
    db = tmp_path / "ledger.db"
    _audit(one_failing, db, tmp_path / "a.json")
    assert query(db, "SELECT started_at, finished_at FROM runs") == [
        ("2026-01-15T10:00:00+00:00", "2026-01-15T10:07:00+00:00")
    ]


def test_the_library_leaves_the_run_for_its_caller_to_finish(
    one_failing: Path, tmp_path: Path
) -> None:
    import datetime as dt

    from sbomcheck.audit.runner import run_audit
    from tests.audit.test_audit import _options

    db = tmp_path / "ledger.db"
    with Ledger(db) as ledger:
        result = run_audit([one_failing], _options(dt.date(2026, 1, 15)), ledger=ledger)
        assert result.run_id is not None
        assert query(db, "SELECT finished_at FROM runs") == [(None,)]
        ledger.finish_run(result.run_id, "end")
    assert query(db, "SELECT finished_at FROM runs") == [("end",)]


# -- 6. damaged, foreign and read-only ledgers ------------------------------------------------


@pytest.fixture
def ledger_db(one_failing: Path, tmp_path: Path) -> Path:
    db = tmp_path / "ledger.db"
    assert _audit(one_failing, db, tmp_path / "a.json") == 1
    assert not Path(f"{db}-wal").exists()
    return db


def _damage(db: Path) -> bytes:
    data = bytearray(db.read_bytes())
    assert len(data) > 120_000, len(data)
    middle = len(data) // 2 - 20_000
    data[middle : middle + 40_000] = random.Random(7).randbytes(40_000)
    db.write_bytes(bytes(data))
    return bytes(data)


@pytest.mark.parametrize("command", ["history", "recheck", "audit"])
def test_a_damaged_ledger_is_refused_in_one_line_and_left_as_it_was(
    ledger_db: Path,
    one_failing: Path,
    command: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = _damage(ledger_db)
    capsys.readouterr()
    argv = {
        "history": ["history", "--db", str(ledger_db)],
        "recheck": ["recheck", "--db", str(ledger_db), "--as-of", AS_OF],
        "audit": ["audit", str(one_failing), "--db", str(ledger_db), "--jobs", "1"],
    }[command]
    assert main(argv) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert str(ledger_db) in line and "damaged" in line
    assert ledger_db.read_bytes() == before


@pytest.mark.parametrize("content", ["not sqlite", "foreign sqlite"])
def test_a_file_that_is_not_a_ledger_is_refused_and_left_as_it_was(
    one_failing: Path, tmp_path: Path, content: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "other.db"
    if content == "not sqlite":
        db.write_bytes(b"PK\x03\x04 some archive" * 100)
    else:
        conn = sqlite3.connect(db)
        conn.execute("CREATE TABLE invoices (id INTEGER)")
        conn.commit()
        conn.close()
    before = db.read_bytes()
    assert main(["audit", str(one_failing), "--db", str(db), "--jobs", "1"]) == 2
    assert "not an sbomcheck audit ledger" in _one_error_line(capsys.readouterr().err)
    assert main(["history", "--db", str(db)]) == 2
    assert db.read_bytes() == before


def test_history_reads_a_read_only_ledger_without_changing_it(ledger_db: Path) -> None:
    before = ledger_db.read_bytes()
    with Ledger(ledger_db, readonly=True) as ledger:
        assert len(ledger.history()) == 4
        with pytest.raises(LedgerError, match="read-only"):
            ledger.finish_run(1, "x")
    assert ledger_db.read_bytes() == before
    assert query(ledger_db, "PRAGMA journal_mode") == [("wal",)]
    assert query(ledger_db, "PRAGMA application_id") == [(APPLICATION_ID,)]


@pytest.mark.slow
def test_read_only_file_and_directory_history_reads_writers_exit_2(
    ledger_db: Path, one_failing: Path
) -> None:
    before = ledger_db.read_bytes()
    ledger_db.chmod(0o444)
    writers = [
        ["audit", str(one_failing), "--db", str(ledger_db), "--jobs", "1"],
        ["recheck", "--db", str(ledger_db), "--as-of", AS_OF],
    ]
    try:
        for argv in writers:
            done = subprocess.run(
                unprivileged(sbomcheck_argv(*argv)), capture_output=True, text=True, check=False
            )
            assert done.returncode == 2, done.stderr
            assert "read-only" in _one_error_line(done.stderr)
        ledger_db.parent.chmod(0o555)
        history = subprocess.run(
            unprivileged(sbomcheck_argv("history", "--db", str(ledger_db), "--format", "json")),
            capture_output=True,
            text=True,
            check=False,
        )
        assert history.returncode == 0, history.stderr
        assert len(json.loads(history.stdout)["audits"]) == 4
        ledger_db.chmod(0o644)  # a writable file in a read-only directory: still no journal
        for argv in writers:
            done = subprocess.run(
                unprivileged(sbomcheck_argv(*argv)), capture_output=True, text=True, check=False
            )
            assert done.returncode == 2, done.stderr
            assert "read-only" in _one_error_line(done.stderr)
    finally:
        ledger_db.parent.chmod(0o755)
        ledger_db.chmod(0o644)
    assert ledger_db.read_bytes() == before


def test_a_schema_1_ledger_is_read_as_it_is_and_migrated_keeping_its_history(
    tmp_path: Path,
) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.executescript(_SCHEMA_1)
    conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    conn.execute("INSERT INTO runs VALUES (1, 'audit', '{}', 'k', 't0', NULL)")
    for _ in range(2):  # the old bug: one product twice in one run
        conn.execute(
            "INSERT INTO audits(run_id, product_key, path, sha256, verdict, findings, as_of, "
            "profile, tool_version, recorded_at, report) "
            "VALUES (1, 'p', 'x.json', 's', 'fail', 1, '2026-01-15', 'vendor', '0', 't', '{}')"
        )
    conn.close()
    with Ledger(db, readonly=True) as ledger:
        records = ledger.history()
        assert len(records) == 2 and records[0].jurisdictions is None
    assert query(db, "SELECT value FROM meta") == [("1",)]
    with Ledger(db) as ledger:
        assert len(ledger.history()) == 2
    assert query(db, "SELECT value FROM meta") == [("3",)]
    assert ("inventory_version",) in query(db, "SELECT name FROM pragma_table_info('inventories')")
    # The old rows stay; every row written after the migration is once per run.
    conn = sqlite3.connect(db)
    insert = (
        "INSERT INTO audits(run_id, product_key, path, sha256, verdict, findings, as_of, "
        "profile, tool_version, recorded_at, report) "
        "VALUES (1, 'q', 'y.json', 's', 'pass', 0, '2026', 'vendor', '0', 't', '{}')"
    )
    try:
        conn.execute(insert)
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            conn.execute(insert)
    finally:
        conn.close()


_SCHEMA_1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE runs (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, params TEXT NOT NULL,
    params_key TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT);
CREATE TABLE audits (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id),
    product_key TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL, product TEXT,
    supplier TEXT, verdict TEXT NOT NULL, findings INTEGER NOT NULL, as_of TEXT NOT NULL,
    profile TEXT NOT NULL, tool_version TEXT NOT NULL, catalogue_version TEXT,
    catalogue_sha256 TEXT, rules_version TEXT, rules_sha256 TEXT, recorded_at TEXT NOT NULL,
    report TEXT NOT NULL);
CREATE TABLE audit_documents (audit_id INTEGER NOT NULL REFERENCES audits(id),
    position INTEGER NOT NULL, sha256 TEXT NOT NULL, path TEXT NOT NULL,
    PRIMARY KEY (audit_id, position));
CREATE TABLE inventories (sha256 TEXT PRIMARY KEY, format TEXT NOT NULL, inventory BLOB NOT NULL);
CREATE TABLE file_errors (run_id INTEGER NOT NULL REFERENCES runs(id), path TEXT NOT NULL,
    message TEXT NOT NULL);
"""


# -- 8. bounded read of a history selector ----------------------------------------------------


def test_history_hashes_a_selector_file_within_a_bound(
    ledger_db: Path,
    one_failing: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sbom = one_failing / "a-failing.cdx.json"
    capsys.readouterr()
    assert main(["history", "--db", str(ledger_db), str(sbom), "--format", "json"]) == 0
    (audit,) = json.loads(capsys.readouterr().out)["audits"]
    assert audit["path"].endswith("a-failing.cdx.json") and audit["verdict"] == "fail"
    monkeypatch.setattr("sbomcheck.cli.history.SBOM_MAX_BYTES", sbom.stat().st_size - 1)
    assert main(["history", "--db", str(ledger_db), str(sbom)]) == 2
    assert "larger than" in _one_error_line(capsys.readouterr().err)


# -- 7. lost workers, and workers that outlive their parent ----------------------------------


if TYPE_CHECKING:
    from distributed import WorkerPlugin
else:
    try:
        from distributed import WorkerPlugin
    except ImportError:  # pragma: no cover - the dask tests are skipped then
        WorkerPlugin = object


class KillOnce(WorkerPlugin):
    """Dask worker plugin: the first worker to start reading an SBOM is killed (SIGKILL) as
    it starts, once (a marker file), as the OOM killer or a lost machine would."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def setup(self, worker: object) -> None:
        pass

    def teardown(self, worker: object) -> None:
        pass

    def transition(self, key: object, start: str, finish: str, **kwargs: object) -> None:
        if finish != "executing" or "_read_one" not in str(key):
            return
        try:
            os.close(os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
        os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.slow
@pytest.mark.parametrize("scattered", [False, True], ids=["inline", "scattered"])
def test_a_lost_dask_worker_is_retried_or_ends_the_run_for_resume(
    one_failing: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    scattered: bool,
) -> None:
    distributed = pytest.importorskip("distributed")
    if scattered:
        # Every SBOM's bytes scattered, as large ones are: they die with their worker, and
        # the client sends them again (Dask retries only tasks that carry their data).
        monkeypatch.setattr("sbomcheck.audit.executor._SCATTER_FROM", 0)
    expected = tmp_path / "local.json"
    assert _audit(one_failing, tmp_path / "local.db", expected) == 1
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        dask = ["--executor", "dask", "--scheduler", cluster.scheduler_address]
        client.register_plugin(KillOnce(str(tmp_path / "killed-once")))

        # Dask runs the lost task again on a live worker: the same answer as a local run.
        retried = tmp_path / "retried.json"
        assert _audit(one_failing, tmp_path / "retried.db", retried, *dask) == 1
        assert (tmp_path / "killed-once").exists()
        assert _comparable(json.loads(retried.read_text())) == _comparable(
            json.loads(expected.read_text())
        )

        # No retries allowed: the loss ends the batch, exit 2, with the run recorded...
        (tmp_path / "killed-once").unlink()
        client.run_on_scheduler(_allow_no_retry)
        db = tmp_path / "ledger.db"
        capsys.readouterr()
        assert _audit(one_failing, db, tmp_path / "lost.json", *dask) == 2
        line = _one_error_line(capsys.readouterr().err)
        assert "Dask workers running it were lost" in line and "--resume" in line
        assert query(db, "SELECT finished_at FROM runs") == [(None,)]
        assert not (tmp_path / "lost.json").exists()

        # ...which --resume finishes, with the same exit code and report.
        resumed = tmp_path / "resumed.json"
        assert _audit(one_failing, db, resumed, *dask, "--resume") == 1
    assert _comparable(json.loads(resumed.read_text())) == _comparable(
        json.loads(expected.read_text())
    )
    assert query(db, "SELECT COUNT(*) FROM runs WHERE finished_at IS NOT NULL") == [(1,)]
    assert query(db, "SELECT COUNT(*) FROM file_errors") == [(1,)]


@pytest.mark.slow
def test_the_only_dask_worker_lost_and_restarted_gets_what_it_lost_again(
    one_failing: Path, tmp_path: Path
) -> None:
    """Its nanny restarts it empty: the scan options, scattered once to every worker, are
    gone with it, and Dask cancels every task that needs them; they are sent again."""
    distributed = pytest.importorskip("distributed")
    expected = tmp_path / "local.json"
    assert _audit(one_failing, tmp_path / "local.db", expected) == 1
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        client.register_plugin(KillOnce(str(tmp_path / "killed-once")))
        dask = ["--executor", "dask", "--scheduler", cluster.scheduler_address]
        retried = tmp_path / "retried.json"
        assert _audit(one_failing, tmp_path / "retried.db", retried, *dask) == 1
        assert (tmp_path / "killed-once").exists()
    assert _comparable(json.loads(retried.read_text())) == _comparable(
        json.loads(expected.read_text())
    )


def _allow_no_retry(dask_scheduler: Any) -> None:
    dask_scheduler.allowed_failures = 0


def _descendants(pid: int) -> set[int]:
    children: dict[int, set[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, set()).add(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_killing_the_audit_process_ends_its_pool_workers(tmp_path: Path) -> None:
    # One SBOM that takes a worker seconds to read: a worker left behind would still be busy
    # with it long after the deadline below. (CycloneDX XML: a regular CycloneDX JSON of this
    # size is read in a fraction of a second since it is read in two tiers.)
    big = generate("cyclonedx-xml", 60_000, tmp_path / "big" / "big.cdx.xml")
    child = subprocess.Popen(
        sbomcheck_argv("audit", str(big.parent), "--jobs", "2", "-o", os.devnull),
        stderr=subprocess.DEVNULL,
    )
    try:
        workers: set[int] = set()
        while child.poll() is None and len(workers) < 3:
            # The fork server and the two workers under it.
            workers = _descendants(child.pid)
            time.sleep(0.05)
        time.sleep(0.5)  # NOTE: let a worker start on the file
        assert child.poll() is None, "the audit ended before its workers could be seen"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait()
    deadline = time.monotonic() + 2.5
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [p for p in workers if _alive(p)], "workers outlived the killed audit"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_a_killed_pool_worker_ends_the_run_with_exit_2_and_resume_finishes_it(
    tmp_path: Path,
) -> None:
    batch = tmp_path / "batch"
    # NOTE: XML, which takes a worker seconds to read (a regular CycloneDX JSON of this size
    # is read in a fraction of one, in two tiers).
    generate("cyclonedx-xml", 30_000, batch / "big.cdx.xml")
    generate("cyclonedx-json", 30, batch / "small.cdx.json", kaspersky=1)
    db = tmp_path / "ledger.db"
    argv = sbomcheck_argv("audit", str(batch), "--jobs", "2", "--db", str(db), "--as-of", AS_OF)
    child = subprocess.Popen(argv, stderr=subprocess.PIPE, text=True)
    try:
        workers: set[int] = set()
        while child.poll() is None and not workers:
            # Workers are the fork server's children, not the audit's.
            workers = {p for p in _descendants(child.pid) if _parent(p) != child.pid}
            time.sleep(0.05)
        time.sleep(0.5)  # NOTE: let the workers start on the files
        for pid in workers:
            os.kill(pid, signal.SIGKILL)  # as the OOM killer would
        _, err = child.communicate(timeout=120)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == 2, err
    line = _one_error_line(err)
    assert "worker process was lost" in line and "--resume" in line and str(db) in line
    assert query(db, "SELECT finished_at FROM runs") == [(None,)]
    done = subprocess.run([*argv, "--resume"], capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stderr
    assert query(db, "SELECT COUNT(*) FROM runs WHERE finished_at IS NOT NULL") == [(1,)]
    assert query(db, "SELECT COUNT(*) FROM audits") == [(2,)]


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return 0


def test_pool_workers_are_not_forked_from_the_audit_process() -> None:
    from sbomcheck.audit.runner import _pool_context

    assert _pool_context().get_start_method() in ("forkserver", "spawn")
