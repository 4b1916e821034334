"""The alias catalogue: the built-in data's invariants, validation errors, user rows, lookup."""

from __future__ import annotations

import csv
import hashlib
import pickle
from pathlib import Path
from typing import Any

import pytest

import sbomcheck._io
from sbomcheck.errors import AliasTableError
from sbomcheck.identify import identify, load_catalogue
from sbomcheck.identify.catalogue import (
    CATALOGUE_VERSION,
    CONFIDENCES,
    HEADER,
    KINDS,
    NEGATIVE,
    PRODUCT_CLASSES,
    builtin_path,
)
from sbomcheck.model import Component, Document, ExternalReference, FileEntry, Format
from tests.conftest import ROOT

DATA = ROOT / "data" / "vendor_aliases.csv"
HEAD = ",".join(HEADER)
GOOD = "Acme Scanner,product,Acme Scanner (test),,,confirmed,security,no,https://example.org/a,\n"


def _rows() -> list[dict[str, str]]:
    with DATA.open(newline="", encoding="utf-8") as fh:
        # comment lines (`# ...`) are skipped by the loader, and here
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def _write(tmp_path: Path, body: str, name: str = "aliases.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + "\n" + body, encoding="utf-8")
    return path


# --- the built-in data ------------------------------------------------------------------------


def test_every_row_has_a_source_url_and_a_valid_confidence() -> None:
    rows = _rows()
    assert len(rows) > 150
    for n, row in enumerate(rows, start=2):
        urls = [u.strip() for u in row["source_url"].split(" ; ")]
        assert urls and all(u.startswith(("http://", "https://")) for u in urls), n
        assert row["confidence"] in CONFIDENCES, n  # no `unconfirmed` row is kept
        assert row["kind"] in KINDS, n
        assert row["weak"] in ("yes", "no"), n
        assert row["product_class"] in PRODUCT_CLASSES or row["canonical"] == NEGATIVE, n


def test_header_is_the_documented_one() -> None:
    assert DATA.read_text(encoding="utf-8").splitlines()[0] == HEAD


def test_every_kind_is_used() -> None:
    assert {r["kind"] for r in _rows()} == set(KINDS)


@pytest.mark.parametrize(
    "alias",
    [
        "AO Kaspersky Lab",
        "АО «Лаборатория Касперского»",
        "Kaspersky Lab ZAO",
        "Kaspersky Anti-Virus SDK",
        "Kaspersky Scan Engine",
        "Kaspersky Anti-Spam",
        "SafeStream",
        "KLAV",
        "Juniper SRX full file-based antivirus",
        "Zyxel ZyWALL UTM gateway anti-virus",
        "D-Link NetDefend anti-virus",
        "Cyberoam UTM anti-virus",
        "Clearswift Secure Email Gateway",
        "IceWarp Server anti-virus",
        "Axigen KAS filter",
        "MDaemon AntiVirus",
        "Forefront TMG mail protection",
        "Orange Security Suite",
        "cpe:2.3:a:kaspersky:*",
        "cpe:2.3:a:kaspersky_lab:*",
        "pkg:npm/%40kaspersky/*",
        "pkg:maven/com.kaspersky/*",
        "pkg:github/KasperskyLab/*",
        "pkg:pypi/opentip",
        "com.kms.free",
        "klif.sys",
        "/opt/kaspersky/",
        "s[01][0-9].upd.kaspersky.com",
        "@kaspersky.com",
    ],
)
def test_required_aliases_are_present(alias: str) -> None:
    assert alias in {r["alias"] for r in _rows()}


@pytest.mark.parametrize(
    "alias", ["kasperskytip", "UltraAV", "UltraVPN", "Hotspot Shield", "Betternet", "Qihoo 360"]
)
def test_lookalikes_have_negative_rows(alias: str) -> None:
    rows = {r["alias"]: r for r in _rows()}
    assert rows[alias]["canonical"] == NEGATIVE


def test_weak_rows_are_the_short_ambiguous_ones() -> None:
    weak = {r["alias"] for r in _rows() if r["weak"] == "yes"}
    assert {"KAV", "AVP", "KLAV"} <= weak
    assert "Kaspersky" not in weak


def test_left_out_rows_are_absent() -> None:
    aliases = {r["alias"] for r in _rows()}
    for dropped in ("Kaspersky Lab Switzerland", "avpui.exe", "com.kaspersky.*"):
        assert dropped not in aliases


def test_data_version_hashes_the_bytes_used() -> None:
    cat = load_catalogue()
    dv = cat.data_version
    assert dv.name == "vendor_aliases.csv"
    assert dv.version == CATALOGUE_VERSION
    assert dv.sha256 == hashlib.sha256(DATA.read_bytes()).hexdigest()
    assert dv.rows == len(_rows()) == len(cat)


def test_catalogue_pickles_and_stays_equal() -> None:
    cat = load_catalogue()
    again = pickle.loads(pickle.dumps(cat))
    assert again.data_version == cat.data_version
    assert again.rows == cat.rows
    assert again.plain_index == cat.plain_index


# --- where the built-in file is found --------------------------------------------------------


def test_builtin_path_in_a_checkout_is_data_dir() -> None:
    assert builtin_path().resolve() == DATA.resolve()


def test_builtin_path_prefers_installed_package_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An installed wheel carries data/ as sbomcheck/_data/ (pyproject force-include).
    pkg = tmp_path / "site-packages" / "sbomcheck"
    (pkg / "_data").mkdir(parents=True)
    (pkg / "_data" / "vendor_aliases.csv").write_text(HEAD + "\n" + GOOD, encoding="utf-8")
    monkeypatch.setattr(sbomcheck._io, "PACKAGE_DIR", pkg)
    assert builtin_path() == pkg / "_data" / "vendor_aliases.csv"
    cat = load_catalogue()
    assert [r.alias for r in cat.rows] == ["Acme Scanner"]


# --- user rows ------------------------------------------------------------------------------


def test_extra_rows_are_added_and_win_on_a_duplicate(tmp_path: Path) -> None:
    extra = _write(
        tmp_path,
        GOOD + "KasperskyLab,entity,My canonical,,,reported,security,no,https://example.org/b,\n",
    )
    cat = load_catalogue(extra)
    assert len(cat) == len(_rows()) + 2
    assert cat.data_version.name == "vendor_aliases.csv + aliases.csv"
    assert cat.data_version.version == CATALOGUE_VERSION + "+user"
    (key,) = [k for k, v in cat.plain_index.items() if k == "kasperskylab"]
    row = cat.rows[cat.plain_index[key][0][1]]
    assert row.canonical == "My canonical" and row.file == str(extra)


def test_replace_uses_only_the_users_file(tmp_path: Path) -> None:
    extra = _write(tmp_path, GOOD)
    cat = load_catalogue(extra, replace=True)
    assert [r.alias for r in cat.rows] == ["Acme Scanner"]
    assert cat.data_version.version == "user"
    assert cat.data_version.sha256 == hashlib.sha256(extra.read_bytes()).hexdigest()


def test_comment_and_blank_lines_are_skipped(tmp_path: Path) -> None:
    extra = _write(tmp_path, "# my own rows\n\n" + GOOD)
    assert len(load_catalogue(extra, replace=True)) == 1


# --- validation errors, pinned -------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "x,widget,X,,,confirmed,security,no,https://e.org,\n",
            "line 2: unknown kind 'widget' (expected one of: entity, product, engine, oem_brand, "
            "file, path, domain, email_domain, cpe_vendor, purl, app_id, package)",
        ),
        (
            "x,product,X,,,confirmed,security,no,,\n",
            "line 2: source_url is missing: every row needs a public source",
        ),
        (
            "x,product,X,,,confirmed,security,no,ftp://e.org/x,\n",
            "line 2: source_url 'ftp://e.org/x' is not an http(s) URL",
        ),
        (
            GOOD + "x,product,X,,,unconfirmed,security,no,https://e.org,\n",
            "line 3: confidence must be 'confirmed' or 'reported', not 'unconfirmed'",
        ),
        (
            "x,product,X,,confirmed,security,no,https://e.org\n",
            "line 2: expected 10 columns, found 8",
        ),
        (
            "x,product,X,,,confirmed,security,no,https://e.org,,extra\n",
            "line 2: expected 10 columns, found 11",
        ),
        (",product,X,,,confirmed,security,no,https://e.org,\n", "line 2: alias is empty"),
        ("x,product,,,,confirmed,security,no,https://e.org,\n", "line 2: canonical is empty"),
        (
            "x,product,X,,,confirmed,security,maybe,https://e.org,\n",
            "line 2: weak must be 'yes' or 'no', not 'maybe'",
        ),
        (
            "x,product,X,,,confirmed,antivirus,no,https://e.org,\n",
            "line 2: product_class must be one of: security, threat-intelligence, training, "
            "non-security; not 'antivirus'",
        ),
        (
            "npm:kaspersky,purl,X,,,confirmed,security,no,https://e.org,\n",
            "line 2: purl alias 'npm:kaspersky' is not pkg:type/[namespace/]name or "
            "pkg:type/namespace/*",
        ),
        (
            "kaspersky,cpe_vendor,X,,,confirmed,security,no,https://e.org,\n",
            "line 2: cpe alias 'kaspersky' is not a CPE 2.2 or 2.3 name",
        ),
        (
            "«»,entity,X,,,confirmed,security,no,https://e.org,\n",
            "line 2: alias '«»' has no letters or digits",
        ),
        (
            'x,product,"X\n(multi-line)",,,confirmed,security,no,https://e.org,\n'
            "y,nope,Y,,,confirmed,security,no,https://e.org,\n",
            "line 4: unknown kind 'nope' (expected one of: entity, product, engine, oem_brand, "
            "file, path, domain, email_domain, cpe_vendor, purl, app_id, package)",
        ),
    ],
)
def test_bad_rows_are_reported_with_file_and_line(tmp_path: Path, body: str, message: str) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(AliasTableError) as err:
        load_catalogue(path)
    assert str(err.value) == f"{path}: {message}"
    assert err.value.source == str(path)
    assert err.value.location == message.split(":", 1)[0]


def test_bad_header(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("alias,kind,canonical\n", encoding="utf-8")
    with pytest.raises(AliasTableError) as err:
        load_catalogue(path, replace=True)
    assert str(err.value) == f"{path}: line 1: header must be '{HEAD}'"


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("\n", encoding="utf-8")
    with pytest.raises(AliasTableError) as err:
        load_catalogue(path, replace=True)
    assert str(err.value) == f"{path}: empty catalogue: no header row"


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(HEAD.encode() + b"\n" + GOOD.encode() + b"Kaspersky \xff,entity\n")
    with pytest.raises(AliasTableError) as err:
        load_catalogue(path, replace=True)
    assert str(err.value) == f"{path}: line 3: not valid UTF-8"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.csv"
    with pytest.raises(AliasTableError) as err:
        load_catalogue(path)
    assert str(err.value) == f"{path}: cannot read file: No such file or directory"


def test_installed_layout_reads_the_packaged_copy(tmp_path: Path) -> None:
    # What `pip install .` lays out (pyproject force-includes data/ as sbomcheck/_data/),
    # imported from outside the checkout so the fallback cannot be what is found.
    import shutil
    import subprocess
    import sys

    site = tmp_path / "site"
    shutil.copytree(
        ROOT / "sbomcheck", site / "sbomcheck", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(ROOT / "data", site / "sbomcheck" / "_data")
    code = (
        "from sbomcheck.identify import builtin_path, load_catalogue;"
        "print(builtin_path()); print(load_catalogue().data_version.rows)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == [str(site / "sbomcheck" / "_data" / "vendor_aliases.csv"), str(len(_rows()))]


# --- issue 12: the sourced additions -------------------------------------------------------

# Hosts that serve third-party copies of documents: a row resting only on them is reported.
MIRRORS = (
    "fdokumen.",
    "vuink.",
    "paperzz.",
    "scribd.com",
    "docslib.",
    "manualzilla.",
    "manualmachine.",
    "manualzz.",
    "manualslib.",
    "manualshive.",
    "docplayer.",
    "1library.",
    "readkong.",
    "vdocuments.",
    "manuzoid.",
    "manymanuals.",
    "ininet.org",
    "38.142.81.21",
    "88.208.23.73",
    "usermanual.wiki",
)


def _urls(row: dict[str, str]) -> list[str]:
    return [u.strip() for u in row["source_url"].split(" ; ")]


def test_no_row_resting_only_on_document_mirrors_is_confirmed() -> None:
    mirror_only = [r for r in _rows() if all(any(m in u for m in MIRRORS) for u in _urls(r))]
    assert len(mirror_only) >= 20  # the ones still without a primary source
    assert [r["alias"] for r in mirror_only if r["confidence"] == "confirmed"] == []


def test_a_primary_source_comes_before_a_mirror() -> None:
    rows = {r["alias"]: r for r in _rows()}
    for alias in ("AO Kaspersky Lab", "Kaspersky Labs Limited", "OOO Kaspersky Group"):
        first, *rest = _urls(rows[alias])
        assert not any(m in first for m in MIRRORS), alias
        assert any("govinfo.gov" in u for u in (first, *rest)), alias


PACKAGE_TYPES = {"deb", "rpm", "docker"}


def test_package_rows_are_type_colon_name_and_sourced_by_kaspersky() -> None:
    packages = [r for r in _rows() if r["kind"] == "package"]
    assert len(packages) >= 30
    for r in packages:
        ptype, _, name = r["alias"].partition(":")
        assert ptype in PACKAGE_TYPES and name and name == name.strip(), r["alias"]
        if r["confidence"] == "confirmed":
            # Confirmed package names come from Kaspersky's own help pages.
            assert _urls(r)[0].startswith("https://support.kaspersky."), r["alias"]
    aliases = {r["alias"] for r in packages}
    for needed in (
        "deb:kesl",
        "rpm:kesl",
        "deb:kesl-gui",
        "deb:klnagent64",
        "rpm:klnagent64",
        "rpm:klnagent",
        "deb:ksc64",
        "rpm:ksc-web-console",
        "rpm:kwts",
        "deb:ksmg",
        "rpm:kics4net",
        "docker:kesl-service",
    ):
        assert needed in aliases, needed
    weak = {r["alias"]: r["note"] for r in packages if r["weak"] == "yes"}
    assert set(weak) == {"deb:kics", "rpm:kics"}
    assert all("unrelated" in note for note in weak.values())


@pytest.mark.parametrize(
    ("alias", "message"),
    [
        ("kesl", "package alias 'kesl' is not <purl-type>:<name> (deb:kesl, msi:{GUID})"),
        ("deb:", "package alias 'deb:' is not <purl-type>:<name> (deb:kesl, msi:{GUID})"),
        ("deb: kesl", "package alias 'deb: kesl' is not <purl-type>:<name> (deb:kesl, msi:{GUID})"),
        (
            "pkg:deb/kesl",
            "package alias 'pkg:deb/kesl' is not <purl-type>:<name> (deb:kesl, msi:{GUID})",
        ),
    ],
)
def test_bad_package_alias_is_refused(tmp_path: Path, alias: str, message: str) -> None:
    path = _write(tmp_path, f'"{alias}",package,X,,,confirmed,security,no,https://e.org,\n')
    with pytest.raises(AliasTableError) as err:
        load_catalogue(path, replace=True)
    assert str(err.value) == f"{path}: line 2: {message}"


def test_no_partner_hardware_or_invented_vendor_row() -> None:
    # updates-2026-12.md: hardware and partners of KasperskyOS products are not Kaspersky code,
    # and the Check Point endpoint engine has no product name to alias.
    text = " ".join(r["alias"] + " " + r["canonical"] for r in _rows()).casefold()
    for name in ("siemens", "simatic", "tonk", "centerm", "avl ", "aprotech"):
        assert name not in text, name
    new_check_point = [
        r["alias"]
        for r in _rows()
        if "check point" in r["vendor"].casefold() and "2026" in r["period"]
    ]
    assert new_check_point == []


def _found(component: Component) -> list[tuple[str, str]]:
    doc = Document(
        key="doc.json",
        path="doc.json",
        sha256="0" * 64,
        format=Format.SPDX_JSON,
        spec_version="2.3",
        components=(component,),
    )
    return [(m.canonical, m.confidence.value) for m in identify([doc], load_catalogue())]


def _comp(**kw: Any) -> Component:
    kw.setdefault("name", "component")
    return Component(ref="c1", document="doc.json", location="components[c1]", **kw)


@pytest.mark.parametrize(
    ("component", "canonical", "confidence"),
    [
        (
            _comp(name="SonicWall Enforced Kaspersky Client Anti-Virus"),
            "Kaspersky Anti-Virus (endpoint client, OEM-distributed)",
            "likely",
        ),
        (
            _comp(name="Kaspersky Automotive Secure Gateway"),
            "KasperskyOS automotive (KASG)",
            "likely",
        ),
        (_comp(name="Kaspersky ICAP Plug-in"), "Kaspersky Scan Engine", "likely"),
        (
            _comp(name="scanner", files=(FileEntry(name="/opt/kse/bin/klScanEngineUI"),)),
            "Kaspersky Scan Engine",
            "likely",
        ),
        (
            _comp(name="av", purl="pkg:docker/malice/kaspersky@0.1.0"),
            "Kaspersky Anti-Virus engine (third-party container)",
            "confirmed",
        ),
        (
            _comp(name="mail", files=(FileEntry(name="bin/kavscanner"),)),
            "Kaspersky Anti-Virus for Linux (command-line scanner)",
            "likely",
        ),
        (
            _comp(
                name="shop",
                external_references=(
                    ExternalReference(type="website", url="https://www.kaspersky.fr/"),
                ),
            ),
            "AO Kaspersky Lab",
            "likely",
        ),
        (_comp(name="CGPKAS"), "Kaspersky Anti-Spam (KAS) in CommuniGate Pro", "likely"),
    ],
)
def test_new_rows_are_found_by_the_existing_matchers(
    component: Component, canonical: str, confidence: str
) -> None:
    assert _found(component) == [(canonical, confidence)]


@pytest.mark.parametrize(
    "component",
    [
        _comp(name="KASG"),  # weak: four letters alone
        _comp(name="Enforced Client Anti-Virus and Anti-Spyware"),  # weak: McAfee too
        _comp(
            name="kaspersky-frontier",
            external_references=(
                ExternalReference(type="website", url="https://kaspersky.fr.example.org/"),
            ),
        ),
    ],
)
def test_weak_and_lookalike_new_rows_do_not_match_alone(component: Component) -> None:
    found = _found(component)
    assert all(c != "KasperskyOS automotive (KASG)" for c, _ in found)
    if component.name != "kaspersky-frontier":
        assert found == []
