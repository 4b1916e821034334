"""The rules data: `data/rules.toml` (and a user's `--rules` file) read into a `RuleSet`.

Every value is checked on load; a bad one raises `RulesError` naming the file and the place
in it (`rule[3].milestone[1].effective`). The loaded `RuleSet` is plain frozen data: picklable
(so worker processes can receive it) and reusable across scans.

Over 500 lines: the rule classes and their loader stay beside `_Validator`, the typed
getters that check every value, because each field of `Rule` and `Milestone` is read by
exactly one getter call here; `waivers.py` has its own small set.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sbomcheck import _io
from sbomcheck._io import POLICY_MAX_BYTES, read_bounded
from sbomcheck._typename import toml_type
from sbomcheck.errors import RulesError
from sbomcheck.findings import DataVersion, Severity
from sbomcheck.json_form import NOT_IN_JSON
from sbomcheck.policy.profiles import PROFILES

__all__ = [
    "KINDS",
    "MODEL_YEARS",
    "PRODUCT_CLASSES",
    "SCOPES",
    "Milestone",
    "Rule",
    "RuleSet",
    "builtin_rules_path",
    "is_subnational",
    "load_rules",
]

MODEL_YEARS = (1900, 2200)
"""Inclusive bounds of a vehicle model year (`model_year` in a milestone, `--model-year`)."""

SCOPES = ("branded", "in-whole-or-part", "integrated", "listed-entity", "listed-product")
"""Which findings a rule reaches (docs/policy.md, "Scopes")."""

KINDS = ("rule", "advisory", "interpretation")
PRODUCT_CLASSES = ("security", "threat-intelligence", "training", "non-security")
CONFIDENCES = ("confirmed", "reported")
_SEVERITIES = ("error", "warning", "note")

_RULE_KEYS = {
    "id",
    "title",
    "short_title",
    "authority",
    "citation",
    "url",
    "jurisdiction",
    "binds",
    "kind",
    "confidence",
    "scope",
    "product_classes",
    "exclude_classes",
    "entities",
    "products",
    "profiles",
    "summary",
    "sources",
    "milestone",
}
_MILESTONE_KEYS = {
    "id",
    "title",
    "effective",
    "prohibits",
    "severity",
    "profiles",
    "confidence",
    "source",
    "sources",
    "model_year",
    "update_ban",
}
_META_KEYS = {"name", "version", "schema"}
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_SCHEMAS = (1, 2, 3)
"""Schema 2 adds `sources`, `model_year` and sub-national jurisdictions; 3 adds `update_ban`.
Older schemas are still read: each only adds optional keys."""


def is_subnational(jurisdiction: str) -> bool:
    """`US-OR` (ISO 3166-2 style, country-subdivision) rather than `US`: such a rule binds
    only when its jurisdiction is selected (`--jurisdiction US-OR`)."""
    return "-" in jurisdiction


@dataclass(frozen=True, slots=True, kw_only=True)
class Milestone:
    """One dated step of a rule: what it prohibits from when, and how much that weighs."""

    id: str
    title: str
    effective: str
    """As written: `2024-07-20`, or `2024-09-29T00:00:00-04:00` where a time is known."""
    effective_date: dt.date = field(metadata=NOT_IN_JSON)
    """The calendar day it takes effect, in its own time zone: `as_of >= effective_date`
    means in force (as_of is a date, so a midnight cut-off is in force all that day)."""
    prohibits: tuple[str, ...]
    severity: Severity
    """Severity once in force (`error`, `warning` or `note`)."""
    profiles: tuple[str, ...]
    """Profiles this milestone binds (the rule's profiles unless the milestone narrows them)."""
    confidence: str
    source: str
    sources: tuple[str, ...] = ()
    """Further sources after `source` (secondary ones last)."""
    model_year: int | None = None
    """Set when the milestone reaches only products of this model year and later (vehicles):
    it then applies from `effective` to those model years, and depends on the model year
    the caller gives."""
    update_ban: bool = field(default=False, metadata=NOT_IN_JSON)
    """Set on the milestone from which Kaspersky updates are banned (ICTS-2021-002): an SBOM
    release, build or creation date from its moment on is evidence of an update after the ban.
    """


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """One official action (or sbomcheck's stated interpretation) with its milestones."""

    id: str
    title: str
    authority: str
    citation: str
    url: str
    jurisdiction: str
    """`US`, `DE`, ...; a sub-national one (`US-OR`) binds only when selected."""
    binds: str
    kind: str
    """`rule` (binding), `advisory` (warning level) or `interpretation` (sbomcheck's reading)."""
    confidence: str
    scope: str
    product_classes: tuple[str, ...]
    """Classes the rule reaches; empty means every class."""
    exclude_classes: tuple[str, ...]
    """Classes the rule expressly carves out."""
    entities: tuple[str, ...]
    """Legal entities named by a `listed-entity` rule."""
    products: tuple[str, ...] = ()
    """Canonical product names a `listed-product` rule reaches (catalogue `canonical`)."""
    profiles: tuple[str, ...]
    summary: str
    milestones: tuple[Milestone, ...]
    sources: tuple[str, ...] = ()
    """Further sources after `url` (secondary ones last)."""
    origin: str = ""
    """`built-in`, or the path of the user's file the rule was read from."""
    short_title: str = ""
    """A plain name a reader knows at once (`US Commerce ban on Kaspersky software`), shown
    beside the id the first time a text report names the rule; the title when not given."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleSet:
    """The rules in force for a run, in file order (built-in first, then user additions)."""

    rules: tuple[Rule, ...]
    data_version: DataVersion

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, rule_id: str) -> Rule | None:
        """The rule with this id, or None."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        return None

    @property
    def update_ban(self) -> tuple[Rule, Milestone] | None:
        """The milestone marked `update_ban` with its rule (the earliest, if several), or None
        when no rule marks one (then no SBOM date is read as an update after a ban)."""
        marked = [(m, r) for r in self.rules for m in r.milestones if m.update_ban]
        if not marked:
            return None
        ms, rule = min(marked, key=lambda pair: pair[0].effective_date)
        return rule, ms

    @property
    def jurisdictions(self) -> tuple[str, ...]:
        """Every jurisdiction the rules name, sorted (what `--jurisdiction` accepts)."""
        return tuple(sorted({r.jurisdiction for r in self.rules}))


def builtin_rules_path() -> Path:
    """The shipped rules file: in the wheel (`sbomcheck/_data`) or the checkout's `data/`."""
    packaged = _io.PACKAGE_DIR / "_data" / "rules.toml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / "rules.toml"


def load_rules(extra: Path | None = None) -> RuleSet:
    """Read the built-in rules, plus `extra` (a user's file) when given.

    A rule in `extra` whose id is already known replaces the built-in rule in its place;
    a new id is appended. Raises `RulesError` naming the file and the place on bad input.
    """
    base_path = builtin_rules_path()
    base_bytes = _read(base_path)
    base_meta, rules = _parse(base_bytes, str(base_path), require_meta=True, origin="built-in")
    name = str(base_meta.get("name", "rules.toml"))
    version = str(base_meta["version"])
    digest = hashlib.sha256(base_bytes).hexdigest()
    if extra is not None:
        extra_bytes = _read(extra)
        extra_meta, extra_rules = _parse(
            extra_bytes, str(extra), require_meta=False, origin=str(extra)
        )
        by_id = {r.id: i for i, r in enumerate(rules)}
        merged = list(rules)
        for rule in extra_rules:
            if rule.id in by_id:
                merged[by_id[rule.id]] = rule
            else:
                by_id[rule.id] = len(merged)
                merged.append(rule)
        rules = tuple(merged)
        name = f"{name}+{extra.name}"
        version = f"{version}+{extra_meta.get('version', 'user')}"
        # NOTE: the combined identity is the hash of both hashes, so a report names exactly
        # which built-in data and which user file its decisions rest on.
        extra_digest = hashlib.sha256(extra_bytes).hexdigest()
        digest = hashlib.sha256(f"{digest}\n{extra_digest}\n".encode()).hexdigest()
    return RuleSet(
        rules=rules,
        data_version=DataVersion(name=name, version=version, sha256=digest, rows=len(rules)),
    )


def _read(path: Path) -> bytes:
    return read_bounded(
        path, POLICY_MAX_BYTES, what="rules file", error=RulesError, cannot_read="cannot read"
    )


def _parse(
    data: bytes, source: str, *, require_meta: bool, origin: str
) -> tuple[dict[str, Any], tuple[Rule, ...]]:
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise RulesError(f"not UTF-8 (byte {e.start})", source=source) from None
    except tomllib.TOMLDecodeError as e:
        # tomllib puts the position in the message: "Expected ... (at line 3, column 7)".
        msg = str(e)
        m = re.search(r"\(at line (\d+), column \d+\)$", msg)
        location = f"line {m.group(1)}" if m else None
        text = msg[: m.start()].strip() if m else msg
        raise RulesError(f"invalid TOML: {text}", source=source, location=location) from None
    v = _Validator(source, origin)
    v.keys(doc, {"meta", "rule"}, "")
    meta: dict[str, Any] = {}
    if "meta" in doc:
        meta = v.table(doc["meta"], "meta")
        v.keys(meta, _META_KEYS, "meta")
        v.string(meta, "version", "meta", required=require_meta)
        v.string(meta, "name", "meta", required=False)
        if "schema" in meta and meta["schema"] not in _SCHEMAS:
            raise v.error("unsupported schema (this sbomcheck reads schemas 1 to 3)", "meta.schema")
    elif require_meta:
        raise v.error("missing [meta] table with version", "meta")
    raw_rules = doc.get("rule", [])
    if not isinstance(raw_rules, list):
        raise v.error("must be an array of tables ([[rule]])", "rule")
    rules: list[Rule] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_rules):
        rule = v.rule(raw, f"rule[{i}]")
        if rule.id in seen:
            raise v.error(f"duplicate rule id {rule.id!r}", f"rule[{i}].id")
        seen.add(rule.id)
        rules.append(rule)
    return meta, tuple(rules)


class _Validator:
    """Typed getters that raise `RulesError` with the place of the bad value."""

    def __init__(self, source: str, origin: str) -> None:
        self.source = source
        self.origin = origin

    def error(self, message: str, location: str) -> RulesError:
        return RulesError(message, source=self.source, location=location or None)

    def table(self, value: Any, loc: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.error(f"must be a table, not {toml_type(value)}", loc)
        return value

    def keys(self, table: Mapping[str, Any], allowed: set[str], loc: str) -> None:
        unknown = sorted(set(table) - allowed)
        if unknown:
            where = f"{loc}.{unknown[0]}" if loc else unknown[0]
            raise self.error(f"unknown key {unknown[0]!r}", where)

    def string(self, table: Mapping[str, Any], key: str, loc: str, *, required: bool = True) -> str:
        if key not in table:
            if required:
                raise self.error("missing required value", f"{loc}.{key}")
            return ""
        value = table[key]
        if not isinstance(value, str):
            raise self.error(f"must be a string, not {toml_type(value)}", f"{loc}.{key}")
        if required and not value.strip():
            raise self.error("must not be empty", f"{loc}.{key}")
        return value.strip()

    def choice(self, table: Mapping[str, Any], key: str, loc: str, choices: tuple[str, ...]) -> str:
        value = self.string(table, key, loc)
        if value not in choices:
            raise self.error(f"{value!r} is not one of {', '.join(choices)}", f"{loc}.{key}")
        return value

    def strings(
        self,
        table: Mapping[str, Any],
        key: str,
        loc: str,
        *,
        choices: tuple[str, ...] | None = None,
        default: tuple[str, ...] = (),
    ) -> tuple[str, ...]:
        if key not in table:
            return default
        value = table[key]
        if not isinstance(value, list):
            raise self.error(f"must be an array of strings, not {toml_type(value)}", f"{loc}.{key}")
        out: list[str] = []
        for j, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.error("must be a non-empty string", f"{loc}.{key}[{j}]")
            if choices is not None and item not in choices:
                raise self.error(
                    f"{item!r} is not one of {', '.join(choices)}", f"{loc}.{key}[{j}]"
                )
            out.append(item.strip())
        return tuple(out)

    def url(self, table: Mapping[str, Any], key: str, loc: str) -> str:
        value = self.string(table, key, loc)
        if not value.startswith(("https://", "http://")):
            raise self.error("must be an http(s) URL", f"{loc}.{key}")
        return value

    def urls(self, table: Mapping[str, Any], key: str, loc: str) -> tuple[str, ...]:
        values = self.strings(table, key, loc)
        for j, value in enumerate(values):
            if not value.startswith(("https://", "http://")):
                raise self.error("must be an http(s) URL", f"{loc}.{key}[{j}]")
        return values

    def jurisdiction(self, table: Mapping[str, Any], loc: str) -> str:
        value = self.string(table, "jurisdiction", loc)
        if not _ID.match(value):
            raise self.error(
                f"{value!r} is not a jurisdiction code (letters, digits, . _ -; US, US-OR)",
                f"{loc}.jurisdiction",
            )
        return value

    def flag(self, table: Mapping[str, Any], key: str, loc: str) -> bool:
        value = table.get(key, False)
        if not isinstance(value, bool):
            raise self.error(f"must be true or false, not {toml_type(value)}", f"{loc}.{key}")
        return value

    def model_year(self, table: Mapping[str, Any], loc: str) -> int | None:
        if "model_year" not in table:
            return None
        value = table["model_year"]
        low, high = MODEL_YEARS
        # NOTE: bool is a subclass of int; `model_year = true` is a mistake, not 1.
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.error(f"must be an integer, not {toml_type(value)}", f"{loc}.model_year")
        if not low <= value <= high:
            raise self.error(f"{value} is not a model year ({low}-{high})", f"{loc}.model_year")
        return value

    def effective(self, table: Mapping[str, Any], loc: str) -> tuple[str, dt.date]:
        where = f"{loc}.effective"
        if "effective" not in table:
            raise self.error("missing required value", where)
        value = table["effective"]
        if isinstance(value, str):
            try:
                value = (
                    dt.datetime.fromisoformat(value)
                    if "T" in value
                    else dt.date.fromisoformat(value)
                )
            except ValueError:
                raise self.error(f"not an ISO date: {table['effective']!r}", where) from None
        # NOTE: datetime is a subclass of date, so test it first.
        if isinstance(value, dt.datetime):
            if value.tzinfo is None:
                raise self.error("a date-time needs a UTC offset (-04:00)", where)
            return value.isoformat(), value.date()
        if isinstance(value, dt.date):
            return value.isoformat(), value
        raise self.error(f"must be a date, not {toml_type(value)}", where)

    def rule(self, raw: Any, loc: str) -> Rule:
        table = self.table(raw, loc)
        self.keys(table, _RULE_KEYS, loc)
        rule_id = self.string(table, "id", loc)
        if not _ID.match(rule_id):
            raise self.error(f"{rule_id!r} is not a valid id (letters, digits, . _ -)", f"{loc}.id")
        scope = self.choice(table, "scope", loc, SCOPES)
        entities, products = self.listed(table, loc, scope)
        profiles = self.strings(table, "profiles", loc, choices=PROFILES)
        if not profiles:
            raise self.error("missing required value", f"{loc}.profiles")
        raw_ms = table.get("milestone")
        if not isinstance(raw_ms, list) or not raw_ms:
            raise self.error("needs at least one [[rule.milestone]]", f"{loc}.milestone")
        confidence = self.choice(table, "confidence", loc, CONFIDENCES)
        url = self.url(table, "url", loc)
        milestones: list[Milestone] = []
        for j, raw_m in enumerate(raw_ms):
            milestones.append(
                self.milestone(
                    raw_m,
                    f"{loc}.milestone[{j}]",
                    taken=[prev.id for prev in milestones],
                    profiles=profiles,
                    confidence=confidence,
                    url=url,
                )
            )
        return Rule(
            id=rule_id,
            title=self.string(table, "title", loc),
            authority=self.string(table, "authority", loc),
            citation=self.string(table, "citation", loc),
            url=url,
            jurisdiction=self.jurisdiction(table, loc),
            binds=self.string(table, "binds", loc),
            kind=self.choice(table, "kind", loc, KINDS),
            confidence=confidence,
            scope=scope,
            product_classes=self.strings(table, "product_classes", loc, choices=PRODUCT_CLASSES),
            exclude_classes=self.strings(table, "exclude_classes", loc, choices=PRODUCT_CLASSES),
            entities=entities,
            products=products,
            profiles=profiles,
            summary=" ".join(self.string(table, "summary", loc, required=False).split()),
            milestones=tuple(sorted(milestones, key=lambda x: x.effective_date)),
            sources=self.urls(table, "sources", loc),
            origin=self.origin,
            short_title=self.string(table, "short_title", loc, required=False)
            or self.string(table, "title", loc),
        )

    def listed(
        self, table: Mapping[str, Any], loc: str, scope: str
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The entities and products a rule lists; a `listed-*` scope needs its list."""
        entities = self.strings(table, "entities", loc)
        if scope == "listed-entity" and not entities:
            raise self.error("a listed-entity rule needs entities", f"{loc}.entities")
        products = self.strings(table, "products", loc)
        if scope == "listed-product" and not products:
            raise self.error("a listed-product rule needs products", f"{loc}.products")
        return entities, products

    def milestone(
        self,
        raw: Any,
        loc: str,
        *,
        taken: Sequence[str],
        profiles: tuple[str, ...],
        confidence: str,
        url: str,
    ) -> Milestone:
        """One `[[rule.milestone]]`; `profiles`, `confidence` and `url` are the rule's (the
        defaults), `taken` the ids of the rule's milestones before this one."""
        m = self.table(raw, loc)
        self.keys(m, _MILESTONE_KEYS, loc)
        mid = self.string(m, "id", loc)
        if mid in taken:
            raise self.error(f"duplicate milestone id {mid!r}", f"{loc}.id")
        effective, effective_date = self.effective(m, loc)
        ms_profiles = self.strings(m, "profiles", loc, choices=PROFILES, default=profiles)
        outside = [p for p in ms_profiles if p not in profiles]
        if outside:
            raise self.error(
                f"profile {outside[0]!r} is not among the rule's profiles", f"{loc}.profiles"
            )
        return Milestone(
            id=mid,
            title=self.string(m, "title", loc),
            effective=effective,
            effective_date=effective_date,
            prohibits=self.strings(m, "prohibits", loc),
            severity=Severity(self.choice(m, "severity", loc, _SEVERITIES)),
            profiles=ms_profiles,
            confidence=(
                self.choice(m, "confidence", loc, CONFIDENCES) if "confidence" in m else confidence
            ),
            source=self.url(m, "source", loc) if "source" in m else url,
            sources=self.urls(m, "sources", loc),
            model_year=self.model_year(m, loc),
            update_ban=self.flag(m, "update_ban", loc),
        )
