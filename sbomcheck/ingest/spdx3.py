"""Read SPDX 3.0 / 3.0.1 JSON-LD documents (an `@graph` of typed elements).

Elements are found wherever they are written (top-level `@graph` entries or inline objects),
keyed by `spdxId` (or `@id`). Types are compared by their last name segment, so
`software_Package`, `spdx:software_Package` and `https://spdx.org/rdf/3.0.1/terms/Software/Package`
are the same. Counts follow MANIFEST.csv: packages (types ending in `Package`) and files are
de-duplicated by spdxId; relationships are Relationship / LifecycleScopedRelationship
elements, each of which becomes one model Relationship per `to` entry, so
`Document.relationships_as_written` carries the element count. Only the compact property
names of the SPDX 3 context are read (what every producer in the corpus writes).

Over 500 lines on purpose: one format's reader (`_Spdx3Reader`, its steps sharing the index
of elements by spdxId) with the list of the types SPDX 3 defines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sbomcheck.errors import IngestError
from sbomcheck.ingest._checks import check_structure
from sbomcheck.ingest._context import ReadContext
from sbomcheck.ingest._spdx_values import (
    NOASSERTION,
    attach_files,
    check_timestamp,
    emit_grouped,
    hash_algorithm,
    parse_party,
    relationship_type,
    type_name,
)
from sbomcheck.ingest.interface import Reader, Syntax
from sbomcheck.model import (
    Component,
    Document,
    ExternalDocumentRef,
    ExternalReference,
    Format,
    Hash,
    Party,
    Property,
    Relationship,
)

__all__ = ["READER", "read_spdx3"]

_SPLIT = re.compile(r"[/#:]")
_AGENT_KINDS = {
    "Organization": "organization",
    "Person": "person",
    "SoftwareAgent": "tool",
    "Tool": "tool",
    "Agent": None,
}
# NOTE: SPDX 3 named individuals (spec "Individuals"): valid relationship ends that no
# document declares.
_INDIVIDUALS = frozenset(
    {"NoAssertionLicense", "NoneLicense", "NoAssertionElement", "NoneElement", "SpdxOrganization"}
)
_LICENSE_RELATIONSHIPS = frozenset({"has-concluded-license", "has-declared-license"})
# NOTE: every class of the SPDX 3.0 / 3.0.1 model (abstract ones too, which producers write),
# by the last segment of its name. An element of any other type is reported and not read: it
# may be a package by another name (`software_PackageX`), so the document cannot show
# absence (model.UNREAD_CODES). Types ending in `Package` are read as packages whatever
# their profile.
_KNOWN_TYPES = frozenset(
    {
        # Core
        "Agent", "Annotation", "Artifact", "Bom", "Bundle", "CreationInfo", "DictionaryEntry",
        "Element", "ElementCollection", "ExternalIdentifier", "ExternalMap", "ExternalRef",
        "Hash", "IndividualElement", "IntegrityMethod", "LifecycleScopedRelationship",
        "NamespaceMap", "Organization", "PackageVerificationCode", "Person",
        "PositiveIntegerRange", "Relationship", "SoftwareAgent", "SpdxDocument", "Tool",
        # Software
        "ContentIdentifier", "File", "Package", "Sbom", "Snippet", "SoftwareArtifact",
        # Security
        "CvssV2VulnAssessmentRelationship", "CvssV3VulnAssessmentRelationship",
        "CvssV4VulnAssessmentRelationship", "EpssVulnAssessmentRelationship",
        "ExploitCatalogVulnAssessmentRelationship", "SsvcVulnAssessmentRelationship",
        "VexAffectedVulnAssessmentRelationship", "VexFixedVulnAssessmentRelationship",
        "VexNotAffectedVulnAssessmentRelationship",
        "VexUnderInvestigationVulnAssessmentRelationship", "VexVulnAssessmentRelationship",
        "VulnAssessmentRelationship", "Vulnerability",
        # SimpleLicensing, ExpandedLicensing
        "AnyLicenseInfo", "LicenseExpression", "SimpleLicensingText", "ConjunctiveLicenseSet",
        "CustomLicense", "CustomLicenseAddition", "DisjunctiveLicenseSet", "ExtendableLicense",
        "IndividualLicensingInfo", "License", "LicenseAddition", "ListedLicense",
        "ListedLicenseException", "OrLaterOperator", "WithAdditionOperator",
        # AI, Dataset, Build, Extension
        "AIPackage", "EnergyConsumption", "EnergyConsumptionDescription", "DatasetPackage",
        "Build", "Extension", "CdxPropertiesExtension", "CdxPropertyEntry",
    }
)  # fmt: skip


def _short(t: str) -> str:
    return _SPLIT.split(t)[-1].rpartition("_")[2]


def _kind(value: Any) -> str | None:
    types = value if isinstance(value, list) else [value]
    for t in types:
        if isinstance(t, str):
            return _short(t)
    return None


def read_spdx3(obj: dict[str, Any], ctx: ReadContext) -> Document:
    """Read an SPDX 3 JSON-LD document.

    Raises `IngestError` (with a JSON path such as `@graph[12].name`) on values of the wrong
    type or a document without elements; duplicates and dangling references are warnings.
    """
    if not isinstance(obj, dict):
        raise IngestError(
            f"SPDX 3 document is {type_name(obj)}, expected an object",
            source=ctx.key,
            location="$",
        )
    return _Spdx3Reader(ctx).read(obj)


def _items(value: Any, location: str) -> list[Any]:
    """A property that may hold one value or a list of them, as a list."""
    if value is None:
        return []
    return value if type(value) is list else [value]


class _Spdx3Reader:
    """One document's read, step by step (`read`): its elements indexed by spdxId, the
    agents met so far and the lenient values to report at the end."""

    __slots__ = ("agent_cache", "by_id", "ctx", "key", "lenient", "unknown_ids")

    def __init__(self, ctx: ReadContext) -> None:
        self.ctx = ctx
        self.key = ctx.key
        self.by_id: dict[str, dict[str, Any]] = {}
        self.unknown_ids: set[str] = set()
        self.lenient: dict[str, list[str]] = {}
        self.agent_cache: dict[str, Party | None] = {}

    def fail(self, message: str, location: str) -> IngestError:
        return IngestError(message, source=self.key, location=location)

    def text(self, value: Any, location: str) -> str | None:
        if value is None or type(value) is str:
            return value
        raise self.fail(f"expected a string, got {type_name(value)}", location)

    def read(self, obj: dict[str, Any]) -> Document:
        elements = self.collect_elements(obj)
        self.index(elements)
        doc_path, doc_el = self.document_element(elements)
        info = self.creation_info(elements, doc_path, doc_el)
        doc_id = None
        if doc_el:
            doc_id = self.text(doc_el.get("spdxId", doc_el.get("@id")), f"{doc_path}.spdxId")
        external_refs, imported = self.imports(doc_el, doc_path)
        components, files = self.packages_and_files(elements)
        relationships, rel_elements, licenses = self.relationships(elements)
        if licenses:
            components = [_with_licenses(c, licenses) for c in components]
            files = [_with_licenses(c, licenses) for c in files]
        components = attach_files(components, files, relationships)
        root_refs = self.roots(doc_el, doc_path, doc_id, relationships)

        ctx = self.ctx
        emit_grouped(ctx, "lenient-value", self.lenient)
        package_ids = {c.ref for c in components} | {f.ref for f in files}
        check_structure(
            ctx,
            [*components, *files],
            relationships,
            document_refs=[
                # NOTE: elements of an unknown type are not read: relationships to them dangle.
                *(i for i in self.by_id if i not in package_ids and i not in self.unknown_ids),
                *imported,
                *{r.target for r in relationships if _short(r.target) in _INDIVIDUALS},
            ],
        )
        return Document(
            key=self.key,
            path=ctx.path,
            sha256=ctx.sha256,
            sha1=ctx.sha1,
            format=Format.SPDX3_JSONLD,
            spec_version=info.spec_version,
            name=self.text(doc_el.get("name"), f"{doc_path}.name"),
            namespace=doc_id,
            spdx_id=doc_id,
            created=info.created,
            creators=tuple(info.creators),
            tools=tuple(info.tools),
            root_refs=tuple(root_refs),
            components=tuple(components),
            files=tuple(files),
            relationships=tuple(relationships),
            external_refs=tuple(external_refs),
            relationships_as_written=rel_elements,
            warnings=tuple(ctx.warnings),
            gzip=ctx.gzip,
        )

    # -- elements ---------------------------------------------------------------------------

    def collect_elements(self, obj: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
        """Every typed object with its kind and path, in document order (elements can be
        written inline, inside other elements)."""
        elements: list[tuple[str, str, dict[str, Any]]] = []  # (kind, path, element)
        graph = obj.get("@graph")
        if graph is None:
            roots: list[tuple[str, Any]] = [
                ("$", {k: v for k, v in obj.items() if k != "@context"})
            ]
        elif type(graph) is list:
            roots = [(f"@graph[{i}]", e) for i, e in enumerate(graph)]
        else:
            raise self.fail(f"expected an array, got {type_name(graph)}", "@graph")
        stack = list(reversed(roots))
        while stack:
            path, x = stack.pop()
            if type(x) is dict:
                t = x.get("type", x.get("@type"))
                if t is not None:
                    kind = _kind(t)
                    if kind is None:
                        raise self.fail(f"expected a type name, got {type_name(t)}", f"{path}.type")
                    elements.append((kind, path, x))
                for k, v in x.items():
                    if k != "@context" and type(v) in (dict, list):
                        stack.append((f"{path}.{k}", v))
            elif type(x) is list:
                stack.extend((f"{path}[{i}]", v) for i, v in reversed(list(enumerate(x))))
        if not elements:
            raise self.fail("SPDX 3 document has no elements", "@graph")
        return elements

    def index(self, elements: list[tuple[str, str, dict[str, Any]]]) -> None:
        """Key the elements by spdxId (the first of each wins) and report those of a type
        SPDX 3 does not define."""
        by_id = self.by_id
        unknown: dict[str, list[str]] = {}  # type as written -> paths
        for kind, path, e in elements:
            ident = e.get("spdxId", e.get("@id"))
            if ident is not None:
                by_id.setdefault(str(self.text(ident, f"{path}.spdxId")), e)
            if kind not in _KNOWN_TYPES and not kind.endswith("Package"):
                written = e.get("type", e.get("@type"))
                unknown.setdefault(str(written), []).append(path)
                if ident is not None:
                    self.unknown_ids.add(str(ident))
        for written, paths in unknown.items():
            what = "an element" if len(paths) == 1 else f"{len(paths)} elements"
            self.ctx.warn(
                "unknown-type",
                f"{what} of type {written!r}, which SPDX 3.0 does not define; not read, so "
                "the SBOM cannot show absence (relationships to them are dangling)",
                paths[0],
            )

    def agent(self, ref: Any, location: str) -> Party | None:
        """The party an agent reference (an spdxId or an inline element) names."""
        if type(ref) is dict:
            ident = ref.get("spdxId", ref.get("@id"))
            node: dict[str, Any] | None = ref
        else:
            ident = self.text(ref, location)
            node = self.by_id.get(ident) if ident else None
        if ident is not None and ident in self.agent_cache:
            return self.agent_cache[ident]
        if node is None:
            party = Party(name=None, raw=ident) if ident else None
        else:
            name = self.text(node.get("name"), f"{location}.name") or ""
            kind = _AGENT_KINDS.get(_kind(node.get("type", node.get("@type"))) or "")
            parsed = parse_party(name) if name else None
            if parsed is not None and parsed.kind is not None:
                party = parsed  # producers that write "Organization: X" as the name
            elif name.upper() in NOASSERTION:
                party = None
            else:
                emails = tuple(
                    str(x.get("identifier"))
                    for x in _items(node.get("externalIdentifier"), location)
                    if type(x) is dict and x.get("externalIdentifierType") == "email"
                )
                party = Party(name=name, kind=kind, emails=emails, raw=name)
        if ident is not None:
            self.agent_cache[ident] = party
        return party

    # -- the document and its creation info ---------------------------------------------------

    def document_element(
        self, elements: list[tuple[str, str, dict[str, Any]]]
    ) -> tuple[str, dict[str, Any]]:
        """The SpdxDocument element and its path (the first, when there are several;
        ("", {}) when there is none)."""
        doc_elements = [(p, e) for k, p, e in elements if k == "SpdxDocument"]
        if len(doc_elements) > 1:
            self.ctx.warn(
                "lenient-value",
                f"{len(doc_elements)} SpdxDocument elements; the first is read",
                doc_elements[1][0],
            )
        return doc_elements[0] if doc_elements else ("", {})

    def creation_info(
        self,
        elements: list[tuple[str, str, dict[str, Any]]],
        doc_path: str,
        doc_el: dict[str, Any],
    ) -> _CreationInfo:
        """The document's CreationInfo (inline, by reference, or else the first one):
        spec version, creation time, creators and tools."""
        creation_infos = [(p, e) for k, p, e in elements if k == "CreationInfo"]
        ci_ref = doc_el.get("creationInfo")
        ci: dict[str, Any] | None = None
        ci_path = ""
        if type(ci_ref) is dict:
            ci, ci_path = ci_ref, f"{doc_path}.creationInfo"
        elif isinstance(ci_ref, str):
            for p, e in creation_infos:
                if e.get("@id") == ci_ref or e.get("spdxId") == ci_ref:
                    ci, ci_path = e, p
                    break
        if ci is None and creation_infos:
            ci_path, ci = creation_infos[0]
        info = _CreationInfo()
        if ci is not None:
            self.read_creation_info(ci, ci_path, info)
        if not info.spec_version:
            raise self.fail("no CreationInfo with a specVersion", ci_path or "@graph")
        return info

    def read_creation_info(self, ci: dict[str, Any], ci_path: str, info: _CreationInfo) -> None:
        text = self.text
        info.spec_version = text(ci.get("specVersion"), f"{ci_path}.specVersion") or ""
        info.created = text(ci.get("created"), f"{ci_path}.created")
        if info.created is not None:
            check_timestamp(info.created, f"{ci_path}.created", self.lenient, "created")
        for i, ref in enumerate(_items(ci.get("createdBy"), f"{ci_path}.createdBy")):
            party = self.agent(ref, f"{ci_path}.createdBy[{i}]")
            if party is not None:
                info.creators.append(_creator(party))
        for i, ref in enumerate(_items(ci.get("createdUsing"), f"{ci_path}.createdUsing")):
            party = self.agent(ref, f"{ci_path}.createdUsing[{i}]")
            if party is not None:
                tool = party.name or party.raw or ""
                info.creators.append(f"Tool: {tool}")
                info.tools.append(tool)

    def imports(
        self, doc_el: dict[str, Any], doc_path: str
    ) -> tuple[list[ExternalDocumentRef], list[str]]:
        """The document's `import` entries (ExternalMap): a reference to each other document,
        and the spdxIds they import (valid relationship ends)."""
        text = self.text
        external_refs: list[ExternalDocumentRef] = []
        imported: list[str] = []
        for i, m in enumerate(_items(doc_el.get("import"), f"{doc_path}.import")):
            here = f"{doc_path}.import[{i}]"
            if type(m) is not dict:
                raise self.fail(f"expected an object, got {type_name(m)}", here)
            ext_id = text(m.get("externalSpdxId"), f"{here}.externalSpdxId")
            if not ext_id:
                raise self.fail("ExternalMap without externalSpdxId", here)
            imported.append(ext_id)
            hashes = _hashes(_items(m.get("verifiedUsing"), here), f"{here}.verifiedUsing", text)
            hint = text(m.get("locationHint"), f"{here}.locationHint")
            artifact = m.get("definingArtifact")
            artifact = self.by_id.get(artifact) if isinstance(artifact, str) else artifact
            if type(artifact) is dict:
                # NOTE: the Artifact the imported element is defined in (the other document's
                # file): its hash and download location stand in for verifiedUsing and
                # locationHint when those are not given (docs/graph.md, "Linked documents").
                where = f"{here}.definingArtifact"
                hashes = hashes or _hashes(
                    _items(artifact.get("verifiedUsing"), where), where, text
                )
                hint = hint or text(artifact.get("software_downloadLocation"), where)
            external_refs.append(
                ExternalDocumentRef(
                    id=ext_id,
                    uri=hint if hint and hint not in NOASSERTION else ext_id,
                    kind="spdx3-external-map",
                    checksum=hashes[0] if hashes else None,
                    location=here,
                )
            )
        return external_refs, imported

    # -- packages, files, relationships, roots --------------------------------------------------

    def packages_and_files(
        self, elements: list[tuple[str, str, dict[str, Any]]]
    ) -> tuple[list[Component], list[Component]]:
        """Every package (a type ending in `Package`) and file, each spdxId read once."""
        components: list[Component] = []
        files: list[Component] = []
        seen: dict[str, tuple[str, dict[str, Any]]] = {}
        for kind, path, e in elements:
            is_package = kind.endswith("Package")
            if not is_package and kind != "File":
                continue
            ident = e.get("spdxId", e.get("@id"))
            synthetic = ident is None
            ref = path if synthetic else str(ident)
            if not synthetic:
                first = seen.get(ref)
                if first is not None:
                    if first[1] == e:
                        # The same element written twice (inline and in @graph): read once.
                        self.ctx.warn(
                            "duplicate-ref",
                            f"spdxId {ref!r} is declared again, identically (first at "
                            f"{first[0]}); read once",
                            path,
                        )
                        continue
                    # NOTE: two different elements under one spdxId: neither may hide the
                    # other, so both are kept (check_structure reports the duplicate ref).
                else:
                    seen[ref] = (path, e)
            comp = self.component(e, kind, path, ref, synthetic)
            (components if is_package else files).append(comp)
        return components, files

    def relationships(
        self, elements: list[tuple[str, str, dict[str, Any]]]
    ) -> tuple[list[Relationship], int, dict[str, list[str]]]:
        """One model relationship per `to` entry of each Relationship element, the count of
        those elements, and the licence expressions the licence relationships give."""
        text = self.text
        key = self.key
        relationships: list[Relationship] = []
        rel_elements = 0
        licenses: dict[str, list[str]] = {}
        for kind, path, e in elements:
            if kind not in ("Relationship", "LifecycleScopedRelationship"):
                continue
            rel_elements += 1
            src_id = _ref(e.get("from"), f"{path}.from", text)
            raw_type = text(e.get("relationshipType"), f"{path}.relationshipType")
            if not src_id or not raw_type:
                raise self.fail("relationship without from or relationshipType", path)
            rtype = relationship_type(raw_type.rpartition("/")[2])
            comment = text(e.get("comment"), f"{path}.comment")
            for j, t in enumerate(_items(e.get("to"), f"{path}.to")):
                target = _ref(t, f"{path}.to[{j}]", text)
                if not target:
                    raise self.fail("relationship target without an spdxId", f"{path}.to[{j}]")
                relationships.append(
                    Relationship(
                        source=src_id,
                        type=rtype,
                        target=target,
                        document=key,
                        location=path,
                        explicit=True,
                        comment=comment,
                    )
                )
                if rtype in _LICENSE_RELATIONSHIPS:
                    lic_el = self.by_id.get(target)
                    expr = None
                    if lic_el is not None:
                        expr = lic_el.get("simplelicensing_licenseExpression") or lic_el.get("name")
                    if isinstance(expr, str) and expr not in NOASSERTION:
                        licenses.setdefault(src_id, []).append(expr)
        return relationships, rel_elements, licenses

    def roots(
        self,
        doc_el: dict[str, Any],
        doc_path: str,
        doc_id: str | None,
        relationships: list[Relationship],
    ) -> list[str]:
        """The document's rootElement entries and what it DESCRIBES, followed through any
        Sbom/Bom element to that element's own roots."""
        text = self.text
        root_refs: list[str] = []
        pending = [
            _ref(r, f"{doc_path}.rootElement", text) or ""
            for r in _items(doc_el.get("rootElement"), f"{doc_path}.rootElement")
        ]
        if doc_id:
            pending += [
                r.target for r in relationships if r.source == doc_id and r.type == "describes"
            ]
        visited: set[str] = set()
        while pending:
            ref = pending.pop(0)
            if not ref or ref in visited:
                continue
            visited.add(ref)
            el = self.by_id.get(ref)
            if el is not None and (_kind(el.get("type", el.get("@type"))) or "").lower().endswith(
                "bom"
            ):
                pending += [_ref(r, ref, text) or "" for r in _items(el.get("rootElement"), ref)]
                continue
            root_refs.append(ref)
        return root_refs

    # -- one package or file ------------------------------------------------------------------

    def component(
        self, e: dict[str, Any], kind: str, path: str, ref: str, synthetic: bool
    ) -> Component:
        """A package or file element as a model component."""
        text = self.text
        get = e.get
        purl, cpes, swid, xrefs = self.identifiers(e, path)
        supplier = None
        if get("suppliedBy") is not None:
            supplier = self.agent(get("suppliedBy"), f"{path}.suppliedBy")
        originators = [
            o
            for o in (
                self.agent(o, f"{path}.originatedBy[{i}]")
                for i, o in enumerate(_items(get("originatedBy"), f"{path}.originatedBy"))
            )
            if o is not None
        ]
        copyright_text = text(get("software_copyrightText"), f"{path}.software_copyrightText")
        if copyright_text in NOASSERTION:
            copyright_text = None
        purpose = text(get("software_primaryPurpose"), f"{path}.software_primaryPurpose")
        comp_type: str | None = "file"
        if kind != "File":
            comp_type = relationship_type(purpose) if purpose else None
        dates = self.dates(e, path)
        name = text(get("name"), f"{path}.name")
        if name is None:
            self.lenient.setdefault(f"{kind} element without a name", []).append(path)
        version = text(get("software_packageVersion"), f"{path}.software_packageVersion")
        hashes = _hashes(_items(get("verifiedUsing"), path), f"{path}.verifiedUsing", text)
        description = text(get("description"), f"{path}.description") or text(
            get("summary"), f"{path}.summary"
        )
        return Component(
            ref=ref,
            document=self.key,
            location=path,
            name=name or "",
            version=version,
            type=comp_type,
            purl=purl,
            cpes=tuple(cpes),
            swid_tag_id=swid,
            hashes=tuple(hashes),
            supplier=supplier,
            originator=originators[0] if originators else None,
            copyright=copyright_text,
            description=description,
            external_references=tuple(xrefs),
            properties=tuple(
                Property(name="spdx:originatedBy", value=o.name or o.raw or "")
                for o in originators[1:]
            ),
            release_date=dates[0],
            built_date=dates[1],
            valid_until_date=dates[2],
            ref_synthetic=synthetic,
        )

    def identifiers(
        self, e: dict[str, Any], path: str
    ) -> tuple[str | None, list[str], str | None, list[ExternalReference]]:
        """purl, CPEs, SWID tag id and external references, from the element's
        `software_packageUrl`, `externalIdentifier`, `externalRef` and location fields."""
        text = self.text
        get = e.get
        purl = text(get("software_packageUrl"), f"{path}.software_packageUrl")
        cpes: list[str] = []
        swid = None
        xrefs: list[ExternalReference] = []
        for i, x in enumerate(_items(get("externalIdentifier"), f"{path}.externalIdentifier")):
            here = f"{path}.externalIdentifier[{i}]"
            if isinstance(x, str):
                # NOTE: sbom-tool writes externalIdentifier as references to top-level
                # ExternalIdentifier elements instead of inline objects.
                x = self.by_id.get(x)
            if type(x) is not dict:
                continue
            xtype = text(x.get("externalIdentifierType"), f"{here}.externalIdentifierType") or ""
            ident = text(x.get("identifier"), f"{here}.identifier")
            if not ident:
                continue
            if xtype in ("packageUrl", "purl") and purl is None:
                purl = ident
            elif xtype in ("cpe22", "cpe23"):
                cpes.append(ident)
            elif xtype == "swid" and swid is None:
                swid = ident
            xrefs.append(ExternalReference(type=f"identifier/{xtype}", url=ident))
        for i, x in enumerate(_items(get("externalRef"), f"{path}.externalRef")):
            if type(x) is not dict:
                continue
            xtype = text(x.get("externalRefType"), f"{path}.externalRef[{i}].externalRefType") or ""
            xrefs.extend(
                ExternalReference(type=xtype or "other", url=loc)
                for loc in _items(x.get("locator"), f"{path}.externalRef[{i}].locator")
                if isinstance(loc, str)
            )
        for fld, xtype in (
            ("software_downloadLocation", "download"),
            ("software_homePage", "homepage"),
            ("software_sourceInfo", "source-info"),
        ):
            url = text(get(fld), f"{path}.{fld}")
            if url and url not in NOASSERTION and xtype != "source-info":
                xrefs.append(ExternalReference(type=xtype, url=url))
        return purl, cpes, swid, xrefs

    def dates(self, e: dict[str, Any], path: str) -> list[str | None]:
        """releaseTime, builtTime and validUntilTime as written (odd ones noted)."""
        dates = []
        for fld in ("releaseTime", "builtTime", "validUntilTime"):
            d = self.text(e.get(fld), f"{path}.{fld}")
            if d is not None:
                check_timestamp(d, f"{path}.{fld}", self.lenient, fld)
            dates.append(d)
        return dates


@dataclass(slots=True)
class _CreationInfo:
    """What the document's CreationInfo says (filled by `_Spdx3Reader.read_creation_info`)."""

    spec_version: str = ""
    created: str | None = None
    creators: list[str] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)


def _creator(party: Party) -> str:
    if party.raw and party.kind and party.raw.lower().startswith(party.kind):
        return party.raw
    label = {"organization": "Organization", "person": "Person", "tool": "Tool"}.get(
        party.kind or "", "Agent"
    )
    return f"{label}: {party.name or party.raw or ''}"


def _ref(value: Any, location: str, text: Any) -> str | None:
    if type(value) is dict:
        return text(value.get("spdxId", value.get("@id")), f"{location}.spdxId")  # type: ignore[no-any-return]
    return text(value, location)  # type: ignore[no-any-return]


def _hashes(values: list[Any], location: str, text: Any) -> list[Hash]:
    out = []
    for i, h in enumerate(values):
        if type(h) is not dict:
            continue  # a reference to a verification element: nothing to compare
        alg = text(h.get("algorithm"), f"{location}[{i}].algorithm")
        val = text(h.get("hashValue"), f"{location}[{i}].hashValue")
        if alg and val:
            out.append(Hash(algorithm=hash_algorithm(alg), value=val.strip().lower()))
    return out


def _with_licenses(comp: Component, licenses: dict[str, list[str]]) -> Component:
    found = licenses.get(comp.ref)
    if not found:
        return comp
    from dataclasses import replace

    merged = list(comp.licenses)
    for lic in found:
        if lic not in merged:
            merged.append(lic)
    return replace(comp, licenses=tuple(merged))


def _names_spdx3(obj: dict[str, Any], ctx: ReadContext) -> bool:
    """A JSON object whose `@context` mentions SPDX."""
    context = obj.get("@context")
    if context is None:
        return False
    import orjson  # NOTE: the general path only; the typed paths never load it

    return "spdx" in orjson.dumps(context).decode().lower()


READER = Reader(
    format=Format.SPDX3_JSONLD, syntax=Syntax.JSON, identify=_names_spdx3, read=read_spdx3
)
"""SPDX 3 JSON-LD, read from dicts."""
