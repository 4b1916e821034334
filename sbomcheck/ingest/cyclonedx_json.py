"""Read CycloneDX 1.2-1.7 JSON (already decoded by orjson) into the model.

This is the general path (a regular document takes the typed one, `_cdx_json_typed`, a
subclass of this reader), and still a hot one: a 100,000-component SBOM it reads passes
through `component_fields` 100,000 times. So the loop uses plain `dict.get` with exact type
checks, builds model objects with positional builders (`_build.fast_constructor`) and makes
location strings only for the objects that keep them or for an error. Wrong JSON types fail
closed with an `IngestError` naming the JSON path; schema-level slips that hide nothing (a
missing name, an empty bom-ref, a malformed serialNumber or timestamp) are read and reported
as warnings. See docs/readers-cyclonedx.md.

Over 500 lines on purpose: `_JsonReader` reads every member of the schema that carries an
identity, a party or a link, and the typed fast path (`_cdx_json_typed`) subclasses it; one
class spread over modules would be harder to follow.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, NoReturn

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
    elements_of,
)

__all__ = ["READER", "read_cyclonedx_json"]

_JSON_TYPES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


def read_cyclonedx_json(
    obj: dict[str, Any], ctx: ReadContext, *, consume: bool = False
) -> Document:
    """Build a `Document` from a decoded CycloneDX JSON object.

    With `consume`, entries of `obj`'s components and dependencies arrays are dropped as
    they are read (set to None), which keeps peak memory near that of the parse; for a
    caller that owns `obj` and discards it afterwards.

    Raises `IngestError` (with a JSON path as location) on values of the wrong JSON type.
    """
    # NOTE: called inside ingest.load_bytes, which keeps the cyclic GC paused (sbomcheck._gc).
    reader = _JsonReader(ctx)
    reader.consume = consume
    return reader.read(obj)


def _names_cyclonedx(obj: dict[str, Any], ctx: ReadContext) -> bool:
    """A JSON object with a `bomFormat`; one naming anything but CycloneDX is refused."""
    if "bomFormat" not in obj:
        return False
    if obj.get("bomFormat") != "CycloneDX":
        raise IngestError(
            f"value {obj.get('bomFormat')!r} is not 'CycloneDX'",
            source=ctx.key,
            location="bomFormat",
        )
    return True


def _has_cyclonedx_shape(obj: dict[str, Any]) -> bool:
    """`specVersion` and `components` without `bomFormat`: what some generators write."""
    return "specVersion" in obj and "components" in obj


def _read_owned(obj: dict[str, Any], ctx: ReadContext) -> Document:
    # NOTE: load owns the parsed tree and drops it after, so the reader may consume it.
    return read_cyclonedx_json(obj, ctx, consume=True)


READER = Reader(
    format=Format.CYCLONEDX_JSON,
    syntax=Syntax.JSON,
    identify=_names_cyclonedx,
    read=_read_owned,
    fallback=_has_cyclonedx_shape,
)
"""CycloneDX JSON, read from dicts; regular documents take the fast path of `_cdx_json_typed`."""


def _kind(value: object) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


class _JsonReader:
    __slots__ = (
        "authors",
        "components",
        "consume",
        "ctx",
        "ext",
        "key",
        "known",
        "orgs",
        "props",
        "relationships",
        "services",
    )

    def __init__(self, ctx: ReadContext) -> None:
        self.ctx = ctx
        self.key = ctx.key
        self.consume = False
        self.components: list[Component] = []
        self.services: list[Component] = []
        self.relationships: list[Relationship] = []
        self.ext = ExternalDocs()
        # Refs declared outside components/services (pedigree entries, tools) that a
        # dependency may name without dangling.
        self.known: list[str] = []
        # NOTE: suppliers, authors and properties repeat across the components of one SBOM
        # (one vendor, one build tool); equal frozen objects are shared, which saves both
        # the build and the memory. Per document, so nothing grows across documents.
        self.authors: dict[str, Party] = {}
        self.orgs: dict[tuple[str | None, tuple[str, ...]], Party] = {}
        self.props: dict[tuple[str, str], Property] = {}

    # -- type checks (errors name the JSON path) ----------------------------------------------

    def bad(self, location: str, value: object, expected: str) -> NoReturn:
        raise IngestError(
            f"expected {expected}, got {_kind(value)}", source=self.key, location=location
        )

    def opt_str(self, d: dict[str, Any], field: str, location: str) -> str | None:
        value = d.get(field)
        if value is None or value.__class__ is str:
            return value
        self.bad(f"{location}.{field}", value, "a string")

    def obj(self, value: Any, location: str) -> dict[str, Any]:
        if value.__class__ is not dict:
            self.bad(location, value, "an object")
        return value

    def arr(self, value: Any, location: str) -> list[Any]:
        if value.__class__ is not list:
            self.bad(location, value, "an array")
        return value

    # -- document ---------------------------------------------------------------------------

    def read(self, bom: dict[str, Any]) -> Document:
        spec, serial, version = self.header(bom)
        meta = BomMetadata()
        if (metadata := bom.get("metadata")) is not None:
            self.metadata(self.obj(metadata, "metadata"), meta)
        as_written, compositions = self.body(bom)
        ctx = self.ctx
        components = self.component_sequence()
        relationships = self.relationship_sequence()
        check_structure(
            ctx,
            elements_of(components, self.services),
            relationships,
            document_refs=self.known,
        )
        return Document(
            key=self.key,
            path=ctx.path,
            sha256=ctx.sha256,
            sha1=ctx.sha1,
            format=Format.CYCLONEDX_JSON,
            spec_version=spec,
            serial_number=serial,
            version=version,
            created=meta.created,
            creators=tuple(meta.creators),
            tools=tuple(meta.tools),
            root_refs=meta.root_refs,
            components=components,
            services=tuple(self.services),
            relationships=relationships,
            relationships_as_written=as_written,
            external_refs=tuple(self.ext.refs),
            compositions=compositions,
            warnings=tuple(ctx.warnings),
            gzip=ctx.gzip,
        )

    def component_sequence(self) -> Sequence[Component]:
        """The components read, as the Document keeps them (the lazy reader keeps most
        unbuilt)."""
        return tuple(self.components)

    def relationship_sequence(self) -> Sequence[Relationship]:
        """The relationships read, as the Document keeps them."""
        return tuple(self.relationships)

    def header(self, bom: dict[str, Any]) -> tuple[str, str | None, int | None]:
        """specVersion (required), serialNumber and version, checked."""
        spec = bom.get("specVersion")
        if spec is None:
            raise IngestError(
                "required member is missing (every CycloneDX BOM states its spec version)",
                source=self.key,
                location="specVersion",
            )
        if spec.__class__ is not str:
            self.bad("specVersion", spec, "a string")
        check_spec_version(self.ctx, spec, "specVersion")
        serial = self.opt_str(bom, "serialNumber", "$")
        if serial is not None:
            check_serial(self.ctx, serial, "serialNumber")
        version = bom.get("version")
        if version is not None and version.__class__ is not int:
            self.bad("version", version, "an integer")
        return spec, serial, version

    def metadata(self, metadata: dict[str, Any], meta: BomMetadata) -> None:
        """The BOM's metadata: when and by whom (and with what) it was made, its product."""
        ctx = self.ctx
        meta.created = self.opt_str(metadata, "timestamp", "metadata")
        if meta.created is not None:
            check_timestamp(ctx, meta.created, "metadata.timestamp")
        if (value := metadata.get("tools")) is not None:
            meta.tools = self.tools(value, "metadata.tools")
        if (value := metadata.get("authors")) is not None:
            for i, author in enumerate(self.arr(value, "metadata.authors")):
                party = self.contact(author, f"metadata.authors[{i}]")
                meta.creators.append(
                    contact_label(party.name, party.emails[0] if party.emails else None)
                )
        if (value := metadata.get("manufacturer")) is not None:
            # NOTE: 1.6 metadata.manufacturer is "the organization that created the BOM".
            maker = self.org(value, "metadata.manufacturer")
            meta.creators.append(f"Organization: {maker.name or ''}")
        if (value := metadata.get("component")) is not None:
            meta.root_refs = (self.metadata_component(metadata, value),)
            return
        for field in ("supplier", "manufacture"):
            if metadata.get(field) is not None:
                ctx.warn(
                    "missing-field",
                    f"metadata.{field} names the supplier of the product, but there "
                    "is no metadata.component to attach it to; not used",
                    f"metadata.{field}",
                )

    def body(self, bom: dict[str, Any]) -> tuple[int | None, tuple[Composition, ...]]:
        """Components, services, external references, dependencies and compositions; the
        count of dependency entries as written, and the compositions."""
        if (value := bom.get("components")) is not None:
            comp = self.component
            value = self.arr(value, "components")
            consume = self.consume
            for i, d in enumerate(value):
                comp(d, f"components[{i}]", None, False)
                if consume:
                    # NOTE: what the model keeps of this entry (its strings) is shared; the
                    # rest goes now, so the peak is the parse, not the parse plus the model.
                    value[i] = None
        if (value := bom.get("services")) is not None:
            for i, d in enumerate(self.arr(value, "services")):
                self.service(d, f"services[{i}]", None)
        if (value := bom.get("externalReferences")) is not None:
            self.ext_refs(value, "", None)
        as_written: int | None = None
        if (value := bom.get("dependencies")) is not None:
            as_written = self.dependencies(value)
        compositions: tuple[Composition, ...] = ()
        if (value := bom.get("compositions")) is not None:
            compositions = self.compositions(value)
        return as_written, compositions

    def metadata_component(self, metadata: dict[str, Any], value: object) -> str:
        first = len(self.components)
        root = self.component(value, "metadata.component", None, True)
        # NOTE: before 1.6 the product's supplier and manufacturer sit in metadata, not in
        # metadata.component; they describe the same product, so they fill its empty fields.
        supplier, manufacturer = root.supplier, root.manufacturer
        if supplier is None and (value := metadata.get("supplier")) is not None:
            supplier = self.org(value, "metadata.supplier")
        if manufacturer is None and (value := metadata.get("manufacture")) is not None:
            manufacturer = self.org(value, "metadata.manufacture")
        if supplier is not root.supplier or manufacturer is not root.manufacturer:
            self.components[first] = dataclasses.replace(
                root, supplier=supplier, manufacturer=manufacturer
            )
        return root.ref

    def tools(self, value: object, location: str) -> list[str]:
        labels: list[str] = []
        if value.__class__ is list:
            # 1.2-1.4 (deprecated but still allowed later): [{vendor, name, version}]
            for i, tool in enumerate(self.arr(value, location)):
                where = f"{location}[{i}]"
                tool = self.obj(tool, where)
                labels.append(
                    tool_label(
                        self.opt_str(tool, "vendor", where),
                        self.opt_str(tool, "name", where),
                        self.opt_str(tool, "version", where),
                    )
                )
            return labels
        tools = self.obj(value, location)
        # 1.5+: {components: [...], services: [...]}, each a full component or service.
        for field in ("components", "services"):
            entries = tools.get(field)
            if entries is None:
                continue
            for i, entry in enumerate(self.arr(entries, f"{location}.{field}")):
                where = f"{location}.{field}[{i}]"
                entry = self.obj(entry, where)
                ref = self.opt_str(entry, "bom-ref", where)
                if ref:
                    self.known.append(ref)
                labels.append(
                    tool_label(
                        self.tool_vendor(entry, where),
                        self.opt_str(entry, "name", where),
                        self.opt_str(entry, "version", where),
                    )
                )
        return labels

    def tool_vendor(self, entry: dict[str, Any], where: str) -> str | None:
        for field in ("supplier", "manufacturer", "provider"):
            if (value := entry.get(field)) is not None:
                party = self.org(value, f"{where}.{field}")
                if party.name:
                    return party.name
        for field in ("publisher", "author", "group"):
            if text := self.opt_str(entry, field, where):
                return text
        return None

    # -- components -------------------------------------------------------------------------

    def component(self, d: Any, loc: str, parent: str | None, is_metadata: bool) -> Component:
        """Read one component, append it, then its nested components (document order)."""
        comp = self.component_fields(d, loc, parent, is_metadata)
        self.components.append(comp)
        kids = self.nested_components(d, loc)
        if kids is not None:
            ref = comp.ref
            rels = self.relationships
            key = self.key
            for j, kid in enumerate(kids):
                child = self.component(kid, f"{loc}.components[{j}]", ref, is_metadata)
                rels.append(
                    new_relationship(ref, "contains", child.ref, key, child.location, False)
                )
        return comp

    def nested_components(self, d: Any, loc: str) -> list[Any] | None:
        """The components nested in component `d` (read after `component_fields`)."""
        kids = d.get("components")
        if kids is not None and kids.__class__ is not list:
            self.bad(f"{loc}.components", kids, "an array")
        return kids

    def component_fields(
        self, d: Any, loc: str, parent: str | None, is_metadata: bool
    ) -> Component:
        """The component itself (not its children): every identity field the JSON gives."""
        if d.__class__ is not dict:
            self.bad(loc, d, "an object")
        get = d.get
        # NOTE: five steps in the members' order, so the first wrong value found is the one
        # it always was. Split into them, reading 30,000 components measured -2% to +5%
        # against one long function: noise (docs/readers.md, "Long functions").
        ref, synthetic, name = self.component_identity(get, loc)
        version, group, ctype, purl, description, publisher, copyright_, scope, cpes = (
            self.component_strings(get, loc)
        )
        swid, hashes = self.component_identifiers(get, loc)
        supplier, manufacturer, authors = self.component_parties(get, loc)
        licenses, ext, props, pedigree, files = self.component_members(get, loc, ref)
        # NOTE: positional, in _cdx_common.COMPONENT_FIELDS order.
        return new_component(
            ref,
            self.key,
            loc,
            name,
            version,
            group,
            ctype,
            purl,
            cpes,
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
            None,  # line: JSON has none
            synthetic,
            is_metadata,
        )

    def component_identity(self, get: Any, loc: str) -> tuple[str, bool, str]:
        """The component's ref (its location when it has no bom-ref) and name."""
        ref = get("bom-ref")
        synthetic = False
        if ref is None:
            ref, synthetic = loc, True
        elif ref.__class__ is not str:
            self.bad(f"{loc}.bom-ref", ref, "a string")
        elif not ref:
            self.ctx.warn("lenient-value", "empty bom-ref; the location is used as its ref", loc)
            ref, synthetic = loc, True
        name = get("name")
        if name is None:
            self.ctx.warn("missing-field", "component has no name; read with name ''", loc)
            name = ""
        elif name.__class__ is not str:
            self.bad(f"{loc}.name", name, "a string")
        return ref, synthetic, name

    def component_strings(self, get: Any, loc: str) -> tuple[Any, ...]:
        """version, group, type, purl, description, publisher, copyright, scope (each a
        string or None) and the CPEs."""
        # NOTE: one inline check per string field; a helper call each costs ~10% more.
        version = get("version")
        if version is not None and version.__class__ is not str:
            self.bad(f"{loc}.version", version, "a string")
        group = get("group")
        if group is not None and group.__class__ is not str:
            self.bad(f"{loc}.group", group, "a string")
        ctype = get("type")
        if ctype is not None and ctype.__class__ is not str:
            self.bad(f"{loc}.type", ctype, "a string")
        purl = get("purl")
        if purl is not None and purl.__class__ is not str:
            self.bad(f"{loc}.purl", purl, "a string")
        description = get("description")
        if description is not None and description.__class__ is not str:
            self.bad(f"{loc}.description", description, "a string")
        publisher = get("publisher")
        if publisher is not None and publisher.__class__ is not str:
            self.bad(f"{loc}.publisher", publisher, "a string")
        copyright_ = get("copyright")
        if copyright_ is not None and copyright_.__class__ is not str:
            self.bad(f"{loc}.copyright", copyright_, "a string")
        scope = get("scope")
        if scope is not None and scope.__class__ is not str:
            self.bad(f"{loc}.scope", scope, "a string")
        cpes: tuple[str, ...] = ()
        if (value := get("cpe")) is not None:
            if value.__class__ is not str:
                self.bad(f"{loc}.cpe", value, "a string")
            cpes = (value,)
        return version, group, ctype, purl, description, publisher, copyright_, scope, cpes

    def component_identifiers(self, get: Any, loc: str) -> tuple[str | None, tuple[Hash, ...]]:
        """The SWID tag id and the hashes."""
        swid: str | None = None
        if (value := get("swid")) is not None:
            swid = self.opt_str(self.obj(value, f"{loc}.swid"), "tagId", f"{loc}.swid")
        hashes: tuple[Hash, ...] = ()
        if (value := get("hashes")) is not None:
            hashes = self.hashes(value, loc, "hashes")
        return swid, hashes

    def component_parties(
        self, get: Any, loc: str
    ) -> tuple[Party | None, Party | None, tuple[Party, ...]]:
        """Supplier, manufacturer and authors (1.6 `authors`, then the legacy `author`)."""
        supplier = manufacturer = None
        if (value := get("supplier")) is not None:
            supplier = self.org(value, loc, "supplier")
        if (value := get("manufacturer")) is not None:
            manufacturer = self.org(value, loc, "manufacturer")
        authors: tuple[Party, ...] = ()
        if (value := get("authors")) is not None:
            authors = tuple(
                self.contact(a, f"{loc}.authors[{i}]")
                for i, a in enumerate(self.arr(value, f"{loc}.authors"))
            )
        if (value := get("author")) is not None:
            if value.__class__ is not str:
                self.bad(f"{loc}.author", value, "a string")
            if (party := self.authors.get(value)) is None:
                party = self.authors[value] = legacy_author(value)
            authors = (*authors, party)
        return supplier, manufacturer, authors

    def component_members(
        self, get: Any, loc: str, ref: str
    ) -> tuple[
        tuple[str, ...],
        tuple[ExternalReference, ...],
        tuple[Property, ...],
        Pedigree | None,
        tuple[FileEntry, ...],
    ]:
        """Licences, external references, properties, pedigree and the files of its
        evidence."""
        licenses: tuple[str, ...] = ()
        if (value := get("licenses")) is not None:
            licenses = self.licenses(value, loc)
        ext: tuple[ExternalReference, ...] = ()
        if (value := get("externalReferences")) is not None:
            ext = self.ext_refs(value, loc, ref)
        props: tuple[Property, ...] = ()
        if (value := get("properties")) is not None:
            props = self.properties(value, loc)
        pedigree: Pedigree | None = None
        if (value := get("pedigree")) is not None:
            pedigree = self.pedigree(value, f"{loc}.pedigree")
        files: tuple[FileEntry, ...] = ()
        if (value := get("evidence")) is not None:
            files = self.evidence(value, f"{loc}.evidence")
        return licenses, ext, props, pedigree, files

    def hashes(self, value: Any, loc: str, field: str) -> tuple[Hash, ...]:
        if value.__class__ is not list:
            self.bad(f"{loc}.{field}", value, "an array")
        out = []
        for h in value:
            if h.__class__ is dict:
                alg = h.get("alg")
                content = h.get("content")
                if alg.__class__ is str and content.__class__ is str:
                    # NOTE: keep the parsed string where it is already lower case, so the
                    # model shares it with the tree. lower() and == are fast paths for ASCII;
                    # islower() is not (1 us for a SHA-512 hex digest vs 0.2 us).
                    lowered = content.lower()
                    if lowered != content:
                        content = lowered
                    out.append(new_hash(ALGORITHMS.get(alg) or algorithm(alg), content))
                    continue
            return self.hashes_slow(value, f"{loc}.{field}")
        return tuple(out)

    def hashes_slow(self, value: list[Any], loc: str) -> tuple[Hash, ...]:
        """Raise for a malformed hash; warn about and skip one that lacks a member."""
        out = []
        for i, h in enumerate(value):
            where = f"{loc}[{i}]"
            h = self.obj(h, where)
            alg = self.opt_str(h, "alg", where)
            content = self.opt_str(h, "content", where)
            if alg is None or content is None:
                self.ctx.warn("missing-field", "hash without alg or content; not used", where)
                continue
            out.append(new_hash(algorithm(alg), content.strip().lower()))
        return tuple(out)

    def org(self, value: Any, loc: str, field: str | None = None) -> Party:
        """An organizationalEntity: name, url[], contact[].email."""
        if value.__class__ is not dict:
            self.bad(f"{loc}.{field}" if field else loc, value, "an object")
        name = value.get("name")
        urls = value.get("url")
        contacts = value.get("contact")
        if contacts is None and (name is None or name.__class__ is str):
            if urls is None:
                urls = ()
            elif urls.__class__ is list:
                urls = tuple(urls)
                for url in urls:
                    if url.__class__ is not str:
                        urls = None
                        break
            else:
                urls = None
            if urls is not None:
                key = (name, urls)
                if (party := self.orgs.get(key)) is None:
                    party = self.orgs[key] = new_party(name, "organization", (), urls, None)
                return party
        return self.org_slow(value, f"{loc}.{field}" if field else loc)

    def org_slow(self, d: dict[str, Any], loc: str) -> Party:
        name = self.opt_str(d, "name", loc)
        urls: tuple[str, ...] = ()
        if (raw_urls := d.get("url")) is not None:
            urls = tuple(self.arr(raw_urls, f"{loc}.url"))
            for i, url in enumerate(urls):
                if url.__class__ is not str:
                    self.bad(f"{loc}.url[{i}]", url, "a string")
        emails: list[str] = []
        if (contacts := d.get("contact")) is not None:
            for i, c in enumerate(self.arr(contacts, f"{loc}.contact")):
                where = f"{loc}.contact[{i}]"
                if email := self.opt_str(self.obj(c, where), "email", where):
                    emails.append(email)
        return new_party(name, "organization", tuple(emails), urls, None)

    def contact(self, value: object, loc: str) -> Party:
        """An organizationalContact (a person): name, email."""
        d = self.obj(value, loc)
        email = self.opt_str(d, "email", loc)
        return new_party(
            self.opt_str(d, "name", loc), "person", (email,) if email else (), (), None
        )

    def licenses(self, value: Any, loc: str) -> tuple[str, ...]:
        if value.__class__ is not list:
            self.bad(f"{loc}.licenses", value, "an array")
        out = []
        for entry in value:
            if entry.__class__ is dict:
                lic = entry.get("license")
                if lic is not None:
                    if lic.__class__ is dict:
                        text = lic.get("id") or lic.get("name")
                        if text.__class__ is str:
                            out.append(text)
                            continue
                else:
                    expression = entry.get("expression")
                    if expression.__class__ is str:
                        if expression:
                            out.append(expression)
                        continue
            return self.licenses_slow(value, f"{loc}.licenses")
        return tuple(out)

    def licenses_slow(self, value: list[Any], loc: str) -> tuple[str, ...]:
        out = []
        for i, entry in enumerate(value):
            where = f"{loc}[{i}]"
            entry = self.obj(entry, where)
            if (lic := entry.get("license")) is not None:
                lic = self.obj(lic, f"{where}.license")
                text = self.opt_str(lic, "id", f"{where}.license") or self.opt_str(
                    lic, "name", f"{where}.license"
                )
                if not text:
                    self.ctx.warn("missing-field", "license without id or name", f"{where}.license")
                    continue
                out.append(text)
            elif expression := self.opt_str(entry, "expression", where):
                out.append(expression)
            else:
                self.ctx.warn(
                    "missing-field", "licenses entry without license or expression", where
                )
        return tuple(out)

    def ext_refs(self, value: Any, loc: str, owner: str | None) -> tuple[ExternalReference, ...]:
        where = f"{loc}.externalReferences" if loc else "externalReferences"
        if value.__class__ is not list:
            self.bad(where, value, "an array")
        out = []
        for i, entry in enumerate(value):
            if entry.__class__ is not dict:
                self.bad(f"{where}[{i}]", entry, "an object")
            url = entry.get("url")
            rtype = entry.get("type")
            comment = entry.get("comment")
            hashes = entry.get("hashes")
            if (
                url.__class__ is not str
                or rtype.__class__ is not str
                or (comment is not None and comment.__class__ is not str)
            ):
                url, rtype = self.ext_ref_slow(entry, f"{where}[{i}]")
            hashes = () if hashes is None else self.hashes(hashes, f"{where}[{i}]", "hashes")
            out.append(new_ext_ref(rtype, url, comment, hashes))
            if rtype == "bom":
                self.ext.bom_reference(url, hashes, f"{where}[{i}]", owner)
        return tuple(out)

    def ext_ref_slow(self, entry: dict[str, Any], where: str) -> tuple[str, str]:
        url = self.opt_str(entry, "url", where)
        rtype = self.opt_str(entry, "type", where)
        self.opt_str(entry, "comment", where)
        if url is None:
            self.ctx.warn("missing-field", "external reference without url", where)
        if rtype is None:
            self.ctx.warn("missing-field", "external reference without type", where)
        return url or "", rtype or ""

    def properties(self, value: Any, loc: str) -> tuple[Property, ...]:
        if value.__class__ is not list:
            self.bad(f"{loc}.properties", value, "an array")
        out = []
        for i, entry in enumerate(value):
            if entry.__class__ is not dict:
                self.bad(f"{loc}.properties[{i}]", entry, "an object")
            name = entry.get("name")
            val = entry.get("value")
            if name.__class__ is not str or val.__class__ is not str:
                for member in ("name", "value"):
                    if (v := entry.get(member)) is not None and v.__class__ is not str:
                        self.bad(f"{loc}.properties[{i}].{member}", v, "a string")
            key = (name or "", val or "")
            if (prop := self.props.get(key)) is None:
                prop = self.props[key] = new_property(*key)
            out.append(prop)
        return tuple(out)

    def pedigree(self, value: object, loc: str) -> Pedigree:
        d = self.obj(value, loc)
        groups: dict[str, tuple[Component, ...]] = {}
        for field in ("ancestors", "descendants", "variants"):
            entries = d.get(field)
            if entries is None:
                continue
            where = f"{loc}.{field}"
            found: list[Component] = []
            for i, entry in enumerate(self.arr(entries, where)):
                self.pedigree_entry(entry, f"{where}[{i}]", None, found)
            groups[field] = tuple(found)
        return Pedigree(
            ancestors=groups.get("ancestors", ()),
            descendants=groups.get("descendants", ()),
            variants=groups.get("variants", ()),
            notes=self.opt_str(d, "notes", loc),
        )

    def pedigree_entry(
        self, entry: Any, loc: str, parent: str | None, found: list[Component]
    ) -> None:
        """A pedigree entry, then the components nested in it (with `parent` set)."""
        # NOTE: pedigree entries have their own identity but are not components of this
        # product: built like one, kept in the Pedigree, out of Document.components.
        comp = self.component_fields(entry, loc, parent, False)
        found.append(comp)
        if not comp.ref_synthetic:
            self.known.append(comp.ref)
        if (kids := entry.get("components")) is not None:
            for j, kid in enumerate(self.arr(kids, f"{loc}.components")):
                self.pedigree_entry(kid, f"{loc}.components[{j}]", comp.ref, found)

    def evidence(self, value: object, loc: str) -> tuple[FileEntry, ...]:
        d = self.obj(value, loc)
        occurrences = d.get("occurrences")
        if occurrences is None:
            return ()
        out = []
        for i, occ in enumerate(self.arr(occurrences, f"{loc}.occurrences")):
            where = f"{loc}.occurrences[{i}]"
            occ = self.obj(occ, where)
            location = self.opt_str(occ, "location", where)
            if location is None:
                self.ctx.warn("missing-field", "occurrence without location", where)
                continue
            out.append(FileEntry(name=location, ref=self.opt_str(occ, "bom-ref", where)))
        return tuple(out)

    # -- services ---------------------------------------------------------------------------

    def service(self, value: object, loc: str, parent: str | None) -> str:
        """Read one service (and its nested ones, after it); returns its ref."""
        d = self.obj(value, loc)
        ref = self.opt_str(d, "bom-ref", loc)
        if ref == "":
            self.ctx.warn("lenient-value", "empty bom-ref; the location is used as its ref", loc)
        synthetic = not ref
        if not ref:
            ref = loc
        name = self.opt_str(d, "name", loc)
        if name is None:
            self.ctx.warn("missing-field", "service has no name; read with name ''", loc)
        supplier = None
        if (raw := d.get("provider")) is not None:
            supplier = self.org(raw, loc, "provider")
        ext: list[ExternalReference] = []
        if (raw := d.get("endpoints")) is not None:
            for i, url in enumerate(self.arr(raw, f"{loc}.endpoints")):
                if url.__class__ is not str:
                    self.bad(f"{loc}.endpoints[{i}]", url, "a string")
                ext.append(ExternalReference(type="endpoint", url=url))
        if (raw := d.get("externalReferences")) is not None:
            ext.extend(self.ext_refs(raw, loc, ref))
        licenses: tuple[str, ...] = ()
        if (raw := d.get("licenses")) is not None:
            licenses = self.licenses(raw, loc)
        props: tuple[Property, ...] = ()
        if (raw := d.get("properties")) is not None:
            props = self.properties(raw, loc)
        self.services.append(
            Component(
                ref=ref,
                document=self.key,
                location=loc,
                name=name or "",
                version=self.opt_str(d, "version", loc),
                group=self.opt_str(d, "group", loc),
                type="service",
                supplier=supplier,
                licenses=licenses,
                description=self.opt_str(d, "description", loc),
                external_references=tuple(ext),
                properties=props,
                parent=parent,
                ref_synthetic=synthetic,
            )
        )
        if (raw := d.get("services")) is not None:
            for j, kid in enumerate(self.arr(raw, f"{loc}.services")):
                kid_loc = f"{loc}.services[{j}]"
                kid_ref = self.service(kid, kid_loc, ref)
                self.relationships.append(
                    new_relationship(ref, "contains", kid_ref, self.key, kid_loc, False)
                )
        return ref

    # -- graph ------------------------------------------------------------------------------

    def dependencies(self, value: object) -> int | None:
        """dependsOn -> depends-on, provides -> provides (both explicit). Returns the count
        as written (dependsOn entries only) where `provides` makes it differ, else None."""
        append = self.relationships.append
        key = self.key
        ext = self.ext
        provides = 0
        deps = self.arr(value, "dependencies")
        consume = self.consume
        for i, dep in enumerate(deps):
            if consume:
                deps[i] = None
            if dep.__class__ is not dict:
                self.bad(f"dependencies[{i}]", dep, "an object")
            ref = dep.get("ref")
            if ref.__class__ is not str or not ref or ref.startswith(BOM_LINK_PREFIX):
                ref = self.dependency_ref(ref, f"dependencies[{i}]")
            for field, rtype in (("dependsOn", "depends-on"), ("provides", "provides")):
                targets = dep.get(field)
                if targets is None:
                    continue
                where = f"dependencies[{i}].{field}"
                if targets.__class__ is not list:
                    self.bad(where, targets, "an array")
                if rtype == "provides":
                    provides += len(targets)
                for j, target in enumerate(targets):
                    if target.__class__ is not str:
                        self.bad(f"{where}[{j}]", target, "a string")
                    if target.startswith(BOM_LINK_PREFIX):
                        ext.bom_link(target, f"{where}[{j}]")
                    append(new_relationship(ref, rtype, target, key, f"{where}[{j}]", True))
        if not provides:
            return None
        return sum(1 for r in self.relationships if r.explicit) - provides

    def dependency_ref(self, ref: object, loc: str) -> str:
        """The unusual dependency refs: missing, empty, not a string, or a BOM-Link."""
        if ref is None:
            self.ctx.warn(
                "missing-field", "dependency without ref; its entries are kept with ref ''", loc
            )
            return ""
        if ref.__class__ is not str:
            self.bad(f"{loc}.ref", ref, "a string")
        assert isinstance(ref, str)  # NOTE: for mypy, checked just above
        if not ref:
            self.ctx.warn("lenient-value", "dependency with an empty ref", f"{loc}.ref")
        else:
            self.ext.bom_link(ref, f"{loc}.ref")
        return ref

    def compositions(self, value: object) -> tuple[Composition, ...]:
        out = []
        for i, entry in enumerate(self.arr(value, "compositions")):
            loc = f"compositions[{i}]"
            entry = self.obj(entry, loc)
            aggregate = self.opt_str(entry, "aggregate", loc)
            if aggregate is None:
                self.ctx.warn("missing-field", "composition without aggregate", loc)
            lists: dict[str, tuple[str, ...]] = {}
            for field in ("assemblies", "dependencies"):
                refs = entry.get(field)
                if refs is None:
                    continue
                for j, ref in enumerate(self.arr(refs, f"{loc}.{field}")):
                    if ref.__class__ is not str:
                        self.bad(f"{loc}.{field}[{j}]", ref, "a string")
                    if ref.startswith(BOM_LINK_PREFIX):
                        self.ext.bom_link(ref, f"{loc}.{field}[{j}]")
                lists[field] = tuple(refs)
            out.append(
                Composition(
                    aggregate=aggregate or "",
                    assemblies=lists.get("assemblies", ()),
                    dependencies=lists.get("dependencies", ()),
                )
            )
        return tuple(out)
