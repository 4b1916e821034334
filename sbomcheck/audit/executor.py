"""Where a batch audit's tasks run: this process, a local process pool, or a Dask cluster.

`_Executor.run` gives the same shape over all three: tasks in, `(index, result)` out as they
complete. Pool workers are started by a fork server (spawn where there is none), never forked
from the audit process, receive the scan options once (`_init_worker`), keep the garbage
collector off for their whole life, and end with the audit process (`_end_with_owner`); they
open the files themselves. Dask workers may run on other machines: each task carries the
bytes of its SBOMs, read by the client, sent in a window of bounded size
(`_Executor._run_dask`). A worker lost for good raises `WorkerLostError`.

The tasks themselves (reading, scanning) are `sbomcheck.audit.runner`'s.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from sbomcheck._version import __version__
from sbomcheck.errors import UsageError, WorkerLostError
from sbomcheck.ingest.sources import InputFailure


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


_WORKER_SCAN_OPTIONS: Any = None
"""ScanOptions of a pool worker, set once by `_init_worker` instead of sent with every task."""

_PR_SET_PDEATHSIG = 1
_OWNER_POLL_SECONDS = 0.5


def _init_worker(scan_options: Any, owner: int) -> None:
    global _WORKER_SCAN_OPTIONS
    _WORKER_SCAN_OPTIONS = scan_options
    _end_with_owner(owner)
    _collector_off_for_life()


def worker_scan_options() -> Any:
    """The scan options this pool worker received at start (None outside a pool worker)."""
    return _WORKER_SCAN_OPTIONS


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


def _first_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text if len(text) <= 200 else text[:199] + "~"
