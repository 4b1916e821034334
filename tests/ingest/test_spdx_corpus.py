"""SPDX readers against the shared corpus: counts equal MANIFEST.csv, identities equal spdx-tools'."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from sbomcheck.errors import IngestError
from sbomcheck.ingest import load
from sbomcheck.model import Document
from tests.conftest import CORPUS, corpus_rows, require_corpus

pytestmark = pytest.mark.corpus

_SPDX_FORMATS = {"spdx-json", "spdx-tv", "spdx-rdf", "spdx-yaml", "spdx-xml", "spdx3-jsonld"}
_ROWS = [r for r in corpus_rows() if r["format"] in _SPDX_FORMATS]
_VALID = [r for r in _ROWS if not r["path"].startswith("invalid/")]

# NOTE: spdx-tools is the oracle but it is slow: its tag-value parser rebuilds the licence
# index for every licence field (11.6 s for 100 packages; 20-30 s for the 40 KB DocFest files, 6 minutes on the
# 1.2 MB sample)
# and its JSON parser needs about 5 s per 10,000 packages. The differential test covers
# every file it parses ("ok") up to these sizes, which keeps the module under a minute.
_MAX_REFERENCE_BYTES = {"spdx-tv": 20_000}
_MAX_REFERENCE_BYTES_DEFAULT = 1_000_000
_DIFFERENTIAL = [
    r
    for r in _VALID
    if r["reference_parse"] == "ok"
    and int(r["size_bytes"]) <= _MAX_REFERENCE_BYTES.get(r["format"], _MAX_REFERENCE_BYTES_DEFAULT)
]


def _ids(rows: list[dict[str, str]]) -> list[str]:
    return [r["path"] for r in rows]


@pytest.mark.parametrize("row", _VALID, ids=_ids(_VALID))
def test_counts_match_manifest(row: dict[str, str]) -> None:
    corpus = require_corpus()
    doc = load(corpus / row["path"])
    assert doc.format.value == row["format"]
    assert doc.spec_version == row["spec_version"]
    assert (doc.component_count, len(doc.files), doc.relationship_count) == (
        int(row["components"]),
        int(row["files"]),
        int(row["relationships"]),
    )
    # Every component and file keeps its document and a location to point at.
    assert all(c.document == doc.key and c.location for c in doc.all_elements())


def _reference_identities(path: Path) -> set[tuple[str, str, str | None, str | None]]:
    from spdx_tools.spdx.parser.parse_anything import parse_file

    logging.getLogger().setLevel(logging.ERROR)
    raw = path.read_bytes()
    encoding = "utf-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"
    document = parse_file(str(path), encoding=encoding)
    out = set()
    for p in document.packages:
        purls = [r.locator for r in p.external_references if r.reference_type == "purl"]
        version = p.version if isinstance(p.version, str) else None
        out.add((p.spdx_id, p.name, version, purls[0] if purls else None))
    return out


def _our_identities(doc: Document) -> set[tuple[str, str, str | None, str | None]]:
    return {(c.ref, c.name, c.version, c.purl) for c in doc.components}


@pytest.mark.parametrize("row", _DIFFERENTIAL, ids=_ids(_DIFFERENTIAL))
def test_package_identities_equal_spdx_tools(row: dict[str, str]) -> None:
    path = require_corpus() / row["path"]
    assert _our_identities(load(path)) == _reference_identities(path)


def test_differential_covers_every_serialisation() -> None:
    require_corpus()
    assert {r["format"] for r in _DIFFERENTIAL} == _SPDX_FORMATS - {"spdx3-jsonld"}


# ---- edge files named in the corpus README


def test_utf16_with_bom_reads_like_utf8() -> None:
    corpus = require_corpus()
    utf16 = load(corpus / "spdx/tools-python/SPDXJSONExample-UTF-16.spdx.json")
    utf8 = load(corpus / "spdx/spdx-spec/SPDXJSONExample-v2.2.spdx.json")
    assert _our_identities(utf16) == _our_identities(utf8)


def test_control_characters_are_kept_as_written() -> None:
    doc = load(require_corpus() / "spdx/tools-python/ControlCharacters.spdx.json")
    assert doc.creators == ("Person: Nisha \b\f K (nishak@vmware.com)",)
    assert (
        doc.components[0].copyright == "Copyright (c) 2009 The Go Authors. \b All rights reserved."
    )


def test_spdx_21_tag_value() -> None:
    doc = load(require_corpus() / "spdx/ntia-conformance-checker/real_world_spdx_sample_04.spdx")
    assert doc.spec_version == "2.1"
    # files after the package belong to it: one implicit CONTAINS per file
    (package,) = doc.components
    assert len(package.files) == len(doc.files) == 3236
    implicit = [r for r in doc.relationships if not r.explicit]
    assert {r.type for r in implicit} == {"contains"} and len(implicit) == 3236


def test_loop_is_kept_and_warned() -> None:
    doc = load(require_corpus() / "spdx/trustify/loop.spdx.json")
    assert [w.code for w in doc.warnings] == ["lenient-value", "cycle"]
    assert doc.warnings[1].message == (
        "relationship cycle among 3 elements: 'SPDXRef-A', 'SPDXRef-B', 'SPDXRef-C' (kept)"
    )
    assert doc.root_refs == ("SPDXRef-A",)


def test_large_red_hat_document() -> None:
    doc = load(require_corpus() / "spdx/trustify/openshift-container-storage-4.8.z.spdx.json")
    assert len({c.ref for c in doc.components}) == 7994
    types = {r.type for r in doc.relationships}
    assert {"contained-by", "package-of", "generates"} <= types
    assert {w.code for w in doc.warnings} == {"dangling-ref"}


def test_spdx3_roots_and_imports() -> None:
    doc = load(
        require_corpus() / "spdx/spdx-examples/example14-examplemaven-0.0.1-enriched.spdx3.json"
    )
    prefix = "http://spdx.org/documents/examplemaven-0.0.1/enriched-specv3/"
    assert doc.root_refs == (prefix + "SPDXRef-gnrtd4",)
    assert doc.namespace == prefix + "document0"
    (ext,) = doc.external_refs
    assert (ext.id, ext.uri, ext.kind) == (
        "http://spdx.org/documents/examplemaven-0.0.1#SPDXRef-DOCUMENT",
        "http://spdx.org/documents/examplemaven-0.0.1",
        "spdx3-external-map",
    )
    root = next(c for c in doc.components if c.ref == prefix + "SPDXRef-gnrtd4")
    assert (root.name, root.version, root.supplier is not None) == ("examplemaven", "0.0.1", True)


# ---- invalid/spdx: what we do with each file, and why (docs/readers-spdx.md)


def test_invalid_syft_redacted_is_read_with_warnings() -> None:
    # Timestamps and namespace replaced by "redacted", a purl "a-purl-1": the identities are
    # intact, so refusing the file would hide its packages from the scan. Read and warn.
    doc = load(require_corpus() / "invalid/spdx/syft__TestSPDXRelationshipOrder-redacted.spdx.json")
    assert doc.component_count == 3
    assert [(w.code, w.location) for w in doc.warnings] == [
        ("lenient-value", "creationInfo.created"),
        ("lenient-value", "packages[0].externalRefs[1]"),
    ]
    assert doc.components[0].purl is None
    assert doc.components[0].external_references[1].url == "a-purl-1"


def test_invalid_trivy_fluentd_is_read_with_warnings() -> None:
    # spdx-tools keeps it as invalid for a fractional-second timestamp and the unknown
    # relationship type DESCRIBE: both are read leniently and reported.
    doc = load(
        require_corpus()
        / "invalid/spdx/tools-python__spdx-trivy-vmware_log-intelligence-fluentd.spdx.json"
    )
    assert (doc.component_count, len(doc.files), doc.relationship_count) == (514, 91, 514)
    assert [w.code for w in doc.warnings] == ["unknown-relationship", "lenient-value"]
    assert doc.root_refs == ()  # DESCRIBE is not DESCRIBES: no root is guessed


def test_every_invalid_spdx_file_has_a_decision() -> None:
    corpus = require_corpus()
    files = sorted(p.name for p in (corpus / "invalid/spdx").iterdir())
    assert files == [
        "syft__TestSPDXRelationshipOrder-redacted.spdx.json",
        "tools-python__spdx-trivy-vmware_log-intelligence-fluentd.spdx.json",
    ]


def test_corpus_path_helper_points_at_shared_corpus() -> None:
    assert CORPUS.name == "corpus"
    with pytest.raises(IngestError):
        load(CORPUS / "does-not-exist.spdx.json")
