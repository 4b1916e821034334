"""Batch audits: many vendor SBOMs, grouped into products, scanned in parallel.

Two parallel phases. First every input is read into the model by a worker (a file that fails
to parse becomes an `InputFailure`, never a stop). Then documents that reference each other
(CycloneDX BOM-Links and `bom` references, SPDX externalDocumentRefs) are grouped into one
product, and each product is scanned by a worker with `scan.scan_documents`. The parent
process is the only writer of the ledger: it records each product in one transaction as its
result arrives, so a killed batch leaves whole audits only and can be resumed.

Workers run in a process pool (default: all cores), serially (`jobs=1`), or on a Dask
distributed cluster (`executor="dask"`, optional extra `sbomcheck[dask]`). Pool workers are
started by a fork server (spawn where there is none), never forked from this process, and end
with it (`_end_with_owner`); they open the files themselves. Dask workers may run on other
machines: each task carries the bytes of its SBOMs, read here, sent in a window of bounded
size (`_Executor._run_dask`). A worker lost while it works ends the batch with
`WorkerLostError`; the run stays recorded, unfinished, for `--resume`.

A resumed run is one run: its result holds the products the interrupted attempts recorded
(`RecordedProduct`, their verdicts as recorded) with those decided now, so its report, totals
and exit code are those of the whole run.
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sbomcheck._gc import collect_between_documents, gc_paused
from sbomcheck._version import __version__
from sbomcheck.audit.ledger import StoredDocument
from sbomcheck.bundle import InputFailure, Source
from sbomcheck.errors import InputError, SbomcheckError, UsageError, WorkerLostError
from sbomcheck.findings import Report, Verdict
from sbomcheck.graph.identities import document_identities, document_references
from sbomcheck.json_form import json_form
from sbomcheck.model import Document

Progress = Callable[[str, int, int], None]
"""progress(phase, done, total): called in the parent as work completes."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditOptions:
    """Everything an audit needs besides its inputs; picklable (sent to workers)."""

    scan: Any
    """`sbomcheck.scan.ScanOptions` (as_of, profile, catalogue, rules, waivers)."""
    jobs: int | None = None
    """Worker processes; None = all cores; 1 = in this process."""
    executor: str = "process"
    """`process` (local pool) or `dask` (distributed cluster at `scheduler`)."""
    scheduler: str | None = None
    in_flight_bytes: int = 512 * 1024**2
    """Dask: SBOM bytes sent to the cluster and not yet answered, at most. The next file is
    read only while fewer are in flight (so the client holds at most this plus one file);
    one task is always sent, whatever its size."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ProductAudit:
    """The audit of one product: the scan report and its documents as the ledger keeps them."""

    key: str
    """sha256 over the sorted sha256 of its documents: stable across paths and runs."""
    report: Report
    stored: tuple[StoredDocument, ...] = field(default=(), repr=False)
    """Inventories for the ledger (empty when no ledger is written)."""

    @property
    def verdict(self) -> Verdict:
        """The product's verdict."""
        return self.report.verdict

    @property
    def document_count(self) -> int:
        """SBOMs the product was read from."""
        return len(self.report.documents)

    @property
    def finding_count(self) -> int:
        """Findings in its report."""
        return len(self.report.findings)

    def report_dict(self) -> dict[str, Any]:
        """The JSON report."""
        return self.report.to_dict()


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordedProduct:
    """A product that an interrupted attempt of a resumed run recorded in the ledger: its
    verdict counts in the run's report and exit code as it was recorded."""

    key: str
    report: dict[str, Any]
    """The JSON report as the ledger stored it."""

    @property
    def verdict(self) -> Verdict:
        """The recorded verdict."""
        return Verdict(self.report["verdict"])

    @property
    def document_count(self) -> int:
        """SBOMs the product was read from."""
        return len(self.report["documents"])

    @property
    def finding_count(self) -> int:
        """Findings in its report."""
        return len(self.report["findings"])

    def report_dict(self) -> dict[str, Any]:
        """The JSON report."""
        return self.report


AuditedProduct = ProductAudit | RecordedProduct
"""A product of a run: decided now, or recorded by an interrupted attempt of the same run."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentIdentity:
    """What grouping needs to know of a document: who it is and whom it references."""

    key: str
    sha256: str
    identities: tuple[str, ...]
    references: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditResult:
    """The whole batch (for a resumed run: the whole run, every attempt)."""

    products: tuple[AuditedProduct, ...]
    failures: tuple[InputFailure, ...] = ()
    run_id: int | None = None
    sources: tuple[Source, ...] = field(default=(), repr=False, compare=False)
    """The SBOMs this attempt listed (standard input's bytes among them, nothing else read),
    for outputs that point into the files to read them again (`audit --format sarif`)."""

    @property
    def resumed(self) -> int:
        """Products an interrupted attempt of this run had recorded (not decided again)."""
        return sum(isinstance(p, RecordedProduct) for p in self.products)

    def verdict_counts(self) -> dict[str, int]:
        """How many products got each verdict (every verdict present, zero or not)."""
        counts = {v.value: 0 for v in Verdict}
        for p in self.products:
            counts[p.verdict.value] += 1
        return counts

    def summary(self) -> dict[str, Any]:
        """Totals for the report."""
        return {
            "sboms": sum(p.document_count for p in self.products),
            "products": len(self.products),
            "unreadable": len(self.failures),
            "resumed": self.resumed,
            "findings": sum(p.finding_count for p in self.products),
            "verdicts": self.verdict_counts(),
        }


# -- inputs ------------------------------------------------------------------------------


def check_inputs(inputs: Sequence[str | Path]) -> None:
    """Refuse a batch whose command-line inputs do not all hold SBOMs (fail closed: a
    misspelt directory must not pass a gate). Raises `InputError` for an input that does not
    exist, and for one in which no SBOM can be found (an empty directory, a directory or zip
    of other files). An SBOM that is found but cannot be read is the batch's business: it is
    reported as unreadable."""
    from sbomcheck.bundle import collect_sources

    if not inputs:
        raise InputError("no inputs to audit")
    for item in inputs:
        name = str(item)
        if name == "-":
            continue  # NOTE: read once, by the batch; what it holds is checked there
        if not os.path.lexists(name):
            raise InputError("no such file or directory", source=name)
        listing = collect_sources([name], lenient=True)
        if not listing.sources and not listing.failures:
            raise InputError("no SBOM files found in this input", source=name)


@dataclass(frozen=True, slots=True)
class _Read:
    identity: DocumentIdentity
    document: Document | None
    """Kept only when reading and scanning happen in the same process."""
    alone: tuple[Report, tuple[StoredDocument, ...]]
    """The document scanned on its own: the answer when no other document links to it."""


_WORKER_SCAN_OPTIONS: Any = None
"""ScanOptions of a pool worker, set once by `_init_worker` instead of sent with every task."""

_PR_SET_PDEATHSIG = 1
_OWNER_POLL_SECONDS = 0.5


def _init_worker(scan_options: Any, owner: int) -> None:
    global _WORKER_SCAN_OPTIONS
    _WORKER_SCAN_OPTIONS = scan_options
    _end_with_owner(owner)
    _collector_off_for_life()


def _collector_off_for_life() -> None:
    """A pool worker is this package's own process, reading one SBOM after another: the
    collector stays off, and cycles are freed between documents (`collect_between_documents`).
    Switched back on after each document, its next pass would walk the whole model just read
    (docs/performance.md, "The garbage collector")."""
    gc.disable()


def _end_with_owner(owner: int) -> None:
    """Make this pool worker end as soon as the `audit` process `owner` ends, however it ends.

    A worker left behind by a killed `audit` would go on parsing (and holding memory) for
    nobody. Its parent is the fork server, not `owner`, and the fork server lives as long as
    a worker does; so a thread waits on `owner` itself: on Linux on a pidfd (woken the moment
    it exits), elsewhere by polling. PR_SET_PDEATHSIG also ends the worker with its parent.
    """
    if sys.platform == "linux":
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if not _alive(owner):
        os._exit(1)
    threading.Thread(
        target=_wait_for_owner, args=(owner,), name="sbomcheck-owner-watch", daemon=True
    ).start()


def _wait_for_owner(owner: int) -> None:
    pidfd_open = getattr(os, "pidfd_open", None)
    if pidfd_open is not None:
        import select

        try:
            fd = pidfd_open(owner)
        except OSError:
            fd = None
        if fd is not None:
            select.select([fd], [], [])
            os._exit(1)
    while _alive(owner):
        time.sleep(_OWNER_POLL_SECONDS)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _pool_context() -> Any:
    """The start method for pool workers: never `fork`, which copies a multi-threaded parent
    (Python 3.12+ warns, 3.14 no longer defaults to it). A fork server with the audit
    modules preloaded costs about half a second per pool more than `fork`, and a second
    less than `spawn` (docs/audit.md, Parallelism)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["sbomcheck.audit.runner", "sbomcheck.scan"])
        return context
    return multiprocessing.get_context("spawn")


def _read_one(source: Any, keep: bool, store: bool, scan_options: Any) -> _Read | InputFailure:
    """Worker: read one source and scan it on its own. On Dask the source comes with its
    bytes (`bundle.with_contents`): the worker opens no file.

    Most SBOMs of a batch link to nothing, so the scan done here while the document is at
    hand is their final answer; documents that turn out to be linked are scanned again
    together (`_audit_group`).
    """
    from sbomcheck.bundle import load_source

    if not keep:
        # NOTE: a worker's document before this one is freed by now; documents kept in this
        # process are not garbage, and a pass would walk them all.
        collect_between_documents()
    try:
        doc: Document = load_source(source)
    except SbomcheckError as e:
        return InputFailure(path=str(getattr(source, "key", source)), message=e.diagnostics())
    alone = _audit_group([source], [doc], store, scan_options)
    assert not isinstance(alone, InputFailure)  # NOTE: nothing to read again for one document
    # NOTE: the source is not sent back: from a Dask worker it would carry the SBOM's bytes.
    return _Read(identity=identity_of(doc), document=doc if keep else None, alone=alone)


def _audit_group(
    sources: Sequence[Any],
    documents: Sequence[Document] | None,
    store: bool,
    scan_options: Any,
) -> tuple[Report, tuple[StoredDocument, ...]] | InputFailure:
    """Worker: scan one product (reading its documents again unless they came along).

    Documents are re-read rather than sent between processes: pickling frozen model objects
    costs more than parsing a typical SBOM again. On Dask the sources come with their bytes,
    read again by the client.
    """
    from sbomcheck.bundle import load_source
    from sbomcheck.scan import scan_documents

    if documents is None:
        # NOTE: only before reading: documents handed in are alive; a pass would walk them.
        collect_between_documents()
    try:
        docs = list(documents) if documents is not None else [load_source(s) for s in sources]
    except SbomcheckError as e:
        return InputFailure(path=str(getattr(sources[0], "key", "")), message=e.diagnostics())
    options = scan_options if scan_options is not None else _WORKER_SCAN_OPTIONS
    report: Report = scan_documents(docs, options)
    return report, tuple(StoredDocument.of(d) for d in docs) if store else ()


def identity_of(doc: Document) -> DocumentIdentity:
    """The identities a document answers to and the documents it references, as the graph
    links them (`sbomcheck.graph.identities`: one home for which document a reference names)."""
    return DocumentIdentity(
        key=doc.key,
        sha256=doc.sha256,
        identities=document_identities(doc),
        references=document_references(doc),
    )


def product_key(documents: Iterable[DocumentIdentity]) -> str:
    """Stable identity of a product: its documents' sha256, sorted."""
    digest = hashlib.sha256()
    for sha in sorted(d.sha256 for d in documents):
        digest.update(sha.encode())
    return digest.hexdigest()


def group_documents(documents: Sequence[DocumentIdentity]) -> list[list[DocumentIdentity]]:
    """Documents that reference each other form one product (union-find over references).

    The product SBOM comes first in its group: the document no other document references,
    else the first in input order.
    """
    parent = list(range(len(documents)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_identity: dict[str, list[int]] = {}
    for i, doc in enumerate(documents):
        for ident in doc.identities:
            by_identity.setdefault(ident, []).append(i)
    referenced: set[int] = set()
    for i, doc in enumerate(documents):
        for ref in doc.references:
            candidates = [j for j in by_identity.get(ref, ()) if j != i]
            if not candidates:
                continue
            # The same SBOM can arrive twice (a directory and a zip of it): link each
            # product to the copy that sits beside it (same archive or directory first).
            here = doc.key
            j = max(
                candidates,
                key=lambda j: (
                    _container(here) == _container(documents[j].key),
                    _shared_prefix(here, documents[j].key),
                    -j,
                ),
            )
            referenced.add(j)
            parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(documents)):
        groups.setdefault(find(i), []).append(i)
    # Groups in input order of their earliest member; the product first within each.
    ordered = sorted(groups.values(), key=min)
    return [
        [documents[i] for i in sorted(members, key=lambda i: (i in referenced, i))]
        for members in ordered
    ]


def _container(key: str) -> str:
    """The archive (`a.zip!x.json` -> `a.zip`) or directory a document was read from."""
    return key.rsplit("!", 1)[0] if "!" in key else os.path.dirname(key)


def _shared_prefix(a: str, b: str) -> int:
    return len(os.path.commonprefix([a, b]))


# -- running -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Task:
    """One call `fn(content, *rest, scan_options)`: `content` is the source (or the product's
    sources) it reads, with their bytes when the executor ships contents; `size` counts
    those bytes. The executor adds the scan options (`_Executor.scan_options_arg`)."""

    content: Any
    rest: tuple[Any, ...]
    size: int = 0


Work = _Task | InputFailure
"""A task to run, or an input that failed before it could be sent (its file unreadable on
this machine): the failure is its result."""

_SCATTER_FROM = 4 * 1024**2
"""Contents from this size go to the cluster by `Client.scatter`, smaller ones inside the
task. Inline bytes pass through the scheduler, which holds them until the task ends and
re-serialises them: 50 MB payloads moved 2.7 times faster scattered, 1 MB ones 2 times
faster inline (docs/audit.md, "On a Dask cluster")."""

_SCATTER_ATTEMPTS = 5
_SCATTER_PAUSE_SECONDS = 0.5


@dataclass(slots=True)
class _Flight:
    """A task sent to Dask: its future, and the scattered contents it reads (if any)."""

    fn: Callable[..., Any]
    index: int
    task: _Task
    future: Any
    payload: Any = None
    losses: int = 0
    generation: int = 0
    """Which scatter of the scan options it was sent with."""


class _Executor:
    """The same map/as_completed shape over a process pool, Dask, or this process."""

    def __init__(self, options: AuditOptions) -> None:
        self.options = options
        self._pool: ProcessPoolExecutor | None = None
        self._client: Any = None
        self._allowed_failures: int | None = None
        self._generation = 0
        self.scan_options_arg: Any = None
        """What tasks receive as their last argument, the scan options: the object, a Dask
        future, or None (pool workers hold their own copy)."""
        if options.executor == "dask":
            try:
                from distributed import Client
            except ImportError:
                raise UsageError(
                    "--executor dask needs the optional extra: pip install 'sbomcheck[dask]'"
                ) from None
            if not options.scheduler:
                raise UsageError("--executor dask needs --scheduler ADDRESS")
            try:
                # NOTE: distributed ships no type information for Client.
                self._client = Client(options.scheduler, timeout="10s")  # type: ignore[no-untyped-call]
            except OSError as e:
                raise UsageError(
                    f"cannot reach the Dask scheduler {options.scheduler}: {e}"
                ) from None
            try:
                self._check_workers()
                # Sent to every worker once; tasks carry a reference to it.
                self.scan_options_arg = self._scatter(options.scan, broadcast=True)
            except BaseException:
                self._client.close()
                raise
        elif options.executor != "process":
            raise UsageError(f"unknown executor {options.executor!r} (process or dask)")
        elif (options.jobs or os.cpu_count() or 1) > 1:
            # Each worker receives the options (catalogue, rules) once, at start.
            self._pool = ProcessPoolExecutor(
                max_workers=options.jobs or os.cpu_count(),
                mp_context=_pool_context(),
                initializer=_init_worker,
                initargs=(options.scan, os.getpid()),
            )
            self.scan_options_arg = None
        else:
            self.scan_options_arg = options.scan

    def _check_workers(self) -> None:
        """Refuse a cluster whose workers run another sbomcheck (or none): they would decide
        with other code than the version the ledger and report name."""
        try:
            # NOTE: a lambda travels by value; the workers need not import this module.
            versions = self._client.run(lambda: __import__("sbomcheck").__version__)
        except ImportError as e:
            raise UsageError(
                f"the Dask workers at {self.options.scheduler} cannot import sbomcheck ({e}): "
                f"install sbomcheck {__version__} on every worker"
            ) from None
        other = sorted({str(v) for v in versions.values()} - {__version__})
        if other:
            raise UsageError(
                f"the Dask workers at {self.options.scheduler} run sbomcheck "
                f"{', '.join(other)}, this client {__version__}: install the same version"
            )

    @property
    def ships_contents(self) -> bool:
        """True when tasks must carry the SBOMs' bytes: Dask workers may run on other
        machines, or in another directory, and cannot open the paths this process was given.
        Pool workers share this machine and read the files themselves."""
        return self._client is not None

    def run(
        self, fn: Callable[..., Any], items: Iterable[Work], what: Sequence[str]
    ) -> Iterator[tuple[int, Any]]:
        """Yield (index, result) as results complete; `what[i]` names item i in messages.
        Dask takes `items` lazily, as its window of bytes in flight allows.

        Raises `WorkerLostError` when a worker is lost for good: a pool process killed (the
        pool cannot go on), or a Dask task whose workers died more often than the
        scheduler's `allowed-failures` (Dask first runs it again elsewhere)."""
        if self._client is not None:
            yield from self._run_dask(fn, items, what)
        elif self._pool is not None:
            pending: dict[Future[Any], int] = {}
            try:
                for i, item in enumerate(items):
                    if isinstance(item, InputFailure):
                        yield i, item
                    else:
                        pending[self._pool.submit(fn, item.content, *item.rest, None)] = i
                for fut in as_completed(pending):
                    yield pending[fut], fut.result()
            except BrokenProcessPool as e:
                self._end_broken_pool()
                raise WorkerLostError(
                    "a worker process was lost (killed, or out of memory?) while SBOMs were "
                    f"read or scanned: {' '.join(str(e).split())}"
                ) from None
        else:
            for i, item in enumerate(items):
                if isinstance(item, InputFailure):
                    yield i, item
                else:
                    yield i, fn(item.content, *item.rest, self.scan_options_arg)

    def _end_broken_pool(self) -> None:
        """Kill the workers a broken pool leaves. NOTE: the pool starts a worker as a task is
        submitted (under a fork server); one started while the pool was breaking is missed by
        the pool's own clean-up, which then waits for it forever (seen on Python 3.11)."""
        assert self._pool is not None
        for process in list((self._pool._processes or {}).values()):
            process.kill()

    def _run_dask(
        self, fn: Callable[..., Any], items: Iterable[Work], what: Sequence[str]
    ) -> Iterator[tuple[int, Any]]:
        """Tasks in a sliding window: the next item is read (by the lazy `items`) and sent
        only while fewer than `in_flight_bytes` of contents are unanswered, so a batch of
        10,000 SBOMs never sits in memory whole, here or on the scheduler."""
        from distributed import CancelledError
        from distributed import as_completed as dask_completed
        from distributed.comm.core import CommClosedError
        from distributed.scheduler import KilledWorker

        todo = iter(enumerate(items))
        done = dask_completed()  # type: ignore[no-untyped-call]
        flying: dict[str, _Flight] = {}
        held = 0
        more = True
        current = ""
        try:
            while True:
                while more and (not flying or held < self.options.in_flight_bytes):
                    step = next(todo, None)
                    if step is None:
                        more = False
                    elif isinstance(step[1], InputFailure):
                        yield step
                    else:
                        flight = self._send(fn, step[0], step[1])
                        flying[flight.future.key] = flight
                        done.add(flight.future)  # type: ignore[no-untyped-call]
                        held += flight.task.size
                if not flying:
                    return
                flight = flying.pop(next(done).key)
                current = what[flight.index]
                try:
                    result = flight.future.result()
                except CancelledError as e:
                    if getattr(e, "reason", "") == "scheduler-connection-lost":
                        raise
                    retry = self._send_again(flight, current)
                    flying[retry.future.key] = retry
                    done.add(retry.future)  # type: ignore[no-untyped-call]
                    continue
                held -= flight.task.size
                flight.future.release()
                if flight.payload is not None:
                    flight.payload.release()
                yield flight.index, result
        except KilledWorker as e:
            raise WorkerLostError(
                f"{current}: the Dask workers running it were lost ({_first_line(e)})"
            ) from None
        except (CommClosedError, CancelledError) as e:
            raise WorkerLostError(
                f"{self.options.scheduler}: the connection to the Dask scheduler was lost "
                f"({_first_line(e) or type(e).__name__})"
            ) from None

    def _send(self, fn: Callable[..., Any], index: int, task: _Task, losses: int = 0) -> _Flight:
        content, payload = task.content, None
        if task.size >= _SCATTER_FROM:
            content = payload = self._scatter(task.content)
        options = self.scan_options_arg
        future = self._client.submit(fn, content, *task.rest, options, pure=False)
        return _Flight(
            fn=fn,
            index=index,
            task=task,
            future=future,
            payload=payload,
            losses=losses,
            generation=self._generation,
        )

    def _scatter(self, content: Any, *, broadcast: bool = False) -> Any:
        """Place `content` on a worker (`broadcast`: on every worker). The scheduler picks
        one; a worker that died a moment ago may still be on its list (the scatter fails): it
        is asked again after a pause."""
        for attempt in range(1, _SCATTER_ATTEMPTS + 1):
            try:
                # NOTE: a list is scattered item by item; wrapped, it goes as one object.
                (payload,) = self._client.scatter([content], broadcast=broadcast, hash=False)
                return payload
            except OSError:  # distributed's CommClosedError, a timeout
                if attempt == _SCATTER_ATTEMPTS:
                    raise
                time.sleep(_SCATTER_PAUSE_SECONDS * attempt)
        raise AssertionError("unreachable")

    def _send_again(self, flight: _Flight, name: str) -> _Flight:
        """A task Dask cancelled: data it depends on was lost with workers (its scattered
        contents, or every copy of the scan options), so Dask cannot run it again as it does
        a task that carries its data. What it needs is sent again from here (the contents
        are still held), as often as the scheduler's `allowed-failures` lets Dask retry."""
        losses = flight.losses + 1
        allowed = self._scheduler_allowed_failures()
        if losses > allowed:
            what = "time" if losses == 1 else "times"
            raise WorkerLostError(
                f"{name}: the Dask workers running it were lost ({losses} {what}; the "
                f"scheduler allows {allowed})"
            )
        if flight.generation == self._generation:
            # NOTE: whether copies of the options survived is not known here (the client
            # learns of lost data late): they are sent again, once per loss.
            self.scan_options_arg = self._scatter(self.options.scan, broadcast=True)
            self._generation += 1
        if flight.payload is not None:
            flight.payload.release()
        flight.future.release()
        return self._send(flight.fn, flight.index, flight.task, losses)

    def _scheduler_allowed_failures(self) -> int:
        if self._allowed_failures is None:
            try:
                allowed = self._client.run_on_scheduler(
                    lambda dask_scheduler: dask_scheduler.allowed_failures
                )
            except Exception:  # NOTE: a scheduler that refuses to run code: Dask's default
                import dask

                allowed = dask.config.get("distributed.scheduler.allowed-failures", 3)
            self._allowed_failures = int(allowed)
        return self._allowed_failures

    @property
    def in_process(self) -> bool:
        """True when tasks run in this process (documents can be kept between phases)."""
        return self._pool is None and self._client is None

    def close(self) -> None:
        """Release workers."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
        if self._client is not None:
            self._client.close()


def run_audit(
    inputs: Sequence[str | Path],
    options: AuditOptions,
    *,
    ledger: Any = None,
    recorded_at: str = "",
    resume: bool = False,
    progress: Progress | None = None,
) -> AuditResult:
    """Audit every SBOM under `inputs` (files, directories, zips); see the module docstring.

    `ledger` (an open `sbomcheck.audit.ledger.Ledger`) records the run before anything is
    read, then each product as it completes; `recorded_at` is the wall-clock time the CLI
    read (the library never reads the clock). The run is left unfinished: the caller marks
    it finished (`Ledger.finish_run`) with the time it ended. With `resume`, the latest
    unfinished run with the same inputs and options is continued, and its result holds every
    product the run recorded.

    Raises `InputError` for an input that does not exist or holds no SBOM (before anything is
    recorded), `LedgerError` when the run is claimed by another live process, and
    `WorkerLostError` when a worker is lost (the run stays recorded for `--resume`).
    """
    check_inputs(inputs)
    executor = _Executor(options)
    try:
        run = _open_run(ledger, options, inputs, recorded_at, resume)
        try:
            # NOTE: one pause for the batch, restored after it; in this process (jobs=1) the
            # collector would otherwise walk every document kept so far, again and again.
            with gc_paused():
                return _run_batch(inputs, options, executor, ledger, run, recorded_at, progress)
        except WorkerLostError as e:
            if run is None:
                raise
            raise WorkerLostError(
                f"{e}; run {run.id} is recorded, unfinished, in {ledger.path}: the same "
                "command with --resume finishes it"
            ) from None
    finally:
        executor.close()


@dataclass(frozen=True, slots=True)
class _Run:
    id: int
    recorded: tuple[RecordedProduct, ...]
    errors: tuple[InputFailure, ...]


def _open_run(
    ledger: Any,
    options: AuditOptions,
    inputs: Sequence[str | Path],
    recorded_at: str,
    resume: bool,
) -> _Run | None:
    """The run to record into: the one to resume (claimed for this process), or a new one."""
    if ledger is None:
        return None
    params = _run_params(options, inputs)
    params_key = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()
    run_id = ledger.resumable_run(params_key) if resume else None
    if run_id is None:
        return _Run(ledger.start_run("audit", params, params_key, recorded_at), (), ())
    recorded = tuple(
        RecordedProduct(key=a.product_key, report=a.report) for a in ledger.run_audits(run_id)
    )
    errors = tuple(InputFailure(path=p, message=m) for p, m in ledger.file_errors(run_id))
    return _Run(run_id, recorded, errors)


def _run_batch(
    inputs: Sequence[str | Path],
    options: AuditOptions,
    executor: _Executor,
    ledger: Any,
    run: _Run | None,
    recorded_at: str,
    progress: Progress | None,
) -> AuditResult:
    from sbomcheck.bundle import list_sources

    sources, listing_failures = list_sources(inputs)
    failures = list(listing_failures)
    keep = executor.in_process
    store = ledger is not None
    reads: list[_Read | InputFailure | None] = [None] * len(sources)
    first = _read_tasks(executor, sources, (keep, store))
    names = [s.key for s in sources]
    for done, (i, result) in enumerate(executor.run(_read_one, first, names), start=1):
        reads[i] = result
        if progress:
            progress("read", done, len(sources))
    read = [r for r in reads if isinstance(r, _Read)]
    failures += [r for r in reads if isinstance(r, InputFailure)]
    by_key = {r.identity.key: r for r in read}
    source_of = {s.key: s for s in sources}
    groups = group_documents([r.identity for r in read])
    keyed = [(product_key(g), [by_key[d.key] for d in g]) for g in groups]

    recorded = {p.key: p for p in run.recorded} if run is not None else {}
    # NOTE: a product is recorded once per run, also when the same SBOMs arrive twice under
    # other paths (a directory and a zip of it): the ledger's key is the documents' sha256.
    written = set(recorded)
    slots: list[AuditedProduct | None] = [None] * len(keyed)
    if run is not None:
        for f in failures:
            ledger.record_file_error(run.id, f.path, f.message)

    def finish(i: int, outcome: tuple[Report, tuple[StoredDocument, ...]]) -> None:
        key = keyed[i][0]
        report, stored = outcome
        slots[i] = ProductAudit(key=key, report=report, stored=stored)
        if run is not None and key not in written:
            written.add(key)
            ledger.record(
                run.id,
                product_key=key,
                report=report,
                documents=stored,
                recorded_at=recorded_at,
                jurisdictions=options.scan.jurisdictions,
                model_year=options.scan.model_year,
            )

    placed: set[str] = set()
    for i, (key, group) in enumerate(keyed):
        if key in recorded:
            if key not in placed:
                slots[i] = recorded[key]
                placed.add(key)
        elif len(group) == 1:
            finish(i, group[0].alone)
    linked = [i for i, (key, g) in enumerate(keyed) if key not in recorded and len(g) > 1]
    groups_sources = [[source_of[r.identity.key] for r in keyed[i][1]] for i in linked]
    rest = [([r.document for r in keyed[i][1]] if keep else None, store) for i in linked]
    tasks = _group_tasks(executor, groups_sources, rest)
    linked_names = [g[0].key for g in groups_sources]
    for done, (t, outcome) in enumerate(executor.run(_audit_group, tasks, linked_names), start=1):
        if isinstance(outcome, InputFailure):
            failures.append(outcome)
            if run is not None:
                ledger.record_file_error(run.id, outcome.path, outcome.message)
        else:
            finish(linked[t], outcome)
        if progress:
            progress("linked", done, len(linked))

    products = [p for p in slots if p is not None]
    # Products an earlier attempt recorded whose SBOMs are no longer among the inputs (a
    # file changed or went away since): still part of the run, so still in its verdict.
    products += [p for key, p in recorded.items() if key not in placed]
    seen = {f.path for f in failures}
    earlier = [f for f in (run.errors if run is not None else ()) if f.path not in seen]
    return AuditResult(
        products=tuple(products),
        failures=tuple(sorted([*failures, *earlier], key=lambda f: f.path)),
        run_id=run.id if run is not None else None,
        sources=tuple(sources),
    )


def _read_tasks(
    executor: _Executor, sources: Sequence[Source], rest: tuple[Any, ...]
) -> Iterator[Work]:
    """The reading tasks, one per source; when the executor ships contents, each file is read
    here as its task is taken (archives stay open across their members)."""
    from sbomcheck.bundle import with_contents

    if not executor.ships_contents:
        yield from (_Task(s, rest) for s in sources)
        return
    for read in with_contents(sources):
        yield read if isinstance(read, InputFailure) else _Task(read, rest, len(read.data or b""))


def _group_tasks(
    executor: _Executor, groups: Sequence[list[Source]], rests: Sequence[tuple[Any, ...]]
) -> Iterator[Work]:
    """The tasks that scan linked products together; with contents, read again here (one
    unreadable document fails its product, as it would in a worker)."""
    from sbomcheck.bundle import with_contents

    for group, rest in zip(groups, rests, strict=True):
        if not executor.ships_contents:
            yield _Task(group, rest)
            continue
        contents: list[Source] = []
        for read in with_contents(group):
            if isinstance(read, InputFailure):
                yield InputFailure(path=group[0].key, message=read.message)
                break
            contents.append(read)
        else:
            yield _Task(contents, rest, sum(len(c.data or b"") for c in contents))


def _run_params(options: AuditOptions, inputs: Sequence[str | Path]) -> dict[str, Any]:
    """What a resume must match: everything that decides the recorded reports."""
    scan = options.scan
    return {
        "as_of": scan.as_of.isoformat(),
        "profile": scan.profile,
        "jurisdictions": list(scan.jurisdictions),
        "model_year": scan.model_year,
        "max_paths": scan.max_paths,
        "tool_version": __version__,
        "catalogue": scan.catalogue.data_version.sha256,
        "rules": scan.rules.data_version.sha256,
        "waivers": json_form(scan.waivers),
        "inputs": sorted(str(Path(i).resolve()) for i in inputs),
    }


def _first_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text if len(text) <= 200 else text[:199] + "~"
