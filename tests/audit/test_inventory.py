"""The ledger's inventory: a Document to stored bytes and back, the whole model, nothing else;
both encodings (version 2, written now, and version 1, written before and still read)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import zlib
from pathlib import Path

import pytest

from sbomcheck.audit.inventory import (
    INVENTORY_VERSION,
    SOURCE_VERSION,
    decode_inventory,
    document_from_dict,
    document_to_dict,
    encode_inventory,
)
from sbomcheck.audit.ledger import Ledger, StoredDocument, report_text
from sbomcheck.errors import LedgerError, SbomcheckError
from sbomcheck.ingest import load
from sbomcheck.model import Component, Document, Format, Hash, LazyComponents, Party, Pedigree
from tests.conftest import SAMPLES

SAMPLE_FILES = sorted(p for p in SAMPLES.rglob("*") if p.is_file() and p.name != "README.md")


def _through_json(doc: Document) -> Document:
    """Version 1, as sbomcheck wrote it before ledger schema version 3."""
    return document_from_dict(json.loads(json.dumps(document_to_dict(doc))))


def _through_the_ledger_encoding(doc: Document) -> Document:
    version, blob = encode_inventory(doc)
    lazy = isinstance(doc.components, LazyComponents)
    assert version == (SOURCE_VERSION if lazy else INVENTORY_VERSION)
    return decode_inventory(version, blob)


def _version_1_blob(doc: Document) -> bytes:
    """What sbomcheck stored before ledger schema version 3 (its `StoredDocument.of`)."""
    return zlib.compress(json.dumps(document_to_dict(doc)).encode(), 6)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: str(p.relative_to(SAMPLES)))
def test_every_sample_survives_the_round_trip(path: Path) -> None:
    doc = load(path)
    assert _through_the_ledger_encoding(doc) == doc
    assert _through_json(doc) == doc
    assert decode_inventory(1, _version_1_blob(doc)) == doc


@pytest.mark.corpus
@pytest.mark.slow
def test_every_readable_corpus_file_survives_the_round_trip(corpus: Path) -> None:
    read = 0
    for path in sorted(p for p in corpus.rglob("*") if p.is_file()):
        try:
            doc = load(path)
        except SbomcheckError:
            continue  # NOTE: the corpus holds refused files too; they have no inventory
        assert _through_the_ledger_encoding(doc) == doc, path
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


def test_version_1_leaves_defaults_out_and_writes_enums_as_values() -> None:
    data = document_to_dict(_DOC)
    assert data["format"] == "cyclonedx-json" and data["inventory_version"] == 1
    assert "serial_number" not in data and "relationships" not in data
    (component,) = data["components"]
    assert component["supplier"] == {"name": "AO Kaspersky Lab"}
    assert component["pedigree"] == {
        "ancestors": [{"ref": "up", "document": "a", "location": "/x"}]
    }
    assert list(component)[:3] == ["ref", "document", "location"]  # field order
    assert _through_json(_DOC) == _DOC


def test_version_2_writes_every_field_and_decodes_to_the_same_document() -> None:
    version, blob = encode_inventory(_DOC)
    data = json.loads(zlib.decompress(blob))
    assert version == 2 and data["format"] == "cyclonedx-json"
    assert data["serial_number"] is None and data["relationships"] == []  # every field
    assert list(data["components"][0])[:3] == ["ref", "document", "location"]  # field order
    assert decode_inventory(version, blob) == _DOC


def test_a_foreign_inventory_version_is_refused() -> None:
    data = {**document_to_dict(_DOC), "inventory_version": 2}
    with pytest.raises(LedgerError, match="inventory version 2 is not supported"):
        document_from_dict(data)
    _version, blob = encode_inventory(_DOC)
    with pytest.raises(LedgerError, match="inventory version 4 is not supported"):
        decode_inventory(4, blob)


@pytest.mark.parametrize(
    ("version", "blob", "message"),
    [
        (2, b"not zlib", "inventory version 2: not zlib data"),
        (2, zlib.compress(b'{"key": "k"}'), "inventory version 2: not a whole document"),
        (2, zlib.compress(b"[1, 2"), "inventory version 2: not a whole document"),
        (1, zlib.compress(b"{"), "inventory version 1: not JSON"),
        (1, zlib.compress(b"[]"), "inventory version 1: not a JSON object"),
        (1, zlib.compress(b'{"inventory_version": 1}'), "inventory version 1: not a whole"),
        (3, zlib.compress(b"{}"), "inventory version 3: no header naming the document"),
        (3, zlib.compress(b"[1]\n{}"), "inventory version 3: no header naming the document"),
        (
            3,
            zlib.compress(
                b'{"key": "k", "path": "p", "sha256": "", "sha1": "", "gzip": false}\n{}'
            ),
            "inventory version 3: the stored text no longer reads",
        ),
    ],
)
def test_damaged_inventories_are_refused_in_one_line(
    version: int, blob: bytes, message: str
) -> None:
    with pytest.raises(LedgerError, match=message) as caught:
        decode_inventory(version, blob)
    assert "\n" not in str(caught.value)


def test_text_msgspec_cannot_write_is_stored_as_version_1_and_read_back() -> None:
    # NOTE: no reader produces a lone surrogate (each refuses it); a Document made by hand can.
    doc = dataclasses.replace(_DOC, name="half \ud800 a pair")
    version, blob = encode_inventory(doc)
    assert version == 1
    assert decode_inventory(version, blob) == doc


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
        assert ledger.report_of(audit) == report.to_dict()


@pytest.mark.parametrize(
    "data",
    [
        {"b": [1, 2.5, None, True], "a": {"z": "Лаборатория Касперского", "y": "\u2028"}},
        {"big": 2**70, "b": 1},  # NOTE: past orjson's 64 bits: written by json
        {"half": "\ud800", "b": 1},  # NOTE: a lone surrogate: written by json
    ],
)
def test_the_stored_report_text_reads_back_as_the_same_data_keys_sorted(
    data: dict[str, object],
) -> None:
    text = report_text(data)
    assert json.loads(text) == data
    assert list(json.loads(text)) == sorted(data)


# -- ledgers written by the previous version (schema 2, version 1 inventories) -----------


def _audit_samples(db: Path, out: Path) -> int:
    from sbomcheck.cli import main

    return main(
        [
            "audit",
            str(SAMPLES),
            "--db",
            str(db),
            "--as-of",
            "2026-01-15",
            "--jobs",
            "1",
            "--format",
            "json",
            "-o",
            str(out),
        ]
    )


def _recheck(db: Path, out: Path) -> int:
    from sbomcheck.cli import main

    return main(
        ["recheck", "--db", str(db), "--as-of", "2027-06-01", "--format", "json", "-o", str(out)]
    )


def _as_the_previous_version_wrote_it(db: Path) -> None:
    """Turn a ledger into the one sbomcheck wrote before schema version 3: the same tables
    without `inventories.inventory_version`, every inventory in the version 1 form."""
    import sqlite3

    conn = sqlite3.connect(db, isolation_level=None)
    try:
        rows = conn.execute("SELECT sha256, inventory, inventory_version FROM inventories")
        for sha256, blob, version in rows.fetchall():
            old = _version_1_blob(decode_inventory(version, blob))
            conn.execute("UPDATE inventories SET inventory=? WHERE sha256=?", (old, sha256))
        conn.execute("ALTER TABLE inventories DROP COLUMN inventory_version")
        conn.execute("UPDATE meta SET value='2' WHERE key='schema_version'")
    finally:
        conn.close()


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_recheck_reads_a_ledger_the_previous_version_wrote(tmp_path: Path) -> None:
    new, old = tmp_path / "new.db", tmp_path / "old.db"
    assert _audit_samples(new, tmp_path / "a1.json") == _audit_samples(old, tmp_path / "a2.json")
    _as_the_previous_version_wrote_it(old)
    assert _rows(old, "SELECT value FROM meta WHERE key='schema_version'") == [("2",)]
    # The samples read in two tiers are stored as their text (3), the others as the model (2).
    assert sorted(_rows(new, "SELECT DISTINCT inventory_version FROM inventories")) == [
        (2,),
        (3,),
    ]

    new_code = _recheck(new, tmp_path / "r1.json")
    assert _recheck(old, tmp_path / "r2.json") == new_code
    assert (
        json.loads((tmp_path / "r2.json").read_text())["products"]
        == json.loads((tmp_path / "r1.json").read_text())["products"]
    )
    # Migrated in place; its inventories are kept as they were written, and still read.
    assert _rows(old, "SELECT value FROM meta WHERE key='schema_version'") == [("3",)]
    assert _rows(old, "SELECT DISTINCT inventory_version FROM inventories") == [(1,)]
    with Ledger(old, readonly=True) as ledger:
        for record in ledger.latest_per_product():
            assert ledger.documents_of(record.id)


def test_a_schema_2_ledger_read_only_gives_back_its_documents(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    _audit_samples(db, tmp_path / "a.json")
    _as_the_previous_version_wrote_it(db)
    with Ledger(db, readonly=True) as ledger:
        record = ledger.history()[0]
        (doc,) = ledger.documents_of(record.id)
    assert doc == load(record.path)
    assert _rows(db, "SELECT value FROM meta WHERE key='schema_version'") == [("2",)]


@pytest.mark.parametrize(
    ("update", "message"),
    [
        (
            "inventory_version=9",
            "inventory version 9 is not supported (this sbomcheck reads 1, 2, 3)",
        ),
        ("inventory=x'00ff'", "inventory version 3: not zlib data"),
    ],
)
def test_recheck_of_an_inventory_it_cannot_read_exits_2_naming_ledger_and_audit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], update: str, message: str
) -> None:
    import sqlite3

    db = tmp_path / "ledger.db"
    sbom = SAMPLES / "clean-product.cdx.json"
    from sbomcheck.cli import main

    main(
        [
            "audit",
            str(sbom),
            "--db",
            str(db),
            "--as-of",
            "2026-01-15",
            "--jobs",
            "1",
            "-o",
            str(tmp_path / "a"),
        ]
    )
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute(f"UPDATE inventories SET {update}")  # NOTE: test data, not user input
    conn.close()
    capsys.readouterr()
    assert _recheck(db, tmp_path / "r.json") == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.startswith(f"sbomcheck: error: {db}: audit 1 ({sbom}): ")
    assert message in err


def test_a_document_read_in_two_tiers_is_stored_as_its_text_and_read_again(
    tmp_path: Path,
) -> None:
    import gzip

    text = (SAMPLES / "direct-dependency.cdx.json").read_bytes()
    path = tmp_path / "vendor.cdx.json.gz"
    path.write_bytes(gzip.compress(text))
    doc = load(path)
    assert isinstance(doc.components, LazyComponents) and doc.gzip
    version, blob = encode_inventory(doc)
    header, _, stored = zlib.decompress(blob).partition(b"\n")
    assert version == SOURCE_VERSION and stored == text
    assert json.loads(header)["sha256"] == doc.sha256  # of the gzip file, as given
    again = decode_inventory(version, blob)
    assert again == doc and again.gzip and again.sha1 == doc.sha1


def test_an_inventory_is_read_back_bounded_and_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    from sbomcheck.audit import inventory

    version, blob = encode_inventory(_DOC)
    with pytest.raises(LedgerError, match="inventory version 2: not zlib data \\(truncated\\)"):
        decode_inventory(version, blob[:-8])
    monkeypatch.setattr(inventory, "_MAX_INFLATED", 64)
    with pytest.raises(LedgerError, match="inventory version 2: larger than 64 bytes"):
        decode_inventory(version, blob)
