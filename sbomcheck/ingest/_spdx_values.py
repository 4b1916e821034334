"""What every SPDX reader (2 and 3, all serialisations) reads alike: "nothing said" values,
parties, hash algorithms, relationship type names, timestamps, the JSON type names of error
messages, and the files a package contains.

Kept apart from the SPDX 2 builder (`_spdx_common`) because SPDX 3 (`spdx3`) needs these and
not the builder.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from sbomcheck.ingest._context import ReadContext
from sbomcheck.model import Component, FileEntry, Party, Relationship, relationship_column

__all__ = [
    "NOASSERTION",
    "PARTY_RE",
    "attach_files",
    "check_timestamp",
    "emit_grouped",
    "external_ref_type",
    "external_ref_types",
    "hash_algorithm",
    "parse_party",
    "relationship_type",
    "type_name",
]

NOASSERTION = frozenset({"NOASSERTION", "NONE", ""})
"""SPDX's "nothing said" values: never a party, licence or copyright."""

PARTY_RE = re.compile(r"^\s*(Person|Organization|Tool)\s*:\s*(.*?)\s*$", re.IGNORECASE)
_EMAIL_TAIL_RE = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
_HASH_ALG_RE = re.compile(r"^(SHA|BLAKE2B|BLAKE2S|SHA3)-?(\d+)$")
_TIMESTAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_LENIENT_TIMESTAMP_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"
)
_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def type_name(value: object) -> str:
    """The JSON name of a parsed value's type, for error messages."""
    if value is None:
        return "null"
    return {
        dict: "object",
        list: "array",
        str: "string",
        bool: "boolean",
        int: "number",
        float: "number",
    }.get(type(value), type(value).__name__)


def relationship_type(raw: str) -> str:
    """`DEPENDS_ON` / `dependsOn` / `HAS_CONCLUDED_LICENSE` -> `depends-on` (model convention)."""
    if "_" in raw or raw.isupper():
        return raw.strip().lower().replace("_", "-")
    return _CAMEL_RE.sub("-", raw.strip()).lower()


def hash_algorithm(raw: str) -> str:
    """`SHA1` / `sha256` / `checksumAlgorithm_sha1` / `BLAKE2b-384` -> `SHA-1`, `BLAKE2B-384`."""
    alg = raw.rpartition("_")[2] if raw.startswith(("checksumAlgorithm_", "http")) else raw
    alg = alg.strip().upper()
    m = _HASH_ALG_RE.match(alg)
    if m and m.group(1) != "SHA3":
        return f"{m.group(1)}-{m.group(2)}"
    if m:
        return f"SHA3-{m.group(2)}"
    return alg


def parse_party(raw: str) -> Party | None:
    """`Organization: ACME (a@b.c)` -> Party; NOASSERTION/NONE -> None; no prefix -> kind None."""
    text = raw.strip()
    if text.upper() in NOASSERTION:
        return None
    m = PARTY_RE.match(text)
    kind: str | None = None
    rest = text
    if m:
        kind = m.group(1).lower()
        rest = m.group(2)
    emails: tuple[str, ...] = ()
    if kind != "tool":
        em = _EMAIL_TAIL_RE.match(rest)
        if em:
            rest = em.group(1)
            mail = em.group(2).strip()
            emails = (mail,) if mail else ()
    name = rest.strip() or None
    if name is not None and name.upper() in NOASSERTION:
        name = None
    return Party(name=name, kind=kind, emails=emails, raw=raw)


def check_timestamp(
    value: str, where: str, lenient: dict[str, list[str]], what: str = "timestamp"
) -> None:
    """Collect a `lenient-value` note for a timestamp that is not `YYYY-MM-DDThh:mm:ssZ`."""
    if _TIMESTAMP_RE.match(value):
        return
    if _LENIENT_TIMESTAMP_RE.match(value):
        key = f"{what} {value!r} is not in the SPDX form YYYY-MM-DDThh:mm:ssZ; read as written"
    else:
        key = f"{what} {value!r} is not a timestamp; kept as written"
    lenient.setdefault(key, []).append(where)


def emit_grouped(ctx: ReadContext, code: str, grouped: dict[str, list[str]]) -> None:
    """One warning per distinct message, naming the first place and how many more."""
    for message, places in grouped.items():
        more = f" and {len(places) - 1} more" if len(places) > 1 else ""
        ctx.warn(code, message, places[0] + more)


def external_ref_type(raw: str) -> str:
    """`http://spdx.org/rdf/references/cpe23Type` -> `cpe23Type`; `x#Ref` -> `Ref`."""
    if "#" in raw:
        return raw.rpartition("#")[2]
    if raw.startswith("http://spdx.org/rdf/references/"):
        return raw.rpartition("/")[2]
    return raw


def external_ref_types(category: str, raw_type: str) -> tuple[str, str]:
    """(`cpe23Type`, `PACKAGE-MANAGER/purl`-style model type) of an external reference's
    category and type as written; the package loops cache it per distinct pair."""
    short = external_ref_type(raw_type)
    return short, f"{category.replace('_', '-')}/{short}"


def attach_files(
    components: list[Component], files: Sequence[Component], relationships: Sequence[Relationship]
) -> list[Component]:
    """Fill each package's `files` from its CONTAINS edges (explicit or implicit) to files."""
    owned = files_owned(files, relationships)
    if not owned:
        return components
    return [
        replace(c, files=tuple(owned[c.ref].values())) if c.ref in owned else c for c in components
    ]


def files_owned(
    files: Sequence[Component], relationships: Sequence[Relationship]
) -> dict[str, dict[str, FileEntry]]:
    """The file entries of each element that CONTAINS files, by its ref (read from the
    relationship columns)."""
    if not files:
        return {}
    file_by_ref = {f.ref: f for f in files}
    owned: dict[str, dict[str, FileEntry]] = {}
    types = relationship_column(relationships, "type")
    if "contains" not in types:
        return owned
    sources = relationship_column(relationships, "source")
    targets = relationship_column(relationships, "target")
    for rtype, source, target in zip(types, sources, targets, strict=True):
        if rtype != "contains":
            continue
        f = file_by_ref.get(target)
        if f is None:
            continue
        entries = owned.setdefault(source, {})
        if f.ref not in entries:
            entries[f.ref] = FileEntry(name=f.name, ref=f.ref, checksums=f.hashes)
    return owned
