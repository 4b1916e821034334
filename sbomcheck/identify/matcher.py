"""Match every identity field of every component against the alias catalogue.

One `_Matcher` per `identify()` call holds caches keyed by the exact string seen, so a
supplier repeated on thousands of components is normalised and looked up once. Every lookup
is a dict access into indexes the catalogue built at load time; no loop runs over the
aliases and no regular expression is built per alias (see docs/aliases.md, "Speed").

The steps around the field walk have modules of their own: the gate that rules out most
components first (`gate.py`), what makes a Kaspersky name a citation (`citations.py`), and how
the evidence collected adds up to a `Match` (`evidence.py`). What is left here stays one
module because it is one class: `_Matcher`'s field methods call each other and share its
per-call caches, and `_identify_document` drives them.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import unquote

from sbomcheck.findings import Evidence
from sbomcheck.identify.catalogue import AliasRow, Catalogue
from sbomcheck.identify.citations import text_citation, url_citation
from sbomcheck.identify.evidence import (
    CONFIRMED,
    LIKELY,
    POSSIBLE,
    Collector,
    Match,
    conclude,
)
from sbomcheck.identify.gate import candidates, lazy_candidates

# NOTE: imported under this name so that the tests can force the word-split search
# (`tests/identify/conftest.py` patches `matcher._gate_finder`).
from sbomcheck.identify.gate import gate_finder as _gate_finder
from sbomcheck.identify.identifiers import (
    cpe_parts,
    package_key,
    parse_purl,
    path_segments,
    purl_package_key,
)
from sbomcheck.identify.normalize import (
    fold,
    has_legal_form,
    plain_tokens,
    split_tokens,
)
from sbomcheck.model import Component, Document, LazyComponents, Party, relationship_column
from sbomcheck.relationships import derivation

__all__ = ["Match", "identify"]

# Field categories: where a name was found decides how much it says.
_PARTY = "party"  # supplier, manufacturer, publisher, authors, originator, copyright
_NAME = "name"  # name, group, purl name, SWID, file names, properties
_TEXT = "text"  # description, licenses, comments, pedigree notes

# What a party value carries besides the name: an SPDX `Organization: ` prefix, and a contact
# in brackets (`Kaspersky Lab (info@kaspersky.com)`, `Jan <jan@x.org>`).
_PARTY_PREFIX = re.compile(r"^\s*(?:organi[sz]ation|person|tool)\s*:\s*", re.IGNORECASE)
_PARTY_CONTACT = re.compile(r"\([^)]*@[^)]*\)|<[^>]*>")
# A legal form written with dots ("S.A.", "L.L.C."): one word, as LEGAL_FORMS spells it.
_DOTTED = re.compile(r"\b(?:[^\W\d_]\.){2,}")
_COPYRIGHT_WORDS = frozenset({"copyright", "c", "copr", "all", "rights", "reserved", "by"})
_LOOSE_NOTE = (
    "'Kasperski' is how Polish and German write the surname, and a Polish family name of its "
    "own: possible only, and not counted with other fields"
)


def _copyright_word(token: str) -> bool:
    """Boilerplate of a copyright statement: the word itself, (c), years."""
    return token in _COPYRIGHT_WORDS or token.isdigit()


@dataclass(frozen=True, slots=True)
class _Hit:
    row: int
    method: str
    start: int = 0
    """Plain-token positions of the match in the text."""
    end: int = 0
    loose: bool = False
    """Matched only through the loose "-ski" spelling (`Kasperski`)."""


class _Matcher:
    def __init__(self, cat: Catalogue) -> None:
        self.cat = cat
        self.rows = cat.rows
        self.text_cache: dict[str, tuple[_Hit, ...]] = {}
        self.host_cache: dict[str, tuple[int, ...]] = {}
        self.entity_canonicals = frozenset(r.canonical for r in cat.rows if r.kind == "entity")
        # Every spelling of a Kaspersky entity as full-form tokens, and the words they use:
        # what a party value may consist of to confirm an entity (see `names_entity`).
        forms: set[tuple[str, ...]] = set()
        for r in cat.rows:
            if r.kind == "entity" and not r.negative:
                f = fold(r.alias)
                forms.update(form for form in (f.full, f.split) if form)
        self.entity_forms = frozenset(forms)
        self.entity_words = frozenset(t for form in forms for t in form)
        self.entity_cache: dict[tuple[str, str | None, bool], bool] = {}
        self.gate = frozenset(t.encode() for t in cat.gate)
        self.gate_literals = tuple(sorted(cat.gate_literals))
        self.gate_finder = _gate_finder(self.gate | {t.encode() for t in self.gate_literals})
        self.group_namespaces: dict[str, int] = {}
        for (_, ns), i in sorted(cat.purl_namespaces.items()):
            self.group_namespaces.setdefault(ns, i)

    def conclude(
        self, c: Component, col: Collector, extra: Sequence[tuple[Evidence, int]] = ()
    ) -> Match | None:
        """`evidence.conclude` with this catalogue: the match `col` adds up to, or None."""
        return conclude(c, col, self.rows, self.entity_canonicals, extra)

    # --- token matching ------------------------------------------------------------------

    def scan(self, text: str) -> tuple[_Hit, ...]:
        """Aliases named in `text`, token-aware, longest match first at each position."""
        hits = self.text_cache.get(text)
        if hits is not None:
            return hits
        hits = ()
        if text.isascii():
            plain = plain_tokens(text)
            if self.cat.triggers.isdisjoint(plain) and "anti" not in plain:
                split = split_tokens(text)  # run-together words may hide a trigger
                if split is None or (self.cat.triggers.isdisjoint(split) and "anti" not in split):
                    self.text_cache[text] = hits
                    return hits
        hits = self._scan(text)
        self.text_cache[text] = hits
        return hits

    def _scan(self, text: str) -> tuple[_Hit, ...]:
        f = fold(text)
        # (start, end, row, method, loose), positions in the plain tokens
        spans = [
            (a, b, row, "exact", False) for a, b, row in _longest(f.plain, self.cat.plain_index)
        ]
        # NOTE: the full form runs even when it equals the plain one: a Latin
        # "Laboratoriya Kasperskogo" only meets the Cyrillic rows there (transliterated keys).
        forms = [(f.full, f.origin, f.loose)]
        if f.split:
            forms.append((f.split, f.split_origin, f.split_loose))
        for full, origin, loose in forms:
            for a, b, row in _longest(full, self.cat.full_index):
                start = origin[a]
                # NOTE: the span ends after the plain word of the last matched token: a
                # match ending inside a run-together word ("KasperskyOS" matching only
                # "kaspersky") counts the whole word, so that an exact match of it (if any)
                # is as long and wins; a legal form after it ("Kaspersky Lab LLC") is not
                # part of the match, so the exact "Kaspersky Lab" stays exact.
                end = origin[b - 1] + 1
                inside = [sp for sp in spans if sp[0] < end and start < sp[1]]
                # A full-form match only wins where it is longer than every match it
                # overlaps ("Kaspersky Antivirus" is the product, not just the brand).
                if any(
                    sp[0] < start or sp[1] > end or sp[1] - sp[0] >= end - start for sp in inside
                ):
                    continue
                for sp in inside:
                    spans.remove(sp)
                key = full[a:b]
                method = f.method(alias_cyrillic=key in self.cat.full_only)
                # NOTE: the bare "Kasperski" is a surname; within a longer alias
                # ("Kasperski Lab") the other words say it is the company.
                spans.append((start, end, row, method, all(k in loose for k in range(a, b))))
        spans.sort()
        out: list[_Hit] = []
        seen: set[int] = set()
        for start, end, row, method, is_loose in spans:
            if row not in seen:
                seen.add(row)
                out.append(_Hit(row, method, start, end, is_loose))
        return tuple(out)

    # --- identifiers -----------------------------------------------------------------------

    def host(self, host: str) -> tuple[int, ...]:
        """Domain rows matching a host name: the most specific one, or none."""
        cached = self.host_cache.get(host)
        if cached is not None:
            return cached
        h = host.strip().rstrip(".").casefold()
        result: tuple[int, ...] = ()
        if h in self.cat.domains:
            result = (self.cat.domains[h],)
        else:
            labels = h.split(".")
            for k in range(1, len(labels) - 1 + 1):
                suffix = ".".join(labels[k:])
                globs = self.cat.domain_globs.get(suffix)
                if globs:
                    for pattern, i in globs:
                        if fnmatch.fnmatchcase(h, pattern):
                            result = (i,)
                            break
                    if result:
                        break
                if suffix in self.cat.domains:
                    result = (self.cat.domains[suffix],)
                    break
        self.host_cache[host] = result
        return result

    def email_domain(self, domain: str) -> tuple[int, bool]:
        """(row, is e-mail-domain row) for the domain of an e-mail address, or (-1, False)."""
        d = domain.strip().strip(">").rstrip(".").casefold()
        labels = d.split(".")
        for k in range(len(labels) - 1):
            i = self.cat.email_domains.get(".".join(labels[k:]))
            if i is not None:
                return i, True
        rows = self.host(d)
        return (rows[0], False) if rows else (-1, False)

    def file_name(self, value: str) -> Iterator[tuple[int, str]]:
        """File and path rows for a file name or path: (row, method)."""
        if "/" in value or "\\" in value:
            segs = path_segments(value)
            for j, seg in enumerate(segs):
                for alias_segs, i in self.cat.paths.get(seg, ()):
                    if segs[j : j + len(alias_segs)] == alias_segs:
                        yield i, "prefix"
                        break
            base = segs[-1] if segs else ""
        else:
            base = value.strip().casefold()
        if not base:
            return
        exact = self.cat.basenames.get(base)
        if exact is not None:
            yield exact, "exact"
        for pattern, i in self.cat.file_globs.get(base[:2], ()):
            if fnmatch.fnmatchcase(base, pattern):
                yield i, "exact"

    # --- fields ------------------------------------------------------------------------------

    def text(
        self,
        col: Collector,
        field: str,
        value: str | None,
        category: str,
        party_kind: str | None = None,
        *,
        copyright: bool = False,
    ) -> None:
        if not value:
            return
        for hit in self.scan(value):
            row = self.rows[hit.row]
            strength = _strength(row, category, hit.method)
            if (
                category == _PARTY
                and row.kind == "entity"
                and strength > POSSIBLE
                and not self.names_entity(value, party_kind, copyright=copyright)
            ):
                # NOTE: "Jan Kaspersky" names a person, not the company; the brand inside a
                # longer name is a hint only (other fields may still raise it to likely).
                strength = POSSIBLE
            note = _LOOSE_NOTE if hit.loose else ""
            if not note and category == _TEXT:
                note = text_citation(value, hit.start, hit.end, row)
            col.add(field, value, row, hit.row, hit.method, strength, note)

    def names_entity(self, value: str, kind: str | None, *, copyright: bool = False) -> bool:
        """Whether a party value as a whole names a Kaspersky entity (docs/aliases.md).

        True when the value, legal forms and punctuation aside, is a known entity spelling,
        or, for an organisation, consists of entity words only (`Kaspersky Lab Kaspersky`).
        A person is never the company unless the value carries a legal form. In a copyright
        statement the boilerplate (`Copyright (c) 1997-2012 ... All rights reserved`) is
        ignored.
        """
        key = (value, kind, copyright)
        cached = self.entity_cache.get(key)
        if cached is not None:
            return cached
        text = _PARTY_PREFIX.sub("", _PARTY_CONTACT.sub(" ", value))
        if "." in text:
            text = _DOTTED.sub(lambda m: m.group().replace(".", ""), text)
        f = fold(text)
        result = False
        for form in (f.full, f.split):
            words = tuple(t for t in form if not (copyright and _copyright_word(t)))
            if not words:
                continue
            if words in self.entity_forms or (
                kind == "organization" and all(t in self.entity_words for t in words)
            ):
                result = True
                break
        if result and kind == "person":
            result = has_legal_form(f.plain)
        self.entity_cache[key] = result
        return result

    def url(self, col: Collector, field: str, url: str, ref_type: str | None = None) -> None:
        """Domain, GitHub-org and store-id evidence of a URL; `ref_type` of an external
        reference decides whether a Kaspersky URL there is a citation (possible only)."""
        low = url.strip()
        if low[:7].casefold() == "mailto:":
            self.email(col, field, low[7:])
            return
        scheme_end = low.find("://")
        rest = low[scheme_end + 3 :] if scheme_end >= 0 else low
        cut = len(rest)
        for sep in "/?#":
            p = rest.find(sep)
            if 0 <= p < cut:
                cut = p
        host = rest[:cut].rsplit("@", 1)[-1]
        if host.startswith("["):
            return
        host = host.split(":", 1)[0]
        if not host:
            return
        rows = self.host(host)
        note = url_citation(ref_type, host, rest[cut:]) if rows and ref_type is not None else ""
        for i in rows:
            col.add(field, url, self.rows[i], i, "exact", LIKELY, note)
        hl = host.casefold()
        if hl in ("github.com", "www.github.com"):
            org = rest[cut:].lstrip("/").split("/", 1)[0].casefold()
            i2 = self.cat.purl_namespaces.get(("github", org))
            if i2 is not None:
                col.add(field, url, self.rows[i2], i2, "prefix", LIKELY)
        if "id=" in rest:
            for part in rest[cut:].split("?", 1)[-1].split("&"):
                if part.startswith("id="):
                    self.app_id(col, field, url, part[3:])

    def email(self, col: Collector, field: str, email: str) -> None:
        if "@" not in email:
            return
        i, is_email_row = self.email_domain(email.rsplit("@", 1)[1])
        if i >= 0:
            col.add(field, email, self.rows[i], i, "exact", CONFIRMED if is_email_row else LIKELY)

    def app_id(self, col: Collector, field: str, value: str, candidate: str) -> None:
        i = self.cat.app_ids.get(candidate.strip().casefold())
        if i is not None:
            col.add(field, value, self.rows[i], i, "exact", CONFIRMED)

    def files(self, col: Collector, field: str, value: str) -> None:
        for i, method in self.file_name(value):
            col.add(field, value, self.rows[i], i, method, LIKELY)

    def party(self, col: Collector, field: str, party: Party | None) -> None:
        if party is None:
            return
        self.text(col, f"{field}.name", party.name, _PARTY, party.kind)
        if party.raw and party.raw != party.name:
            self.text(col, f"{field}.raw", party.raw, _PARTY, party.kind)
            if "@" in party.raw:
                for word in party.raw.replace("<", " ").replace(">", " ").replace("(", " ").split():
                    if "@" in word:
                        self.email(col, f"{field}.raw", word.strip(")"))
        for k, e in enumerate(party.emails):
            self.email(col, f"{field}.emails[{k}]", e)
        for k, u in enumerate(party.urls):
            self.url(col, f"{field}.urls[{k}]", u)

    def purl(self, col: Collector, purl: str) -> None:
        parsed = parse_purl(purl)
        if parsed is None:
            return
        ptype, ns, name = parsed
        cat = self.cat
        i = cat.purl_names.get(parsed)
        if i is not None:
            col.add("purl", purl, self.rows[i], i, "exact", CONFIRMED)
        for key in () if i is not None else _namespace_keys(ptype, ns):
            j = cat.purl_namespaces.get(key)
            if j is not None:
                col.add("purl", purl, self.rows[j], j, "prefix", CONFIRMED)
                break
        self.app_id(col, "purl", purl, name)
        if ns and "/" not in ns:
            self.app_id(col, "purl", purl, f"{ns}.{name}")
        # The words of namespace and name count too (`pkg:generic/kaspersky/scan-engine`).
        self.text(col, "purl", f"{ns} {name}" if ns else name, _NAME)
        if "?" in purl and "url=" in purl:
            for q in purl.split("?", 1)[1].split("#", 1)[0].split("&"):
                qkey, _, val = q.partition("=")
                if qkey.endswith("_url") and val:
                    self.url(col, "purl", unquote(val))

    def group(self, col: Collector, group: str | None) -> None:
        if not group:
            return
        self.text(col, "group", group, _NAME)
        g = group.strip().casefold()
        parts = g.split(".")
        for k in range(len(parts), 0, -1):
            i = self.group_namespaces.get(".".join(parts[:k]))
            if i is not None:
                col.add("group", group, self.rows[i], i, "prefix", CONFIRMED)
                break
        self.app_id(col, "group", group, g)

    def cpe(self, col: Collector, field: str, cpe: str) -> None:
        parts = cpe_parts(cpe)
        if parts is None:
            return
        i = self.cat.cpe_products.get(parts)
        if i is None:
            i = self.cat.cpe_vendors.get(parts[0])
        if i is not None:
            col.add(field, cpe, self.rows[i], i, "exact", CONFIRMED)

    def component(self, col: Collector, c: Component) -> None:
        """Read every identity field of `c` into the collector."""
        self.party(col, "supplier", c.supplier)
        self.party(col, "manufacturer", c.manufacturer)
        self.text(col, "publisher", c.publisher, _PARTY)
        for k, a in enumerate(c.authors):
            self.party(col, f"authors[{k}]", a)
        self.party(col, "originator", c.originator)
        self.text(col, "copyright", c.copyright, _PARTY, copyright=True)
        if c.name:
            self.text(col, "name", c.name, _NAME)
            self.files(col, "name", c.name)
            self.app_id(col, "name", c.name, c.name)
            if c.group:
                self.app_id(col, "name", c.name, f"{c.group}.{c.name}")
        self.group(col, c.group)
        if c.purl:
            self.purl(col, c.purl)
        for k, cpe in enumerate(c.cpes):
            self.cpe(col, f"cpes[{k}]", cpe)
        if c.swid_tag_id:
            self.text(col, "swid_tag_id", c.swid_tag_id, _NAME)
            self.app_id(col, "swid_tag_id", c.swid_tag_id, c.swid_tag_id)
            self.guids(col, "swid_tag_id", c.swid_tag_id)
        for k, ref in enumerate(c.external_references):
            self.url(col, f"external_references[{k}].url", ref.url, ref.type or "")
            self.text(col, f"external_references[{k}].comment", ref.comment, _TEXT)
            self.guids(col, f"external_references[{k}].url", ref.url)
        self.package(col, c)
        for k, fe in enumerate(c.files):
            self.files(col, f"files[{k}].name", fe.name)
            self.text(col, f"files[{k}].name", fe.name, _NAME)
        for k, lic in enumerate(c.licenses):
            self.text(col, f"licenses[{k}]", lic, _TEXT)
        for k, prop in enumerate(c.properties):
            self.text(col, f"properties[{k}].name", prop.name, _TEXT)
            self.property_value(col, f"properties[{k}].value", prop.value)
        self.text(col, "description", c.description, _TEXT)
        if c.pedigree is not None:
            counters = {"ancestor": 0, "descendant": 0, "variant": 0}
            for relation, sub in c.pedigree.entries():
                k = counters[relation]
                counters[relation] = k + 1
                saved = (col.prefix, col.cap)
                col.prefix = f"{saved[0]}pedigree.{relation}s[{k}]."
                # NOTE: a pedigree entry is another component; what it is says less about
                # this one, so its evidence counts at most as likely.
                col.cap = min(saved[1], LIKELY)
                self.component(col, sub)
                col.prefix, col.cap = saved
            self.text(col, "pedigree.notes", c.pedigree.notes, _TEXT)

    def package(self, col: Collector, c: Component) -> None:
        """`package` rows: the purl's type and name, or the name in a declared ecosystem."""
        cat = self.cat
        if not cat.packages:
            return
        parsed = parse_purl(c.purl) if c.purl else None
        by_purl = None
        if parsed is not None and c.purl:
            by_purl = cat.packages.get(purl_package_key(parsed))
            if by_purl is not None:
                col.add("purl", c.purl, self.rows[by_purl], by_purl, "exact", CONFIRMED)
        if not c.name:
            return
        name = f"{c.group}/{c.name}" if c.group else c.name
        types = _ecosystems(c, parsed)
        for ptype in sorted(types):
            i = cat.packages.get(package_key(ptype, name))
            if i is not None and i != by_purl:
                col.add("name", c.name, self.rows[i], i, "exact", CONFIRMED)
        if not types:
            # NOTE: a bare package name with no ecosystem at all: likely, not confirmed
            # (the same name may exist elsewhere; a purl or a type property settles it).
            i = cat.package_names.get(c.name.strip().casefold())
            if i is not None:
                col.add("name", c.name, self.rows[i], i, "exact", LIKELY)

    def guids(self, col: Collector, field: str, value: str) -> None:
        """`msi:{GUID}` rows: an upgrade or product code anywhere in the value."""
        if not self.cat.package_guids or len(value) < 36 or "-" not in value:
            return
        for found in _GUID_IN_TEXT.findall(value):
            i = self.cat.package_guids.get(found.casefold())
            if i is not None:
                col.add(field, value, self.rows[i], i, "exact", CONFIRMED)

    def property_value(self, col: Collector, field: str, value: str) -> None:
        if not value:
            return
        self.text(col, field, value, _NAME)
        self.guids(col, field, value)
        if len(value) < 512:
            low = value.casefold()
            if "://" in low or low.startswith("mailto:"):
                self.url(col, field, value)
            elif "@" in low and " " not in low:
                self.email(col, field, value)
            else:
                self.files(col, field, value)
                self.app_id(col, field, value, value)


def _longest(
    tokens: tuple[str, ...], index: dict[str, tuple[tuple[tuple[str, ...], int], ...]]
) -> Iterator[tuple[int, int, int]]:
    """(start, end, row) of aliases in `tokens`, longest first at a position, no overlaps."""
    i, n = 0, len(tokens)
    while i < n:
        cands = index.get(tokens[i])
        if cands:
            for alias, row in cands:
                m = len(alias)
                if tokens[i : i + m] == alias:
                    yield i, i + m, row
                    i += m
                    break
            else:
                i += 1
        else:
            i += 1


def _namespace_keys(ptype: str, ns: str) -> Iterator[tuple[str, str]]:
    if not ns:
        return
    if ptype == "maven":
        parts = ns.split(".")
        for k in range(len(parts), 0, -1):
            yield ptype, ".".join(parts[:k])
    elif ptype == "golang" and ns.startswith("github.com/"):
        yield "github", ns.split("/")[1]
    else:
        yield ptype, ns
        if "/" in ns:
            yield ptype, ns.split("/", 1)[0]


def _strength(row: AliasRow, category: str, method: str) -> int:
    if category == _TEXT:
        return POSSIBLE
    if category == _PARTY and row.kind == "entity":
        return CONFIRMED if method == "exact" else LIKELY
    if row.kind == "oem_brand" and row.confidence == "reported":
        return POSSIBLE  # only reviews or press support these; never enough on their own
    return LIKELY


_GUID_IN_TEXT = re.compile(
    r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
)

# Package types as SBOM generators record them in properties: syft's `syft:package:type`,
# trivy's `aquasecurity:trivy:PkgType` (an OS family for OS packages) -> purl types.
_ECOSYSTEM_PROPERTIES = frozenset({"syft:package:type", "aquasecurity:trivy:pkgtype"})
_ECOSYSTEM_ALIASES = {
    "debian": "deb", "ubuntu": "deb", "dpkg": "deb",
    "redhat": "rpm", "centos": "rpm", "rocky": "rpm", "alma": "rpm", "almalinux": "rpm",
    "amazon": "rpm", "oracle": "rpm", "fedora": "rpm", "suse": "rpm", "opensuse": "rpm",
    "opensuse.leap": "rpm", "opensuse.tumbleweed": "rpm", "sles": "rpm", "photon": "rpm",
    "cbl-mariner": "rpm", "azurelinux": "rpm",
    "alpine": "apk", "wolfi": "apk", "chainguard": "apk",
    "python": "pypi", "pip": "pypi", "java-archive": "maven", "jar": "maven", "pom": "maven",
    "go-module": "golang", "gomod": "golang", "gobinary": "golang", "dotnet": "nuget",
    "gemspec": "gem", "bundler": "gem", "rust-crate": "cargo",
}  # fmt: skip


def _ecosystems(c: Component, parsed: tuple[str, str, str] | None) -> set[str]:
    """Package types `c` declares: its purl's type, and generator properties naming one."""
    types = {parsed[0]} if parsed is not None else set()
    for prop in c.properties:
        if prop.name.casefold() in _ECOSYSTEM_PROPERTIES and prop.value:
            value = prop.value.strip().casefold()
            types.add(_ECOSYSTEM_ALIASES.get(value, value))
    return types


def _candidates(m: _Matcher, elements: list[Component]) -> list[int]:
    """`gate.candidates` with the gate of `m`: the elements that may match."""
    return candidates(elements, m.gate, m.gate_literals, m.gate_finder)


def _document_candidates(m: _Matcher, doc: Document, elements: Sequence[Component]) -> list[int]:
    """`_candidates` of the elements of `doc`. Of lazy components, only those whose raw
    text may hold a gate word are built and gated in full (`gate.lazy_candidates`)."""
    components = doc.components
    if not isinstance(components, LazyComponents):
        return _candidates(m, list(elements))
    maybe = lazy_candidates(components.identity, len(components), m.gate_finder)
    maybe += range(len(components), len(elements))
    return [maybe[j] for j in _candidates(m, [elements[k] for k in maybe])]


def _identify_document(m: _Matcher, doc: Document) -> list[Match]:
    elements = doc.elements()
    collectors: dict[int, Collector] = {}
    results: list[Match | None] = [None] * len(elements)
    for k in _document_candidates(m, doc, elements):
        col = collectors[k] = Collector()
        m.component(col, elements[k])
        results[k] = m.conclude(elements[k], col)
    # NOTE: derivation relationships (A VARIANT_OF B, ...) make A Kaspersky technology when B
    # is; repeat until nothing changes so chains of copies and variants are followed.
    # NOTE: relationship types repeat (every edge is "depends-on"): fold each distinct one once.
    types = relationship_column(doc.relationships, "type")
    directions = {t: derivation(t) for t in set(types)}
    wanted = {t: d for t, d in directions.items() if d is not None}
    rels = [doc.relationships[i] for i, t in enumerate(types) if t in wanted] if wanted else []
    if rels:
        by_ref: dict[str, int] = {}
        for k, ref in enumerate(doc.element_refs()):
            by_ref.setdefault(ref, k)
        extra: dict[int, list[tuple[Evidence, int]]] = {}
        changed = True
        passes = 0
        while changed and passes <= len(rels):
            changed = False
            passes += 1
            for rel in rels:
                forward = wanted[rel.type]
                src, dst = (rel.source, rel.target) if forward else (rel.target, rel.source)
                a, b = by_ref.get(src), by_ref.get(dst)
                if a is None or b is None or a == b:
                    continue
                origin = results[b]
                if origin is None:
                    continue
                field = f"relationship:{rel.type}"
                have = extra.setdefault(a, [])
                if any(ev.field == field and ev.value == dst for ev, _ in have):
                    continue
                head = origin.evidence[0]
                have.append(
                    (
                        Evidence(
                            field=field,
                            value=dst,
                            alias=origin.canonical,
                            kind="relationship",
                            confidence=head.confidence,
                            source=head.source,
                            canonical=origin.canonical,
                            method="relationship",
                            vendor=head.vendor,
                            weak=False,
                            product_class=origin.product_class,
                        ),
                        min(origin.confidence.rank, LIKELY),
                    )
                )
                results[a] = m.conclude(elements[a], collectors.get(a) or Collector(), have)
                changed = True
    return [r for r in results if r is not None]


def identify(documents: Sequence[Document], catalogue: Catalogue) -> list[Match]:
    """Every component, file and service of `documents` that is Kaspersky technology.

    Deterministic: document order, then element order (components, files, services).
    """
    m = _Matcher(catalogue)
    out: list[Match] = []
    for doc in documents:
        out.extend(_identify_document(m, doc))
    return out
