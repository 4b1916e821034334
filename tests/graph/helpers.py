"""Small hand-built Documents for graph and link tests (no reader involved)."""

from __future__ import annotations

from collections.abc import Sequence

from sbomcheck.model import (
    Component,
    Document,
    ExternalDocumentRef,
    ExternalReference,
    Format,
    Hash,
    Relationship,
)


def comp(
    doc: str,
    ref: str,
    i: int,
    *,
    parent: str | None = None,
    metadata: bool = False,
    bom: Sequence[str] = (),
    bom_hashes: Sequence[Hash] = (),
) -> Component:
    """A component `ref` declared at `components[i]` of `doc`."""
    return Component(
        ref=ref,
        document=doc,
        location="metadata.component" if metadata else f"components[{i}]",
        name=ref,
        version="1.0",
        parent=parent,
        is_metadata=metadata,
        external_references=tuple(
            ExternalReference(type="bom", url=u, hashes=tuple(bom_hashes)) for u in bom
        ),
    )


def doc(
    key: str,
    refs: Sequence[str],
    rels: Sequence[tuple[str, str, str]] = (),
    *,
    roots: Sequence[str] = (),
    fmt: Format = Format.SPDX_JSON,
    serial: str | None = None,
    version: int | None = None,
    namespace: str | None = None,
    sha1: str = "0" * 40,
    external: Sequence[ExternalDocumentRef] = (),
    components: Sequence[Component] = (),
) -> Document:
    """A document declaring `refs` (in order) and relationships `(source, TYPE, target)`."""
    comps = list(components) or [comp(key, r, i) for i, r in enumerate(refs)]
    return Document(
        key=key,
        path=key,
        sha256="f" * 64,
        sha1=sha1,
        format=fmt,
        spec_version="2.3" if fmt.family == "spdx" else "1.6",
        serial_number=serial,
        version=version,
        namespace=namespace,
        spdx_id="SPDXRef-DOCUMENT" if fmt.family == "spdx" else None,
        root_refs=tuple(roots),
        components=tuple(comps),
        relationships=tuple(
            Relationship(source=s, type=t, target=d, document=key, location=f"relationships[{i}]")
            for i, (s, t, d) in enumerate(rels)
        ),
        external_refs=tuple(external),
    )
