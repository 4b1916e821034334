"""Read SPDX 2.x RDF/XML documents (root `rdf:RDF`, terms in http://spdx.org/rdf/terms#).

RDF/XML alternates node elements (`spdx:Package`, or `rdf:Description` with an `rdf:type`)
and property elements (`spdx:name`, `spdx:relationship`). A node can be written inline where
it is first used, or elsewhere and referred to by `rdf:resource` / `rdf:nodeID`; the same
`rdf:about` can appear several times, each adding properties. So the reader first indexes
every node by its identity (merging its descriptions), then converts packages, files and
relationships into the JSON shape for the shared SPDX 2 builder. A relationship's source is
the node whose `spdx:relationship` property holds it. SPDXIDs are the fragment after `#`;
elements of other documents become `DocumentRef-X:SPDXRef-Y` through externalDocumentRefs.
Counts follow MANIFEST.csv: Package, File and Relationship nodes de-duplicated by identity.

Over 500 lines on purpose: RDF needs its own graph (`_Node`, `_Graph`) before anything maps
to the SPDX 2 shape (`_Terms`); both are this one syntax's knowledge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sbomcheck.errors import IngestError
from sbomcheck.ingest._context import ReadContext
from sbomcheck.ingest._spdx_common import Where, build_spdx2
from sbomcheck.ingest._xml import root_tag
from sbomcheck.ingest.interface import Reader, Syntax
from sbomcheck.model import Document, Format

__all__ = ["READER", "read_spdx_rdf"]

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SPDX = "http://spdx.org/rdf/terms#"
_ABOUT = f"{{{RDF}}}about"
_NODE_ID = f"{{{RDF}}}nodeID"
_RESOURCE = f"{{{RDF}}}resource"
_TYPE = f"{{{RDF}}}type"
_DESCRIPTION = f"{{{RDF}}}Description"
_LICENSES = "http://spdx.org/licenses/"
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


class _Conflict(Exception):
    """A single-valued property given two different values on one node."""

    def __init__(self, name: str, line: int) -> None:
        super().__init__(name)
        self.name = name
        self.line = line


def _value_key(prop: Any) -> tuple[Any, ...]:
    """What a property element says, for telling a repeated triple from a second value."""
    from lxml import etree  # NOTE: loaded with the document; only an RDF read gets here

    inner = tuple(
        (c.get(_ABOUT), c.get(_NODE_ID)) if c.get(_ABOUT) or c.get(_NODE_ID) else etree.tostring(c)
        for c in prop
        if isinstance(c.tag, str)
    )
    return (prop.get(_RESOURCE), prop.get(_NODE_ID), inner, (prop.text or "").strip())


@dataclass(slots=True)
class _Node:
    """One RDF resource: its class (local name) and its properties from every description."""

    ident: str
    kind: str
    line: int
    props: list[tuple[str, Any]] = field(default_factory=list)
    """(local property name, property element)"""
    index: dict[str, list[Any]] | None = None
    """`props` by name, made on first look-up (after the graph is built)."""

    def _by_name(self) -> dict[str, list[Any]]:
        if self.index is None:
            self.index = {}
            for n, el in self.props:
                self.index.setdefault(n, []).append(el)
        return self.index

    def first(self, name: str) -> Any:
        """The value of a single-valued property. The same triple written twice (a node
        described in two places) is one value; two different values raise `_Conflict`:
        readers disagree on which counts, and a finding could hide in the one not read."""
        found = self._by_name().get(name)
        if not found:
            return None
        if len(found) > 1:
            key = _value_key(found[0])
            for el in found[1:]:
                if _value_key(el) != key:
                    raise _Conflict(name, el.sourceline or 0)
        return found[0]

    def all(self, name: str) -> list[Any]:
        return list(self._by_name().get(name, ()))


class _Graph:
    def __init__(self) -> None:
        self.nodes: dict[str, _Node] = {}
        self.order: list[_Node] = []
        self.owner_of_relationship: dict[str, str] = {}
        self.by_element: dict[Any, _Node] = {}
        self._anon = 0

    def node(self, el: Any) -> _Node:
        """Register a node element (and, recursively, the nodes inside its properties)."""
        ident = el.get(_ABOUT) or (f"_:{el.get(_NODE_ID)}" if el.get(_NODE_ID) else None)
        if ident is None:
            self._anon += 1
            ident = f"_:anon{self._anon}"
        kind = _local(el.tag) if el.tag != _DESCRIPTION else ""
        if not kind or el.tag == _DESCRIPTION:
            for t in el.iterchildren(_TYPE):
                res = t.get(_RESOURCE, "")
                if res.startswith(SPDX):
                    kind = res[len(SPDX) :]
        node = self.nodes.get(ident)
        if node is None:
            node = _Node(ident=ident, kind=kind, line=el.sourceline or 0)
            self.nodes[ident] = node
            self.order.append(node)
        elif not node.kind and kind:
            node.kind = kind
        self.by_element[el] = node
        if len(el) and not node.props:
            node.line = el.sourceline or node.line
        for prop in el:
            if not isinstance(prop.tag, str) or prop.tag == _TYPE:
                continue
            name = _local(prop.tag)
            node.props.append((name, prop))
            node.index = None
            for child in prop:
                if isinstance(child.tag, str):
                    inner = self.node(child)
                    if name == "relationship":
                        self.owner_of_relationship.setdefault(inner.ident, ident)
            if name == "relationship" and len(prop) == 0:
                target = _ref_ident(prop)
                if target:
                    self.owner_of_relationship.setdefault(target, ident)
        return node

    def target(self, prop: Any) -> _Node | None:
        """The node a property points at, inline or by reference."""
        for child in prop:
            if isinstance(child.tag, str):
                return self.by_element.get(child)
        ident = _ref_ident(prop)
        return self.nodes.get(ident) if ident else None


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _ref_ident(prop: Any) -> str | None:
    res = prop.get(_RESOURCE)
    if res is not None:
        return str(res)
    nid = prop.get(_NODE_ID)
    return f"_:{nid}" if nid else None


def _text(prop: Any) -> str | None:
    if prop is None:
        return None
    if prop.get(_RESOURCE) is not None:
        return _special(str(prop.get(_RESOURCE)))
    return (prop.text or "").strip()


def _special(uri: str) -> str:
    """`http://spdx.org/rdf/terms#noassertion` -> NOASSERTION; other URIs as written."""
    if uri.startswith(SPDX):
        frag = uri[len(SPDX) :]
        if frag.lower() in ("noassertion", "none"):
            return frag.upper()
    return uri


def _enum(uri: str, prefix: str) -> str:
    """`...#relationshipType_dynamicLink` -> `DYNAMIC_LINK` (the JSON spelling)."""
    frag = uri.rpartition("#")[2] if "#" in uri else uri
    if frag.startswith(prefix):
        frag = frag[len(prefix) :]
    return _CAMEL.sub("_", frag).upper()


def read_spdx_rdf(root: Any, ctx: ReadContext) -> Document:
    """Read an SPDX 2 RDF/XML document. Raises `IngestError` (`line N`) on malformed input,
    and on a single-valued property given two different values on one node."""
    try:
        return _read(root, ctx)
    except _Conflict as e:
        raise IngestError(
            f"spdx:{e.name} has two different values on one element; it may have one, so "
            "sbomcheck refuses the document rather than guess which counts",
            source=ctx.key,
            location=f"line {e.line}",
        ) from None


def _is_rdf(root: Any, ctx: ReadContext) -> bool:
    """An `rdf:RDF` root (SPDX 2 is the only RDF sbomcheck reads)."""
    return root_tag(root) == f"{{{RDF}}}RDF"


READER = Reader(format=Format.SPDX_RDF, syntax=Syntax.XML, identify=_is_rdf, read=read_spdx_rdf)
"""SPDX 2 RDF/XML, read from the lxml root element."""


def _read(root: Any, ctx: ReadContext) -> Document:
    graph = _Graph()
    for el in root:
        if isinstance(el.tag, str):
            graph.node(el)
    docn = _document_node(graph, ctx)
    namespace, _, doc_frag = docn.ident.partition("#")
    ext_docs, ext_prefix = _external_documents(docn, graph)
    terms = _Terms(graph, ctx, namespace, ext_prefix)
    doc = terms.document(docn, doc_frag or "SPDXRef-DOCUMENT", ext_docs)
    where = terms.elements(docn, doc)
    return build_spdx2(doc, ctx, Format.SPDX_RDF, where)


def _document_node(graph: _Graph, ctx: ReadContext) -> _Node:
    """The spdx:SpdxDocument node (the first, when there are several)."""
    documents = [n for n in graph.order if n.kind == "SpdxDocument"]
    if not documents:
        raise IngestError("RDF/XML has no spdx:SpdxDocument", source=ctx.key, location="/rdf:RDF")
    if len(documents) > 1:
        ctx.warn(
            "lenient-value",
            f"{len(documents)} spdx:SpdxDocument nodes; the first is read",
            f"line {documents[1].line}",
        )
    return documents[0]


def _external_documents(docn: _Node, graph: _Graph) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The document's externalDocumentRefs in the JSON shape, and the DocumentRef id of
    each other document's namespace."""
    ext_docs: list[dict[str, Any]] = []
    ext_prefix: dict[str, str] = {}
    for prop in docn.all("externalDocumentRef"):
        node = graph.target(prop)
        if node is None:
            continue
        ext_id = _text(node.first("externalDocumentId")) or node.ident.rpartition("#")[2]
        uri = _text(node.first("spdxDocument")) or ""
        entry: dict[str, Any] = {"externalDocumentId": ext_id, "spdxDocument": uri}
        ck = node.first("checksum")
        ck_node = graph.target(ck) if ck is not None else None
        if ck_node is not None:
            entry["checksum"] = _checksum(ck_node)
        ext_docs.append(entry)
        ext_prefix[uri] = ext_id
    return ext_docs, ext_prefix


class _Terms:
    """The document's nodes in the JSON shape of SPDX 2: identities as SPDXIDs (relative to
    the document's namespace and its external documents), licence nodes as expressions."""

    def __init__(
        self, graph: _Graph, ctx: ReadContext, namespace: str, ext_prefix: dict[str, str]
    ) -> None:
        self.graph = graph
        self.ctx = ctx
        self.namespace = namespace
        self.ext_prefix = ext_prefix

    def spdx_id(self, ident: str) -> str:
        if ident.startswith("_:"):
            return ident
        special = _special(ident)
        if special in ("NOASSERTION", "NONE"):
            return special
        base, hash_, frag = ident.partition("#")
        if not hash_:
            return ident
        if base == self.namespace:
            return frag
        if base in self.ext_prefix:
            return f"{self.ext_prefix[base]}:{frag}"
        return ident

    # -- licences -------------------------------------------------------------------------------

    def license_text(self, prop: Any) -> str | None:
        if prop is None:
            return None
        node = self.graph.target(prop)
        if node is None:
            res = prop.get(_RESOURCE)
            if res is None:
                return (prop.text or "").strip() or None
            return self.license_uri(str(res))
        return self.license_node(node, 0)

    def license_node(self, node: _Node, depth: int) -> str | None:
        if depth > 50:
            raise IngestError(
                "licence expression nested too deep",
                source=self.ctx.key,
                location=f"line {node.line}",
            )
        kind = node.kind
        if kind in ("ConjunctiveLicenseSet", "DisjunctiveLicenseSet"):
            members = [
                m for m in (self.member(p, depth) for p in node.all("member")) if m is not None
            ]
            op = " AND " if kind.startswith("Conj") else " OR "
            return f"({op.join(sorted(members))})" if members else None
        if kind == "WithExceptionOperator":
            base_lic = self.member(node.first("member"), depth)
            exc = node.first("licenseException")
            exc_node = self.graph.target(exc) if exc is not None else None
            exc_id = _text(exc_node.first("licenseExceptionId")) if exc_node else None
            return f"{base_lic} WITH {exc_id}" if base_lic and exc_id else base_lic
        if kind == "OrLaterOperator":
            base_lic = self.member(node.first("member"), depth)
            return f"{base_lic}+" if base_lic else None
        lic_id = _text(node.first("licenseId"))
        if lic_id:
            return lic_id
        if node.ident.startswith("_:"):
            return None
        return self.license_uri(node.ident)

    def member(self, prop: Any, depth: int) -> str | None:
        if prop is None:
            return None
        node = self.graph.target(prop)
        if node is None:
            res = prop.get(_RESOURCE)
            return self.license_uri(str(res)) if res is not None else None
        return self.license_node(node, depth + 1)

    def license_uri(self, uri: str) -> str:
        special = _special(uri)
        if special != uri:
            return special
        if uri.startswith(_LICENSES):
            return uri[len(_LICENSES) :]
        return self.spdx_id(uri)

    # -- the document ---------------------------------------------------------------------------

    def document(self, docn: _Node, doc_id: str, ext_docs: list[dict[str, Any]]) -> dict[str, Any]:
        """The document's own members (version, name, namespace, creation info, external
        documents, what it describes)."""
        doc: dict[str, Any] = {
            "spdxVersion": _text(docn.first("specVersion")) or "",
            "SPDXID": doc_id,
            "name": _text(docn.first("name")),
            "documentNamespace": self.namespace or None,
        }
        if not doc["spdxVersion"]:
            raise IngestError(
                "spdx:SpdxDocument has no spdx:specVersion",
                source=self.ctx.key,
                location=f"line {docn.line}",
            )
        graph = self.graph
        ci_prop = docn.first("creationInfo")
        ci = graph.target(ci_prop) if ci_prop is not None else None
        if ci is not None:
            doc["creationInfo"] = {
                "created": _text(ci.first("created")),
                "creators": [_text(p) or "" for p in ci.all("creator")],
            }
        if ext_docs:
            doc["externalDocumentRefs"] = ext_docs
        describes = [
            self.spdx_id(t.ident)
            for p in docn.all("describesPackage")
            if (t := graph.target(p)) is not None
        ]
        if describes:
            doc["documentDescribes"] = describes
        return doc

    def elements(self, docn: _Node, doc: dict[str, Any]) -> Where:
        """Packages, files and relationships into `doc`, in document order; where each
        was written (a line) for the builder's messages."""
        packages: list[dict[str, Any]] = []
        p_lines: list[int | None] = []
        files: list[dict[str, Any]] = []
        f_lines: list[int | None] = []
        relationships: list[dict[str, Any]] = []
        r_locs: list[str] = []
        snippets: list[str] = []
        for node in self.graph.order:
            kind = node.kind
            if kind == "Package":
                packages.append(_package(node, self.graph, self.spdx_id, self.license_text))
                p_lines.append(node.line)
            elif kind == "File":
                files.append(_file(node, self.graph, self.spdx_id, self.license_text))
                f_lines.append(node.line)
            elif kind == "Relationship":
                relationships.append(self.relationship(node))
                r_locs.append(f"line {node.line}")
            elif kind == "Snippet" and not node.ident.startswith("_:"):
                snippets.append(self.spdx_id(node.ident))
        doc["packages"] = packages
        doc["files"] = files
        doc["relationships"] = relationships
        return Where(
            sep=" ",
            package_locations=[f"line {n}" for n in p_lines],
            package_lines=p_lines,
            file_locations=[f"line {n}" for n in f_lines],
            file_lines=f_lines,
            relationship_locations=r_locs,
            extra_document_refs=snippets,
            document_locations={"spdxVersion": f"line {docn.line}"},
        )

    def relationship(self, node: _Node) -> dict[str, Any]:
        """A Relationship node; its source is the element whose spdx:relationship holds it."""
        spdx_id = self.spdx_id
        owner = self.graph.owner_of_relationship.get(node.ident)
        type_prop = node.first("relationshipType")
        rtype = _enum(_text(type_prop) or "", "relationshipType_") if type_prop is not None else ""
        target_prop = node.first("relatedSpdxElement")
        target = None
        if target_prop is not None:
            tnode = self.graph.target(target_prop)
            if tnode is not None:
                target = spdx_id(tnode.ident)
            else:
                target = spdx_id(_ref_ident(target_prop) or (target_prop.text or "").strip())
        if owner is None:
            self.ctx.warn(
                "missing-field",
                "spdx:Relationship that no element's spdx:relationship holds; its source "
                "is unknown and read as NOASSERTION",
                f"line {node.line}",
            )
        rel: dict[str, Any] = {
            "spdxElementId": spdx_id(owner) if owner else "NOASSERTION",
            "relationshipType": rtype,
            "relatedSpdxElement": target,
        }
        comment = _text(node.first("comment"))
        if comment:
            rel["comment"] = comment
        return rel


def _checksum(node: _Node) -> dict[str, str]:
    alg = node.first("algorithm")
    alg_text = alg.get(_RESOURCE) if alg is not None and alg.get(_RESOURCE) else _text(alg)
    alg_name = str(alg_text or "").rpartition("checksumAlgorithm_")[2]
    return {"algorithm": alg_name, "checksumValue": _text(node.first("checksumValue")) or ""}


def _checksums(node: _Node, graph: _Graph) -> list[dict[str, str]]:
    out = []
    for p in node.all("checksum"):
        ck = graph.target(p)
        if ck is not None:
            out.append(_checksum(ck))
    return out


def _package(node: _Node, graph: _Graph, spdx_id: Any, license_text: Any) -> dict[str, Any]:
    p: dict[str, Any] = {"SPDXID": spdx_id(node.ident)} if not node.ident.startswith("_:") else {}
    for name, key in (
        ("name", "name"),
        ("versionInfo", "versionInfo"),
        ("supplier", "supplier"),
        ("originator", "originator"),
        ("downloadLocation", "downloadLocation"),
        ("homepage", "homepage"),
        ("copyrightText", "copyrightText"),
        ("description", "description"),
        ("summary", "summary"),
        ("releaseDate", "releaseDate"),
        ("builtDate", "builtDate"),
        ("validUntilDate", "validUntilDate"),
    ):
        value = _text(node.first(name))
        if value is not None:
            p[key] = value
    purpose = node.first("primaryPackagePurpose")
    if purpose is not None:
        p["primaryPackagePurpose"] = _enum(_text(purpose) or "", "purpose_")
    for name in ("licenseConcluded", "licenseDeclared"):
        lic = license_text(node.first(name))
        if lic is not None:
            p[name] = lic
    lff = [x for x in (license_text(q) for q in node.all("licenseInfoFromFiles")) if x]
    if lff:
        p["licenseInfoFromFiles"] = lff
    cks = _checksums(node, graph)
    if cks:
        p["checksums"] = cks
    refs = []
    for q in node.all("externalRef"):
        ref = graph.target(q)
        if ref is None:
            continue
        cat = ref.first("referenceCategory")
        rtype = ref.first("referenceType")
        entry = {
            "referenceCategory": _enum(_text(cat) or "", "referenceCategory_").replace("_", "-"),
            "referenceType": _text(rtype) or "",
            "referenceLocator": _text(ref.first("referenceLocator")) or "",
        }
        comment = _text(ref.first("comment"))
        if comment:
            entry["comment"] = comment
        refs.append(entry)
    if refs:
        p["externalRefs"] = refs
    has_files = [
        spdx_id(t.ident) if (t := graph.target(q)) is not None else spdx_id(_ref_ident(q) or "")
        for q in node.all("hasFile")
    ]
    if has_files:
        p["hasFiles"] = has_files
    return p


def _file(node: _Node, graph: _Graph, spdx_id: Any, license_text: Any) -> dict[str, Any]:
    f: dict[str, Any] = {"SPDXID": spdx_id(node.ident)} if not node.ident.startswith("_:") else {}
    name = _text(node.first("fileName"))
    if name is not None:
        f["fileName"] = name
    copyright_text = _text(node.first("copyrightText"))
    if copyright_text is not None:
        f["copyrightText"] = copyright_text
    comment = _text(node.first("comment"))
    if comment:
        f["comment"] = comment
    lic = license_text(node.first("licenseConcluded"))
    if lic is not None:
        f["licenseConcluded"] = lic
    infos = [x for x in (license_text(q) for q in node.all("licenseInfoInFile")) if x]
    if infos:
        f["licenseInfoInFiles"] = infos
    cks = _checksums(node, graph)
    if cks:
        f["checksums"] = cks
    return f
