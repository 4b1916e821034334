"""Batch audits end to end: grouping, failures, ledger, resume, recheck, executors, CLI."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from sbomcheck.audit.ledger import Ledger
from sbomcheck.audit.recheck import recheck
from sbomcheck.audit.render import audit_to_dict, render
from sbomcheck.audit.runner import (
    AuditOptions,
    group_documents,
    identity_of,
    product_key,
    run_audit,
)
from sbomcheck.cli import main
from sbomcheck.model import Document, ExternalDocumentRef, Format
from tests.audit.helpers import decided

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import generate


def _options(as_of: dt.date, profile: str = "vendor", jobs: int | None = 1) -> AuditOptions:
    from sbomcheck.identify import load_catalogue
    from sbomcheck.policy import load_rules
    from sbomcheck.scan import ScanOptions

    scan = ScanOptions(as_of=as_of, profile=profile, catalogue=load_catalogue(), rules=load_rules())
    return AuditOptions(scan=scan, jobs=jobs)


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """Three readable SBOMs in three formats (two carry a Kaspersky SDK) and one broken file."""
    root = tmp_path / "vendor-sboms"
    generate("cyclonedx-json", 300, root / "alpha.cdx.json", kaspersky=1)
    generate("spdx-tv", 300, root / "nested" / "beta.spdx", kaspersky=0)
    generate("spdx-json", 300, root / "gamma.spdx.json", kaspersky=2)
    (root / "broken.cdx.json").write_text('{"bomFormat": "CycloneDX", "components": [')
    return root


def _doc(
    key: str, *, serial: str | None = None, namespace: str | None = None, refs: tuple[str, ...] = ()
) -> Document:
    return Document(
        key=key,
        path=key,
        sha256=key * 4,
        format=Format.CYCLONEDX_JSON,
        spec_version="1.6",
        serial_number=serial,
        version=1 if serial else None,
        namespace=namespace,
        external_refs=tuple(
            ExternalDocumentRef(id=r, uri=r, kind="cyclonedx-bom-link") for r in refs
        ),
    )


def test_documents_that_reference_each_other_form_one_product_with_the_product_first() -> None:
    vendor = _doc("vendor", serial="urn:uuid:1111")
    spdx_vendor = _doc("spdx-vendor", namespace="https://example.org/spdx/v1")
    lone = _doc("lone", serial="urn:uuid:3333")
    product = _doc("product", refs=("urn:cdx:1111/1#engine", "https://example.org/spdx/v1"))
    groups = group_documents([identity_of(d) for d in (vendor, lone, product, spdx_vendor)])
    assert [[d.key for d in g] for g in groups] == [["product", "vendor", "spdx-vendor"], ["lone"]]


def test_product_key_ignores_order_and_paths() -> None:
    a, b = identity_of(_doc("a")), identity_of(_doc("b"))
    assert product_key([a, b]) == product_key([b, a]) != product_key([a])


def test_batch_reads_formats_reports_unreadable_and_decides_each_product(batch: Path) -> None:
    result = run_audit([batch], _options(dt.date(2026, 1, 15)))
    by_name = {Path(p.report.documents[0].path).name: p.report for p in decided(result)}
    assert set(by_name) == {"alpha.cdx.json", "beta.spdx", "gamma.spdx.json"}
    assert by_name["alpha.cdx.json"].verdict.value == "fail"
    assert len(by_name["gamma.spdx.json"].findings) == 2
    assert not by_name["beta.spdx"].findings
    assert [f.path.endswith("broken.cdx.json") for f in result.failures] == [True]
    assert "invalid JSON" in result.failures[0].message
    summary = result.summary()
    assert summary["products"] == 3 and summary["unreadable"] == 1 and summary["findings"] == 3


def test_process_pool_gives_the_same_answer_as_one_process(batch: Path) -> None:
    serial = run_audit([batch], _options(dt.date(2026, 1, 15), jobs=1))
    pooled = run_audit([batch], _options(dt.date(2026, 1, 15), jobs=2))
    as_of, profile = "2026-01-15", "vendor"
    assert audit_to_dict(serial, as_of=as_of, profile=profile) == audit_to_dict(
        pooled, as_of=as_of, profile=profile
    )


def test_ledger_records_every_audit_and_history_finds_a_product(
    batch: Path, tmp_path: Path
) -> None:
    db = tmp_path / "ledger.db"
    with Ledger(db) as ledger:
        result = run_audit(
            [batch],
            _options(dt.date(2026, 1, 15)),
            ledger=ledger,
            recorded_at="2026-01-15T10:00:00+00:00",
        )
        records = ledger.history()
        assert len(records) == 3
        alpha = next(r for r in records if r.path.endswith("alpha.cdx.json"))
        assert alpha.verdict == "fail" and alpha.findings == 1 and alpha.kind == "audit"
        assert ledger.history(alpha.sha256) == [alpha]
        assert next(p for p in decided(result) if p.key == alpha.product_key).stored
        assert list(ledger.file_errors(alpha.run_id))[0][0].endswith("broken.cdx.json")


def test_killed_batch_is_resumed_without_redoing_recorded_products(
    batch: Path, tmp_path: Path
) -> None:
    db = tmp_path / "ledger.db"
    options = _options(dt.date(2026, 1, 15))
    with Ledger(db) as ledger:
        first = run_audit([batch], options, ledger=ledger, recorded_at="t1")
        # Simulate a kill after the first product: forget the rest and the finish mark.
        ledger._conn.execute("DELETE FROM audit_documents WHERE audit_id > 1")
        ledger._conn.execute("DELETE FROM audits WHERE id > 1")
        ledger._conn.execute("UPDATE runs SET finished_at = NULL")
        resumed = run_audit([batch], options, ledger=ledger, recorded_at="t2", resume=True)
        assert resumed.run_id == first.run_id
        assert resumed.resumed == 1 and len(resumed.products) == 3
        assert len(ledger.history()) == 3
        assert resumed.run_id is not None
        ledger.finish_run(resumed.run_id, "t2-end")
        again = run_audit([batch], options, ledger=ledger, recorded_at="t3", resume=True)
        assert again.run_id != first.run_id  # the resumed run finished; nothing to resume


def test_recheck_sees_a_milestone_come_into_force_without_the_files(
    batch: Path, tmp_path: Path
) -> None:
    db = tmp_path / "ledger.db"
    with Ledger(db) as ledger:
        run_audit([batch], _options(dt.date(2024, 7, 1)), ledger=ledger, recorded_at="t1")
    for f in batch.rglob("*"):
        if f.is_file():
            f.unlink()
    later = _options(dt.date(2024, 10, 1)).scan
    with Ledger(db) as ledger:
        changes = recheck(ledger, later, recorded_at="t2").changes
        assert len(ledger.history()) == 6
    alpha = next(c for c in changes if c.path.endswith("alpha.cdx.json"))
    assert alpha.previous_verdict == "warn" and alpha.verdict == "fail"
    assert any("upcoming -> in-force" in s for s in alpha.status_changes)
    assert "date 2024-07-01 -> 2024-10-01" in alpha.data_changes
    beta = next(c for c in changes if c.path.endswith("beta.spdx"))
    assert not beta.changed


def test_recheck_applies_a_new_alias_row_to_stored_inventories(tmp_path: Path) -> None:
    from sbomcheck.identify import load_catalogue

    sbom = tmp_path / "clean.cdx.json"
    generate("cyclonedx-json", 50, sbom)
    db = tmp_path / "ledger.db"
    with Ledger(db) as ledger:
        run_audit([sbom], _options(dt.date(2026, 1, 15)), ledger=ledger, recorded_at="t1")
    extra = tmp_path / "extra.csv"
    header = (
        (Path(__file__).resolve().parents[2] / "data" / "vendor_aliases.csv")
        .read_text(encoding="utf-8")
        .splitlines()[0]
    )
    columns = header.split(",")
    row = dict.fromkeys(columns, "")
    row.update(
        alias="Example Supplier 7 Ltd",
        kind="oem_brand",
        canonical="Kaspersky Anti-Virus Engine",
        vendor="Example Supplier 7",
        confidence="reported",
        product_class="security",
        weak="no",
        source_url="https://example.org/evidence",
        note="test row",
    )
    extra.write_text(
        header + "\n" + ",".join(row.get(c, "") for c in columns) + "\n", encoding="utf-8"
    )
    scan = _options(dt.date(2026, 1, 15)).scan
    from dataclasses import replace

    scan = replace(scan, catalogue=load_catalogue(extra))
    with Ledger(db) as ledger:
        (change,) = recheck(ledger, scan, recorded_at="t2").changes
    assert change.new_findings and "alias catalogue changed" in change.data_changes


def test_cli_audit_exit_codes_and_json_shape(
    batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "audit.json"
    code = main(
        [
            "audit",
            str(batch),
            "--as-of",
            "2026-01-15",
            "--jobs",
            "1",
            "--format",
            "json",
            "-o",
            str(out),
            "--db",
            str(tmp_path / "l.db"),
        ]
    )
    assert code == 1
    data = json.loads(out.read_text())
    assert set(data) >= {"sboms", "summary", "unreadable"}
    assert {"path", "verdict", "findings", "format", "product", "supplier", "completeness"} <= set(
        data["sboms"][0]
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "junk.json").write_text("{}")
    assert main(["audit", str(empty), "--jobs", "1"]) == 2
    capsys.readouterr()
    assert main(["history", "--db", str(tmp_path / "l.db"), "--format", "json"]) == 0
    history = json.loads(capsys.readouterr().out)
    assert len(history["audits"]) == 3


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_every_audit_format_names_each_product_and_escapes(batch: Path, fmt: str) -> None:
    result = run_audit([batch], _options(dt.date(2026, 1, 15)))
    text = render(result, fmt, as_of="2026-01-15", profile="vendor")
    if fmt == "html":
        text = text.replace("<wbr>", "")  # line-break opportunities inside long paths
    for p in decided(result):
        assert Path(p.report.documents[0].path).name in text
    assert "broken.cdx.json" in text
    if fmt == "html":
        assert "<script" not in text and "Vendor:" in text


def test_dask_local_cluster_runs_the_same_audit(batch: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        options = _options(dt.date(2026, 1, 15))
        dask_options = AuditOptions(
            scan=options.scan, executor="dask", scheduler=cluster.scheduler_address
        )
        via_dask = run_audit([batch], dask_options)
    local = run_audit([batch], options)
    kw = {"as_of": "2026-01-15", "profile": "vendor"}
    assert audit_to_dict(via_dask, **kw) == audit_to_dict(local, **kw)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_product_and_its_linked_vendor_sboms_are_audited_as_one_product(jobs: int) -> None:
    samples = Path(__file__).resolve().parents[2] / "samples" / "linked"
    result = run_audit([samples], _options(dt.date(2026, 1, 15), jobs=jobs))
    products = {Path(p.report.documents[0].path).name: p.report for p in decided(result)}
    assert set(products) == {"product.cdx.json", "product.spdx.json"}
    cdx = products["product.cdx.json"]
    assert [Path(d.path).name for d in cdx.documents] == [
        "product.cdx.json",
        "vendor-threat-module.cdx.json",
    ]
    (finding,) = cdx.findings
    assert finding.component.name == "Kaspersky Scan Engine"
    assert finding.paths[0][0] == "acme-edge-firewall" and not cdx.unresolved_references
    assert cdx.verdict.value == "fail" and products["product.spdx.json"].verdict.value == "fail"


def test_the_same_linked_pair_twice_gives_two_products_each_with_its_own_vendor(
    tmp_path: Path,
) -> None:
    import shutil
    import zipfile

    samples = Path(__file__).resolve().parents[2] / "samples" / "linked"
    files = ["product.cdx.json", "vendor-threat-module.cdx.json"]
    folder = tmp_path / "batch"
    folder.mkdir()
    for name in files:
        shutil.copy(samples / name, folder / name)
    with zipfile.ZipFile(folder / "again.zip", "w") as z:
        for name in files:
            z.write(samples / name, name)
    result = run_audit([folder], _options(dt.date(2026, 1, 15)))
    groups = sorted(tuple(d.path for d in p.report.documents) for p in decided(result))
    assert len(groups) == 2
    for group in groups:
        containers = {p.rsplit("!", 1)[0] if "!" in p else str(Path(p).parent) for p in group}
        assert len(group) == 2 and len(containers) == 1, group
