"""Short labels for the sources of the rules and of the alias catalogue.

A reader sees "Federal Register, 2024-06-24" linked to the address, not the address wrapped
over five lines. The rules data and the catalogue carry addresses only, so the label comes
from the address itself: a small table of publishers known by their host, and a publication
date only where that publisher's addresses are known to carry one (the Federal Register's
`/documents/YYYY/MM/DD/`, GovInfo's `FR-YYYY-MM-DD` packages, ...). Any other host is named
by itself (`segretaricomunalivighenzi.it`): nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

_PUBLISHERS: dict[str, str] = {
    "federalregister.gov": "Federal Register",
    "govinfo.gov": "GovInfo",
    "ecfr.gov": "eCFR",
    "congress.gov": "Congress.gov",
    "regulations.justia.com": "Justia",
    "bis.doc.gov": "US BIS",
    "cisa.gov": "CISA",
    "fcc.gov": "FCC",
    "bsi.bund.de": "BSI",
    "ncsc.gov.uk": "NCSC (UK)",
    "gov.uk": "GOV.UK",
    "president.gov.ua": "President of Ukraine",
    "oregonlegislature.gov": "Oregon Legislature",
    "oregon.gov": "State of Oregon",
    "dir.texas.gov": "Texas DIR",
    "kaspersky.com": "Kaspersky",
    "kaspersky.ru": "Kaspersky",
    "kaspersky.co.uk": "Kaspersky",
    "kaspersky.co.jp": "Kaspersky",
    "kaspersky.it": "Kaspersky",
    "kaspersky-labs.com": "Kaspersky",
    "github.com": "GitHub",
    "pypi.org": "PyPI",
    "pkg.go.dev": "Go packages",
    "learn.microsoft.com": "Microsoft Learn",
    "play.google.com": "Google Play",
    "juniper.net": "Juniper Networks",
    "sonicwall.com": "SonicWall",
    "theregister.com": "The Register",
    "theguardian.com": "The Guardian",
    "cnn.com": "CNN",
    "heise.de": "heise online",
    "thompsonhinesmartrade.com": "Thompson Hine SmarTrade",
}
"""Host (or a parent domain of it) -> the publisher's name."""

_DATED = {
    "federalregister.gov": re.compile(r"^/documents/(\d{4})/(\d{2})/(\d{2})/"),
    "govinfo.gov": re.compile(r"/FR-(\d{4})-(\d{2})-(\d{2})/"),
    "regulations.justia.com": re.compile(r"^/regulations/fedreg/(\d{4})/(\d{2})/(\d{2})/"),
    "theregister.com": re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/"),
    "cnn.com": re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/"),
}
"""Publishers whose addresses carry the publication date, and where."""


def _publisher_domain(host: str) -> str | None:
    """The `_PUBLISHERS` key `host` falls under (itself or a parent domain), if any."""
    parts = host.split(".")
    for i in range(len(parts) - 1):
        candidate = ".".join(parts[i:])
        if candidate in _PUBLISHERS:
            return candidate
    return None


def _date(domain: str, path: str) -> str:
    pattern = _DATED.get(domain)
    match = pattern.search(path) if pattern else None
    if match is None:
        return ""
    try:
        return dt.date(*map(int, match.groups())).isoformat()
    except ValueError:
        return ""


def source_label(url: str) -> str:
    """`Federal Register, 2024-06-24`, `GitHub, KasperskyLab/uif`, `bsi.bund.de`: what to
    show for a source address (the caller escapes it); the address itself when it has no
    host."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return url
    if not host:
        return url
    domain = _publisher_domain(host)
    if domain is None:
        return host.removeprefix("www.")
    label = _PUBLISHERS[domain]
    if domain == "github.com":
        owner_repo = "/".join(p for p in parts.path.split("/")[1:3] if p)
        return f"{label}, {owner_repo}" if owner_repo else label
    date = _date(domain, parts.path)
    return f"{label}, {date}" if date else label


_SEPARATOR = re.compile(r"\s*;\s*|\s+")


def source_urls(source: str) -> list[str]:
    """The addresses of a source field: the catalogue joins several with ` ; `."""
    return [u for u in _SEPARATOR.split(source.strip()) if u]
