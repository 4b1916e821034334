"""The typed Structs and reader of the CycloneDX JSON fast path (`_cdx_json_lazy`).

msgspec decodes components and dependencies straight into the Structs below, checking every
JSON type in C as it goes; the reader then builds the model from attributes, without the dict
look-ups and type checks of the general reader (`cyclonedx_json`). `_cdx_json_lazy` splits
the document and decodes each component on its own; this module is what it decodes into and
builds with.

The general reader stays the authority. The Structs accept only the regular shape (required
members present, every value of its JSON type, no member the CycloneDX 1.2-1.7 schemas do not
define); whatever they refuse is decoded again and read by the general reader, so error
messages and JSON paths are always its own. Members are never skipped: msgspec checks a
skipped value for JSON syntax only, so invalid UTF-8 or a number beyond a double there would
read here and fail there. So every member the schemas define is declared, the ones the reader
does not use as `Any` (decoded, and checked, like the general path decodes them), and any
other member sends the document to the general reader. The irregular values the Structs do
accept (an empty bom-ref, a missing name, a licence without id) raise the general reader's
warnings, in the same order. Rare members (pedigree, evidence, swid) and everything outside
components and dependencies are decoded to plain dicts and lists and read by the general
reader's own methods. The tests compare the two readers' Documents on every CycloneDX JSON
file at hand and on generated documents full of irregular values.
"""

from __future__ import annotations

from typing import Any

import msgspec

from sbomcheck.ingest._cdx_common import (
    ALGORITHMS,
    BOM_LINK_PREFIX,
    algorithm,
    legacy_author,
    new_component,
    new_ext_ref,
    new_hash,
    new_party,
    new_property,
    new_relationship,
)
from sbomcheck.ingest._context import ReadContext
from sbomcheck.ingest.cyclonedx_json import _JsonReader
from sbomcheck.model import (
    Component,
    ExternalReference,
    FileEntry,
    Hash,
    Party,
    Property,
)

__all__ = [
    "ORJSON_INT_MAX",
    "ORJSON_INT_MIN",
    "READ_MEMBERS",
    "Bom",
    "TypedComponent",
    "TypedDependency",
    "TypedReader",
]

# NOTE: gc=False: these objects hold no cycles, and untracked they cost the collector nothing
# (the reader runs with the collector paused anyway; freeing is faster too). omit_defaults:
# written out again only to count their keys (ingest/_json.py), absent members omitted.
# Attribute names are the JSON member names as CycloneDX writes them (`externalReferences`).


class _Hash(msgspec.Struct, gc=False, forbid_unknown_fields=True, omit_defaults=True):
    alg: str
    content: str


class _Contact(msgspec.Struct, gc=False, forbid_unknown_fields=True, omit_defaults=True):
    name: str | None = None
    email: str | None = None
    phone: Any = None
    bom_ref: Any = msgspec.field(default=None, name="bom-ref")


class _Org(msgspec.Struct, gc=False, forbid_unknown_fields=True, omit_defaults=True):
    name: str | None = None
    url: list[str] | None = None
    contact: list[_Contact] | None = None
    address: Any = None
    bom_ref: Any = msgspec.field(default=None, name="bom-ref")


class _License(msgspec.Struct, gc=False, forbid_unknown_fields=True, omit_defaults=True):
    id: str | None = None
    name: str | None = None
    acknowledgement: Any = None
    licensing: Any = None
    properties: Any = None
    text: Any = None
    url: Any = None
    bom_ref: Any = msgspec.field(default=None, name="bom-ref")


class _LicenseChoice(msgspec.Struct, gc=False, forbid_unknown_fields=True, omit_defaults=True):
    license: _License | None = None
    expression: str | None = None
    acknowledgement: Any = None
    expressionDetails: Any = None
    licensing: Any = None
    properties: Any = None
    bom_ref: Any = msgspec.field(default=None, name="bom-ref")


class _ExternalReference(msgspec.Struct, gc=False, forbid_unknown_fields=True, omit_defaults=True):
    type: str
    url: str
    comment: str | None = None
    hashes: list[_Hash] | None = None
    properties: Any = None


class _Property(msgspec.Struct, gc=False, forbid_unknown_fields=True, omit_defaults=True):
    name: str | None = None
    value: str | None = None


class TypedComponent(msgspec.Struct, gc=False, forbid_unknown_fields=True, omit_defaults=True):
    ref: str | None = msgspec.field(default=None, name="bom-ref")
    name: str | None = None
    version: str | None = None
    group: str | None = None
    type: str | None = None
    purl: str | None = None
    description: str | None = None
    publisher: str | None = None
    copyright: str | None = None
    scope: str | None = None
    cpe: str | None = None
    author: str | None = None
    hashes: list[_Hash] | None = None
    supplier: _Org | None = None
    manufacturer: _Org | None = None
    authors: list[_Contact] | None = None
    licenses: list[_LicenseChoice] | None = None
    externalReferences: list[_ExternalReference] | None = None
    properties: list[_Property] | None = None
    components: list[TypedComponent] | None = None
    # Rare: read by the general reader's methods from plain dicts.
    swid: Any = None
    pedigree: Any = None
    evidence: Any = None
    # Not read; declared so that every member is decoded and checked as the general path
    # checks it (see the module docstring).
    cryptoProperties: Any = None
    data: Any = None
    isExternal: Any = None
    mime_type: Any = msgspec.field(default=None, name="mime-type")
    modelCard: Any = None
    modified: Any = None
    omniborId: Any = None
    patentAssertions: Any = None
    releaseNotes: Any = None
    signature: Any = None
    swhid: Any = None
    tags: Any = None
    versionRange: Any = None


class TypedDependency(msgspec.Struct, gc=False, forbid_unknown_fields=True, omit_defaults=True):
    ref: str | None = None
    dependsOn: list[str] | None = None
    provides: list[str] | None = None


class Bom(msgspec.Struct, gc=False, forbid_unknown_fields=True, omit_defaults=True):
    bomFormat: str | None = None
    components: list[TypedComponent] | None = None
    dependencies: list[TypedDependency] | None = None
    # Read by the general reader from plain values, in its own order.
    specVersion: Any = None
    serialNumber: Any = None
    version: Any = None
    metadata: Any = None
    services: Any = None
    externalReferences: Any = None
    compositions: Any = None
    # Not read (see TypedComponent).
    schema: Any = msgspec.field(default=None, name="$schema")
    annotations: Any = None
    citations: Any = None
    declarations: Any = None
    definitions: Any = None
    formulation: Any = None
    properties: Any = None
    signature: Any = None
    vulnerabilities: Any = None


READ_MEMBERS = (
    "components", "dependencies", "specVersion", "serialNumber", "version", "metadata",
    "services", "externalReferences", "compositions",
)  # fmt: skip
"""Members of `Bom` the general reader reads; the others are only checked."""

# orjson (the reference) reads integers outside these bounds as floats, msgspec as ints.
ORJSON_INT_MIN, ORJSON_INT_MAX = -(2**63), 2**64 - 1


class TypedReader(_JsonReader):
    """The general reader, with components and dependencies read from Structs."""

    __slots__ = ()

    def __init__(self, ctx: ReadContext) -> None:
        super().__init__(ctx)
        # NOTE: the Structs were made for this read only; dropping each as it is read
        # keeps the peak at the decode, as the general reader does with its dicts.
        self.consume = True

    # NOTE: `_JsonReader.component` walks components and their nesting for both readers;
    # Structs come from the components array, dicts from metadata.component and pedigree.
    def component_fields(
        self, d: Any, loc: str, parent: str | None, is_metadata: bool
    ) -> Component:
        if d.__class__ is TypedComponent:
            return self.typed_fields(d, loc, parent)
        return super().component_fields(d, loc, parent, is_metadata)

    def nested_components(self, d: Any, loc: str) -> list[Any] | None:
        if d.__class__ is TypedComponent:
            kids: list[Any] | None = d.components
            return kids
        return super().nested_components(d, loc)

    def typed_fields(self, c: TypedComponent, loc: str, parent: str | None) -> Component:
        """`_JsonReader.component_fields` for a Struct: same values, same warnings."""
        ref = c.ref
        synthetic = False
        if ref is None:
            ref, synthetic = loc, True
        elif not ref:
            self.ctx.warn("lenient-value", "empty bom-ref; the location is used as its ref", loc)
            ref, synthetic = loc, True
        name = c.name
        if name is None:
            self.ctx.warn("missing-field", "component has no name; read with name ''", loc)
            name = ""
        swid: str | None = None
        if (value := c.swid) is not None:
            swid = self.opt_str(self.obj(value, f"{loc}.swid"), "tagId", f"{loc}.swid")
        hashes = () if c.hashes is None else _hashes(c.hashes)
        supplier = None if c.supplier is None else self.typed_org(c.supplier)
        manufacturer = None if c.manufacturer is None else self.typed_org(c.manufacturer)
        authors: tuple[Party, ...] = ()
        if c.authors is not None:
            authors = tuple(
                new_party(a.name, "person", (a.email,) if a.email else (), (), None)
                for a in c.authors
            )
        if (text := c.author) is not None:
            if (party := self.authors.get(text)) is None:
                party = self.authors[text] = legacy_author(text)
            authors = (*authors, party)
        licenses = () if c.licenses is None else self.typed_licenses(c.licenses, loc)
        ext: tuple[ExternalReference, ...] = ()
        if c.externalReferences is not None:
            ext = self.typed_ext_refs(c.externalReferences, loc, ref)
        props: tuple[Property, ...] = ()
        if c.properties is not None:
            props = self.typed_properties(c.properties)
        pedigree = None
        if (value := c.pedigree) is not None:
            pedigree = self.pedigree(value, f"{loc}.pedigree")
        files: tuple[FileEntry, ...] = ()
        if (value := c.evidence) is not None:
            files = self.evidence(value, f"{loc}.evidence")
        # NOTE: positional, in _cdx_common.COMPONENT_FIELDS order.
        return new_component(
            ref,
            self.key,
            loc,
            name,
            c.version,
            c.group,
            c.type,
            c.purl,
            () if c.cpe is None else (c.cpe,),
            swid,
            hashes,
            supplier,
            manufacturer,
            c.publisher,
            authors,
            c.copyright,
            licenses,
            c.description,
            ext,
            props,
            pedigree,
            parent,
            files,
            c.scope,
            None,  # line: JSON has none
            synthetic,
            False,
        )

    def typed_org(self, org: _Org) -> Party:
        urls = () if org.url is None else tuple(org.url)
        if org.contact is None:
            key = (org.name, urls)
            if (party := self.orgs.get(key)) is None:
                party = self.orgs[key] = new_party(org.name, "organization", (), urls, None)
            return party
        emails = tuple(c.email for c in org.contact if c.email)
        return new_party(org.name, "organization", emails, urls, None)

    def typed_licenses(self, entries: list[_LicenseChoice], loc: str) -> tuple[str, ...]:
        out = []
        for entry in entries:
            lic = entry.license
            if lic is not None:
                text = lic.id or lic.name
                if text is None:
                    return self.typed_licenses_slow(entries, loc)
                out.append(text)
            elif (expression := entry.expression) is not None:
                if expression:
                    out.append(expression)
            else:
                return self.typed_licenses_slow(entries, loc)
        return tuple(out)

    def typed_licenses_slow(self, entries: list[_LicenseChoice], loc: str) -> tuple[str, ...]:
        """`_JsonReader.licenses_slow`: the whole list again, warning about each entry that
        names no licence (and, as there, an empty id or name counts as none)."""
        out = []
        for i, entry in enumerate(entries):
            where = f"{loc}.licenses[{i}]"
            if (lic := entry.license) is not None:
                text = lic.id or lic.name
                if not text:
                    self.ctx.warn("missing-field", "license without id or name", f"{where}.license")
                    continue
                out.append(text)
            elif expression := entry.expression:
                out.append(expression)
            else:
                self.ctx.warn(
                    "missing-field", "licenses entry without license or expression", where
                )
        return tuple(out)

    def typed_ext_refs(
        self, refs: list[_ExternalReference], loc: str, owner: str | None
    ) -> tuple[ExternalReference, ...]:
        out = []
        for i, entry in enumerate(refs):
            hashes = () if entry.hashes is None else _hashes(entry.hashes)
            out.append(new_ext_ref(entry.type, entry.url, entry.comment, hashes))
            if entry.type == "bom":
                self.ext.bom_reference(entry.url, hashes, f"{loc}.externalReferences[{i}]", owner)
        return tuple(out)

    def typed_properties(self, props: list[_Property]) -> tuple[Property, ...]:
        out = []
        cache = self.props
        for p in props:
            key = (p.name or "", p.value or "")
            if (prop := cache.get(key)) is None:
                prop = cache[key] = new_property(*key)
            out.append(prop)
        return tuple(out)

    def dependencies(self, value: object) -> int | None:
        entries: Any = value
        if not entries or entries[0].__class__ is not TypedDependency:
            return super().dependencies(value)
        append = self.relationships.append
        key = self.key
        ext = self.ext
        provides = 0
        for i, dep in enumerate(entries):
            entries[i] = None
            ref = dep.ref
            if ref is None or not ref or ref.startswith(BOM_LINK_PREFIX):
                ref = self.dependency_ref(ref, f"dependencies[{i}]")
            for field, rtype, targets in (
                ("dependsOn", "depends-on", dep.dependsOn),
                ("provides", "provides", dep.provides),
            ):
                if targets is None:
                    continue
                if rtype == "provides":
                    provides += len(targets)
                where = f"dependencies[{i}].{field}"
                for j, target in enumerate(targets):
                    if target.startswith(BOM_LINK_PREFIX):
                        ext.bom_link(target, f"{where}[{j}]")
                    append(new_relationship(ref, rtype, target, key, f"{where}[{j}]", True))
        if not provides:
            return None
        return sum(1 for r in self.relationships if r.explicit) - provides


def _hashes(entries: list[_Hash]) -> tuple[Hash, ...]:
    out = []
    for h in entries:
        # NOTE: as the general reader's fast path: keep the decoded string where it is
        # already lower case.
        content = h.content
        lowered = content.lower()
        if lowered != content:
            content = lowered
        out.append(new_hash(ALGORITHMS.get(h.alg) or algorithm(h.alg), content))
    return tuple(out)
