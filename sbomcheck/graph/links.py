"""Links between documents given together, within a format and across formats.

A product's SBOM names its vendors' SBOMs; when those are among the inputs, the graph runs
through them, whatever format each is in. Whatever cannot be followed becomes an
`UnresolvedReference` with a reason, never a silent gap (docs/graph.md, "Linked documents"):

- CycloneDX BOM-Link `urn:cdx:<serial>/<version>#<bom-ref>`: the element with that bom-ref
  in the document with that serialNumber and version (without `#...`: the document's roots).
  The common misspelling `urn:uuid:<serial>/<version>[#<bom-ref>]` is read the same way,
  with a `malformed-bom-link` warning.
- CycloneDX externalReferences of type `bom`: an edge from that component to the
  referenced document's roots (or to the element a BOM-Link or `<namespace>#<SPDXID>`
  names), matched by BOM-Link, `urn:uuid:` serial, SPDX document namespace, path or URL
  file name; hashes given on the reference are verified.
- SPDX `DocumentRef-X:<id>`: the element in the document whose namespace is the URI of
  `DocumentRef-X`, or the CycloneDX BOM whose serial number it is (`urn:uuid:<serial>`,
  `urn:cdx:<serial>[/<version>]`), whose SHA-1 must equal the declared checksum.
- SPDX 3 `import` (ExternalMap): the element `externalSpdxId` in the SPDX 3 document that
  declares it, the SPDX 2 document whose namespace prefixes it, the CycloneDX BOM its
  BOM-Link names, or the document its `locationHint` names; `verifiedUsing` is verified.

Which document a reference names is decided in one place for the graph and the batch audit:
`document_identities` and `reference_identities` give the keys both match on.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, compress, repeat
from operator import attrgetter
from urllib.parse import unquote, urlsplit

from sbomcheck.findings import UnresolvedReference
from sbomcheck.model import Document, ExternalDocumentRef, Hash, IngestWarning

__all__ = [
    "EXTERNAL_PREFIXES",
    "DocumentLink",
    "LinkResolver",
    "Target",
    "document_identities",
    "document_references",
    "is_external_reference",
    "parse_bom_link",
    "reference_identities",
    "repair_bom_link",
]

_UUID = r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}"
_BOM_LINK = re.compile(rf"^urn:cdx:(?P<serial>{_UUID})/(?P<version>[1-9][0-9]*)(?:#(?P<ref>.+))?$")
_MISSPELT_BOM_LINK = re.compile(rf"^urn:uuid:(?P<rest>{_UUID}/[1-9][0-9]*(?:#.+)?)$")
_SPDX3_IMPORT = "spdx3-external-map"
_SPDX2_REF = "spdx-external-document-ref"
_SPDX_PREFIX = "SPDXRef-"
_SOURCE = attrgetter("source")
_TARGET = attrgetter("target")
_TYPE = attrgetter("type")
_EXTERNAL_REFERENCES = attrgetter("external_references")

EXTERNAL_PREFIXES = ("DocumentRef-", "urn:cdx:")
"""How a reference into another document starts (`str.startswith` takes the tuple)."""


def is_external_reference(ref: str) -> bool:
    """True for references into another document (`DocumentRef-X:...`, `urn:cdx:...`)."""
    return ref.startswith(EXTERNAL_PREFIXES)


def parse_bom_link(link: str) -> tuple[str, int, str | None] | None:
    """(serial uuid lower-cased, version, bom-ref or None) of a BOM-Link, None if malformed."""
    m = _BOM_LINK.match(link.strip())
    if m is None:
        return None
    ref = m.group("ref")
    return m.group("serial").lower(), int(m.group("version")), ref


def repair_bom_link(link: str) -> str | None:
    """`urn:cdx:<serial>/<version>[#<ref>]` for the misspelling that starts `urn:uuid:`.

    Only a serial number followed by a version makes it a BOM-Link: a bare `urn:uuid:<serial>`
    is a serial number, not a misspelling."""
    m = _MISSPELT_BOM_LINK.match(link.strip())
    return f"urn:cdx:{m.group('rest')}" if m is not None else None


# ----- identities: which document a reference names ----------------------------------------
# Keys a document answers to and keys a reference may name. The resolver finds its
# candidates with them, and the batch audit groups documents that share one, so a product
# and the vendor document the graph links it to are always audited together.


def _namespace_key(uri: str) -> str:
    return "namespace:" + uri.strip().rstrip("#")


def _serial_key(serial: str) -> str:
    return "serial:" + serial.strip().lower().removeprefix("urn:uuid:")


def _name_key(name: str) -> str:
    return "file:" + name


def _element_key(ref: str) -> str:
    return "element:" + ref


def document_identities(doc: Document) -> tuple[str, ...]:
    """The keys `doc` answers to: SPDX namespace (SPDX 3: the document's spdxId), CycloneDX
    serial number, file names, and for SPDX 3 the spdxId of every element (an SPDX 3 import
    names an element, and element ids are global IRIs)."""
    keys = list(_document_keys(doc))
    if doc.format.family == "spdx3":
        keys += [_element_key(c.ref) for c in doc.all_elements()]
    return tuple(dict.fromkeys(keys))


def _document_keys(doc: Document) -> tuple[str, ...]:
    """`document_identities` without the element keys."""
    keys: list[str] = []
    if doc.namespace:
        keys.append(_namespace_key(doc.namespace))
    if doc.serial_number:
        keys.append(_serial_key(doc.serial_number))
    keys += [_name_key(n) for n in (_file_name(doc.key), _file_name(doc.path)) if n]
    return tuple(dict.fromkeys(keys))


def reference_identities(ref: ExternalDocumentRef) -> tuple[str, ...]:
    """The keys of the documents `ref` may name, in the order the resolver tries them."""
    if ref.kind == _SPDX2_REF:
        return _spdx_document_keys(ref.uri)
    if ref.kind == _SPDX3_IMPORT:
        hint = ref.uri if ref.uri.strip() != ref.id.strip() else ""
        return _import_keys(ref.id, hint)
    return _location_keys(ref.uri)


def document_references(doc: Document) -> tuple[str, ...]:
    """The keys of every document `doc` references, read where the resolver reads them:
    its external references, the `bom` external references of its elements, and the
    misspelt BOM-Links (`urn:uuid:<serial>/<version>#...`) in its CycloneDX dependencies,
    which readers keep as plain relationship ends."""
    keys = [k for ref in doc.external_refs for k in reference_identities(ref)]
    keys += [k for bom in _bom_references(doc) for k in _location_keys(bom.url)]
    if doc.format.family == "cyclonedx":
        rels = doc.relationships
        for column in (_SOURCE, _TARGET):
            # NOTE: one search over the joined column first: it is rarely there at all.
            if "urn:uuid:" in "\n".join(map(column, rels)):
                ends = list(map(column, rels))
                for end in compress(ends, map(str.startswith, ends, repeat("urn:uuid:"))):
                    if repair_bom_link(end):
                        keys += _location_keys(end)
    return tuple(dict.fromkeys(keys))


def _cdx_serial(uri: str) -> str | None:
    """The serial number a `urn:cdx:` or `urn:uuid:` reference names (not validated)."""
    text = uri.strip()
    for prefix in ("urn:cdx:", "urn:uuid:"):
        if text[: len(prefix)].lower() == prefix:
            return text[len(prefix) :].partition("#")[0].partition("/")[0].lower()
    return None


def _spdx_document_keys(uri: str) -> tuple[str, ...]:
    serial = _cdx_serial(uri)
    if serial is None:
        return (_namespace_key(uri),)
    return (_namespace_key(uri), _serial_key(serial))


def _location_keys(url: str) -> tuple[str, ...]:
    serial = _cdx_serial(url)
    if serial is not None:
        return (_serial_key(serial),)
    keys = [_namespace_key(url), _element_key(url.strip())]
    base, sep, _ = url.strip().rpartition("#")
    if sep:
        keys.append(_namespace_key(base))
    name = _file_name(url.strip())
    if name:
        keys.append(_name_key(name))
    return tuple(keys)


def _import_keys(external_id: str, hint: str) -> tuple[str, ...]:
    ext = external_id.strip()
    serial = _cdx_serial(ext)
    keys: list[str] = []
    if serial is not None:
        keys.append(_serial_key(serial))
    else:
        keys += [_element_key(ext), _namespace_key(ext)]
        base, sep, _ = ext.rpartition("#")
        if sep:
            keys.append(_namespace_key(base))
    if hint:
        keys += _location_keys(hint)
    return tuple(dict.fromkeys(keys))


# ----- resolving ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """Where a reference leads: an element, or a whole document (its roots) when `ref` is None."""

    document: str
    ref: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentLink:
    """A component (or, without `from_ref`, a document's roots) that includes another BOM."""

    document: str
    from_ref: str | None
    target: Target
    location: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class _BomRef:
    from_ref: str | None
    url: str
    location: str
    hashes: tuple[Hash, ...]


class LinkResolver:
    """Resolves references between `documents`; failures accumulate in `unresolved`,
    references read leniently (a misspelt BOM-Link) in `warnings`, per document key."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self.documents = tuple(documents)
        self.unresolved: list[UnresolvedReference] = []
        self.warnings: dict[str, list[IngestWarning]] = {}
        self._reported: set[tuple[str, str]] = set()
        self._warned: set[tuple[str, str]] = set()
        self._by_identity: dict[str, list[Document]] = {}
        self._by_path: dict[str, Document] = {}
        self._refs: dict[str, set[str]] = {}
        self._imports: dict[str, dict[str, ExternalDocumentRef]] = {}
        self._imported: dict[tuple[str, str], Document | None] = {}
        for doc in self.documents:
            # NOTE: element keys are answered from `_refs` (`_with`), not indexed: most
            # scans import nothing, and an SPDX 3 document can hold 100,000 elements.
            for key in _document_keys(doc):
                self._by_identity.setdefault(key, []).append(doc)
            self._by_path[doc.key] = doc
            self._by_path.setdefault(doc.path, doc)
            self._refs[doc.key] = {c.ref for c in doc.all_elements()}

    # ----- reporting ------------------------------------------------------------------

    def _fail(self, doc: Document, reference: str, reason: str, location: str) -> None:
        key = (doc.key, reference)
        if key in self._reported:
            return
        self._reported.add(key)
        self.unresolved.append(
            UnresolvedReference(
                document=doc.key, reference=reference, reason=reason, location=location
            )
        )

    def _warn_misspelt(self, doc: Document, written: str, repaired: str, location: str) -> None:
        if (doc.key, written) in self._warned:
            return
        self._warned.add((doc.key, written))
        self.warnings.setdefault(doc.key, []).append(
            IngestWarning(
                code="malformed-bom-link",
                message=f"BOM-Link {written!r} starts with urn:uuid:; read as {repaired!r}",
                location=location,
            )
        )

    def _with(self, key: str, doc: Document | None = None) -> list[Document]:
        """Documents answering to `key`, in input order, `doc` itself left out."""
        if key.startswith("element:"):
            ref = key.removeprefix("element:")
            return [
                d
                for d in self.documents
                if d.format.family == "spdx3" and d is not doc and ref in self._refs[d.key]
            ]
        return [d for d in self._by_identity.get(key, ()) if d is not doc]

    # ----- element references ---------------------------------------------------------

    def names_other_document(self, doc: Document, reference: str) -> bool:
        """True when `reference`, written in `doc` and not declared there, points into
        another document: `DocumentRef-X:...`, a BOM-Link (misspelt ones too, in CycloneDX),
        or an element an SPDX 3 document imports."""
        if is_external_reference(reference) or reference in self._imports_of(doc):
            return True
        return doc.format.family == "cyclonedx" and repair_bom_link(reference) is not None

    def resolve(self, doc: Document, reference: str, location: str = "") -> Target | None:
        """The target of a reference written in `doc`, or None (recorded as unresolved)."""
        imported = self._imports_of(doc).get(reference)
        if imported is not None:
            return self._resolve_import(doc, imported, location)
        if reference.startswith("DocumentRef-"):
            return self._resolve_spdx(doc, reference, location)
        if reference.startswith("urn:cdx:"):
            return self._resolve_bom_link(doc, reference, location)
        repaired = repair_bom_link(reference)
        if repaired is not None:
            self._warn_misspelt(doc, reference, repaired, location)
            return self._resolve_bom_link(doc, repaired, location, written=reference)
        self._fail(doc, reference, "not a reference to another document", location)
        return None

    def _element(self, target: Document, name: str, *, from_spdx: bool = False) -> str | None:
        """The ref of the element `name` names in `target`, or None.

        In a CycloneDX BOM the name is a bom-ref, maybe percent-encoded; written in an SPDX
        document (`from_spdx`) it may also be an SPDX id made of it, `SPDXRef-<bom-ref>`."""
        refs = self._refs[target.key]
        if name in refs:
            return name
        if target.format.family != "cyclonedx":
            return None
        candidates = [unquote(name)]
        if from_spdx and name.startswith(_SPDX_PREFIX):
            bare = name[len(_SPDX_PREFIX) :]
            candidates += [bare, unquote(bare)]
        return next((c for c in candidates if c in refs), None)

    def _fragment_target(
        self, target: Document, fragment: str, *, from_spdx: bool = True
    ) -> Target | None:
        """The element an SPDX id (`DocumentRef-X:<id>`, `<namespace>#<id>`) names in
        `target`: the document itself for `SPDXRef-DOCUMENT` or nothing; else None."""
        if fragment in ("", "SPDXRef-DOCUMENT", target.spdx_id):
            return Target(document=target.key)
        found = self._element(target, fragment, from_spdx=from_spdx)
        return Target(document=target.key, ref=found) if found is not None else None

    def _resolve_spdx(self, doc: Document, reference: str, location: str) -> Target | None:
        doc_ref, _, element = reference.partition(":")
        target_doc = self._spdx_document(doc, doc_ref, location)
        if target_doc is None:
            return None
        target = self._fragment_target(target_doc, element)
        if target is None:
            self._fail(doc, reference, f"no element {element!r} in {target_doc.key}", location)
        return target

    def _spdx_document(self, doc: Document, doc_ref: str, location: str) -> Document | None:
        declared = next(
            (r for r in doc.external_refs if r.id == doc_ref and r.kind == _SPDX2_REF),
            None,
        )
        if declared is None:
            self._fail(doc, doc_ref, f"{doc_ref} is not declared in externalDocumentRefs", location)
            return None
        where = declared.location or location
        candidates = self._with(_namespace_key(declared.uri))
        serial = _cdx_serial(declared.uri)
        if not candidates and serial is not None:
            # NOTE: `urn:uuid:` is a namespace to some SPDX tools and a serial number to
            # CycloneDX: a namespace is looked for first, then a serial number.
            if not self._with(_serial_key(serial)):
                reason = f"no input document has namespace or serial number {declared.uri}"
                self._fail(doc, doc_ref, reason, where)
                return None
            found = self._serial_reference(doc, doc_ref, declared.uri, where)
            if found is None:
                return None
            candidates = [found]
        if not candidates:
            self._fail(doc, doc_ref, f"no input document has namespace {declared.uri}", where)
            return None
        return self._verified(doc, doc_ref, declared.checksum, candidates, where)

    def _serial_reference(
        self, doc: Document, reference: str, uri: str, location: str
    ) -> Document | None:
        """The CycloneDX BOM `urn:uuid:<serial>`, `urn:cdx:<serial>[/<version>]` (or its
        misspelling) names, by serial number and version when one is given."""
        text = uri.strip()
        repaired = repair_bom_link(text)
        if repaired is not None:
            self._warn_misspelt(doc, text, repaired, location)
            text = repaired
        head = text.partition("#")[0]
        if not head.startswith("urn:cdx:"):
            serial = head.lower().removeprefix("urn:uuid:")
            return self._serial_document(doc, reference, serial, None, location)
        serial, versioned, version = head.removeprefix("urn:cdx:").partition("/")
        parsed = parse_bom_link(f"urn:cdx:{serial}/{version if versioned else 1}")
        if parsed is None:
            self._fail(doc, reference, "malformed BOM-Link", location)
            return None
        wanted = parsed[1] if versioned else None
        return self._serial_document(doc, reference, parsed[0], wanted, location)

    def _verified(
        self,
        doc: Document,
        reference: str,
        checksum: Hash | None,
        candidates: Sequence[Document],
        location: str,
    ) -> Document | None:
        """The first candidate with the declared checksum (the first, without one)."""
        if checksum is None:
            return candidates[0]
        mismatch = ""
        for cand in candidates:
            problem = _checksum_problem(checksum, cand)
            if not problem:
                return cand
            mismatch = mismatch or problem
        self._fail(doc, reference, f"checksum mismatch: {mismatch}", location)
        return None

    def _resolve_bom_link(
        self, doc: Document, reference: str, location: str, *, written: str | None = None
    ) -> Target | None:
        """`written` is the reference as the document has it, when `reference` repairs it."""
        shown = written or reference
        parsed = parse_bom_link(reference)
        if parsed is None:
            self._fail(doc, shown, "malformed BOM-Link", location)
            return None
        serial, version, ref = parsed
        target_doc = self._serial_document(doc, shown, serial, version, location)
        if target_doc is None:
            return None
        if ref is None:
            return Target(document=target_doc.key)
        found = self._element(target_doc, ref)
        if found is None:
            self._fail(doc, shown, f"no element {unquote(ref)!r} in {target_doc.key}", location)
            return None
        return Target(document=target_doc.key, ref=found)

    def _serial_document(
        self, doc: Document, reference: str, serial: str, version: int | None, location: str
    ) -> Document | None:
        candidates = self._by_identity.get(_serial_key(serial), [])
        if not candidates:
            self._fail(
                doc,
                reference,
                f"no input document has serial number urn:uuid:{serial}",
                location,
            )
            return None
        if version is None:
            return candidates[0]
        for cand in candidates:
            if (cand.version if cand.version is not None else 1) == version:
                return cand
        have = ", ".join(f"{c.key} is version {c.version}" for c in candidates)
        self._fail(
            doc, reference, f"version mismatch: link asks for version {version}, {have}", location
        )
        return None

    # ----- SPDX 3 imports -------------------------------------------------------------

    def _imports_of(self, doc: Document) -> dict[str, ExternalDocumentRef]:
        """The ExternalMap entries of an SPDX 3 document, by externalSpdxId."""
        found = self._imports.get(doc.key)
        if found is None:
            found = {r.id: r for r in doc.external_refs if r.kind == _SPDX3_IMPORT}
            self._imports[doc.key] = found
        return found

    def _resolve_import(
        self, doc: Document, imported: ExternalDocumentRef, location: str
    ) -> Target | None:
        target_doc = self._import_document(doc, imported)
        if target_doc is None:
            return None
        ext_id = imported.id.strip()
        target = self._imported_element(target_doc, ext_id)
        if target is None:
            self._fail(doc, imported.id, f"no element {ext_id!r} in {target_doc.key}", location)
        return target

    def _imported_element(self, target_doc: Document, ext_id: str) -> Target | None:
        """The element `externalSpdxId` names in the document it was found in."""
        if ext_id in self._refs[target_doc.key]:
            return Target(document=target_doc.key, ref=ext_id)
        if target_doc.namespace and _namespace_key(ext_id) == _namespace_key(target_doc.namespace):
            return Target(document=target_doc.key)
        link = repair_bom_link(ext_id) or ext_id
        parsed = parse_bom_link(link)
        if parsed is not None:
            return self._fragment_target(target_doc, parsed[2] or "", from_spdx=False)
        _, sep, fragment = ext_id.rpartition("#")
        if sep:
            return self._fragment_target(target_doc, fragment)
        # `urn:uuid:<serial>` or `urn:cdx:<serial>`: the whole BOM.
        return Target(document=target_doc.key) if _cdx_serial(ext_id) is not None else None

    def _import_document(self, doc: Document, imported: ExternalDocumentRef) -> Document | None:
        """The document an import lives in (verified), once per import; failures are listed
        under the locationHint when there is one (once per document it names)."""
        key = (doc.key, imported.id)
        if key not in self._imported:
            self._imported[key] = self._find_import_document(doc, imported)
        return self._imported[key]

    def _find_import_document(
        self, doc: Document, imported: ExternalDocumentRef
    ) -> Document | None:
        ext_id = imported.id.strip()
        hint = imported.uri.strip() if imported.uri.strip() != ext_id else ""
        reference = hint or ext_id
        candidates = self._import_candidates(doc, ext_id, hint, imported.location)
        if candidates is None:
            return None
        return self._verified(doc, reference, imported.checksum, candidates, imported.location)

    def _import_candidates(
        self, doc: Document, ext_id: str, hint: str, where: str
    ) -> list[Document] | None:
        """Documents that may hold `ext_id`: by the id itself (an SPDX 3 element, an SPDX
        document or `<namespace>#<SPDXID>`, a BOM-Link), else by the locationHint; None
        when there is none (recorded)."""
        reference = hint or ext_id
        if _cdx_serial(ext_id) is not None:
            found = self._serial_reference(doc, ext_id, ext_id, where)
            return [found] if found is not None else None
        for key in _import_keys(ext_id, ""):
            candidates = self._with(key, doc)
            if candidates:
                return candidates
        if not hint:
            self._fail(doc, reference, f"no input document declares {ext_id}", where)
            return None
        if _cdx_serial(hint) is not None:
            found = self._serial_reference(doc, reference, hint, where)
            return [found] if found is not None else None
        located, reason = self._locate(doc, hint)
        if located is None:
            reason = f"no input document declares {ext_id}; locationHint: {reason}"
            self._fail(doc, reference, reason, where)
            return None
        return [self._by_path[located.document]]

    # ----- document references --------------------------------------------------------

    def document_links(self, documents: Sequence[Document] | None = None) -> list[DocumentLink]:
        """Edges from components (externalReferences of type `bom`) to other documents.

        Also checks every SPDX externalDocumentRef and SPDX 3 import declared, used or not,
        so a referenced document that is missing or altered is reported even when no
        relationship uses it.
        """
        links: list[DocumentLink] = []
        for doc in documents if documents is not None else self.documents:
            for ext in doc.external_refs:
                if ext.kind == _SPDX2_REF:
                    self._spdx_document(doc, ext.id, ext.location)
                elif ext.kind == _SPDX3_IMPORT:
                    self._import_document(doc, ext)
            for bom in _bom_references(doc):
                target = self._resolve_bom_url(doc, bom)
                if target is not None:
                    links.append(
                        DocumentLink(
                            document=doc.key,
                            from_ref=bom.from_ref,
                            target=target,
                            location=bom.location,
                        )
                    )
        return links

    def _resolve_bom_url(self, doc: Document, bom: _BomRef) -> Target | None:
        url = bom.url.strip()
        repaired = repair_bom_link(url)
        if url.startswith("urn:cdx:"):
            target = self._resolve_bom_link(doc, url, bom.location)
        elif repaired is not None:
            self._warn_misspelt(doc, url, repaired, bom.location)
            target = self._resolve_bom_link(doc, repaired, bom.location, written=url)
        elif url.lower().startswith("urn:uuid:"):
            serial = url.lower().removeprefix("urn:uuid:")
            found = self._serial_document(doc, url, serial, None, bom.location)
            target = Target(document=found.key) if found is not None else None
        else:
            target, reason = self._locate(doc, url)
            if target is None:
                self._fail(doc, url, reason, bom.location)
        if target is None:
            return None
        referenced = self._by_path[target.document]
        for h in bom.hashes:
            problem = _checksum_problem(h, referenced)
            if problem:
                self._fail(doc, url, f"checksum mismatch: {problem}", bom.location)
                return None
        return target

    def _locate(self, doc: Document, url: str) -> tuple[Target | None, str]:
        """The document (or element) a URL or path names, else None and why not.

        Tried in order: an SPDX document namespace (SPDX 3: document spdxId), an SPDX 3
        element id, `<namespace>#<element>`, the path as given, the file name."""
        found = self._with(_namespace_key(url), doc)
        if found:
            return Target(document=found[0].key), ""
        found = self._with(_element_key(url), doc)
        if found:
            return Target(document=found[0].key, ref=url), ""
        base, sep, fragment = url.rpartition("#")
        found = self._with(_namespace_key(base), doc) if sep else []
        if found:
            target = self._fragment_target(found[0], fragment)
            return target, "" if target else f"no element {fragment!r} in {found[0].key}"
        exact = self._by_path.get(url)
        if exact is not None and exact is not doc:
            return Target(document=exact.key), ""
        name = _file_name(url)
        candidates = self._with(_name_key(name), doc) if name else []
        unique = list({d.key: d for d in candidates}.values())
        if not unique:
            return None, "no input document matches this name or URL"
        if len(unique) > 1:
            names = ", ".join(d.key for d in unique)
            return None, f"ambiguous: several inputs match ({names})"
        return Target(document=unique[0].key), ""


def _bom_references(doc: Document) -> Iterator[_BomRef]:
    """externalReferences of type bom, from components and from the document's list."""
    if doc.format.family != "cyclonedx":
        return
    seen: set[tuple[str | None, str]] = set()
    elements = (*doc.components, *doc.files, *doc.services)
    types = set(map(_TYPE, chain.from_iterable(map(_EXTERNAL_REFERENCES, elements))))
    # NOTE: the types in one pass in C first: most documents have no `bom` reference.
    for comp in elements if any(t.lower() == "bom" for t in types) else ():
        for i, ext in enumerate(comp.external_references):
            if ext.type.lower() == "bom" and (comp.ref, ext.url) not in seen:
                seen.add((comp.ref, ext.url))
                yield _BomRef(
                    from_ref=comp.ref,
                    url=ext.url,
                    location=f"{comp.location}.externalReferences[{i}]",
                    hashes=ext.hashes,
                )
    # NOTE: readers also list the BOM-Links written in `dependencies` here; those are
    # relationship ends, followed as such, not references from the whole document.
    ends = (
        {end for rel in doc.relationships for end in (rel.source, rel.target)}
        if doc.external_refs
        else set()
    )
    for ref in doc.external_refs:
        if ref.id in ends or ref.uri in ends:
            continue
        if ref.kind.startswith("cyclonedx") and (ref.from_ref, ref.uri) not in seen:
            seen.add((ref.from_ref, ref.uri))
            yield _BomRef(
                from_ref=ref.from_ref,
                url=ref.uri,
                location=ref.location,
                hashes=_hashes(ref),
            )


def _hashes(ref: ExternalDocumentRef) -> tuple[Hash, ...]:
    return (ref.checksum,) if ref.checksum is not None else ()


def _checksum_problem(expected: Hash, doc: Document) -> str:
    """'' when `doc` has the expected checksum (or it cannot be checked), else why not."""
    algorithm = expected.algorithm.upper().replace("_", "-")
    actual = {"SHA-1": doc.sha1, "SHA1": doc.sha1, "SHA-256": doc.sha256, "SHA256": doc.sha256}
    value = actual.get(algorithm)
    if not value:
        return ""  # an algorithm we do not compute (MD5, SHA-512, ...): nothing to compare
    want = expected.value.strip().lower()
    if want == value.lower():
        return ""
    return f"expected {algorithm} {want}, {doc.key} has {value.lower()}"


def _file_name(location: str) -> str:
    """The last path segment of a path, URL or zip key (`a.zip!x/y.json` -> `y.json`)."""
    text = location.rpartition("!")[2]
    if "://" in text:
        text = urlsplit(text).path
    text = unquote(text).replace("\\", "/")
    return posixpath.basename(text)
