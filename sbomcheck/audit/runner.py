"""Batch audits: many vendor SBOMs, grouped into products, scanned in parallel.

Two parallel phases. First every input is read into the model by a worker and scanned on its
own (a file that fails to parse becomes an `InputFailure`, never a stop). Then documents that
reference each other are grouped into one product (`sbomcheck.audit.grouping`), and each
product made of several documents is scanned again, together, by a worker with
`scan.scan_documents`. The parent process is the only writer of the ledger: it records each
product in one transaction as soon as it is decided, so a killed batch leaves whole audits
only and can be resumed.

Where the tasks run (this process with `jobs=1`, a process pool, a Dask cluster) is
`sbomcheck.audit.executor`'s business; what a batch gives back is in
`sbomcheck.audit.results` (re-exported here). A worker lost while it works ends the batch
with `WorkerLostError`; the run stays recorded, unfinished, for `--resume`.

A resumed run is one run: its result holds the products the interrupted attempts recorded
(`RecordedProduct`, their verdicts as recorded) with those decided now, so its report, totals
and exit code are those of the whole run.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sbomcheck._gc import collect_between_documents, gc_paused
from sbomcheck._version import __version__
from sbomcheck.audit.executor import AuditOptions as AuditOptions  # its home is the executor
from sbomcheck.audit.executor import Work, _Executor, _Task, worker_scan_options

# NOTE: where they were before the executor had a module of its own (tests reach them here).
from sbomcheck.audit.executor import _init_worker as _init_worker
from sbomcheck.audit.executor import _pool_context as _pool_context
from sbomcheck.audit.grouping import DocumentIdentity, group_documents, identity_of, product_key
from sbomcheck.audit.ledger import StoredDocument
from sbomcheck.audit.results import AuditedProduct, AuditResult, ProductAudit, RecordedProduct
from sbomcheck.errors import InputError, SbomcheckError, WorkerLostError
from sbomcheck.findings import Report
from sbomcheck.ingest.sources import InputFailure, Source
from sbomcheck.json_form import json_form
from sbomcheck.model import Document

__all__ = [
    "AuditOptions",
    "AuditResult",
    "AuditedProduct",
    "DocumentIdentity",
    "ProductAudit",
    "Progress",
    "RecordedProduct",
    "check_inputs",
    "group_documents",
    "identity_of",
    "product_key",
    "run_audit",
]


Progress = Callable[[str, int, int], None]
"""progress(phase, done, total): called in the parent as work completes."""


# -- inputs ------------------------------------------------------------------------------


def check_inputs(inputs: Sequence[str | Path]) -> None:
    """Refuse a batch whose command-line inputs do not all hold SBOMs (fail closed: a
    misspelt directory must not pass a gate). Raises `InputError` for an input that does not
    exist, and for one in which no SBOM can be found (an empty directory, a directory or zip
    of other files). An SBOM that is found but cannot be read is the batch's business: it is
    reported as unreadable."""
    from sbomcheck.ingest.sources import collect_sources

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


def _read_one(source: Any, keep: bool, store: bool, scan_options: Any) -> _Read | InputFailure:
    """Worker: read one source and scan it on its own. On Dask the source comes with its
    bytes (`ingest.sources.with_contents`): the worker opens no file.

    Most SBOMs of a batch link to nothing, so the scan done here while the document is at
    hand is their final answer; documents that turn out to be linked are scanned again
    together (`_audit_group`).
    """
    from sbomcheck.ingest.sources import load_source

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
    from sbomcheck.ingest.sources import load_source
    from sbomcheck.scan import scan_documents

    if documents is None:
        # NOTE: only before reading: documents handed in are alive; a pass would walk them.
        collect_between_documents()
    try:
        docs = list(documents) if documents is not None else [load_source(s) for s in sources]
    except SbomcheckError as e:
        return InputFailure(path=str(getattr(sources[0], "key", "")), message=e.diagnostics())
    options = scan_options if scan_options is not None else worker_scan_options()
    report: Report = scan_documents(docs, options)
    return report, tuple(StoredDocument.of(d) for d in docs) if store else ()


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


# NOTE: a batch is these steps, in this order: list, read (each SBOM scanned on its own),
# record what could not be read, group into products, decide the products of one document
# (their scan from the reading phase is their answer), scan the linked ones together, and
# assemble the result. Each product is recorded in the ledger as soon as it is decided.
def _run_batch(
    inputs: Sequence[str | Path],
    options: AuditOptions,
    executor: _Executor,
    ledger: Any,
    run: _Run | None,
    recorded_at: str,
    progress: Progress | None,
) -> AuditResult:
    from sbomcheck.ingest.sources import list_sources

    sources, listing_failures = list_sources(inputs)
    store = ledger is not None
    recorder = _Recorder(ledger, run, options, recorded_at)
    reads, unreadable = _read_all(executor, sources, store, progress)
    failures = [*listing_failures, *unreadable]
    for failure in failures:
        recorder.file_error(failure)
    products = _products_of(reads)
    slots, placed = _decide_alone(products, recorder)
    failures += _decide_linked(executor, products, sources, slots, recorder, store, progress)
    return _result(slots, placed, failures, recorder, run, sources)


class _Recorder:
    """The ledger's side of a batch: each product recorded once per run as it is decided,
    and each unreadable input. Without a ledger it records nothing."""

    def __init__(
        self, ledger: Any, run: _Run | None, options: AuditOptions, recorded_at: str
    ) -> None:
        self._ledger = ledger
        self._run = run
        self._options = options
        self._recorded_at = recorded_at
        self.recorded: dict[str, RecordedProduct] = (
            {p.key: p for p in run.recorded} if run is not None else {}
        )
        """Products an interrupted attempt of this run recorded (decided already)."""
        # NOTE: a product is recorded once per run, also when the same SBOMs arrive twice
        # under other paths (a directory and a zip of it): the ledger's key is their sha256.
        self._written = set(self.recorded)

    def product(self, key: str, outcome: tuple[Report, tuple[StoredDocument, ...]]) -> ProductAudit:
        """The audit of a product decided now, recorded unless the run has it already."""
        report, stored = outcome
        if self._run is not None and key not in self._written:
            self._written.add(key)
            self._ledger.record(
                self._run.id,
                product_key=key,
                report=report,
                documents=stored,
                recorded_at=self._recorded_at,
                jurisdictions=self._options.scan.jurisdictions,
                model_year=self._options.scan.model_year,
            )
        return ProductAudit(key=key, report=report, stored=stored)

    def file_error(self, failure: InputFailure) -> None:
        """Record an input that could not be read."""
        if self._run is not None:
            self._ledger.record_file_error(self._run.id, failure.path, failure.message)


_Product = tuple[str, list[_Read]]
"""A product's key and its documents as read, the product SBOM first."""


def _read_all(
    executor: _Executor, sources: Sequence[Source], store: bool, progress: Progress | None
) -> tuple[list[_Read], list[InputFailure]]:
    """Phase one: every source read and scanned on its own, in input order."""
    reads: list[_Read | InputFailure | None] = [None] * len(sources)
    tasks = _read_tasks(executor, sources, (executor.in_process, store))
    names = [s.key for s in sources]
    for done, (i, result) in enumerate(executor.run(_read_one, tasks, names), start=1):
        reads[i] = result
        if progress:
            progress("read", done, len(sources))
    return (
        [r for r in reads if isinstance(r, _Read)],
        [r for r in reads if isinstance(r, InputFailure)],
    )


def _products_of(reads: Sequence[_Read]) -> list[_Product]:
    """The documents read, grouped into products (input order of their earliest member)."""
    by_key = {r.identity.key: r for r in reads}
    groups = group_documents([r.identity for r in reads])
    return [(product_key(g), [by_key[d.key] for d in g]) for g in groups]


def _decide_alone(
    products: Sequence[_Product], recorder: _Recorder
) -> tuple[list[AuditedProduct | None], set[str]]:
    """The products decided without phase two: those of one document (their scan from
    phase one) and those an interrupted attempt recorded (each placed once). Returns the
    result's slots, in product order (None where phase two decides), and the recorded
    products placed."""
    slots: list[AuditedProduct | None] = [None] * len(products)
    placed: set[str] = set()
    for i, (key, group) in enumerate(products):
        if key in recorder.recorded:
            if key not in placed:
                slots[i] = recorder.recorded[key]
                placed.add(key)
        elif len(group) == 1:
            slots[i] = recorder.product(key, group[0].alone)
    return slots, placed


def _decide_linked(
    executor: _Executor,
    products: Sequence[_Product],
    sources: Sequence[Source],
    slots: list[AuditedProduct | None],
    recorder: _Recorder,
    store: bool,
    progress: Progress | None,
) -> list[InputFailure]:
    """Phase two: the products of several documents scanned together, each put in its slot;
    returns the products whose documents could not be read again."""
    source_of = {s.key: s for s in sources}
    linked = [
        i for i, (key, g) in enumerate(products) if key not in recorder.recorded and len(g) > 1
    ]
    groups = [[source_of[r.identity.key] for r in products[i][1]] for i in linked]
    keep = executor.in_process
    rest = [([r.document for r in products[i][1]] if keep else None, store) for i in linked]
    names = [g[0].key for g in groups]
    failures: list[InputFailure] = []
    tasks = _group_tasks(executor, groups, rest)
    for done, (t, outcome) in enumerate(executor.run(_audit_group, tasks, names), start=1):
        if isinstance(outcome, InputFailure):
            failures.append(outcome)
            recorder.file_error(outcome)
        else:
            slots[linked[t]] = recorder.product(products[linked[t]][0], outcome)
        if progress:
            progress("linked", done, len(linked))
    return failures


def _result(
    slots: Sequence[AuditedProduct | None],
    placed: set[str],
    failures: Sequence[InputFailure],
    recorder: _Recorder,
    run: _Run | None,
    sources: Sequence[Source],
) -> AuditResult:
    """The batch's result: its products in order, then those an earlier attempt recorded
    whose SBOMs are no longer among the inputs (a file changed or went away since: still
    part of the run, so still in its verdict); unreadable inputs of every attempt, once; the
    sources this attempt listed."""
    products = [p for p in slots if p is not None]
    products += [p for key, p in recorder.recorded.items() if key not in placed]
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
    from sbomcheck.ingest.sources import with_contents

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
    from sbomcheck.ingest.sources import with_contents

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
