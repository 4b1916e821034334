"""The cyclic garbage collector: off where sbomcheck owns the process, restored for a host.

No timing here (docs/performance.md has the figures): these tests check who turns the
collector off, that it is given back as it was found, and that no pass of it walks a model
the library has just built (the cost the pauses exist to avoid).
"""

from __future__ import annotations

import datetime
import gc
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import sbomcheck._gc
import sbomcheck.cli.inspect
import sbomcheck.ingest.sources
from sbomcheck._gc import collect_between_documents, gc_paused
from sbomcheck.audit import runner
from sbomcheck.audit.runner import AuditOptions, run_audit
from sbomcheck.cli import console_main, main
from sbomcheck.graph import ComponentGraph
from sbomcheck.identify import load_catalogue
from sbomcheck.ingest import load
from sbomcheck.ingest.sources import list_sources
from sbomcheck.model import Component
from sbomcheck.policy import load_rules
from sbomcheck.scan import ScanOptions, scan, scan_documents
from tests.conftest import ROOT

SAMPLE = ROOT / "samples" / "sdk-three-levels.spdx.json"
LINKED = ROOT / "samples" / "linked"


@pytest.fixture(scope="module")
def options() -> ScanOptions:
    return ScanOptions(
        as_of=datetime.date(2026, 1, 15), catalogue=load_catalogue(), rules=load_rules()
    )


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    """Each test starts with the collector on, as a host has it, and leaves it on."""
    gc.enable()
    yield
    gc.enable()


class _Passes:
    """Every collector pass while installed: its generation and whether its young
    generation held an object of one of the watched types when it started."""

    def __init__(self, *watched: type) -> None:
        self.watched = watched
        self.passes: list[tuple[int, bool]] = []

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            young = gc.get_objects(generation=0)
            self.passes.append(
                (info["generation"], any(isinstance(o, self.watched) for o in young))
            )

    def __enter__(self) -> _Passes:
        gc.collect()  # NOTE: garbage of earlier tests out of the way
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self)

    @property
    def walked_watched(self) -> bool:
        return any(saw for _, saw in self.passes)


def test_pause_restores_the_state_it_found() -> None:
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    with gc_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_library_scan_restores_the_collector_without_a_pass_over_the_model(
    options: ScanOptions,
) -> None:
    with _Passes(Component) as passes:
        report = scan([SAMPLE], options)
        gc.collect(0)  # NOTE: the pass a host's next allocations would start
    assert gc.isenabled()
    assert report.findings
    assert passes.passes, "the explicit pass was seen"
    assert not passes.walked_watched


def test_scan_documents_frees_its_graph_before_the_collector_resumes(
    options: ScanOptions,
) -> None:
    documents = [load(p) for p in sorted(LINKED.iterdir())]
    threshold = gc.get_threshold()
    gc.set_threshold(1, *threshold[1:])  # NOTE: a pass at the first allocation it may start
    try:
        with _Passes(ComponentGraph) as passes:
            scan_documents(documents, options)
            gc.collect(0)
    finally:
        gc.set_threshold(*threshold)
    assert gc.isenabled()
    assert len(passes.passes) > 1, "a pass as soon as the collector was back on"
    assert not passes.walked_watched


def test_a_command_runs_with_the_collector_off_and_gives_it_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[bool] = []
    real: Callable[[Any], int] = sbomcheck.cli.inspect.run

    def spy(args: Any) -> int:
        seen.append(gc.isenabled())
        return real(args)

    monkeypatch.setattr(sbomcheck.cli.inspect, "run", spy)
    assert main(["inspect", str(SAMPLE), "-o", os.devnull]) == 0
    assert seen == [False]
    assert gc.isenabled()
    assert main(["inspect", str(ROOT / "no-such-file.json")]) == 2
    assert gc.isenabled()


def test_the_console_script_leaves_the_collector_off_until_exit(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["sbomcheck", "--version"])
    with pytest.raises(SystemExit):
        console_main()
    assert "sbomcheck" in capsys.readouterr().out
    assert not gc.isenabled()


class _Cyclic:
    """An object in a reference cycle with itself, that a weak reference can watch."""

    __slots__ = ("me", "__weakref__")

    def __init__(self) -> None:
        self.me = self


def test_collect_between_documents_frees_cycles_only_past_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import weakref

    monkeypatch.setattr(sbomcheck._gc, "YOUNG_LIMIT", 1_000)
    gc.disable()
    gc.collect()
    few = [weakref.ref(_Cyclic()) for _ in range(10)]
    collect_between_documents()
    assert all(r() is not None for r in few), "below the limit: no pass"
    many = [weakref.ref(_Cyclic()) for _ in range(2_000)]
    collect_between_documents()
    assert all(r() is None for r in few + many)
    assert not gc.isenabled()


def test_collect_between_documents_leaves_a_running_collector_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sbomcheck._gc, "YOUNG_LIMIT", 0)
    with _Passes() as passes:
        collect_between_documents()
    assert passes.passes == []


def test_in_process_audit_reads_with_the_collector_off_and_never_walks_kept_documents(
    options: ScanOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    # NOTE: a limit of 0 would start a pass before every document, were one ever started
    # in this process: the documents it keeps are alive, and a pass would walk them all.
    monkeypatch.setattr(sbomcheck._gc, "YOUNG_LIMIT", 0)
    seen: list[bool] = []
    real = sbomcheck.ingest.sources.load_source

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(sbomcheck.ingest.sources, "load_source", spy)
    with _Passes(Component) as passes:
        result = run_audit([LINKED, SAMPLE], AuditOptions(scan=options, jobs=1))
    assert len(result.products) == 3  # two linked products in LINKED, and SAMPLE
    assert seen and not any(seen)
    assert not passes.walked_watched
    assert gc.isenabled()


def test_a_pool_worker_frees_cycles_before_each_document_it_reads(
    options: ScanOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sbomcheck._gc, "YOUNG_LIMIT", 0)
    (source,), _ = list_sources([SAMPLE])
    gc.disable()  # NOTE: as `_collector_off_for_life` leaves a worker
    with _Passes(Component) as passes:
        runner._read_one(source, False, False, options)
        runner._read_one(source, False, False, options)
    assert [g for g, _ in passes.passes] == [0, 0]
    assert not passes.walked_watched, "each pass ran before its document was read"


def test_a_pool_worker_keeps_the_collector_off() -> None:
    code = (
        "import gc, os; from sbomcheck.audit import runner; "
        "runner._init_worker(None, os.getpid()); print(gc.isenabled())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert out.strip() == "False"
