"""`sbomcheck inspect` and the ingest entry point: detection, stdin, gzip, limits, fail-closed."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from sbomcheck.cli import main
from sbomcheck.errors import IngestError, LimitError
from sbomcheck.ingest import ReadLimits, detect_format, load_bytes
from sbomcheck.model import Format

CDX = b"""{"bomFormat": "CycloneDX", "specVersion": "1.6", "serialNumber":
"urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", "version": 2,
"metadata": {"timestamp": "2025-01-01T00:00:00.123Z", "tools": [{"vendor": "acme", "name": "gen", "version": "1"}],
 "component": {"bom-ref": "app", "type": "application", "name": "app"}},
"components": [{"bom-ref": "a", "type": "library", "name": "a", "components": [
  {"bom-ref": "a1", "type": "library", "name": "a1"}]},
 {"bom-ref": "b", "type": "library", "name": "b"}],
"dependencies": [{"ref": "app", "dependsOn": ["a", "b", "b"]}, {"ref": "b", "dependsOn": ["ghost"]}]}"""

SPDX_TV = b"""SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: tv
DocumentNamespace: https://example.org/tv
Creator: Tool: x
Created: 2025-01-01T00:00:00Z

PackageName: p
SPDXID: SPDXRef-p
PackageDownloadLocation: NOASSERTION
Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-p
"""


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_inspect_json_reports_identity_counts_and_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(CDX)
    code, out, _ = _run(["inspect", str(path), "--format", "json"], capsys)
    assert code == 0
    (doc,) = json.loads(out)["documents"]
    assert doc["format"] == "cyclonedx-json" and doc["spec_version"] == "1.6"
    assert doc["serial_number"] == "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"
    assert doc["version"] == 2 and doc["roots"] == ["app"]
    # metadata.component is not counted; the nested component is; duplicates are counted.
    assert (doc["components"], doc["files"], doc["relationships"]) == (3, 0, 4)
    codes = {w["code"] for w in doc["warnings"]}
    assert "dangling-ref" in codes
    assert {
        "path",
        "format",
        "spec_version",
        "components",
        "files",
        "relationships",
        "warnings",
    } <= set(doc)


def test_inspect_reads_stdin_and_gzip_and_ignores_the_file_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    misleading = tmp_path / "really-cyclonedx.spdx"
    misleading.write_bytes(gzip.compress(SPDX_TV))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(CDX)))
    code, out, _ = _run(["inspect", "-", str(misleading), "--format", "json"], capsys)
    assert code == 0
    docs = json.loads(out)["documents"]
    assert [(d["path"], d["format"], d["gzip"]) for d in docs] == [
        ("-", "cyclonedx-json", False),
        (str(misleading), "spdx-tv", True),
    ]


def test_inspect_text_output_names_roots_and_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(CDX)
    code, out, _ = _run(["inspect", str(path)], capsys)
    assert code == 0
    assert "cyclonedx-json 1.6" in out and "app (app)" in out and "3 components" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file, not an SBOM"),
        (
            b'{"bomFormat": "CycloneDX", "components": [',
            "line 1 column 43: invalid JSON: unexpected end of data",
        ),
        (b"[1, 2]", "$: JSON top level is list, expected an object (not an SBOM)"),
        (b'{"hello": "world"}', "JSON is not a recognised SBOM"),
        (b"<html><body/></html>", "XML root 'html' is not a recognised SBOM"),
        (b"<bom xmlns='http://cyclonedx.org/schema/bom/12'/>", "is not in a CycloneDX namespace"),
        (b"just some words\n", "not a recognised SBOM"),
        (b"SPDXVersion: SPDX-2.3\n\xc3\x28\n", "line 2: not valid UTF-8 text (byte 0xc3)"),
    ],
)
def test_malformed_input_is_one_line_naming_file_and_place_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    path = tmp_path / "bad.sbom"
    path.write_bytes(content)
    code, out, err = _run(["inspect", str(path)], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"sbomcheck: error: {path}")
    assert message in err


def test_missing_file_and_directory_are_input_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(["inspect", str(tmp_path / "nope.json")], capsys)
    assert code == 2 and "nope.json: no such file or directory" in err
    code, _, err = _run(["inspect", str(tmp_path)], capsys)
    assert code == 2 and "no SBOM documents found in the inputs" in err


def test_xxe_and_billion_laughs_are_refused_without_expansion() -> None:
    xxe = b"""<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component type="library">
<name>&x;</name></component></components></bom>"""
    laughs = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&lol3;</rdf:RDF>"""
    for data in (xxe, laughs):
        with pytest.raises(IngestError, match="declares a DTD"):
            load_bytes(data, key="hostile.xml")


def test_limits_stop_oversized_and_deep_input_with_a_clear_error() -> None:
    with pytest.raises(LimitError, match="over the limit of 100"):
        load_bytes(CDX, key="big.json", limits=ReadLimits(max_bytes=100))
    bomb = gzip.compress(b" " * 5000 + CDX)
    with pytest.raises(LimitError, match="gzip content expands beyond the limit of 1,000 bytes"):
        load_bytes(bomb, key="bomb.json.gz", limits=ReadLimits(max_bytes=1000))
    deep = (
        b"<bom xmlns='http://cyclonedx.org/schema/bom/1.6'>"
        + b"<a>" * 300
        + b"</a>" * 300
        + b"</bom>"
    )
    with pytest.raises(LimitError, match="Excessive depth"):
        load_bytes(deep, key="deep.xml")


def test_truncated_gzip_is_an_input_error() -> None:
    with pytest.raises(IngestError, match="truncated gzip stream"):
        load_bytes(gzip.compress(CDX)[:-12], key="cut.json.gz")


def test_detect_format_from_content_for_each_family() -> None:
    assert detect_format(CDX) is Format.CYCLONEDX_JSON
    assert detect_format(SPDX_TV) is Format.SPDX_TV
    assert detect_format(b"spdxVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\n") is Format.SPDX_YAML
    assert detect_format(b'{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"}') is (
        Format.SPDX3_JSONLD
    )


def test_json_nested_beyond_the_parser_limit_is_a_limit_error_not_invalid_json() -> None:
    deep = (
        b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": '
        + b"[" * 2000
        + b"]" * 2000
        + b"}"
    )
    with pytest.raises(LimitError, match="JSON nests deeper than 256 levels") as caught:
        load_bytes(deep, key="deep.json")
    # The bracket that opens level 257: the object is level 1.
    assert caught.value.location == f"line 1 column {deep.index(b'[') + 256}"
