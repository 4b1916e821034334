"""Shared SPDX 2.x building: every SPDX 2 serialisation is brought to the JSON shape first.

The JSON/YAML reader hands its parsed dict straight to `build_spdx2`; the XML, tag-value and
RDF readers convert what they read into the same dict shape (`packages`, `files`,
`relationships`, `documentDescribes`, ...) and pass the locations they know alongside. One
builder then maps that shape to the model, so the five serialisations of one document give
the same components.

The package loop is the hot path (100,000 packages must cost well under orjson's own parse),
so it reads fields with plain `dict.get` and checks types inline; the slow paths (a value of
the wrong type, a YAML scalar that is not a string) are functions called only when needed.

Over 500 lines on purpose: `Spdx2Builder` is one class (the document's members, the three
element loops, the implicit relationships and roots) that the typed JSON reader subclasses;
spread over modules, its shared state would be harder to follow, not easier.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sbomcheck.errors import IngestError
from sbomcheck.ingest._build import fast_constructor
from sbomcheck.ingest._checks import check_structure
from sbomcheck.ingest._context import ReadContext
from sbomcheck.ingest._spdx_values import (
    NOASSERTION,
    PARTY_RE,
    attach_files,
    check_timestamp,
    emit_grouped,
    external_ref_types,
    hash_algorithm,
    parse_party,
    relationship_type,
    type_name,
)
from sbomcheck.model import (
    Component,
    Document,
    ExternalDocumentRef,
    ExternalReference,
    Format,
    Hash,
    Party,
    Relationship,
    elements_of,
    relationship_column,
)

# NOTE: the SPDX 2.3 relationship types (spec clause 11.1); anything else is kept and warned.
SPDX2_RELATIONSHIP_TYPES = frozenset(
    [
        "DESCRIBES",
        "DESCRIBED_BY",
        "CONTAINS",
        "CONTAINED_BY",
        "DEPENDS_ON",
        "DEPENDENCY_OF",
        "DEPENDENCY_MANIFEST_OF",
        "BUILD_DEPENDENCY_OF",
        "DEV_DEPENDENCY_OF",
        "OPTIONAL_DEPENDENCY_OF",
        "PROVIDED_DEPENDENCY_OF",
        "TEST_DEPENDENCY_OF",
        "RUNTIME_DEPENDENCY_OF",
        "EXAMPLE_OF",
        "GENERATES",
        "GENERATED_FROM",
        "ANCESTOR_OF",
        "DESCENDANT_OF",
        "VARIANT_OF",
        "DISTRIBUTION_ARTIFACT",
        "PATCH_FOR",
        "PATCH_APPLIED",
        "COPY_OF",
        "FILE_ADDED",
        "FILE_DELETED",
        "FILE_MODIFIED",
        "EXPANDED_FROM_ARCHIVE",
        "DYNAMIC_LINK",
        "STATIC_LINK",
        "DATA_FILE_OF",
        "TEST_CASE_OF",
        "BUILD_TOOL_OF",
        "DEV_TOOL_OF",
        "TEST_OF",
        "TEST_TOOL_OF",
        "DOCUMENTATION_OF",
        "OPTIONAL_COMPONENT_OF",
        "METAFILE_OF",
        "PACKAGE_OF",
        "AMENDS",
        "PREREQUISITE_FOR",
        "HAS_PREREQUISITE",
        "REQUIREMENT_DESCRIPTION_FOR",
        "SPECIFICATION_FOR",
        "OTHER",
    ]
)

# Messages of the package and file loops, shared with the typed JSON reader so both say the
# same thing.
PACKAGE_WITHOUT_SPDXID = "package without SPDXID; referred to by its location"
PACKAGE_WITHOUT_NAME = "package without a name"
FILE_WITHOUT_SPDXID = "file without SPDXID; referred to by its location"
FILE_WITHOUT_NAME = "file without a fileName"
PURL_WITHOUT_PKG = (
    "purl external reference that does not start with 'pkg:'; kept as an external reference only"
)


def supplier_without_prefix(raw: str) -> str:
    """The `lenient-value` message for a supplier that names no kind of party."""
    return f"supplier {raw!r} has no 'Organization:' or 'Person:' prefix; read as a name"


# Positional builders for what the typed JSON and the tag-value package loops make in bulk
# (see _build.fast_constructor for why); `line` is None where the format has none.
new_package = fast_constructor(
    Component,
    (
        "ref", "document", "location", "name", "version", "type", "purl", "cpes",
        "swid_tag_id", "hashes", "supplier", "originator", "copyright", "licenses",
        "description", "external_references", "release_date", "built_date",
        "valid_until_date", "line", "ref_synthetic",
    ),
)  # fmt: skip
new_hash = fast_constructor(Hash, ("algorithm", "value"))
new_ext_ref = fast_constructor(ExternalReference, ("type", "url", "comment"))
new_relationship = fast_constructor(
    Relationship, ("source", "type", "target", "document", "location", "explicit", "comment")
)

# Keyword-only fast constructors (see _build.fast_constructor for why).
_Component = fast_constructor(Component)
_Hash = fast_constructor(Hash)
_ExternalReference = fast_constructor(ExternalReference)
_Relationship = fast_constructor(Relationship)


@dataclass(slots=True)
class Where:
    """How locations are written for one serialisation.

    JSON/YAML: `packages[3]` and `packages[3].supplier`; XML: `/Document/packages[4]` and
    `/Document/packages[4]/supplier` (1-based, as XPath); tag-value and RDF give explicit
    per-item locations (`line 40`) and line numbers.
    """

    prefix: str = ""
    base: int = 0
    sep: str = "."
    package_locations: Sequence[str] | None = None
    package_lines: Sequence[int | None] | None = None
    file_locations: Sequence[str] | None = None
    file_lines: Sequence[int | None] | None = None
    relationship_locations: Sequence[str] | None = None
    extra_document_refs: list[str] = field(default_factory=list)
    """SPDXIDs declared by elements that are neither packages nor files (snippets...)."""
    document_locations: dict[str, str] = field(default_factory=dict)
    """Overrides for document-level paths (`creationInfo.created` -> `line 12`)."""


class _Fields:
    """Slow paths for values of the wrong type: raise, or coerce YAML scalars with a note."""

    __slots__ = ("ctx", "lenient", "yaml")

    def __init__(self, ctx: ReadContext, fmt: Format, lenient: dict[str, list[str]]) -> None:
        self.ctx = ctx
        self.yaml = fmt is Format.SPDX_YAML
        self.lenient = lenient

    def fail(self, message: str, location: str) -> IngestError:
        return IngestError(message, source=self.ctx.key, location=location)

    def string(self, value: object, location: str) -> str | None:
        """A value that should have been a string (None passes through)."""
        if value is None or type(value) is str:
            return value
        # NOTE: YAML types unquoted scalars itself (`versionInfo: 1.0` is a float,
        # `created: 2010-01-29T18:30:22Z` a datetime); the author meant a string.
        if (
            self.yaml
            and isinstance(value, int | float | date | datetime)
            and not isinstance(value, bool)
        ):
            if isinstance(value, datetime):
                text = value.isoformat().replace("+00:00", "Z")
            else:
                text = value.isoformat() if isinstance(value, date) else str(value)
            self.lenient.setdefault(
                "unquoted YAML scalar read as a string (quote it to keep it exact)", []
            ).append(location)
            return text
        raise self.fail(f"expected a string, got {type_name(value)}", location)

    def coerce(self, value: object, location: str) -> str:
        """A present value that should have been a string."""
        text = self.string(value, location)
        if text is None:  # pragma: no cover - callers pass non-None values
            raise self.fail("expected a string, got null", location)
        return text

    def items(self, value: object, location: str) -> list[Any]:
        """A value that should have been an array (None -> [])."""
        if value is None:
            return []
        if type(value) is list:
            return value
        raise self.fail(f"expected an array, got {type_name(value)}", location)

    def obj(self, value: object, location: str) -> dict[str, Any]:
        if type(value) is dict:
            return value
        raise self.fail(f"expected an object, got {type_name(value)}", location)


def build_spdx2(
    obj: dict[str, Any], ctx: ReadContext, fmt: Format, where: Where | None = None
) -> Document:
    """Build the model from an SPDX 2 document in JSON shape. Raises `IngestError`."""
    # NOTE: called inside ingest.load_bytes, which keeps the cyclic GC paused (sbomcheck._gc).
    return Spdx2Builder(ctx, fmt, where or Where()).build(obj)


def relationship_without(src: str | None, rtype: str | None, dst: str | None) -> str:
    """The error message for a relationship that lacks one of its three members."""
    missing = [
        n
        for n, v in (
            ("spdxElementId", src),
            ("relationshipType", rtype),
            ("relatedSpdxElement", dst),
        )
        if not v
    ]
    return f"relationship without {', '.join(missing)}"


@dataclass(slots=True)
class DocumentHeader:
    """What the document-level members say: everything but the elements."""

    spec_version: str
    doc_id: str
    name: str | None
    namespace: str | None
    created: str | None
    creators: list[str]
    tools: list[str]
    external_refs: list[ExternalDocumentRef]


class Spdx2Builder:
    """One build of the model from an SPDX 2 document in JSON shape.

    `build` reads the document-level members, then packages, files, snippets and
    relationships, then derives implicit relationships, roots and structural warnings, so
    errors and warnings always come in that order. The three element loops (the hot path,
    each kept in one frame) are methods so that the typed JSON reader (`_spdx_json_typed`)
    can read its msgspec Structs in their place and share everything else.
    """

    __slots__ = (
        "alg_cache",
        "components",
        "ctx",
        "files",
        "fmt",
        "fx",
        "has_files",
        "key",
        "lenient",
        "party_cache",
        "relationships",
        "type_cache",
        "unknown_types",
        "where",
        "xref_types",
    )

    def __init__(self, ctx: ReadContext, fmt: Format, where: Where) -> None:
        self.ctx = ctx
        self.key = ctx.key
        self.fmt = fmt
        self.where = where
        self.lenient: dict[str, list[str]] = {}
        """`lenient-value` notes, grouped by message, emitted once at the end."""
        self.fx = _Fields(ctx, fmt, self.lenient)
        self.components: list[Component] = []
        self.files: list[Component] = []
        self.relationships: list[Relationship] = []
        self.has_files: dict[str, list[str]] = {}
        self.party_cache: dict[str, Party | None] = {}
        self.alg_cache: dict[str, str] = {}
        self.xref_types: dict[tuple[str, str], tuple[str, str]] = {}
        self.type_cache: dict[str, str] = {}
        self.unknown_types: dict[str, list[str]] = {}

    def loc_of(self, name: str) -> str:
        """Where a document-level member is (`packages`, `/Document/packages`, `line 12`)."""
        return self.where.document_locations.get(name) or f"{self.where.prefix}{name}"

    def build(self, obj: dict[str, Any]) -> Document:
        """The Document; raises `IngestError` at the first value that cannot be read."""
        fx = self.fx
        head = self.header(obj)
        pk_loc = self.loc_of("packages")
        self.read_packages(fx.items(obj.get("packages"), pk_loc), pk_loc)
        fl_loc = self.loc_of("files")
        self.read_files(fx.items(obj.get("files"), fl_loc), fl_loc)
        other_refs = [head.doc_id, *self.where.extra_document_refs]
        self.snippet_refs(obj, other_refs)
        rl_loc = self.loc_of("relationships")
        self.read_relationships(fx.items(obj.get("relationships"), rl_loc), rl_loc)
        self.warn_unknown_types()
        return self.finish(obj, head, other_refs)

    def header(self, obj: dict[str, Any]) -> DocumentHeader:
        """Version, identity, creation info and external document references."""
        string = self.fx.string
        loc_of = self.loc_of
        spec_version = self.spec_version(obj)
        doc_id = string(obj.get("SPDXID"), loc_of("SPDXID")) or "SPDXRef-DOCUMENT"
        name = string(obj.get("name"), loc_of("name"))
        namespace = string(obj.get("documentNamespace"), loc_of("documentNamespace"))
        created: str | None = None
        creators: list[str] = []
        tools: list[str] = []
        if (creation := obj.get("creationInfo")) is not None:
            created = self.creation_info(creation, creators, tools)
        return DocumentHeader(
            spec_version=spec_version,
            doc_id=doc_id,
            name=name,
            namespace=namespace,
            created=created,
            creators=creators,
            tools=tools,
            external_refs=self.external_documents(obj),
        )

    def spec_version(self, obj: dict[str, Any]) -> str:
        """`spdxVersion` without its `SPDX-` prefix (noted when it is missing, or not 2.x)."""
        fx = self.fx
        at = self.loc_of("spdxVersion")
        version_raw = fx.string(obj.get("spdxVersion"), at)
        if version_raw is None:
            raise fx.fail("missing spdxVersion", at)
        version_raw = version_raw.strip()
        spec_version = version_raw[5:] if version_raw.upper().startswith("SPDX-") else version_raw
        if not version_raw.upper().startswith("SPDX-"):
            self.ctx.warn(
                "lenient-value",
                f"spdxVersion {version_raw!r} has no 'SPDX-' prefix; read as {spec_version!r}",
                at,
            )
        if not spec_version.startswith("2."):
            self.ctx.warn(
                "lenient-value",
                f"spdxVersion {version_raw!r} is not SPDX 2.x; read with the SPDX 2 rules",
                at,
            )
        return spec_version

    def creation_info(self, creation: object, creators: list[str], tools: list[str]) -> str | None:
        """`creationInfo`: its creators (and the tools among them) into the lists given; the
        creation time."""
        fx = self.fx
        string = fx.string
        lenient = self.lenient
        sep, base = self.where.sep, self.where.base
        overrides = self.where.document_locations
        ci_loc = self.loc_of("creationInfo")
        info = fx.obj(creation, ci_loc)
        created_loc = overrides.get("creationInfo.created") or f"{ci_loc}{sep}created"
        created = string(info.get("created"), created_loc)
        if created is not None:
            check_timestamp(created, created_loc, lenient, "created")
        cr_loc = f"{ci_loc}{sep}creators"
        for i, c in enumerate(fx.items(info.get("creators"), cr_loc)):
            c_loc = overrides.get(f"creationInfo.creators[{i}]") or f"{cr_loc}[{i + base}]"
            text = string(c, c_loc)
            if text is None:
                continue
            creators.append(text)
            m = PARTY_RE.match(text)
            if m is None:
                lenient.setdefault(
                    f"creator {text!r} has no 'Tool:', 'Organization:' or 'Person:' prefix; "
                    "kept as written",
                    [],
                ).append(c_loc)
            elif m.group(1).lower() == "tool":
                tools.append(m.group(2))
        return created

    def external_documents(self, obj: dict[str, Any]) -> list[ExternalDocumentRef]:
        """`externalDocumentRefs`: the other documents this one's elements may name."""
        fx = self.fx
        string = fx.string
        sep, base = self.where.sep, self.where.base
        overrides = self.where.document_locations
        ext_refs: list[ExternalDocumentRef] = []
        ed_loc = self.loc_of("externalDocumentRefs")
        for i, e in enumerate(fx.items(obj.get("externalDocumentRefs"), ed_loc)):
            here = overrides.get(f"externalDocumentRefs[{i}]") or f"{ed_loc}[{i + base}]"
            e = fx.obj(e, here)
            ext_id = string(e.get("externalDocumentId"), f"{here}{sep}externalDocumentId")
            uri = string(e.get("spdxDocument"), f"{here}{sep}spdxDocument")
            if not ext_id or not uri:
                raise fx.fail(
                    "external document reference without externalDocumentId or spdxDocument", here
                )
            checksum = None
            ck = e.get("checksum")
            if ck is not None:
                ck = fx.obj(ck, f"{here}{sep}checksum")
                alg = string(ck.get("algorithm"), f"{here}{sep}checksum{sep}algorithm") or ""
                val = (
                    string(ck.get("checksumValue"), f"{here}{sep}checksum{sep}checksumValue") or ""
                )
                checksum = Hash(algorithm=hash_algorithm(alg), value=val.strip().lower())
            ext_refs.append(
                ExternalDocumentRef(
                    id=ext_id,
                    uri=uri,
                    kind="spdx-external-document-ref",
                    checksum=checksum,
                    location=here,
                )
            )
        return ext_refs

    def read_packages(self, items: list[Any], pk_loc: str) -> None:
        """Append a Component for each package (`items`: the parsed `packages` array)."""
        fx = self.fx
        string = fx.string
        where = self.where
        sep, base = where.sep, where.base
        p_locs = where.package_locations
        p_lines = where.package_lines
        append = self.components.append
        # NOTE: the steps run in the members' order, so the first wrong value found is the
        # one it always was. Split into them, the tag-value read of 30,000 packages measured
        # -1% to +4% against one long loop: noise (docs/readers.md, "Long functions").
        for i, p in enumerate(items):
            here = p_locs[i] if p_locs is not None else f"{pk_loc}[{i + base}]"
            if type(p) is not dict:
                raise fx.fail(f"expected an object, got {type_name(p)}", here)
            get = p.get
            ref, synthetic, pname, version = self.package_identity(get, here)
            supplier, originator, copyright_text = self.package_origin(get, here)
            licenses = self.package_licenses(get, here)
            description = get("description")
            if description is None:
                description = get("summary")
                if description is not None and type(description) is not str:
                    description = string(description, f"{here}{sep}summary")
            elif type(description) is not str:
                description = string(description, f"{here}{sep}description")
            hashes: tuple[Hash, ...] = ()
            if cks := get("checksums"):
                at = f"{here}{sep}checksums"
                hashes = _hashes(fx, fx.items(cks, at), at, sep, base, self.alg_cache)
            purl, cpes, swid, xrefs = self.package_references(get, here)
            purpose, release, built, valid_until = self.package_purpose_and_dates(get, here)
            if hf := get("hasFiles"):
                self.has_files[ref] = [
                    f if type(f) is str else string(f, f"{here}{sep}hasFiles[{j + base}]") or ""
                    for j, f in enumerate(fx.items(hf, f"{here}{sep}hasFiles"))
                ]
            append(
                _Component(
                    ref=ref,
                    document=self.key,
                    location=here,
                    name=pname,
                    version=version,
                    type=purpose,
                    purl=purl,
                    cpes=tuple(cpes),
                    swid_tag_id=swid,
                    hashes=hashes,
                    supplier=supplier,
                    originator=originator,
                    copyright=copyright_text,
                    licenses=tuple(licenses),
                    description=description,
                    external_references=tuple(xrefs),
                    release_date=release,
                    built_date=built,
                    valid_until_date=valid_until,
                    line=p_lines[i] if p_lines is not None else None,
                    ref_synthetic=synthetic,
                )
            )

    def package_identity(self, get: Any, here: str) -> tuple[str, bool, str, str | None]:
        """The package's ref (its location when it has no SPDXID), name and version."""
        fx = self.fx
        sep = self.where.sep
        ref = get("SPDXID")
        synthetic = False
        if type(ref) is not str or not ref:
            if ref is not None and type(ref) is not str:
                raise fx.fail(f"expected a string, got {type_name(ref)}", f"{here}{sep}SPDXID")
            ref = here
            synthetic = True
            self.ctx.warn("missing-field", PACKAGE_WITHOUT_SPDXID, here)
        pname = get("name")
        if type(pname) is not str:
            pname = fx.string(pname, f"{here}{sep}name")
            if pname is None:
                self.lenient.setdefault(PACKAGE_WITHOUT_NAME, []).append(here)
                pname = ""
        version = get("versionInfo")
        if version is not None and type(version) is not str:
            version = fx.string(version, f"{here}{sep}versionInfo")
        return ref, synthetic, pname, version

    def party(self, raw: Any, here: str, key: str, *, note_lenient: bool = False) -> Party | None:
        """The party `raw` names (None for none), parsed once per distinct value; with
        `note_lenient`, a value without its `Person:`/`Organization:` prefix is noted."""
        if raw is None:
            return None
        if type(raw) is not str:
            raw = self.fx.coerce(raw, f"{here}{self.where.sep}{key}")
        if raw in self.party_cache:
            return self.party_cache[raw]
        party = self.party_cache[raw] = parse_party(raw)
        if note_lenient and party is not None and party.kind is None:
            self.lenient.setdefault(supplier_without_prefix(raw), []).append(
                f"{here}{self.where.sep}{key}"
            )
        return party

    def package_origin(self, get: Any, here: str) -> tuple[Party | None, Party | None, str | None]:
        """Supplier and originator (parsed once per distinct value), and the copyright."""
        fx = self.fx
        sep = self.where.sep
        supplier = self.party(get("supplier"), here, "supplier", note_lenient=True)
        originator = self.party(get("originator"), here, "originator")
        copyright_text = get("copyrightText")
        if copyright_text is not None:
            if type(copyright_text) is not str:
                copyright_text = fx.string(copyright_text, f"{here}{sep}copyrightText")
            if copyright_text in NOASSERTION:
                copyright_text = None
        return supplier, originator, copyright_text

    def package_licenses(self, get: Any, here: str) -> list[str]:
        """The concluded, declared and from-files licences, each once, NOASSERTION left out."""
        fx = self.fx
        sep, base = self.where.sep, self.where.base
        licenses: list[str] = []
        for fld in ("licenseConcluded", "licenseDeclared"):
            lic = get(fld)
            if lic is not None:
                if type(lic) is not str:
                    lic = fx.coerce(lic, f"{here}{sep}{fld}")
                if lic not in NOASSERTION and lic not in licenses:
                    licenses.append(lic)
        lff = get("licenseInfoFromFiles")
        if lff is not None:
            for j, lic in enumerate(fx.items(lff, f"{here}{sep}licenseInfoFromFiles")):
                if type(lic) is not str:
                    lic = fx.coerce(lic, f"{here}{sep}licenseInfoFromFiles[{j + base}]")
                if lic not in NOASSERTION and lic not in licenses:
                    licenses.append(lic)
        return licenses

    def package_references(
        self, get: Any, here: str
    ) -> tuple[str | None, list[str], str | None, list[ExternalReference]]:
        """purl, CPEs and SWID tag id from the externalRefs, and every external reference
        (the download location and home page too)."""
        fx = self.fx
        string = fx.string
        sep, base = self.where.sep, self.where.base
        xref_types = self.xref_types
        purl = swid = None
        cpes: list[str] = []
        xrefs: list[ExternalReference] = []
        if refs := get("externalRefs"):
            for j, r in enumerate(fx.items(refs, f"{here}{sep}externalRefs")):
                rloc = f"{here}{sep}externalRefs[{j + base}]"
                if type(r) is not dict:
                    raise fx.fail(f"expected an object, got {type_name(r)}", rloc)
                rget = r.get
                cat = rget("referenceCategory")
                rtype = rget("referenceType")
                locator = rget("referenceLocator")
                if type(cat) is not str:
                    cat = string(cat, f"{rloc}{sep}referenceCategory") or ""
                if type(rtype) is not str:
                    rtype = string(rtype, f"{rloc}{sep}referenceType") or ""
                if type(locator) is not str:
                    locator = string(locator, f"{rloc}{sep}referenceLocator")
                    if locator is None:
                        raise fx.fail("external reference without referenceLocator", rloc)
                pair = xref_types.get((cat, rtype))
                if pair is None:
                    pair = xref_types[(cat, rtype)] = external_ref_types(cat, rtype)
                rtype, full_type = pair
                if rtype == "purl":
                    if purl is None:
                        if locator.startswith("pkg:"):
                            purl = locator
                        else:
                            self.lenient.setdefault(PURL_WITHOUT_PKG, []).append(rloc)
                elif rtype == "cpe23Type" or rtype == "cpe22Type":
                    cpes.append(locator)
                elif rtype == "swid" and swid is None:
                    swid = locator
                comment = rget("comment")
                if comment is not None and type(comment) is not str:
                    comment = string(comment, f"{rloc}{sep}comment")
                xrefs.append(_ExternalReference(type=full_type, url=locator, comment=comment))
        for fld, xtype in (("downloadLocation", "download"), ("homepage", "homepage")):
            url = get(fld)
            if url is not None:
                if type(url) is not str:
                    url = string(url, f"{here}{sep}{fld}")
                if url not in NOASSERTION:
                    xrefs.append(_ExternalReference(type=xtype, url=url))
        return purl, cpes, swid, xrefs

    def package_purpose_and_dates(
        self, get: Any, here: str
    ) -> tuple[str | None, str | None, str | None, str | None]:
        """primaryPackagePurpose (as a component type), and the release, built and
        valid-until dates as written (odd ones noted)."""
        fx = self.fx
        sep = self.where.sep
        purpose = get("primaryPackagePurpose")
        if purpose is not None:
            if type(purpose) is not str:
                purpose = fx.string(purpose, f"{here}{sep}primaryPackagePurpose")
            purpose = purpose.lower().replace("_", "-") if purpose else None
        release = get("releaseDate")
        built = get("builtDate")
        valid_until = get("validUntilDate")
        if release is not None or built is not None or valid_until is not None:
            release, built, valid_until = (
                _date(fx, get(fld), f"{here}{sep}{fld}", fld)
                for fld in ("releaseDate", "builtDate", "validUntilDate")
            )
        return purpose, release, built, valid_until

    def read_files(self, items: list[Any], fl_loc: str) -> None:
        """Append a Component of type `file` for each file (`items`: the `files` array)."""
        ctx = self.ctx
        key = self.key
        fx = self.fx
        lenient = self.lenient
        string = fx.string
        where = self.where
        sep, base = where.sep, where.base
        f_locs = where.file_locations
        f_lines = where.file_lines
        files = self.files
        alg_cache = self.alg_cache
        for i, f in enumerate(items):
            here = f_locs[i] if f_locs is not None else f"{fl_loc}[{i + base}]"
            if type(f) is not dict:
                raise fx.fail(f"expected an object, got {type_name(f)}", here)
            get = f.get
            ref = get("SPDXID")
            synthetic = False
            if type(ref) is not str or not ref:
                if ref is not None and type(ref) is not str:
                    raise fx.fail(f"expected a string, got {type_name(ref)}", f"{here}{sep}SPDXID")
                ref = here
                synthetic = True
                ctx.warn("missing-field", FILE_WITHOUT_SPDXID, here)
            fname = string(get("fileName"), f"{here}{sep}fileName")
            if fname is None:
                lenient.setdefault(FILE_WITHOUT_NAME, []).append(here)
                fname = ""
            copyright_text = string(get("copyrightText"), f"{here}{sep}copyrightText")
            if copyright_text in NOASSERTION:
                copyright_text = None
            licenses = []
            lic = string(get("licenseConcluded"), f"{here}{sep}licenseConcluded")
            if lic is not None and lic not in NOASSERTION:
                licenses.append(lic)
            for j, lic2 in enumerate(
                fx.items(get("licenseInfoInFiles"), f"{here}{sep}licenseInfoInFiles")
            ):
                lic3 = string(lic2, f"{here}{sep}licenseInfoInFiles[{j + base}]")
                if lic3 is not None and lic3 not in NOASSERTION and lic3 not in licenses:
                    licenses.append(lic3)
            cks = get("checksums")
            hashes = (
                _hashes(
                    fx,
                    fx.items(cks, f"{here}{sep}checksums"),
                    f"{here}{sep}checksums",
                    sep,
                    base,
                    alg_cache,
                )
                if cks
                else ()
            )
            files.append(
                Component(
                    ref=ref,
                    document=key,
                    location=here,
                    name=fname,
                    type="file",
                    hashes=hashes,
                    copyright=copyright_text,
                    licenses=tuple(licenses),
                    description=string(get("comment"), f"{here}{sep}comment"),
                    line=f_lines[i] if f_lines is not None else None,
                    ref_synthetic=synthetic,
                )
            )

    def snippet_refs(self, obj: dict[str, Any], other_refs: list[str]) -> None:
        """Add the SPDXIDs of snippets to `other_refs` (they are not components)."""
        fx = self.fx
        string = fx.string
        sep, base = self.where.sep, self.where.base
        sn_loc = self.loc_of("snippets")
        for i, s in enumerate(fx.items(obj.get("snippets"), sn_loc)):
            s = fx.obj(s, f"{sn_loc}[{i + base}]")
            sid = string(s.get("SPDXID"), f"{sn_loc}[{i + base}]{sep}SPDXID")
            if sid:
                other_refs.append(sid)

    def read_relationships(self, items: list[Any], rl_loc: str) -> None:
        """Append a Relationship for each entry (`items`: the `relationships` array)."""
        key = self.key
        fx = self.fx
        string = fx.string
        where = self.where
        sep, base = where.sep, where.base
        r_locs = where.relationship_locations
        relationships = self.relationships
        type_cache = self.type_cache
        unknown_types = self.unknown_types
        for i, r in enumerate(items):
            here = r_locs[i] if r_locs is not None else f"{rl_loc}[{i + base}]"
            if type(r) is not dict:
                raise fx.fail(f"expected an object, got {type_name(r)}", here)
            get = r.get
            src = get("spdxElementId")
            rtype = get("relationshipType")
            dst = get("relatedSpdxElement")
            if type(src) is not str:
                src = string(src, f"{here}{sep}spdxElementId")
            if type(rtype) is not str:
                rtype = string(rtype, f"{here}{sep}relationshipType")
            if type(dst) is not str:
                dst = string(dst, f"{here}{sep}relatedSpdxElement")
            if not src or not rtype or not dst:
                raise fx.fail(relationship_without(src, rtype, dst), here)
            norm = type_cache.get(rtype)
            if norm is None:
                norm = type_cache[rtype] = relationship_type(rtype)
                if rtype.strip().upper() not in SPDX2_RELATIONSHIP_TYPES:
                    unknown_types[rtype] = []
            if rtype in unknown_types:
                unknown_types[rtype].append(here)
            comment = get("comment")
            if comment is not None and type(comment) is not str:
                comment = string(comment, f"{here}{sep}comment")
            rel = _Relationship(
                source=src.strip(),
                type=norm,
                target=dst.strip(),
                document=key,
                location=here,
                explicit=True,
                comment=comment,
            )
            relationships.append(rel)

    def warn_unknown_types(self) -> None:
        """One `unknown-relationship` warning per type outside SPDX 2.3, with its places."""
        ctx = self.ctx
        type_cache = self.type_cache
        for rtype, places in self.unknown_types.items():
            more = f" and {len(places) - 1} more" if len(places) > 1 else ""
            ctx.warn(
                "unknown-relationship",
                f"relationship type {rtype!r} is not an SPDX 2.3 type; "
                f"kept as {type_cache[rtype]!r}",
                places[0] + more,
            )

    def finish(self, obj: dict[str, Any], head: DocumentHeader, other_refs: list[str]) -> Document:
        """Implicit relationships, files attached, roots, warnings and the Document."""
        ctx = self.ctx
        doc_id = head.doc_id
        relationships = self.relationship_sequence(self.implicit_relationships(obj, doc_id))
        components = self.component_sequence(relationships)
        root_refs = _roots(relationships, doc_id)
        emit_grouped(ctx, "lenient-value", self.lenient)
        check_structure(
            ctx, elements_of(components, self.files), relationships, document_refs=other_refs
        )
        return Document(
            key=self.key,
            path=ctx.path,
            sha256=ctx.sha256,
            sha1=ctx.sha1,
            format=self.fmt,
            spec_version=head.spec_version,
            name=head.name,
            namespace=head.namespace,
            spdx_id=doc_id,
            created=head.created,
            creators=tuple(head.creators),
            tools=tuple(head.tools),
            root_refs=tuple(root_refs),
            components=components,
            files=tuple(self.files),
            relationships=relationships,
            external_refs=tuple(head.external_refs),
            warnings=tuple(ctx.warnings),
            gzip=ctx.gzip,
        )

    def relationship_sequence(self, implicit: list[Relationship]) -> Sequence[Relationship]:
        """The relationships as the Document keeps them: the explicit ones read, then the
        implicit ones (the lazy JSON reader keeps the explicit ones as columns)."""
        return (*self.relationships, *implicit)

    def component_sequence(self, relationships: Sequence[Relationship]) -> Sequence[Component]:
        """The packages as the Document keeps them, each with the files it contains."""
        return tuple(attach_files(self.components, self.files, relationships))

    def explicit_edges(self) -> set[tuple[str, str, str]]:
        """(source, type, target) of every explicit relationship read."""
        return {(r.source, r.type, r.target) for r in self.relationships}

    def packages_by_ref(self, refs: Iterable[str]) -> dict[str, Component]:
        """The package of each of `refs` (the last declared, where one is repeated)."""
        wanted = set(refs)
        return {c.ref: c for c in self.components if c.ref in wanted}

    def implicit_relationships(self, obj: dict[str, Any], doc_id: str) -> list[Relationship]:
        """The edges `documentDescribes` and the packages' `hasFiles` imply, where no
        relationship says the same."""
        key = self.key
        fx = self.fx
        sep, base = self.where.sep, self.where.base
        has_files = self.has_files
        implicit: list[Relationship] = []
        dd_loc = self.loc_of("documentDescribes")
        described = fx.items(obj.get("documentDescribes"), dd_loc)
        # NOTE: the set of explicit edges only when something may add an implicit one: it costs
        # a tuple per relationship (0.1 s at 300,000).
        explicit_edges = self.explicit_edges() if described or has_files else set()
        for i, t in enumerate(described):
            target = fx.string(t, f"{dd_loc}[{i + base}]")
            if target and (doc_id, "describes", target) not in explicit_edges:
                explicit_edges.add((doc_id, "describes", target))
                implicit.append(
                    Relationship(
                        source=doc_id,
                        type="describes",
                        target=target,
                        document=key,
                        location=f"{dd_loc}[{i + base}]",
                        explicit=False,
                    )
                )
        if has_files:
            by_ref = self.packages_by_ref(has_files)
            for ref, targets in has_files.items():
                comp = by_ref[ref]
                for target in targets:
                    if target and (ref, "contains", target) not in explicit_edges:
                        explicit_edges.add((ref, "contains", target))
                        implicit.append(
                            Relationship(
                                source=ref,
                                type="contains",
                                target=target,
                                document=key,
                                location=f"{comp.location}{sep}hasFiles",
                                explicit=False,
                            )
                        )
        return implicit


def _date(fx: _Fields, value: object, where: str, what: str) -> str | None:
    text = fx.string(value, where)
    if text is not None:
        check_timestamp(text, where, fx.lenient, what)
    return text


def _hashes(
    fx: _Fields,
    items: list[Any],
    where: str,
    sep: str,
    base: int,
    alg_cache: dict[str, str],
) -> tuple[Hash, ...]:
    out = []
    for j, c in enumerate(items):
        if type(c) is not dict:
            raise fx.fail(f"expected an object, got {type_name(c)}", f"{where}[{j + base}]")
        alg = c.get("algorithm")
        val = c.get("checksumValue")
        if type(alg) is not str or type(val) is not str:
            alg = fx.string(alg, f"{where}[{j + base}]{sep}algorithm")
            val = fx.string(val, f"{where}[{j + base}]{sep}checksumValue")
            if not alg or not val:
                raise fx.fail("checksum without algorithm or checksumValue", f"{where}[{j + base}]")
        norm = alg_cache.get(alg)
        if norm is None:
            norm = alg_cache[alg] = hash_algorithm(alg)
        h = _Hash(algorithm=norm, value=val.strip().lower())
        out.append(h)
    return tuple(out)


def _roots(relationships: Sequence[Relationship], doc_id: str) -> list[str]:
    """What the document describes: the other end of its DESCRIBES and DESCRIBED_BY edges,
    in order, once each (read from the columns)."""
    types = relationship_column(relationships, "type")
    if "describes" not in types and "described-by" not in types:
        return []
    sources = relationship_column(relationships, "source")
    targets = relationship_column(relationships, "target")
    roots: list[str] = []
    for rtype, source, target in zip(types, sources, targets, strict=True):
        if rtype == "describes" and source == doc_id:
            root = target
        elif rtype == "described-by" and target == doc_id:
            root = source
        else:
            continue
        if root not in roots:
            roots.append(root)
    return roots
