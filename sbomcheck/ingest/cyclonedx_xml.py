"""Read CycloneDX 1.2-1.7 XML (already parsed safely by lxml) into the model.

The spec version is the one in the root namespace (`http://cyclonedx.org/schema/bom/1.5`).
The tree is walked once, element by element: each child's tag is looked up in a table of
known local names (no XPath, no repeated `find`), and model objects are built with the same
positional builders as the JSON reader. Locations are XPath-like (`/bom/components/
component[3]`, 1-based among `component` siblings) and every component keeps its source line.

Fail closed (docs/readers.md): elements of every CycloneDX namespace are read alike (a 1.4
component in a 1.5 BOM is a component); an element the schema allows once in its parent,
written twice, is refused; an element of another namespace where components or services may
stand is reported (`unknown-namespace`) and not read, so the verdict cannot be a pass. Other
foreign elements are extensions, skipped as the schema allows.

Over 500 lines on purpose: `_XmlReader` reads every member of the schema that carries an
identity, a party or a link, as the JSON reader does; the namespace and local-name tables
are in `_cdx_xml_names`. A regular document is read by `_cdx_xml_stream`, with these methods,
while lxml parses it; this reader over the whole tree is the authority it gives way to.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sbomcheck.errors import IngestError
from sbomcheck.ingest._cdx_common import (
    ALGORITHMS,
    BOM_LINK_PREFIX,
    BomMetadata,
    ExternalDocs,
    algorithm,
    check_serial,
    check_spec_version,
    check_timestamp,
    contact_label,
    legacy_author,
    new_component,
    new_ext_ref,
    new_hash,
    new_party,
    new_property,
    new_relationship,
    tool_label,
)
from sbomcheck.ingest._cdx_xml_names import (
    FOREIGN,
    HOLDERS,
    LOCAL_NAMES,
    NAMESPACE_PREFIX,
    SPEC_VERSION,
    TEXT_FIELDS,
    LocalNames,
    TextSlots,
    cyclonedx_local,
    is_cyclonedx_bom,
)
from sbomcheck.ingest._checks import check_structure
from sbomcheck.ingest._context import ReadContext
from sbomcheck.ingest.interface import Reader, Syntax
from sbomcheck.model import (
    Component,
    Composition,
    Document,
    ExternalReference,
    FileEntry,
    Format,
    Hash,
    Party,
    Pedigree,
    Property,
    Relationship,
)

__all__ = ["READER", "read_cyclonedx_xml"]


def read_cyclonedx_xml(root: Any, ctx: ReadContext) -> Document:
    """Build a `Document` from the lxml root element of a CycloneDX XML BOM.

    Raises `IngestError` (with an XPath as location) on a namespace that is not CycloneDX 1.x
    or on elements where the schema allows none.
    """
    # NOTE: called inside ingest.load_bytes, which keeps the cyclic GC paused (sbomcheck._gc).
    return _XmlReader(root, ctx).read()


READER = Reader(
    format=Format.CYCLONEDX_XML,
    syntax=Syntax.XML,
    identify=is_cyclonedx_bom,
    read=read_cyclonedx_xml,
)
"""CycloneDX XML, read from the lxml root element."""


def _text(el: Any) -> str:
    text = el.text
    return text.strip() if text else ""


_ComponentChildren = tuple[
    list[str | None],  # the text fields, in TEXT_FIELDS order
    str | None,  # swid tagId
    tuple[Hash, ...],
    Party | None,  # supplier
    Party | None,  # manufacturer
    tuple[Party, ...],  # authors
    tuple[str, ...],  # licenses
    tuple[ExternalReference, ...],
    tuple[Property, ...],
    Pedigree | None,
    tuple[FileEntry, ...],
    Any,  # the nested <components> element, or None
]
"""What `_XmlReader.component_children` finds in a <component>, in this order."""


class _XmlReader:
    __slots__ = (
        "components",
        "ctx",
        "ext",
        "foreign",
        "key",
        "known",
        "authors",
        "orgs",
        "props",
        "names",
        "ns",
        "relationships",
        "root",
        "services",
        "spec",
        "tag_component",
        "tag_dependency",
        "tag_hash",
        "tag_provides",
        "text_slots",
        "words",
    )

    def __init__(self, root: Any, ctx: ReadContext) -> None:
        self.ctx = ctx
        self.key = ctx.key
        self.root = root
        tag = root.tag
        uri = tag[1 : tag.index("}")] if tag.startswith("{") else ""
        spec = uri[len(NAMESPACE_PREFIX) :] if uri.startswith(NAMESPACE_PREFIX) else ""
        if SPEC_VERSION.fullmatch(spec) is None:
            raise IngestError(
                f"XML namespace {uri!r} is not a CycloneDX namespace ({NAMESPACE_PREFIX}1.x)",
                source=ctx.key,
                location="/bom",
            )
        self.spec = spec
        self.ns = "{" + uri + "}"
        # Full tag -> local name, for this document's namespace only.
        self.names = LocalNames(self.ns, LOCAL_NAMES)
        self.text_slots = TextSlots(self.ns)
        # NOTE: the tags of the hot loops, built once (a concatenation per element showed).
        self.tag_component = self.ns + "component"
        self.tag_dependency = self.ns + "dependency"
        self.tag_hash = self.ns + "hash"
        self.tag_provides = self.ns + "provides"
        # Namespace -> (count, first line, first place) of elements not read (`FOREIGN`).
        self.foreign: dict[str, tuple[int, int, str]] = {}
        self.components: list[Component] = []
        self.services: list[Component] = []
        self.relationships: list[Relationship] = []
        self.ext = ExternalDocs()
        self.known: list[str] = []
        # NOTE: equal suppliers, authors and properties are shared (see cyclonedx_json).
        self.authors: dict[str, Party] = {}
        self.orgs: dict[tuple[str | None, tuple[str, ...], tuple[str, ...]], Party] = {}
        self.props: dict[tuple[str, str], Property] = {}
        # NOTE: values from a short list (component and reference types, license ids) are
        # stored once, not once per component: lxml makes a new string each time it is asked.
        self.words: dict[str, str] = {}

    def unexpected(self, el: Any, container: str, container_path: str) -> IngestError:
        """The error for an element of the CycloneDX namespace the schema forbids here."""
        local = el.tag.rpartition("}")[2]
        position = 1 + sum(1 for s in el.itersiblings(preceding=True) if isinstance(s.tag, str))
        return IngestError(
            f"unexpected element <{local}> in <{container}> (line {el.sourceline})",
            source=self.key,
            location=f"{container_path}/*[{position}]",
        )

    def repeated(self, el: Any, container: str, container_path: str) -> IngestError:
        """The error for a second element where the schema allows one: readers disagree on
        which one counts, and a finding could hide in the one not read."""
        local = el.tag.rpartition("}")[2]
        where = f"{container_path}/{local}[2]"
        if container_path.startswith("line "):
            where = f"line {el.sourceline}"  # a party, read without its path
        return IngestError(
            f"element <{local}> appears twice in <{container}> (line {el.sourceline}); it may "
            "appear once, so sbomcheck refuses the document rather than guess which counts",
            source=self.key,
            location=where,
        )

    def not_read(self, el: Any, where: str) -> None:
        """Note an element of another namespace where components may stand (a comment or
        processing instruction is nothing)."""
        tag = el.tag
        if tag.__class__ is not str:
            return
        ns = tag[1 : tag.index("}")] if tag.startswith("{") else ""
        count, line, place = self.foreign.get(ns, (0, el.sourceline, where))
        self.foreign[ns] = (count + 1, line, place)

    def warn_not_read(self) -> None:
        for ns, (count, line, place) in self.foreign.items():
            what = "element" if count == 1 else f"{count} elements"
            self.ctx.warn(
                "unknown-namespace",
                f"{what} in namespace {ns!r} (first at line {line}) where CycloneDX components "
                "or services may stand; not read, so the SBOM cannot show absence",
                place,
            )

    def children(self, el: Any, local: str, where: str) -> list[Any]:
        """The children of `el` named `local` (in any CycloneDX namespace); other elements of
        a CycloneDX namespace are errors, other elements are noted as not read."""
        want = self.ns + local
        names = self.names
        found = []
        for child in el:
            tag = child.tag
            if tag == want or names[tag] == local:
                found.append(child)
            elif cyclonedx_local(tag) is not None:
                raise self.unexpected(child, el.tag.rpartition("}")[2], where)
            elif local in HOLDERS:
                self.not_read(child, where)
        return found

    # -- document ---------------------------------------------------------------------------

    def read(self) -> Document:
        serial, version = self.header()
        sections = self.singletons(self.root, "bom", "/bom")
        meta = BomMetadata()
        if (metadata := sections.get("metadata")) is not None:
            self.metadata(metadata, meta)
        compositions = self.body(sections)
        return self.document(serial, version, meta, compositions)

    def document(
        self,
        serial: str | None,
        version: int | None,
        meta: BomMetadata,
        compositions: tuple[Composition, ...],
    ) -> Document:
        """The Document of what was read, once every section is read: the foreign elements
        reported, the structure checked."""
        self.warn_not_read()
        ctx = self.ctx
        check_structure(
            ctx,
            [*self.components, *self.services],
            self.relationships,
            document_refs=self.known,
        )
        explicit = sum(1 for r in self.relationships if r.explicit)
        provides = sum(1 for r in self.relationships if r.type == "provides")
        return Document(
            key=self.key,
            path=ctx.path,
            sha256=ctx.sha256,
            sha1=ctx.sha1,
            format=Format.CYCLONEDX_XML,
            spec_version=self.spec,
            serial_number=serial,
            version=version,
            created=meta.created,
            creators=tuple(meta.creators),
            tools=tuple(meta.tools),
            root_refs=meta.root_refs,
            components=tuple(self.components),
            services=tuple(self.services),
            relationships=tuple(self.relationships),
            relationships_as_written=explicit - provides if provides else None,
            external_refs=tuple(self.ext.refs),
            compositions=compositions,
            warnings=tuple(ctx.warnings),
            gzip=ctx.gzip,
        )

    def header(self) -> tuple[str | None, int | None]:
        """The spec version (from the namespace), serialNumber and version, checked."""
        ctx = self.ctx
        root = self.root
        check_spec_version(ctx, self.spec, "/bom/@xmlns")
        serial = root.get("serialNumber")
        if serial is not None:
            check_serial(ctx, serial, "/bom/@serialNumber")
        version: int | None = None
        if (raw_version := root.get("version")) is not None:
            try:
                version = int(raw_version)
            except ValueError:
                ctx.warn(
                    "lenient-value",
                    f"version {raw_version!r} is not an integer; not used",
                    "/bom/@version",
                )
        return serial, version

    def metadata(self, metadata: Any, meta: BomMetadata) -> None:
        """The BOM's metadata: when and by whom (and with what) it was made, its product."""
        ctx = self.ctx
        parts = self.singletons(metadata, "metadata", "/bom/metadata")
        if (el := parts.get("timestamp")) is not None:
            meta.created = _text(el)
            check_timestamp(ctx, meta.created, "/bom/metadata/timestamp")
        if (el := parts.get("tools")) is not None:
            meta.tools = self.tools(el)
        if (el := parts.get("authors")) is not None:
            for author in self.children(el, "author", "/bom/metadata/authors"):
                party = self.contact(author)
                meta.creators.append(
                    contact_label(party.name, party.emails[0] if party.emails else None)
                )
        if (el := parts.get("manufacturer")) is not None:
            # NOTE: 1.6 metadata.manufacturer is "the organization that created the BOM".
            meta.creators.append(f"Organization: {self.org(el).name or ''}")
        if (el := parts.get("component")) is not None:
            meta.root_refs = (self.metadata_component(el, parts),)
            return
        for local in ("supplier", "manufacture"):
            if local in parts:
                ctx.warn(
                    "missing-field",
                    f"metadata/{local} names the supplier of the product, but there "
                    "is no metadata/component to attach it to; not used",
                    f"/bom/metadata/{local}",
                )

    def body(self, sections: dict[str, Any]) -> tuple[Composition, ...]:
        """Components, services, external references, dependencies and compositions; the
        compositions."""
        if (el := sections.get("components")) is not None:
            self.component_list(el, "/bom/components", None, False)
        if (el := sections.get("services")) is not None:
            self.service_list(el, "/bom/services", None)
        if (el := sections.get("externalReferences")) is not None:
            self.ext_refs(el, "/bom/externalReferences", None)
        if (el := sections.get("dependencies")) is not None:
            self.dependencies(el)
        if (el := sections.get("compositions")) is not None:
            return self.compositions(el)
        return ()

    def known_children(self, el: Any) -> dict[str, Any] | None:
        """`singletons` of `el` for the usual element, with no place to build: None when a
        child is foreign or repeated (then `singletons` notes or refuses it)."""
        found: dict[str, Any] = {}
        names = self.names
        for child in el:
            local = names[child.tag]
            if local is None:
                continue
            if local is FOREIGN or local in found:
                return None
            found[local] = child
        return found

    def singletons(self, el: Any, container: str, where: str) -> dict[str, Any]:
        """The children of `el` the reader knows, by local name; each may appear once."""
        found: dict[str, Any] = {}
        names = self.names
        for child in el:
            local = names[child.tag]
            if local is None:
                continue
            if local is FOREIGN:
                self.not_read(child, where)
            elif local in found:
                raise self.repeated(child, container, where)
            else:
                found[local] = child
        return found

    def metadata_component(self, el: Any, parts: dict[str, Any]) -> str:
        first = len(self.components)
        root = self.component(el, "/bom/metadata/component", None, True)
        # NOTE: before 1.6 the product's supplier and manufacturer sit in metadata, not in
        # metadata/component; they describe the same product, so they fill its empty fields.
        supplier, manufacturer = root.supplier, root.manufacturer
        if supplier is None and (org := parts.get("supplier")) is not None:
            supplier = self.org(org)
        if manufacturer is None and (org := parts.get("manufacture")) is not None:
            manufacturer = self.org(org)
        if supplier is not root.supplier or manufacturer is not root.manufacturer:
            self.components[first] = dataclasses.replace(
                root, supplier=supplier, manufacturer=manufacturer
            )
        return root.ref

    def tools(self, el: Any) -> list[str]:
        labels: list[str] = []
        names = self.names
        where = "/bom/metadata/tools"
        counts: dict[str, int] = {}
        for child in el:
            local = names[child.tag]
            if local == "tool":
                # 1.2-1.4 (deprecated later): <tool><vendor/><name/><version/></tool>
                n = counts["tool"] = counts.get("tool", 0) + 1
                parts = self.singletons(child, "tool", f"{where}/tool[{n}]")
                fields = {k: _text(f) for k, f in parts.items()}
                labels.append(
                    tool_label(fields.get("vendor"), fields.get("name"), fields.get("version"))
                )
            elif local in ("components", "services"):
                # 1.5+: full components and services.
                if local in counts:
                    raise self.repeated(child, "tools", where)
                counts[local] = 1
                for entry in child:
                    kind = names[entry.tag]
                    if kind not in ("component", "service"):
                        continue
                    if ref := entry.get("bom-ref"):
                        self.known.append(ref)
                    fields = {}
                    vendor = None
                    n = counts[kind] = counts.get(kind, 0) + 1
                    place = f"{where}/{local}/{kind}[{n}]"
                    for flocal, f in self.singletons(entry, kind, place).items():
                        if flocal in ("supplier", "manufacturer", "provider"):
                            vendor = vendor or self.org(f).name
                        else:
                            fields[flocal] = _text(f)
                    vendor = (
                        vendor
                        or fields.get("publisher")
                        or fields.get("author")
                        or fields.get("group")
                    )
                    labels.append(tool_label(vendor, fields.get("name"), fields.get("version")))
        return labels

    # -- components -------------------------------------------------------------------------

    def component_list(
        self, container: Any, where: str, parent: str | None, is_metadata: bool
    ) -> None:
        """Every <component> of a <components>, nested ones right after their parent."""
        n = 0
        for el in container:
            n = self.component_entry(el, where, n, parent, is_metadata)

    def component_entry(
        self, el: Any, where: str, n: int, parent: str | None, is_metadata: bool
    ) -> int:
        """One child of the <components> at `where`, after `n` components: read if it is a
        component (`n` + 1 returned), else refused or noted as not read (`n` returned)."""
        tag = el.tag
        if tag != self.tag_component and self.names[tag] != "component":
            if cyclonedx_local(tag) is not None:
                raise self.unexpected(el, "components", where)
            self.not_read(el, where)
            return n
        n += 1
        comp = self.component(el, f"{where}/component[{n}]", parent, is_metadata)
        if parent is not None:
            self.relationships.append(
                new_relationship(parent, "contains", comp.ref, self.key, comp.location, False)
            )
        return n

    def component(self, el: Any, loc: str, parent: str | None, is_metadata: bool) -> Component:
        comp, kids = self.component_fields(el, loc, parent, is_metadata)
        self.components.append(comp)
        if kids is not None:
            self.component_list(kids, f"{loc}/components", comp.ref, is_metadata)
        return comp

    def component_fields(
        self, el: Any, loc: str, parent: str | None, is_metadata: bool
    ) -> tuple[Component, Any]:
        """The component itself and its <components> element (or None)."""
        ref = el.get("bom-ref")
        synthetic = False
        if ref is None:
            ref, synthetic = loc, True
        elif not ref:
            self.ctx.warn("lenient-value", "empty bom-ref; the location is used as its ref", loc)
            ref, synthetic = loc, True
        (
            texts,
            swid,
            hashes,
            supplier,
            manufacturer,
            authors,
            licenses,
            ext,
            props,
            pedigree,
            files,
            kids,
        ) = self.component_children(el, loc, ref)
        name, version, purl, group, description, publisher, scope, copyright_, cpe, author = texts
        if name is None:
            self.ctx.warn("missing-field", "component has no name; read with name ''", loc)
            name = ""
        if author is not None:
            if (legacy := self.authors.get(author)) is None:
                legacy = self.authors[author] = legacy_author(author)
            authors = (*authors, legacy)
        # NOTE: positional, in _cdx_common.COMPONENT_FIELDS order.
        comp = new_component(
            ref,
            self.key,
            loc,
            name,
            version,
            group,
            None if (kind := el.get("type")) is None else self.words.setdefault(kind, kind),
            purl,
            () if cpe is None else (cpe,),
            swid,
            hashes,
            supplier,
            manufacturer,
            publisher,
            authors,
            copyright_,
            licenses,
            description,
            ext,
            props,
            pedigree,
            parent,
            files,
            scope,
            el.sourceline,
            synthetic,
            is_metadata,
        )
        return comp, kids

    def component_children(self, el: Any, loc: str, ref: str) -> _ComponentChildren:
        """What a <component>'s children say, each read once: its text fields (in
        `TEXT_FIELDS` order), then its other members (see `_ComponentChildren`)."""
        # NOTE: one plain tuple back, not an object per component. Against the loop inline
        # in `component_fields`, reading 30,000 components measured -4% to +2%: noise
        # (docs/readers.md, "Long functions").
        texts: list[str | None] = [None] * len(TEXT_FIELDS)
        text_slots = self.text_slots
        swid = None
        hashes: tuple[Hash, ...] = ()
        supplier = manufacturer = None
        authors: tuple[Party, ...] = ()
        licenses: tuple[str, ...] = ()
        ext: tuple[ExternalReference, ...] = ()
        props: tuple[Property, ...] = ()
        pedigree: Pedigree | None = None
        files: tuple[FileEntry, ...] = ()
        kids = None
        names = self.names
        seen: set[str] = set()
        for child in el:
            tag = child.tag
            # NOTE: one dict lookup for the plain text fields, most of a component's
            # children; an if-chain of string comparisons cost ~10 µs per component.
            slot = text_slots[tag]
            if slot is not None:
                if texts[slot] is not None:
                    raise self.repeated(child, "component", loc)
                text = child.text
                texts[slot] = text.strip() if text else ""
                continue
            local = names[tag]
            if local is None:
                continue
            if local is FOREIGN:
                self.not_read(child, loc)
                continue
            if local in seen:
                raise self.repeated(child, "component", loc)
            seen.add(local)
            if local == "hashes":
                hashes = self.hashes(child)
            elif local == "licenses":
                licenses = self.licenses(child)
            elif local == "externalReferences":
                ext = self.ext_refs(child, f"{loc}/externalReferences", ref)
            elif local == "properties":
                props = self.properties(child)
            elif local == "supplier":
                supplier = self.org(child)
            elif local == "components":
                kids = child
            elif local == "manufacturer":
                manufacturer = self.org(child)
            elif local == "authors":
                authors = tuple(
                    self.contact(a) for a in self.children(child, "author", f"{loc}/authors")
                )
            elif local == "swid":
                swid = child.get("tagId")
            elif local == "pedigree":
                pedigree = self.pedigree(child, f"{loc}/pedigree")
            elif local == "evidence":
                files = self.evidence(child)
        return (
            texts,
            swid,
            hashes,
            supplier,
            manufacturer,
            authors,
            licenses,
            ext,
            props,
            pedigree,
            files,
            kids,
        )

    def hashes(self, el: Any) -> tuple[Hash, ...]:
        out = []
        want = self.tag_hash
        names = self.names
        for h in el:
            if h.tag != want and names[h.tag] != "hash":
                continue
            alg = h.get("alg")
            content = h.text
            if alg is None or not content:
                self.ctx.warn(
                    "missing-field", "hash without alg or content; not used", f"line {h.sourceline}"
                )
                continue
            # NOTE: lower() unasked: str.islower() has no ASCII shortcut and cost more than
            # lowering (5,000 instructions for a SHA-256 hex digest).
            out.append(new_hash(ALGORITHMS.get(alg) or algorithm(alg), content.strip().lower()))
        return tuple(out)

    def org(self, el: Any) -> Party:
        """An organizationalEntity: name, url*, contact*/email."""
        name = None
        urls = []
        emails: list[str] = []
        names = self.names
        for child in el:
            local = names[child.tag]
            if local == "name":
                if name is not None:
                    raise self.repeated(child, "organization", f"line {el.sourceline}")
                text = child.text
                name = text.strip() if text else ""
            elif local == "url":
                text = child.text
                urls.append(text.strip() if text else "")
            elif local == "contact":
                emails.extend(
                    email for c in child if names[c.tag] == "email" and (email := _text(c))
                )
        key = (name, tuple(emails), tuple(urls))
        if (party := self.orgs.get(key)) is None:
            party = self.orgs[key] = new_party(name, "organization", key[1], key[2], None)
        return party

    def contact(self, el: Any) -> Party:
        """An organizationalContact (a person): name, email."""
        name = email = None
        names = self.names
        for child in el:
            local = names[child.tag]
            if local == "name":
                if name is not None:
                    raise self.repeated(child, "contact", f"line {el.sourceline}")
                name = _text(child)
            elif local == "email":
                if email is not None:
                    raise self.repeated(child, "contact", f"line {el.sourceline}")
                email = _text(child)
        return new_party(name, "person", (email,) if email else (), (), None)

    def licenses(self, el: Any) -> tuple[str, ...]:
        out = []
        names = self.names
        for child in el:
            local = names[child.tag]
            if local == "license":
                text = None
                parts = self.known_children(child)
                if parts is None:
                    parts = self.singletons(child, "license", f"line {child.sourceline}")
                if (part := parts.get("id")) is not None:
                    text = _text(part)
                if not text and (part := parts.get("name")) is not None:
                    text = _text(part)
                if text:
                    out.append(self.words.setdefault(text, text))
                else:
                    self.ctx.warn(
                        "missing-field", "license without id or name", f"line {child.sourceline}"
                    )
            elif local == "expression" and (text := _text(child)):
                out.append(self.words.setdefault(text, text))
        return tuple(out)

    def ext_refs(self, el: Any, where: str, owner: str | None) -> tuple[ExternalReference, ...]:
        out = []
        names = self.names
        n = 0
        for child in el:
            if names[child.tag] != "reference":
                continue
            n += 1
            comment = None
            hashes: tuple[Hash, ...] = ()
            parts = self.known_children(child)
            if parts is None:
                parts = self.singletons(child, "reference", f"{where}/reference[{n}]")
            url = parts.get("url")
            if url is not None:
                text = url.text
                url = text.strip() if text else ""
            if len(parts) > 1:
                if (part := parts.get("comment")) is not None:
                    comment = _text(part)
                if (part := parts.get("hashes")) is not None:
                    hashes = self.hashes(part)
            rtype = child.get("type")
            if url is None or rtype is None:
                self.ctx.warn(
                    "missing-field",
                    "external reference without url or type",
                    f"{where}/reference[{n}]",
                )
            kind = self.words.setdefault(rtype, rtype) if rtype else ""
            out.append(new_ext_ref(kind, url or "", comment, hashes))
            if rtype == "bom":
                self.ext.bom_reference(url or "", hashes, f"{where}/reference[{n}]", owner)
        return tuple(out)

    def properties(self, el: Any) -> tuple[Property, ...]:
        want = self.ns + "property"
        names = self.names
        out = []
        cache = self.props
        for p in el:
            if p.tag == want or names[p.tag] == "property":
                key = (p.get("name") or "", p.text or "")
                if (prop := cache.get(key)) is None:
                    prop = cache[key] = new_property(*key)
                out.append(prop)
        return tuple(out)

    def pedigree(self, el: Any, loc: str) -> Pedigree:
        groups: dict[str, tuple[Component, ...]] = {}
        notes = None
        for local, child in self.singletons(el, "pedigree", loc).items():
            if local == "notes":
                notes = _text(child)
            if local not in ("ancestors", "descendants", "variants"):
                continue
            found: list[Component] = []
            for n, entry in enumerate(self.children(child, "component", f"{loc}/{local}"), 1):
                self.pedigree_entry(entry, f"{loc}/{local}/component[{n}]", None, found)
            groups[local] = tuple(found)
        return Pedigree(
            ancestors=groups.get("ancestors", ()),
            descendants=groups.get("descendants", ()),
            variants=groups.get("variants", ()),
            notes=notes,
        )

    def pedigree_entry(self, el: Any, loc: str, parent: str | None, found: list[Component]) -> None:
        """A pedigree entry, then the components nested in it (with `parent` set)."""
        # NOTE: pedigree entries have their own identity but are not components of this
        # product: built like one, kept in the Pedigree, out of Document.components.
        comp, kids = self.component_fields(el, loc, parent, False)
        found.append(comp)
        if not comp.ref_synthetic:
            self.known.append(comp.ref)
        if kids is not None:
            where = f"{loc}/components"
            for n, kid in enumerate(self.children(kids, "component", where), 1):
                self.pedigree_entry(kid, f"{where}/component[{n}]", comp.ref, found)

    def evidence(self, el: Any) -> tuple[FileEntry, ...]:
        out: list[FileEntry] = []
        names = self.names
        occurrences = self.singletons(el, "evidence", f"line {el.sourceline}").get("occurrences")
        for occ in () if occurrences is None else occurrences:
            if names[occ.tag] != "occurrence":
                continue
            part = self.singletons(occ, "occurrence", f"line {occ.sourceline}").get("location")
            if part is None:
                self.ctx.warn(
                    "missing-field", "occurrence without location", f"line {occ.sourceline}"
                )
                continue
            out.append(FileEntry(name=_text(part), ref=occ.get("bom-ref")))
        return tuple(out)

    # -- services ---------------------------------------------------------------------------

    def service_list(self, container: Any, where: str, parent: str | None) -> None:
        for n, el in enumerate(self.children(container, "service", where), 1):
            loc = f"{where}/service[{n}]"
            ref = self.service(el, loc, parent)
            if parent is not None:
                self.relationships.append(
                    new_relationship(parent, "contains", ref, self.key, loc, False)
                )

    def service(self, el: Any, loc: str, parent: str | None) -> str:
        """Read one service (and its nested ones, after it); returns its ref."""
        ref: str | None = el.get("bom-ref")
        if ref == "":
            self.ctx.warn("lenient-value", "empty bom-ref; the location is used as its ref", loc)
        synthetic = not ref
        if not ref:
            ref = loc
        fields: dict[str, str] = {}
        supplier = None
        ext: list[ExternalReference] = []
        licenses: tuple[str, ...] = ()
        props: tuple[Property, ...] = ()
        kids = None
        names = self.names
        for local, child in self.singletons(el, "service", loc).items():
            if local in ("name", "version", "group", "description"):
                fields[local] = _text(child)
            elif local == "provider":
                supplier = self.org(child)
            elif local == "endpoints":
                ext.extend(
                    ExternalReference(type="endpoint", url=_text(e))
                    for e in child
                    if names[e.tag] == "endpoint"
                )
            elif local == "externalReferences":
                ext.extend(self.ext_refs(child, f"{loc}/externalReferences", ref))
            elif local == "licenses":
                licenses = self.licenses(child)
            elif local == "properties":
                props = self.properties(child)
            elif local == "services":
                kids = child
        if "name" not in fields:
            self.ctx.warn("missing-field", "service has no name; read with name ''", loc)
        self.services.append(
            Component(
                ref=ref,
                document=self.key,
                location=loc,
                name=fields.get("name", ""),
                version=fields.get("version"),
                group=fields.get("group"),
                type="service",
                supplier=supplier,
                licenses=licenses,
                description=fields.get("description"),
                external_references=tuple(ext),
                properties=props,
                parent=parent,
                line=el.sourceline,
                ref_synthetic=synthetic,
            )
        )
        if kids is not None:
            self.service_list(kids, f"{loc}/services", ref)
        return ref

    # -- graph ------------------------------------------------------------------------------

    def dependencies(self, el: Any) -> None:
        n = 0
        for dep in el:
            n = self.dependency_entry(dep, n)

    def dependency_entry(self, dep: Any, n: int) -> int:
        """One child of /bom/dependencies, after `n` dependencies: read if it is a dependency
        (`n` + 1 returned), else refused or skipped (`n` returned)."""
        tag = dep.tag
        if tag != self.tag_dependency and self.names[tag] != "dependency":
            if cyclonedx_local(tag) is not None:
                raise self.unexpected(dep, "dependencies", "/bom/dependencies")
            return n
        n += 1
        self.dependency(dep, f"/bom/dependencies/dependency[{n}]")
        return n

    def dependency(self, dep: Any, loc: str) -> str:
        """Edges from one <dependency> to each child <dependency>/<provides>, at any depth."""
        ref: str | None = dep.get("ref")
        if ref is None or not ref or ref.startswith(BOM_LINK_PREFIX):
            ref = self.dependency_ref(ref, loc)
        n_dep = n_prov = 0
        want_dep = self.tag_dependency
        want_prov = self.tag_provides
        names = self.names
        append = self.relationships.append
        key = self.key
        for child in dep:
            tag = child.tag
            if tag != want_dep and tag != want_prov:
                # NOTE: the same elements in another CycloneDX namespace (mixed versions).
                local = names[tag]
                if local == "dependency":
                    tag = want_dep
                elif local == "provides":
                    tag = want_prov
            if tag == want_dep:
                n_dep += 1
                where = f"{loc}/dependency[{n_dep}]"
                target = child.get("ref")
                rtype = "depends-on"
            elif tag == want_prov:
                n_prov += 1
                where = f"{loc}/provides[{n_prov}]"
                target = child.get("ref")
                rtype = "provides"
            else:
                continue
            if target is None:
                self.ctx.warn("missing-field", "dependency entry without ref; kept as ''", where)
                target = ""
            elif target.startswith(BOM_LINK_PREFIX):
                self.ext.bom_link(target, where)
            append(new_relationship(ref, rtype, target, key, where, True))
            if rtype == "depends-on" and len(child):
                # NOTE: the schema is recursive: a child <dependency> may list its own
                # dependencies, which are edges from the child.
                self.dependency(child, where)
        return ref

    def dependency_ref(self, ref: str | None, loc: str) -> str:
        """The unusual dependency refs: missing, empty or a BOM-Link."""
        if ref is None:
            self.ctx.warn(
                "missing-field", "dependency without ref; its entries are kept with ref ''", loc
            )
            return ""
        if not ref:
            self.ctx.warn("lenient-value", "dependency with an empty ref", f"{loc}/@ref")
        else:
            self.ext.bom_link(ref, f"{loc}/@ref")
        return ref

    def compositions(self, el: Any) -> tuple[Composition, ...]:
        out = []
        names = self.names
        for n, comp in enumerate(self.children(el, "composition", "/bom/compositions"), 1):
            loc = f"/bom/compositions/composition[{n}]"
            aggregate = None
            lists: dict[str, tuple[str, ...]] = {}
            for local, child in self.singletons(comp, "composition", loc).items():
                if local == "aggregate":
                    aggregate = _text(child)
                elif local in ("assemblies", "dependencies"):
                    refs = []
                    for item in child:
                        if names[item.tag] not in ("assembly", "dependency"):
                            continue
                        ref = item.get("ref") or ""
                        if ref.startswith(BOM_LINK_PREFIX):
                            self.ext.bom_link(ref, f"{loc}/{local}")
                        refs.append(ref)
                    lists[local] = tuple(refs)
            if aggregate is None:
                self.ctx.warn("missing-field", "composition without aggregate", loc)
            out.append(
                Composition(
                    aggregate=aggregate or "",
                    assemblies=lists.get("assemblies", ()),
                    dependencies=lists.get("dependencies", ()),
                )
            )
        return tuple(out)
