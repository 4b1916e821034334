"""Regenerate samples/ (run from the repository root: `python tests/identify/_make_samples.py`).

The samples are written once and committed; this script only documents how they were made
and keeps them consistent (hashes derived from name@version, the SPDX externalDocumentRef
SHA-1 computed over the vendor file's bytes). Everything is fixed: no clock, no randomness.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "samples"
TS = "2025-03-14T09:30:00Z"


def sha256(*parts: str) -> str:
    return hashlib.sha256("@".join(parts).encode()).hexdigest()


def sha1(*parts: str) -> str:
    return hashlib.sha1("@".join(parts).encode()).hexdigest()


def write(name: str, text: str) -> bytes:
    path = OUT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    path.write_bytes(data)
    return data


def dump(obj: Any) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


# --- package lists (real package names and licences; versions of early 2025) ---------------

NPM = [
    # name, version, licence, supplier (npm publisher org), direct?
    ("react", "18.3.1", "MIT", "Meta Platforms, Inc.", True),
    ("react-dom", "18.3.1", "MIT", "Meta Platforms, Inc.", True),
    ("scheduler", "0.23.2", "MIT", "Meta Platforms, Inc.", False),
    ("loose-envify", "1.4.0", "MIT", "Andres Suarez", False),
    ("js-tokens", "4.0.0", "MIT", "Simon Lydell", False),
    ("react-router-dom", "6.28.0", "MIT", "Remix Software Inc.", True),
    ("react-router", "6.28.0", "MIT", "Remix Software Inc.", False),
    ("@remix-run/router", "1.21.0", "MIT", "Remix Software Inc.", False),
    ("axios", "1.7.9", "MIT", "Matt Zabriskie", True),
    ("follow-redirects", "1.15.9", "MIT", "Ruben Verborgh", False),
    ("form-data", "4.0.1", "MIT", "Felix Geisendörfer", False),
    ("proxy-from-env", "1.1.0", "MIT", "Rob Wu", False),
    ("asynckit", "0.4.0", "MIT", "Alex Indigo", False),
    ("combined-stream", "1.0.8", "MIT", "Felix Geisendörfer", False),
    ("delayed-stream", "1.0.0", "MIT", "Felix Geisendörfer", False),
    ("mime-types", "2.1.35", "MIT", "jshttp", False),
    ("mime-db", "1.52.0", "MIT", "jshttp", False),
    ("dayjs", "1.11.13", "MIT", "iamkun", True),
    ("classnames", "2.5.1", "MIT", "Jed Watson", True),
    ("lodash", "4.17.21", "MIT", "OpenJS Foundation", True),
    ("zustand", "5.0.2", "MIT", "Poimandres", True),
    ("i18next", "24.2.0", "MIT", "i18next", True),
    ("@babel/runtime", "7.26.0", "MIT", "The Babel Team", False),
    ("styled-components", "6.1.13", "MIT", "styled-components", False),
    ("@emotion/unitless", "0.8.1", "MIT", "Emotion team", False),
    ("stylis", "4.3.2", "MIT", "Sultan Tarimo", False),
    ("tslib", "2.8.1", "0BSD", "Microsoft Corp.", False),
    ("antd", "5.22.5", "MIT", "Ant UED", False),
    ("rc-util", "5.44.3", "MIT", "react-component", False),
    ("@ant-design/icons", "5.5.2", "MIT", "Ant UED", False),
]


def npm_purl(name: str, version: str) -> str:
    if name.startswith("@"):
        scope, _, bare = name.partition("/")
        return f"pkg:npm/%40{scope[1:]}/{bare}@{version}"
    return f"pkg:npm/{name}@{version}"


def cdx_component(
    name: str, version: str, licence: str, supplier: str, purl: str, ctype: str = "library"
) -> dict[str, Any]:
    group = None
    bare = name
    if name.startswith("@"):
        group, _, bare = name.partition("/")
    comp: dict[str, Any] = {
        "type": ctype,
        "bom-ref": purl,
        "supplier": {"name": supplier},
    }
    if group:
        comp["group"] = group
    comp.update(
        {
            "name": bare,
            "version": version,
            "hashes": [{"alg": "SHA-512", "content": hashlib.sha512(purl.encode()).hexdigest()}],
            "licenses": [{"license": {"id": licence}}],
            "purl": purl,
        }
    )
    return comp


# --- (1) direct dependency, CycloneDX JSON ---------------------------------------------------


def direct_dependency() -> None:
    comps: list[dict[str, Any]] = []
    refs: dict[str, str] = {}
    for name, version, lic, sup, _ in NPM:
        purl = npm_purl(name, version)
        refs[name] = purl
        comps.append(cdx_component(name, version, lic, sup, purl))
    kas = [
        ("@kaspersky/hexa-ui", "3.42.0"),
        ("@kaspersky/hexa-ui-icons", "3.42.0"),
        ("@kaspersky/hexa-ui-core", "3.42.0"),
    ]
    for name, version in kas:
        purl = npm_purl(name, version)
        refs[name] = purl
        comp = cdx_component(name, version, "Apache-2.0", "AO Kaspersky Lab", purl)
        del comp["licenses"]  # not stated here: the sample does not claim a licence
        comp["authors"] = [{"name": "AO Kaspersky Lab"}]
        comp["externalReferences"] = [
            {"type": "vcs", "url": "https://github.com/KasperskyLab/uif"},
        ]
        comps.append(comp)
    root_ref = "pkg:npm/acme-admin-console@2.4.0"
    deps = {
        "react-dom": ["react", "scheduler", "loose-envify"],
        "react": ["loose-envify"],
        "loose-envify": ["js-tokens"],
        "react-router-dom": ["react-router", "@remix-run/router"],
        "react-router": ["@remix-run/router"],
        "axios": ["follow-redirects", "form-data", "proxy-from-env"],
        "form-data": ["asynckit", "combined-stream", "mime-types"],
        "combined-stream": ["delayed-stream"],
        "mime-types": ["mime-db"],
        "zustand": [],
        "i18next": ["@babel/runtime"],
        "@kaspersky/hexa-ui": [
            "@kaspersky/hexa-ui-core",
            "@kaspersky/hexa-ui-icons",
            "styled-components",
            "antd",
            "classnames",
        ],
        "@kaspersky/hexa-ui-core": ["tslib"],
        "styled-components": ["@emotion/unitless", "stylis", "tslib"],
        "antd": ["rc-util", "@ant-design/icons", "dayjs", "classnames"],
        "@ant-design/icons": ["rc-util", "@babel/runtime"],
    }
    direct = [n for n, *_, d in NPM if d] + ["@kaspersky/hexa-ui"]
    dependencies = [{"ref": root_ref, "dependsOn": [refs[n] for n in direct]}]
    for name, purl in refs.items():
        dependencies.append({"ref": purl, "dependsOn": [refs[d] for d in deps.get(name, [])]})
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": "urn:uuid:6a1c7e0b-2f43-4c8e-9d2a-1b7e5f3c9a01",
        "version": 1,
        "metadata": {
            "timestamp": TS,
            "tools": {
                "components": [
                    {"type": "application", "name": "cyclonedx-npm", "version": "1.19.3"}
                ]
            },
            "component": {
                "type": "application",
                "bom-ref": root_ref,
                "name": "acme-admin-console",
                "version": "2.4.0",
                "supplier": {"name": "Acme Corp", "url": ["https://acme.example"]},
                "purl": root_ref,
            },
            "supplier": {"name": "Acme Corp"},
        },
        "components": comps,
        "dependencies": dependencies,
        "compositions": [{"aggregate": "complete", "assemblies": [root_ref]}],
    }
    write("direct-dependency.cdx.json", dump(bom))


# --- (2) OEM appliance, CycloneDX XML ----------------------------------------------------------

APPLIANCE = [
    # bom-ref, name, version, licence, supplier, purl, description
    (
        "junos-kernel",
        "junos-kernel",
        "12.1X46-D40",
        "LicenseRef-Juniper-EULA",
        "Juniper Networks",
        None,
        "Junos OS kernel for SRX branch devices",
    ),
    (
        "flowd",
        "flowd",
        "12.1X46-D40",
        "LicenseRef-Juniper-EULA",
        "Juniper Networks",
        None,
        "Flow daemon (packet forwarding)",
    ),
    (
        "mgd",
        "mgd",
        "12.1X46-D40",
        "LicenseRef-Juniper-EULA",
        "Juniper Networks",
        None,
        "Management daemon",
    ),
    (
        "utmd",
        "utmd",
        "12.1X46-D40",
        "LicenseRef-Juniper-EULA",
        "Juniper Networks",
        None,
        "Unified threat management daemon",
    ),
    (
        "utm-av-full",
        "Juniper SRX full file-based antivirus",
        "12.1X46-D40",
        "LicenseRef-Juniper-EULA",
        "Juniper Networks",
        None,
        "UTM full file-based anti-virus feature (licensed separately)",
    ),
    (
        "utm-web-filtering",
        "utm-web-filtering",
        "12.1X46-D40",
        "LicenseRef-Juniper-EULA",
        "Juniper Networks",
        None,
        "UTM enhanced web filtering client",
    ),
    (
        "idpd",
        "idpd",
        "12.1X46-D40",
        "LicenseRef-Juniper-EULA",
        "Juniper Networks",
        None,
        "Intrusion detection and prevention daemon",
    ),
    (
        "openssl",
        "openssl",
        "1.0.1m",
        "OpenSSL",
        "OpenSSL Software Foundation",
        "pkg:generic/openssl@1.0.1m",
        "TLS and crypto library",
    ),
    (
        "openssh",
        "openssh",
        "6.6p1",
        "BSD-2-Clause",
        "OpenBSD",
        "pkg:generic/openssh@6.6p1",
        "SSH server",
    ),
    (
        "libxml2",
        "libxml2",
        "2.9.1",
        "MIT",
        "GNOME Project",
        "pkg:generic/libxml2@2.9.1",
        "XML parser",
    ),
    (
        "zlib",
        "zlib",
        "1.2.8",
        "Zlib",
        "Jean-loup Gailly and Mark Adler",
        "pkg:generic/zlib@1.2.8",
        "Compression library",
    ),
    (
        "pcre",
        "pcre",
        "8.35",
        "BSD-3-Clause",
        "University of Cambridge",
        "pkg:generic/pcre@8.35",
        "Regular expressions",
    ),
    (
        "libevent",
        "libevent",
        "2.0.21",
        "BSD-3-Clause",
        "libevent project",
        "pkg:generic/libevent@2.0.21",
        "Event notification library",
    ),
    (
        "expat",
        "expat",
        "2.1.0",
        "MIT",
        "Expat development team",
        "pkg:generic/expat@2.1.0",
        "XML parser",
    ),
    (
        "ntp",
        "ntp",
        "4.2.6p5",
        "NTP",
        "Network Time Foundation",
        "pkg:generic/ntp@4.2.6p5",
        "Network time daemon",
    ),
    (
        "net-snmp",
        "net-snmp",
        "5.7.2",
        "BSD-3-Clause",
        "Net-SNMP project",
        "pkg:generic/net-snmp@5.7.2",
        "SNMP agent",
    ),
    (
        "sqlite",
        "sqlite",
        "3.8.4.3",
        "blessing",
        "SQLite Consortium",
        "pkg:generic/sqlite@3.8.4.3",
        "Embedded database for UTM caches",
    ),
    (
        "curl",
        "libcurl",
        "7.36.0",
        "curl",
        "curl project",
        "pkg:generic/curl@7.36.0",
        "Used by the pattern update client",
    ),
    (
        "freebsd-libc",
        "libc",
        "6.0",
        "BSD-2-Clause",
        "The FreeBSD Project",
        "pkg:generic/freebsd-libc@6.0",
        "FreeBSD C library",
    ),
    (
        "bind-tools",
        "bind-tools",
        "9.9.5",
        "ISC",
        "Internet Systems Consortium",
        "pkg:generic/bind@9.9.5",
        "DNS resolver utilities",
    ),
]


def appliance() -> None:
    def comp_xml(row: tuple[Any, ...], indent: str, inner: str = "") -> str:
        ref, name, version, lic, sup, purl, desc = row
        ctype = "firmware" if ref == "junos-kernel" else ("library" if purl else "application")
        lic_xml = (
            f"<license><id>{lic}</id></license>"
            if not lic.startswith("LicenseRef")
            else f"<license><name>{lic}</name></license>"
        )
        parts = [
            f'{indent}<component type="{ctype}" bom-ref={quoteattr(ref)}>',
            f"{indent}  <supplier><name>{escape(sup)}</name></supplier>",
            f"{indent}  <name>{escape(name)}</name>",
            f"{indent}  <version>{version}</version>",
            f"{indent}  <description>{escape(desc)}</description>",
            f'{indent}  <hashes><hash alg="SHA-256">{sha256(ref, version)}</hash></hashes>',
            f"{indent}  <licenses>{lic_xml}</licenses>",
        ]
        if purl:
            parts.append(f"{indent}  <purl>{escape(purl)}</purl>")
        parts.append(inner)
        parts.append(f"{indent}</component>")
        return "\n".join(p for p in parts if p)

    av_props = (
        "      <properties>\n"
        '        <property name="juniper:utm:feature-profile:anti-virus:type">kaspersky-lab-engine</property>\n'
        '        <property name="juniper:utm:anti-virus:pattern-update-url">http://update.juniper-updates.net/AV/SRX240/</property>\n'
        "      </properties>"
    )
    body: list[str] = []
    for row in APPLIANCE:
        inner = av_props if row[0] == "utm-av-full" else ""
        body.append(comp_xml(row, "    ", inner))
    deps = {
        "srx240h2": ["junos-kernel", "flowd", "mgd", "utmd", "idpd"],
        "utmd": ["utm-av-full", "utm-web-filtering", "libxml2", "curl", "sqlite"],
        "utm-av-full": ["zlib", "curl", "sqlite"],
        "utm-web-filtering": ["curl", "libxml2"],
        "mgd": ["libxml2", "expat", "openssl", "openssh", "net-snmp", "ntp"],
        "flowd": ["libevent", "pcre", "openssl"],
        "idpd": ["pcre", "zlib"],
        "curl": ["openssl", "zlib"],
        "openssh": ["openssl", "zlib"],
        "junos-kernel": ["freebsd-libc", "bind-tools"],
    }
    dep_xml = []
    for ref, targets in deps.items():
        inner = "".join(f'\n      <dependency ref="{t}"/>' for t in targets)
        dep_xml.append(f'    <dependency ref="{ref}">{inner}\n    </dependency>')
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" serialNumber="urn:uuid:3b0d9f52-8a61-4c1e-b7f3-5e2a9c4d1e02" version="1">
  <metadata>
    <timestamp>2015-06-02T11:00:00Z</timestamp>
    <component type="device" bom-ref="srx240h2">
      <supplier><name>Juniper Networks</name><url>https://www.juniper.net</url></supplier>
      <name>SRX240H2 Services Gateway</name>
      <version>12.1X46-D40</version>
      <description>Branch SRX services gateway with UTM (example SBOM written for sbomcheck)</description>
    </component>
  </metadata>
  <components>
{chr(10).join(body)}
  </components>
  <dependencies>
{chr(10).join(dep_xml)}
  </dependencies>
</bom>
"""
    write("oem-appliance.cdx.xml", xml)


# --- SPDX helpers ------------------------------------------------------------------------------


def spdx_pkg(
    spdxid: str,
    name: str,
    version: str,
    supplier: str,
    lic: str,
    purl: str | None = None,
    description: str | None = None,
    download: str = "NOASSERTION",
    copyright_text: str = "NOASSERTION",
) -> dict[str, Any]:
    pkg: dict[str, Any] = {
        "SPDXID": spdxid,
        "name": name,
        "versionInfo": version,
        "supplier": supplier,
        "downloadLocation": download,
        "filesAnalyzed": False,
        "checksums": [{"algorithm": "SHA256", "checksumValue": sha256(name, version)}],
        "licenseConcluded": lic,
        "licenseDeclared": lic,
        "copyrightText": copyright_text,
    }
    if description:
        pkg["description"] = description
    if purl:
        pkg["externalRefs"] = [
            {
                "referenceCategory": "PACKAGE-MANAGER",
                "referenceType": "purl",
                "referenceLocator": purl,
            }
        ]
    return pkg


def spdx_doc(
    name: str,
    namespace: str,
    packages: list[dict[str, Any]],
    rels: list[tuple[str, str, str]],
    *,
    creator: str = "Organization: Acme Corp",
    ext: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": name,
        "documentNamespace": namespace,
        "creationInfo": {"created": TS, "creators": [creator, "Tool: acme-sbom-builder-3.2"]},
    }
    if ext:
        doc["externalDocumentRefs"] = ext
    doc["documentDescribes"] = [packages[0]["SPDXID"]]
    doc["packages"] = packages
    doc["relationships"] = [
        {"spdxElementId": a, "relationshipType": t, "relatedSpdxElement": b} for a, t, b in rels
    ]
    return doc


# --- (3) SDK three levels down, SPDX JSON ------------------------------------------------------

MAIL_LIBS = [
    (
        "postfix",
        "3.7.11",
        "IPL-1.0 OR EPL-2.0",
        "Organization: The Postfix project",
        "pkg:generic/postfix@3.7.11",
    ),
    (
        "openssl",
        "3.0.15",
        "Apache-2.0",
        "Organization: OpenSSL Software Foundation",
        "pkg:generic/openssl@3.0.15",
    ),
    (
        "cyrus-sasl",
        "2.1.28",
        "BSD-4-Clause-UC",
        "Organization: Carnegie Mellon University",
        "pkg:generic/cyrus-sasl@2.1.28",
    ),
    (
        "libmilter",
        "8.18.1",
        "Sendmail",
        "Organization: Proofpoint, Inc.",
        "pkg:generic/libmilter@8.18.1",
    ),
    (
        "pcre2",
        "10.42",
        "BSD-3-Clause",
        "Organization: University of Cambridge",
        "pkg:generic/pcre2@10.42",
    ),
    ("zlib", "1.3.1", "Zlib", "Person: Mark Adler", "pkg:generic/zlib@1.3.1"),
    ("libxml2", "2.12.9", "MIT", "Organization: GNOME Project", "pkg:generic/libxml2@2.12.9"),
    ("libcurl", "8.11.1", "curl", "Organization: curl project", "pkg:generic/curl@8.11.1"),
    (
        "sqlite",
        "3.47.2",
        "blessing",
        "Organization: SQLite Consortium",
        "pkg:generic/sqlite@3.47.2",
    ),
    (
        "python3",
        "3.11.11",
        "PSF-2.0",
        "Organization: Python Software Foundation",
        "pkg:generic/python@3.11.11",
    ),
    (
        "spamassassin",
        "4.0.1",
        "Apache-2.0",
        "Organization: Apache Software Foundation",
        "pkg:generic/spamassassin@4.0.1",
    ),
    (
        "opendkim",
        "2.11.0",
        "BSD-3-Clause",
        "Organization: The Trusted Domain Project",
        "pkg:generic/opendkim@2.11.0",
    ),
    ("libmagic", "5.45", "BSD-2-Clause", "Person: Christos Zoulas", "pkg:generic/file@5.45"),
    ("lz4", "1.9.4", "BSD-2-Clause", "Person: Yann Collet", "pkg:generic/lz4@1.9.4"),
    (
        "libarchive",
        "3.7.7",
        "BSD-2-Clause",
        "Organization: libarchive project",
        "pkg:generic/libarchive@3.7.7",
    ),
    (
        "unrar-free",
        "0.1.3",
        "GPL-2.0-or-later",
        "Organization: Debian",
        "pkg:generic/unrar-free@0.1.3",
    ),
    ("protobuf", "25.5", "BSD-3-Clause", "Organization: Google LLC", "pkg:generic/protobuf@25.5"),
    ("grpc", "1.62.3", "Apache-2.0", "Organization: Google LLC", "pkg:generic/grpc@1.62.3"),
]


def sdk_three_levels() -> None:
    pkgs = [
        spdx_pkg(
            "SPDXRef-securemail",
            "Acme SecureMail Gateway",
            "4.2.0",
            "Organization: Acme Corp",
            "LicenseRef-Acme-EULA",
            description="Mail gateway appliance software",
        ),
        spdx_pkg(
            "SPDXRef-content-filter",
            "acme-content-filter",
            "4.2.0",
            "Organization: Acme Corp",
            "LicenseRef-Acme-EULA",
            description="Content inspection pipeline",
        ),
        spdx_pkg(
            "SPDXRef-mailscan",
            "mailscan-av-plugin",
            "2.8.1",
            "Organization: Northwind Filtering GmbH",
            "LicenseRef-Northwind-OEM",
            description="Anti-malware plug-in for MTA content filters",
            download="https://downloads.northwind-filtering.example/mailscan/2.8.1",
        ),
        spdx_pkg(
            "SPDXRef-kavsdk",
            "kav-sdk",
            "8.9.3.126",
            "Organization: AO Kaspersky Lab",
            "LicenseRef-Kaspersky-OEM",
            description="Anti-virus scanning library shipped inside the plug-in",
        ),
    ]
    pkgs[3]["copyrightText"] = "© 1997-2023 AO Kaspersky Lab"
    rels = [
        ("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-securemail"),
        ("SPDXRef-securemail", "CONTAINS", "SPDXRef-content-filter"),
        ("SPDXRef-content-filter", "CONTAINS", "SPDXRef-mailscan"),
        ("SPDXRef-mailscan", "CONTAINS", "SPDXRef-kavsdk"),
    ]
    for k, (name, version, lic, sup, purl) in enumerate(MAIL_LIBS):
        sid = f"SPDXRef-pkg-{name}"
        pkgs.append(spdx_pkg(sid, name, version, sup, lic, purl))
        parent = "SPDXRef-securemail" if k < 8 else "SPDXRef-content-filter"
        if name in ("libarchive", "unrar-free", "lz4", "libmagic"):
            parent = "SPDXRef-mailscan"
        rels.append((parent, "DEPENDS_ON", sid))
    rels += [
        ("SPDXRef-pkg-libcurl", "DEPENDS_ON", "SPDXRef-pkg-openssl"),
        ("SPDXRef-pkg-libcurl", "DEPENDS_ON", "SPDXRef-pkg-zlib"),
        ("SPDXRef-pkg-postfix", "DEPENDS_ON", "SPDXRef-pkg-cyrus-sasl"),
        ("SPDXRef-pkg-postfix", "DEPENDS_ON", "SPDXRef-pkg-pcre2"),
        ("SPDXRef-pkg-libarchive", "DEPENDS_ON", "SPDXRef-pkg-lz4"),
        ("SPDXRef-pkg-grpc", "DEPENDS_ON", "SPDXRef-pkg-protobuf"),
        ("SPDXRef-kavsdk", "DEPENDS_ON", "SPDXRef-pkg-zlib"),
    ]
    doc = spdx_doc(
        "acme-securemail-4.2.0",
        "https://sbom.acme.example/spdx/securemail-4.2.0-7c1f2a",
        pkgs,
        rels,
    )
    write("sdk-three-levels.spdx.json", dump(doc))


# --- (4) product linked to vendor SBOMs: CycloneDX pair and SPDX pair -------------------------

VENDOR_SERIAL = "urn:uuid:9e8d7c6b-5a49-4382-a716-2b3c4d5e6f70"


def linked_cyclonedx() -> None:
    vendor_root = "contoso-threat-module"
    vcomps = [
        cdx_component(
            "contoso-threat-core",
            "3.1.0",
            "LicenseRef-Contoso-EULA",
            "Contoso Security Ltd",
            "pkg:generic/contoso/threat-core@3.1.0",
        ),
        cdx_component(
            "Kaspersky Scan Engine",
            "2.1.0.518",
            "LicenseRef-Kaspersky-OEM",
            "AO Kaspersky Lab",
            "pkg:generic/kaspersky/scan-engine@2.1.0.518",
            ctype="application",
        ),
        cdx_component(
            "openssl",
            "3.0.15",
            "Apache-2.0",
            "OpenSSL Software Foundation",
            "pkg:generic/openssl@3.0.15",
        ),
        cdx_component("zlib", "1.3.1", "Zlib", "Mark Adler", "pkg:generic/zlib@1.3.1"),
        cdx_component("libcurl", "8.11.1", "curl", "curl project", "pkg:generic/curl@8.11.1"),
        cdx_component("boost", "1.83.0", "BSL-1.0", "Boost.org", "pkg:generic/boost@1.83.0"),
    ]
    vcomps[1]["bom-ref"] = "kaspersky-scan-engine"
    vcomps[1]["description"] = "Scanning service used in ICAP mode (kavicapd)"
    vcomps[1]["externalReferences"] = [
        {"type": "distribution", "url": "https://downloads.upd.kaspersky.com/"}
    ]
    vdeps = [
        {"ref": vendor_root, "dependsOn": [vcomps[0]["bom-ref"], "kaspersky-scan-engine"]},
        {
            "ref": vcomps[0]["bom-ref"],
            "dependsOn": [vcomps[2]["bom-ref"], vcomps[5]["bom-ref"], vcomps[4]["bom-ref"]],
        },
        {"ref": "kaspersky-scan-engine", "dependsOn": [vcomps[3]["bom-ref"], vcomps[2]["bom-ref"]]},
        {"ref": vcomps[4]["bom-ref"], "dependsOn": [vcomps[2]["bom-ref"], vcomps[3]["bom-ref"]]},
    ]
    vendor = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": VENDOR_SERIAL,
        "version": 1,
        "metadata": {
            "timestamp": TS,
            "component": {
                "type": "application",
                "bom-ref": vendor_root,
                "name": "contoso-threat-module",
                "version": "3.1.0",
                "supplier": {"name": "Contoso Security Ltd"},
            },
        },
        "components": vcomps,
        "dependencies": vdeps,
    }
    write("linked/vendor-threat-module.cdx.json", dump(vendor))

    root = "acme-edge-firewall"
    link = f"{VENDOR_SERIAL}/1#{vendor_root}".replace("urn:uuid:", "urn:cdx:")
    pcomps: list[dict[str, Any]] = []
    libs = [
        (
            "linux-kernel",
            "6.6.63",
            "GPL-2.0-only",
            "The Linux Foundation",
            "pkg:generic/linux@6.6.63",
        ),
        ("busybox", "1.36.1", "GPL-2.0-only", "BusyBox project", "pkg:generic/busybox@1.36.1"),
        ("nftables", "1.0.9", "GPL-2.0-only", "netfilter project", "pkg:generic/nftables@1.0.9"),
        (
            "strongswan",
            "5.9.14",
            "GPL-2.0-or-later",
            "strongSwan project",
            "pkg:generic/strongswan@5.9.14",
        ),
        ("nginx", "1.26.2", "BSD-2-Clause", "F5, Inc.", "pkg:generic/nginx@1.26.2"),
        (
            "openssl",
            "3.0.15",
            "Apache-2.0",
            "OpenSSL Software Foundation",
            "pkg:generic/openssl@3.0.15",
        ),
        (
            "suricata",
            "7.0.8",
            "GPL-2.0-only",
            "Open Information Security Foundation",
            "pkg:generic/suricata@7.0.8",
        ),
        ("unbound", "1.22.0", "BSD-3-Clause", "NLnet Labs", "pkg:generic/unbound@1.22.0"),
    ]
    for name, version, lic, sup, purl in libs:
        pcomps.append(cdx_component(name, version, lic, sup, purl))
    module = cdx_component(
        "contoso-threat-module",
        "3.1.0",
        "LicenseRef-Contoso-EULA",
        "Contoso Security Ltd",
        "pkg:generic/contoso/threat-module@3.1.0",
        ctype="application",
    )
    module["bom-ref"] = "threat-module"
    module["externalReferences"] = [
        {
            "type": "bom",
            "url": VENDOR_SERIAL.replace("urn:uuid:", "urn:cdx:") + "/1",
            "comment": "Vendor SBOM of the threat module",
        }
    ]
    pcomps.append(module)
    pdeps = [
        {
            "ref": root,
            "dependsOn": [
                c["bom-ref"]
                for c in pcomps
                if c["name"]
                in (
                    "linux-kernel",
                    "busybox",
                    "nftables",
                    "strongswan",
                    "nginx",
                    "suricata",
                    "unbound",
                )
            ]
            + ["threat-module"],
        },
        {"ref": "threat-module", "dependsOn": [link]},
        {"ref": "pkg:generic/nginx@1.26.2", "dependsOn": ["pkg:generic/openssl@3.0.15"]},
        {"ref": "pkg:generic/strongswan@5.9.14", "dependsOn": ["pkg:generic/openssl@3.0.15"]},
        {"ref": "pkg:generic/unbound@1.22.0", "dependsOn": ["pkg:generic/openssl@3.0.15"]},
    ]
    product = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": "urn:uuid:1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b",
        "version": 1,
        "metadata": {
            "timestamp": TS,
            "component": {
                "type": "firmware",
                "bom-ref": root,
                "name": "acme-edge-firewall",
                "version": "9.0.2",
                "supplier": {"name": "Acme Corp"},
            },
        },
        "components": pcomps,
        "dependencies": pdeps,
    }
    write("linked/product.cdx.json", dump(product))


def linked_spdx() -> None:
    vpkgs = [
        spdx_pkg(
            "SPDXRef-mailguard",
            "northwind-mailguard",
            "5.0.4",
            "Organization: Northwind Filtering GmbH",
            "LicenseRef-Northwind-OEM",
            description="Spam and malware filter module",
        ),
        spdx_pkg(
            "SPDXRef-kassdk",
            "KASSDK",
            "5.1.2",
            "Organization: Northwind Filtering GmbH",
            "LicenseRef-Kaspersky-OEM",
            description="Anti-spam SDK redistributed under OEM licence",
        ),
        spdx_pkg(
            "SPDXRef-pkg-openssl",
            "openssl",
            "3.0.15",
            "Organization: OpenSSL Software Foundation",
            "Apache-2.0",
            "pkg:generic/openssl@3.0.15",
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
            "SPDXRef-pkg-re2",
            "re2",
            "2024-07-02",
            "Organization: Google LLC",
            "BSD-3-Clause",
            "pkg:generic/re2@2024-07-02",
        ),
    ]
    vrels = [
        ("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-mailguard"),
        ("SPDXRef-mailguard", "CONTAINS", "SPDXRef-kassdk"),
        ("SPDXRef-mailguard", "DEPENDS_ON", "SPDXRef-pkg-re2"),
        ("SPDXRef-kassdk", "DEPENDS_ON", "SPDXRef-pkg-openssl"),
        ("SPDXRef-kassdk", "DEPENDS_ON", "SPDXRef-pkg-zlib"),
    ]
    vns = "https://sbom.northwind-filtering.example/spdx/mailguard-5.0.4-2b91"
    vdoc = spdx_doc(
        "northwind-mailguard-5.0.4",
        vns,
        vpkgs,
        vrels,
        creator="Organization: Northwind Filtering GmbH",
    )
    vbytes = write("linked/vendor-mailguard.spdx.json", dump(vdoc))
    ppkgs = [
        spdx_pkg(
            "SPDXRef-groupware",
            "Acme Groupware Server",
            "11.3.0",
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
            "SPDXRef-pkg-postfix",
            "postfix",
            "3.7.11",
            "Organization: The Postfix project",
            "IPL-1.0 OR EPL-2.0",
            "pkg:generic/postfix@3.7.11",
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
            "SPDXRef-pkg-openssl",
            "openssl",
            "3.0.15",
            "Organization: OpenSSL Software Foundation",
            "Apache-2.0",
            "pkg:generic/openssl@3.0.15",
        ),
        spdx_pkg(
            "SPDXRef-pkg-openldap",
            "openldap",
            "2.6.9",
            "Organization: OpenLDAP Foundation",
            "OLDAP-2.8",
            "pkg:generic/openldap@2.6.9",
        ),
    ]
    prels = [
        ("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-groupware"),
        ("SPDXRef-groupware", "DEPENDS_ON", "SPDXRef-pkg-dovecot"),
        ("SPDXRef-groupware", "DEPENDS_ON", "SPDXRef-pkg-postfix"),
        ("SPDXRef-groupware", "DEPENDS_ON", "SPDXRef-pkg-postgresql"),
        ("SPDXRef-groupware", "DEPENDS_ON", "SPDXRef-pkg-openldap"),
        ("SPDXRef-groupware", "DEPENDS_ON", "DocumentRef-northwind:SPDXRef-mailguard"),
        ("SPDXRef-pkg-dovecot", "DEPENDS_ON", "SPDXRef-pkg-openssl"),
        ("SPDXRef-pkg-postfix", "DEPENDS_ON", "SPDXRef-pkg-openssl"),
        ("SPDXRef-pkg-openldap", "DEPENDS_ON", "SPDXRef-pkg-openssl"),
    ]
    ext = [
        {
            "externalDocumentId": "DocumentRef-northwind",
            "spdxDocument": vns,
            "checksum": {"algorithm": "SHA1", "checksumValue": hashlib.sha1(vbytes).hexdigest()},
        }
    ]
    pdoc = spdx_doc(
        "acme-groupware-11.3.0",
        "https://sbom.acme.example/spdx/groupware-11.3.0-51de",
        ppkgs,
        prels,
        ext=ext,
    )
    write("linked/product.spdx.json", dump(pdoc))


# --- (5) Cyrillic supplier, SPDX tag-value -----------------------------------------------------

CYR = [
    ("astra-linux-base", "1.7.5", "Organization: ООО «РусБИТех-Астра»", "LicenseRef-Astra-EULA"),
    ("postgresql", "15.8", "Organization: PostgreSQL Global Development Group", "PostgreSQL"),
    ("nginx", "1.24.0", "Organization: F5, Inc.", "BSD-2-Clause"),
    ("openssl", "3.0.15", "Organization: OpenSSL Software Foundation", "Apache-2.0"),
    ("python3", "3.11.2", "Organization: Python Software Foundation", "PSF-2.0"),
    ("django", "4.2.17", "Organization: Django Software Foundation", "BSD-3-Clause"),
    ("celery", "5.4.0", "Person: Ask Solem", "BSD-3-Clause"),
    ("redis", "7.0.15", "Organization: Redis Ltd.", "BSD-3-Clause"),
    ("gunicorn", "23.0.0", "Person: Benoit Chesneau", "MIT"),
    ("cryptopro-csp", "5.0.13000", "Organization: ООО «КРИПТО-ПРО»", "LicenseRef-CryptoPro-EULA"),
    ("libxml2", "2.9.14", "Organization: GNOME Project", "MIT"),
    ("zlib", "1.2.13", "Person: Mark Adler", "Zlib"),
]


def cyrillic_supplier() -> None:
    lines = [
        "SPDXVersion: SPDX-2.3",
        "DataLicense: CC0-1.0",
        "SPDXID: SPDXRef-DOCUMENT",
        "DocumentName: kontur-dokumentooborot-3.4",
        "DocumentNamespace: https://sbom.kontur.example/spdx/dokumentooborot-3.4-a81c",
        "Creator: Organization: ООО «Контур-Софт»",
        "Creator: Tool: sbom-builder-1.4",
        f"Created: {TS}",
        "",
        "## Product",
        "PackageName: Контур-Документооборот",
        "SPDXID: SPDXRef-product",
        "PackageVersion: 3.4.1",
        "PackageSupplier: Organization: ООО «Контур-Софт»",
        "PackageDownloadLocation: NOASSERTION",
        "FilesAnalyzed: false",
        f"PackageChecksum: SHA256: {sha256('kontur', '3.4.1')}",
        "PackageLicenseConcluded: LicenseRef-Kontur-EULA",
        "PackageLicenseDeclared: LicenseRef-Kontur-EULA",
        "PackageCopyrightText: NOASSERTION",
        "PackageDescription: <text>Система электронного документооборота</text>",
        "",
    ]
    rels = ["Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-product"]
    for name, version, sup, lic in CYR:
        sid = f"SPDXRef-pkg-{name}"
        lines += [
            f"PackageName: {name}",
            f"SPDXID: {sid}",
            f"PackageVersion: {version}",
            f"PackageSupplier: {sup}",
            "PackageDownloadLocation: NOASSERTION",
            "FilesAnalyzed: false",
            f"PackageChecksum: SHA256: {sha256(name, version)}",
            f"PackageLicenseConcluded: {lic}",
            f"PackageLicenseDeclared: {lic}",
            "PackageCopyrightText: NOASSERTION",
            f"ExternalRef: PACKAGE-MANAGER purl pkg:generic/{name}@{version}",
            "",
        ]
        rels.append(f"Relationship: SPDXRef-product DEPENDS_ON {sid}")
    lines += [
        "PackageName: kesl",
        "SPDXID: SPDXRef-pkg-kesl",
        "PackageVersion: 11.4.0.4780",
        "PackageSupplier: Organization: АО «Лаборатория Касперского»",
        "PackageDownloadLocation: NOASSERTION",
        "FilesAnalyzed: false",
        f"PackageChecksum: SHA256: {sha256('kesl', '11.4.0.4780')}",
        "PackageLicenseConcluded: LicenseRef-KESL-EULA",
        "PackageLicenseDeclared: LicenseRef-KESL-EULA",
        "PackageCopyrightText: NOASSERTION",
        "PackageDescription: <text>Защита файлового хранилища документов</text>",
        "ExternalRef: PACKAGE-MANAGER purl pkg:deb/astra/kesl@11.4.0.4780",
        "",
    ]
    rels += [
        "Relationship: SPDXRef-product DEPENDS_ON SPDXRef-pkg-kesl",
        "Relationship: SPDXRef-pkg-django DEPENDS_ON SPDXRef-pkg-python3",
        "Relationship: SPDXRef-pkg-celery DEPENDS_ON SPDXRef-pkg-redis",
        "Relationship: SPDXRef-pkg-nginx DEPENDS_ON SPDXRef-pkg-openssl",
        "Relationship: SPDXRef-pkg-python3 DEPENDS_ON SPDXRef-pkg-openssl",
        "Relationship: SPDXRef-pkg-libxml2 DEPENDS_ON SPDXRef-pkg-zlib",
    ]
    write("cyrillic-supplier.spdx", "\n".join(lines + rels) + "\n")


# --- (6) clean product, CycloneDX JSON ---------------------------------------------------------

PYPI = [
    (
        "fastapi",
        "0.115.6",
        "MIT",
        "Sebastián Ramírez",
        ["starlette", "pydantic", "typing-extensions"],
    ),
    ("starlette", "0.41.3", "BSD-3-Clause", "Encode OSS Ltd.", ["anyio"]),
    ("anyio", "4.7.0", "MIT", "Alex Grönholm", ["idna", "sniffio"]),
    ("idna", "3.10", "BSD-3-Clause", "Kim Davies", []),
    ("sniffio", "1.3.1", "MIT OR Apache-2.0", "Nathaniel J. Smith", []),
    (
        "pydantic",
        "2.10.4",
        "MIT",
        "Pydantic Services Inc.",
        ["pydantic-core", "annotated-types", "typing-extensions"],
    ),
    ("pydantic-core", "2.27.2", "MIT", "Pydantic Services Inc.", ["typing-extensions"]),
    ("annotated-types", "0.7.0", "MIT", "Adrian Garcia Badaracco", []),
    ("typing-extensions", "4.12.2", "PSF-2.0", "Python Software Foundation", []),
    ("uvicorn", "0.34.0", "BSD-3-Clause", "Encode OSS Ltd.", ["click", "h11"]),
    ("click", "8.1.8", "BSD-3-Clause", "Pallets", []),
    ("h11", "0.14.0", "MIT", "Nathaniel J. Smith", []),
    ("sqlalchemy", "2.0.36", "MIT", "Mike Bayer", ["greenlet", "typing-extensions"]),
    ("greenlet", "3.1.1", "MIT", "Alexey Borzenkov", []),
    ("psycopg", "3.2.3", "LGPL-3.0-only", "Daniele Varrazzo", ["typing-extensions"]),
    ("alembic", "1.14.0", "MIT", "Mike Bayer", ["sqlalchemy", "mako"]),
    ("mako", "1.3.8", "MIT", "Mike Bayer", ["markupsafe"]),
    ("markupsafe", "3.0.2", "BSD-3-Clause", "Pallets", []),
    (
        "httpx",
        "0.28.1",
        "BSD-3-Clause",
        "Encode OSS Ltd.",
        ["anyio", "certifi", "httpcore", "idna"],
    ),
    ("httpcore", "1.0.7", "BSD-3-Clause", "Encode OSS Ltd.", ["certifi", "h11"]),
    ("certifi", "2024.12.14", "MPL-2.0", "Kenneth Reitz", []),
    (
        "cryptography",
        "44.0.0",
        "Apache-2.0 OR BSD-3-Clause",
        "Python Cryptographic Authority",
        ["cffi"],
    ),
    ("cffi", "1.17.1", "MIT", "Armin Rigo", ["pycparser"]),
    ("pycparser", "2.22", "BSD-3-Clause", "Eli Bendersky", []),
    ("pyjwt", "2.10.1", "MIT", "José Padilla", []),
    ("passlib", "1.7.4", "BSD-3-Clause", "Eli Collins", []),
    ("redis", "5.2.1", "MIT", "Redis Inc.", []),
    ("celery", "5.4.0", "BSD-3-Clause", "Ask Solem", ["kombu", "billiard", "vine", "click"]),
    ("kombu", "5.4.2", "BSD-3-Clause", "Ask Solem", ["vine", "amqp"]),
    ("amqp", "5.3.1", "BSD-3-Clause", "Barry Pederson", ["vine"]),
    ("vine", "5.1.0", "BSD-3-Clause", "Ask Solem", []),
    ("billiard", "4.2.1", "BSD-3-Clause", "Ask Solem", []),
    ("clamd", "1.0.2", "LGPL-2.1-only", "Thomas Grainger", []),
    ("yara-python", "4.5.1", "Apache-2.0", "VirusTotal", []),
    ("python-magic", "0.4.27", "MIT", "Adam Hupp", []),
    ("structlog", "24.4.0", "MIT OR Apache-2.0", "Hynek Schlawack", []),
]
CLEAN_DIRECT = [
    "fastapi",
    "uvicorn",
    "sqlalchemy",
    "psycopg",
    "alembic",
    "httpx",
    "cryptography",
    "pyjwt",
    "passlib",
    "redis",
    "celery",
    "clamd",
    "yara-python",
    "python-magic",
    "structlog",
]


def clean_product() -> None:
    comps = []
    refs = {}
    for name, version, lic, sup, _ in PYPI:
        purl = f"pkg:pypi/{name}@{version}"
        refs[name] = purl
        comp = cdx_component(name, version, lic, sup, purl)
        comp["hashes"] = [{"alg": "SHA-256", "content": sha256(name, version)}]
        comp["externalReferences"] = [
            {"type": "distribution", "url": f"https://pypi.org/project/{name}/{version}/"}
        ]
        comps.append(comp)
    comps.append(
        {
            "type": "application",
            "bom-ref": "clamav",
            "supplier": {"name": "Cisco Systems, Inc."},
            "name": "clamav",
            "version": "1.4.1",
            "description": "Open-source anti-virus engine used through clamd",
            "hashes": [{"alg": "SHA-256", "content": sha256("clamav", "1.4.1")}],
            "licenses": [{"license": {"id": "GPL-2.0-only"}}],
            "purl": "pkg:deb/debian/clamav@1.4.1",
            "cpe": "cpe:2.3:a:clamav:clamav:1.4.1:*:*:*:*:*:*:*",
        }
    )
    root = "pkg:oci/acme-upload-scanner@sha256:" + sha256("acme-upload-scanner", "1.8.0")
    deps = [{"ref": root, "dependsOn": [refs[n] for n in CLEAN_DIRECT] + ["clamav"]}]
    for name, _, _, _, ds in PYPI:
        deps.append({"ref": refs[name], "dependsOn": [refs[d] for d in ds]})
    deps.append({"ref": refs["clamd"], "dependsOn": ["clamav"]})
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": "urn:uuid:0d4f8e2a-7c3b-4a19-9e6d-5f1a2b3c4d5e",
        "version": 3,
        "metadata": {
            "timestamp": TS,
            "component": {
                "type": "container",
                "bom-ref": root,
                "name": "acme-upload-scanner",
                "version": "1.8.0",
                "supplier": {"name": "Acme Corp"},
                "purl": root,
            },
        },
        "components": comps,
        "dependencies": deps,
        "compositions": [{"aggregate": "complete", "assemblies": [root]}],
    }
    write("clean-product.cdx.json", dump(bom))


# --- (7) look-alikes, CycloneDX JSON -----------------------------------------------------------


def lookalikes() -> None:
    rows = [
        # name, version, supplier, purl, description, licence
        (
            "kasperskytip",
            "0.2.1",
            "Independent developer",
            "pkg:pypi/kasperskytip@0.2.1",
            "Unofficial client for the Kaspersky Threat Intelligence Portal API",
            "MIT",
        ),
        (
            "casperjs",
            "1.1.4",
            "Nicolas Perriault",
            "pkg:npm/casperjs@1.1.4",
            "Navigation scripting and testing utility for PhantomJS",
            "MIT",
        ),
        (
            "kaspa",
            "0.15.2",
            "Kaspa developers",
            "pkg:cargo/kaspa-consensus@0.15.2",
            "Kaspa BlockDAG consensus library",
            "ISC",
        ),
        (
            "kasper",
            "0.3.0",
            "Kasper Jensen",
            "pkg:pypi/kasper@0.3.0",
            "Small templating helpers",
            "BSD-3-Clause",
        ),
        (
            "Casper",
            "2.0.0",
            "Casper Labs",
            "pkg:npm/casper-js-sdk@2.0.0",
            "SDK for the Casper network",
            "Apache-2.0",
        ),
        (
            "UltraAV",
            "1.0.0.1184",
            "Pango Group",
            None,
            "Antivirus installed for former Kaspersky Anti-Virus users in September 2024",
            "LicenseRef-UltraAV-EULA",
        ),
        ("UltraVPN", "2.3.1", "Pango Group", None, "VPN client", "LicenseRef-UltraVPN-EULA"),
        ("Hotspot Shield", "12.1.0", "Pango Group", None, "VPN client", "LicenseRef-Pango-EULA"),
        (
            "lodash",
            "4.17.21",
            "OpenJS Foundation",
            "pkg:npm/lodash@4.17.21",
            "Lodash modular utilities",
            "MIT",
        ),
        (
            "requests",
            "2.32.3",
            "Kenneth Reitz",
            "pkg:pypi/requests@2.32.3",
            "HTTP for humans",
            "Apache-2.0",
        ),
        (
            "urllib3",
            "2.3.0",
            "Andrey Petrov",
            "pkg:pypi/urllib3@2.3.0",
            "HTTP library with thread-safe connection pooling",
            "MIT",
        ),
        (
            "phantomjs-prebuilt",
            "2.1.16",
            "Dave Lee",
            "pkg:npm/phantomjs-prebuilt@2.1.16",
            "Headless WebKit with JavaScript API",
            "Apache-2.0",
        ),
    ]
    comps = []
    for name, version, sup, purl, desc, lic in rows:
        ref = purl or f"{name.lower()}@{version}"
        comp: dict[str, Any] = {
            "type": "library" if purl else "application",
            "bom-ref": ref,
            "supplier": {"name": sup},
            "name": name,
            "version": version,
            "description": desc,
            "hashes": [{"alg": "SHA-256", "content": sha256(name, version)}],
            "licenses": [
                {"license": {"id": lic}}
                if not lic.startswith("LicenseRef")
                else {"license": {"name": lic}}
            ],
        }
        if purl:
            comp["purl"] = purl
        comps.append(comp)
    root = "acme-threat-dashboard"
    deps = [
        {"ref": root, "dependsOn": [c["bom-ref"] for c in comps[:8]]},
        {"ref": "pkg:pypi/kasperskytip@0.2.1", "dependsOn": ["pkg:pypi/requests@2.32.3"]},
        {"ref": "pkg:pypi/requests@2.32.3", "dependsOn": ["pkg:pypi/urllib3@2.3.0"]},
        {
            "ref": "pkg:npm/casperjs@1.1.4",
            "dependsOn": ["pkg:npm/phantomjs-prebuilt@2.1.16", "pkg:npm/lodash@4.17.21"],
        },
    ]
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": "urn:uuid:7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
        "version": 1,
        "metadata": {
            "timestamp": TS,
            "component": {
                "type": "application",
                "bom-ref": root,
                "name": "acme-threat-dashboard",
                "version": "0.9.0",
                "supplier": {"name": "Acme Corp"},
            },
        },
        "components": comps,
        "dependencies": deps,
    }
    write("lookalikes.cdx.json", dump(bom))


def main() -> None:
    direct_dependency()
    appliance()
    sdk_three_levels()
    linked_cyclonedx()
    linked_spdx()
    cyrillic_supplier()
    clean_product()
    lookalikes()


if __name__ == "__main__":
    main()
