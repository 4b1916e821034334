"""The samples give exactly the findings samples/README.md states; the real corpus gives none."""

from __future__ import annotations

import hashlib
import json

import pytest

from sbomcheck.identify import identify, load_catalogue
from sbomcheck.ingest import load
from tests.conftest import CORPUS, SAMPLES, corpus_rows, require_corpus

CAT = load_catalogue()

# sample -> [(ref, canonical, confidence, integration, product_class)]
EXPECTED = {
    "direct-dependency.cdx.json": [
        (
            f"pkg:npm/%40kaspersky/{name}@3.42.0",
            "Hexa UI design system (AO Kaspersky Lab)",
            "confirmed",
            "branded",
            "non-security",
        )
        for name in ("hexa-ui", "hexa-ui-icons", "hexa-ui-core")
    ],
    "oem-appliance.cdx.xml": [
        ("utm-av-full", "Kaspersky Anti-Virus Engine", "likely", "embedded", "security"),
    ],
    "sdk-three-levels.spdx.json": [
        (
            "SPDXRef-kavsdk",
            "Kaspersky Anti-Virus SDK (KAV SDK)",
            "confirmed",
            "branded",
            "security",
        ),
    ],
    "linked/product.cdx.json": [],
    "linked/vendor-threat-module.cdx.json": [
        ("kaspersky-scan-engine", "Kaspersky Scan Engine", "confirmed", "branded", "security"),
    ],
    "linked/product.spdx.json": [],
    "linked/vendor-mailguard.spdx.json": [
        ("SPDXRef-kassdk", "Kaspersky Anti-Spam (KAS)", "likely", "embedded", "security"),
    ],
    "linked-cross-format/appliance.cdx.json": [],
    "linked-cross-format/fabrikam-scanpack.spdx.json": [
        (
            "SPDXRef-kav-engine",
            "Kaspersky Anti-Virus Engine (OEM)",
            "confirmed",
            "branded",
            "security",
        ),
    ],
    "linked-cross-format/groupware.spdx.json": [],
    "linked-cross-format/contoso-mail-filter.cdx.json": [
        ("kas-sdk", "Kaspersky Anti-Spam (KAS)", "confirmed", "branded", "security"),
    ],
    "linked-cross-format/platform.spdx3.json": [],
    "linked-cross-format/northwind-gateway.spdx.json": [
        ("SPDXRef-kav-sdk", "Kaspersky Anti-Virus SDK (KAV SDK)", "likely", "embedded", "security"),
    ],
    "linked-cross-format/tailspin-ocr.cdx.json": [],
    "cyrillic-supplier.spdx": [
        (
            "SPDXRef-pkg-kesl",
            "Kaspersky Endpoint Security for Linux (KESL)",
            "confirmed",
            "branded",
            "security",
        ),
    ],
    "clean-product.cdx.json": [],
    "lookalikes.cdx.json": [],
}


def test_every_sample_is_listed() -> None:
    on_disk = {
        p.relative_to(SAMPLES).as_posix()
        for p in SAMPLES.rglob("*")
        if p.is_file() and p.name != "README.md"
    }
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_findings(name: str) -> None:
    document = load(SAMPLES / name)
    assert document.component_count >= 5 and not document.warnings
    got = [
        (m.component.ref, m.canonical, m.confidence.value, m.integration, m.product_class)
        for m in identify([document], CAT)
    ]
    assert got == EXPECTED[name]


def test_samples_are_realistic() -> None:
    for name in (
        "direct-dependency.cdx.json",
        "clean-product.cdx.json",
        "sdk-three-levels.spdx.json",
    ):
        document = load(SAMPLES / name)
        assert document.component_count >= 20
        assert document.relationship_count >= 20
        assert all(c.hashes for c in document.components if not c.is_metadata)


def test_spdx_pair_checksum_matches_the_vendor_file() -> None:
    product = json.loads((SAMPLES / "linked/product.spdx.json").read_text(encoding="utf-8"))
    (ref,) = product["externalDocumentRefs"]
    vendor_bytes = (SAMPLES / "linked/vendor-mailguard.spdx.json").read_bytes()
    vendor = json.loads(vendor_bytes)
    assert ref["spdxDocument"] == vendor["documentNamespace"]
    assert ref["checksum"]["checksumValue"] == hashlib.sha1(vendor_bytes).hexdigest()


def test_cyclonedx_pair_bom_link_names_the_vendor_bom() -> None:
    product = json.loads((SAMPLES / "linked/product.cdx.json").read_text(encoding="utf-8"))
    vendor = json.loads(
        (SAMPLES / "linked/vendor-threat-module.cdx.json").read_text(encoding="utf-8")
    )
    serial = vendor["serialNumber"].removeprefix("urn:uuid:")
    link = f"urn:cdx:{serial}/{vendor['version']}#{vendor['metadata']['component']['bom-ref']}"
    assert link in {t for d in product["dependencies"] for t in d.get("dependsOn", [])}
    refs = [r for c in product["components"] for r in c.get("externalReferences", [])]
    assert {"type": "bom", "url": f"urn:cdx:{serial}/1"}.items() <= refs[0].items()


def _corpus_files() -> list[str]:
    return [r["path"] for r in corpus_rows() if not r["path"].startswith("invalid/")]


@pytest.mark.slow
@pytest.mark.corpus
def test_no_finding_on_the_real_corpus() -> None:
    corpus = require_corpus()
    found: list[str] = []
    documents = 0
    for path in _corpus_files():
        document = load(corpus / path)
        documents += 1
        found += [f"{path}: {m.component.ref} {m.canonical}" for m in identify([document], CAT)]
    assert documents == len(_corpus_files()) > 100
    assert found == []
    assert CORPUS.exists()
