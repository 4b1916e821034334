"""The reader registry: one reader per format, asked in order, and the package face."""

from __future__ import annotations

import collections
import importlib

import pytest

import sbomcheck.ingest
from sbomcheck.errors import IngestError
from sbomcheck.ingest import detect, detect_format
from sbomcheck.ingest.interface import Syntax
from sbomcheck.model import Format


def test_every_format_has_exactly_one_reader() -> None:
    counts = collections.Counter(reader.format for reader in detect.READERS)
    assert counts == dict.fromkeys(Format, 1)


def test_every_fast_path_stands_for_a_json_reader() -> None:
    json_formats = {r.format for r in detect.READERS if r.syntax is Syntax.JSON}
    assert detect.FAST_PATHS
    for fast in detect.FAST_PATHS:
        assert fast.format in json_formats
        assert fast.hints


def test_only_cyclonedx_json_takes_a_document_by_its_shape_alone() -> None:
    assert [r.format for r in detect.READERS if r.fallback is not None] == [Format.CYCLONEDX_JSON]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'{"specVersion": "1.5", "components": []}', Format.CYCLONEDX_JSON),
        # A marker beats a shape: the SPDX 3 context is asked before CycloneDX's shape.
        (
            b'{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",'
            b' "specVersion": "1.5", "components": []}',
            Format.SPDX3_JSONLD,
        ),
        # Readers are asked in order: bomFormat names CycloneDX before spdxVersion is seen.
        (b'{"spdxVersion": "SPDX-2.3", "bomFormat": "CycloneDX"}', Format.CYCLONEDX_JSON),
        (b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'/>", Format.SPDX_RDF),
        (b"<Document><spdxVersion>SPDX-2.3</spdxVersion></Document>", Format.SPDX_XML),
        (b"<bom xmlns='http://cyclonedx.org/schema/bom/1.6'/>", Format.CYCLONEDX_XML),
        (b"# comment\n  SPDXVersion: SPDX-2.3\n", Format.SPDX_TV),
    ],
)
def test_the_first_reader_to_claim_a_document_reads_it(data: bytes, expected: Format) -> None:
    assert detect_format(data) is expected


@pytest.mark.parametrize(
    ("data", "message", "location"),
    [
        (b'{"bomFormat": "SPDX", "spdxVersion": "SPDX-2.3"}', "is not 'CycloneDX'", "bomFormat"),
        (b"[]", "JSON top level is list", "$"),
        (b'{"name": "x"}', "JSON is not a recognised SBOM", "$"),
        (b"<bom xmlns='urn:other'/>", "is not in a CycloneDX namespace", "/*[1]"),
        (b"<html/>", "XML root 'html' is not a recognised SBOM", "/*[1]"),
        (b"name: x\n", "no CycloneDX or SPDX markers found", None),
    ],
)
def test_a_document_no_reader_claims_is_refused(
    data: bytes, message: str, location: str | None
) -> None:
    with pytest.raises(IngestError) as caught:
        detect_format(data, key="doc")
    assert message in caught.value.message
    assert caught.value.location == location


def test_the_package_face_hands_on_the_public_functions() -> None:
    # NOTE: `sbomcheck.ingest.load` is the function (the public API), not a module.
    assert callable(sbomcheck.ingest.load)
    assert sbomcheck.ingest.load.__module__ == "sbomcheck.ingest._load"
    assert sbomcheck.ingest.load_inputs.__module__ == "sbomcheck.ingest.sources"
    for name in sbomcheck.ingest.__all__:
        assert getattr(sbomcheck.ingest, name) is not None


def test_input_collection_lives_in_ingest_sources_only() -> None:
    # NOTE: `sbomcheck.bundle` was its old home; one module, one name (CHANGELOG).
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("sbomcheck.bundle")
    sources = importlib.import_module("sbomcheck.ingest.sources")
    assert sources.with_contents.__module__ == "sbomcheck.ingest.sources"
