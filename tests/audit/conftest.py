"""Batches and helpers for the fail-closed audit tests: linked pairs, ledgers, processes."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import generate as generate

AS_OF = "2026-01-15"


def sbomcheck_argv(*args: str) -> list[str]:
    """The command line that runs sbomcheck in a child process."""
    return [sys.executable, "-m", "sbomcheck", *args]


def linked_pair(root: Path, i: int, n: int) -> None:
    """A product SBOM (`p-i`) whose first component links a vendor SBOM (`v-i`): one product
    the batch scans in its second phase. Sizes differ per i, so every file is distinct."""
    product = generate("cyclonedx-json", n, root / f"p-{i:03d}.cdx.json")
    vendor = generate("cyclonedx-json", n + 1, root / f"v-{i:03d}.cdx.json")
    serial = str(uuid.uuid5(uuid.NAMESPACE_URL, f"vendor-{i}"))
    data = json.loads(vendor.read_text())
    data["serialNumber"] = f"urn:uuid:{serial}"
    vendor.write_text(json.dumps(data))
    data = json.loads(product.read_text())
    data["serialNumber"] = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'product-{i}')}"
    data["components"][0].setdefault("externalReferences", []).append(
        {"type": "bom", "url": f"urn:cdx:{serial}/1"}
    )
    product.write_text(json.dumps(data))


@pytest.fixture(scope="session")
def long_batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A failing SBOM first, then 10 passing ones and 24 linked products: the failing one is
    recorded right after the reading phase, the linked products take a while after it."""
    root = tmp_path_factory.mktemp("long") / "batch"
    generate("cyclonedx-json", 40, root / "a-failing.cdx.json", kaspersky=1)
    for i in range(10):
        generate("cyclonedx-json", 60 + i, root / f"b-{i:03d}.cdx.json")
    for i in range(24):
        linked_pair(root, i, 300 + 2 * i)
    return root


@pytest.fixture
def one_failing(tmp_path: Path) -> Path:
    """One failing SBOM and three passing ones."""
    root = tmp_path / "batch"
    generate("cyclonedx-json", 30, root / "a-failing.cdx.json", kaspersky=1)
    for i in range(3):
        generate("spdx-json", 40 + i, root / f"b-{i}.spdx.json")
    (root / "c-broken.cdx.json").write_text('{"bomFormat": "CycloneDX", "components": [')
    return root


def query(db: Path, sql: str, *args: object) -> list[tuple[Any, ...]]:
    """Rows from the ledger, read-only (the test never changes what it checks)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def interrupt_after_first_product(db: Path, keep_path_part: str) -> int:
    """Make the ledger's last run look killed after recording one product: drop its other
    audits and the finish mark (what a kill -9 leaves). Returns the run id."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        (run_id,) = conn.execute("SELECT MAX(id) FROM runs").fetchone()
        keep = conn.execute(
            "SELECT id FROM audits WHERE run_id=? AND path LIKE ?",
            (run_id, f"%{keep_path_part}%"),
        ).fetchall()
        assert len(keep) == 1
        conn.execute(
            "DELETE FROM audit_documents WHERE audit_id IN "
            "(SELECT id FROM audits WHERE run_id=? AND id != ?)",
            (run_id, keep[0][0]),
        )
        conn.execute("DELETE FROM audits WHERE run_id=? AND id != ?", (run_id, keep[0][0]))
        conn.execute("UPDATE runs SET finished_at=NULL WHERE id=?", (run_id,))
        return int(run_id)
    finally:
        conn.close()


def unprivileged(argv: list[str]) -> list[str]:
    """`argv` run so that file permissions bind: as is for a normal user; as root, with the
    capabilities that override them dropped (setpriv), or the test is skipped."""
    if os.geteuid() != 0:
        return argv
    setpriv = shutil.which("setpriv")
    drop = "--bounding-set=-dac_override,-dac_read_search,-fowner"
    if setpriv is None or subprocess.run([setpriv, drop, "true"], check=False).returncode:
        pytest.skip("running as root, and setpriv cannot drop CAP_DAC_OVERRIDE here")
    return [setpriv, drop, *argv]
