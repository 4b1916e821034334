"""`audit --executor dask` on a real cluster: a scheduler and workers started as processes of
their own, in another working directory, where the paths the client is given do not exist.
The tasks carry the SBOMs' bytes, so the audit is that of a local run, digests included."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import sbomcheck
from sbomcheck.audit import executor
from sbomcheck.audit.render import audit_to_dict
from sbomcheck.audit.runner import AuditOptions, run_audit
from sbomcheck.cli import main
from tests.audit.conftest import AS_OF, linked_pair, query

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import generate

pytestmark = pytest.mark.slow

_START_TIMEOUT = 180.0


@dataclass(frozen=True)
class Cluster:
    address: str
    workdir: Path
    """The working directory of the scheduler and workers."""


def _start(argv: list[str], cwd: Path, log: Path) -> subprocess.Popen[bytes]:
    # NOTE: the workers import the sbomcheck under test, wherever they run.
    code = str(Path(sbomcheck.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([code, os.environ.get("PYTHONPATH", "")])}
    with log.open("wb") as out:
        return subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End a process this test started and the processes it started (its session)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # a nanny's worker left behind
    except ProcessLookupError:
        pass
    process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A scheduler and two workers, each a process of its own, working in a directory of
    their own; stopped (their sessions killed) whatever happens."""
    distributed = pytest.importorskip("distributed")
    root = tmp_path_factory.mktemp("cluster")
    workdir = root / "workers"
    workdir.mkdir()
    address_file = root / "scheduler.json"
    started: list[subprocess.Popen[bytes]] = []
    try:
        started.append(
            _start(
                [
                    *(sys.executable, "-m", "distributed.cli.dask_scheduler"),
                    *("--scheduler-file", str(address_file), "--host", "127.0.0.1"),
                    *("--port", "0", "--no-dashboard"),
                ],
                workdir,
                root / "scheduler.log",
            )
        )
        deadline = time.monotonic() + _START_TIMEOUT
        while not address_file.exists() or not address_file.read_text().strip():
            if started[0].poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"no Dask scheduler: {(root / 'scheduler.log').read_text()}")
            time.sleep(0.2)
        started.append(
            _start(
                [
                    *(sys.executable, "-m", "distributed.cli.dask_worker"),
                    *("--scheduler-file", str(address_file), "--nworkers", "2"),
                    *("--nthreads", "1", "--no-dashboard"),
                    *("--local-directory", str(root / "dask-scratch")),
                ],
                workdir,
                root / "workers.log",
            )
        )
        address = json.loads(address_file.read_text())["address"]
        with distributed.Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=_START_TIMEOUT)
        yield Cluster(address=address, workdir=workdir)
    finally:
        for process in reversed(started):
            _stop(process)


@pytest.fixture
def client_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The client's working directory, with a batch given by relative paths: files in three
    formats (one gzipped), a linked product, a zip with a linked product and an unreadable
    member, a broken file and a file given on its own."""
    here = tmp_path / "client"
    batch = here / "batch"
    generate("cyclonedx-json", 200, batch / "alpha.cdx.json", kaspersky=1)
    generate("spdx-tv", 150, batch / "nested" / "beta.spdx", kaspersky=0)
    generate("spdx-json", 120, batch / "gamma.spdx.json", kaspersky=2)
    raw = (batch / "gamma.spdx.json").read_bytes()
    (batch / "gamma.spdx.json").unlink()
    (batch / "gamma.spdx.json.gz").write_bytes(gzip.compress(raw, mtime=0))
    (batch / "broken.cdx.json").write_text('{"bomFormat": "CycloneDX", "components": [')
    linked_pair(batch / "linked", 0, 60)
    packed = tmp_path / "packed"
    linked_pair(packed, 1, 70)
    with zipfile.ZipFile(batch / "vendor.zip", "w", zipfile.ZIP_DEFLATED) as z:
        for member in sorted(packed.iterdir()):
            z.write(member, f"sboms/{member.name}")
        z.writestr("sboms/truncated.cdx.json", '{"bomFormat": "CycloneDX", "specVersion": ')
    generate("cyclonedx-json", 90, here / "extra.cdx.json", kaspersky=1)
    monkeypatch.chdir(here)
    return here


_INPUTS = ["./batch", "extra.cdx.json"]


def _audit(*extra: str, db: str, out: str) -> int:
    argv = ["audit", *_INPUTS, "--as-of", AS_OF, "--db", db, "--format", "json", "-o", out]
    return main([*argv, *extra])


def _member_bytes(path: str) -> bytes:
    """The bytes of a file or of an archive member (`archive.zip!member`), as the client
    reads them."""
    archive, _, member = path.partition("!")
    if not member:
        return Path(path).read_bytes()
    with zipfile.ZipFile(archive) as z:
        return z.read(member)


def test_workers_elsewhere_give_the_report_of_a_local_run_with_the_same_digests(
    cluster: Cluster, client_dir: Path
) -> None:
    from distributed import Client

    with Client(cluster.address, timeout="60s") as client:  # type: ignore[no-untyped-call]
        # The test means something only if the workers cannot open what the client names.
        assert set(client.run(os.getcwd).values()) == {str(cluster.workdir)}
        assert not any(client.run(os.path.exists, "batch/alpha.cdx.json").values())
        assert not any(client.run(os.path.exists, "extra.cdx.json").values())

    local = _audit("--jobs", "1", db="local.db", out="local.json")
    dask = ["--executor", "dask", "--scheduler", cluster.address]
    assert _audit(*dask, db="dask.db", out="dask.json") == local == 1

    report = json.loads(Path("dask.json").read_text())
    assert report == json.loads(Path("local.json").read_text())
    assert report["summary"]["products"] == 6 and report["summary"]["unreadable"] == 2
    assert {u["path"] for u in report["unreadable"]} == {
        "./batch/broken.cdx.json",
        "./batch/vendor.zip!sboms/truncated.cdx.json",
    }
    linked = [s for s in report["sboms"] if s["linked_documents"]]
    assert len(linked) == 2  # one from a directory, one from the zip: scanned together

    # The ledger records the digest of the bytes the worker scanned: those the client read.
    documents = "SELECT path, sha256 FROM audit_documents ORDER BY path"
    recorded = query(Path("dask.db"), documents)
    assert recorded == query(Path("local.db"), documents) and len(recorded) == 8
    for path, sha256 in recorded:
        assert sha256 == hashlib.sha256(_member_bytes(str(path))).hexdigest(), path
    gz = [sha for path, sha in recorded if str(path).endswith(".gz")]
    assert gz == [hashlib.sha256(Path("batch/gamma.spdx.json.gz").read_bytes()).hexdigest()]


def test_scattered_contents_in_a_window_of_one_give_the_same_audit(
    cluster: Cluster, client_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sbomcheck.identify import load_catalogue
    from sbomcheck.policy import load_rules
    from sbomcheck.scan import ScanOptions

    scan = ScanOptions(
        as_of=dt.date.fromisoformat(AS_OF),
        profile="vendor",
        catalogue=load_catalogue(),
        rules=load_rules(),
    )
    kw = {"as_of": AS_OF, "profile": "vendor"}
    expected = audit_to_dict(run_audit(_INPUTS, AuditOptions(scan=scan, jobs=1)), **kw)

    sent: list[int] = []
    answered: list[int] = []
    outstanding: list[int] = []
    real_send = executor._Executor._send

    def counting_send(self: Any, *args: Any, **kwargs: Any) -> Any:
        sent.append(1)
        outstanding.append(len(sent) - len(answered))
        return real_send(self, *args, **kwargs)

    def progress(phase: str, done: int, total: int) -> None:
        answered.append(1)

    def audit(in_flight: int) -> dict[str, Any]:
        sent.clear()
        answered.clear()
        outstanding.clear()
        options = AuditOptions(
            scan=scan, executor="dask", scheduler=cluster.address, in_flight_bytes=in_flight
        )
        return audit_to_dict(run_audit(_INPUTS, options, progress=progress), **kw)

    monkeypatch.setattr(executor._Executor, "_send", counting_send)
    # Every task's contents scattered (the path of large SBOMs), one task in flight.
    monkeypatch.setattr(executor, "_SCATTER_FROM", 0)
    assert audit(in_flight=1) == expected
    # 10 SBOMs read by the client (2 of them do not parse), then 2 linked products.
    assert len(sent) == 10 + 2 and max(outstanding) == 1
    # The default window sends every SBOM of this small batch before the first answer.
    monkeypatch.setattr(executor, "_SCATTER_FROM", 4 * 1024**2)
    assert audit(in_flight=AuditOptions(scan=scan).in_flight_bytes) == expected
    assert max(outstanding) == 10


def test_workers_running_another_sbomcheck_are_refused(
    cluster: Cluster,
    client_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(executor, "__version__", "0.0.0+other")
    dask = ["--executor", "dask", "--scheduler", cluster.address]
    assert _audit(*dask, db="dask.db", out="dask.json") == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("sbomcheck: error: ") and len(err.splitlines()) == 1, err
    assert "run sbomcheck" in err and "this client 0.0.0+other" in err
    assert not Path("dask.db").exists() or query(Path("dask.db"), "SELECT COUNT(*) FROM runs") == [
        (0,)
    ]
