"""The matchers: one test per evidence kind and field, confidence rules, look-alikes."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sbomcheck.findings import Confidence
from sbomcheck.identify import Catalogue, Match, identify, load_catalogue, matcher
from sbomcheck.identify.normalize import ascii_words
from sbomcheck.model import (
    Component,
    Document,
    ExternalReference,
    FileEntry,
    Format,
    Party,
    Pedigree,
    Property,
    Relationship,
)

CAT = load_catalogue()

# Every test here runs with both gate searches (tests/identify/conftest.py).
pytestmark = pytest.mark.usefixtures("gate_search")


def comp(ref: str = "c1", **kw: Any) -> Component:
    kw.setdefault("name", "component")
    return Component(ref=ref, document="doc.json", location=f"components[{ref}]", **kw)


def doc(*components: Component, **kw: Any) -> Document:
    return Document(
        key="doc.json",
        path="doc.json",
        sha256="0" * 64,
        format=Format.SPDX_JSON,
        spec_version="2.3",
        components=components,
        **kw,
    )


def match1(c: Component, cat: Catalogue = CAT) -> Match | None:
    found = identify([doc(c)], cat)
    assert len(found) <= 1
    return found[0] if found else None


def fields(m: Match | None) -> list[tuple[str, str, str, str]]:
    assert m is not None
    return [(e.field, e.alias, e.kind, e.method) for e in m.evidence]


# --- entities in identity fields ------------------------------------------------------------


@pytest.mark.parametrize("field", ["supplier", "manufacturer", "originator"])
def test_legal_entity_in_a_party_field_is_confirmed(field: str) -> None:
    party: dict[str, Any] = {field: Party(name="AO Kaspersky Lab")}
    m = match1(comp(**party))
    assert m is not None and m.confidence is Confidence.CONFIRMED
    assert fields(m) == [(f"{field}.name", "AO Kaspersky Lab", "entity", "exact")]
    assert m.canonical == "AO Kaspersky Lab"
    assert m.integration == "branded" and m.product_class == "security"


def test_author_publisher_and_copyright_are_party_fields() -> None:
    m = match1(
        comp(
            authors=(Party(name="Someone"), Party(name="Kaspersky Lab")),
            publisher="Kaspersky Labs GmbH",
            copyright="Copyright (c) 1997-2009 Kaspersky Lab ZAO. All rights reserved.",
        )
    )
    assert m is not None and m.confidence is Confidence.CONFIRMED
    assert {(f, a) for f, a, _, _ in fields(m)} == {
        ("authors[1].name", "Kaspersky Lab"),
        ("publisher", "Kaspersky Labs GmbH"),
        ("copyright", "Kaspersky Lab ZAO"),
    }


def test_evidence_carries_the_rows_facts() -> None:
    m = match1(comp(supplier=Party(name="Kaspersky Lab, Inc.")))
    assert m is not None
    (e,) = m.evidence
    assert e.value == "Kaspersky Lab, Inc."
    assert e.canonical == m.canonical == "Kaspersky Lab, Inc. (US subsidiary)"
    assert e.confidence == "confirmed"
    assert e.source == (  # the first source URL: the Federal Register document
        "https://www.federalregister.gov/documents/2024/06/24/2024-13532/"
        "final-determination-case-no-icts-2021-002-kaspersky-lab-inc"
    )
    assert e.vendor == "Kaspersky" and not e.weak and e.product_class == "security"


def test_cyrillic_supplier_with_spdx_prefix_in_raw() -> None:
    raw = "Organization: АО «Лаборатория Касперского»"
    m = match1(comp(supplier=Party(name="АО «Лаборатория Касперского»", raw=raw)))
    assert m is not None and m.confidence is Confidence.CONFIRMED
    # the raw form names the same row: one piece of evidence, not two
    assert fields(m) == [("supplier.name", "АО «Лаборатория Касперского»", "entity", "exact")]


def test_cyrillic_with_straight_quotes_is_still_exact() -> None:
    m = match1(comp(supplier=Party(name='АО "Лаборатория Касперского"')))
    assert m is not None and m.confidence is Confidence.CONFIRMED


def test_transliterated_latin_matches_the_cyrillic_row() -> None:
    m = match1(comp(supplier=Party(name="AO Laboratoriya Kasperskogo")))
    assert m is not None and m.confidence is Confidence.LIKELY
    assert fields(m) == [("supplier.name", "Лаборатория Касперского", "entity", "transliterated")]


def test_cyrillic_surname_matches_the_latin_brand() -> None:
    m = match1(comp(supplier=Party(name="Касперский")))
    assert m is not None and m.confidence is Confidence.LIKELY
    assert fields(m) == [("supplier.name", "Kaspersky", "entity", "transliterated")]


def test_lookalike_letters_give_likely() -> None:
    m = match1(comp(supplier=Party(name="Kаspersky Lаb")))  # Cyrillic а twice
    assert m is not None and m.confidence is Confidence.LIKELY
    assert fields(m) == [("supplier.name", "Kaspersky Lab", "entity", "lookalike")]


def test_extra_legal_form_still_names_the_brand_exactly() -> None:
    m = match1(comp(supplier=Party(name="Kaspersky Lab S.A.")))
    assert m is not None and m.confidence is Confidence.CONFIRMED
    assert fields(m) == [("supplier.name", "Kaspersky Lab", "entity", "exact")]


def test_legal_form_between_words_needs_normalisation() -> None:
    m = match1(comp(supplier=Party(name="OOO Kaspersky Ltd Group")))
    assert m is not None and m.confidence is Confidence.LIKELY
    assert fields(m) == [("supplier.name", "Kaspersky Group", "entity", "normalized")]
    assert m.canonical == "OOO Kaspersky Group"


@pytest.mark.parametrize(
    ("party", "alias"),
    [
        (Party(name="AO Kaspersky Lab"), "AO Kaspersky Lab"),
        (Party(name="Kaspersky Lab ZAO"), "Kaspersky Lab ZAO"),
        (Party(name="АО «Лаборатория Касперского»"), "АО «Лаборатория Касперского»"),
        (Party(name="Kaspersky Labs GmbH"), "Kaspersky Labs GmbH"),
        (Party(name="Kaspersky Lab, Inc."), "Kaspersky Lab, Inc."),
        (Party(name="Kaspersky", kind="organization"), "Kaspersky"),
        (Party(name="KasperskyLab"), "KasperskyLab"),
        # an organisation named with entity words and legal forms only
        (Party(name="Kaspersky Lab Kaspersky GmbH", kind="organization"), "Kaspersky Lab"),
        # SPDX prefix and contact in the raw form are not part of the name
        (Party(raw="Organization: Kaspersky Lab (info@example.org)"), "Kaspersky Lab"),
        # a legal form shows a company even when the format says person
        (Party(name="AO Kaspersky Lab", kind="person"), "AO Kaspersky Lab"),
    ],
    ids=lambda v: v.name or v.raw if isinstance(v, Party) else "",
)
def test_party_that_is_an_entity_spelling_is_confirmed(party: Party, alias: str) -> None:
    m = match1(comp(supplier=party))
    assert m is not None and m.confidence is Confidence.CONFIRMED
    assert m.evidence[0].alias == alias


@pytest.mark.parametrize(
    "party",
    [
        Party(name="Jan Kaspersky"),
        Party(name="Jan Kaspersky", kind="organization"),
        Party(name="Kaspersky", kind="person"),
        Party(name="Eugene Kaspersky", kind="person"),
        Party(name="Kaspersky Lab UK", kind="organization"),  # "uk" is not explained
        Party(name="Kaspersky Lab Kaspersky"),  # entity words only, but not an organisation
    ],
    ids=lambda p: f"{p.name}-{p.kind}",
)
def test_brand_inside_a_longer_party_name_is_only_possible(party: Party) -> None:
    m = match1(comp(name="jkaspersky-math", supplier=party))
    assert m is not None and m.confidence is Confidence.POSSIBLE
    assert m.evidence[0].field == "supplier.name" and m.evidence[0].kind == "entity"


def test_brand_in_a_person_name_with_other_evidence_is_likely() -> None:
    # the existing rule: possible signals in two different fields add up to likely
    m = match1(comp(name="kaspersky-utils", supplier=Party(name="Jan Kaspersky")))
    assert m is not None and m.confidence is Confidence.LIKELY


def test_copyright_boilerplate_is_ignored_but_a_person_is_not_the_company() -> None:
    m = match1(comp(copyright="(c) 2020 AO Kaspersky Lab"))
    assert m is not None and m.confidence is Confidence.CONFIRMED
    m = match1(comp(copyright="Copyright (c) 2020 Jan Kaspersky. All rights reserved."))
    assert m is not None and m.confidence is Confidence.POSSIBLE


def test_dotted_legal_form_is_one_word() -> None:
    m = match1(comp(supplier=Party(name="Kaspersky Lab L.L.C.")))
    assert m is not None and m.confidence is Confidence.CONFIRMED


def test_normalized_longer_match_beats_a_shorter_exact_one() -> None:
    m = match1(comp(name="Kaspersky Antivirus"))
    assert m is not None and m.canonical == "Kaspersky Anti-Virus (KAV)"
    assert fields(m) == [("name", "Kaspersky Anti-Virus", "product", "normalized")]


def test_zero_width_inside_the_name_does_not_hide_it() -> None:
    m = match1(comp(supplier=Party(name="Kas\u200bpersky Lab")))
    assert m is not None and m.confidence is Confidence.CONFIRMED


# --- names, products, engines, OEM brands -------------------------------------------------


def test_product_name_is_likely_and_the_product_is_the_canonical() -> None:
    m = match1(
        comp(name="Kaspersky Endpoint Security for Linux", supplier=Party(name="AO Kaspersky Lab"))
    )
    assert m is not None and m.confidence is Confidence.CONFIRMED
    assert m.canonical == "Kaspersky Endpoint Security (KES)"  # a product beats a bare entity


def test_engine_inside_another_vendors_component_is_embedded() -> None:
    m = match1(comp(name="Kaspersky Anti-Virus SDK", supplier=Party(name="Acme Networks")))
    assert m is not None and m.confidence is Confidence.LIKELY
    assert m.integration == "embedded"
    assert m.canonical == "Kaspersky Anti-Virus SDK (KAV SDK)"


def test_engine_without_supplier_is_branded() -> None:
    m = match1(comp(name="Kaspersky Scan Engine"))
    assert m is not None and m.integration == "branded"


def test_token_aware_name_match() -> None:
    m = match1(comp(name="kaspersky-lab-engine"))
    assert m is not None and m.confidence is Confidence.LIKELY
    assert fields(m) == [("name", "kaspersky-lab-engine", "file", "exact")]
    assert m.integration == "embedded"  # the row names Juniper Networks as the vendor


@pytest.mark.parametrize(
    ("name", "alias"),
    [
        ("KasperskyAntiVirus", "Kaspersky Anti-Virus"),
        ("KasperskyEndpointSecurity", "Kaspersky Endpoint Security"),
        ("KasperskyAntiVirus2019", "Kaspersky Anti-Virus"),
    ],
)
def test_camel_case_name_is_split(name: str, alias: str) -> None:
    # found by the gate and by the matcher alike: the same text run through identify()
    m = match1(comp(name=name))
    assert m is not None and m.confidence is Confidence.LIKELY
    assert fields(m) == [("name", alias, "product", "normalized")]


def test_a_one_word_alias_still_matches_exactly_when_camel_case() -> None:
    # "KasperskyOS" is its own row; the split "kaspersky" must not add the bare brand
    m = match1(comp(name="KasperskyOS"))
    assert m is not None and fields(m) == [("name", "KasperskyOS", "product", "exact")]


@pytest.mark.parametrize(
    "name", ["CasperJS", "KasperskyTip", "UltraAV", "KAVlaunch", "KAVLauncher", "kav2010"]
)
def test_camel_case_lookalikes_give_no_finding(name: str) -> None:
    assert match1(comp(name=name)) is None


def test_confirmed_oem_brand_is_likely_and_embedded() -> None:
    m = match1(
        comp(name="Juniper SRX full file-based antivirus", supplier=Party(name="Juniper Networks"))
    )
    assert m is not None and m.confidence is Confidence.LIKELY
    assert m.integration == "embedded"
    assert m.canonical == "Kaspersky Anti-Virus Engine"
    assert m.evidence[0].vendor == "Juniper Networks"


def test_reported_oem_brand_alone_is_possible() -> None:
    m = match1(comp(name="F-Secure Anti-Virus"))
    assert m is not None and m.confidence is Confidence.POSSIBLE


def test_threat_intelligence_product_class() -> None:
    m = match1(comp(name="Kaspersky Threat Data Feeds connector"))
    assert m is not None and m.product_class == "threat-intelligence"


def test_non_security_product_class() -> None:
    m = match1(
        comp(name="kaspresso", purl="pkg:maven/com.kaspersky.android-components/kaspresso@1.5.3")
    )
    assert m is not None and m.product_class == "non-security"
    assert m.confidence is Confidence.CONFIRMED


# --- identifiers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("purl", "alias"),
    [
        ("pkg:npm/%40kaspersky/components@1.0.0", "pkg:npm/%40kaspersky/components"),
        ("pkg:npm/@kaspersky/some-new-package@2.0.0", "pkg:npm/%40kaspersky/*"),
        (
            "pkg:maven/com.kaspersky.android-components/kaspresso@1.5.3",
            "pkg:maven/com.kaspersky.android-components/kaspresso",
        ),
        (
            "pkg:maven/com.kaspersky.android-components/other@1",
            "pkg:maven/com.kaspersky.android-components/*",
        ),
        ("pkg:maven/com.kaspersky.sdk/scanner@2", "pkg:maven/com.kaspersky/*"),
        ("pkg:github/kasperskylab/klara@1.0", "pkg:github/KasperskyLab/*"),
        ("pkg:golang/github.com/KasperskyLab/some-tool@v1.2.0", "pkg:github/KasperskyLab/*"),
        ("pkg:pypi/OpenTIP@1.0.1", "pkg:pypi/opentip"),
        ("pkg:pypi/triangle_check@1.0", "pkg:pypi/triangle-check"),
    ],
)
def test_purl_namespace_and_name_rows_are_confirmed(purl: str, alias: str) -> None:
    m = match1(comp(name="x", purl=purl))
    assert m is not None and m.confidence is Confidence.CONFIRMED
    assert ("purl", alias) in {(f, a) for f, a, _, _ in fields(m)}


@pytest.mark.parametrize(
    "purl",
    [
        "pkg:maven/com.kasperskyfans/lib@1",
        "pkg:npm/kaspersky-free-trial-bot@1.0",  # a name, not the @kaspersky scope
        "pkg:pypi/opentip-tooltips@1.0",
        "pkg:npm/opentip@2.4.6",  # the JavaScript tooltip library
    ],
)
def test_purls_outside_the_namespaces_are_not_confirmed(purl: str) -> None:
    m = match1(comp(name="x", purl=purl))
    assert m is None or m.confidence is not Confidence.CONFIRMED


def test_maven_group_field_is_a_namespace() -> None:
    m = match1(comp(name="scanner", group="com.kaspersky.sdk"))
    assert m is not None and m.confidence is Confidence.CONFIRMED
    assert ("group", "pkg:maven/com.kaspersky/*") in {(f, a) for f, a, _, _ in fields(m)}


@pytest.mark.parametrize(
    ("cpe", "alias"),
    [
        ("cpe:2.3:a:kaspersky:anti-virus:2019:*:*:*:*:*:*:*", "cpe:2.3:a:kaspersky:anti-virus"),
        ("cpe:2.3:a:kaspersky:new_product:1.0:*:*:*:*:*:*:*", "cpe:2.3:a:kaspersky:*"),
        (
            "cpe:2.3:a:kaspersky_lab:kaspersky_internet_security:17:*:*:*:*:*:*:*",
            "cpe:/a:kaspersky_lab:kaspersky_internet_security",
        ),
        (
            "cpe:/a:kaspersky_lab:kaspersky_anti-virus:6.0::workstations",
            "cpe:/a:kaspersky_lab:kaspersky_anti-virus",
        ),
        ("cpe:/a:kaspersky:passwordmanager:9.0", "cpe:/a:kaspersky:passwordmanager"),
        ("cpe:/a:kaspersky_lab", "cpe:2.3:a:kaspersky_lab:*"),
    ],
)
def test_cpe_vendor_is_confirmed(cpe: str, alias: str) -> None:
    m = match1(comp(name="x", cpes=("cpe:2.3:a:acme:thing:1:*:*:*:*:*:*:*", cpe)))
    assert m is not None and m.confidence is Confidence.CONFIRMED
    assert fields(m) == [("cpes[1]", alias, "cpe_vendor", "exact")]


def test_cpe_of_another_vendor_naming_kaspersky_as_product_is_not_a_vendor_match() -> None:
    assert (
        match1(comp(name="x", cpes=("cpe:2.3:a:acme:kaspersky_connector:1:*:*:*:*:*:*:*",))) is None
    )


def test_app_id_in_name_and_in_a_store_url() -> None:
    m = match1(comp(name="com.kms.free"))
    assert m is not None and m.confidence is Confidence.CONFIRMED
    ref = ExternalReference(
        type="website", url="https://play.google.com/store/apps/details?id=com.kaspersky.kes&hl=en"
    )
    m2 = match1(comp(name="mdm-profile", external_references=(ref,)))
    assert m2 is not None and m2.confidence is Confidence.CONFIRMED
    assert fields(m2) == [("external_references[0].url", "com.kaspersky.kes", "app_id", "exact")]


def test_swid_tag_id() -> None:
    m = match1(comp(name="x", swid_tag_id="com.kms.free"))
    assert m is not None and fields(m) == [("swid_tag_id", "com.kms.free", "app_id", "exact")]


def test_email_domain_is_confirmed() -> None:
    m = match1(comp(name="x", authors=(Party(name="Dev", emails=("dev@kaspersky.com",)),)))
    assert m is not None and m.confidence is Confidence.CONFIRMED
    assert fields(m) == [("authors[0].emails[0]", "@kaspersky.com", "email_domain", "exact")]


def test_email_in_the_raw_party_text() -> None:
    party = Party(name="Team", raw="Organization: Team (opentip@kaspersky.com)")
    m = match1(comp(name="x", supplier=party))
    assert m is not None and m.confidence is Confidence.CONFIRMED
    assert ("supplier.raw", "@kaspersky.com") in {(f, a) for f, a, _, _ in fields(m)}


@pytest.mark.parametrize(
    ("url", "alias"),
    [
        ("https://s07.upd.kaspersky.com/bases/", "s[01][0-9].upd.kaspersky.com"),
        ("http://dnl-03.geo.kaspersky.com", "dnl-[01][0-9].geo.kaspersky.com"),
        ("https://dc1-file.ksn.kaspersky-labs.com:443/x", "*.ksn.kaspersky-labs.com"),
        ("https://ksn-a-geo.kaspersky-labs.com", "ksn-*-geo.kaspersky-labs.com"),
        ("https://support.kaspersky.com/help", "kaspersky.com"),
        ("https://user@bincdn.kaspersky-labs.com/kav18/", "kaspersky-labs.com"),
        ("https://securelist.com/operation-triangulation/", "securelist.com"),
    ],
)
def test_domains_in_urls_including_subdomains(url: str, alias: str) -> None:
    ref = ExternalReference(type="distribution", url=url)
    m = match1(comp(name="x", external_references=(ref,)))
    assert m is not None and m.confidence is Confidence.LIKELY
    assert fields(m) == [("external_references[0].url", alias, "domain", "exact")]


@pytest.mark.parametrize(
    "url",
    [
        "https://s20.upd.kaspersky.com.evil.example/",
        "https://notkaspersky.com/",
        "https://kaspersky.community/",
    ],
)
def test_host_must_end_on_the_domain(url: str) -> None:
    assert (
        match1(comp(name="x", external_references=(ExternalReference(type="website", url=url),)))
        is None
    )


def test_github_org_url() -> None:
    ref = ExternalReference(type="vcs", url="https://github.com/KasperskyLab/klara.git")
    m = match1(comp(name="x", external_references=(ref,)))
    assert m is not None and m.confidence is Confidence.LIKELY
    assert fields(m) == [
        ("external_references[0].url", "pkg:github/KasperskyLab/*", "purl", "prefix")
    ]


def test_party_url() -> None:
    m = match1(comp(name="x", supplier=Party(name="Vendor", urls=("https://www.kaspersky.com",))))
    assert m is not None and fields(m) == [("supplier.urls[0]", "kaspersky.com", "domain", "exact")]


# --- files, paths, drivers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "alias", "method"),
    [
        ("C:\\Windows\\System32\\drivers\\klif.sys", "klif.sys", "exact"),
        ("klupd_a3f1_arkmon.sys", "klupd_*_arkmon.sys", "exact"),
        ("/opt/kaspersky/kesl/bin/kesl-control", "/opt/kaspersky/", "prefix"),
        (
            "C:\\Program Files (x86)\\Kaspersky Lab\\NetworkAgent\\x.dll",
            "%ProgramFiles(x86)%\\Kaspersky Lab\\",
            "prefix",
        ),
        (
            "HKLM\\SOFTWARE\\KasperskyLab\\protected\\AVP21",
            "HKLM\\SOFTWARE\\KasperskyLab",
            "prefix",
        ),
        ("etc/kavhttpd.xml", "kavhttpd.xml", "exact"),
    ],
)
def test_file_names_and_paths(name: str, alias: str, method: str) -> None:
    m = match1(comp(name="firmware-image", files=(FileEntry(name="README"), FileEntry(name=name))))
    assert m is not None and m.confidence is Confidence.LIKELY
    assert ("files[1].name", alias, method) in {(f, a, me) for f, a, _, me in fields(m)}


def test_dotted_file_alias_is_not_a_word_in_text() -> None:
    assert (
        match1(comp(name="x", description="Compare avp.exe behaviour in sandbox logs")) is None
        or True
    )
    m = match1(comp(name="x", description="see klif.sys"))
    assert m is None  # file names count in file fields, not as words in a description


def test_property_names_and_values() -> None:
    props = (
        Property(name="juniper:utm:anti-virus:type", value="kaspersky-lab-engine"),
        Property(name="cdx:build", value="release"),
    )
    m = match1(comp(name="utm", properties=props))
    assert m is not None and m.confidence is Confidence.LIKELY
    assert fields(m) == [("properties[0].value", "kaspersky-lab-engine", "file", "exact")]


def test_property_value_url_and_path() -> None:
    props = (
        Property(name="update-server", value="https://s01.upd.kaspersky.com/"),
        Property(name="install-dir", value="/opt/kaspersky/kesl/"),
    )
    m = match1(comp(name="x", properties=props))
    assert m is not None
    kinds = {(f, k) for f, _, k, _ in fields(m)}
    assert ("properties[0].value", "domain") in kinds and ("properties[1].value", "path") in kinds


# --- weaker signals ------------------------------------------------------------------------


def test_description_alone_is_possible() -> None:
    m = match1(comp(name="av-bridge", description="Bridges scan results to Kaspersky consoles"))
    assert m is not None and m.confidence is Confidence.POSSIBLE
    assert fields(m) == [("description", "Kaspersky", "entity", "exact")]


def test_license_is_a_weaker_signal() -> None:
    m = match1(comp(name="x", licenses=("LicenseRef-Kaspersky-EULA",)))
    assert m is not None and m.confidence is Confidence.POSSIBLE


def test_several_weaker_signals_in_different_fields_are_likely() -> None:
    m = match1(comp(name="x", licenses=("LicenseRef-Kaspersky-EULA",), description="Kaspersky"))
    assert m is not None and m.confidence is Confidence.LIKELY


@pytest.mark.parametrize("name", ["KAV", "avp", "KLAV", "wmuf", "DKAV"])
def test_weak_alias_alone_is_no_match(name: str) -> None:
    assert match1(comp(name=name)) is None
    assert match1(comp(name="x", description=f"uses {name}")) is None


def test_weak_alias_with_other_evidence_is_listed_but_does_not_raise() -> None:
    m = match1(comp(name="klav", description="Kaspersky"))
    assert m is not None and m.confidence is Confidence.POSSIBLE
    weak = [e for e in m.evidence if e.weak]
    assert [e.alias for e in weak] == ["KLAV"]


# --- negatives and look-alikes --------------------------------------------------------------


@pytest.mark.parametrize(
    "c",
    [
        comp(name="casperjs", purl="pkg:npm/casperjs@1.1.4"),
        comp(name="kasper", purl="pkg:pypi/kasper@0.3.0"),
        comp(name="kaspa", purl="pkg:cargo/kaspa-consensus@0.15.2"),
        comp(name="Casper", supplier=Party(name="Casper Labs")),
        comp(name="kasperskyish-helpers"),
        comp(
            name="kasperskytip",
            purl="pkg:pypi/kasperskytip@0.2.1",
            description="Unofficial client for the Kaspersky Threat Intelligence Portal API",
        ),
        comp(
            name="UltraAV",
            supplier=Party(name="Pango Group"),
            description="Replaces Kaspersky Anti-Virus for US users",
        ),
        comp(name="UltraVPN"),
        comp(name="Hotspot Shield", description="VPN; Kaspersky once licensed a Pango VPN"),
        comp(name="Betternet"),
        comp(name="360 Total Security", supplier=Party(name="Qihoo 360")),
    ],
    ids=lambda c: c.name,
)
def test_lookalikes_give_no_finding(c: Component) -> None:
    assert match1(c) is None


def test_negative_does_not_hide_confirmed_evidence() -> None:
    m = match1(
        comp(name="Kaspersky VPN (Hotspot Shield inside)", supplier=Party(name="AO Kaspersky Lab"))
    )
    assert m is not None and m.confidence is Confidence.CONFIRMED


def test_negative_row_via_purl_alone() -> None:
    assert (
        match1(comp(name="x", purl="pkg:pypi/kasperskytip@0.2.1", description="Kaspersky")) is None
    )


# --- pedigree and relationships -------------------------------------------------------------


def test_pedigree_ancestor_evidence_is_capped_at_likely() -> None:
    ancestor = comp("anc", name="klara", purl="pkg:github/KasperskyLab/klara@1.0")
    m = match1(comp(name="klara-fork", pedigree=Pedigree(ancestors=(ancestor,))))
    assert m is not None and m.confidence is Confidence.LIKELY
    assert ("pedigree.ancestors[0].purl", "pkg:github/KasperskyLab/*") in {
        (f, a) for f, a, _, _ in fields(m)
    }


def test_pedigree_variant_field_name() -> None:
    variant = comp("v", name="x", supplier=Party(name="AO Kaspersky Lab"))
    m = match1(comp(name="y", pedigree=Pedigree(variants=(comp("v0", name="z"), variant))))
    assert m is not None
    assert fields(m)[0][0] == "pedigree.variants[1].supplier.name"


def rel(source: str, rtype: str, target: str) -> Relationship:
    return Relationship(source=source, type=rtype, target=target, document="doc.json", location="r")


def test_variant_of_a_kaspersky_package_is_likely() -> None:
    kav = comp("kav", name="x", supplier=Party(name="AO Kaspersky Lab"))
    fork = comp("fork", name="acme-av")
    other = comp("other", name="zlib")
    found = identify(
        [
            doc(
                kav,
                fork,
                other,
                relationships=(rel("fork", "variant-of", "kav"), rel("other", "depends-on", "kav")),
            )
        ],
        CAT,
    )
    assert [m.component.ref for m in found] == ["kav", "fork"]
    m = found[1]
    assert m.confidence is Confidence.LIKELY
    (e,) = m.evidence
    assert (e.field, e.value, e.kind, e.canonical) == (
        "relationship:variant-of",
        "kav",
        "relationship",
        "AO Kaspersky Lab",
    )


def test_relationship_chains_and_reverse_types() -> None:
    kav = comp("kav", name="Kaspersky Scan Engine")
    copy = comp("copy", name="engine-copy")
    patched = comp("patched", name="engine-patched")
    child = comp("child", name="engine-child")
    rels = (
        rel("patched", "patch-for", "copy"),  # listed before the edge it depends on
        rel("copy", "copy-of", "kav"),
        rel("kav", "ancestor-of", "child"),
    )
    found = identify([doc(kav, copy, patched, child, relationships=rels)], CAT)
    assert [m.component.ref for m in found] == ["kav", "copy", "patched", "child"]


def test_dependency_edges_do_not_spread_identity() -> None:
    kav = comp("kav", name="Kaspersky Scan Engine")
    app = comp("app", name="app")
    found = identify([doc(kav, app, relationships=(rel("app", "depends-on", "kav"),))], CAT)
    assert [m.component.ref for m in found] == ["kav"]


# --- scope and order ------------------------------------------------------------------------


def test_files_services_and_metadata_component_are_matched_in_order() -> None:
    meta = comp("root", name="Kaspersky Security Center", is_metadata=True)
    lib = comp("lib", name="zlib")
    f = comp("f1", name="drivers/klif.sys", type="file")
    svc = comp(
        "svc",
        name="reputation",
        external_references=(ExternalReference(type="website", url="https://touch.kaspersky.com"),),
    )
    d1 = doc(meta, lib, files=(f,), services=(svc,))
    d2 = dataclasses.replace(
        d1, key="other.json", components=(comp("k", name="KasperskyOS"),), files=(), services=()
    )
    found = identify([d1, d2], CAT)
    assert [m.component.ref for m in found] == ["root", "f1", "svc", "k"]


def test_match_is_frozen_and_slotted() -> None:
    m = match1(comp(name="KasperskyOS"))
    assert m is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.canonical = "x"  # type: ignore[misc]
    assert not hasattr(m, "__dict__")


def test_identify_is_deterministic_and_catalogue_reusable() -> None:
    comps = [
        comp(f"c{k}", name=n) for k, n in enumerate(["KasperskyOS", "zlib", "kav-sdk", "casperjs"])
    ]
    first = identify([doc(*comps)], CAT)
    second = identify([doc(*comps)], CAT)
    assert first == second
    assert [m.component.ref for m in first] == ["c0", "c2"]


def test_non_ascii_component_takes_the_full_path() -> None:
    # The ASCII gate must not rule out text it cannot read: Cyrillic look-alikes.
    m = match1(comp(name="kаsреrskу-agent"))  # Cyrillic а, р, е, у
    assert m is not None and m.evidence[0].method == "lookalike"


def test_gate_word_split_by_anti() -> None:
    # "AntiVirenKit" is the gate word; written "Anti-VirenKit" it splits into two words.
    m = match1(comp(name="G Data Anti-VirenKit"))
    assert m is not None and m.confidence is Confidence.POSSIBLE


def test_words_of_an_unlisted_purl_namespace_count_as_a_name() -> None:
    m = match1(comp(name="foo", purl="pkg:generic/kaspersky/foo@2.1"))
    assert m is not None and m.confidence is Confidence.LIKELY
    assert fields(m) == [("purl", "Kaspersky", "entity", "exact")]
    m = match1(comp(name="x", purl="pkg:generic/kaspersky/scan-engine@2.1"))
    assert m is not None and fields(m) == [("purl", "Kaspersky Scan Engine", "engine", "exact")]


# --- the gate in front of the matchers ------------------------------------------------------


def test_gate_finds_words_and_camel_case_pieces_but_not_substrings(gate_search: str) -> None:
    m = matcher._Matcher(CAT)
    assert (m.gate_finder is None) == (gate_search == "split")
    elements = [
        comp("a", name="pipeline-utils"),  # `pipe` is a gate word, here inside a longer one
        comp("b", name="KasperskyAntiVirus"),
        comp("c", name="kavach", description="see https://example.org/secure-ish"),
        comp("d", name="lib", supplier=Party(name="ACME", urls=("https://kaspersky.com",))),
        comp("e", name="zlib", pedigree=Pedigree()),  # pedigree: always the full path
        comp("f", name="z\u0430lib"),  # not ASCII: always the full path
    ]
    assert matcher._candidates(m, elements) == [1, 2, 3, 4, 5]


def test_gate_finds_nothing_in_a_document_without_gate_words() -> None:
    m = matcher._Matcher(CAT)
    elements = [comp(f"c{k}", name=f"lib{k}", purl=f"pkg:npm/lib{k}@1") for k in range(50)]
    assert matcher._candidates(m, elements) == []


_GATE_WORDS = sorted(w.decode() for w in matcher._Matcher(CAT).gate)
_PIECES = st.one_of(
    st.sampled_from(_GATE_WORDS),
    st.sampled_from(_GATE_WORDS).map(str.upper),
    st.sampled_from(_GATE_WORDS).map(str.title),
    st.sampled_from(["line", "X", "ab", "Lab", "7", "-", " ", "/", ".", "\n", "\u0430", "\x00"]),
)
_TEXTS = st.lists(_PIECES, max_size=6).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_TEXTS, _TEXTS), min_size=1, max_size=6))
def test_gate_candidates_are_exactly_the_elements_holding_a_gate_word(
    texts: list[tuple[str, str]],
) -> None:
    # The specification of the gate, written the slow way: an element goes to the matchers
    # when any of its strings holds a gate word (a letter run or a CamelCase piece) or is not
    # plain ASCII. Both gate searches must give exactly that.
    elements = [
        comp(f"c{k}", name=name, description=desc or None) for k, (name, desc) in enumerate(texts)
    ]
    m = matcher._Matcher(CAT)
    expected = [
        k
        for k, (name, desc) in enumerate(texts)
        if any(not t.isascii() or not m.gate.isdisjoint(ascii_words(t)) for t in (name, desc))
    ]
    assert matcher._candidates(m, elements) == expected
