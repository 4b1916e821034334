"""The alias catalogue: `data/vendor_aliases.csv` read, validated and indexed once.

Every lookup the matcher needs is precomputed here, so that matching a field costs a few
dict lookups and never a loop over the aliases (see docs/aliases.md for the columns, kinds
and rules). A `Catalogue` is plain data: immutable by convention, picklable, and reusable
across documents and processes.

Over 500 lines and one module on purpose: the columns, the checks of a row and the tables
built from the rows change together whenever a kind is added (docs/architecture.md, "A new
alias kind"); the identifier parsing it shares with the matcher is in `identifiers.py`.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sbomcheck import _io
from sbomcheck._io import POLICY_MAX_BYTES, read_bounded
from sbomcheck.errors import AliasTableError
from sbomcheck.findings import DataVersion
from sbomcheck.identify.identifiers import cpe_parts, package_key, parse_purl, path_segments
from sbomcheck.identify.normalize import fold, spellings

# NOTE: building a catalogue folds the same alias up to three times (to check it, to index it,
# to pick its gate word) and spells the same words for the gate and the triggers; both are
# pure functions of a string, so each is worked out once (a third of the build).
_fold = functools.lru_cache(maxsize=4096)(fold)
_spellings = functools.lru_cache(maxsize=4096)(spellings)

__all__ = [
    "CATALOGUE_VERSION",
    "CONFIDENCES",
    "HEADER",
    "KINDS",
    "NEGATIVE",
    "PRODUCT_CLASSES",
    "AliasRow",
    "Catalogue",
    "builtin_path",
    "load_catalogue",
    "parse_catalogue",
]

CATALOGUE_VERSION = "1.1"
"""Version of the built-in catalogue; bumped whenever data/vendor_aliases.csv changes."""

HEADER = (
    "alias",
    "kind",
    "canonical",
    "vendor",
    "period",
    "confidence",
    "product_class",
    "weak",
    "source_url",
    "note",
)
KINDS = (
    "entity",
    "product",
    "engine",
    "oem_brand",
    "file",
    "path",
    "domain",
    "email_domain",
    "cpe_vendor",
    "purl",
    "app_id",
    "package",
)
CONFIDENCES = ("confirmed", "reported")
PRODUCT_CLASSES = ("security", "threat-intelligence", "training", "non-security")
NEGATIVE = "NOT_KASPERSKY"
"""Canonical of a negative row: a look-alike that is not Kaspersky and suppresses a match."""

_TOKEN_KINDS = frozenset({"entity", "product", "engine", "oem_brand", "file"})
_GLOB_CHARS = frozenset("*?[")
_GUID = re.compile(
    r"\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?"
)
_PACKAGE_TYPE = re.compile(r"[a-z][a-z0-9.+-]*")


@dataclass(frozen=True, slots=True, kw_only=True)
class AliasRow:
    """One row of the catalogue."""

    alias: str
    kind: str
    canonical: str
    vendor: str
    period: str
    confidence: str
    product_class: str
    weak: bool
    source_url: str
    """One or more URLs, separated by ` ; `."""
    note: str
    file: str
    line: int

    @property
    def negative(self) -> bool:
        """A look-alike that is not Kaspersky."""
        return self.canonical == NEGATIVE

    @property
    def source(self) -> str:
        """The first source URL (evidence carries one; the CSV keeps them all)."""
        return self.source_url.split(" ; ", 1)[0].strip()


TokenIndex = dict[str, tuple[tuple[tuple[str, ...], int], ...]]
"""First token -> (alias tokens, row index), longest alias first."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Catalogue:
    """The validated rows and the lookup tables built from them."""

    rows: tuple[AliasRow, ...]
    data_version: DataVersion
    plain_index: TokenIndex = field(default_factory=dict)
    full_index: TokenIndex = field(default_factory=dict)
    full_only: frozenset[tuple[str, ...]] = frozenset()
    """Full-form keys whose rows are Cyrillic (a Latin value matching them is transliterated)."""
    triggers: frozenset[str] = frozenset()
    """Every first token of both indexes: text with none of these cannot match."""
    gate: frozenset[str] = frozenset()
    """One token per positive, non-weak row that any text matching the row must contain:
    a component whose (ASCII) identity text has none of these cannot match anything."""
    basenames: dict[str, int] = field(default_factory=dict)
    file_globs: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    """First two characters -> (lower-case glob, row) for patterns like `klupd_*_arkmon.sys`."""
    paths: dict[str, tuple[tuple[tuple[str, ...], int], ...]] = field(default_factory=dict)
    domains: dict[str, int] = field(default_factory=dict)
    domain_globs: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    """Literal parent domain -> (glob, row) for `s[01][0-9].upd.kaspersky.com` and the like."""
    email_domains: dict[str, int] = field(default_factory=dict)
    purl_names: dict[tuple[str, str, str], int] = field(default_factory=dict)
    purl_namespaces: dict[tuple[str, str], int] = field(default_factory=dict)
    cpe_products: dict[tuple[str, str], int] = field(default_factory=dict)
    cpe_vendors: dict[str, int] = field(default_factory=dict)
    app_ids: dict[str, int] = field(default_factory=dict)
    packages: dict[tuple[str, str], int] = field(default_factory=dict)
    """(package type, name as `package_key` spells it) -> row, for `package` rows."""
    package_names: dict[str, int] = field(default_factory=dict)
    """Name -> row of the `package` rows of any type (a component that names no ecosystem)."""
    package_guids: dict[str, int] = field(default_factory=dict)
    """Lower-case GUID without braces -> row, for `msi:{GUID}` rows (upgrade codes)."""
    gate_literals: frozenset[str] = frozenset()
    """Strings (lower case) that put a component through the gate wherever they occur:
    the GUIDs of `msi` rows, which have no word to gate on."""

    def __len__(self) -> int:
        return len(self.rows)


def builtin_path() -> Path:
    """Where the built-in catalogue is: inside the installed package, else in the checkout."""
    packaged = _io.PACKAGE_DIR / "_data" / "vendor_aliases.csv"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / "vendor_aliases.csv"


def _read(path: Path) -> bytes:
    return read_bounded(
        path,
        POLICY_MAX_BYTES,
        what="alias file",
        error=AliasTableError,
        cannot_read="cannot read file",
    )


def load_catalogue(extra: Path | None = None, *, replace: bool = False) -> Catalogue:
    """The built-in catalogue, plus the rows of `extra` (or only those with `replace=True`).

    Where an alias appears in both, the user's row wins. Raises `AliasTableError` naming the
    file and line of the first bad row.
    """
    parts: list[tuple[bytes, str]] = []
    if not (replace and extra is not None):
        path = builtin_path()
        parts.append((_read(path), str(path)))
    if extra is not None:
        extra = Path(extra)  # NOTE: callers may hand over the CLI's str; a Path costs nothing
        parts.append((_read(extra), str(extra)))
    return parse_catalogue(parts)


def parse_catalogue(parts: Iterable[tuple[bytes, str]]) -> Catalogue:
    """Build a catalogue from (CSV bytes, file name) parts; later parts take priority."""
    parts = list(parts)
    rows: list[AliasRow] = []
    n_builtin = 0
    for k, (data, name) in enumerate(parts):
        if k and k == len(parts) - 1:
            n_builtin = len(rows)  # the last of several parts is the user's file
        rows.extend(_parse(data, name))
    digest = hashlib.sha256()
    for i, (data, _) in enumerate(parts):
        if i:
            digest.update(b"\0")
        digest.update(data)
    names = [Path(n).name for _, n in parts]
    if len(parts) == 1 and names[0] == "vendor_aliases.csv":
        version = CATALOGUE_VERSION
    elif names and names[0] == "vendor_aliases.csv":
        version = CATALOGUE_VERSION + "+user"
    else:
        version = "user"
    dv = DataVersion(
        name=" + ".join(names), version=version, sha256=digest.hexdigest(), rows=len(rows)
    )
    return _build(tuple(rows), dv, n_builtin=n_builtin if len(parts) > 1 else len(rows))


def _parse(data: bytes, name: str) -> list[AliasRow]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise AliasTableError("not valid UTF-8", source=name, location=f"line {line}") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[AliasRow] = []
    header_seen = False
    try:
        for record in reader:
            line = reader.line_num
            if not record or (len(record) == 1 and not record[0].strip()):
                continue
            if record[0].startswith("#"):
                continue
            if not header_seen:
                if tuple(c.strip() for c in record) != HEADER:
                    raise AliasTableError(
                        f"header must be '{','.join(HEADER)}'",
                        source=name,
                        location=f"line {line}",
                    )
                header_seen = True
                continue
            rows.append(_row(record, name, line))
    except csv.Error as e:
        raise AliasTableError(
            f"malformed CSV: {e}", source=name, location=f"line {reader.line_num}"
        ) from None
    if not header_seen:
        raise AliasTableError("empty catalogue: no header row", source=name)
    return rows


def _row(record: list[str], name: str, line: int) -> AliasRow:
    def fail(message: str) -> AliasTableError:
        return AliasTableError(message, source=name, location=f"line {line}")

    if len(record) != len(HEADER):
        raise fail(f"expected {len(HEADER)} columns, found {len(record)}")
    v = dict(zip(HEADER, (c.strip() for c in record), strict=True))
    alias, kind = v["alias"], v["kind"]
    if not alias:
        raise fail("alias is empty")
    if kind not in KINDS:
        raise fail(f"unknown kind '{kind}' (expected one of: {', '.join(KINDS)})")
    if not v["canonical"]:
        raise fail("canonical is empty")
    if v["confidence"] not in CONFIDENCES:
        raise fail(f"confidence must be 'confirmed' or 'reported', not '{v['confidence']}'")
    negative = v["canonical"] == NEGATIVE
    if v["product_class"] not in PRODUCT_CLASSES and not (negative and not v["product_class"]):
        raise fail(
            f"product_class must be one of: {', '.join(PRODUCT_CLASSES)}; "
            f"not '{v['product_class']}'"
        )
    if v["weak"] not in ("yes", "no"):
        raise fail(f"weak must be 'yes' or 'no', not '{v['weak']}'")
    if not v["source_url"]:
        raise fail("source_url is missing: every row needs a public source")
    for url in v["source_url"].split(" ; "):
        if not url.strip().startswith(("http://", "https://")):
            raise fail(f"source_url '{url.strip()}' is not an http(s) URL")
    if kind == "purl" and parse_purl(alias) is None:
        raise fail(f"purl alias '{alias}' is not pkg:type/[namespace/]name or pkg:type/namespace/*")
    if kind == "package":
        problem = _package_problem(alias)
        if problem:
            raise fail(problem)
    if kind == "cpe_vendor" and cpe_parts(alias) is None:
        raise fail(f"cpe alias '{alias}' is not a CPE 2.2 or 2.3 name")
    if kind in _TOKEN_KINDS and not _fold(alias).plain:
        raise fail(f"alias '{alias}' has no letters or digits")
    return AliasRow(
        alias=alias,
        kind=kind,
        canonical=v["canonical"],
        vendor=v["vendor"] or "Kaspersky",
        period=v["period"],
        confidence=v["confidence"],
        product_class=v["product_class"],
        weak=v["weak"] == "yes",
        source_url=v["source_url"],
        note=v["note"],
        file=name,
        line=line,
    )


def _package_problem(alias: str) -> str:
    ptype, sep, name = alias.partition(":")
    malformed = not sep or not name or any(c.isspace() for c in name)
    if malformed or ptype == "pkg" or not _PACKAGE_TYPE.fullmatch(ptype):
        return f"package alias '{alias}' is not <purl-type>:<name> (deb:kesl, msi:{{GUID}})"
    if ptype == "msi" and not _GUID.fullmatch(name.strip()):
        return f"msi package alias '{alias}' is not msi:{{GUID}} (an upgrade or product code)"
    return ""


# --- index building -------------------------------------------------------------------------


def _build(rows: tuple[AliasRow, ...], dv: DataVersion, *, n_builtin: int) -> Catalogue:
    # NOTE: the user's rows (after n_builtin) are visited first so that they win on a
    # duplicate alias; the tables keep the first writer (setdefault).
    order = list(range(n_builtin, len(rows))) + list(range(n_builtin))
    tables = _Tables()
    for rank, i in enumerate(order):
        tables.add(rows[i], i, rank)
    return tables.catalogue(rows, dv)


_Entries = list[tuple[tuple[str, ...], int]]
"""(alias tokens or path segments, row index) while the tables are filled."""


@dataclass(slots=True)
class _Tables:
    """The lookup tables of a `Catalogue` while they are filled, one method per kind of row."""

    plain: dict[tuple[str, ...], list[int]] = field(default_factory=dict)
    full: dict[tuple[str, ...], list[tuple[tuple[int, int, int], int]]] = field(
        default_factory=dict
    )
    """Full-form tokens -> (sort key, row): the alias that wins a key is chosen at the end."""
    cyr_keys: set[tuple[str, ...]] = field(default_factory=set)
    basenames: dict[str, int] = field(default_factory=dict)
    file_globs: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    paths: dict[str, _Entries] = field(default_factory=dict)
    domains: dict[str, int] = field(default_factory=dict)
    domain_globs: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    email_domains: dict[str, int] = field(default_factory=dict)
    purl_names: dict[tuple[str, str, str], int] = field(default_factory=dict)
    purl_namespaces: dict[tuple[str, str], int] = field(default_factory=dict)
    cpe_products: dict[tuple[str, str], int] = field(default_factory=dict)
    cpe_vendors: dict[str, int] = field(default_factory=dict)
    app_ids: dict[str, int] = field(default_factory=dict)
    packages: dict[tuple[str, str], int] = field(default_factory=dict)
    package_names: dict[str, int] = field(default_factory=dict)
    package_guids: dict[str, int] = field(default_factory=dict)
    gate: set[str] = field(default_factory=set)
    gate_literals: set[str] = field(default_factory=set)

    def add(self, row: AliasRow, i: int, rank: int) -> None:
        """Index row `i`, the `rank`-th visited, under its kind, and its gate word."""
        if not row.weak and not row.negative:
            self._add_gate(row)
        kind = row.kind
        low = row.alias.casefold()
        if kind == "file" and not self._add_file(low, i):
            return
        if kind in _TOKEN_KINDS:
            self._add_words(row, i, rank)
        elif kind == "path":
            self._add_path(row.alias, i)
        elif kind == "domain":
            self._add_domain(low.strip("."), i)
        elif kind == "email_domain":
            self.email_domains.setdefault(low.lstrip("@"), i)
        elif kind == "purl":
            self._add_purl(row.alias, i)
        elif kind == "cpe_vendor":
            self._add_cpe(row.alias, i)
        elif kind == "app_id":
            self.app_ids.setdefault(low, i)
        elif kind == "package":
            self._add_package(row.alias, i)

    def _add_gate(self, row: AliasRow) -> None:
        if row.kind == "package" and row.alias.casefold().startswith("msi:"):
            self.gate_literals.add(package_key(*row.alias.split(":", 1))[1])
        else:
            for word in _required_token(row):
                self.gate.update(_spellings(word))

    def _add_file(self, low: str, i: int) -> bool:
        """Index a file name; whether it is also matched as words."""
        if _GLOB_CHARS & set(low):
            self.file_globs.setdefault(low[:2], []).append((low, i))
            return False
        self.basenames.setdefault(low, i)
        # Dotted names (avp.exe) are matched as file names, not as words.
        return "." not in low

    def _add_words(self, row: AliasRow, i: int, rank: int) -> None:
        f = _fold(row.alias)
        self.plain.setdefault(f.plain, []).append(i)
        # Aliases with fewer legal-form words first, then confirmed rows, then priority.
        sort_key = (len(f.plain) - len(f.full), CONFIDENCES.index(row.confidence), rank)
        self.full.setdefault(f.full, []).append((sort_key, i))
        if f.transliterated:
            self.cyr_keys.add(f.full)

    def _add_path(self, alias: str, i: int) -> None:
        segs = tuple(s for s in path_segments(alias) if not s.startswith("%"))
        if segs:
            self.paths.setdefault(segs[0], []).append((segs, i))

    def _add_domain(self, host: str, i: int) -> None:
        if _GLOB_CHARS & set(host):
            base = host
            for ch in "*?]":
                base = base.rsplit(ch, 1)[-1]
            base = base.split(".", 1)[1] if "." in base else base
            self.domain_globs.setdefault(base, []).append((host, i))
        else:
            self.domains.setdefault(host, i)

    def _add_purl(self, alias: str, i: int) -> None:
        key = parse_purl(alias)
        assert key is not None  # validated in _row
        if key[2] == "*":
            self.purl_namespaces.setdefault((key[0], key[1]), i)
        else:
            self.purl_names.setdefault(key, i)

    def _add_cpe(self, alias: str, i: int) -> None:
        parts = cpe_parts(alias)
        assert parts is not None  # validated in _row
        if parts[1] == "*":
            self.cpe_vendors.setdefault(parts[0], i)
        else:
            self.cpe_products.setdefault(parts, i)

    def _add_package(self, alias: str, i: int) -> None:
        pkey = package_key(*alias.split(":", 1))
        if pkey[0] == "msi":
            self.package_guids.setdefault(pkey[1], i)
        else:
            self.packages.setdefault(pkey, i)
            self.package_names.setdefault(pkey[1].rsplit("/", 1)[-1], i)

    def catalogue(self, rows: tuple[AliasRow, ...], dv: DataVersion) -> Catalogue:
        """The finished catalogue: the token indexes chosen, every table made a tuple."""
        plain_index = _index({k: v[0] for k, v in self.plain.items()})
        full_index = _index({k: min(v)[1] for k, v in self.full.items()})
        # NOTE: a text word triggers the token matchers in any spelling that folds to a first
        # token (`kasperskiy` -> kaspersky).
        triggers = frozenset(w for k in (*plain_index, *full_index) for w in _spellings(k))
        return Catalogue(
            rows=rows,
            data_version=dv,
            plain_index=plain_index,
            full_index=full_index,
            full_only=frozenset(self.cyr_keys),
            triggers=triggers,
            gate=frozenset(self.gate),
            basenames=self.basenames,
            file_globs={k: tuple(v) for k, v in self.file_globs.items()},
            paths={k: tuple(sorted(v, key=lambda e: -len(e[0]))) for k, v in self.paths.items()},
            domains=self.domains,
            domain_globs={k: tuple(v) for k, v in self.domain_globs.items()},
            email_domains=self.email_domains,
            purl_names=self.purl_names,
            purl_namespaces=self.purl_namespaces,
            cpe_products=self.cpe_products,
            cpe_vendors=self.cpe_vendors,
            app_ids=self.app_ids,
            packages=self.packages,
            package_names=self.package_names,
            package_guids=self.package_guids,
            gate_literals=frozenset(self.gate_literals),
        )


def _index(keys: dict[tuple[str, ...], int]) -> TokenIndex:
    by_first: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for toks, i in keys.items():
        if toks:
            by_first.setdefault(toks[0], []).append((toks, i))
    return {k: tuple(sorted(v, key=lambda e: (-len(e[0]), e[1]))) for k, v in by_first.items()}


# Words too common in SBOM text to stand for an alias in the gate (see `_required_token`).
_COMMON = frozenset(
    """a an and the for of in on to with by pkg com org net www http https exe sys dll so xml
    security secure anti antivirus virus spam antispam engine server servers gateway mail email
    web exchange protection filter suite network system systems platform open single management
    data file files update updater kit development software level microsoft check point free
    plus premium standard total internet cloud endpoint center centre agent private threat
    intelligence portal feeds hosted services service embedded industrial password manager safe
    kids connection vpn sdk utm full based lab labs group inc ltd gmbh ao os ngfw protocol
    android components maven npm pypi github golang cpe 2 3 a""".split()  # noqa: SIM905
)


def _glob_tokens(pattern: str) -> list[str]:
    """Tokens of the literal parts of a glob that are whole words in any matching text."""
    pieces: list[tuple[str, bool, bool]] = []  # (text, wildcard before, wildcard after)
    cur: list[str] = []
    before = False
    k = 0
    while k < len(pattern):
        ch = pattern[k]
        if ch in "*?[":
            pieces.append(("".join(cur), before, True))
            cur = []
            before = True
            if ch == "[":
                end = pattern.find("]", k + 1)
                k = end if end > 0 else k
        else:
            cur.append(ch)
        k += 1
    pieces.append(("".join(cur), before, False))
    out: list[str] = []
    for text, wild_before, wild_after in pieces:
        toks = list(_fold(text).plain)
        if toks and wild_before and text[:1].isalnum():
            toks = toks[1:]
        if toks and wild_after and text[-1:].isalnum():
            toks = toks[:-1]
        out.extend(toks)
    return out


def _required_token(row: AliasRow) -> tuple[str, ...]:
    """A token every ASCII text matching `row` contains, as rare as can be (two for "anti-x")."""
    alias = row.alias
    if row.kind == "purl":
        key = parse_purl(alias)
        assert key is not None
        toks = list(_fold(f"{key[1]} {key[2] if key[2] != '*' else ''}").plain)
    elif row.kind == "cpe_vendor":
        parts = cpe_parts(alias)
        assert parts is not None
        toks = list(_fold(parts[0]).plain)
    elif row.kind == "package":
        name = alias.split(":", 1)[1]
        toks = [t for piece in name.replace("/", " ").split() for t in _fold(piece).plain]
    elif row.kind == "path":
        toks = [
            t for seg in path_segments(alias) if not seg.startswith("%") for t in _fold(seg).plain
        ]
    elif row.kind in _TOKEN_KINDS and not (_GLOB_CHARS & set(alias)):
        f = _fold(alias)
        plain = set(f.plain)
        # NOTE: only words the text keeps in its plain form: a merged "antivirus" may be
        # written "anti-virus", and a legal form is dropped from the full form.
        toks = [t for t in f.full if t in plain or not t.startswith("anti")] or list(f.full)
    else:
        toks = _glob_tokens(alias.lstrip("@%"))
    # NOTE: only ASCII words: text that is not plain ASCII always takes the full path, so a
    # row written only in another script (卡巴斯基) needs no gate word.
    toks = [t for t in toks if t.isascii()]
    if not toks:
        if any(not ch.isascii() for ch in alias):
            return ()
        raise AliasTableError(  # pragma: no cover - every built-in row has a word
            f"alias '{alias}' has no whole word to match on",
            source=row.file,
            location=f"line {row.line}",
        )
    # Rarest first: not a common word, at least three characters, not an "anti" word (written
    # "anti-x" it splits in two), a Kaspersky word, the longest.
    # NOTE: the gate check splits words at digits, so a gate word is a run of letters.
    toks = [
        piece for t in toks for piece in "".join(" " if ch.isdigit() else ch for ch in t).split()
    ]
    if not toks:  # a package named with digits only: nothing to gate on, so no gate at all
        raise AliasTableError(
            f"alias '{alias}' has no letters to match on",
            source=row.file,
            location=f"line {row.line}",
        )
    best = min(
        toks,
        key=lambda t: (
            t in _COMMON or len(t) < 3,
            t.startswith("anti"),
            not t.startswith("kasp"),
            -len(t),
            t,
        ),
    )
    return (best,) if not best.startswith("anti") or len(best) <= 4 else (best, best[4:])
