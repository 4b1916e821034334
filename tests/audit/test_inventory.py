"""The ledger's inventory: a Document to JSON data and back, the whole model, nothing else."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sbomcheck.audit.inventory import INVENTORY_VERSION, document_from_dict, document_to_dict
from sbomcheck.audit.ledger import Ledger, StoredDocument
from sbomcheck.errors import LedgerError, SbomcheckError
from sbomcheck.ingest import load
from sbomcheck.model import Component, Document, Format, Hash, Party, Pedigree
from tests.conftest import SAMPLES

SAMPLE_FILES = sorted(p for p in SAMPLES.rglob("*") if p.is_file() and p.name != "README.md")


def _through_json(doc: Document) -> Document:
    return document_from_dict(json.loads(json.dumps(document_to_dict(doc))))


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: str(p.relative_to(SAMPLES)))
def test_every_sample_survives_the_round_trip(path: Path) -> None:
    doc = load(path)
    assert _through_json(doc) == doc


@pytest.mark.corpus
@pytest.mark.slow
def test_every_readable_corpus_file_survives_the_round_trip(corpus: Path) -> None:
    read = 0
    for path in sorted(p for p in corpus.rglob("*") if p.is_file()):
        try:
            doc = load(path)
        except SbomcheckError:
            continue  # NOTE: the corpus holds refused files too; they have no inventory
        assert _through_json(doc) == doc, path
        read += 1
    assert read >= 20


_DOC = Document(
    key="k",
    path="a.cdx.json",
    sha256="0" * 64,
    format=Format.CYCLONEDX_JSON,
    spec_version="1.6",
    components=(
        Component(
            ref="c",
            document="a.cdx.json",
            location="/components/0",
            name="lib",
            hashes=(Hash(algorithm="SHA-256", value="ab"),),
            supplier=Party(name="AO Kaspersky Lab"),
            pedigree=Pedigree(ancestors=(Component(ref="up", document="a", location="/x"),)),
        ),
    ),
)


def test_defaults_are_left_out_and_enums_written_as_values() -> None:
    data = document_to_dict(_DOC)
    assert data["format"] == "cyclonedx-json" and data["inventory_version"] == INVENTORY_VERSION
    assert "serial_number" not in data and "relationships" not in data
    (component,) = data["components"]
    assert component["supplier"] == {"name": "AO Kaspersky Lab"}
    assert component["pedigree"] == {
        "ancestors": [{"ref": "up", "document": "a", "location": "/x"}]
    }
    assert list(component)[:3] == ["ref", "document", "location"]  # field order
    assert _through_json(_DOC) == _DOC


def test_a_foreign_inventory_version_is_refused() -> None:
    data = {**document_to_dict(_DOC), "inventory_version": INVENTORY_VERSION + 1}
    with pytest.raises(LedgerError, match="inventory version 2 is not supported"):
        document_from_dict(data)


def test_the_ledger_gives_back_the_whole_model(tmp_path: Path) -> None:
    import sbomcheck

    path = SAMPLES / "sdk-three-levels.spdx.json"
    doc = load(path)
    options = sbomcheck.ScanOptions(
        as_of=dt.date(2026, 1, 15),
        profile="vendor",
        catalogue=sbomcheck.load_catalogue(),
        rules=sbomcheck.load_rules(),
    )
    report = sbomcheck.scan_documents([doc], options)
    with Ledger(tmp_path / "ledger.db") as ledger:
        run = ledger.start_run("audit", {}, "key", "t0")
        audit = ledger.record(
            run,
            product_key="p",
            report=report,
            documents=[StoredDocument.of(doc)],
            recorded_at="t1",
            jurisdictions=(),
            model_year=None,
        )
        assert ledger.documents_of(audit) == [doc]  # from the inventory alone
