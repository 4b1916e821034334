"""Issue 12's families: scripts without spaces, Unicode look-alikes, marks, transliterations,
citations and packages. Positive and negative cases, both gate searches."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from sbomcheck.findings import Confidence
from sbomcheck.identify import Match, identify, load_catalogue
from sbomcheck.ingest import load_bytes
from sbomcheck.json_form import json_form
from sbomcheck.model import ExternalReference, FileEntry, Party, Property
from tests.identify.test_matcher import comp, doc, fields, match1

CAT = load_catalogue()
DATA = Path(__file__).parent / "data"

pytestmark = pytest.mark.usefixtures("gate_search")


def confidence(c: Any) -> Confidence | None:
    m = match1(c)
    return m.confidence if m else None


# --- scripts without spaces -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "alias"),
    [
        ("卡巴斯基实验室", "卡巴斯基实验室"),
        ("卡巴斯基安全网络客户端", "卡巴斯基安全网络"),  # the KSN row, inside a longer word
        ("使用卡巴斯基引擎的网关", "卡巴斯基"),
        ("株式会社カスペルスキー製品", "カスペルスキー"),
        ("ｶｽﾍﾟﾙｽｷｰ", "カスペルスキー"),  # half-width katakana, NFKC
        ("카스퍼스키의 보안 엔진", "카스퍼스키"),  # Korean particle attached
        ("카스퍼스키 랩", "카스퍼스키랩"),  # written with a space
        ("Acme卡巴斯基Edition", "卡巴斯基"),  # mixed with Latin, no spaces
    ],
)
def test_cjk_aliases_are_found_inside_longer_text(name: str, alias: str) -> None:
    m = match1(comp(name=name))
    assert m is not None and m.confidence is Confidence.LIKELY
    assert m.evidence[0].alias == alias and m.evidence[0].method == "exact"


def test_ksn_in_chinese_is_the_product() -> None:
    m = match1(comp(name="卡巴斯基安全网络"))
    assert m is not None and m.canonical == "Kaspersky Security Network (KSN)"


@pytest.mark.parametrize(
    ("party", "expected"),
    [
        (Party(name="株式会社カスペルスキー"), Confidence.CONFIRMED),  # legal form + entity
        (Party(name="カスペルスキー株式会社"), Confidence.CONFIRMED),
        (Party(name="卡巴斯基实验室有限公司"), Confidence.CONFIRMED),
        (Party(name="주식회사 카스퍼스키랩"), Confidence.CONFIRMED),
        (Party(name="卡巴斯基", kind="organization"), Confidence.CONFIRMED),
        # a person named after the founder, or the brand inside a longer name
        (Party(name="ユージン・カスペルスキー", kind="person"), Confidence.POSSIBLE),
        (Party(name="尤金·卡巴斯基"), Confidence.POSSIBLE),
        (Party(name="카스퍼스키 코리아 파트너"), Confidence.POSSIBLE),
    ],
    ids=lambda v: v.name if isinstance(v, Party) else str(v),
)
def test_cjk_party_values_follow_the_whole_value_rule(party: Party, expected: Confidence) -> None:
    assert confidence(comp(supplier=party)) is expected


@pytest.mark.parametrize(
    "name",
    [
        "卡巴",
        "斯基实验室",
        "巴斯基",
        "カスペル",
        "スキー場",
        "카스",
        "스키 리조트",
        "株式会社テスト",
    ],
)
def test_parts_of_cjk_names_give_no_finding(name: str) -> None:
    assert match1(comp(name=name, description=name)) is None


# --- look-alike letters from Unicode's confusables data -----------------------------------------


def _brand_lookalikes() -> list[tuple[int, str]]:
    """(position, character) for every single-letter look-alike of "kaspersky" that the
    stored subset of Unicode's confusables.txt lists (either case of the letter)."""
    out: list[tuple[int, str]] = []
    for line in (DATA / "confusables-kaspersky.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        src, tgt = (f.strip() for f in line.split("#", 1)[0].split(";")[:2])
        if " " in src:
            continue
        ch, letter = chr(int(src, 16)), chr(int(tgt, 16)).casefold()
        if ch.isascii():
            continue
        out += [(k, ch) for k, x in enumerate("kaspersky") if x == letter]
    return out


_LOOKALIKES = _brand_lookalikes()


def test_the_stored_confusables_subset_is_unicodes() -> None:
    head = (DATA / "confusables-kaspersky.txt").read_text(encoding="utf-8")
    assert "# Version: 17.0.0" in head and "# Date: 2025-07-22" in head
    assert len(_LOOKALIKES) > 400


def test_every_single_letter_lookalike_of_the_brand_is_found() -> None:
    # One document with one component per variant: the gate and the matchers see them all.
    comps = [
        comp(f"v{i}", name="kaspersky"[:k] + ch + "kaspersky"[k + 1 :] + " agent")
        for i, (k, ch) in enumerate(_LOOKALIKES)
    ]
    found = {m.component.ref: m for m in identify([doc(*comps)], CAT)}
    missed = [
        (k, f"U+{ord(ch):04X}", unicodedata.name(ch, "?"))
        for i, (k, ch) in enumerate(_LOOKALIKES)
        if f"v{i}" not in found
    ]
    assert missed == []
    for i, (_, ch) in enumerate(_LOOKALIKES):
        # NFKC already makes mathematical and full-width letters plain ASCII: exact
        nfkc_ascii = unicodedata.normalize("NFKC", ch).isascii()
        m = found[f"v{i}"]
        assert m.evidence[0].method == ("exact" if nfkc_ascii else "lookalike"), hex(ord(ch))
    assert {m.confidence for m in found.values()} == {Confidence.LIKELY}


@pytest.mark.parametrize(
    "name",
    ["Ꮶaspersky", "ꓗaspersky", "kɑspersky", "ᏦᎪᏚᏢᎬᎡᏚᏦᎩ", "KАSPЕRSКY"],  # Cherokee word; Cyrillic К
)
def test_named_lookalikes(name: str) -> None:
    m = match1(comp(name=name))
    assert m is not None and fields(m) == [("name", "Kaspersky", "entity", "lookalike")]


@pytest.mark.parametrize(
    "name",
    [
        "cаsper",  # Cyrillic а in another word
        "Касперыч",  # a Russian word: transliterated, not folded
        "kɑsper-tools",
        "ρяσxу",  # look-alikes that spell nothing in the catalogue
        "αντιβίωση",
    ],
)
def test_lookalike_folding_adds_no_other_match(name: str) -> None:
    assert match1(comp(name=name)) is None


def test_cyrillic_words_are_still_transliterated() -> None:
    m = match1(comp(supplier=Party(name="АО «Лаборатория Касперского»")))
    assert m is not None and m.confidence is Confidence.CONFIRMED
    m = match1(comp(name="Касперский Антивирус"))
    assert m is not None and m.evidence[0].method == "transliterated"


# --- accents and combining marks ------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Kasperský",
        "Kaspérsky",
        "K\u0308aspersky",  # combining diaeresis, no precomposed form
        "Kaspe\u0301rsky",  # combining acute, composes to é under NFKC
        "Kaşpersky",
        "ḰÀSPÊRSKŸ",
    ],
)
def test_marks_are_removed_before_comparing(name: str) -> None:
    m = match1(comp(name=name))
    assert m is not None and m.confidence is Confidence.LIKELY
    assert fields(m) == [("name", "Kaspersky", "entity", "normalized")]


def _accented_letters() -> list[tuple[int, str]]:
    """(position, character) for every BMP letter that is a letter of "kaspersky" plus
    combining marks (NFD), in either case: `ķ`, `Ŝ`, `ÿ`, ..."""
    out: list[tuple[int, str]] = []
    for cp in range(0x80, 0x10000):
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if len(base) == 1 and base.casefold() in "kaspersky" and base != ch:
            out += [(k, ch) for k, x in enumerate("kaspersky") if x == base.casefold()]
    return out


def test_every_accented_letter_of_the_brand_is_found() -> None:
    variants = _accented_letters()
    assert len(variants) > 150
    comps = [
        comp(f"v{i}", name="kaspersky"[:k] + ch + "kaspersky"[k + 1 :])
        for i, (k, ch) in enumerate(variants)
    ]
    found = {m.component.ref for m in identify([doc(*comps)], CAT)}
    assert [hex(ord(ch)) for i, (_, ch) in enumerate(variants) if f"v{i}" not in found] == []


def test_accented_entity_in_a_party_field_is_likely_not_confirmed() -> None:
    m = match1(comp(supplier=Party(name="Kasperský Lab")))
    assert m is not None and m.confidence is Confidence.LIKELY


@pytest.mark.parametrize("name", ["Käsper", "Kaspersköy", "kasperskyé-tools", "Kasparský"])
def test_accented_other_words_give_no_finding(name: str) -> None:
    assert match1(comp(name=name)) is None


# --- transliterations -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Kasperskiy", "Kasperskij", "Kasperskii", "KASPERSKYI"])
def test_latin_spellings_of_the_surname_ending(name: str) -> None:
    m = match1(comp(name=f"{name} Anti-Virus"))
    assert m is not None and m.canonical == "Kaspersky Anti-Virus (KAV)"
    assert m.evidence[0].method == "transliterated"


@pytest.mark.parametrize(
    "supplier",
    [
        "Laboratoriya Kasperskogo",
        "Laboratoria Kasperskogo",
        "Laboratoriia Kasperskogo",
        "AO Laboratoriya Kasperskogo",
        "ZAO Laboratoriia Kasperskogo",
        "Laboratorija Kasperskovo",
        "Kasperskiy Lab",
        "Kasperskij Lab ZAO",
    ],
)
def test_transliterated_legal_names_are_likely_in_a_party_field(supplier: str) -> None:
    m = match1(comp(supplier=Party(name=supplier)))
    assert m is not None and m.confidence is Confidence.LIKELY
    assert m.evidence[0].method == "transliterated"


@pytest.mark.parametrize(
    "party",
    [
        Party(name="Jan Kasperski"),
        Party(name="Anna Kasperski", kind="person"),
        Party(raw="Person: Anna Kasperski"),
        Party(name="Kasperski"),
        Party(name="Kasperski", kind="organization"),
        Party(name="Tomasz Kasperski (tk@example.pl)"),
    ],
    ids=lambda p: p.name or p.raw or "",
)
def test_the_polish_surname_is_never_more_than_possible(party: Party) -> None:
    m = match1(comp(name="kasperski-utils", supplier=party, authors=(party,)))
    assert m is not None and m.confidence is Confidence.POSSIBLE
    assert all("Kasperski" in e.note for e in m.evidence)


def test_kasperski_alone_is_possible_with_the_reason() -> None:
    m = match1(comp(name="Kasperski"))
    assert m is not None and m.confidence is Confidence.POSSIBLE
    (e,) = m.evidence
    assert e.method == "transliterated" and "surname" in e.note


def test_kasperski_with_company_words_counts_like_other_spellings() -> None:
    m = match1(comp(supplier=Party(name="Kasperski Lab")))
    assert m is not None and m.confidence is Confidence.LIKELY
    assert m.evidence[0].note == ""


def test_kasperski_next_to_real_evidence_does_not_hide_it() -> None:
    m = match1(comp(name="Kaspersky Endpoint Security", supplier=Party(name="Jan Kasperski")))
    assert m is not None and m.confidence is Confidence.LIKELY


@pytest.mark.parametrize(
    "name", ["Kowalski", "Kasparov", "kasperskite", "Kasper Ski Club", "laboratoria medica"]
)
def test_other_slavic_and_latin_words_give_no_finding(name: str) -> None:
    assert match1(comp(name=name, supplier=Party(name=name))) is None


# --- citing is not containing ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref_type", "url"),
    [
        ("advisories", "https://securelist.com/operation-triangulation/109842/"),
        ("vulnerability-assertion", "https://www.kaspersky.com/about/press-releases/x"),
        ("threat-model", "https://ics-cert.kaspersky.com/publications/reports/"),
        ("exploitability-statement", "https://support.kaspersky.com/vulnerability"),
        ("SECURITY/advisory", "https://ics-cert.kaspersky.com/advisories/klcert-21-001/"),
        ("SECURITY/fix", "https://securelist.com/patch/"),
        ("securityAdvisory", "https://securelist.ru/x/"),
        ("website", "https://securelist.com/apt-report/"),  # research host, any non-source type
        ("documentation", "https://www.kaspersky.com/blog/triangulation/"),
        ("other", "https://media.kaspersky.com/en/business-security/report.pdf"),
    ],
)
def test_a_reference_citing_kaspersky_research_is_only_possible(ref_type: str, url: str) -> None:
    ref = ExternalReference(type=ref_type, url=url)
    m = match1(comp(name="apt-yara-rules", external_references=(ref,)))
    assert m is not None and m.confidence is Confidence.POSSIBLE
    (e,) = m.evidence
    assert e.note.startswith("cited, not contained")


def test_citations_in_several_fields_do_not_add_up_to_likely() -> None:
    # Before: the advisory URL alone was likely, and with the description it stayed likely.
    c = comp(
        name="sigma-apt-rules",
        description="Detection rules written from public reports by Kaspersky and others.",
        external_references=(
            ExternalReference(type="advisories", url="https://securelist.com/a/"),
            ExternalReference(type="threat-model", url="https://securelist.com/b/"),
            ExternalReference(
                type="website",
                url="https://github.com/acme/rules",
                comment="As reported by Kaspersky Lab",
            ),
        ),
    )
    m = match1(c)
    assert m is not None and m.confidence is Confidence.POSSIBLE
    assert all(e.note.startswith("cited, not contained") for e in m.evidence)


@pytest.mark.parametrize(
    "text",
    [
        "rules written from public reports by Kaspersky and others",
        "as reported by Kaspersky Lab",
        "According to Kaspersky, the implant uses TriangleDB",
        "IOCs from Kaspersky's report on Operation Triangulation",
        "Kaspersky researchers described the loader",
        "credits to Kaspersky GReAT",
    ],
)
def test_descriptions_that_cite_kaspersky_are_marked(text: str) -> None:
    m = match1(comp(name="iocs", description=text, licenses=("Kaspersky",)))
    assert m is not None and m.confidence is Confidence.POSSIBLE  # licence + citation: not two
    cited = [e for e in m.evidence if e.field == "description"]
    assert cited and cited[0].note.startswith("cited, not contained")


def test_a_description_that_does_not_cite_still_adds_up() -> None:
    m = match1(comp(name="av", description="Bundles the Kaspersky engine", licenses=("Kaspersky",)))
    assert m is not None and m.confidence is Confidence.LIKELY


@pytest.mark.parametrize(
    "ref_type", ["distribution", "vcs", "SOURCE/download", "distribution-intake"]
)
def test_research_host_as_the_source_of_the_component_still_counts(ref_type: str) -> None:
    ref = ExternalReference(type=ref_type, url="https://securelist.com/files/triangle_check.zip")
    m = match1(comp(name="x", external_references=(ref,)))
    assert m is not None and m.confidence is Confidence.LIKELY and m.evidence[0].note == ""


def test_a_kaspersky_product_that_cites_research_is_still_confirmed() -> None:
    c = comp(
        name="Kaspersky Endpoint Security",
        supplier=Party(name="AO Kaspersky Lab"),
        external_references=(ExternalReference(type="advisories", url="https://securelist.com/x"),),
    )
    m = match1(c)
    assert m is not None and m.confidence is Confidence.CONFIRMED


def test_the_note_reaches_the_json_evidence() -> None:
    ref = ExternalReference(type="advisories", url="https://securelist.com/x")
    m = match1(comp(name="rules", external_references=(ref,)))
    assert m is not None
    out = json_form(m.evidence[0])
    assert out["note"].startswith("cited, not contained: an external reference of type")
    m2 = match1(comp(name="KasperskyOS"))
    assert m2 is not None and json_form(m2.evidence[0])["note"] == ""


# --- packages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("purl", "alias"),
    [
        ("pkg:deb/debian/kesl@12.1.0.1297?arch=amd64&distro=debian-12", "deb:kesl"),
        ("pkg:deb/ubuntu/kesl@11.4.0", "deb:kesl"),
        ("pkg:deb/astra/kesl", "deb:kesl"),
        ("pkg:rpm/redhat/kesl@12.1.0-1297?arch=x86_64", "rpm:kesl"),
        ("pkg:rpm/rocky/klnagent64@15.1.0-20748?arch=x86_64&distro=rocky-9.4", "rpm:klnagent64"),
        ("pkg:deb/debian/klnagent64@15.1.0-20748?arch=arm64", "deb:klnagent64"),
    ],
)
def test_package_rows_match_purls_of_their_type_in_any_distro(purl: str, alias: str) -> None:
    m = match1(comp(name="x", purl=purl))
    assert m is not None and m.confidence is Confidence.CONFIRMED
    assert ("purl", alias, "package", "exact") in fields(m)


@pytest.mark.parametrize(
    "c",
    [
        comp(name="kesl", purl="pkg:npm/kesl@1.0.0"),  # another ecosystem
        comp(name="kesl-utils", purl="pkg:deb/debian/kesl-utils@1"),
        comp(name="kesl", properties=(Property(name="syft:package:type", value="python"),)),
        comp(name="kesl", purl="pkg:apk/alpine/kesl@1"),  # no apk row
    ],
    ids=lambda c: c.purl or c.name,
)
def test_package_names_elsewhere_give_no_finding(c: Any) -> None:
    assert match1(c) is None


@pytest.mark.parametrize(
    ("prop", "value", "name", "alias"),
    [
        ("syft:package:type", "deb", "kesl", "deb:kesl"),
        ("syft:package:type", "rpm", "klnagent64", "rpm:klnagent64"),
        ("aquasecurity:trivy:PkgType", "debian", "kesl", "deb:kesl"),
        ("aquasecurity:trivy:PkgType", "ubuntu", "klnagent64", "deb:klnagent64"),
        ("aquasecurity:trivy:PkgType", "redhat", "kesl", "rpm:kesl"),
    ],
)
def test_a_declared_ecosystem_and_the_name_are_confirmed(
    prop: str, value: str, name: str, alias: str
) -> None:
    m = match1(comp(name=name, properties=(Property(name=prop, value=value),)))
    assert m is not None and m.confidence is Confidence.CONFIRMED
    assert ("name", alias, "package", "exact") in fields(m)


def test_a_bare_package_name_without_any_ecosystem_is_likely() -> None:
    m = match1(comp(name="kesl"))
    assert m is not None and m.confidence is Confidence.LIKELY
    assert fields(m) == [("name", "deb:kesl", "package", "exact")]


GUID = "{6B1E2A40-3F6C-4E8B-9A1D-2C7F5E4D3B21}"


def test_msi_upgrade_codes_match_in_properties_and_swid(tmp_path: Path) -> None:
    # A made-up code in a user row: the built-in catalogue carries no MSI codes yet.
    extra = tmp_path / "mine.csv"
    extra.write_text(
        "alias,kind,canonical,vendor,period,confidence,product_class,weak,source_url,note\n"
        f"msi:{GUID},package,Test Product,Kaspersky,,reported,security,no,https://e.org/,\n",
        encoding="utf-8",
    )
    cat = load_catalogue(extra)
    plain = GUID.strip("{}").lower()
    for c in (
        comp(name="Product", properties=(Property(name="msi:upgradeCode", value=GUID),)),
        comp(name="Product", properties=(Property(name="UpgradeCode", value=plain),)),
        comp(name="Product", swid_tag_id=f"regid.1995-08.com.example_{GUID}"),
    ):
        m = match1(c, cat)
        assert m is not None and m.confidence is Confidence.CONFIRMED
        assert m.canonical == "Test Product" and m.evidence[0].kind == "package"
    other = comp(
        name="Product", properties=(Property(name="UpgradeCode", value=GUID[:-3] + "99}"),)
    )
    assert match1(other, cat) is None


def _syft_cdx() -> dict[str, Any]:
    return {
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
        "version": 1,
        "metadata": {
            "timestamp": "2026-01-10T10:00:00Z",
            "tools": {
                "components": [
                    {
                        "type": "application",
                        "author": "anchore",
                        "name": "syft",
                        "version": "1.18.1",
                    }
                ]
            },
            "component": {
                "bom-ref": "img",
                "type": "container",
                "name": "registry.example/app-server",
                "version": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            },
        },
        "components": [
            {
                "bom-ref": f"pkg:deb/debian/{name}@{ver}?arch=amd64&distro=debian-12&package-id={k}",
                "type": "library",
                "name": name,
                "version": ver,
                "cpe": f"cpe:2.3:a:{name}:{name}:{ver}:*:*:*:*:*:*:*",
                "purl": f"pkg:deb/debian/{name}@{ver}?arch=amd64&distro=debian-12",
                "properties": [
                    {"name": "syft:package:foundBy", "value": "dpkg-db-cataloger"},
                    {"name": "syft:package:type", "value": "deb"},
                    {"name": "syft:location:0:path", "value": "/var/lib/dpkg/status"},
                ],
            }
            for k, (name, ver) in enumerate(
                [
                    ("libc6", "2.36-9+deb12u9"),
                    ("openssl", "3.0.15-1~deb12u1"),
                    ("kesl", "12.1.0.1297"),
                    ("zlib1g", "1:1.2.13.dfsg-1"),
                ]
            )
        ],
    }


def _trivy_cdx() -> dict[str, Any]:
    bom = _syft_cdx()
    bom["metadata"]["tools"] = {
        "components": [
            {"type": "application", "group": "aquasecurity", "name": "trivy", "version": "0.58.1"}
        ]
    }
    for c in bom["components"]:
        c["bom-ref"] = c["purl"].replace("distro=debian-12", "distro=debian-12.8")
        c["purl"] = c["bom-ref"]
        c.pop("cpe")
        c["properties"] = [
            {"name": "aquasecurity:trivy:PkgID", "value": f"{c['name']}@{c['version']}"},
            {"name": "aquasecurity:trivy:PkgType", "value": "debian"},
            {"name": "aquasecurity:trivy:SrcName", "value": c["name"]},
        ]
    return bom


def _spdx(tool: str, *, with_purl: bool) -> dict[str, Any]:
    packages: list[dict[str, Any]] = []
    for k, (name, ver) in enumerate(
        [("glibc", "2.34-100.el9"), ("klnagent64", "15.1.0-20748"), ("kesl", "12.1.0-1297")]
    ):
        pkg: dict[str, Any] = {
            "name": name,
            "SPDXID": f"SPDXRef-Package-rpm-{name}-{k}",
            "versionInfo": ver,
            "supplier": "NOASSERTION",
            "downloadLocation": "NOASSERTION",
            "filesAnalyzed": False,
            "licenseConcluded": "NOASSERTION",
            "licenseDeclared": "NOASSERTION",
            "copyrightText": "NOASSERTION",
        }
        if with_purl:
            pkg["externalRefs"] = [
                {
                    "referenceCategory": "PACKAGE-MANAGER",
                    "referenceType": "purl",
                    "referenceLocator": f"pkg:rpm/redhat/{name}@{ver}?arch=x86_64&distro=redhat-9.4",
                }
            ]
        packages.append(pkg)
    return {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "registry.example/app-server",
        "documentNamespace": f"https://example.org/spdx/{tool}/app-server-1",
        "creationInfo": {"created": "2026-01-10T10:00:00Z", "creators": [f"Tool: {tool}"]},
        "packages": packages,
        "relationships": [
            {
                "spdxElementId": "SPDXRef-DOCUMENT",
                "relationshipType": "DESCRIBES",
                "relatedSpdxElement": p["SPDXID"],
            }
            for p in packages
        ],
    }


@pytest.mark.parametrize(
    ("label", "bom", "expected"),
    [
        ("syft.cdx.json", _syft_cdx(), {"kesl": "deb:kesl"}),
        ("trivy.cdx.json", _trivy_cdx(), {"kesl": "deb:kesl"}),
        (
            "syft.spdx.json",
            _spdx("syft-1.18.1", with_purl=True),
            {"kesl": "rpm:kesl", "klnagent64": "rpm:klnagent64"},
        ),
        (
            "trivy.spdx.json",
            _spdx("trivy-0.58.1", with_purl=True),
            {"kesl": "rpm:kesl", "klnagent64": "rpm:klnagent64"},
        ),
    ],
)
def test_server_image_sboms_from_syft_and_trivy(
    label: str, bom: dict[str, Any], expected: dict[str, str]
) -> None:
    document = load_bytes(json.dumps(bom).encode(), key=label)
    found: list[Match] = identify([document], CAT)
    got = {m.component.name: m for m in found}
    assert set(got) == set(expected)
    for name, alias in expected.items():
        m = got[name]
        assert m.confidence is Confidence.CONFIRMED
        assert (m.evidence[0].field, m.evidence[0].alias, m.evidence[0].kind) == (
            "purl",
            alias,
            "package",
        )


def test_server_image_sbom_with_names_only_is_still_found() -> None:
    # An SPDX document that lists package names and nothing else: likely, not confirmed.
    document = load_bytes(
        json.dumps(_spdx("other", with_purl=False)).encode(), key="names.spdx.json"
    )
    got = {m.component.name: m.confidence for m in identify([document], CAT)}
    assert got == {"kesl": Confidence.LIKELY, "klnagent64": Confidence.LIKELY}


# --- the gate sees every new spelling ----------------------------------------------------------


def test_gate_lets_through_ascii_spellings_and_sends_the_rest_down_the_full_path() -> None:
    from sbomcheck.identify import matcher

    m = matcher._Matcher(CAT)
    elements = [
        comp("a", name="Kasperskiy"),
        comp("b", name="x", supplier=Party(name="ZAO Laboratoriia Kasperskogo")),
        comp("c", name="Kasperski"),
        comp("d", name="Kasperský"),  # not ASCII: the full path
        comp("e", name="zlib"),
        comp("f", name="kɑspersky"),
        comp("g", name="x", files=(FileEntry(name="usr/lib/卡巴斯基.so"),)),
        comp("h", name="x", purl="pkg:deb/debian/kesl@1"),
        comp("i", name="laboratory-tools"),
    ]
    assert matcher._candidates(m, elements) == [0, 1, 2, 3, 5, 6, 7]


def test_namespaced_package_types_keep_their_namespace(tmp_path: Path) -> None:
    # Made-up rows in a user file: the name as the package manager records it.
    extra = tmp_path / "mine.csv"
    extra.write_text(
        "alias,kind,canonical,vendor,period,confidence,product_class,weak,source_url,note\n"
        "docker:acme/scanner,package,Test image,Kaspersky,,reported,security,no,https://e.org/,\n"
        "maven:com.acme:scan-core,package,Test jar,Kaspersky,,reported,security,no,https://e.org/,\n"
        "pypi:Acme_Scan,package,Test wheel,Kaspersky,,reported,security,no,https://e.org/,\n",
        encoding="utf-8",
    )
    cat = load_catalogue(extra, replace=True)
    for purl, canonical in (
        ("pkg:docker/acme/scanner@sha256:abc?repository_url=registry.example", "Test image"),
        ("pkg:maven/com.acme/scan-core@1.2", "Test jar"),
        ("pkg:pypi/acme-scan@0.1", "Test wheel"),
    ):
        m = match1(comp(name="x", purl=purl), cat)
        assert m is not None and m.confidence is Confidence.CONFIRMED and m.canonical == canonical
    for purl in (
        "pkg:docker/other/scanner@1",
        "pkg:maven/com.other/scan-core@1",
        "pkg:npm/scanner",
    ):
        assert match1(comp(name="x", purl=purl), cat) is None


@pytest.mark.parametrize(
    "row",
    [
        "kesl,package",  # no type
        "deb:,package",  # no name
        "msi:not-a-guid,package",
        "DEB kesl,package",
    ],
)
def test_bad_package_aliases_are_refused(tmp_path: Path, row: str) -> None:
    from sbomcheck.errors import AliasTableError

    extra = tmp_path / "bad.csv"
    extra.write_text(
        "alias,kind,canonical,vendor,period,confidence,product_class,weak,source_url,note\n"
        f"{row},X,,,confirmed,security,no,https://e.org/,\n",
        encoding="utf-8",
    )
    with pytest.raises(AliasTableError, match="line 2: .*package alias"):
        load_catalogue(extra, replace=True)
