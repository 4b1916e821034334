"""Regenerate samples/linked-cross-format/ (from the repository root:
`python -m tests.graph._make_cross_format_samples`).

Three products, each linked to vendor SBOMs in another format (docs/graph.md, "Linked
documents"). Written once and committed; this script documents how they were made and keeps
the checksums consistent (each is computed over the referenced file's bytes). It reuses the
helpers of `tests/identify/_make_samples.py`; everything is fixed: no clock, no randomness.
"""

from __future__ import annotations

import hashlib
from typing import Any

from tests.identify._make_samples import TS, cdx_component, dump, spdx_doc, spdx_pkg, write

DIR = "linked-cross-format"


def _cdx(
    serial: str, root: dict[str, Any], comps: list[dict[str, Any]], deps: dict[str, list[str]]
) -> dict[str, Any]:
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": serial,
        "version": 1,
        "metadata": {"timestamp": TS, "component": root},
        "components": comps,
        "dependencies": [{"ref": k, "dependsOn": v} for k, v in deps.items()],
    }


def _lib(name: str, version: str, lic: str, supplier: str) -> dict[str, Any]:
    return cdx_component(name, version, lic, supplier, f"pkg:generic/{name}@{version}")


# --- (1) CycloneDX product -> SPDX 2 vendor document (bom reference = document namespace) ------

SCANPACK_NS = "https://sbom.fabrikam-filtering.example/spdx/scanpack-4.2.0-7c1e"


def cyclonedx_to_spdx() -> None:
    vpkgs = [
        spdx_pkg(
            "SPDXRef-scanpack",
            "fabrikam-scanpack",
            "4.2.0",
            "Organization: Fabrikam Filtering BV",
            "LicenseRef-Fabrikam-OEM",
            description="Malware scanning module for mail and web gateways",
        ),
        spdx_pkg(
            "SPDXRef-kav-engine",
            "Kaspersky Anti-Virus Engine",
            "8.10.2",
            "Organization: AO Kaspersky Lab",
            "LicenseRef-Kaspersky-OEM",
            description="Scanning engine licensed for OEM use",
        ),
        spdx_pkg(
            "SPDXRef-pkg-libarchive",
            "libarchive",
            "3.7.7",
            "Organization: libarchive project",
            "BSD-2-Clause",
            "pkg:generic/libarchive@3.7.7",
        ),
        spdx_pkg(
            "SPDXRef-pkg-zlib",
            "zlib",
            "1.3.1",
            "Person: Mark Adler",
            "Zlib",
            "pkg:generic/zlib@1.3.1",
        ),
        spdx_pkg(
            "SPDXRef-pkg-openssl",
            "openssl",
            "3.0.15",
            "Organization: OpenSSL Software Foundation",
            "Apache-2.0",
            "pkg:generic/openssl@3.0.15",
        ),
    ]
    vrels = [
        ("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-scanpack"),
        ("SPDXRef-scanpack", "CONTAINS", "SPDXRef-kav-engine"),
        ("SPDXRef-scanpack", "DEPENDS_ON", "SPDXRef-pkg-libarchive"),
        ("SPDXRef-kav-engine", "DEPENDS_ON", "SPDXRef-pkg-zlib"),
        ("SPDXRef-pkg-libarchive", "DEPENDS_ON", "SPDXRef-pkg-zlib"),
        ("SPDXRef-scanpack", "DEPENDS_ON", "SPDXRef-pkg-openssl"),
    ]
    vendor = spdx_doc(
        "fabrikam-scanpack-4.2.0",
        SCANPACK_NS,
        vpkgs,
        vrels,
        creator="Organization: Fabrikam Filtering BV",
    )
    vbytes = write(f"{DIR}/fabrikam-scanpack.spdx.json", dump(vendor))

    comps = [
        _lib("linux-kernel", "6.6.63", "GPL-2.0-only", "The Linux Foundation"),
        _lib("postfix", "3.7.11", "IPL-1.0 OR EPL-2.0", "The Postfix project"),
        _lib("nginx", "1.26.2", "BSD-2-Clause", "F5, Inc."),
        _lib("openssl", "3.0.15", "Apache-2.0", "OpenSSL Software Foundation"),
        _lib("rspamd", "3.10.2", "Apache-2.0", "Rspamd project"),
    ]
    module = cdx_component(
        "fabrikam-scanpack",
        "4.2.0",
        "LicenseRef-Fabrikam-OEM",
        "Fabrikam Filtering BV",
        "pkg:generic/fabrikam/scanpack@4.2.0",
        ctype="application",
    )
    module["bom-ref"] = "fabrikam-scanpack"
    module["externalReferences"] = [
        {
            "type": "bom",
            "url": SCANPACK_NS,
            "comment": "Vendor SPDX document of the scanning module",
            "hashes": [{"alg": "SHA-1", "content": hashlib.sha1(vbytes).hexdigest()}],
        }
    ]
    comps.append(module)
    refs = {c["name"]: c["bom-ref"] for c in comps}
    root = {
        "type": "device",
        "bom-ref": "acme-mail-appliance",
        "name": "acme-mail-appliance",
        "version": "7.4.0",
        "supplier": {"name": "Acme Corp"},
    }
    deps = {
        "acme-mail-appliance": [refs[n] for n in ("linux-kernel", "postfix", "nginx", "rspamd")]
        + ["fabrikam-scanpack"],
        refs["postfix"]: [refs["openssl"]],
        refs["nginx"]: [refs["openssl"]],
    }
    product = _cdx("urn:uuid:5b0e2a71-9c3d-4f86-a1e4-7d2c9b8f6e13", root, comps, deps)
    write(f"{DIR}/appliance.cdx.json", dump(product))


# --- (2) SPDX 2 product -> CycloneDX vendor BOM (externalDocumentRef = urn:uuid: serial) ------

MAILFILTER_SERIAL = "urn:uuid:c41f8d2e-6b7a-4e95-8d03-2a9f1e7b5c68"


def spdx_to_cyclonedx() -> None:
    comps = [
        _lib("spamassassin", "4.0.1", "Apache-2.0", "Apache Software Foundation"),
        _lib("opendkim", "2.11.0", "BSD-3-Clause", "The Trusted Domain Project"),
        _lib("pcre2", "10.42", "BSD-3-Clause", "University of Cambridge"),
        _lib("zlib", "1.3.1", "Zlib", "Mark Adler"),
    ]
    kas = cdx_component(
        "Kaspersky Anti-Spam SDK",
        "5.1.2",
        "LicenseRef-Kaspersky-OEM",
        "AO Kaspersky Lab",
        "pkg:generic/kaspersky/anti-spam-sdk@5.1.2",
    )
    kas["bom-ref"] = "kas-sdk"
    comps.append(kas)
    refs = {c["name"]: c["bom-ref"] for c in comps}
    root = {
        "type": "application",
        "bom-ref": "mail-filter",
        "name": "contoso-mail-filter",
        "version": "2.3.0",
        "supplier": {"name": "Contoso Messaging Ltd"},
    }
    deps = {
        "mail-filter": [refs["spamassassin"], refs["opendkim"], "kas-sdk"],
        "kas-sdk": [refs["pcre2"], refs["zlib"]],
        refs["opendkim"]: [refs["zlib"]],
    }
    vendor = _cdx(MAILFILTER_SERIAL, root, comps, deps)
    vbytes = write(f"{DIR}/contoso-mail-filter.cdx.json", dump(vendor))

    ppkgs = [
        spdx_pkg(
            "SPDXRef-groupware",
            "Acme Groupware Server",
            "12.0.1",
            "Organization: Acme Corp",
            "LicenseRef-Acme-EULA",
            description="Groupware server with mail filtering",
        ),
        spdx_pkg(
            "SPDXRef-pkg-dovecot",
            "dovecot",
            "2.3.21.1",
            "Organization: Open-Xchange",
            "MIT AND LGPL-2.1-only",
            "pkg:generic/dovecot@2.3.21.1",
        ),
        spdx_pkg(
            "SPDXRef-pkg-postgresql",
            "postgresql",
            "16.6",
            "Organization: PostgreSQL Global Development Group",
            "PostgreSQL",
            "pkg:generic/postgresql@16.6",
        ),
        spdx_pkg(
            "SPDXRef-pkg-openldap",
            "openldap",
            "2.6.9",
            "Organization: OpenLDAP Foundation",
            "OLDAP-2.8",
            "pkg:generic/openldap@2.6.9",
        ),
        spdx_pkg(
            "SPDXRef-pkg-openssl",
            "openssl",
            "3.0.15",
            "Organization: OpenSSL Software Foundation",
            "Apache-2.0",
            "pkg:generic/openssl@3.0.15",
        ),
    ]
    prels = [
        ("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-groupware"),
        ("SPDXRef-groupware", "DEPENDS_ON", "SPDXRef-pkg-dovecot"),
        ("SPDXRef-groupware", "DEPENDS_ON", "SPDXRef-pkg-postgresql"),
        ("SPDXRef-groupware", "DEPENDS_ON", "SPDXRef-pkg-openldap"),
        # The element after the colon is the bom-ref, written as an SPDX id.
        ("SPDXRef-groupware", "DEPENDS_ON", "DocumentRef-contoso:SPDXRef-mail-filter"),
        ("SPDXRef-pkg-dovecot", "DEPENDS_ON", "SPDXRef-pkg-openssl"),
        ("SPDXRef-pkg-openldap", "DEPENDS_ON", "SPDXRef-pkg-openssl"),
    ]
    ext = [
        {
            "externalDocumentId": "DocumentRef-contoso",
            "spdxDocument": MAILFILTER_SERIAL,
            "checksum": {"algorithm": "SHA1", "checksumValue": hashlib.sha1(vbytes).hexdigest()},
        }
    ]
    product = spdx_doc(
        "acme-groupware-12.0.1",
        "https://sbom.acme.example/spdx/groupware-12.0.1-93ab",
        ppkgs,
        prels,
        ext=ext,
    )
    write(f"{DIR}/groupware.spdx.json", dump(product))


# --- (3) SPDX 3 product importing from an SPDX 2 document and a CycloneDX BOM ------------------

GATEWAY_NS = "https://sbom.northwind-traders.example/spdx/gateway-2.8.1-4d2a"
OCR_SERIAL = "urn:uuid:0d7e4b19-3a52-4c6f-9e81-b5a2c7d3f904"
OCR_URL = "https://downloads.tailspin.example/sbom/tailspin-ocr.cdx.json"
PLATFORM = "https://sbom.acme.example/spdx3/collab-platform-3.2.0"


def spdx3_imports() -> None:
    gpkgs = [
        spdx_pkg(
            "SPDXRef-gateway",
            "northwind-web-gateway",
            "2.8.1",
            "Organization: Northwind Traders AG",
            "LicenseRef-Northwind-EULA",
            description="Web filtering gateway",
        ),
        spdx_pkg(
            "SPDXRef-kav-sdk",
            "KAV SDK",
            "8.9.4",
            "Organization: Northwind Traders AG",
            "LicenseRef-Kaspersky-OEM",
            description="Anti-virus SDK redistributed under OEM licence",
        ),
        spdx_pkg(
            "SPDXRef-pkg-squid",
            "squid",
            "6.12",
            "Organization: The Squid Software Foundation",
            "GPL-2.0-or-later",
            "pkg:generic/squid@6.12",
        ),
        spdx_pkg(
            "SPDXRef-pkg-c-icap",
            "c-icap",
            "0.6.2",
            "Organization: c-icap project",
            "LGPL-2.1-or-later",
            "pkg:generic/c-icap@0.6.2",
        ),
        spdx_pkg(
            "SPDXRef-pkg-openssl",
            "openssl",
            "3.0.15",
            "Organization: OpenSSL Software Foundation",
            "Apache-2.0",
            "pkg:generic/openssl@3.0.15",
        ),
    ]
    grels = [
        ("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-gateway"),
        ("SPDXRef-gateway", "DEPENDS_ON", "SPDXRef-pkg-squid"),
        ("SPDXRef-gateway", "DEPENDS_ON", "SPDXRef-pkg-c-icap"),
        ("SPDXRef-pkg-c-icap", "CONTAINS", "SPDXRef-kav-sdk"),
        ("SPDXRef-pkg-squid", "DEPENDS_ON", "SPDXRef-pkg-openssl"),
    ]
    gateway = spdx_doc(
        "northwind-web-gateway-2.8.1",
        GATEWAY_NS,
        gpkgs,
        grels,
        creator="Organization: Northwind Traders AG",
    )
    gbytes = write(f"{DIR}/northwind-gateway.spdx.json", dump(gateway))

    ocomps = [
        _lib("tesseract", "5.5.0", "Apache-2.0", "Tesseract OCR project"),
        _lib("leptonica", "1.85.0", "BSD-2-Clause", "Leptonica project"),
        _lib("libpng", "1.6.44", "libpng-2.0", "PNG Development Group"),
        _lib("libjpeg-turbo", "3.0.4", "BSD-3-Clause", "libjpeg-turbo project"),
        _lib("zlib", "1.3.1", "Zlib", "Mark Adler"),
    ]
    orefs = {c["name"]: c["bom-ref"] for c in ocomps}
    oroot = {
        "type": "application",
        "bom-ref": "tailspin-ocr",
        "name": "tailspin-ocr",
        "version": "1.9.0",
        "supplier": {"name": "Tailspin Imaging Inc."},
    }
    odeps = {
        "tailspin-ocr": [orefs["tesseract"]],
        orefs["tesseract"]: [orefs["leptonica"]],
        orefs["leptonica"]: [orefs["libpng"], orefs["libjpeg-turbo"], orefs["zlib"]],
        orefs["libpng"]: [orefs["zlib"]],
    }
    obytes = write(f"{DIR}/tailspin-ocr.cdx.json", dump(_cdx(OCR_SERIAL, oroot, ocomps, odeps)))

    def pkg(name: str, version: str, purpose: str = "library") -> dict[str, Any]:
        return {
            "type": "software_Package",
            "spdxId": f"{PLATFORM}/{name}",
            "creationInfo": "_:ci",
            "name": name,
            "software_packageVersion": version,
            "software_packageUrl": f"pkg:generic/{name}@{version}",
            "software_primaryPurpose": purpose,
            "suppliedBy": f"{PLATFORM}/acme",
        }

    def rel(n: int, source: str, kind: str, targets: list[str]) -> dict[str, Any]:
        return {
            "type": "Relationship",
            "spdxId": f"{PLATFORM}/relationship-{n}",
            "creationInfo": "_:ci",
            "from": source,
            "relationshipType": kind,
            "to": targets,
        }

    gateway_id = f"{GATEWAY_NS}#SPDXRef-gateway"
    ocr_id = f"{OCR_SERIAL.replace('urn:uuid:', 'urn:cdx:')}/1#tailspin-ocr"
    root = f"{PLATFORM}/collab-platform"
    packages = [
        pkg("collab-platform", "3.2.0", "application"),
        pkg("keycloak", "26.0.7"),
        pkg("postgresql", "16.6"),
        pkg("nginx", "1.26.2"),
        pkg("openssl", "3.0.15"),
    ]
    graph: list[dict[str, Any]] = [
        {
            "type": "CreationInfo",
            "@id": "_:ci",
            "specVersion": "3.0.1",
            "created": TS,
            "createdBy": [f"{PLATFORM}/acme"],
        },
        {
            "type": "Organization",
            "spdxId": f"{PLATFORM}/acme",
            "creationInfo": "_:ci",
            "name": "Acme Corp",
        },
        {
            "type": "SpdxDocument",
            "spdxId": f"{PLATFORM}/document",
            "creationInfo": "_:ci",
            "name": "acme-collab-platform-3.2.0",
            "rootElement": [root],
            "import": [
                {
                    # An element of an SPDX 2 document: <documentNamespace>#<SPDXID>.
                    "type": "ExternalMap",
                    "externalSpdxId": gateway_id,
                    "locationHint": GATEWAY_NS,
                    "verifiedUsing": [
                        {
                            "type": "Hash",
                            "algorithm": "sha256",
                            "hashValue": hashlib.sha256(gbytes).hexdigest(),
                        }
                    ],
                },
                {
                    # An element of a CycloneDX BOM: its BOM-Link; the file it is defined in
                    # is described by the definingArtifact (hash and download location).
                    "type": "ExternalMap",
                    "externalSpdxId": ocr_id,
                    "definingArtifact": f"{PLATFORM}/tailspin-ocr-sbom",
                },
            ],
        },
        *packages,
        {
            "type": "software_File",
            "spdxId": f"{PLATFORM}/tailspin-ocr-sbom",
            "creationInfo": "_:ci",
            "name": "tailspin-ocr.cdx.json",
            "software_primaryPurpose": "bom",
            "software_downloadLocation": OCR_URL,
            "verifiedUsing": [
                {
                    "type": "Hash",
                    "algorithm": "sha256",
                    "hashValue": hashlib.sha256(obytes).hexdigest(),
                }
            ],
        },
        rel(1, root, "dependsOn", [f"{PLATFORM}/{n}" for n in ("keycloak", "postgresql", "nginx")]),
        rel(2, f"{PLATFORM}/nginx", "dependsOn", [f"{PLATFORM}/openssl"]),
        rel(3, root, "contains", [gateway_id, ocr_id]),
    ]
    doc = {"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": graph}
    write(f"{DIR}/platform.spdx3.json", dump(doc))


def main() -> None:
    cyclonedx_to_spdx()
    spdx_to_cyclonedx()
    spdx3_imports()


if __name__ == "__main__":
    main()
