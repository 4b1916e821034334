"""The CycloneDX XML reader: the same model as the JSON reader, XPath locations, lines."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from sbomcheck.errors import IngestError
from sbomcheck.ingest import load
from sbomcheck.ingest._context import ReadContext
from sbomcheck.ingest.cyclonedx_xml import read_cyclonedx_xml
from sbomcheck.model import Component, Document, Format, LazyComponents, Relationship

ASSETS = Path(__file__).resolve().parent.parent / "assets" / "cyclonedx"


def _neutral(value: Any) -> Any:
    """`value` with every location, line and synthetic ref blanked (they differ by format)."""
    if isinstance(value, tuple | LazyComponents):
        return tuple(_neutral(v) for v in value)
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(value):
        item = getattr(value, f.name)
        if f.name in ("location", "line", "document"):
            changes[f.name] = "" if f.name != "line" else None
        elif dataclasses.is_dataclass(item) or isinstance(item, tuple | LazyComponents):
            changes[f.name] = _neutral(item)
    if isinstance(value, Component) and value.ref_synthetic:
        changes["ref"] = "<synthetic>"
    return dataclasses.replace(value, **changes)


def _model(doc: Document) -> dict[str, Any]:
    fields = (
        "spec_version",
        "serial_number",
        "version",
        "created",
        "creators",
        "tools",
        "root_refs",
        "components",
        "services",
        "relationships",
        "relationships_as_written",
        "external_refs",
        "compositions",
        "warnings",
    )
    return {name: _neutral(getattr(doc, name)) for name in fields}


def test_xml_and_json_give_the_same_model() -> None:
    from_json = load(ASSETS / "rich-1.6.json")
    from_xml = load(ASSETS / "rich-1.6.xml")
    assert from_xml.format is Format.CYCLONEDX_XML
    json_model, xml_model = _model(from_json), _model(from_xml)
    for name, value in json_model.items():
        assert xml_model[name] == value, name
    # The comparison is not vacuous: the models are rich.
    assert len(from_xml.components) == 7 and len(from_xml.relationships) == 10
    assert from_xml.component_count == 5 and from_xml.relationship_count == 5


def test_xpath_locations_and_lines() -> None:
    doc = load(ASSETS / "rich-1.6.xml")
    by_ref = {c.ref: c for c in doc.components}
    assert by_ref["app"].location == "/bom/metadata/component"
    assert by_ref["app-plugin"].location == "/bom/metadata/component/components/component[1]"
    assert by_ref["lib-a"].location == "/bom/components/component[1]"
    assert by_ref["lib-a-core-util"].location == (
        "/bom/components/component[1]/components/component[1]/components/component[1]"
    )
    assert by_ref["lib-c"].location == "/bom/components/component[3]"
    no_ref = doc.components[5]
    assert (no_ref.ref, no_ref.ref_synthetic) == ("/bom/components/component[2]", True)
    text = (ASSETS / "rich-1.6.xml").read_text().splitlines()
    for comp in doc.components:
        assert comp.line is not None
        assert 'bom-ref="' + comp.ref + '"' in text[comp.line - 1] or comp.ref_synthetic
    pedigree = by_ref["lib-a"].pedigree
    assert pedigree is not None
    assert pedigree.descendants[0].location == (
        "/bom/components/component[1]/pedigree/descendants/component[1]"
    )
    deps = [r for r in doc.relationships if r.explicit]
    assert deps[0].location == "/bom/dependencies/dependency[1]/dependency[1]"
    assert deps[-1].location == "/bom/dependencies/dependency[3]/provides[1]"
    assert doc.external_refs[0].location == (
        "/bom/components/component[1]/externalReferences/reference[2]"
    )


def test_nested_dependency_elements_are_edges_of_their_parent() -> None:
    path = ASSETS / "edge-nested-dependency.xml"
    doc = load(path)
    assert doc.spec_version == "1.3"
    assert doc.relationships == (
        Relationship(
            source="a",
            type="depends-on",
            target="b",
            document=str(path),
            location="/bom/dependencies/dependency[1]/dependency[1]",
        ),
        Relationship(
            source="b",
            type="depends-on",
            target="c",
            document=str(path),
            location="/bom/dependencies/dependency[1]/dependency[1]/dependency[1]",
        ),
    )
    assert doc.warnings == ()


@pytest.mark.parametrize(
    ("asset", "location", "message"),
    [
        (
            "bad-unexpected-element.xml",
            "/bom/components/*[2]",
            "unexpected element <library> in <components> (line 5)",
        ),
        (
            "bad-unexpected-dependency-element.xml",
            "/bom/dependencies/*[2]",
            "unexpected element <dependsOn> in <dependencies> (line 8)",
        ),
    ],
)
def test_malformed_xml_fails_closed(asset: str, location: str, message: str) -> None:
    path = ASSETS / asset
    with pytest.raises(IngestError) as info:
        load(path)
    assert (info.value.source, info.value.location, info.value.message) == (
        str(path),
        location,
        message,
    )


@pytest.mark.parametrize(
    "namespace", ["http://cyclonedx.org/schema/bom/12", "http://cyclonedx.org/schema/bom/"]
)
def test_reader_refuses_a_namespace_without_a_version(namespace: str) -> None:
    root = etree.fromstring(f'<bom xmlns="{namespace}" version="1"/>'.encode())
    ctx = ReadContext(key="x.xml", path="x.xml", sha256="", gzip=False)
    with pytest.raises(IngestError) as info:
        read_cyclonedx_xml(root, ctx)
    assert str(info.value) == (
        f"x.xml: /bom: XML namespace {namespace!r} is not a CycloneDX namespace "
        "(http://cyclonedx.org/schema/bom/1.x)"
    )


def test_xml_lenient_values() -> None:
    xml = b"""<bom xmlns="http://cyclonedx.org/schema/bom/1.4" serialNumber="redacted"
      version="one"><metadata><timestamp>redacted</timestamp></metadata>
      <components><component type="library" bom-ref=""><version>1</version></component>
      </components></bom>"""
    ctx = ReadContext(key="x.xml", path="x.xml", sha256="", gzip=False)
    doc = read_cyclonedx_xml(etree.fromstring(xml), ctx)
    assert (doc.serial_number, doc.version, doc.created) == ("redacted", None, "redacted")
    assert [(w.code, w.location) for w in doc.warnings] == [
        ("lenient-value", "/bom/@serialNumber"),
        ("lenient-value", "/bom/@version"),
        ("lenient-value", "/bom/metadata/timestamp"),
        ("lenient-value", "/bom/components/component[1]"),
        ("missing-field", "/bom/components/component[1]"),
    ]
    comp = doc.components[0]
    assert (comp.ref, comp.ref_synthetic, comp.name, comp.line) == (
        "/bom/components/component[1]",
        True,
        "",
        3,
    )
