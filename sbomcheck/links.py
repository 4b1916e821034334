"""Links between documents given together: BOM-Links, bom references, SPDX DocumentRefs.

A product's SBOM names its vendors' SBOMs; when those are among the inputs, the graph runs
through them. Whatever cannot be followed becomes an `UnresolvedReference` with a reason,
never a silent gap (docs/graph.md, "Linking rules"):

- CycloneDX BOM-Link `urn:cdx:<serial>/<version>#<bom-ref>`: the element with that bom-ref
  in the document with that serialNumber and version (without `#...`: the document's roots).
- CycloneDX externalReferences of type `bom` on a component: an edge from that component to
  the referenced document's roots, matched by BOM-Link, `urn:uuid:` serial, path or URL file
  name; hashes given on the reference are verified.
- SPDX `DocumentRef-X:SPDXRef-Y`: the element in the document whose namespace is the URI
  of `DocumentRef-X`, whose SHA-1 must equal the checksum the reference declares.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from sbomcheck.findings import UnresolvedReference
from sbomcheck.model import Document, ExternalDocumentRef, Hash

__all__ = [
    "DocumentLink",
    "LinkResolver",
    "Target",
    "is_external_reference",
    "parse_bom_link",
]

_BOM_LINK = re.compile(
    r"^urn:cdx:(?P<serial>[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12})"
    r"/(?P<version>[1-9][0-9]*)(?:#(?P<ref>.+))?$"
)


def is_external_reference(ref: str) -> bool:
    """True for references into another document (`DocumentRef-X:...`, `urn:cdx:...`)."""
    return ref.startswith(("DocumentRef-", "urn:cdx:"))


def parse_bom_link(link: str) -> tuple[str, int, str | None] | None:
    """(serial uuid lower-cased, version, bom-ref or None) of a BOM-Link, None if malformed."""
    m = _BOM_LINK.match(link.strip())
    if m is None:
        return None
    ref = m.group("ref")
    return m.group("serial").lower(), int(m.group("version")), ref


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
    """Resolves references between `documents`; failures accumulate in `unresolved`."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self.documents = tuple(documents)
        self.unresolved: list[UnresolvedReference] = []
        self._reported: set[tuple[str, str]] = set()
        self._by_serial: dict[str, list[Document]] = {}
        self._by_namespace: dict[str, list[Document]] = {}
        self._by_name: dict[str, list[Document]] = {}
        self._by_path: dict[str, Document] = {}
        self._refs: dict[str, set[str]] = {}
        for doc in self.documents:
            if doc.serial_number:
                serial = doc.serial_number.strip().lower().removeprefix("urn:uuid:")
                self._by_serial.setdefault(serial, []).append(doc)
            if doc.namespace:
                self._by_namespace.setdefault(doc.namespace.strip(), []).append(doc)
            for name in {_file_name(doc.key), _file_name(doc.path)}:
                if name:
                    self._by_name.setdefault(name, []).append(doc)
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

    # ----- element references ---------------------------------------------------------

    def resolve(self, doc: Document, reference: str, location: str = "") -> Target | None:
        """The target of a reference written in `doc`, or None (recorded as unresolved)."""
        if reference.startswith("DocumentRef-"):
            return self._resolve_spdx(doc, reference, location)
        if reference.startswith("urn:cdx:"):
            return self._resolve_bom_link(doc, reference, location)
        self._fail(doc, reference, "not a reference to another document", location)
        return None

    def _resolve_spdx(self, doc: Document, reference: str, location: str) -> Target | None:
        doc_ref, _, element = reference.partition(":")
        target_doc = self._spdx_document(doc, doc_ref, location)
        if target_doc is None:
            return None
        if not element or element in {"SPDXRef-DOCUMENT", target_doc.spdx_id}:
            return Target(document=target_doc.key)
        if element not in self._refs[target_doc.key]:
            self._fail(doc, reference, f"no element {element!r} in {target_doc.key}", location)
            return None
        return Target(document=target_doc.key, ref=element)

    def _spdx_document(self, doc: Document, doc_ref: str, location: str) -> Document | None:
        declared = next(
            (
                r
                for r in doc.external_refs
                if r.id == doc_ref and r.kind == "spdx-external-document-ref"
            ),
            None,
        )
        if declared is None:
            self._fail(doc, doc_ref, f"{doc_ref} is not declared in externalDocumentRefs", location)
            return None
        where = declared.location or location
        candidates = self._by_namespace.get(declared.uri.strip(), [])
        if not candidates:
            self._fail(doc, doc_ref, f"no input document has namespace {declared.uri}", where)
            return None
        if declared.checksum is None:
            return candidates[0]
        mismatch = ""
        for cand in candidates:
            problem = _checksum_problem(declared.checksum, cand)
            if not problem:
                return cand
            mismatch = mismatch or problem
        self._fail(doc, doc_ref, f"checksum mismatch: {mismatch}", where)
        return None

    def _resolve_bom_link(self, doc: Document, reference: str, location: str) -> Target | None:
        parsed = parse_bom_link(reference)
        if parsed is None:
            self._fail(doc, reference, "malformed BOM-Link", location)
            return None
        serial, version, ref = parsed
        target_doc = self._serial_document(doc, reference, serial, version, location)
        if target_doc is None:
            return None
        if ref is None:
            return Target(document=target_doc.key)
        refs = self._refs[target_doc.key]
        for candidate in (ref, unquote(ref)):
            if candidate in refs:
                return Target(document=target_doc.key, ref=candidate)
        self._fail(doc, reference, f"no element {unquote(ref)!r} in {target_doc.key}", location)
        return None

    def _serial_document(
        self, doc: Document, reference: str, serial: str, version: int | None, location: str
    ) -> Document | None:
        candidates = self._by_serial.get(serial, [])
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

    # ----- document references --------------------------------------------------------

    def document_links(self, documents: Sequence[Document] | None = None) -> list[DocumentLink]:
        """Edges from components (externalReferences of type `bom`) to other documents.

        Also checks every SPDX externalDocumentRef declared, used or not, so a referenced
        document that is missing or altered is reported even when no relationship uses it.
        """
        links: list[DocumentLink] = []
        for doc in documents if documents is not None else self.documents:
            for ext in doc.external_refs:
                if ext.kind == "spdx-external-document-ref":
                    self._spdx_document(doc, ext.id, ext.location)
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
        if url.startswith("urn:cdx:"):
            target = self._resolve_bom_link(doc, url, bom.location)
        elif url.lower().startswith("urn:uuid:"):
            serial = url.lower().removeprefix("urn:uuid:")
            found = self._serial_document(doc, url, serial, None, bom.location)
            target = Target(document=found.key) if found is not None else None
        else:
            target = self._document_by_location(doc, url, bom.location)
        if target is None:
            return None
        referenced = self._by_path[target.document]
        for h in bom.hashes:
            problem = _checksum_problem(h, referenced)
            if problem:
                self._fail(doc, url, f"checksum mismatch: {problem}", bom.location)
                return None
        return target

    def _document_by_location(self, doc: Document, url: str, location: str) -> Target | None:
        exact = self._by_path.get(url)
        if exact is not None and exact is not doc:
            return Target(document=exact.key)
        name = _file_name(url)
        candidates = [d for d in self._by_name.get(name, []) if d is not doc] if name else []
        unique = list({d.key: d for d in candidates}.values())
        if not unique:
            self._fail(doc, url, "no input document matches this name or URL", location)
            return None
        if len(unique) > 1:
            names = ", ".join(d.key for d in unique)
            self._fail(doc, url, f"ambiguous: several inputs match ({names})", location)
            return None
        return Target(document=unique[0].key)


def _bom_references(doc: Document) -> Iterator[_BomRef]:
    """externalReferences of type bom, from components and from the document's list."""
    if doc.format.family != "cyclonedx":
        return
    seen: set[tuple[str | None, str]] = set()
    for comp in doc.all_elements():
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
