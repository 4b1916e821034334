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

Which document a reference names is decided in one place for the graph and the batch audit
(`sbomcheck.graph.identities`): the resolver finds its candidates by the keys that module
gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import unquote

from sbomcheck.findings import UnresolvedReference
from sbomcheck.graph.identities import (
    SPDX2_REF,
    SPDX3_IMPORT,
    BomReference,
    bom_references,
    cdx_serial,
    document_keys,
    element_key,
    file_name,
    import_keys,
    is_external_reference,
    name_key,
    namespace_key,
    parse_bom_link,
    repair_bom_link,
    serial_key,
)
from sbomcheck.model import Document, ExternalDocumentRef, Hash, IngestWarning

__all__ = ["DocumentLink", "LinkResolver", "Target"]

_SPDX_PREFIX = "SPDXRef-"


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
            for key in document_keys(doc):
                self._by_identity.setdefault(key, []).append(doc)
            self._by_path[doc.key] = doc
            self._by_path.setdefault(doc.path, doc)
            self._refs[doc.key] = set(doc.element_refs())

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
            (r for r in doc.external_refs if r.id == doc_ref and r.kind == SPDX2_REF),
            None,
        )
        if declared is None:
            self._fail(doc, doc_ref, f"{doc_ref} is not declared in externalDocumentRefs", location)
            return None
        where = declared.location or location
        candidates = self._with(namespace_key(declared.uri))
        serial = cdx_serial(declared.uri)
        if not candidates and serial is not None:
            # NOTE: `urn:uuid:` is a namespace to some SPDX tools and a serial number to
            # CycloneDX: a namespace is looked for first, then a serial number.
            if not self._with(serial_key(serial)):
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
        candidates = self._by_identity.get(serial_key(serial), [])
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
            found = {r.id: r for r in doc.external_refs if r.kind == SPDX3_IMPORT}
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
        if target_doc.namespace and namespace_key(ext_id) == namespace_key(target_doc.namespace):
            return Target(document=target_doc.key)
        link = repair_bom_link(ext_id) or ext_id
        parsed = parse_bom_link(link)
        if parsed is not None:
            return self._fragment_target(target_doc, parsed[2] or "", from_spdx=False)
        _, sep, fragment = ext_id.rpartition("#")
        if sep:
            return self._fragment_target(target_doc, fragment)
        # `urn:uuid:<serial>` or `urn:cdx:<serial>`: the whole BOM.
        return Target(document=target_doc.key) if cdx_serial(ext_id) is not None else None

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
        if cdx_serial(ext_id) is not None:
            found = self._serial_reference(doc, ext_id, ext_id, where)
            return [found] if found is not None else None
        for key in import_keys(ext_id, ""):
            candidates = self._with(key, doc)
            if candidates:
                return candidates
        if not hint:
            self._fail(doc, reference, f"no input document declares {ext_id}", where)
            return None
        if cdx_serial(hint) is not None:
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
                if ext.kind == SPDX2_REF:
                    self._spdx_document(doc, ext.id, ext.location)
                elif ext.kind == SPDX3_IMPORT:
                    self._import_document(doc, ext)
            for bom in bom_references(doc):
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

    def _resolve_bom_url(self, doc: Document, bom: BomReference) -> Target | None:
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
        found = self._with(namespace_key(url), doc)
        if found:
            return Target(document=found[0].key), ""
        found = self._with(element_key(url), doc)
        if found:
            return Target(document=found[0].key, ref=url), ""
        base, sep, fragment = url.rpartition("#")
        found = self._with(namespace_key(base), doc) if sep else []
        if found:
            target = self._fragment_target(found[0], fragment)
            return target, "" if target else f"no element {fragment!r} in {found[0].key}"
        exact = self._by_path.get(url)
        if exact is not None and exact is not doc:
            return Target(document=exact.key), ""
        name = file_name(url)
        candidates = self._with(name_key(name), doc) if name else []
        unique = list({d.key: d for d in candidates}.values())
        if not unique:
            return None, "no input document matches this name or URL"
        if len(unique) > 1:
            names = ", ".join(d.key for d in unique)
            return None, f"ambiguous: several inputs match ({names})"
        return Target(document=unique[0].key), ""


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
