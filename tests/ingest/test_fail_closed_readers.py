"""Fail-closed rules of the readers: one rule for a repeated key or element in every format,
CycloneDX namespaces, SPDX 3 types, byte-order marks, and the reproducers of the review."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from sbomcheck.errors import IngestError
from sbomcheck.ingest import load, load_bytes
from sbomcheck.model import Document
from sbomcheck.policy import assess_completeness
from tests.ingest.test_cyclonedx_xml import _model

ROOT = Path(__file__).resolve().parents[2]
CDX = ROOT / "tests" / "assets" / "cyclonedx"
SPDX = ROOT / "tests" / "assets" / "spdx"
REPRODUCERS = ROOT.parent / "shared" / "reproducers"
V14 = "http://cyclonedx.org/schema/bom/1.4"


def _rich_xml() -> str:
    return (CDX / "rich-1.6.xml").read_text(encoding="utf-8")


def _xml_error(text: str) -> IngestError:
    with pytest.raises(IngestError) as caught:
        load_bytes(text.encode(), key="bom.xml")
    return caught.value


# -- CycloneDX XML: namespaces ---------------------------------------------------------


def test_components_in_another_cyclonedx_namespace_are_read_alike() -> None:
    original = load(CDX / "rich-1.6.xml")
    # Every component, service and dependency written in the 1.4 namespace inside the 1.6
    # BOM (with everything below them): generators that mix versions do this.
    mixed = re.sub(r"<(component|service|dependency)([ >])", rf'<\1 xmlns="{V14}"\2', _rich_xml())
    assert mixed.count(V14) > 10
    doc = load_bytes(mixed.encode(), key=str(CDX / "rich-1.6.xml"))
    assert _model(doc) == _model(original)
    assert doc.unread == ()


def test_an_element_of_a_foreign_namespace_among_components_is_not_read_and_said() -> None:
    text = _rich_xml().replace(
        "\n  <components>",
        '\n  <components><component xmlns="urn:evil" type="library"><name>k</name></component>'
        '<e:component xmlns:e="urn:evil" type="library"/>',
        1,
    )
    doc = load_bytes(text.encode(), key="bom.xml")
    [warning] = doc.unread
    assert warning.code == "unknown-namespace"
    assert warning.message.startswith("2 elements in namespace 'urn:evil' (first at line ")
    assert doc.component_count == load(CDX / "rich-1.6.xml").component_count
    completeness = assess_completeness([doc], 0)
    assert not completeness.sufficient
    assert "content of the SBOMs was not read (unknown-namespace)" in completeness.reasons


@pytest.mark.parametrize(
    "where",
    [
        ("<metadata>", '<metadata><x:components xmlns:x="urn:x"/>'),
        ("</bom>", '<x:services xmlns:x="urn:x"/></bom>'),
        ("<ancestors>", '<ancestors><x:component xmlns:x="urn:x"/>'),
        ("\n  <services>", '\n  <services><x:service xmlns:x="urn:x"/>'),
    ],
)
def test_foreign_elements_that_may_hold_components_are_said_anywhere(
    where: tuple[str, str],
) -> None:
    doc = load_bytes(_rich_xml().replace(*where, 1).encode(), key="bom.xml")
    assert [w.code for w in doc.unread] == ["unknown-namespace"]


def test_foreign_extensions_elsewhere_stay_extensions() -> None:
    # The schema allows elements of other namespaces as extensions (1.2/1.3 vulnerability
    # data inside a component, signatures): they are not components and not warned about.
    text = _rich_xml().replace(
        "<components>",
        '<components><component type="library"><name>a</name>'
        '<v:vulnerabilities xmlns:v="http://cyclonedx.org/schema/ext/vulnerability/1.0"/>'
        "</component>",
        1,
    )
    assert load_bytes(text.encode(), key="bom.xml").unread == ()


# -- a repeated key or element, in every format ----------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "location", "element"),
    [
        (
            "\n  </components>\n",
            "\n  </components><components/>\n",
            "/bom/components[2]",
            "components",
        ),
        ("<metadata>", "<metadata/><metadata>", "/bom/metadata[2]", "metadata"),
        (
            "<dependencies>",
            "<dependencies/><dependencies>",
            "/bom/dependencies[2]",
            "dependencies",
        ),
        ("\n  <services>", "\n  <services/><services>", "/bom/services[2]", "services"),
        (
            "<tools>\n      <components>",
            "<tools><components/>\n      <components>",
            "/bom/metadata/tools/components[2]",
            "components",
        ),
        ("<pedigree>", "<pedigree/><pedigree>", None, "pedigree"),
        ("<ancestors>", "<ancestors/><ancestors>", None, "ancestors"),
        (
            "<timestamp>",
            "<timestamp>2020-01-01T00:00:00Z</timestamp><timestamp>",
            None,
            "timestamp",
        ),
    ],
)
def test_a_repeated_single_valued_xml_element_is_refused(
    old: str, new: str, location: str | None, element: str
) -> None:
    text = _rich_xml()
    assert old in text
    error = _xml_error(text.replace(old, new, 1))
    assert error.message.startswith(f"element <{element}> appears twice in <")
    assert "(line " in error.message
    if location is not None:
        assert error.location == location


def test_a_component_with_two_names_is_refused() -> None:
    text = _rich_xml()
    first = text.index("<version>", text.index("\n  <components>"))
    error = _xml_error(text[:first] + "<name>other</name>" + text[first:])
    assert error.message.startswith("element <name> appears twice in <component> (line ")
    assert error.location is not None
    assert error.location.startswith("/bom/components/component[1]/name[2]")


@pytest.mark.parametrize(
    ("text", "line", "key", "first"),
    [
        (b"spdxVersion: SPDX-2.3\npackages: [{name: k}]\npackages: []\n", 3, "'packages'", 2),
        (b"spdxVersion: SPDX-2.3\npackages:\n  - name: k\n    name: x\n", 4, "'name'", 3),
        (b"spdxVersion: SPDX-2.3\nx: {a: 1, a: 2}\n", 2, "'a'", 2),
    ],
)
def test_a_repeated_yaml_key_is_refused(text: bytes, line: int, key: str, first: int) -> None:
    with pytest.raises(IngestError) as caught:
        load_bytes(text, key="doc.yaml")
    assert caught.value.location == f"line {line}"
    assert caught.value.message.startswith(
        f"key {key} appears twice in one mapping (first at line {first})"
    )


def test_yaml_merge_keys_are_not_repeats() -> None:
    text = b"spdxVersion: SPDX-2.3\nbase: &b {a: 1}\nx:\n  <<: *b\n  a: 2\npackages: []\n"
    assert load_bytes(text, key="doc.yaml").components == ()


@pytest.mark.parametrize(
    ("old", "new", "tag"),
    [
        ("DocumentName: edge\n", "DocumentName: edge\nDocumentName: other\n", "DocumentName"),
        ("Created: ", "Created: 2020-01-01T00:00:00Z\nCreated: ", "Created"),
        ("SPDXID: SPDXRef-a\n", "SPDXID: SPDXRef-a\nSPDXID: SPDXRef-b\n", "SPDXID"),
    ],
)
def test_a_repeated_tag_value_tag_is_refused(old: str, new: str, tag: str) -> None:
    text = (
        (SPDX / "repeated-tag.spdx").read_text(encoding="utf-8").replace("PackageVersion: 2\n", "")
    )
    assert old in text
    with pytest.raises(IngestError) as caught:
        load_bytes(text.replace(old, new, 1).encode(), key="doc.spdx")
    assert caught.value.message.startswith(f"{tag} appears twice in one ")
    assert caught.value.location is not None and caught.value.location.startswith("line ")


def test_rdf_one_value_per_single_valued_property() -> None:
    text = (SPDX / "full.spdx.rdf.xml").read_text(encoding="utf-8")
    same = text.replace(
        "<spdx:name>acme-app</spdx:name>",
        "<spdx:name>acme-app</spdx:name><spdx:name>acme-app</spdx:name>",
        1,
    )
    # The same triple twice is one triple.
    path = SPDX / "full.spdx.rdf.xml"
    assert load_bytes(same.encode(), key=str(path)).components == load(path).components
    other = text.replace(
        "<spdx:name>acme-app</spdx:name>",
        "<spdx:name>acme-app</spdx:name>\n<spdx:name>kaspersky</spdx:name>",
        1,
    )
    with pytest.raises(IngestError) as caught:
        load_bytes(other.encode(), key="doc.rdf")
    line = other[: other.index("kaspersky")].count("\n") + 1
    assert str(caught.value) == (
        f"doc.rdf: line {line}: spdx:name has two different values on one element; it may "
        "have one, so sbomcheck refuses the document rather than guess which counts"
    )


# -- SPDX 3 types ----------------------------------------------------------------------


def test_spdx3_elements_of_an_unknown_type_are_said_and_their_relationships_dangle() -> None:
    text = (SPDX / "full.spdx3.json").read_text(encoding="utf-8")
    assert '"software_Package"' in text
    doc = load_bytes(
        text.replace('"software_Package"', '"software_Pkg"').encode(), key="doc.spdx3.json"
    )
    original = load(SPDX / "full.spdx3.json")
    unknown = [w for w in doc.warnings if w.code == "unknown-type"]
    assert len(unknown) == 1  # one warning per type, with the count
    count = text.count('"software_Package"')
    what = "an element" if count == 1 else f"{count} elements"
    assert unknown[0].message.startswith(f"{what} of type 'software_Pkg', which SPDX 3.0 ")
    assert doc.unread == tuple(unknown)
    assert doc.component_count == original.component_count - count
    dangling = {w.message.split("'")[1] for w in doc.warnings if w.code == "dangling-ref"}
    assert {c.ref for c in original.components} - {c.ref for c in doc.components} <= dangling
    assert not assess_completeness([doc], 0).sufficient


def test_spdx3_known_types_are_not_warned_about() -> None:
    assert load(SPDX / "full.spdx3.json").unread == ()


# -- byte-order marks ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (b'\xef\xbb\xbf{\n"a":\n"\xff"}', "UTF-8"),
        (b"\xef\xbb\xbfSPDXVersion: SPDX-2.3\nA: b\nC: \xff\n", "UTF-8"),
        ("\ufeff{\n\n".encode("utf-16-le") + b"\x00\xd8", "UTF-16"),
    ],
)
def test_an_encoding_error_after_a_byte_order_mark_names_the_right_line_and_byte(
    text: bytes, encoding: str
) -> None:
    with pytest.raises(IngestError) as caught:
        load_bytes(text, key="doc")
    assert caught.value.location == "line 3"
    # The first byte of the invalid sequence: the lone surrogate's low byte in UTF-16-LE.
    bad = 0x00 if encoding == "UTF-16" else 0xFF
    assert caught.value.message == f"not valid {encoding} text (byte 0x{bad:02x})"


# -- the reproducers of the review -----------------------------------------------------


def _verdict(doc: Document) -> str:
    from sbomcheck.identify import load_catalogue
    from sbomcheck.policy import load_rules
    from sbomcheck.scan import ScanOptions, scan_documents

    options = ScanOptions(
        as_of=dt.date(2026, 1, 15), catalogue=load_catalogue(), rules=load_rules()
    )
    return scan_documents([doc], options).verdict.value


@pytest.mark.parametrize(
    ("name", "outcome"),
    [
        ("duppackages.spdx.json", "packages: key 'packages' appears twice in one object"),
        ("dupcomponents.cdx.json", "components: key 'components' appears twice in one object"),
        ("dupcomponents.cdx.xml", "/bom/components[2]: element <components> appears twice"),
        ("kdup.spdx.yaml", "line 9: key 'packages' appears twice in one mapping"),
        ("bom_bad.json", "line 3: not valid UTF-8 text (byte 0xff)"),
        ("bom_bad.spdx", "line 3: not valid UTF-8 text (byte 0xff)"),
        ("ns-mixed.cdx.xml", "fail"),
        ("ns-foreign.cdx.xml", "indeterminate"),
        ("k-unknown.spdx3.json", "indeterminate"),
    ],
)
def test_the_reproducers_no_longer_pass(name: str, outcome: str) -> None:
    path = REPRODUCERS / name
    if not path.exists():
        pytest.skip(f"{path} is not present")
    try:
        doc = load(path)
    except IngestError as e:
        assert str(e).startswith(f"{path}: {outcome}")
        return
    assert _verdict(doc) == outcome
