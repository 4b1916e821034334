"""Which documents of a batch make one product: a document and the SBOMs it links.

Documents that reference each other (CycloneDX BOM-Links and `bom` references, SPDX
externalDocumentRefs, as `sbomcheck.graph.identities` reads them) are one product, scanned
together; a product's key is the sha256 of its documents' sha256, so it is the same across
paths and runs (the ledger records each product once per run by it).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sbomcheck.graph.identities import document_identities, document_references
from sbomcheck.model import Document


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentIdentity:
    """What grouping needs to know of a document: who it is and whom it references."""

    key: str
    sha256: str
    identities: tuple[str, ...]
    references: tuple[str, ...]


def identity_of(doc: Document) -> DocumentIdentity:
    """The identities a document answers to and the documents it references, as the graph
    links them (`sbomcheck.graph.identities`: one home for which document a reference names)."""
    return DocumentIdentity(
        key=doc.key,
        sha256=doc.sha256,
        identities=document_identities(doc),
        references=document_references(doc),
    )


def product_key(documents: Iterable[DocumentIdentity]) -> str:
    """Stable identity of a product: its documents' sha256, sorted."""
    digest = hashlib.sha256()
    for sha in sorted(d.sha256 for d in documents):
        digest.update(sha.encode())
    return digest.hexdigest()


def group_documents(documents: Sequence[DocumentIdentity]) -> list[list[DocumentIdentity]]:
    """Documents that reference each other form one product (union-find over references).

    The product SBOM comes first in its group: the document no other document references,
    else the first in input order.
    """
    parent = list(range(len(documents)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_identity: dict[str, list[int]] = {}
    for i, doc in enumerate(documents):
        for ident in doc.identities:
            by_identity.setdefault(ident, []).append(i)
    referenced: set[int] = set()
    for i, doc in enumerate(documents):
        for ref in doc.references:
            candidates = [j for j in by_identity.get(ref, ()) if j != i]
            if not candidates:
                continue
            # The same SBOM can arrive twice (a directory and a zip of it): link each
            # product to the copy that sits beside it (same archive or directory first).
            here = doc.key
            j = max(
                candidates,
                key=lambda j: (
                    _container(here) == _container(documents[j].key),
                    _shared_prefix(here, documents[j].key),
                    -j,
                ),
            )
            referenced.add(j)
            parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(documents)):
        groups.setdefault(find(i), []).append(i)
    # Groups in input order of their earliest member; the product first within each.
    ordered = sorted(groups.values(), key=min)
    return [
        [documents[i] for i in sorted(members, key=lambda i: (i in referenced, i))]
        for members in ordered
    ]


def _container(key: str) -> str:
    """The archive (`a.zip!x.json` -> `a.zip`) or directory a document was read from."""
    return key.rsplit("!", 1)[0] if "!" in key else os.path.dirname(key)


def _shared_prefix(a: str, b: str) -> int:
    return len(os.path.commonprefix([a, b]))
