"""Hand-built findings and documents for the policy tests: plain values, visible origins."""

from __future__ import annotations

import datetime as dt

from sbomcheck.findings import (
    Completeness,
    ComponentSummary,
    Confidence,
    Evidence,
    Finding,
)
from sbomcheck.model import Component, Document, Format, Hash, Party, Relationship

D = dt.date.fromisoformat

COMPLETE = Completeness(
    components=3,
    with_supplier=1.0,
    with_purl_or_cpe=1.0,
    with_hashes=1.0,
    has_relationships=True,
)
INCOMPLETE = Completeness(
    components=3,
    with_supplier=0.0,
    with_purl_or_cpe=0.0,
    with_hashes=0.0,
    has_relationships=False,
    sufficient=False,
    reasons=("3 of 3 components carry no supplier, purl, CPE or hash",),
)

SOURCE = "https://example.org/catalogue"


def finding(
    name: str = "kes",
    *,
    version: str | None = "12.1",
    canonical: str = "Kaspersky Endpoint Security",
    integration: str = "branded",
    product_class: str = "security",
    confidence: Confidence = Confidence.CONFIRMED,
    purl: str | None = None,
    ref: str | None = None,
    supplier: str | None = "AO Kaspersky Lab",
    release_date: str | None = None,
    built_date: str | None = None,
    document_created: str | None = None,
    alias: str = "kaspersky",
) -> Finding:
    """One finding as identification would hand it over (no severity, rules or notes)."""
    return Finding(
        id=f"fp-{name}",
        component=ComponentSummary(
            ref=ref or f"ref-{name}",
            name=name,
            version=version,
            purl=purl,
            supplier=supplier,
            document="product.cdx.json",
            release_date=release_date,
            built_date=built_date,
            document_created=document_created,
        ),
        canonical=canonical,
        confidence=confidence,
        evidence=(
            Evidence(
                field="name",
                value=name,
                alias=alias,
                kind="product",
                confidence="confirmed",
                source=SOURCE,
                canonical=canonical,
                product_class=product_class,
            ),
        ),
        integration=integration,
        product_class=product_class,
    )


BRANDED_AV = finding("kes")
"""Kaspersky's own endpoint product."""
EMBEDDED_AV = finding(
    "acme-av-engine",
    canonical="Kaspersky Anti-Virus Engine (OEM)",
    integration="embedded",
    supplier="Acme Networks",
    alias="kaspersky anti-virus sdk",
)
"""A Kaspersky engine inside another vendor's appliance."""
THREAT_INTEL = finding(
    "kaspersky-ti-feeds",
    canonical="Kaspersky Threat Intelligence",
    product_class="threat-intelligence",
)
UI_KIT = finding(
    "@kaspersky/hexa-ui",
    version="3.0.0",
    canonical="Kaspersky open-source UI kit",
    integration="embedded",
    product_class="non-security",
    purl="pkg:npm/%40kaspersky/hexa-ui@3.0.0",
    supplier=None,
)
ENTITY = finding("kaspersky-lab-sdk", canonical="AO Kaspersky Lab", alias="AO Kaspersky Lab")


def component(
    i: int,
    *,
    supplier: bool = False,
    purl: bool = False,
    hashes: bool = False,
    metadata: bool = False,
) -> Component:
    """A component with the identity fields asked for."""
    return Component(
        ref=f"c{i}",
        document="d.json",
        location=f"components[{i}]",
        name=f"lib{i}",
        supplier=Party(name="Acme") if supplier else None,
        purl=f"pkg:pypi/lib{i}@1.0" if purl else None,
        hashes=(Hash(algorithm="SHA-256", value="ab" * 32),) if hashes else (),
        is_metadata=metadata,
    )


def document(
    components: tuple[Component, ...],
    *,
    relationships: bool = True,
    compositions: tuple[str, ...] = (),
) -> Document:
    """A CycloneDX document holding `components` (and one relationship when asked)."""
    from sbomcheck.model import Composition

    rels = (
        (
            Relationship(
                source="c0",
                type="depends-on",
                target="c1",
                document="d.json",
                location="dependencies[0]",
            ),
        )
        if relationships
        else ()
    )
    return Document(
        key="d.json",
        path="d.json",
        sha256="0" * 64,
        format=Format.CYCLONEDX_JSON,
        spec_version="1.6",
        components=components,
        relationships=rels,
        compositions=tuple(Composition(aggregate=a) for a in compositions),
    )
