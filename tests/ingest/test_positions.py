"""Where a component is written in its SBOM file (`sbomcheck.ingest.positions`): every format, the
tricky cases of each, and the corpus, where every element of every document is located and
checked against an independent reading."""

from __future__ import annotations

import bisect
import gzip
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from sbomcheck.findings import ComponentSummary, Confidence, Finding
from sbomcheck.ingest import load, load_bytes
from sbomcheck.ingest.positions import Position, locate, locate_findings, source_reader
from sbomcheck.ingest.sources import Source
from sbomcheck.model import Document, Format
from tests.conftest import SAMPLES, require_corpus


@dataclass(frozen=True)
class Decl:
    """A component identity as `locate` takes it."""

    ref: str
    location: str = ""
    line: int | None = None


def at(text: str, position: Position) -> str:
    """The text from `position` (line and UTF-16 column) to the end of that line."""
    line = text.split("\n")[position.line - 1]
    assert position.column is not None
    units = 0
    for i, ch in enumerate(line):
        if units == position.column - 1:
            return line[i:]
        units += 2 if ord(ch) > 0xFFFF else 1
    raise AssertionError(f"column {position.column} is past the end of line {position.line}")


def one(data: bytes, fmt: Format, decl: Decl) -> Position | None:
    (found,) = locate(data, fmt, [decl])
    return found


# ----- JSON -------------------------------------------------------------------------------

TRICKY_JSON = """{
  "components": [
    {
      "name": "decoy",
      "x\\"bom-ref": "pkg:generic/kav",
      "description": "a } brace, a ] bracket, a \\\\\\" quote, \\"bom-ref\\": \\"pkg:generic/kav\\"",
      "hashes": [{"alg": "SHA-256", "content": "{[\\\\"}]
    },
    {
      "type": "library",
      "name": "kav-sdk",
      "properties": [{"name": "}", "value": "{\\\\"}],
      "bom-ref"  :
        "pkg:generic/kav"
    }
  ]
}
"""


def test_json_object_that_holds_the_ref_not_a_lookalike_in_a_string() -> None:
    data = TRICKY_JSON.encode()
    json.loads(TRICKY_JSON)  # the fixture is valid JSON
    position = one(data, Format.CYCLONEDX_JSON, Decl("pkg:generic/kav", "components[1]"))
    assert position == Position(9, 5)
    assert at(TRICKY_JSON, position) == "{"


def test_json_ref_written_with_escapes() -> None:
    text = '{"components": [{"bom-ref": "pkg:generic/kav\\/sdk\\u0040x", "name": "k"}]}'
    position = one(text.encode(), Format.CYCLONEDX_JSON, Decl("pkg:generic/kav/sdk@x", "c"))
    assert position == Position(1, 17)


def test_json_ref_written_twice_is_found_by_its_path() -> None:
    text = '{"components": [\n {"bom-ref": "dup"},\n {"bom-ref": "dup"}\n]}'
    data = text.encode()
    assert one(data, Format.CYCLONEDX_JSON, Decl("dup", "components[1]")) == Position(3, 2)
    assert one(data, Format.CYCLONEDX_JSON, Decl("dup", "")) is None


def test_json_synthetic_ref_is_found_by_its_path() -> None:
    text = (
        '{"metadata": {"component": {"name": "app"}},\n'
        ' "components": [\n'
        '  {"name": "a", "components": [{"name": "[{x}]"}]},\n'
        '  {"name": "b", "components": [\n'
        '    {"name": "c"}]}]}'
    )
    data = text.encode()
    for location, expected in (
        ("components[1].components[0]", Position(5, 5)),
        ("components[0].components[0]", Position(3, 32)),
        ("components[1]", Position(4, 3)),
        ("metadata.component", Position(1, 28)),
        ("components[2]", None),
    ):
        assert one(data, Format.CYCLONEDX_JSON, Decl(location, location)) == expected, location


def test_json_synthetic_ref_that_another_component_uses_as_its_bom_ref() -> None:
    text = '{"components": [\n{"name": "a"},\n{"bom-ref": "components[0]"}]}'
    decl = Decl("components[0]", "components[0]")
    assert one(text.encode(), Format.CYCLONEDX_JSON, decl) == Position(2, 1)


def test_json_repeated_key_the_last_one_wins_as_in_the_parser() -> None:
    text = '{"components": [{"name": "old"}],\n "components": [{"name": "new"}]}'
    assert json.loads(text)["components"][0]["name"] == "new"
    decl = Decl("components[0]", "components[0]")
    assert one(text.encode(), Format.CYCLONEDX_JSON, decl) == Position(2, 17)


def test_json_columns_count_utf16_code_units_on_a_minified_line() -> None:
    text = '{"metadata": {"x": "\U0001f600\u00e9"}, "packages": [{"SPDXID": "SPDXRef-k"}]}'
    position = one(text.encode(), Format.SPDX_JSON, Decl("SPDXRef-k", "packages[0]"))
    # NOTE: the emoji counts two UTF-16 code units, the é one.
    assert position == Position(1, len(text[: text.index('{"SPDXID"')]) + 2)
    assert at(text, position).startswith('{"SPDXID"')


def test_json_crlf_and_utf16_with_bom() -> None:
    text = '{\r\n "packages": [\r\n  {"SPDXID": "SPDXRef-k"}\r\n ]\r\n}'
    for data in (text.encode(), "\ufeff".encode() + text.encode(), text.encode("utf-16")):
        assert one(data, Format.SPDX_JSON, Decl("SPDXRef-k", "packages[0]")) == Position(3, 3)


def test_spdx3_by_spdx_id_or_at_id_and_by_path() -> None:
    text = (
        '{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",\n'
        ' "@graph": [\n'
        '  {"type": "software_Package", "spdxId": "urn:a"},\n'
        '  {"type": "software_Package", "@id": "urn:b"},\n'
        '  {"type": "software_Package", "name": "anonymous"}]}'
    )
    data = text.encode()
    assert one(data, Format.SPDX3_JSONLD, Decl("urn:a", "@graph[0]")) == Position(3, 3)
    assert one(data, Format.SPDX3_JSONLD, Decl("urn:b", "@graph[1]")) == Position(4, 3)
    assert one(data, Format.SPDX3_JSONLD, Decl("_:x", "@graph[2]")) == Position(5, 3)
    root = '{"@context": "x",\n "type": "software_Package", "name": "k"}'
    assert one(root.encode(), Format.SPDX3_JSONLD, Decl("$", "$")) == Position(1, 1)


def test_json_unknown_ref_and_undecodable_bytes_give_none() -> None:
    assert one(b'{"components": []}', Format.CYCLONEDX_JSON, Decl("x", "components[0]")) is None
    assert one(b'\xff{"a": 1}', Format.CYCLONEDX_JSON, Decl("x", "components[0]")) is None


# ----- YAML -------------------------------------------------------------------------------

YAML_DOC = """spdxVersion: SPDX-2.3
SPDXID: SPDXRef-DOCUMENT
packages:
  # a comment: SPDXID: SPDXRef-b
  - name: a
    SPDXID: SPDXRef-a
  -   SPDXID: "SPDXRef-b"
      name: b
  - {SPDXID: SPDXRef-c, name: c}
"""


def test_yaml_by_path_block_and_flow() -> None:
    data = YAML_DOC.encode()
    assert one(data, Format.SPDX_YAML, Decl("SPDXRef-a", "packages[0]")) == Position(5, 5)
    assert one(data, Format.SPDX_YAML, Decl("SPDXRef-b", "packages[1]")) == Position(7, 7)
    assert one(data, Format.SPDX_YAML, Decl("SPDXRef-c", "packages[2]")) == Position(9, 5)
    assert one(data, Format.SPDX_YAML, Decl("SPDXRef-d", "packages[3]")) is None
    assert one(data, Format.SPDX_YAML, Decl("SPDXRef-d", "files[0]")) is None
    assert one(b"a: [1, 2", Format.SPDX_YAML, Decl("x", "packages[0]")) is None


def test_yaml_unindented_sequence_crlf_and_a_repeated_key() -> None:
    text = (
        "packages: []\r\n"
        "files:\r\n"
        "- fileName: a\r\n"
        "  comment: |\r\n"
        "    - not an item\r\n"
        "- fileName: b\r\n"
        "packages:\r\n"
        "-   name: p\r\n"
        "    SPDXID: SPDXRef-p\r\n"
        "relationships: []\r\n"
    )
    data = text.encode()
    assert one(data, Format.SPDX_YAML, Decl("SPDXRef-b", "files[1]")) == Position(6, 3)
    assert one(data, Format.SPDX_YAML, Decl("SPDXRef-p", "packages[0]")) == Position(8, 5)
    assert one(data, Format.SPDX_YAML, Decl("SPDXRef-q", "packages[1]")) is None
    nested = b"packages:\n-\n  name: p\n"
    assert one(nested, Format.SPDX_YAML, Decl("SPDXRef-p", "packages[0]")) is None


# ----- through the readers ----------------------------------------------------------------

CDX_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1">
  <components>
    <!-- <component type="library" bom-ref="kav"> -->
    <component type="library"
               bom-ref="kav">
      <name>kav-sdk</name>
    </component>
    <component type="library"><name>no-ref</name></component>
    <component type="library" bom-ref="a&amp;b&#x21;"><name>amp</name></component><component type="library" bom-ref="same-line"><name>x</name></component>
  </components>
</bom>
"""


def located(data: bytes, name: str = "doc") -> tuple[Document, dict[str, Position | None]]:
    """Read `data` with the real reader and locate every element."""
    doc = load_bytes(data, key=name)
    elements = list(doc.all_elements())
    return doc, {
        c.ref: p for c, p in zip(elements, locate(data, doc.format, elements), strict=True)
    }


def test_cyclonedx_xml_start_tag_even_over_several_lines_and_next_to_a_comment() -> None:
    doc, found = located(CDX_XML)
    kav = next(c for c in doc.components if c.ref == "kav")
    assert kav.line == 6  # NOTE: libxml2 counts the line on which the start tag ends
    assert found["kav"] == Position(5, 5)
    assert found["a&b!"] == Position(10, 5)
    assert found["same-line"] == Position(10, 83)
    # NOTE: a component without a bom-ref keeps the reader's line, without a column.
    assert found["/bom/components/component[2]"] == Position(9)


SPDX_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<Document>
  <SPDXID>SPDXRef-DOCUMENT</SPDXID>
  <spdxVersion>SPDX-2.3</spdxVersion>
  <dataLicense>CC0-1.0</dataLicense>
  <name>d</name>
  <documentNamespace>https://example.com/d</documentNamespace>
  <creationInfo><created>2024-01-01T00:00:00Z</created><creators>Tool: x</creators></creationInfo>
  <packages>
    <name>a</name>
    <SPDXID>SPDXRef-a</SPDXID>
    <downloadLocation>NOASSERTION</downloadLocation>
  </packages>
  <packages><name>k</name><SPDXID>SPDXRef-k</SPDXID><downloadLocation>NONE</downloadLocation></packages>
</Document>
"""


def test_spdx_xml_packages_element_by_its_spdxid() -> None:
    _, found = located(SPDX_XML)
    assert found["SPDXRef-a"] == Position(9, 3)
    assert found["SPDXRef-k"] == Position(14, 3)


def test_tag_value_line_of_the_package() -> None:
    data = (SAMPLES / "cyrillic-supplier.spdx").read_bytes()
    _, found = located(data)
    assert found["SPDXRef-pkg-kesl"] == Position(167, 1)


def test_every_sample_element_is_located() -> None:
    for path in sorted(SAMPLES.rglob("*")):
        if path.suffix not in (".json", ".xml", ".spdx"):
            continue
        _, found = located(path.read_bytes(), path.name)
        missing = [ref for ref, position in found.items() if position is None]
        assert not missing, (path, missing)


# ----- reading the bytes again ------------------------------------------------------------


def findings_of(doc: Document) -> list[Finding]:
    return [
        Finding(
            id=f"id-{c.ref}",
            component=ComponentSummary(
                ref=c.ref,
                name=c.name,
                version=c.version,
                purl=c.purl,
                supplier=None,
                document=c.document,
                location=c.location,
                line=c.line,
            ),
            canonical="Kaspersky",
            confidence=Confidence.CONFIRMED,
            evidence=(),
        )
        for c in doc.all_elements()
    ]


def reader(data: bytes) -> Callable[[str], bytes | None]:
    return lambda key: data


def test_locate_findings_checks_the_digest_and_undoes_gzip() -> None:
    data = (SAMPLES / "direct-dependency.cdx.json").read_bytes()
    for given in (data, gzip.compress(data, mtime=0)):
        doc = load_bytes(given, key="d.json")
        findings = findings_of(doc)
        positions = locate_findings(findings, [doc], reader(given))
        assert positions["id-pkg:npm/%40kaspersky/hexa-ui@3.42.0"] == Position(729, 5)
        changed = locate_findings(findings, [doc], reader(given + b" "))
        assert changed == {}
        assert locate_findings(findings, [doc], lambda key: None) == {}


def test_source_reader_reads_files_members_and_standard_input(tmp_path: Path) -> None:
    data = (SAMPLES / "sdk-three-levels.spdx.json").read_bytes()
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("vendor/a.spdx.json", data)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("b.spdx.json", data)
    sources = [
        Source(key="f.json", path=str(SAMPLES / "sdk-three-levels.spdx.json")),
        Source(key=f"{archive}!vendor/a.spdx.json", path=str(archive), member="vendor/a.spdx.json"),
        Source(key="-", path="-", data=data),
        Source(key="-!b.spdx.json", path="-", member="b.spdx.json", data=buffer.getvalue()),
    ]
    read = source_reader(sources)
    for source in sources:
        assert read(source.key) == data
    assert read("unknown") is None
    assert source_reader([Source(key="gone", path=str(tmp_path / "gone.json"))])("gone") is None


# ----- the corpus -------------------------------------------------------------------------


def _json_at(text: str, lines: Sequence[int], position: Position) -> object:
    """The JSON value that starts at `position` (line and UTF-16 column)."""
    assert position.column is not None
    start = lines[position.line - 1]
    end = lines[position.line] if position.line < len(lines) else len(text)
    line = text[start:end]
    if line.isascii():
        index = position.column - 1
    else:
        units = line.encode("utf-16-le")[: 2 * (position.column - 1)]
        index = len(units.decode("utf-16-le"))
    value, _ = json.JSONDecoder().raw_decode(text, start + index)
    return value


def _by_path(root: object, location: str) -> object:
    """The value at a reader path (`components[2].components[0]`) of a parsed document."""
    node = root
    for key, index in re.findall(r"\.?([^.\[\]]+)|\[(\d+)\]", location):
        if index:
            assert isinstance(node, list)
            node = node[int(index)]
        elif key != "$":
            assert isinstance(node, dict)
            node = node[key]
    return node


def _yaml_marks(data: bytes) -> dict[str, Position]:
    """Where PyYAML's composer says each package and file mapping (`packages[3]`) starts."""
    import yaml

    text = data.decode("utf-8-sig")
    lines = text.split("\n")
    marks: dict[str, Position] = {}
    root = yaml.compose(text, Loader=yaml.CSafeLoader)
    assert root is not None
    for key_node, value in root.value:
        if key_node.value in ("packages", "files"):
            for i, item in enumerate(value.value):
                mark = item.start_mark
                units = len(lines[mark.line][: mark.column].encode("utf-16-le")) // 2
                marks[f"{key_node.value}[{i}]"] = Position(mark.line + 1, units + 1)
    return marks


_JSON_FORMATS = {
    Format.CYCLONEDX_JSON: ("bom-ref",),
    Format.SPDX_JSON: ("SPDXID",),
    Format.SPDX3_JSONLD: ("spdxId", "@id"),
}


@pytest.mark.slow
def test_corpus_every_element_is_located_where_an_independent_reading_finds_it() -> None:
    corpus = require_corpus()
    paths = [p for p in sorted(corpus.rglob("*")) if p.is_file() and "invalid" not in p.parts]
    checked = 0
    for path in paths:
        if path.suffix in (".csv", ".md", ".py"):
            continue
        doc = load(path)
        elements = list(doc.all_elements())
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest() == doc.sha256
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        found = locate(data, doc.format, elements)
        if doc.format is Format.SPDX_YAML:
            yaml_marks = _yaml_marks(data)
        if doc.format in _JSON_FORMATS:
            text = data.decode(json.detect_encoding(data))
            parsed = json.loads(text)
            lines = [0] + [m.end() for m in re.finditer("\n", text)]
        else:
            byte_lines = [0] + [m.end() for m in re.finditer(b"\n", data)]
        for comp, position in zip(elements, found, strict=True):
            assert position is not None, (path, comp.ref)
            checked += 1
            if doc.format in _JSON_FORMATS:
                obj = _json_at(text, lines, position)
                assert isinstance(obj, dict), (path, comp.ref, position)
                if comp.ref_synthetic:
                    assert obj == _by_path(parsed, comp.location), (path, comp.location)
                else:
                    ids = [obj.get(k) for k in _JSON_FORMATS[doc.format]]
                    assert comp.ref in ids, (path, comp.ref, position, ids)
            elif doc.format in (Format.CYCLONEDX_XML, Format.SPDX_XML, Format.SPDX_RDF):
                # NOTE: the start tag at the position ends on the reader's line.
                assert comp.line is not None and position.line <= comp.line, (path, comp.ref)
                if position.column is not None:
                    offset = byte_lines[position.line - 1]
                    stop = byte_lines[position.line] if position.line < len(byte_lines) else None
                    line = data[offset:stop].decode()
                    tag = line[position.column - 1 :]
                    assert tag.startswith("<"), (path, comp.ref, position)
                    end = data.index(b">", offset + len(line[: position.column - 1].encode()))
                    assert bisect.bisect_right(byte_lines, end) == comp.line, (path, comp.ref)
                else:
                    assert position.line == comp.line
            elif doc.format is Format.SPDX_TV:
                assert position == Position(comp.line or 0, 1)
            elif doc.format is Format.SPDX_YAML:
                assert position == yaml_marks[comp.location], (path, comp.location)
    assert checked > 50_000
