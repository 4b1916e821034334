"""Short source labels: a known publisher by its host, a date only where its addresses carry
one, the bare host otherwise; and every source address of the shipped data gets a label."""

from __future__ import annotations

import csv
import re
import tomllib
from pathlib import Path

import pytest

from sbomcheck.report._sources import source_label, source_urls

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.mark.parametrize(
    ("url", "label"),
    [
        (
            "https://www.federalregister.gov/documents/2024/06/24/2024-13532/final-determination",
            "Federal Register, 2024-06-24",
        ),
        (
            "https://www.govinfo.gov/content/pkg/FR-2017-09-19/html/2017-19838.htm",
            "GovInfo, 2017-09-19",
        ),
        ("https://www.govinfo.gov/content/pkg/PLAW-115publ91/html/PLAW-115publ91.htm", "GovInfo"),
        (
            "https://regulations.justia.com/regulations/fedreg/2018/06/15/2018-12847.html",
            "Justia, 2018-06-15",
        ),
        ("https://www.theregister.com/2024/09/04/fcc_kaspersky_ban/", "The Register, 2024-09-04"),
        ("https://www.bsi.bund.de/DE/Service-Navi/Presse/x.html", "BSI"),
        ("http://support.kaspersky.co.uk/9717", "Kaspersky"),
        ("https://products.s.kaspersky-labs.com/x.pdf", "Kaspersky"),
        ("https://github.com/KasperskyLab/uif", "GitHub, KasperskyLab/uif"),
        ("https://github.com/", "GitHub"),
        ("https://www.segretaricomunalivighenzi.it/?p=66730", "segretaricomunalivighenzi.it"),
        ("http://38.142.81.21:8001/doc", "38.142.81.21"),
        # A date that is not one is not shown.
        ("https://www.federalregister.gov/documents/2024/13/45/x", "Federal Register"),
        # A look-alike host is not the publisher.
        (
            "https://federalregister.gov.evil.example/documents/2024/06/24/x",
            "federalregister.gov.evil.example",
        ),
        ("https://notgithub.com/a/b", "notgithub.com"),
        ("not a url", "not a url"),
    ],
)
def test_source_label(url: str, label: str) -> None:
    assert source_label(url) == label


def test_source_urls_split_the_catalogue_s_lists() -> None:
    assert source_urls("http://a.example/1 ; https://b.example/2 ;https://c.example/3") == [
        "http://a.example/1",
        "https://b.example/2",
        "https://c.example/3",
    ]
    assert source_urls("") == []


def _shipped_urls() -> set[str]:
    urls = set(re.findall(r'"(https?://[^"]+)"', (DATA / "rules.toml").read_text("utf-8")))
    tomllib.loads((DATA / "rules.toml").read_text("utf-8"))  # the file parses
    with (DATA / "vendor_aliases.csv").open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            urls.update(source_urls(row["source_url"] or ""))
    return urls


def test_every_shipped_source_gets_a_short_label() -> None:
    urls = _shipped_urls()
    assert len(urls) > 100
    for url in urls:
        label = source_label(url)
        assert label and len(label) <= 60, url
        assert label.startswith("GitHub, ") or "/" not in label, url
