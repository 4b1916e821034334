"""Batch audits: many vendor SBOMs, grouped into products, scanned in parallel.

Two parallel phases. First every input is read into the model by a worker (a file that fails
to parse becomes an `InputFailure`, never a stop). Then documents that reference each other
(CycloneDX BOM-Links and `bom` references, SPDX externalDocumentRefs) are grouped into one
product, and each product is scanned by a worker with `scan.scan_documents`. The parent
process is the only writer of the ledger: it records each product in one transaction as its
result arrives, so a killed batch leaves whole audits only and can be resumed.

Workers run in a process pool (default: all cores), serially (`jobs=1`), or on a Dask
distributed cluster (`executor="dask"`, optional extra `sbomcheck[dask]`).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sbomcheck._version import __version__
from sbomcheck.audit.ledger import StoredDocument
from sbomcheck.bundle import InputFailure
from sbomcheck.errors import SbomcheckError, UsageError
from sbomcheck.findings import Report, Verdict
from sbomcheck.links import document_identities, document_references
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


@dataclass(frozen=True, slots=True, kw_only=True)
class ProductAudit:
    """The audit of one product: the scan report and its documents as the ledger keeps them."""

    key: str
    """sha256 over the sorted sha256 of its documents: stable across paths and runs."""
    report: Report
    stored: tuple[StoredDocument, ...] = field(default=(), repr=False)
    """Inventories for the ledger (empty when no ledger is written)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentIdentity:
    """What grouping needs to know of a document: who it is and whom it references."""

    key: str
    sha256: str
    identities: tuple[str, ...]
    references: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditResult:
    """The whole batch."""

    products: tuple[ProductAudit, ...]
    failures: tuple[InputFailure, ...] = ()
    resumed: int = 0
    """Products skipped because a resumed run had already recorded them."""
    run_id: int | None = None

    def verdict_counts(self) -> dict[str, int]:
        """How many products got each verdict (every verdict present, zero or not)."""
        counts = {v.value: 0 for v in Verdict}
        for p in self.products:
            counts[p.report.verdict.value] += 1
        return counts

    def summary(self) -> dict[str, Any]:
        """Totals for the report."""
        return {
            "sboms": sum(len(p.report.documents) for p in self.products),
            "products": len(self.products),
            "unreadable": len(self.failures),
            "resumed": self.resumed,
            "findings": sum(len(p.report.findings) for p in self.products),
            "verdicts": self.verdict_counts(),
        }


# -- inputs ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Read:
    source: Any
    identity: DocumentIdentity
    document: Document | None
    """Kept only when reading and scanning happen in the same process."""
    alone: tuple[Report, tuple[StoredDocument, ...]]
    """The document scanned on its own: the answer when no other document links to it."""


_WORKER_SCAN_OPTIONS: Any = None
"""ScanOptions of a pool worker, set once by `_init_worker` instead of sent with every task."""


def _init_worker(scan_options: Any) -> None:
    global _WORKER_SCAN_OPTIONS
    _WORKER_SCAN_OPTIONS = scan_options


def _read_one(source: Any, keep: bool, store: bool, scan_options: Any) -> _Read | InputFailure:
    """Worker: read one source and scan it on its own.

    Most SBOMs of a batch link to nothing, so the scan done here while the document is at
    hand is their final answer; documents that turn out to be linked are scanned again
    together (`_audit_group`).
    """
    from sbomcheck.bundle import load_source

    try:
        doc: Document = load_source(source)
    except SbomcheckError as e:
        return InputFailure(path=str(getattr(source, "key", source)), message=e.diagnostics())
    alone = _audit_group([source], [doc], store, scan_options)
    assert not isinstance(alone, InputFailure)  # NOTE: nothing to read again for one document
    return _Read(
        source=source, identity=identity_of(doc), document=doc if keep else None, alone=alone
    )


def _audit_group(
    sources: Sequence[Any],
    documents: Sequence[Document] | None,
    store: bool,
    scan_options: Any,
) -> tuple[Report, tuple[StoredDocument, ...]] | InputFailure:
    """Worker: scan one product (reading its documents again unless they came along).

    Documents are re-read rather than sent between processes: pickling frozen model objects
    costs more than parsing a typical SBOM again.
    """
    from sbomcheck.bundle import load_source
    from sbomcheck.scan import scan_documents

    try:
        docs = list(documents) if documents is not None else [load_source(s) for s in sources]
    except SbomcheckError as e:
        return InputFailure(path=str(getattr(sources[0], "key", "")), message=e.diagnostics())
    options = scan_options if scan_options is not None else _WORKER_SCAN_OPTIONS
    report: Report = scan_documents(docs, options)
    return report, tuple(StoredDocument.of(d) for d in docs) if store else ()


def identity_of(doc: Document) -> DocumentIdentity:
    """The identities a document answers to and the documents it references, as the graph
    links them (`sbomcheck.links`: one home for which document a reference names)."""
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


class _Executor:
    """The same map/as_completed shape over a process pool, Dask, or this process."""

    def __init__(self, options: AuditOptions) -> None:
        self.options = options
        self._pool: ProcessPoolExecutor | None = None
        self._client: Any = None
        self.scan_options_arg: Any = None
        """What scan tasks receive as options: the object, a Dask future, or None (pool
        workers hold their own copy)."""
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
            # Sent to every worker once; tasks carry a reference to it.
            self.scan_options_arg = self._client.scatter(options.scan, broadcast=True)
        elif options.executor != "process":
            raise UsageError(f"unknown executor {options.executor!r} (process or dask)")
        elif (options.jobs or os.cpu_count() or 1) > 1:
            # Each worker receives the options (catalogue, rules) once, at start.
            self._pool = ProcessPoolExecutor(
                max_workers=options.jobs or os.cpu_count(),
                initializer=_init_worker,
                initargs=(options.scan,),
            )
            self.scan_options_arg = None
        else:
            self.scan_options_arg = options.scan

    def run(
        self, fn: Callable[..., Any], items: Sequence[tuple[Any, ...]]
    ) -> Iterator[tuple[int, Any]]:
        """Yield (index, result) as results complete."""
        if self._client is not None:
            from distributed import as_completed as dask_completed

            futures = [self._client.submit(fn, *args, pure=False) for args in items]
            index = {f.key: i for i, f in enumerate(futures)}
            for fut in dask_completed(futures):  # type: ignore[no-untyped-call]
                yield index[fut.key], fut.result()
        elif self._pool is not None:
            pending: dict[Future[Any], int] = {
                self._pool.submit(fn, *args): i for i, args in enumerate(items)
            }
            for fut in as_completed(pending):
                yield pending[fut], fut.result()
        else:
            for i, args in enumerate(items):
                yield i, fn(*args)

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

    `ledger` (an open `sbomcheck.audit.ledger.Ledger`) records each product as it completes;
    `recorded_at` is the wall-clock time the CLI read (the library never reads the clock).
    """
    from sbomcheck.bundle import list_sources

    sources, listing_failures = list_sources(inputs)
    failures = list(listing_failures)
    executor = _Executor(options)
    try:
        keep = executor.in_process
        store = ledger is not None
        reads: list[_Read | InputFailure | None] = [None] * len(sources)
        first = [(s, keep, store, executor.scan_options_arg) for s in sources]
        for done, (i, result) in enumerate(executor.run(_read_one, first), start=1):
            reads[i] = result
            if progress:
                progress("read", done, len(sources))
        read = [r for r in reads if isinstance(r, _Read)]
        failures += [r for r in reads if isinstance(r, InputFailure)]
        by_key = {r.identity.key: r for r in read}
        groups = group_documents([r.identity for r in read])

        run_id = None
        already: set[str] = set()
        if ledger is not None:
            params = _run_params(options, inputs)
            params_key = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()
            run_id = ledger.resumable_run(params_key) if resume else None
            if run_id is not None:
                already = ledger.products_done(run_id)
            else:
                run_id = ledger.start_run("audit", params, params_key, recorded_at)
            for f in failures:
                ledger.record_file_error(run_id, f.path, f.message)

        keyed = [(product_key(g), [by_key[d.key] for d in g]) for g in groups]
        todo = [(k, g) for k, g in keyed if k not in already]
        products: list[ProductAudit | None] = [None] * len(todo)

        def finish(i: int, outcome: tuple[Report, tuple[StoredDocument, ...]]) -> None:
            key = todo[i][0]
            report, stored = outcome
            products[i] = ProductAudit(key=key, report=report, stored=stored)
            if ledger is not None and run_id is not None:
                ledger.record(
                    run_id,
                    product_key=key,
                    report=report,
                    documents=stored,
                    recorded_at=recorded_at,
                )

        linked = [i for i, (_, g) in enumerate(todo) if len(g) > 1]
        for i, (_, g) in enumerate(todo):
            if len(g) == 1:
                finish(i, g[0].alone)
        tasks = [
            (
                [r.source for r in todo[i][1]],
                [r.document for r in todo[i][1]] if keep else None,
                store,
                executor.scan_options_arg,
            )
            for i in linked
        ]
        for done, (t, outcome) in enumerate(executor.run(_audit_group, tasks), start=1):
            if isinstance(outcome, InputFailure):
                failures.append(outcome)
            else:
                finish(linked[t], outcome)
            if progress:
                progress("linked", done, len(tasks))
        if ledger is not None and run_id is not None:
            ledger.finish_run(run_id, recorded_at)
    finally:
        executor.close()
    return AuditResult(
        products=tuple(p for p in products if p is not None),
        failures=tuple(sorted(failures, key=lambda f: f.path)),
        resumed=len(keyed) - len(todo),
        run_id=run_id,
    )


def _run_params(options: AuditOptions, inputs: Sequence[str | Path]) -> dict[str, Any]:
    scan = options.scan
    return {
        "as_of": scan.as_of.isoformat(),
        "profile": scan.profile,
        "tool_version": __version__,
        "catalogue": scan.catalogue.data_version.sha256,
        "rules": scan.rules.data_version.sha256,
        "waivers": [w.to_dict() for w in scan.waivers],
        "inputs": sorted(str(Path(i).resolve()) for i in inputs),
    }
